#!/usr/bin/env bats
# mpirun -np 2 with the trainers of the shared loop (include/dist.h): data
# parallel, the ranks' parameters averaged each epoch, rank 0 writing.
# The tests that run mpirun are skipped, with the reason, where Open MPI is
# not installed (make deps installs it); the others run everywhere.

setup() {
	load helper
	need_ml100k
	# CI runs as root, which Open MPI refuses unless told
	export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	# Open MPI's own allocations outlive MPI_Finalize (in plugins it has
	# unloaded, so no suppression can name them): under check-asan the ranks
	# skip the leak check, which every run without mpirun still makes of
	# the same training code
	MPIRUN="mpirun --oversubscribe -np 2 -x ASAN_OPTIONS=detect_leaks=0"
}

need_mpirun() {
	command -v mpirun > /dev/null ||
		skip "no mpirun (Open MPI: apt-get install openmpi-bin libopenmpi-dev)"
}

@test "mpirun -np 2 mf-train: test RMSE within 0.005 of one process, from stdin or a file operand; the fused solvers of MF and FM within 0.01" {
	need_mpirun
	s=$(split_stream)
	mf-train -q -o "$BATS_TEST_TMPDIR/one.bin" < "$s"
	$MPIRUN "$BINDIR/mf-train" -q --log "$BATS_TEST_TMPDIR/two.log" -o "$BATS_TEST_TMPDIR/two.bin" < "$s"
	$MPIRUN "$BINDIR/mf-train" -q -o "$BATS_TEST_TMPDIR/file.bin" "$s"
	one=$(metric rmse "$BATS_TEST_TMPDIR/one.bin" "$s")
	two=$(metric rmse "$BATS_TEST_TMPDIR/two.bin" "$s")
	echo "mf-train test RMSE: one process $one, two ranks $two" >&3
	assert awk -v a="$one" -v b="$two" 'BEGIN { exit !(a - b < 0.005 && b - a < 0.005) }'
	assert_equal "$(metric rmse "$BATS_TEST_TMPDIR/file.bin" "$s")" "$two"
	# one log, rank 0's, with the train loss over both ranks' records
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/two.log" | cut -f1-2)" "epoch	train_loss"
	# the fused solver: each rank its half, the rows averaged each epoch
	ag="--optimizer adagrad --lr 0.1 --l2 0.05 --factors 30 --epochs 20 --valid-ratio 0 --early-stop 0"
	mf-train -q $ag -o "$BATS_TEST_TMPDIR/ag1.bin" "$s"
	$MPIRUN "$BINDIR/mf-train" -q $ag -o "$BATS_TEST_TMPDIR/ag2.bin" "$s"
	one=$(metric rmse "$BATS_TEST_TMPDIR/ag1.bin" "$s")
	two=$(metric rmse "$BATS_TEST_TMPDIR/ag2.bin" "$s")
	echo "mf-train --optimizer adagrad test RMSE: one process $one, two ranks $two" >&3
	assert awk -v a="$one" -v b="$two" 'BEGIN { exit !(b - a < 0.01 && a - b < 0.01) }'
	# FM's fused solver the same way, on ML-100K's side features
	r=$(side_ratings_stream)
	fm-train -q --optimizer adagrad -o "$BATS_TEST_TMPDIR/fa1.bin" "$r"
	$MPIRUN "$BINDIR/fm-train" -q --optimizer adagrad -o "$BATS_TEST_TMPDIR/fa2.bin" "$r"
	one=$(metric rmse "$BATS_TEST_TMPDIR/fa1.bin" "$r")
	two=$(metric rmse "$BATS_TEST_TMPDIR/fa2.bin" "$r")
	echo "fm-train --optimizer adagrad test RMSE: one process $one, two ranks $two" >&3
	assert awk -v a="$one" -v b="$two" 'BEGIN { exit !(b - a < 0.01 && a - b < 0.01) }'
}

@test "mpirun -np 2 and 3 als-train: the users and items split over the ranks, the same model as one process, the same HR@10" {
	need_mpirun
	s=$(split_stream)
	als-train -q --threads 1 -o "$BATS_TEST_TMPDIR/one.bin" < "$s"
	rs-show --full "$BATS_TEST_TMPDIR/one.bin" | jq -c 'del(.header.history)' > "$BATS_TEST_TMPDIR/one.json"
	for np in 2 3; do
		mpirun --oversubscribe -np $np -x ASAN_OPTIONS=detect_leaks=0 "$BINDIR/als-train" -q --threads 1 \
			-o "$BATS_TEST_TMPDIR/$np.bin" < "$s"
		rs-show --full "$BATS_TEST_TMPDIR/$np.bin" | jq -c 'del(.header.history)' > "$BATS_TEST_TMPDIR/$np.json"
		cmp "$BATS_TEST_TMPDIR/one.json" "$BATS_TEST_TMPDIR/$np.json"
		assert_equal "$(rs-eval --rank -m "$BATS_TEST_TMPDIR/$np.bin" < "$s" | tail -n +2)" \
			"$(rs-eval --rank -m "$BATS_TEST_TMPDIR/one.bin" < "$s" | tail -n +2)"
	done
}

@test "mpirun -np 2 sasrec-train: each rank half the users, the parameters averaged each epoch, still finds the item five steps back (HR@1 at least 0.95, as one process)" {
	need_mpirun
	s=$(ka_stream)
	$MPIRUN "$BINDIR/sasrec-train" -q --factors 64 --maxlen 10 --epochs 150 --early-stop 0 --valid-ratio 0 \
		--lr 0.005 --batch-size 32 --dropout 0 -o "$BATS_TEST_TMPDIR/two.bin" "$s"
	at_least "$(hr_at 1 "$BATS_TEST_TMPDIR/two.bin" "$s")" 0.95
}

@test "mpirun: a data error stops every rank with exit 1 and no model; --method mcmc is refused" {
	need_mpirun
	run $MPIRUN "$BINDIR/mf-train" -q -o "$BATS_TEST_TMPDIR/x.bin" < "$UDATA"
	assert_failure
	assert_output --partial "mf-train: stdin:header: not an rs-stream"
	assert [ ! -e "$BATS_TEST_TMPDIR/x.bin" ]
	run $MPIRUN "$BINDIR/fm-train" --method mcmc -q -o "$BATS_TEST_TMPDIR/x.bin" < "$(split_stream)"
	assert_failure
	assert_output --partial "fm-train: fm-train --method mcmc trains in one process"
}

@test "without mpirun a trainer takes a file operand too, and refuses a second" {
	s=$(split_stream)
	mf-train -q --epochs 2 "$s" > "$BATS_TEST_TMPDIR/a.bin"
	mf-train -q --epochs 2 < "$s" > "$BATS_TEST_TMPDIR/b.bin"
	assert_equal "$(metric rmse "$BATS_TEST_TMPDIR/a.bin" "$s")" "$(metric rmse "$BATS_TEST_TMPDIR/b.bin" "$s")"
	run --separate-stderr mf-train -q "$s" "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "mf-train: unexpected operand '$s' (one input file at most)"
}
