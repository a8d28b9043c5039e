#!/usr/bin/env bats
# ml-split on the real MovieLens-100K and on bad input.

setup() {
	load helper
	need_ml100k
}

@test "ml-split: 100000 records, 943 users, 1682 items, in file order with first-appearance ids" {
	ml-split -q < "$UDATA" > "$BATS_TEST_TMPDIR/s.mp"
	rs-show --dense "$BATS_TEST_TMPDIR/s.mp" | awk 'NR > 1 { print $2 "\t" $3 "\t" $4 "\t" $5 }' > "$BATS_TEST_TMPDIR/got"
	awk -F'\t' '{
		if (!($1 in U)) U[$1] = nu++
		if (!($2 in I)) I[$2] = ni++
		print U[$1] "\t" I[$2] "\t" $3 "\t" $4
	}' "$UDATA" > "$BATS_TEST_TMPDIR/want"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/got")" 100000
	cmp "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	# by default rs-show gives the raw ids back: u.data itself
	rs-show "$BATS_TEST_TMPDIR/s.mp" | cut -f2- | tail -n +2 | cmp - "$UDATA"
	run rs-show --header "$BATS_TEST_TMPDIR/s.mp"
	assert_output --partial '"users": {"count": 943, "ids": [196, 186, 22, 244,'
	assert_output --partial '"items": {"count": 1682, "ids": [242, 302, 377, 51,'
	assert_output --partial '"columns": ["split", "user", "item", "rating", "ts"], "target": "rating"'
	assert_output --partial '"history": ["ml-split -q"]'
}

@test "ml-split: the seed-1 random split holds out exactly 10% and is reproducible" {
	ml-split -q < "$UDATA" > "$BATS_TEST_TMPDIR/a.mp"
	ml-split -q --seed 1 --test-ratio 0.1 < "$UDATA" > "$BATS_TEST_TMPDIR/b.mp"
	ml-split -q --seed 2 < "$UDATA" > "$BATS_TEST_TMPDIR/c.mp"
	run bash -c "rs-show '$BATS_TEST_TMPDIR/a.mp' | awk 'NR > 1 && \$1 == 1' | wc -l"
	assert_output 10000
	run cmp <(rs-show "$BATS_TEST_TMPDIR/a.mp") <(rs-show "$BATS_TEST_TMPDIR/b.mp")
	assert_success
	run cmp -s "$BATS_TEST_TMPDIR/a.mp" "$BATS_TEST_TMPDIR/c.mp"
	assert_failure
	run bash -c "rs-show '$BATS_TEST_TMPDIR/c.mp' | awk 'NR > 1 && \$1 == 1' | wc -l"
	assert_output 10000
}

@test "ml-split: same seed, byte-identical stream" {
	ml-split -q --seed 7 < "$UDATA" > "$BATS_TEST_TMPDIR/a.mp"
	ml-split -q --seed 7 < "$UDATA" > "$BATS_TEST_TMPDIR/b.mp"
	cmp "$BATS_TEST_TMPDIR/a.mp" "$BATS_TEST_TMPDIR/b.mp"
}

@test "ml-split: --test-ratio 0.25 holds out 25000" {
	pipe "ml-split -q -r 0.25 < '$UDATA' | rs-show | awk 'NR > 1 && \$1 == 1' | wc -l"
	assert_output 25000
}

@test "ml-split: seq-aware holds out each user's latest rating, ties to the later line" {
	pipe "ml-split -q --split seq-aware < '$UDATA' | rs-show | awk 'NR > 1 && \$1 == 1 { print NR - 1 }'"
	assert_success
	local got="$output"
	assert_equal "$(echo "$got" | wc -l)" 943
	want=$(awk -F'\t' '!($1 in t) || $4 >= t[$1] { t[$1] = $4; l[$1] = NR } END { for (u in l) print l[u] }' "$UDATA" | sort -n)
	assert_equal "$got" "$want"
}

@test "ml-split: fold 1 of 5 is the first 20000 lines, fold 5 the last" {
	pipe "ml-split -q --split fold --fold 1 < '$UDATA' | rs-show | awk 'NR > 1 && \$1 == 1 { n++; if (NR - 1 > 20000) bad++ } END { print n, bad + 0 }'"
	assert_output "20000 0"
	pipe "ml-split -q --split fold --fold 5 --folds 5 < '$UDATA' | rs-show | awk 'NR > 1 && \$1 == 1 { n++; if (NR - 1 <= 80000) bad++ } END { print n, bad + 0 }'"
	assert_output "20000 0"
}

@test "ml-split: pre-split u1.base/u1.test (mku.sh's recipe) share one id space" {
	d=$BATS_TEST_TMPDIR
	head -20000 "$UDATA" | sort -t"	" -k 1,1n -k 2,2n > "$d/u1.test"
	tail -80000 "$UDATA" | sort -t"	" -k 1,1n -k 2,2n > "$d/u1.base"
	ml-split -q --train "$d/u1.base" --test "$d/u1.test" > "$d/s.mp"
	run bash -c "rs-show '$d/s.mp' | awk 'NR > 1 { n[\$1]++ } END { print n[0], n[1] }'"
	assert_output "80000 20000"
	run rs-show --header "$d/s.mp"
	assert_output --partial '"users": {"count": 943,'
	assert_output --partial '"items": {"count": 1682,'
	# the test file's rows, printed by their raw ids (the header's tables), are u1.test
	rs-show "$d/s.mp" | awk 'NR > 1 && $1 == 1' | cut -f2- > "$d/back"
	cmp "$d/back" "$d/u1.test"
}

@test "ml-split: ratings.dat (::) and ratings.csv (header, half stars) give the same records" {
	d=$BATS_TEST_TMPDIR
	head -1000 "$UDATA" > "$d/u.data"
	awk -F'\t' '{ print $1 "::" $2 "::" $3 "::" $4 }' "$d/u.data" > "$d/ratings.dat"
	{ echo "userId,movieId,rating,timestamp"; awk -F'\t' '{ print $1 "," $2 "," $3 "," $4 }' "$d/u.data"; } > "$d/ratings.csv"
	ml-split -q < "$d/u.data" | rs-show > "$d/tab"
	ml-split -q < "$d/ratings.dat" | rs-show > "$d/dat"
	ml-split -q < "$d/ratings.csv" | rs-show > "$d/csv"
	ml-split -q --format csv "$d/ratings.csv" | rs-show > "$d/csv2"
	cmp "$d/tab" "$d/dat"
	cmp "$d/tab" "$d/csv"
	cmp "$d/tab" "$d/csv2"
	printf 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.5,1260759179\n' | ml-split -q | rs-show > "$d/half"
	assert_equal "$(cut -f4 "$d/half" | tail -2 | tr '\n' ' ')" "2.5 3.5 "
}

@test "ml-split: CRLF line ends and a missing final newline are fine" {
	d=$BATS_TEST_TMPDIR
	head -500 "$UDATA" > "$d/u.data"
	sed 's/$/\r/' "$d/u.data" > "$d/crlf"
	head -c -1 "$d/u.data" > "$d/nofinal"
	ml-split -q < "$d/u.data" | rs-show > "$d/a"
	ml-split -q < "$d/crlf" | rs-show > "$d/b"
	ml-split -q < "$d/nofinal" | rs-show > "$d/c"
	assert_equal "$(wc -l < "$d/a")" 501
	cmp "$d/a" "$d/b"
	cmp "$d/a" "$d/c"
}

@test "ml-split: summary line on stderr, silenced by -q" {
	run --separate-stderr bash -c "ml-split < '$UDATA' > /dev/null"
	assert_success
	assert_equal "$stderr" "ml-split: 100000 ratings, 943 users, 1682 items: 90000 train, 10000 test"
	run --separate-stderr bash -c "ml-split -q < '$UDATA' > /dev/null"
	assert_equal "$stderr" ""
}

@test "ml-split: wrong field count" {
	refused ml-split <(printf '1\t2\t3\t4\n5\t6\t7\n') "ml-split: stdin:2: expected 4 fields (user, item, rating, timestamp), found 3"
	refused ml-split <(printf '1\t2\t3\t4\t5\n') "ml-split: stdin:1: expected 2 to 4 fields (user, item[, rating][, timestamp]), found 5; use --columns"
	# the columns said: a line of fewer fields names the spec
	run --separate-stderr bash -c "printf 'u1,i1,5\nu2,i2\n' | ml-split --columns user,item,rating > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-split: stdin:2: expected 3 fields (user, item, rating), found 2"
}

@test "ml-split: non-numeric and non-finite ratings" {
	refused ml-split <(printf '1\t2\t3\t4\n1\t3\tfour\t4\n') "ml-split: stdin:2: rating 'four' is not a finite number"
	refused ml-split <(printf '1\t2\tnan\t4\n') "ml-split: stdin:1: rating 'nan' is not a finite number"
	refused ml-split <(printf '1\t2\tinf\t4\n') "ml-split: stdin:1: rating 'inf' is not a finite number"
	refused ml-split <(printf '1\t2\t1e999\t4\n') "ml-split: stdin:1: rating '1e999' is not a finite number"
}

@test "ml-split: bad ids and timestamps" {
	# an id is any non-empty token up to 255 bytes: '-1' and 'x2' are names
	refused ml-split <(printf '1\t2\t3\t4\n\t2\t3\t4\n') "ml-split: stdin:2: empty user id"
	refused ml-split <(printf "1\t$(printf '%0256d' 7)\t3\t4\n") "ml-split: stdin:1: item id of 256 bytes, over the limit of 255"
	refused ml-split <(printf '1\t2\t3\t4\n1\t2\t3\t4.5\n') "ml-split: stdin:2: timestamp '4.5' is neither an integer nor an ISO-8601 date and time"
}

@test "ml-split: empty input, a header line in u.data, an unknown format" {
	refused ml-split <(printf '') "ml-split: stdin: empty input (no ratings)"
	refused ml-split <(printf 'x\n') "ml-split: stdin:1: cannot tell the separator (no tab, '::', comma or space); use --sep"
	refused ml-split <(printf 'userId,movieId,rating,timestamp\n') "ml-split: stdin: no ratings in the input"
	refused ml-split <(printf '1::2:3\n') "ml-split: stdin:1: expected fields separated by '::'"
}

@test "ml-split: usage errors exit 2, help and version exit 0" {
	run ml-split --test-ratio 2
	assert_failure 2
	assert_output "ml-split: option --test-ratio: 2 is out of range [0, 1]
Try 'ml-split --help' for more information."
	run ml-split --split nope
	assert_failure 2
	run ml-split --train x
	assert_failure 2
	assert_output --partial "--train and --test go together"
	run ml-split --bogus
	assert_failure 2
	run ml-split --help
	assert_success
	assert_output --partial "ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin"
	run ml-split --version
	assert_success
	assert_output --regexp '^ml-split \(rspipe\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "ml-split: a missing input file is a runtime error" {
	run ml-split /nonexistent/u.data
	assert_failure 1
	assert_output "ml-split: /nonexistent/u.data: No such file or directory"
}

@test "ml-split: when the reader stops early, a quiet end with SIGPIPE's status (141), as yes | head" {
	run --separate-stderr bash -c "ml-split < '$UDATA' | head -c 100 | wc -c; echo \"\${PIPESTATUS[*]}\""
	assert_success
	assert_equal "$output" "$(printf '100\n141 0 0')"
	assert_equal "$stderr" ""
}

@test "gzip input: the same records from u.data.gz (stdin or operand), a gzipped stream, and gzipped side files; a truncated one is refused" {
	need_ml100k
	gzip -c "$UDATA" > "$BATS_TEST_TMPDIR/u.data.gz"
	ml-split -q < "$UDATA" | rs-show > "$BATS_TEST_TMPDIR/plain"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/plain")" 100001
	ml-split -q < "$BATS_TEST_TMPDIR/u.data.gz" | rs-show > "$BATS_TEST_TMPDIR/gz"
	cmp "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/gz"
	ml-split -q "$BATS_TEST_TMPDIR/u.data.gz" | rs-show > "$BATS_TEST_TMPDIR/gz"
	cmp "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/gz"
	# a compressed stream reads as the stream it holds, in every tool
	ml-split -q < "$UDATA" | gzip > "$BATS_TEST_TMPDIR/s.mp.gz"
	assert_equal "$(ml-ctr -q < "$BATS_TEST_TMPDIR/s.mp.gz" | rs-show | md5sum)" \
		"$(ml-split -q < "$UDATA" | ml-ctr -q | rs-show | md5sum)"
	gzip -c "$ML100K_DIR/u.user" > "$BATS_TEST_TMPDIR/u.user.gz"
	assert_equal "$(ml-onehot -q -u "$BATS_TEST_TMPDIR/u.user.gz" < "$BATS_TEST_TMPDIR/s.mp.gz" | rs-show | md5sum)" \
		"$(ml-split -q < "$UDATA" | ml-onehot -q -u "$ML100K_DIR/u.user" | rs-show | md5sum)"
	# cut short: one line, exit 1, nothing written
	head -c 300000 "$BATS_TEST_TMPDIR/u.data.gz" > "$BATS_TEST_TMPDIR/cut.gz"
	run --separate-stderr ml-split -q < "$BATS_TEST_TMPDIR/cut.gz"
	assert_failure 1
	assert_equal "$stderr" "ml-split: stdin: read error (unreadable, or gzip that is corrupt or truncated)"
	assert_equal "$output" ""
	head -c 20000 "$BATS_TEST_TMPDIR/s.mp.gz" > "$BATS_TEST_TMPDIR/cut.mp.gz"
	run --separate-stderr ml-ctr -q < "$BATS_TEST_TMPDIR/cut.mp.gz"
	assert_failure 1
	assert_regex "$stderr" "^ml-ctr: stdin:record [0-9]+: gzip input: truncated$"
	assert_equal "$output" ""
}

@test "ml-split: one line a user (user item item ..., the Amazon files of sequential recommenders), by --format seq or read off a line of more than 4 fields" {
	cd "$BATS_TEST_TMPDIR"
	printf 'u1 i1 i2 i3\nu2 i2 i4\nu3 i9 i1 i2 i5\n' > seq.txt
	printf 'u1\ti1\nu1\ti2\nu1\ti3\nu2\ti2\nu2\ti4\nu3\ti9\nu3\ti1\nu3\ti2\nu3\ti5\n' > log.txt
	ml-split -q --split seq-aware --format seq seq.txt > a.mp
	ml-split -q --split seq-aware log.txt > b.mp
	assert_equal "$(rs-show a.mp | tail -n +2)" "$(rs-show b.mp | tail -n +2)"
	assert_equal "$(rs-show a.mp | awk -F'\t' 'NR > 1 && $1 == 1 { print $2, $3 }' | tr '\n' ' ')" "u1 i3 u2 i4 u3 i5 "
	# read off line 1: more than four fields
	printf 'u1 i1 i2 i3 i4\nu2 i2 i4\n' > auto.txt
	run --separate-stderr ml-split --split seq-aware auto.txt
	assert_success
	assert_equal "$(echo "$stderr" | head -1)" "ml-split: auto.txt: one line a user, their items in time order (read off line 1's 5 fields; --format seq says so)"
	# a line of a user alone
	printf 'u1 i1 i2\nu2\n' > bad.txt
	run --separate-stderr ml-split --format seq bad.txt
	assert_failure 1
	assert_equal "$stderr" "ml-split: bad.txt:2: expected a user and their items, found 1 field"
	assert_equal "$output" ""
	run --separate-stderr ml-split --format seq --columns user,item seq.txt
	assert_failure 2
	assert_equal "$(echo "$stderr" | head -1)" "ml-split: --format seq lays a line out as a user and their items: not with --columns"
}
