#!/usr/bin/env bats
# Event logs in: any delimited 'user item [rating] [ts]' lines, string ids,
# implicit streams, repeated events, the k-core and the time split.

setup() {
	load helper
	cd "$BATS_TEST_TMPDIR"
}

# a hand-made log: string ids, no rating, a pair repeated, users and items
# of every count
small_log() {
	printf 'user,item,ts\n'
	printf 'ann,x,10\nann,y,20\nann,x,30\nbob,y,15\nbob,z,25\ncid,x,12\ncid,y,22\ncid,z,32\ndan,w,40\n'
}

@test "ml-split: ML-100K with string ids, columns reordered, commas and a header gives the same models and metrics" {
	need_ml100k
	awk -F'\t' 'BEGIN { print "item,user,ts,rating" } { print "m" $2 ",u" $1 "," $4 "," $3 }' "$UDATA" > ustr.csv
	ml-split -q ustr.csv > s.mp
	ml-split -q < "$UDATA" > n.mp
	# the same records but for the ids' spelling
	assert_equal "$(rs-show s.mp | sed 1d | tr -d 'um' | md5sum)" "$(rs-show n.mp | sed 1d | md5sum)"
	assert_equal "$(rs-show --header s.mp | jq -c '[.version, .users.ids[0], .items.ids[0]]')" '[2,"u196","m242"]'
	mf-train -q -o a.bin < n.mp
	mf-train -q -o b.bin < s.mp
	assert_equal "$(rs-eval -m b.bin < s.mp | tail -n +2)" "$(rs-eval -m a.bin < n.mp | tail -n +2)"
	ml-split -q --split seq-aware ustr.csv > sq.mp
	ml-split -q --split seq-aware < "$UDATA" > nq.mp
	als-train -q -o a.bin < nq.mp
	als-train -q -o b.bin < sq.mp
	assert_equal "$(rs-eval --rank -m b.bin < sq.mp | tail -n +2)" "$(rs-eval --rank -m a.bin < nq.mp | tail -n +2)"
	mf-train -q --loss bpr --epochs 5 -o a.bin < nq.mp
	mf-train -q --loss bpr --epochs 5 -o b.bin < sq.mp
	assert_equal "$(rs-eval --rank -m b.bin < sq.mp | tail -n +2)" "$(rs-eval --rank -m a.bin < nq.mp | tail -n +2)"
	# raw string ids in and out
	run rs-recommend -m b.bin -k 2 -U u196 < sq.mp
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_regex "${lines[1]}" $'^u196\t1\tm[0-9]+\t'
}

@test "ml-split: a log's layout read off line 1, said on stderr; --columns, --sep and --header say it" {
	small_log > log.csv
	run --separate-stderr ml-split --split seq-aware log.csv
	assert_success
	assert_equal "$stderr" "ml-split: 1 users with a single event: kept in train, none of it test
ml-split: 9 events, 4 users, 4 items: 6 train, 3 test; 1 line skipped (1 header)"
	assert_equal "$(ml-split -q log.csv | rs-show --header | jq -c '[.version, .target, .columns]')" \
		'[2,"implicit",["split","user","item","ts"]]'
	# no header: the count says user,item,ts (a unix time in the third field)
	printf 'u1 i1 1500000000\nu1   i2 1500000001\n' > spaces.txt
	run --separate-stderr ml-split spaces.txt
	assert_success
	assert_equal "${stderr%%$'\n'*}" "ml-split: spaces.txt: columns user,item,ts (read off line 1's 3 fields; --columns names them)"
	assert_equal "$(ml-split -q spaces.txt | rs-show | cut -f2-4 | tail -1)" "u1	i2	1500000001"
	# said: item and user swapped, a field skipped, '::' and a declared header
	printf 'h1::h2::h3::h4\ni9::x::u9::4\n' > said.dat
	assert_equal "$(ml-split -q --columns item,-,user,rating --header said.dat | rs-show | tail -1 | cut -f2-4)" "u9	i9	4"
	printf 'u1;i1;5\n' > semi.txt
	assert_equal "$(ml-split -q --sep ';' --columns user,item,rating semi.txt | rs-show | tail -1 | cut -f2-4)" "u1	i1	5"
}

@test "ml-split: --dedupe, the k-core and the time split count what they do" {
	small_log > log.csv
	run --separate-stderr bash -c "ml-split --dedupe first log.csv > /dev/null"
	assert_success
	assert_equal "${stderr%%$'\n'*}" "ml-split: --dedupe first: 1 repeated events dropped"
	# first in time: ann's x at 10 stays, at 30 goes
	assert_equal "$(ml-split -q --dedupe first log.csv | rs-show | awk -F'\t' '$2 == "ann" && $3 == "x" { print $4 }')" 10
	assert_equal "$(ml-split -q --dedupe last log.csv | rs-show | awk -F'\t' '$2 == "ann" && $3 == "x" { print $4 }')" 30
	# users with 2+ events and items with 2+: dan and w go (round 1), nothing
	# after; users with 3+: bob and dan go, and w with dan
	run --separate-stderr bash -c "ml-split --min-user 2 --min-item 2 log.csv > /dev/null"
	assert_equal "${stderr%%$'\n'*}" "ml-split: --min-user 2 --min-item 2: 1 events, 1 users and 1 items dropped in 1 rounds"
	run --separate-stderr bash -c "ml-split --min-user 3 log.csv > /dev/null"
	assert_equal "${stderr%%$'\n'*}" "ml-split: --min-user 3 --min-item 0: 3 events, 2 users and 1 items dropped in 1 rounds"
	assert_equal "$(ml-split -q --min-user 3 log.csv | rs-show | sed 1d | cut -f2 | sort -u | tr '\n' ' ')" "ann cid "
	# 3+ users and 2+ items unravel it all: z (cid's alone), then cid, then
	# y (ann's alone), then ann, over 5 rounds
	run --separate-stderr bash -c "ml-split --min-user 3 --min-item 2 log.csv > out.mp"
	assert_failure 1
	assert_equal "$stderr" "ml-split: --min-user 3 --min-item 2: 9 events, 4 users and 4 items dropped in 5 rounds
ml-split: log.csv: no events left after --min-user 3 --min-item 2"
	# the latest 30%: 3 of 9 events, ts 30 and after
	run --separate-stderr ml-split --split time --test-ratio 0.3 log.csv
	assert_equal "${stderr%%$'\n'*}" "ml-split: --split time: test from ts 30 on"
	assert_equal "$(ml-split -q --split time --test-ratio 0.3 log.csv | rs-show | awk -F'\t' '$1 == 1 { print $4 }' | sort -n | tr '\n' ' ')" "30 32 40 "
}

@test "an implicit stream: the ranking trainers take it, the rating and click trainers refuse it by name" {
	small_log > log.csv
	ml-split -q --split seq-aware log.csv > log.mp
	for t in mf-train fm-train deepfm-train "fm-train --method mcmc"; do
		run --separate-stderr $t -o no.bin < log.mp
		assert_failure 1
		assert_equal "$stderr" "${t%% *}: stdin:header: the stream is an event log without ratings (every record a positive); train a ranking model: als-train, or mf-train, fm-train or deepfm-train --loss bpr"
		assert [ ! -e no.bin ]
	done
	als-train -q --iters 2 -o als.bin < log.mp
	# a ranking model is ranked; a rating model's metrics on a log are refused
	assert_equal "$(rs-eval -q -m als.bin < log.mp)" "$(rs-eval -q --rank -m als.bin < log.mp)"
	printf 'ann\tx\t3\t1\nann\ty\t4\t2\nbob\tx\t5\t3\nbob\ty\t2\t4\n' | ml-split -q --split seq-aware > rated.mp
	mf-train -q --epochs 1 --valid-ratio 0 --early-stop 0 -o mf.bin < rated.mp
	run --separate-stderr rs-eval -m mf.bin < log.mp
	assert_failure 1
	assert_equal "$stderr" "rs-eval: stdin:header: the stream is an event log without ratings (every record a positive): rank it (rs-eval --rank)"
	mf-train -q --loss bpr --epochs 2 --valid-ratio 0 --early-stop 0 -o bpr.bin < log.mp
	assert_equal "$(rs-eval -q --rank -m als.bin < log.mp | tail -1)" "n	3"
	assert_equal "$(rs-recommend -q -m bpr.bin -U ann -k 1 < log.mp | sed 1d | cut -f1,2)" "ann	1"
}

@test "ml-split: bad logs, one line naming the file and line, exit 1, nothing written" {
	refused() {   # refused ARGS INPUT MESSAGE
		printf "$2" > in.txt
		run --separate-stderr bash -c "ml-split $1 in.txt > out.mp"
		assert_failure 1
		assert_equal "$stderr" "$3"
		assert_equal "$(stat -c %s out.mp)" 0
	}
	refused "" 'item,ts\nx,1\n' "ml-split: in.txt:1: the header names no user and item column; use --columns" 
	refused "--header" 'a,b,c\nx,y,1\n' "ml-split: in.txt:1: the header names no user and item column; use --columns"
	refused "--columns user,item,ts" 'u,i,1\nu,i\n' "ml-split: in.txt:2: expected 3 fields (user, item, timestamp), found 2"
	refused "" 'u,i,1500000000\n,i,1500000001\n' "ml-split: in.txt:2: empty user id"
	refused "" "u,$(printf '%0300d' 1)x,1500000000\n" "ml-split: in.txt:1: item id of 301 bytes, over the limit of 255"
	run --separate-stderr ml-split --columns item,ts in.txt
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-split: option --columns: the columns need user and item"
	run --separate-stderr ml-split --columns user,item,user in.txt
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-split: option --columns: 'user' is named twice"
}

# synthlog (../shared/peers, beside the data): a log as users bring it,
# 'u17<TAB>i42<TAB>1500000003', no rating; issue 19's 1M-event log at a
# fifth of its size, through the pipeline with no edit of the file
@test "synthlog as written: ml-split --split seq-aware | ml-onehot --history 3 | fm-train --loss bpr, and als-train; both ranked; string ids out" {
	peers="$(dirname "$ML100K_DIR")/../peers"
	[ -f "$peers/synthlog.c" ] || skip "no synthlog.c in $peers"
	cc -O2 -o synthlog "$peers/synthlog.c" -lm
	./synthlog 200000 4000 1000 7 > log.tsv
	assert_regex "$(head -1 log.tsv)" $'^u[0-9]+\ti[0-9]+\t[0-9]+$'
	ml-split -q --split seq-aware log.tsv > log.mp
	ml-onehot -q --history 3 < log.mp > hist.mp
	fm-train -q --loss bpr --epochs 1 -o seq.bin < hist.mp
	als-train -q --iters 3 -o als.bin < log.mp
	users=$(rs-show --header log.mp | jq '.users.count')
	for m in seq.bin:hist.mp als.bin:log.mp; do
		run --separate-stderr rs-eval --rank -m "${m%%:*}" < "${m#*:}"
		assert_success
		# every user with two events or more has a test item ranked
		assert_regex "${lines[7]}" '^n	[0-9]+$'
		assert [ "${lines[7]#n	}" -gt $((users * 9 / 10)) ]
	done
	run --separate-stderr rs-recommend -q -m seq.bin -U u17 -k 10 < hist.mp
	assert_success
	assert_equal "${#lines[@]}" 11
	assert_regex "${lines[1]}" $'^u17\t1\ti[0-9]+\t'
}

@test "ml-split: a NUL, a tab or a quoted line break inside a field is refused with the file and line, nothing written" {
	refused ml-split <(printf '1,1,4,1\n1,2,3\0garbage,2\n') "ml-split: stdin:2: field 3 holds a NUL byte"
	refused ml-split <(printf 'x\0y,1\nx\0z,2\n') "ml-split: stdin:1: the line holds a NUL byte"
	refused ml-split <(printf 'a,i1,4,1\nb\tc,i2,3,2\n') "ml-split: stdin:2: field 1 holds a tab"
	refused ml-split <(printf 'a i1 4 1\nb\tc i2 3 2\n') "ml-split: stdin:2: field 1 holds a tab"
	refused ml-split <(printf 'a,i1,4,1\n"b\nc",i2,3,2\n') "ml-split: stdin:3: field 1 holds a line break"
	# a tab is TSV's separator, not a field's byte
	run --separate-stderr bash -c "printf 'a\ti1\t4\t1\nb\ti2\t3\t2\n' | ml-split | rs-show"
	assert_success
	assert_equal "$(echo "$output" | awk -F'\t' '{ print NF }' | sort -u)" 5
}

@test "ml-split: a byte-order mark is dropped; '#' lines before the data, blank lines and a header are skipped and counted" {
	printf '\357\273\277# exported 2024\n# by a tool\n\nuser,product,ts\n1,5,10\n\n2,6,20\n1,6,30\n' > log.csv
	run --separate-stderr bash -c "ml-split --split seq-aware log.csv | rs-show --header | jq -c '[.users.ids, .items.ids, .columns]'"
	assert_success
	assert_equal "$output" '[[1,2],[5,6],["split","user","item","ts"]]'
	assert_equal "$stderr" "ml-split: 1 users with a single event: kept in train, none of it test
ml-split: 3 events, 2 users, 2 items: 2 train, 1 test; 5 lines skipped (2 blank, 2 comment, 1 header)"
	# a mark before numeric ids: the ids stay numbers
	printf '\357\273\2771,1,4,1\n1,2,3,2\n' | ml-split -q > b.mp
	assert_equal "$(rs-show --header b.mp | jq -c '[.version, .users.ids]')" '[1,[1]]'
}

@test "ml-split: names over numbers are a header; a name no column has is refused, naming it, with --columns as the hint" {
	refused ml-split <(printf 'visitor,product\n1,5\n2,6\n') \
		"ml-split: stdin:1: header column 'visitor' is none of user, item, rating, ts (or their usual names, as userId or timestamp); name the fields with --columns"
	refused ml-split <(printf '# exported\nvisitor,product\n1,5\n') \
		"ml-split: stdin:2: header column 'visitor' is none of user, item, rating, ts (or their usual names, as userId or timestamp); name the fields with --columns"
	# --columns names them: the line of names is still a header, skipped
	run --separate-stderr bash -c "printf 'visitor,product\n1,5\n2,6\n' | ml-split --columns user,item | rs-show --header | jq -c .users.ids"
	assert_success
	assert_equal "$output" '[1,2]'
	assert_equal "$stderr" "ml-split: 2 events, 2 users, 2 items: 2 train, 0 test; 1 line skipped (1 header)"
	# names over names: string ids, no header
	assert_equal "$(printf 'visitor,product\nann,x\n' | ml-split -q | rs-show --header | jq -c .users.ids)" '["visitor","ann"]'
}

@test "ml-split: ISO-8601 dates and times in a ts column are unix seconds, UTC unless an offset is given" {
	printf 'a,x,2020-01-01\nb,x,2020-01-01T10:00:00\nc,x,2020-01-01T10:00:00Z\nd,x,2020-01-01T10:00:00+02:00\ne,x,1970-01-02T00:00-0130\nf,x,2020-02-29 23:59:59.75\ng,x,12\n' > t.csv
	run --separate-stderr bash -c "ml-split t.csv | rs-show | cut -f2,4"
	assert_success
	# date -u -d 2020-01-01 +%s is 1577836800; 86400 + 5400 for the -01:30
	assert_equal "$output" "user	ts
a	1577836800
b	1577872800
c	1577872800
d	1577865600
e	91800
f	1583020799
g	12"
	assert_equal "${stderr%%$'\n'*}" "ml-split: t.csv: columns user,item,ts (read off line 1's 3 fields; --columns names them)"
	refused "ml-split --columns user,item,ts" <(printf 'a,x,2021-02-29\n') \
		"ml-split: stdin:1: timestamp '2021-02-29' is neither an integer nor an ISO-8601 date and time"
	refused "ml-split --columns user,item,ts" <(printf 'a,x,2020-01-01T25:00\n') \
		"ml-split: stdin:1: timestamp '2020-01-01T25:00' is neither an integer nor an ISO-8601 date and time"
}

@test "ml-split: a split option with --train and --test is a usage error" {
	printf '1,1,4,1\n' > a.csv
	for opt in "--split seq-aware" "--split random" "--test-ratio 0.2" "--seed 3"; do
		run --separate-stderr ml-split $opt --train a.csv --test a.csv
		assert_failure 2
		assert_equal "$stderr" "ml-split: ${opt%% *} does not apply to --train and --test: their events are split already
Try 'ml-split --help' for more information."
		assert_equal "$output" ""
	done
}
