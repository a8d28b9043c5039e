#!/usr/bin/env bats
# fm-train on clicks (rating > 3) and on ratings, on the real MovieLens-100K,
# seed-1 random split.

setup() {
	load helper
	need_ml100k
}

# Bounds: the PyTorch port of d2l 16 gives FM d2l AUC 0.790, DeepFM d2l 0.760,
# and a user+item click-rate score 0.767; the d2l bounds are the port's less
# 0.01 for one split's spread. 0.795 is issue 4's bar for FM's defaults.

@test "fm-train --preset d2l: test AUC at least 0.78" {
	c=$(ctr_stream)
	fm-train -q --preset d2l < "$c" > "$BATS_TEST_TMPDIR/fm.bin"
	auc=$(metric auc "$BATS_TEST_TMPDIR/fm.bin" "$c")
	echo "FM d2l test AUC $auc" >&3
	at_least "$auc" 0.78
}

@test "fm-train defaults: test AUC at least 0.795, equal to the logged AUC of the kept epoch" {
	c=$(ctr_stream)
	kept_metric fm-train auc "$c"
	at_least "$kept" 0.795
	run rs-eval -m "$BATS_TEST_TMPDIR/model.bin" < "$c"
	assert_line --index 0 "model	$BATS_TEST_TMPDIR/model.bin"
	assert_line "n	10000"
}

# Side fields may not cost more than 0.01 against the ids-only bar (0.795).
@test "fm-train with side features, same seed same bytes, and a model refused on a stream of other fields" {
	s=$(side_stream)
	fm-train -q < "$s" > "$BATS_TEST_TMPDIR/fm.bin"
	fm-train -q < "$s" > "$BATS_TEST_TMPDIR/again.bin"
	cmp "$BATS_TEST_TMPDIR/fm.bin" "$BATS_TEST_TMPDIR/again.bin"
	auc=$(metric auc "$BATS_TEST_TMPDIR/fm.bin" "$s")
	echo "FM side-features test AUC $auc" >&3
	at_least "$auc" 0.785
	run --separate-stderr rs-eval -m "$BATS_TEST_TMPDIR/fm.bin" < "$(ctr_stream)"
	assert_failure 1
	assert_equal "$stderr" "rs-eval: stdin:header: field 3 is absent (size 0) in the stream, age (size 7) in the model $BATS_TEST_TMPDIR/fm.bin"
}

# Issue 4's bar: FM on ratings within 0.01 of MF's defaults bar (0.900).
@test "fm-train on ratings: squared loss, RMSE within 0.01 of MF's bound" {
	s=$(split_stream)
	fm-train -q --global-mean < "$s" > "$BATS_TEST_TMPDIR/fm.bin"
	rmse=$(metric rmse "$BATS_TEST_TMPDIR/fm.bin" "$s")
	echo "FM rating test RMSE $rmse" >&3
	assert [ "$(echo "$rmse <= 0.910" | bc -l)" = 1 ]
}

@test "fm-train and deepfm-train: divergence stops with a clear error and no model" {
	assert_diverges fm-train "$(ctr_stream)"
	rm -r "$BATS_TEST_TMPDIR/out"
	assert_diverges deepfm-train "$(ctr_stream)"
}

# libFM's own SGD on the same features as libsvm lines (libFM 1.4.4,
# `-method sgd -dim 1,1,16 -iter 100 -init_stdev 0.1`, learn_rate and
# regular chosen on this split's test records, in its favour:
# docs/tuning.md): RMSE 0.9012 (learn_rate 0.002, regular 0.05), click AUC
# 0.7836 (0.01, 0.05).
@test "fm-train --optimizer adagrad: the fused per-record solver beats libFM's SGD on ratings and clicks with side features; the same bytes for a seed, at any SIMD width and --threads" {
	r=$(side_ratings_stream)
	fm-train -q --optimizer adagrad -o "$BATS_TEST_TMPDIR/r.bin" "$r"
	rmse=$(metric rmse "$BATS_TEST_TMPDIR/r.bin" "$r")
	echo "fused FM test RMSE $rmse (libFM SGD 0.9012)" >&3
	assert [ "$(echo "$rmse <= 0.9012" | bc -l)" = 1 ]
	s=$(side_stream)
	fm-train -q --optimizer adagrad -o "$BATS_TEST_TMPDIR/c.bin" "$s"
	auc=$(metric auc "$BATS_TEST_TMPDIR/c.bin" "$s")
	echo "fused FM test AUC $auc (libFM SGD 0.7836)" >&3
	at_least "$auc" 0.7836
	# the model's scores, whatever the width and threads asked for; another seed, others
	opts="-q --optimizer adagrad --epochs 5 --valid-ratio 0 --early-stop 0"
	fm-train $opts -o "$BATS_TEST_TMPDIR/a.bin" "$r"
	rs-eval -q --predict -m "$BATS_TEST_TMPDIR/a.bin" "$r" | rs-show > "$BATS_TEST_TMPDIR/pa"
	RS_SIMD=4 fm-train $opts --threads 2 -o "$BATS_TEST_TMPDIR/b.bin" "$r"
	rs-eval -q --predict -m "$BATS_TEST_TMPDIR/b.bin" "$r" | rs-show | cmp - "$BATS_TEST_TMPDIR/pa"
	fm-train $opts --seed 2 -o "$BATS_TEST_TMPDIR/c2.bin" "$r"
	run cmp -s <(rs-eval -q --predict -m "$BATS_TEST_TMPDIR/c2.bin" "$r" | rs-show) "$BATS_TEST_TMPDIR/pa"
	assert_failure
	run fm-train --help
	assert_output --partial "Defaults under --optimizer adagrad:"
}
