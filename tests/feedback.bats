#!/usr/bin/env bats
# What a person at a terminal is told, and a pipe is not: the progress
# line inside an epoch and the run's total time, the kept epoch's metrics
# in rs-show, and a tool waiting on the keyboard saying so.

setup() {
	load helper
	need_ml100k
	cd "$BATS_TEST_TMPDIR"
	command -v script > /dev/null || skip "no script(1) to give the tools a terminal"
}

# tty COMMAND: COMMAND's terminal output (stdout and stderr, as script(1)
# records them, \r\n line ends), stdin the terminal too
tty() {
	script -qec "$1" /dev/null < /dev/null
}

@test "on a terminal: a progress line rewritten in place with records/s and time left, then the total time; in a pipe exactly the epoch lines" {
	s=$(split_stream)
	# 689 batches of 128 an epoch: a progress line each 64
	tty "mf-train --epochs 2 -o m.bin $s" > tty.out
	mv m.bin tty.bin
	# each progress line begins by going back to the line's start and
	# clearing it, and the epoch's own line takes its place
	assert [ "$(tr '\r' '\n' < tty.out | grep -c $'^\e\\[Kmf-train: epoch 1/2 \\+[0-9]\\+% [0-9]\\+ records/s [0-9]\\+ s left$')" -ge 5 ]
	assert [ "$(tr '\r' '\n' < tty.out | grep -c $'^\e\\[Kmf-train: epoch 2/2 \\+[0-9]\\+% [0-9]\\+ records/s [0-9]\\+ s left$')" -ge 5 ]
	assert_equal "$(tr '\r' '\n' < tty.out | grep -c $'^\e\\[Kmf-train: epoch [12]/2 train_loss [0-9.]* valid_rmse [0-9.]* test_rmse [0-9.]* [0-9.]* s$')" 2
	assert_equal "$(tr -d '\r' < tty.out | tail -n 1 | grep -c '^mf-train: trained in [0-9]*\.[0-9] s$')" 1
	# the same run in a pipe: the lines it always printed, nothing else
	run --separate-stderr mf-train --epochs 2 -o m.bin "$s"
	assert_success
	assert_equal "${#stderr_lines[@]}" 3
	assert_equal "$(echo "$stderr" | grep -c '^mf-train: epoch [12]/2 train_loss [0-9.]* valid_rmse [0-9.]* test_rmse [0-9.]* [0-9.]* s$')" 2
	assert_equal "$(echo "$stderr" | sed -n 3p | grep -c '^mf-train: 88200 train, 1800 valid, 10000 test records; kept epoch 2 of 2: valid_rmse [0-9.]* test_rmse [0-9.]*$')" 1
	refute [ "$(printf '%s' "$stderr" | tr -cd '\r\033' | wc -c)" -gt 0 ]
	# and the model the same
	cmp tty.bin m.bin
	# -q on a terminal: nothing from the tool (the terminal itself may echo
	# the end of input script(1) sends it)
	tty "mf-train -q --epochs 1 -o q.bin $s" > q.out
	assert_equal "$(grep -c 'mf-train' q.out)" 0
}

@test "rs-show MODEL: the kept epoch's validation and test metrics, as the training log has them" {
	s=$(split_stream)
	mf-train -q --epochs 4 --log mf.tsv -o mf.bin "$s"
	run rs-show mf.bin
	assert_success
	v=$(logged_metric mf.tsv mf.bin valid_rmse)
	t=$(logged_metric mf.tsv mf.bin test_rmse)
	assert_line "kept	valid_rmse $(printf '%.4f' "$v"), test_rmse $(printf '%.4f' "$t")"
	# a model that keeps no validation carve-out: its test metric alone
	als-train -q --iters 2 --log als.tsv -o als.bin "$(seq_stream)"
	run rs-show als.bin
	assert_line "kept	test_hr@10 $(printf '%.4f' "$(logged_metric als.tsv als.bin test_hr@10)"), test_ndcg@10 $(printf '%.4f' "$(logged_metric als.tsv als.bin test_ndcg@10)")"
}

@test "a tool about to read a terminal's stdin says so once; from a file or a pipe it does not" {
	run tty "rs-show"
	assert_equal "$(echo "$output" | tr -d '\r' | grep -cx 'rs-show: reading its input from the terminal (Ctrl-D ends it)')" 1
	assert_equal "$(echo "$output" | grep -c 'from the terminal')" 1
	run tty "rs-show -q"
	refute_output --partial "from the terminal"
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	run tty "rs-predict --serve -m mf.bin"
	assert_equal "$(echo "$output" | tr -d '\r' | grep -cx 'rs-predict: reading requests from the terminal (Ctrl-D ends it)')" 1
	run --separate-stderr bash -c "printf '196\t242\n' | rs-predict -m mf.bin"
	assert_success
	assert_equal "$stderr" ""
}
