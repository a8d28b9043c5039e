#!/usr/bin/env bats
# als-train: implicit ALS, on a hand-made case with a known answer and on
# the seq-aware split of MovieLens-100K.

setup() {
	load helper
}

@test "als-train on two groups of users: each user's own group first, where popularity puts the other" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cluster_stream > "$c"
	run rs-eval --rank -k 1 --baseline popularity < "$c"
	assert_line --index 1 "hr@1	0.733333"   # the 22 users of the popular group
	# a small penalty for a fixture of 90 ratings
	for solver in cg cholesky; do
		als-train -q --reg 0.1 --alpha 10 --solver $solver < "$c" > "$BATS_TEST_TMPDIR/als.bin"
		assert_equal "$(hr_at 1 "$BATS_TEST_TMPDIR/als.bin" "$c")" 1.000000
	done
}

@test "als-train: the same model on 1 and 3 threads; the log's last test HR@10 is rs-eval's" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cluster_stream > "$c"
	for t in 1 3; do
		als-train -q --threads $t --iters 4 --log "$BATS_TEST_TMPDIR/$t.tsv" < "$c" > "$BATS_TEST_TMPDIR/$t.bin"
		rs-show --full "$BATS_TEST_TMPDIR/$t.bin" | jq -c 'del(.header.history)' > "$BATS_TEST_TMPDIR/$t.json"
	done
	cmp "$BATS_TEST_TMPDIR/1.json" "$BATS_TEST_TMPDIR/3.json"
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/1.tsv")" "epoch	train_loss	valid_hr@10	valid_ndcg@10	test_hr@10	test_ndcg@10	seconds"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/1.tsv")" 5
	assert_close "$(tail -1 "$BATS_TEST_TMPDIR/1.tsv" | cut -f5)" "$(hr_at 10 "$BATS_TEST_TMPDIR/1.bin" "$c")"
	run rs-show "$BATS_TEST_TMPDIR/1.bin"
	assert_line --index 0 "kind	als"
	assert_line --partial "iters 4, reg 30, alpha 5, solver cg, cg_steps 2"
	run --separate-stderr als-train --lr 0.1 < "$c"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "als-train: option --lr does not apply to als-train"
	run --separate-stderr mf-train --threads 0 < "$c"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "mf-train: option --threads: 0 is out of range [1, 256]"
}

# Issue 9's bar for ALS: HR@10 >= 0.145 with its defaults (iALS, k=32, 15
# iterations: 0.150; LIBMF one-class: 0.139).
@test "als-train defaults on the seq-aware split: mean test HR@10 over seeds 1-3 at least 0.145" {
	need_ml100k
	s="$BATS_TEST_TMPDIR/s.mp"
	ml-split -q --split seq-aware < "$UDATA" > "$s"
	sum=0
	for seed in 1 2 3; do
		als-train -q --seed $seed < "$s" > "$BATS_TEST_TMPDIR/$seed.bin"
		h=$(hr_at 10 "$BATS_TEST_TMPDIR/$seed.bin" "$s")
		echo "ALS seed $seed: test HR@10 $h" >&3
		sum=$(echo "$sum + $h" | bc -l)
	done
	assert [ "$(echo "$sum / 3 >= 0.145" | bc -l)" = 1 ]
}
