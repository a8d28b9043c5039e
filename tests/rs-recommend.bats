#!/usr/bin/env bats
# rs-recommend: top-k lists for known users, new users (--liked) and items
# (--similar); what is left out (--exclude, --exclude-items, --candidates);
# --json and --serve.

setup() {
	load helper
	need_ml100k
}

@test "rs-recommend: k new items per user, never one rated in train, scores as rs-predict's" {
	s=$(split_stream)
	mf-train -q --epochs 3 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	rs-recommend -m "$BATS_TEST_TMPDIR/mf.bin" -k 7 < "$s" > "$BATS_TEST_TMPDIR/out"
	# a header line naming the columns, then the lists
	assert_equal "$(head -n 1 "$BATS_TEST_TMPDIR/out")" "user	rank	item	score"
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
	assert_line --index 0 "user	rank	item	score	title"
	assert_line --index 1 --regexp '^196	1	[0-9]+	0\.[0-9]+	.+ \([0-9]{4}\)$'
	run rs-recommend -m "$BATS_TEST_TMPDIR/fm.bin" -U 196 < "$c"
	assert_failure 2
	assert_line --index 0 "rs-recommend: the model uses user side features: give --users u.user"
}

@test "rs-recommend -i: u.item's blank and '#' lines counted in a summary line; none, no line" {
	cd "$BATS_TEST_TMPDIR"
	skipped_side_files
	mf-train -q -o mf.bin s.mp
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none -i items.txt s.mp
	assert_success
	assert_equal "$(echo "$output" | cut -f1,3,5)" "$(printf 'user\titem\ttitle\n1\t1\tToy Story (1995)\n1\t2\tGoldenEye (1995)\n2\t1\tToy Story (1995)\n2\t2\tGoldenEye (1995)')"
	assert_equal "$stderr" "rs-recommend: items.txt: 2 rows; 2 lines skipped (1 blank, 1 comment)"
	grep -v '^#' items.txt | grep . > i.txt
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none -i i.txt s.mp
	assert_success
	assert_equal "$stderr" ""
}

@test "rs-recommend: -u is side features, not a user; -i must be u.item" {
	need_ml100k
	m="$CORPUS/model/mf.bin" s="$CORPUS/stream/split.mp"
	run --separate-stderr rs-recommend -m "$m" -u 196 < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: option --users: the model has no user side features"
	run --separate-stderr rs-recommend -m "$m" -i "$ML100K_DIR/u.user" < "$s"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: $ML100K_DIR/u.user:1: expected u.item's 24 '|'-separated fields (id|title|date|...), found 5"
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
	assert_output "user	rank	item	score
196	1	50	$(awk -v n="$n" 'BEGIN { printf "%.6g", n / 90000 }')"
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
	assert_equal "$stderr" "rs-recommend: $d/list: 1 items not in the model: ignored; 1 line skipped (1 blank)"
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

@test "rs-recommend --exclude-items and --candidates: a list's blank and '#' lines counted in its summary line; none, the line of today" {
	cd "$BATS_TEST_TMPDIR"
	skipped_side_files
	mf-train -q -o mf.bin s.mp
	printf '# never these\n2\n\n' > ex.txt
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none --exclude-items ex.txt s.mp
	assert_success
	assert_equal "$(echo "$output" | cut -f1,3)" "$(printf 'user\titem\n1\t1\n2\t1')"
	assert_equal "$stderr" "rs-recommend: ex.txt: 1 items; 2 lines skipped (1 blank, 1 comment)"
	printf '# never these\n2\n\n9\n' > ex.txt
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none --candidates ex.txt s.mp
	assert_success
	assert_equal "$(echo "$output" | cut -f1,3)" "$(printf 'user\titem\n1\t2\n2\t2')"
	assert_equal "$stderr" "rs-recommend: ex.txt: 1 items not in the model: ignored; 2 lines skipped (1 blank, 1 comment)"
	printf '2\n9\n' > plain.txt
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none --candidates plain.txt s.mp
	assert_success
	assert_equal "$stderr" "rs-recommend: plain.txt: 1 items not in the model: ignored"
	printf '2\n' > plain.txt
	run --separate-stderr rs-recommend -m mf.bin -k 2 --exclude none --exclude-items plain.txt s.mp
	assert_success
	assert_equal "$stderr" ""
}

@test "rs-recommend --exclude: all (the default) recommends no item of any of the user's records, train only what rs-eval ranks among; a model trained on the stream's test pairs is warned of" {
	need_ml100k
	ml-split -q --seed 1 < "$UDATA" > "$BATS_TEST_TMPDIR/r1.mp"
	ml-split -q --seed 2 < "$UDATA" > "$BATS_TEST_TMPDIR/r2.mp"
	als-train -q < "$BATS_TEST_TMPDIR/r1.mp" > "$BATS_TEST_TMPDIR/als.bin"
	# every (user, item) of the stream, by raw id, counted apart from the tool
	rs-show "$BATS_TEST_TMPDIR/r1.mp" | awk -F'\t' 'NR > 1 { print $2 "\t" $3 }' | sort -u > "$BATS_TEST_TMPDIR/all.pairs"
	rs-show "$BATS_TEST_TMPDIR/r1.mp" | awk -F'\t' 'NR > 1 && $1 == 0 { print $2 "\t" $3 }' | sort -u > "$BATS_TEST_TMPDIR/train.pairs"
	for e in default all train none; do
		opt=$([ $e = default ] && echo "" || echo "--exclude $e")
		rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" $opt < "$BATS_TEST_TMPDIR/r1.mp" | sed 1d | cut -f1,3 | sort > "$BATS_TEST_TMPDIR/rec.$e"
		assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/rec.$e")" 9430
	done
	both() { comm -12 "$BATS_TEST_TMPDIR/rec.$1" "$BATS_TEST_TMPDIR/$2.pairs" | wc -l; }
	assert_equal "$(both default all)" 0
	assert_equal "$(both all all)" 0
	assert_equal "$(both train train)" 0
	assert_equal "$(both train all)" 2105   # test pairs: the user's own, recommended back
	assert [ "$(both none train)" -gt 0 ]
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" -k 1 < "$BATS_TEST_TMPDIR/r2.mp"
	assert_success
	assert_equal "$stderr" "rs-recommend: stdin: 9005 of its test records are (user, item) pairs the model $BATS_TEST_TMPDIR/als.bin was trained on: a metric over them is not a test (split the same file the same way as for training)"
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" --exclude seen < "$BATS_TEST_TMPDIR/r1.mp"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: option --exclude: 'seen' is not one of all, train, none"
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
	# a line's user, a number in the lists (ML-100K's ids are numbers), a
	# string in some requests
	awk 'function user(s) { match(s, /"user": ?"?[0-9]+/); s = substr(s, RSTART, RLENGTH); sub(/^"user": ?"?/, "", s); return s }
		FILENAME == ARGV[1] { l[user($0)] = $0; next } FILENAME == ARGV[2] { t[user($0)] = $0; next }
		FNR == 5000 { next } /^{/ { print t[user($0)]; next } { print l[$1] }' "$d/all" "$d/all3" "$d/req" > "$d/want"
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

@test "rs-recommend --similar: Return of the Jedi nearest Star Wars for ALS and BPR-MF, by the cosine of their item vectors, Star Wars itself left out; refused without vectors" {
	need_ml100k
	s="$BATS_TEST_TMPDIR/s.mp"
	ml-split -q --split seq-aware < "$UDATA" > "$s"
	als-train -q < "$s" > "$BATS_TEST_TMPDIR/als.bin"
	mf-train -q --loss bpr --epochs 10 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	for m in als mf; do   # no stream is read: the models' items are ids
		run rs-recommend -m "$BATS_TEST_TMPDIR/$m.bin" --similar 50 -k 10 -i "$ML100K_DIR/u.item" < /dev/null
		assert_success
		assert_equal "$(echo "$output" | wc -l)" 11
		assert_line --index 0 "item	rank	similar	score	title"
		list=$(echo "$output" | sed 1d)
		assert_equal "$(echo "$list" | cut -f1,2 | tr '\n' ' ')" "50	1 50	2 50	3 50	4 50	5 50	6 50	7 50	8 50	9 50	10 "
		assert_line --index 1 --regexp "^50	1	181	0\.[0-9]+	Return of the Jedi \(1983\)$"
		refute_line --regexp "^50	[0-9]+	50	"
		# cosines, best first
		assert_equal "$(echo "$list" | cut -f4 | sort -gr | tr '\n' ' ')" "$(echo "$list" | cut -f4 | tr '\n' ' ')"
	done
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" --similar 99999 < /dev/null
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: item 99999 is not in the model $BATS_TEST_TMPDIR/als.bin"
	c="$BATS_TEST_TMPDIR/c.mp"
	cluster_stream | ml-onehot -q --history 1 > "$c"
	deepfm-train -q --loss bpr --epochs 1 < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/d.bin" --similar 1 < "$c"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: a deepfm model has no item vectors to compare: --similar takes a model of mf-train, fm-train or als-train"
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" --similar 1 -U 1 < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: --similar ranks items for an item: it takes -m MODEL, and no -U, --liked or --baseline"
}

@test "rs-recommend --liked: a new user's next item on the cycle from the items they name; ALS and BPR-MF fold a user in, the named items left out, the same lists every run" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cycle_stream | ml-onehot -q --history 1 > "$c"
	fm-train -q --loss softmax --valid-ratio 0 --early-stop 0 --epochs 300 < "$c" > "$BATS_TEST_TMPDIR/seq.bin"
	# the last named item is the history: the next one on the cycle first
	for case in "3,4 5" "9 10" "2,5,10 1" "2,5,7 8"; do
		set -- $case
		run rs-recommend -m "$BATS_TEST_TMPDIR/seq.bin" --liked "$1" -k 3 < /dev/null
		assert_success
		assert_equal "$(echo "$output" | sed -n 2p | cut -f1-3)" "-	1	$2"
		for i in ${1//,/ }; do refute_line --regexp "^-	[0-9]+	$i	"; done
	done
	need_ml100k
	s="$BATS_TEST_TMPDIR/s.mp"
	ml-split -q --split seq-aware < "$UDATA" > "$s"
	als-train -q < "$s" > "$BATS_TEST_TMPDIR/als.bin"
	mf-train -q --loss bpr --epochs 10 < "$s" > "$BATS_TEST_TMPDIR/mf.bin"
	for m in als mf; do
		rs-recommend -m "$BATS_TEST_TMPDIR/$m.bin" --liked 50,172,181 -k 10 < /dev/null > "$BATS_TEST_TMPDIR/$m.1"
		rs-recommend -m "$BATS_TEST_TMPDIR/$m.bin" --liked 50,172,181 -k 10 < /dev/null > "$BATS_TEST_TMPDIR/$m.2"
		cmp "$BATS_TEST_TMPDIR/$m.1" "$BATS_TEST_TMPDIR/$m.2"
		assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/$m.1")" 11
		assert_equal "$(cut -f3 "$BATS_TEST_TMPDIR/$m.1" | grep -c -x '50\|172\|181')" 0
	done
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" --liked 50,99999 < /dev/null
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: item 99999 is not in the model $BATS_TEST_TMPDIR/als.bin"
	deepfm-train -q --loss bpr --epochs 1 < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	run --separate-stderr rs-recommend -m "$BATS_TEST_TMPDIR/d.bin" --liked 1 < "$c"
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: a deepfm model scores a user through whole records: --liked takes a model of mf-train, fm-train or als-train"
}

@test "rs-recommend --liked-file: blank, '#' and header lines counted in a summary line; none, no line" {
	cd "$BATS_TEST_TMPDIR"
	skipped_side_files
	mf-train -q -o mf.bin s.mp
	printf '# new users\nuser\titem\nann\t1\n\nbob\t2\n' > liked.tsv
	run --separate-stderr rs-recommend -m mf.bin -k 1 --liked-file liked.tsv
	assert_success
	assert_equal "$(echo "$output" | cut -f1,3)" "$(printf 'user\titem\nann\t2\nbob\t1')"
	assert_equal "$stderr" "rs-recommend: liked.tsv: 2 events; 3 lines skipped (1 blank, 1 comment, 1 header)"
	printf 'ann\t1\nbob\t2\n' > plain.tsv
	run --separate-stderr rs-recommend -m mf.bin -k 1 --liked-file plain.tsv
	assert_success
	assert_equal "$stderr" ""
}

@test "rs-recommend --liked for users held out of training: ALS, BPR-MF, the sequential FM and an FM with user side features hit their other items at least as often as popularity, in users with a hit and in hits" {
	need_ml100k
	d=$BATS_TEST_TMPDIR
	# users 1-100 removed before ml-split; each named by their first five
	# items rated 4 or more (by time), their other items the ones to hit
	awk -F'\t' '$1 > 100' "$UDATA" | ml-split -q --split seq-aware > "$d/s.mp"
	awk -F'\t' '$1 <= 100' "$UDATA" | sort -t"$(printf '\t')" -k1,1n -k4,4n -k2,2n |
		awk -F'\t' -v req="$d/req" -v rest="$d/rest" '
		$3 >= 4 && n[$1] < 5 { liked[$1] = liked[$1] (n[$1]++ ? "\", \"" : "") $2; print $1 "\t" $2 "\t" $4 > (req ".tsv"); next }
		{ other[$1] = other[$1] " " $2 }
		END { for (u = 1; u <= 100; u++) { print "{\"liked\": [\"" liked[u] "\"]}" > req; print u "\t" other[u] > rest } }'
	assert_equal "$(grep -c '^{"liked": \["[0-9]*", "[0-9]*", "[0-9]*", "[0-9]*", "[0-9]*"\]}$' "$d/req")" 100
	als-train -q < "$d/s.mp" > "$d/als.bin"
	mf-train -q --loss bpr --epochs 10 < "$d/s.mp" > "$d/bpr-mf.bin"
	ml-onehot -q --seq < "$d/s.mp" > "$d/seqs.mp"
	fm-train -q --preset seq --epochs 3 < "$d/seqs.mp" > "$d/seq.bin"
	# users with a hit and hits in the top 10, over the 100 users
	hits() {
		rs-recommend --serve "$@" < "$d/req" | jq -r '[.items[].item] | join(" ")' | paste "$d/rest" - |
			awk -F'\t' '{ split($2, o, " "); for (j in o) other[o[j]]; n = split($3, t, " "); h = 0
				for (j = 1; j <= n; j++) h += t[j] in other; users += h > 0; all += h; delete other }
				END { print users, all }'
	}
	read -r pu ph <<< "$(hits --baseline popularity "$d/s.mp")"
	for m in als bpr-mf seq; do
		read -r mu mh <<< "$(hits -m "$d/$m.bin" "$d/$( [ $m = seq ] && echo seqs || echo s).mp")"
		echo "$m: $mu users hit, $mh hits; popularity $pu users, $ph hits" >&3
		assert [ "$mh" -ge "$ph" ]
		assert [ "$mu" -ge "$pu" ]
	done
	# an FM of ids and user side features: the new users are in u.user, so
	# their side features join the named items (the same requests under ids
	# u.user lacks go without); measured on users 101-200 first under Adam,
	# which folds in better than the AdaGrad defaults (docs/tuning.md), held
	# to popularity and to the lists without them here
	ml-onehot -q -u "$ML100K_DIR/u.user" < "$d/s.mp" > "$d/side.mp"
	fm-train -q --loss bpr --optimizer adam --lr 0.005 --l2 0.01 --epochs 10 < "$d/side.mp" > "$d/side.bin"
	jq -c '. + {user: (input_line_number | tostring)}' "$d/req" > "$d/req.side"
	jq -c '. + {user: ("new" + (input_line_number | tostring))}' "$d/req" > "$d/req.none"
	side_hits() {
		rs-recommend --serve -m "$d/side.bin" -u "$ML100K_DIR/u.user" "$d/side.mp" < "$1" | jq -r '[.items[].item] | join(" ")' | paste "$d/rest" - |
			awk -F'\t' '{ split($2, o, " "); for (j in o) other[o[j]]; n = split($3, t, " "); h = 0
				for (j = 1; j <= n; j++) h += t[j] in other; users += h > 0; all += h; delete other }
				END { print users, all }'
	}
	read -r su sh <<< "$(side_hits "$d/req.side")"
	read -r nu nh <<< "$(side_hits "$d/req.none")"
	echo "fm with side features: $su users hit, $sh hits; without the new users' side features $nu, $nh" >&3
	assert [ "$sh" -ge "$ph" ]
	assert [ "$su" -ge "$pu" ]
	assert [ "$sh" -gt "$nh" ]
	# the same lists from a file of the named items' lines, under the users' ids
	rs-recommend -m "$d/als.bin" --liked-file "$d/req.tsv" --json > "$d/file"
	assert_equal "$(jq -r .user "$d/file" | tr '\n' ' ')" "$(seq 100 | tr '\n' ' ')"
	rs-recommend --serve -m "$d/als.bin" "$d/s.mp" < "$d/req" | jq -c .items > "$d/served"
	jq -c .items "$d/file" | cmp - "$d/served"
	# the lines on stdin: fine for a model of the ids, refused where the
	# stream would be stdin too
	rs-recommend -m "$d/als.bin" --liked-file - --json < "$d/req.tsv" | cmp - "$d/file"
	run --separate-stderr rs-recommend --baseline popularity --liked-file - < "$d/req.tsv"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: --liked-file - and the stream would both be stdin: give the stream as a file operand"
}

@test "a new user named in u.user is folded in with their side features: the same list and scores as a known user of the same history and side, another list for an id u.user lacks" {
	need_ml100k
	d=$BATS_TEST_TMPDIR
	ml-split -q --split seq-aware < "$UDATA" |
		ml-onehot -q -u "$ML100K_DIR/u.user" --seq --fields item,age,gender,occupation,zip,history,last,long > "$d/s.mp"
	fm-train -q --preset seq --epochs 1 < "$d/s.mp" > "$d/m.bin"
	# user 7's train items in the stream's order, ts beside them: their history
	rs-show "$d/s.mp" | awk -F'\t' '$1 == 0 && $2 == 7 { print $2 "\t" $3 "\t" $5 }' > "$d/liked.tsv"
	assert_equal "$(wc -l < "$d/liked.tsv")" 402
	rs-recommend -m "$d/m.bin" -u "$ML100K_DIR/u.user" -U 7 --exclude train "$d/s.mp" > "$d/known"
	assert_equal "$(wc -l < "$d/known")" 11
	rs-recommend -m "$d/m.bin" -u "$ML100K_DIR/u.user" --liked-file "$d/liked.tsv" < /dev/null | cmp - "$d/known"
	liked=$(sort -s -n -k3,3 "$d/liked.tsv" | cut -f2 | paste -sd,)   # oldest first
	rs-recommend -m "$d/m.bin" -u "$ML100K_DIR/u.user" --liked "$liked" -U 7 < /dev/null | cmp - "$d/known"
	# rs-predict's scores of those items for the same new user
	sed 1d "$d/known" | cut -f1,3 | rs-predict -m "$d/m.bin" -u "$ML100K_DIR/u.user" --liked "$liked" |
		cmp - <(sed 1d "$d/known" | cut -f1,3,4)
	# id 9999 is not in u.user: the history alone, another list
	rs-recommend -m "$d/m.bin" -u "$ML100K_DIR/u.user" --liked "$liked" -U 9999 < /dev/null | sed 1d | cut -f2- > "$d/other"
	run ! cmp -s "$d/other" <(sed 1d "$d/known" | cut -f2-)
	run --separate-stderr rs-recommend -m "$d/m.bin" -u "$ML100K_DIR/u.user" --liked 1 -U 7 -U 8 < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: --liked ranks items for one new user: one -U at most, their id (--liked-file names its users)"
}
