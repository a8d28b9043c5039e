#!/usr/bin/env bats
# rs-predict: scores of (user, item) lines, unknown ids (--unknown, --cold),
# new users (--liked, --fold-in) and --serve.

setup() {
	load helper
	need_ml100k
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

@test "rs-predict: blank, '#' and header lines of the pairs counted in the summary line; none, the line of today" {
	cd "$BATS_TEST_TMPDIR"
	skipped_side_files
	mf-train -q -o mf.bin s.mp
	printf '# to score\nuser\titem\n1\t2\n\n2\t1\n' > pairs.tsv
	run --separate-stderr rs-predict -m mf.bin pairs.tsv
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" "rs-predict: 2 pairs; 3 lines skipped (1 blank, 1 comment, 1 header)"
	# a line of spaces or tabs alone is blank too, in a tab-separated file or a spaced one
	printf 'user\titem\n1\t2\n \t \n   \n2\t1\n' > spaced.tsv
	run --separate-stderr rs-predict -m mf.bin spaced.tsv
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" "rs-predict: 2 pairs; 3 lines skipped (2 blank, 1 header)"
	printf '1 2\n   \n2 1\n' > spaced.txt
	run --separate-stderr rs-predict -m mf.bin spaced.txt
	assert_success
	assert_equal "$stderr" "rs-predict: 2 pairs; 1 line skipped (1 blank)"
	printf '1\t2\n2\t1\n' > plain.tsv
	run --separate-stderr rs-predict -m mf.bin plain.tsv
	assert_success
	assert_equal "$stderr" ""
	# with ratings: the RMSE line, the lines after it
	printf '# to score\n1\t2\t3\n\n2\t1\t5\n' > rated.tsv
	printf '1\t2\t3\n2\t1\t5\n' > plain.tsv
	run --separate-stderr rs-predict -m mf.bin plain.tsv
	assert_success
	assert_regex "$stderr" '^rs-predict: 2 pairs: rmse [0-9.]+ mae [0-9.]+$'
	plain=$stderr
	run --separate-stderr rs-predict -m mf.bin rated.tsv
	assert_success
	assert_equal "$stderr" "$plain; 2 lines skipped (1 blank, 1 comment)"
}

@test "rs-predict --cold for FM and DeepFM: an unknown user is scored from the item alone" {
	need_ml100k
	c=$(ctr_stream)
	fm-train -q --epochs 1 < "$c" > "$BATS_TEST_TMPDIR/fm.bin"
	deepfm-train -q --epochs 1 < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	for m in fm d; do
		run --separate-stderr bash -c "printf '99999\t242\n' | rs-predict -m '$BATS_TEST_TMPDIR/$m.bin'"
		assert_failure 1
		assert_equal "$stderr" "rs-predict: stdin:1: user 99999 is not in the model (--unknown skip leaves it out, --unknown cold scores it from the other side alone)"
		run bash -c "printf '99999\t242\n99999\t1\n' | rs-predict --cold -m '$BATS_TEST_TMPDIR/$m.bin'"
		assert_success
		assert_line --index 0 --regexp '^99999	242	0\.[0-9]+$'
		# the item's side alone differs by item
		assert [ "$(echo "$output" | cut -f3 | sort -u | wc -l)" = 2 ]
	done
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
	assert_equal "$stderr" "rs-predict: stdin:2: timestamp 'noon' is neither an integer nor an ISO-8601 date and time"
	run --separate-stderr rs-predict --unknown maybe -m "$m" "$BATS_TEST_TMPDIR/p"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: option --unknown: 'maybe' is not one of fail, skip, cold"
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
	assert_output --regexp '^\{"user": "new1", "liked": \[50, 181\], "item": 172, "score": '"$liked"'\}$'
	run rs-predict --serve --unknown cold -m "$d/mf.bin" <<< '99999 242'
	assert_output --regexp '^\{"user": 99999, "item": 242, "score": [0-9.]+\}$'
	run --separate-stderr rs-predict --serve -m "$d/mf.bin" "$d/pairs"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: --serve reads its requests on stdin: no FILE, no --json, no --liked"
}

@test "--fold-in: a new user of ALS is the mean of the named items' rows, or with fit the row Hu et al.'s normal equations give, worked out apart from rspipe (tests/foldin-check.py); rs-predict --liked scores pairs as rs-recommend --liked ranks them" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cluster_stream > "$c"
	als-train -q --factors 4 < "$c" > "$BATS_TEST_TMPDIR/als.bin"
	seq 6 | sed 's/^/new\t/' > "$BATS_TEST_TMPDIR/pairs"
	for how in mean fit; do
		rs-predict -m "$BATS_TEST_TMPDIR/als.bin" --liked 1,5 --fold-in $how "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/$how"
		assert_equal "$(cut -f1,2 "$BATS_TEST_TMPDIR/$how" | tr '\n' ' ')" "$(tr '\n' ' ' < "$BATS_TEST_TMPDIR/pairs")"
		worst=$(/usr/bin/python3 "$BATS_TEST_DIRNAME/foldin-check.py" "$BATS_TEST_TMPDIR/als.bin" 1,5 $how < "$BATS_TEST_TMPDIR/$how")
		echo "$how: largest error $worst" >&3
		awk -v w="$worst" 'BEGIN { exit !(w < 1e-5) }'
		# the same scores as rs-recommend's list of the other four items
		rs-recommend -m "$BATS_TEST_TMPDIR/als.bin" --liked 1,5 --fold-in $how -k 4 < /dev/null | sed 1d | cut -f3,4 | sort > "$BATS_TEST_TMPDIR/list"
		grep -v -P '\t[15]\t' "$BATS_TEST_TMPDIR/$how" | cut -f2,3 | sort | cmp - "$BATS_TEST_TMPDIR/list"
	done
	run ! cmp -s "$BATS_TEST_TMPDIR/mean" "$BATS_TEST_TMPDIR/fit"
	run --separate-stderr rs-predict -m "$BATS_TEST_TMPDIR/als.bin" --liked 1,99 "$BATS_TEST_TMPDIR/pairs"
	assert_failure 1
	assert_equal "$stderr" "rs-predict: option --liked: item 99 is not in the model $BATS_TEST_TMPDIR/als.bin"
	run --separate-stderr rs-predict -m "$BATS_TEST_TMPDIR/als.bin" --liked 1 --fold-in exact "$BATS_TEST_TMPDIR/pairs"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: option --fold-in: 'exact' is not one of mean, fit"
	run --separate-stderr rs-predict -m "$BATS_TEST_TMPDIR/als.bin" --liked 1 --unknown cold "$BATS_TEST_TMPDIR/pairs"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: --liked scores new users: --unknown cold has no user to fall back on"
}
