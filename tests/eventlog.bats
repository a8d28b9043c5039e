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
ml-split: 9 events, 4 users, 4 items: 6 train, 3 test"
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
