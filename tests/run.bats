#!/usr/bin/env bats
# make run end to end on a 2,000-rating slice; rs-recommend, rs-predict and
# the ranking metrics of rs-eval.

setup() {
	load helper
	need_ml100k
	: "${BUILDDIR:=$BATS_TEST_DIRNAME/../build}"
}

run_slice() {   # the experiments on the first 2000 ratings, two seeds
	make -C "$BATS_TEST_DIRNAME/.." --no-print-directory run-all BINDIR="$BINDIR" \
		BUILDDIR="$BUILDDIR" ML100K_DIR="$ML100K_DIR" RUN="$1" RUN_RATINGS=2000 SEEDS="1 2"
}

@test "make run: report, one learning curve per model, and nothing redone the second time" {
	r=$BATS_TEST_TMPDIR/run
	run run_slice "$r"
	assert_success
	assert_output --partial "report: $r/report.md"
	# the first 2000 ratings less those of users with fewer than 3 of them
	few=$(head -n 2000 "$UDATA" | cut -f1 | sort | uniq -c | awk '$1 < 3 { s += $1 } END { print s }')
	assert [ "$few" -gt 0 ]
	assert_equal "$(wc -l < "$r/u.data")" $((2000 - few))
	assert_equal "$(cut -f1 "$r/u.data" | sort | uniq -c | awk '$1 < 3' | wc -l)" 0
	rows=$(grep -c '^| \(mf\|fm\|deepfm\) | \(rating\|click\) |' "$r/report.md")
	assert_equal "$rows" 16
	# the rating models scored against clicks: mf and the Bayesian FMs
	assert_equal "$(grep -c '^| \(mf\|fm --method mcmc\) | [a-z +]* | [0-9.]* ± [0-9.]* | [0-9.]* ± [0-9.]* |$' "$r/report.md")" 3
	# the ranking table: the baseline, then each ranking model over both seeds
	assert_equal "$(grep -c '^| popularity | [0-9.]* |' "$r/report.md")" 1
	assert_equal "$(grep -c '^| \(mf\|fm\|bpr-mf\|bpr-fm\|seq-fm\|seq\|als\) | [0-9.]* +- [0-9.]* |' "$r/report.md")" 7
	for m in mf-d2l mf fm-d2l fm fmside-d2l fmside deepfm-d2l deepfm deepfmside-d2l deepfmside \
		bfmr bfmrside bfmrimpl bfmrtime bfm bfmside; do
		assert_equal "$(head -c 8 "$r/$m-1.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
		assert [ "$(stat -c %s "$r/$m-1.png")" -gt 5000 ]
		grep -q "^| .* \[png\]($m-1.png) |$" "$r/report.md"
	done
	# the README's results tables (all but the report's hyperparameters)
	# have the report's rows, in its order
	rows() { awk -f "$BATS_TEST_DIRNAME/table-rows.awk" "$1" | grep -v '^| model | configuration | hyperparameters |'; }
	rows "$r/report.md" > "$r/report.rows"
	rows "$BATS_TEST_DIRNAME/../README.md" | awk -F'\t' 'NR == FNR { h[$1]; next } $1 in h' "$r/report.rows" - > "$r/readme.rows"
	assert_equal "$(cut -f1 "$r/report.rows" | sort -u | wc -l)" 3
	assert_equal "$(cat "$r/readme.rows")" "$(cat "$r/report.rows")"
	run run_slice "$r"
	assert_success
	refute_output --partial "train -q"
	refute_output --partial "rs-eval"
}

@test "rs-recommend: k new items per user, never one rated in train, scores as rs-predict's" {
	s=$(split_stream)
	mf-train -q --epochs 3 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	rs-recommend -m "$BATS_TEST_TMPDIR/mf.bin" -k 7 < "$s" > "$BATS_TEST_TMPDIR/out"
	# a header line naming the columns, then the lists
	assert_equal "$(head -n 1 "$BATS_TEST_TMPDIR/out")" "#user	rank	item	score"
	sed 1d "$BATS_TEST_TMPDIR/out" > "$BATS_TEST_TMPDIR/rec"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/rec")" $((943 * 7))
	run bash -c "cut -f1 '$BATS_TEST_TMPDIR/rec' | sort | uniq -c | awk '\$1 != 7' | wc -l"
	assert_output 0
	# train pairs by raw id
	rs-show "$s" | awk -F'\t' 'NR > 1 && $1 == 0 { print $2 "\t" $3 }' | sort > "$BATS_TEST_TMPDIR/train.raw"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/train.raw")" 90000
	run bash -c "cut -f1,3 '$BATS_TEST_TMPDIR/rec' | sort | comm -12 - '$BATS_TEST_TMPDIR/train.raw' | wc -l"
	assert_output 0
	# the same pairs through rs-predict give the same scores
	cut -f1,3 "$BATS_TEST_TMPDIR/rec" | rs-predict -m "$BATS_TEST_TMPDIR/mf.bin" > "$BATS_TEST_TMPDIR/pred"
	cmp <(cut -f1,3,4 "$BATS_TEST_TMPDIR/rec") "$BATS_TEST_TMPDIR/pred"
	# ranks run 1..k with non-increasing scores
	run awk -F'\t' '$2 != (NR - 1) % 7 + 1 || ($2 > 1 && $4 > prev) { bad++ } { prev = $4 } END { print bad + 0 }' "$BATS_TEST_TMPDIR/rec"
	assert_output 0
}

@test "rs-recommend: titles from u.item, and side-feature models score with the side files" {
	c=$(side_stream)
	fm-train -q --epochs 2 --valid-ratio 0 --early-stop 0 < "$c" > "$BATS_TEST_TMPDIR/fm.bin"
	run rs-recommend -m "$BATS_TEST_TMPDIR/fm.bin" -k 3 -U 196 -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < "$c"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 "#user	rank	item	score	title"
	assert_line --index 1 --regexp '^196	1	[0-9]+	0\.[0-9]+	.+ \([0-9]{4}\)$'
	run rs-recommend -m "$BATS_TEST_TMPDIR/fm.bin" -U 196 < "$c"
	assert_failure 2
	assert_line --index 0 "rs-recommend: the model uses user side features: give --users u.user"
}

@test "rs-recommend and rs-predict refuse unknown users; --cold falls back to the biases" {
	s=$(split_stream)
	mf-train -q --epochs 2 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/mf.bin" -U 99999 < "$s"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: user 99999 is not in the model $BATS_TEST_TMPDIR/mf.bin"
	run --separate-stderr bash -c "printf '196\t242\n99999\t242\n' | rs-predict -m '$BATS_TEST_TMPDIR/mf.bin'"
	assert_failure 1
	assert_equal "$stderr" "rs-predict: stdin:2: user 99999 is not in the model (--unknown skip leaves it out, --unknown cold scores it from the other side alone)"
	run bash -c "printf '99999\t242\n' | rs-predict --unknown cold -m '$BATS_TEST_TMPDIR/mf.bin'"
	assert_success
	assert_output --regexp '^99999	242	[0-9.]+$'
}

@test "rs-predict --serve: each pair's score as rs-predict prints it, a new user's as rs-recommend --liked gives it; bad lines answered with an error" {
	s=$(split_stream)
	d=$BATS_TEST_TMPDIR
	mf-train -q --epochs 2 < "$s" > "$d/mf.bin"
	head -n 1000 "$UDATA" | cut -f1,2 > "$d/pairs"
	rs-predict -q -m "$d/mf.bin" "$d/pairs" > "$d/want"
	{ sed -n '1,500p' "$d/pairs"; sed -n '501,1000p' "$d/pairs" | awk -F'\t' '{ print "{\"user\": \"" $1 "\", \"item\": " $2 "}" }'; } |
		rs-predict --serve -m "$d/mf.bin" | jq -r '"\(.user)\t\(.item)\t\(.score)"' > "$d/got"
	# the same pairs in order, and the same float32 scores (rs-predict prints
	# 6 digits: within half a unit of the 6th)
	assert_equal "$(cut -f1,2 "$d/got")" "$(cut -f1,2 "$d/want")"
	assert_equal "$(paste "$d/got" "$d/want" | awk -F'\t' '{ e = $3 - $6; if (e < 0) e = -e; if (e > 5e-6 * $6) bad++ } END { print NR, bad + 0 }')" "1000 0"
	liked=$(printf '{"liked": ["50", "181"], "item": "172"}' | rs-predict --serve -m "$d/mf.bin" | jq -r .score)
	assert_equal "$(awk -v x="$liked" 'BEGIN { printf "%.6g", x }')" \
		"$(rs-recommend -m "$d/mf.bin" --liked 50,181 -k 1682 | awk -F'\t' '$3 == 172 { print $4 }')"
	run rs-predict --serve -m "$d/mf.bin" <<< $'99999 1\n196 242 7\n{"user": "196"}\n{"user": "196", "item": "242", "k": 2}'
	assert_success
	assert_output '{"error": "user 99999 is not in the model", "line": 1}
{"error": "bare ids are a user, or a user and an item", "line": 2}
{"error": "a request names an item and the user, or the items a new user liked (with an id for them or not)", "line": 3}
{"error": "a request names an item and the user, or the items a new user liked (with an id for them or not)", "line": 4}'
	# a labelled new user: the label is echoed, the score the same
	run rs-predict --serve -m "$d/mf.bin" <<< '{"user": "new1", "liked": ["50", "181"], "item": "172"}'
	assert_output --regexp '^\{"user": "new1", "liked": \["50", "181"\], "item": "172", "score": '"$liked"'\}$'
	run rs-predict --serve --unknown cold -m "$d/mf.bin" <<< '99999 242'
	assert_output --regexp '^\{"user": "99999", "item": "242", "score": [0-9.]+\}$'
	run --separate-stderr rs-predict --serve -m "$d/mf.bin" "$d/pairs"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: --serve reads its requests on stdin: no FILE, no --json, no --liked"
}

@test "rs-predict --unknown skip leaves out and counts the pairs of unknown ids; ratings and timestamps checked as ml-split does" {
	s=$(split_stream)
	mf-train -q --epochs 2 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	m=$BATS_TEST_TMPDIR/mf.bin
	printf '196\t242\n99999\t1\n196\t99999\n186\t302\n' > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr rs-predict --unknown skip -m "$m" "$BATS_TEST_TMPDIR/p"
	assert_success
	assert_equal "$(echo "$output" | cut -f1,2)" "196	242
186	302"
	assert_equal "$stderr" "rs-predict: 2 pairs skipped: an id not in the model $m"
	# the scores of the pairs kept are those of the pairs alone
	assert_equal "$output" "$(printf '196\t242\n186\t302\n' | rs-predict -q -m "$m")"
	run --separate-stderr bash -c "printf '196::242::4E50\n' | rs-predict -m '$m'"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "rs-predict: stdin:1: rating '4E50' is out of float range"
	run --separate-stderr bash -c "printf '196\t242\t3\t881250949\n196\t242\t3\tnoon\n' | rs-predict -m '$m'"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "rs-predict: stdin:2: timestamp 'noon' is not an integer"
	run --separate-stderr rs-predict --unknown maybe -m "$m" "$BATS_TEST_TMPDIR/p"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: option --unknown: 'maybe' is not one of fail, skip, cold"
}

# Ratings where item 1's score is fixed by its train ratings: users 1-20 hold
# item 1 out as test; users 21-40 rate it VALUE in train; every user rates
# items 2-6 with 3, and users 41-45 rate items 7-30 with 3.
ranking_data() {
	d=$BATS_TEST_TMPDIR
	: > "$d/train"
	for u in $(seq 1 45); do
		for i in 2 3 4 5 6; do printf '%d\t%d\t3\t1\n' "$u" "$i" >> "$d/train"; done
	done
	for u in $(seq 21 40); do printf '%d\t1\t%d\t1\n' "$u" "$1" >> "$d/train"; done
	for u in 41 42 43 44 45; do for i in $(seq 7 30); do printf '%d\t%d\t3\t1\n' "$u" "$i" >> "$d/train"; done; done
	for u in $(seq 1 20); do printf '%d\t1\t5\t2\n' "$u"; done > "$d/test"
	ml-split -q --train "$d/train" --test "$d/test" > "$d/s.mp"
	mf-train -q --factors 0 --epochs 200 --lr 0.05 --valid-ratio 0 --early-stop 0 < "$d/s.mp" > "$d/m.bin"
}

@test "rs-eval --rank: a test item scored highest gives HR@10 = NDCG@10 = 1" {
	ranking_data 5
	run rs-eval -m "$BATS_TEST_TMPDIR/m.bin" --rank < "$BATS_TEST_TMPDIR/s.mp"
	assert_success
	assert_output "model	$BATS_TEST_TMPDIR/m.bin
hr@10	1.000000
ndcg@10	1.000000
precision@10	0.100000
recall@10	1.000000
map@10	1.000000
mrr	1.000000
n	20"
	run rs-eval -m "$BATS_TEST_TMPDIR/m.bin" --rank --negatives 99 --json < "$BATS_TEST_TMPDIR/s.mp"
	assert_output '{"model": "'"$BATS_TEST_TMPDIR"'/m.bin", "hr@10": 1, "ndcg@10": 1, "precision@10": 0.1, "recall@10": 1, "map@10": 1, "mrr": 1, "n": 20}'
}

@test "rs-eval --rank --at: HR, NDCG, precision, recall and MAP at each cut-off, by hand" {
	# popularity ranks items 1-5 by 5..1 train records; user 1 (train item 6)
	# has test items 2 and 4 at ranks 2 and 4 of their candidates
	d=$BATS_TEST_TMPDIR
	for i in 1 2 3 4 5; do
		for u in $(seq 10 $((15 - i))); do printf '%d\t%d\t1\t1\n' "$u" "$i"; done
	done > "$d/train"
	printf '1\t6\t1\t1\n' >> "$d/train"
	printf '1\t2\t1\t2\n1\t4\t1\t2\n' > "$d/test"
	ml-split -q --train "$d/train" --test "$d/test" > "$d/s.mp"
	run rs-eval --rank --baseline popularity --at 1,3,5 < "$d/s.mp"
	assert_success
	# k=3: one hit at 2: ndcg (1/log2 3) / (1 + 1/log2 3), map (1/2) / 2;
	# k=5: hits at 2 and 4: ndcg (1/log2 3 + 1/log2 5) / (1 + 1/log2 3), map (1/2 + 2/4) / 2
	assert_output "baseline	popularity
hr@1	0.000000
ndcg@1	0.000000
precision@1	0.000000
recall@1	0.000000
map@1	0.000000
hr@3	1.000000
ndcg@3	0.386853
precision@3	0.333333
recall@3	0.500000
map@3	0.250000
hr@5	1.000000
ndcg@5	0.650921
precision@5	0.400000
recall@5	1.000000
map@5	0.500000
mrr	0.500000
n	1"
	run rs-eval --rank --baseline popularity --at 1,x < "$d/s.mp"
	assert_failure 2
	assert_line --index 0 "rs-eval: option --at: '1,x' is not a comma-separated list of integers"
}

@test "rs-eval --rank: a test item scored lowest gives HR@10 = NDCG@10 = 0" {
	ranking_data 1
	run rs-eval -m "$BATS_TEST_TMPDIR/m.bin" --rank -k 10 < "$BATS_TEST_TMPDIR/s.mp"
	assert_success
	assert_line --index 1 "hr@10	0.000000"
	assert_line --index 2 "ndcg@10	0.000000"
	assert_line --index 6 "mrr	0.040000"
	assert_line "n	20"
}

@test "rs-recommend's top 10 hit each user's latest item as often as rs-eval --rank's hr@10 says" {
	s="$BATS_TEST_TMPDIR/seq.mp"
	ml-split -q --split seq-aware < "$UDATA" > "$s"
	# each user's test item found independently: the latest rating, ties to the later line
	awk -F'\t' '!($1 in t) || $4 >= t[$1] { t[$1] = $4; it[$1] = $2 } END { for (u in it) print u "\t" it[u] }' \
		"$UDATA" | sort > "$BATS_TEST_TMPDIR/test"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/test")" 943
	mf-train -q --epochs 5 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	als-train -q --iters 3 < "$s" > "$BATS_TEST_TMPDIR/als.bin"
	# the sequential FM ranks in each user's context: their last 3 train items
	h="$BATS_TEST_TMPDIR/hist.mp"
	ml-onehot -q --history 3 < "$s" > "$h"
	fm-train -q --loss bpr --epochs 2 < "$h" > "$BATS_TEST_TMPDIR/seq.bin"
	for src in "--baseline popularity" "-m $BATS_TEST_TMPDIR/mf.bin" "-m $BATS_TEST_TMPDIR/als.bin" \
		   "-m $BATS_TEST_TMPDIR/seq.bin"; do
		in=$s
		[ "${src##*/}" = seq.bin ] && in=$h
		rs-recommend $src -k 10 --exclude train < "$in" | sed 1d | cut -f1,3 | sort > "$BATS_TEST_TMPDIR/rec"
		assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/rec")" 9430
		hits=$(comm -12 "$BATS_TEST_TMPDIR/rec" "$BATS_TEST_TMPDIR/test" | wc -l)
		run rs-eval --rank $src < "$in"
		assert_line --index 1 "hr@10	$(awk -v h="$hits" 'BEGIN { printf "%.6f", h / 943 }')"
		echo "$src: $hits of 943 users hit" >&3
	done
	# popularity with the issue's figures (most popular items: 0.086, 0.045)
	run rs-eval --rank --baseline popularity < "$s"
	assert_line --index 0 "baseline	popularity"
	assert_line --index 1 "hr@10	0.085896"
	assert_line --index 2 "ndcg@10	0.044913"
	assert_line --index 4 "recall@10	0.085896"
	assert_line --index 6 "mrr	0.041612"
	assert_line "n	943"
}

@test "--baseline: goes with --rank, takes the place of a model" {
	run --separate-stderr rs-eval --baseline popularity < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-eval: --baseline goes with --rank and takes the place of -m"
	run --separate-stderr rs-recommend --baseline nope < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: option --baseline: 'nope' is not popularity"
	run --separate-stderr rs-recommend < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: a model is needed (-m MODEL), or --baseline popularity"
}

@test "rs-recommend --json: one object per user with the TSV lists' items and scores; popularity's score is a share of train records" {
	s=$(split_stream)
	mf-train -q --epochs 2 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	rs-recommend -m "$BATS_TEST_TMPDIR/mf.bin" -U 196 -U 186 -k 5 "$s" > "$BATS_TEST_TMPDIR/tsv"
	rs-recommend -m "$BATS_TEST_TMPDIR/mf.bin" -U 196 -U 186 -k 5 --json "$s" > "$BATS_TEST_TMPDIR/json"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/json")" 2
	assert_equal "$(jq -r '.user as $u | .items | to_entries[] | "\($u)\t\(.key + 1)\t\(.value.item)"' "$BATS_TEST_TMPDIR/json")" \
		"$(sed 1d "$BATS_TEST_TMPDIR/tsv" | cut -f1-3)"
	# the most popular item (50, Star Wars) counted independently among the train records
	n=$(rs-show "$s" | awk -F'\t' 'NR > 1 && $3 == 50 && $1 == 0' | wc -l)
	assert_equal "$(rs-show "$s" | awk -F'\t' 'NR > 1 && $1 == 0' | wc -l)" 90000
	run rs-recommend --baseline popularity -U 196 -k 1 "$s"
	assert_output "#user	rank	item	score
196	1	50	$(awk -v n="$n" 'BEGIN { printf "%.6g", n / 90000 }')"
}

@test "rs-recommend --serve: 10,000 requests answered with the lists of one run per user; a bad line gets one error line and the rest are answered" {
	s=$(split_stream)
	d=$BATS_TEST_TMPDIR
	mf-train -q --epochs 2 < "$s" > "$d/mf.bin"
	rs-recommend -m "$d/mf.bin" -k 5 --json "$s" > "$d/all"
	assert_equal "$(wc -l < "$d/all")" 943
	# ML-100K's users drawn at random, every 100th as a JSON object with its
	# own k (3), and one line of bad JSON at 5,000
	awk 'BEGIN { srand(11); for (r = 1; r <= 10000; r++) { u = int(rand() * 943) + 1
		if (r == 5000) print "{\"user\": 1"; else if (r % 100) print u; else print "{\"user\": \"" u "\", \"k\": 3}" } }' > "$d/req"
	rs-recommend --serve -m "$d/mf.bin" -k 5 "$s" < "$d/req" > "$d/out"
	assert_equal "$(wc -l < "$d/out")" 10000
	sed -n 5000p "$d/out" | grep -q '^{"error": "not JSON: .*", "line": 5000}$'
	jq -c '{user, items: .items[:3]}' "$d/all" > "$d/all3"
	awk -F'"' 'FILENAME == ARGV[1] { l[$4] = $0; next } FILENAME == ARGV[2] { t[$4] = $0; next }
		FNR == 5000 { next } /^{/ { print t[$4]; next } { print l[$1] }' "$d/all" "$d/all3" "$d/req" > "$d/want"
	sed 5000d "$d/out" | jq -c . > "$d/got"
	jq -c . "$d/want" | cmp - "$d/got"
	# and one run per user, for the first 20 users asked
	for u in $(head -n 20 "$d/req"); do
		rs-recommend -m "$d/mf.bin" -k 5 -U "$u" --json "$s"
	done | cmp - <(head -n 20 "$d/out")
	# new users and similar items as --liked and --similar give them; errors
	# name the request's line, and the ids and keys it got wrong
	printf '%s\n' '{"liked": ["50", 181], "k": 4}' '{"similar": 50, "k": 2}' 'x"y' '{"user": 1.5}' \
		'{"user": "1", "similar": "2"}' '{"name": "1"}' '{"k": 0, "user": 1}' '' '1 2 3' \
		| rs-recommend --serve -m "$d/mf.bin" "$s" > "$d/out2"
	assert_equal "$(sed -n 1p "$d/out2")" "$(rs-recommend -m "$d/mf.bin" --liked 50,181 -k 4 --json)"
	assert_equal "$(sed -n 2p "$d/out2")" "$(rs-recommend -m "$d/mf.bin" --similar 50 -k 2 --json)"
	assert_equal "$(sed -n '3,$p' "$d/out2")" "{\"error\": \"user x\\\"y is not in the model $d/mf.bin\", \"line\": 3}
{\"error\": \"\\\"user\\\" holds an id: a string or an integer of 1 to 255 bytes\", \"line\": 4}
{\"error\": \"a request names a user, the items a new user liked (with an id for them or not) or an item to match (similar), and k\", \"line\": 5}
{\"error\": \"unknown key \\\"name\\\" (user, item, liked, similar, k)\", \"line\": 6}
{\"error\": \"\\\"k\\\" is an integer from 1 to 100000\", \"line\": 7}
{\"error\": \"empty request\", \"line\": 8}
{\"error\": \"bare ids are a user, or a user and an item\", \"line\": 9}"
	run --separate-stderr rs-recommend --serve -m "$d/mf.bin" < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: --serve reads requests on stdin: the stream is a file operand"
}

@test "rs-recommend --exclude-items and --candidates: the full ranking with those items struck out, or only those kept" {
	s=$(split_stream)
	mf-train -q --epochs 2 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	m=$BATS_TEST_TMPDIR/mf.bin
	d=$BATS_TEST_TMPDIR
	rs-recommend -q -m "$m" -U 196 -U 186 -k 1682 "$s" | sed 1d | cut -f1,3,4 > "$d/all"
	printf '%s\n' 1 50 100 181 258 294 313 318 nosuch '' > "$d/list"
	run --separate-stderr rs-recommend -m "$m" -U 196 -U 186 -k 5 --exclude-items "$d/list" "$s"
	assert_success
	assert_equal "$stderr" "rs-recommend: $d/list: 1 items not in the model: ignored"
	assert_equal "$(echo "$output" | sed 1d | cut -f1,3,4)" \
		"$(awk 'NR == FNR { no[$1] = 1; next } !($2 in no) && n[$1]++ < 5' "$d/list" "$d/all")"
	run --separate-stderr rs-recommend -m "$m" -U 196 -U 186 -k 3 --candidates "$d/list" "$s"
	assert_success
	assert_equal "$(echo "$output" | sed 1d | cut -f1,3,4)" \
		"$(awk 'NR == FNR { ok[$1] = 1; next } ($2 in ok) && n[$1]++ < 3' "$d/list" "$d/all")"
	run --separate-stderr rs-recommend -m "$m" --similar 50 -k 3 --candidates "$d/list" "$s"
	assert_success
	assert_equal "$(echo "$output" | sed 1d | cut -f3 | sort -n | tr '\n' ' ')" "$(rs-recommend -q -m "$m" --similar 50 -k 1682 "$s" | awk 'NR == FNR { ok[$1] = 1; next } ($3 in ok) && n++ < 3 { print $3 }' "$d/list" - | sort -n | tr '\n' ' ')"
	run --separate-stderr rs-recommend -m "$m" -U 196 --candidates "$d/none" "$s"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: $d/none: No such file or directory"
	printf '%0300d\n' 7 > "$d/long"
	run --separate-stderr rs-recommend -m "$m" -U 196 --exclude-items "$d/long" "$s"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "rs-recommend: $d/long:1: item id of 300 bytes, over the limit of 255"
}
