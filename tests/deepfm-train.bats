#!/usr/bin/env bats
# deepfm-train on clicks (rating > 3) on the real MovieLens-100K, seed-1
# random split.

setup() {
	load helper
	need_ml100k
}

# Bounds: the PyTorch port of d2l 16 gives DeepFM d2l AUC 0.760 and a
# user+item click-rate score 0.767; the d2l bound is the port's less 0.01
# for one split's spread.

@test "deepfm-train --preset d2l: test AUC at least 0.75" {
	c=$(ctr_stream)
	deepfm-train -q --preset d2l < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	auc=$(metric auc "$BATS_TEST_TMPDIR/d.bin" "$c")
	echo "DeepFM d2l test AUC $auc" >&3
	at_least "$auc" 0.75
	run rs-show --full "$BATS_TEST_TMPDIR/d.bin"
	assert_output --partial '{"name": "W1", "shape": [20, 50], "data": {"bytes": 4000}}'
	assert_output --partial '{"name": "Wout", "shape": [10, 1], "data": {"bytes": 40}}'
}

# Issue 4's bar (0.795) is not met (docs/tuning.md says why); the defaults
# must still beat the port's click-rate score and DeepFM d2l by 0.01.
@test "deepfm-train defaults: test AUC at least 0.777, equal to the logged AUC of the kept epoch" {
	kept_metric deepfm-train auc "$(ctr_stream)"
	at_least "$kept" 0.777
}

# Two epochs: past the port's DeepFM d2l after its twenty (0.760).
@test "deepfm-train with side features pools genres; same seed, same bytes" {
	s=$(side_stream)
	deepfm-train -q --epochs 2 --valid-ratio 0 --early-stop 0 < "$s" > "$BATS_TEST_TMPDIR/a.bin"
	deepfm-train -q --epochs 2 --valid-ratio 0 --early-stop 0 < "$s" > "$BATS_TEST_TMPDIR/b.bin"
	cmp "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/b.bin"
	auc=$(metric auc "$BATS_TEST_TMPDIR/a.bin" "$s")
	at_least "$auc" 0.760
	run rs-show --full "$BATS_TEST_TMPDIR/a.bin"
	assert_output --partial '{"name": "W1", "shape": [128, 50]'
}

@test "--mlp: 8 layers train; 9 are refused before any input is read" {
	deepfm-train -q --epochs 1 --mlp 4,4,4,4,4,4,4,4 < "$CORPUS/stream/ctr.mp" > "$BATS_TEST_TMPDIR/d.bin"
	run rs-show --full "$BATS_TEST_TMPDIR/d.bin"
	assert_output --partial '"name": "W8"'
	run --separate-stderr timeout 5 deepfm-train --mlp 4,4,4,4,4,4,4,4,4 < /dev/zero
	assert_failure 2
	assert_equal "$stderr" "deepfm-train: option --mlp: at most 8 layers
Try 'deepfm-train --help' for more information."
	run --separate-stderr deepfm-train --mlp 50,,10 < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "deepfm-train: option --mlp: '50,,10' is not a list of sizes like 50,40,25"
}
