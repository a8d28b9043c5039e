#!/usr/bin/env bats
# ml-onehot: feature indices and side information.

setup() {
	load helper
	need_ml100k
}

@test "ml-onehot: user and item fields by default, indices inside their ranges" {
	s=$(split_stream)
	ml-onehot -q < "$s" > "$BATS_TEST_TMPDIR/o.mp"
	run rs-show --header "$BATS_TEST_TMPDIR/o.mp"
	assert_output --partial '"fields": [{"name": "user", "offset": 0, "size": 943}, {"name": "item", "offset": 943, "size": 1682}]'
	assert_output --partial '"columns": ["split", "user", "item", "rating", "ts", "x"]'
	run bash -c "rs-show --dense '$BATS_TEST_TMPDIR/o.mp' | awk -F'\t' 'NR > 1 { split(\$6, x, \",\"); if (x[1] != \$2 || x[2] != 943 + \$3 || length(x) != 2) bad++; n++ } END { print n, bad + 0 }'"
	assert_output "100000 0"
}

@test "ml-onehot: side features from u.user and u.item" {
	s=$(split_stream)
	ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < "$s" > "$BATS_TEST_TMPDIR/o.mp"
	run rs-show --header "$BATS_TEST_TMPDIR/o.mp"
	assert_output --partial '"fields": [{"name": "user", "offset": 0, "size": 943}, {"name": "item", "offset": 943, "size": 1682}, {"name": "age", "offset": 2625, "size": 7}, {"name": "gender", "offset": 2632, "size": 2}, {"name": "occupation", "offset": 2634, "size": 21}, {"name": "zip", "offset": 2655, "size": 11}, {"name": "year", "offset": 2666, "size": 12}, {"name": "genre", "offset": 2678, "size": 19}]'
	# x is sorted and one feature falls in each one-hot field; genre values sum to 1
	run bash -c "rs-show '$BATS_TEST_TMPDIR/o.mp' | awk -F'\t' '
		NR > 1 {
			k = split(\$6, x, \",\"); split(\$7, v, \",\")
			for (i = 2; i <= k; i++) if (x[i] + 0 <= x[i-1] + 0) bad++
			if (x[3] < 2625 || x[3] >= 2632 || x[4] < 2632 || x[4] >= 2634) bad++
			if (x[5] < 2634 || x[5] >= 2655 || x[6] < 2655 || x[6] >= 2666 || x[7] < 2666 || x[7] >= 2678) bad++
			g = 0; for (i = 8; i <= k; i++) { if (x[i] < 2678 || x[i] >= 2697) bad++; g += v[i] }
			if (k < 8 || g < 0.999 || g > 1.001) bad++
			n++
		} END { print n, bad + 0 }'"
	assert_output "100000 0"
}

@test "ml-onehot: gender and genres agree with the side files" {
	s=$(split_stream)
	ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" --fields user,gender,item,genre < "$s" |
		rs-show -n 2000 | awk -F'\t' 'NR > 1 { print $6 }' > "$BATS_TEST_TMPDIR/x"
	# the same pairs from u.data: raw user gender and raw item genre count
	head -2000 "$UDATA" | awk -F'\t' -v U="$ML100K_DIR/u.user" -v I="$ML100K_DIR/u.item" '
		BEGIN { while ((getline l < U) > 0) { split(l, f, "|"); G[f[1]] = f[3] }
			while ((getline l < I) > 0) { n = split(l, f, "|"); c = 0; for (i = 6; i <= n; i++) c += f[i]; C[f[1]] = c } }
		{ print G[$1], C[$2] }' > "$BATS_TEST_TMPDIR/want"
	awk -F, '{ print ($2 == 943 ? "M" : "F"), NF - 3 }' "$BATS_TEST_TMPDIR/x" > "$BATS_TEST_TMPDIR/got"
	cmp "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
}

@test "ml-onehot: an id missing from a side file is named" {
	s=$(split_stream)
	grep -v '^13|' "$ML100K_DIR/u.user" > "$BATS_TEST_TMPDIR/u.user"
	run --separate-stderr bash -c "ml-onehot -u '$BATS_TEST_TMPDIR/u.user' < '$s' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-onehot: $BATS_TEST_TMPDIR/u.user: no row for user 13 of the stream"
	printf '1|24|X|technician|85711\n' > "$BATS_TEST_TMPDIR/bad.user"
	run --separate-stderr bash -c "ml-onehot -u '$BATS_TEST_TMPDIR/bad.user' < '$s' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-onehot: $BATS_TEST_TMPDIR/bad.user:1: gender 'X' is not M or F"
	printf '1|24|M|technician\n' > "$BATS_TEST_TMPDIR/short.user"
	run --separate-stderr bash -c "ml-onehot -u '$BATS_TEST_TMPDIR/short.user' < '$s' > /dev/null"
	assert_equal "$stderr" "ml-onehot: $BATS_TEST_TMPDIR/short.user:1: expected 5 '|'-separated fields (id|age|gender|occupation|zip), found 4"
}

@test "ml-onehot: a side file's blank and '#' lines counted in its summary line; a file without them has none" {
	cd "$BATS_TEST_TMPDIR"
	skipped_side_files
	run --separate-stderr bash -c "ml-onehot -u users.txt -i items.txt < s.mp > o.mp"
	assert_success
	assert_equal "$stderr" "ml-onehot: users.txt: 2 rows; 2 lines skipped (1 blank, 1 comment)
ml-onehot: items.txt: 2 rows; 2 lines skipped (1 blank, 1 comment)
ml-onehot: 4 records, 8 fields, 57 features, 10.00 active per record"
	grep -v '^#' users.txt | grep . > u.txt
	grep -v '^#' items.txt | grep . > i.txt
	run --separate-stderr bash -c "ml-onehot -u u.txt -i i.txt < s.mp > o2.mp"
	assert_success
	assert_equal "$stderr" "ml-onehot: 4 records, 8 fields, 57 features, 10.00 active per record"
	assert_equal "$(rs-show o.mp)" "$(rs-show o2.mp)"
	# users.dat's '::' lines; movies.csv's header, which every copy has, said beside the others
	printf '1::M::25::4::85711\n\n2::F::50::2::94043\n' > users.dat
	printf '# ML-25M\nmovieId,title,genres\n1,Toy Story (1995),Comedy\n2,GoldenEye (1995),Action\n' > movies.csv
	run --separate-stderr bash -c "ml-onehot -u users.dat -i movies.csv < s.mp > /dev/null"
	assert_success
	assert_equal "$stderr" "ml-onehot: users.dat: 2 rows; 1 line skipped (1 blank)
ml-onehot: movies.csv: 2 rows; 2 lines skipped (1 comment, 1 header)
ml-onehot: 4 records, 8 fields, 57 features, 8.00 active per record"
}

@test "ml-onehot: usage and stream errors" {
	run ml-onehot --fields user,age
	assert_failure 2
	assert_line --index 0 "ml-onehot: field 'age' needs --users"
	run ml-onehot --fields user,bogus
	assert_failure 2
	assert_line --index 0 "ml-onehot: option --fields: unknown field 'bogus'"
	s=$(split_stream)
	run --separate-stderr bash -c "ml-onehot -q < '$s' | ml-onehot > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-onehot: stdin:header: the stream already has one-hot features"
}

# ML-1M's users.dat and movies.dat, ML-25M's movies.csv: the same features
# as the same rows written as ML-100K's u.user and u.item.
side_fixtures() {
	d=$BATS_TEST_TMPDIR
	printf '1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n2::3408::4::978300275\n3::661::2::978297867\n3::3408::5::978298000\n' > "$d/ratings.dat"
	printf '1::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::K1A0B\n' > "$d/users.dat"
	printf '1|1|F|10|48067\n2|56|M|16|70072\n3|25|M|15|K1A0B\n' > "$d/u.user"
	# a title with '::'-free colons, a Latin-1 e-acute, and IMAX (no flag)
	printf '661::James and the Giant Peach: Musical (1996)::Animation|Children'"'"'s|Musical\n1193::Caf\xe9 (1975)::Drama\n3408::Erin Brockovich (2000)::Drama|IMAX\n' > "$d/movies.dat"
	printf 'movieId,title,genres\n661,James and the Giant Peach: Musical (1996),Animation|Children|Musical\n1193,"Caf\xc3\xa9, The (1975)",Drama\n3408,Erin Brockovich (2000),Drama|IMAX\n' > "$d/movies.csv"
	printf '661|James and the Giant Peach: Musical (1996)|01-Jan-1996||u|0|0|0|1|1|0|0|0|0|0|0|0|1|0|0|0|0|0|0\n1193|Caf\xe9 (1975)|01-Jan-1975||u|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0\n3408|Erin Brockovich (2000)|01-Jan-2000||u|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0\n' > "$d/u.item"
	ml-split -q --split seq-aware "$d/ratings.dat" > "$d/r.mp"
}

@test "ml-onehot and rs-recommend: ML-1M's users.dat and movies.dat, ML-25M's movies.csv, told apart by content" {
	side_fixtures
	d=$BATS_TEST_TMPDIR
	ml-onehot -q -u "$d/u.user" -i "$d/u.item" < "$d/r.mp" | rs-show > "$d/want"
	ml-onehot -q -u "$d/users.dat" -i "$d/movies.dat" < "$d/r.mp" | rs-show > "$d/got"
	cmp "$d/want" "$d/got"
	ml-onehot -q -i "$d/u.item" < "$d/r.mp" | rs-show > "$d/want"
	ml-onehot -q -i "$d/movies.csv" < "$d/r.mp" | rs-show > "$d/got"
	cmp "$d/want" "$d/got"
	# titles in UTF-8 from each: Latin-1 converted, UTF-8 kept
	mf-train -q --loss bpr --epochs 1 --valid-ratio 0 --early-stop 0 < "$d/r.mp" > "$d/m.bin"
	run rs-recommend -m "$d/m.bin" -U 3 -k 2 -i "$d/movies.dat" < "$d/r.mp"
	assert_output --partial $'Caf\xc3\xa9 (1975)'
	run rs-recommend -m "$d/m.bin" -U 2 -k 2 -i "$d/movies.csv" < "$d/r.mp"
	assert_output --partial "James and the Giant Peach: Musical (1996)"
	# the wrong file for the option: one line, exit 1
	run --separate-stderr rs-recommend -m "$d/m.bin" -i "$d/users.dat" < "$d/r.mp"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: $d/users.dat:1: expected movies.dat's 3 fields (id, title, genres), found 5"
	run --separate-stderr bash -c "ml-onehot -u '$d/movies.csv' < '$d/r.mp' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-onehot: $d/movies.csv: movies.csv has no users (ML-10M and later come without a user file)"
	printf '661::Peach (1996)::Animation|Cartoon\n' > "$d/bad.dat"
	run --separate-stderr bash -c "ml-onehot -i '$d/bad.dat' < '$d/r.mp' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-onehot: $d/bad.dat:1: unknown genre 'Cartoon'"
}

@test "ml-onehot --time: user-time, item-time and day from 'ts', binned from the stream's first day, in the header with their bin and origin" {
	# days (ts / 86400, rounded down): 1, 2, 3, 11, 11; the first day is 1,
	# so 11 days and bins of 5 days: 0-4, 5-9, 10 (three bins)
	printf '1\t10\t5\t86400\n1\t11\t4\t172800\n2\t10\t3\t259300\n2\t12\t4\t950400\n1\t12\t2\t1000000\n' |
		ml-split -q --test-ratio 0 | ml-onehot -q --time --time-bin 5 --fields user,item,user-time,item-time,day > "$BATS_TEST_TMPDIR/t.mp"
	run rs-show --header "$BATS_TEST_TMPDIR/t.mp"
	assert_output --partial '{"name": "user-time", "offset": 5, "size": 6, "bin": 5, "origin": 1}, {"name": "item-time", "offset": 11, "size": 9, "bin": 5, "origin": 1}, {"name": "day", "offset": 20, "size": 11, "bin": 1, "origin": 1}]'
	# user u's bin b is 5 + 3u + b, item i's 11 + 3i + b, day d's 20 + d - 1
	run rs-show --dense "$BATS_TEST_TMPDIR/t.mp"
	assert_output "split	user	item	rating	ts	x
0	0	0	5	86400	0,2,5,11,20
0	0	1	4	172800	0,3,5,14,21
0	1	0	3	259300	1,2,8,11,22
0	1	2	4	950400	1,4,10,19,30
0	0	2	2	1000000	0,4,7,19,30"
	# --time alone: user-time after the other fields, before the feedback fields
	printf '1\t10\t5\t86400\n' | ml-split -q --test-ratio 0 | ml-onehot -q --time --implicit > "$BATS_TEST_TMPDIR/d.mp"
	run rs-show --header "$BATS_TEST_TMPDIR/d.mp"
	assert_output --partial '"fields": [{"name": "user", "offset": 0, "size": 1}, {"name": "item", "offset": 1, "size": 1}, {"name": "user-time", "offset": 2, "size": 1, "bin": 30, "origin": 1}, {"name": "raters", "offset": 3, "size": 1}, {"name": "implicit", "offset": 4, "size": 1}]'
	# a time before 1970 is a day before day 0, not day 0
	printf '1\t10\t5\t-1\n1\t11\t4\t0\n' | ml-split -q --test-ratio 0 | ml-onehot -q --fields user,day --time > "$BATS_TEST_TMPDIR/n.mp"
	run rs-show --header "$BATS_TEST_TMPDIR/n.mp"
	assert_output --partial '{"name": "day", "offset": 1, "size": 2, "bin": 1, "origin": -1}'
	run --separate-stderr ml-onehot --fields user,day < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: field 'day' needs --time"
	run --separate-stderr bash -c "printf '1\t10\t5\t0\n1\t11\t4\t86400000\n' | ml-split -q --test-ratio 0 | ml-onehot --time --time-bin 1"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: option --time-bin: 1 days make 1001 bins of the stream's 1001 days, more than 256"
}
