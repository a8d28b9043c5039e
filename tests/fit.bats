#!/usr/bin/env bats
# The fitting skeleton (include/fit.h): whatever the method that fits the
# model, one epoch line on stderr, one summary, one --log header per task,
# and one divergence message.

setup() {
	load helper
	need_ml100k
}

seq_fm_stream() {
	local f="$BATS_FILE_TMPDIR/seqfm.mp"
	[ -s "$f" ] || ml-onehot -q --seq < "$(seq_stream)" > "$f"
	echo "$f"
}

# assert_epoch_lines TOOL METRIC VALID EPOCHS: stderr is EPOCHS epoch lines
# of TOOL in the one format (with the validation metric when VALID is 1),
# then the summary
assert_epoch_lines() {
	local tool=$1 metric=$2 valid=$3 epochs=$4 num='([0-9]+[.][0-9]+|nan)' v=
	[ "$valid" = 1 ] && v=" valid_$metric $num"
	# a method that ranks a sample of users says how many and their cost
	local ranked='( \(ranked [0-9]+ valid, [0-9]+ test users in [0-9.]+ s\))?'
	[ "$metric" = 'hr@10' ] || ranked=
	assert_equal "$(echo "$stderr" | wc -l)" $((epochs + 1))
	for e in $(seq 1 "$epochs"); do
		assert_regex "$(echo "$stderr" | sed -n "${e}p")" \
			"^$tool: epoch $e/$epochs train_loss $num$v test_$metric $num [0-9.]+ s$ranked\$"
	done
	if [ "$valid" = 1 ]; then
		assert_regex "$(echo "$stderr" | tail -1)" \
			"^$tool: [0-9]+ train, [0-9]+ valid, [0-9]+ test records; kept epoch [0-9]+ of $epochs: valid_$metric $num test_$metric $num\$"
	else
		assert_regex "$(echo "$stderr" | tail -1)" \
			"^$tool: [0-9]+ train, [0-9]+ test records; kept epoch $epochs of $epochs: test_$metric $num\$"
	fi
}

@test "fit: every method prints the same epoch line and summary" {
	s=$(split_stream) c=$(ctr_stream) r=$(side_ratings_stream) q=$(seq_stream) f=$(seq_fm_stream)
	o="-o $BATS_TEST_TMPDIR/m.bin"
	run --separate-stderr mf-train --epochs 2 $o "$s"
	assert_success
	assert_epoch_lines mf-train rmse 1 2
	run --separate-stderr mf-train --optimizer adagrad --epochs 2 $o "$s"
	assert_epoch_lines mf-train rmse 1 2
	run --separate-stderr fm-train --optimizer adagrad --epochs 2 $o "$r"
	assert_epoch_lines fm-train rmse 1 2
	run --separate-stderr fm-train --epochs 2 $o "$c"
	assert_epoch_lines fm-train auc 1 2
	run --separate-stderr deepfm-train --epochs 2 $o "$c"
	assert_epoch_lines deepfm-train auc 1 2
	run --separate-stderr mf-train --loss bpr --epochs 2 $o "$q"
	assert_epoch_lines mf-train 'hr@10' 1 2
	run --separate-stderr fm-train --loss softmax --epochs 2 $o "$f"
	assert_epoch_lines fm-train 'hr@10' 1 2
	run --separate-stderr fm-train --loss sampled-softmax --epochs 2 $o "$f"
	assert_epoch_lines fm-train 'hr@10' 1 2
	# the methods without a validation set: ALS's sweeps, the sampler
	run --separate-stderr als-train --iters 2 $o "$q"
	assert_success
	assert_epoch_lines als-train 'hr@10' 0 2
	run --separate-stderr fm-train --method mcmc --iters 3 --burn-in 1 $o "$r"
	assert_success
	assert_epoch_lines fm-train rmse 0 3
	run --separate-stderr fm-train --method mcmc --iters 3 --burn-in 1 $o "$c"
	assert_epoch_lines fm-train auc 0 3
}

@test "fit: one divergence message, naming the method's option, exit 1, no model" {
	s=$(split_stream) q=$(seq_stream)
	mkdir "$BATS_TEST_TMPDIR/out"
	m=$BATS_TEST_TMPDIR/out/m.bin
	run --separate-stderr mf-train -q --lr 1e9 --epochs 2 -o "$m" "$s"
	assert_failure 1
	assert_regex "$stderr" '^mf-train: epoch 1: training diverged \(loss is [-0-9.e+a-z]+\); try a lower --lr \(now 1e\+09\)$'
	run --separate-stderr mf-train -q --optimizer adagrad --lr 1e9 --epochs 2 -o "$m" "$s"
	assert_failure 1
	assert_regex "$stderr" '^mf-train: epoch 1: training diverged \(loss is [-0-9.e+a-z]+\); try a lower --lr \(now 1e\+09\)$'
	run --separate-stderr mf-train -q --loss bpr --lr 1e9 --epochs 2 -o "$m" "$q"
	assert_failure 1
	assert_regex "$stderr" '^mf-train: epoch 1: training diverged \(loss is [-0-9.e+a-z]+\); try a lower --lr \(now 1e\+09\)$'
	assert_equal "$(ls "$BATS_TEST_TMPDIR/out")" ""
}

@test "fit: --optimizer adagrad names no method for DeepFM's pointwise loss; under a ranking loss it is the row-wise step" {
	c=$(ctr_stream)
	run --separate-stderr deepfm-train -q --optimizer adagrad "$c"
	assert_failure 2
	assert_equal "$(echo "$stderr" | head -1)" "deepfm-train: --optimizer adagrad is the fused solver of mf-train's, fm-train's and ffm-train's pointwise loss"
	mf-train -q --optimizer adagrad --loss bpr --epochs 1 -o "$BATS_TEST_TMPDIR/a.bin" "$(seq_stream)"
	run rs-show --full "$BATS_TEST_TMPDIR/a.bin"
	assert_output --partial '"optimizer": "adagrad"'
}
