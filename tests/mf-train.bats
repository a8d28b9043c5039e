#!/usr/bin/env bats
# mf-train on ratings: quality on the real MovieLens-100K, reproducibility,
# and every refusal.

setup() {
	load helper
	need_ml100k
}

# Bounds: the PyTorch port of d2l 16 on the same kind of split gives MF d2l
# 0.912, its best configuration 0.900, bias-only 0.940, the train mean 1.124.
# The d2l bar (0.93) is issue 3's: the port plus room for one split's spread.
# No model here reaches 0.85: a figure under it would mean test ratings
# leaked into training (published MF results on ML-100K are above 0.88).

@test "mf-train --preset d2l: test RMSE at most 0.93 on the seed-1 split" {
	s=$(split_stream)
	mf-train -q --preset d2l -o "$BATS_TEST_TMPDIR/mf.bin" < "$s"
	run rs-eval -m "$BATS_TEST_TMPDIR/mf.bin" < "$s"
	assert_success
	assert_line "n	10000"
	rmse=$(echo "$output" | awk '$1 == "rmse" { print $2 }')
	echo "d2l test RMSE $rmse" >&3
	assert [ "$(echo "$rmse <= 0.93 && $rmse > 0.85" | bc -l)" = 1 ]
}

# 0.900: the port's best configuration; the defaults must match it.
@test "mf-train defaults: test RMSE at most 0.900, equal to the logged RMSE of the kept epoch" {
	kept_metric mf-train rmse "$(split_stream)"
	assert [ "$(echo "$kept <= 0.900" | bc -l)" = 1 ]
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/log.tsv")" "epoch	train_loss	train_rmse	valid_rmse	test_rmse	seconds"
}

@test "mf-train: the same seed gives a byte-identical model, another seed another" {
	s=$(split_stream)
	mf-train -q --epochs 3 --seed 5 < "$s" > "$BATS_TEST_TMPDIR/a.bin"
	mf-train -q --epochs 3 --seed 5 < "$s" > "$BATS_TEST_TMPDIR/b.bin"
	mf-train -q --epochs 3 --seed 6 < "$s" > "$BATS_TEST_TMPDIR/c.bin"
	cmp "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/b.bin"
	run cmp -s "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/c.bin"
	assert_failure
}

# LIBMF (../shared/peers) on ML-100K's random 90/10 split: 0.899; the fused
# solver may lose at most issue 22's 0.005 to it.
@test "mf-train --optimizer adagrad: the same model for a seed on 1, 2 and 3 threads and at 4 SIMD lanes, another seed another; test RMSE at most 0.904; refused where it does not fit" {
	s=$(split_stream)
	d=$BATS_TEST_TMPDIR
	opts="--optimizer adagrad --lr 0.1 --l2 0.05 --factors 30 --epochs 20 --valid-ratio 0 --early-stop 0"
	for t in 1 2 3; do
		mf-train -q $opts --threads $t -o "$d/m$t.bin" "$s"
		rs-eval -q --predict -m "$d/m$t.bin" "$s" | rs-show > "$d/p$t"   # every score, to the last bit
		rs-show "$d/m$t.bin" | grep -v '^history' > "$d/s$t"
	done
	assert_equal "$(wc -l < "$d/p1")" 100001   # every record, and the header
	cmp "$d/p1" "$d/p2"
	cmp "$d/p1" "$d/p3"
	cmp "$d/s1" "$d/s2"
	# the 4-lane build gives the same bits as the widest (compute.h)
	RS_SIMD=4 mf-train -q $opts -o "$d/m4.bin" "$s"
	rs-eval -q --predict -m "$d/m4.bin" "$s" | rs-show | cmp - "$d/p1"
	# the models differ only in the command line they keep
	assert_equal "$(cmp -l "$d/m1.bin" "$d/m2.bin" | wc -l)" 2
	mf-train -q $opts --seed 2 -o "$d/m4.bin" "$s"
	run cmp -s <(rs-eval -q --predict -m "$d/m4.bin" "$s" | rs-show) "$d/p1"
	assert_failure
	rmse=$(metric rmse "$d/m1.bin" "$s")
	echo "adagrad test RMSE $rmse" >&3
	assert [ "$(echo "$rmse <= 0.904 && $rmse > 0.85" | bc -l)" = 1 ]
	# under a ranking loss it is the row-wise step (ranking-steps.bats)
	run --separate-stderr deepfm-train --optimizer adagrad "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "deepfm-train: --optimizer adagrad is the fused solver of mf-train's, fm-train's and ffm-train's pointwise loss"
}

# The port's bias-only model gives 0.940: 0.95 leaves one split's spread; a
# bias-only model under MF's 0.900 would mean factors took part.
@test "mf-train --factors 0: the bias-only baseline beats the global mean" {
	s=$(split_stream)
	mf-train -q --factors 0 --valid-ratio 0 --early-stop 0 --epochs 20 < "$s" > "$BATS_TEST_TMPDIR/b.bin"
	rmse=$(metric rmse "$BATS_TEST_TMPDIR/b.bin" "$s")
	echo "bias-only test RMSE $rmse" >&3
	assert [ "$(echo "$rmse <= 0.95 && $rmse > 0.90" | bc -l)" = 1 ]
	run rs-show --full "$BATS_TEST_TMPDIR/b.bin"
	assert_output --partial '{"name": "P", "shape": [943, 1], "data": {"bytes": 3772}}'
}

@test "mf-train: one line per epoch on stderr and a summary" {
	s=$(split_stream)
	run --separate-stderr bash -c "mf-train --preset d2l --epochs 3 < '$s' > /dev/null"
	assert_success
	assert_equal "$(echo "$stderr" | wc -l)" 4
	# the d2l preset carves out no validation: no valid_ figure, never a nan
	assert_regex "$(echo "$stderr" | head -1)" '^mf-train: epoch 1/3 train_loss [0-9.]+ test_rmse [0-9.]+ [0-9.]+ s$'
	assert_regex "$(echo "$stderr" | tail -1)" '^mf-train: 90000 train, 10000 test records; kept epoch 3 of 3: test_rmse [0-9.]+$'
}

@test "mf-train: rejects click streams, raw text, streams without train records" {
	s=$(split_stream)
	run --separate-stderr bash -c "ml-ctr -q < '$s' | mf-train > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "mf-train: stdin:header: the stream's target is 'click'; mf-train fits ratings (leave out ml-ctr)"
	run --separate-stderr bash -c "mf-train < '$UDATA' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "mf-train: stdin:header: not an rs-stream (first object is not a header map; ratings text goes through ml-split first)"
	run --separate-stderr bash -c "head -100 '$UDATA' | ml-split -q -r 1 | mf-train > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "mf-train: stdin: the stream has no train records (split 0)"
	run --separate-stderr bash -c "mf-train < /dev/null > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "mf-train: stdin: empty input (no stream header)"
}

@test "mf-train: divergence stops with an error and writes no model" {
	assert_diverges mf-train "$(split_stream)"
}

@test "mf-train: a killed training leaves no model and no temp file" {
	s=$(split_stream)
	run timeout -s TERM 0.5 mf-train -q --epochs 100000 --valid-ratio 0 --early-stop 0 -o "$BATS_TEST_TMPDIR/k.bin" < "$s"
	assert_failure 124
	assert_equal "$(ls "$BATS_TEST_TMPDIR")" ""
}

@test "mf-train: usage errors" {
	run mf-train --lr abc
	assert_failure 2
	assert_line --index 0 "mf-train: option --lr: 'abc' is not a number"
	run mf-train --preset nope
	assert_failure 2
	assert_line --index 0 "mf-train: option --preset: unknown preset 'nope'"
	run mf-train --mlp 10
	assert_failure 2
	assert_line --index 0 "mf-train: option --mlp does not apply to mf-train"
	run mf-train --early-stop 3 --valid-ratio 0
	assert_failure 2
	assert_line --index 0 "mf-train: --early-stop needs a validation set (--valid-ratio)"
	run mf-train --help
	assert_success
	assert_output --partial "Preset d2l:"
}

# Issue 12: --threads N trains N copies of the parameters on an N-th of each
# epoch's records and averages them when it ends.
@test "--threads: 1 scores as the default to the last bit, 2 is reproducible and within 0.005 RMSE (0.005 AUC)" {
	s=$(split_stream)
	mf-train -q < "$s" > "$BATS_TEST_TMPDIR/d.bin"
	mf-train -q --threads 1 < "$s" > "$BATS_TEST_TMPDIR/1.bin"
	mf-train -q --threads 2 < "$s" > "$BATS_TEST_TMPDIR/2a.bin"
	mf-train -q --threads 2 < "$s" > "$BATS_TEST_TMPDIR/2b.bin"
	# the same scores to the last bit (the files differ in the command line they keep)
	cmp <(rs-eval -p -m "$BATS_TEST_TMPDIR/d.bin" < "$s" | rs-show -j) <(rs-eval -p -m "$BATS_TEST_TMPDIR/1.bin" < "$s" | rs-show -j)
	cmp "$BATS_TEST_TMPDIR/2a.bin" "$BATS_TEST_TMPDIR/2b.bin"
	one=$(metric rmse "$BATS_TEST_TMPDIR/1.bin" "$s") two=$(metric rmse "$BATS_TEST_TMPDIR/2a.bin" "$s")
	echo "mf-train test RMSE: 1 thread $one, 2 threads $two" >&3
	assert awk -v a="$one" -v b="$two" 'BEGIN { exit !(a - b < 0.005 && b - a < 0.005) }'
	c=$(ctr_stream)
	fm-train -q --threads 1 < "$c" > "$BATS_TEST_TMPDIR/f1.bin"
	fm-train -q --threads 2 < "$c" > "$BATS_TEST_TMPDIR/f2.bin"
	one=$(metric auc "$BATS_TEST_TMPDIR/f1.bin" "$c") two=$(metric auc "$BATS_TEST_TMPDIR/f2.bin" "$c")
	echo "fm-train test AUC: 1 thread $one, 2 threads $two" >&3
	assert awk -v a="$one" -v b="$two" 'BEGIN { exit !(a - b < 0.005 && b - a < 0.005) }'
}
