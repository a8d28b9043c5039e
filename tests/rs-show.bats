#!/usr/bin/env bats
# rs-show: streams as text.

setup() {
	load helper
	need_ml100k
}

@test "rs-show: TSV of raw ids with a column line, -n limits, --dense, --json objects keyed by column" {
	s=$(split_stream)
	run rs-show -n 2 "$s"
	assert_success
	assert_line --index 0 "split	user	item	rating	ts"
	assert_line --index 1 --regexp '^[01]	196	242	3	881250949$'
	assert_line --index 2 --regexp '^[01]	186	302	3	891717742$'
	assert_equal "${#lines[@]}" 3
	run rs-show --dense -n 2 "$s"
	assert_line --index 2 --regexp '^[01]	1	1	3	891717742$'
	run rs-show --json -n 1 < "$s"
	assert_output --regexp '^\{"split": [01], "user": 196, "item": 242, "rating": 3, "ts": 881250949\}$'
	pipe "ml-onehot -q < '$s' | rs-show -j | jq -c 'select(.user == 196 and .item == 242) | [.rating, .x]'"
	assert_output "[3,[0,943]]"
}

@test "rs-show: when the reader stops early, a quiet end with SIGPIPE's status (141)" {
	s=$(split_stream)
	run --separate-stderr bash -c "rs-show '$s' | head -3 | wc -l; echo \"\${PIPESTATUS[*]}\""
	assert_success
	assert_equal "$output" "$(printf '3\n141 0 0')"
	assert_equal "$stderr" ""
}

@test "rs-show: errors name the input" {
	run rs-show /nonexistent.mp
	assert_failure 1
	assert_output "rs-show: /nonexistent.mp: No such file or directory"
	run rs-show "$UDATA"
	assert_failure 1
	assert_output "rs-show: $UDATA:header: not an rs-stream (first object is not a header map; ratings text goes through ml-split first)"
}

@test "rs-show: a model as a summary, --full as its whole map" {
	m="$BATS_TEST_DIRNAME/fuzz/corpus/model/deepfm.bin"
	run rs-show "$m"
	assert_success
	assert_line --index 0 "kind	deepfm"
	assert_line --index 1 "task	click"
	# deepfm-train's defaults with --factors 2 --epochs 1 --mlp 3,2 (make-seeds.sh)
	assert_line --index 4 "hyper	factors 2, epochs 1, lr 0.005, weight_decay 0, l2 0.05, batch_size 512, optimizer adam, init xavier, init_std 0.01, seed 1, valid_ratio 0.05, early_stop 3, global_mean 0, mlp 3,2, dropout 0.1, loss pointwise, negatives 1, sampler uniform"
	assert_line --index 5 "users	5"
	assert_line --index 7 "fields	user 5, item 6"
	assert_line --index 8 "epochs	1 run, 1 kept"
	# the kept epoch's row of the model's log (--full's "log")
	assert_line --index 9 "kept	valid_auc 1.0000, valid_logloss 0.7071, test_auc 0.3333, test_logloss 0.8335, test_accuracy 0.5000"
	assert_line --index 10 "tensors	w0 [1, 1], V [11, 3], W1 [4, 3], b1 [3, 1], W2 [3, 2], b2 [2, 1], Wout [2, 1], bout [1, 1]"
	run rs-show --full "$m"
	assert_output --partial '"best_epoch": 1, "train_pairs": {"count": 28, "bits": 20, "data": {"bytes": 76}}, "tensors": [{"name": "w0", "shape": [1, 1], "data": {"bytes": 4}}'
}
