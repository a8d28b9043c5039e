#!/usr/bin/env bats
# The ranking losses' row-wise steps (--optimizer adagrad, adam-row) and
# their --threads, on the seq-aware split of MovieLens-100K: each user's
# latest rating is the test item, ranked among every item the user did not
# rate in train.

setup() {
	load helper
	need_ml100k
}

# A recommender that ranks below the most popular items is of no use
# (bpr.bats).
@test "ranking losses: the row-wise steps beat the popularity baseline in 5 epochs, on 1 and 2 threads" {
	s=$(seq_stream)
	pop=$(rs-eval --rank --baseline popularity < "$s" | awk '$1 == "hr@10" { print $2 }')
	while read -r threads opt; do
		mf-train -q --loss bpr --epochs 5 --threads "$threads" $opt -o "$BATS_TEST_TMPDIR/m.bin" "$s"
		h=$(hr_at 10 "$BATS_TEST_TMPDIR/m.bin" "$s")
		echo "BPR-MF $opt, $threads threads: test HR@10 $h (popularity $pop)" >&3
		assert [ "$(echo "$h > $pop" | bc -l)" = 1 ]
	done <<EOF
1 --optimizer adagrad --lr 0.2
1 --optimizer adam-row
2 --optimizer adam-row
2 --optimizer adagrad --lr 0.2
EOF
}

@test "ranking losses: one thread gives the same bytes for a seed under every loss, another seed another; 2 threads train every loss" {
	s=$(seq_stream)
	# BPR under AdaGrad steps its candidates' rows in place (ctxtrain.h)
	for loss in "bpr --optimizer adam-row" "bpr --optimizer adagrad --lr 0.1" "softmax --optimizer adam-row" \
		"sampled-softmax --negatives 64 --optimizer adam-row"; do
		for seed in 1 1 2; do
			mf-train -q --loss $loss --epochs 2 --threads 1 --seed $seed \
				-o "$BATS_TEST_TMPDIR/$seed.bin" "$s"
			[ -s "$BATS_TEST_TMPDIR/$seed.first" ] || cp "$BATS_TEST_TMPDIR/$seed.bin" "$BATS_TEST_TMPDIR/$seed.first"
		done
		cmp "$BATS_TEST_TMPDIR/1.bin" "$BATS_TEST_TMPDIR/1.first"
		run cmp -s "$BATS_TEST_TMPDIR/1.bin" "$BATS_TEST_TMPDIR/2.bin"
		assert_failure
		rm -f "$BATS_TEST_TMPDIR"/*.first
		mf-train -q --loss $loss --epochs 1 --threads 2 -o "$BATS_TEST_TMPDIR/t.bin" "$s"
		run rs-show "$BATS_TEST_TMPDIR/t.bin"
		assert_success
	done
}

# ML-100K's 943 users each have a validation item (their latest train one)
# and a test item, fewer than the 2,000 an epoch ranks at most
# (RS_EVAL_USERS, useritems.h): every one is ranked, on any --threads.
@test "ranking losses: the epoch line says how many users each metric ranked and what it cost" {
	s=$(seq_stream)
	for threads in 1 2; do
		run --separate-stderr mf-train --loss bpr --epochs 1 --threads $threads -o /dev/null "$s"
		assert_success
		assert_regex "$(echo "$stderr" | head -1)" '^mf-train: epoch 1/1 train_loss [0-9.]+ valid_hr@10 [0-9.]+ test_hr@10 [0-9.]+ [0-9.]+ s \(ranked 943 valid, 943 test users in [0-9.]+ s\)$'
	done
}
