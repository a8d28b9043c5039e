#!/usr/bin/env bats
# Every tool's -o: a regular file is replaced atomically; a path that exists
# and is not a regular file (a character device, a FIFO) is written in
# place and stays what it is, as coreutils' tools do (include/out.h).

setup() {
	load helper
	need_ml100k
}

@test "-o to a character device leaves it a device; to a FIFO delivers the model's bytes" {
	s=$(split_stream)
	cd "$BATS_TEST_TMPDIR"
	# a null device of the test's own (mknod needs root, as CI and make test run)
	mknod null c 1 3
	run mf-train -q --epochs 1 -o null "$s"
	assert_success
	assert [ -c null ]
	assert_equal "$(stat -c %t,%T null)" "1,3"
	# the same model through a FIFO read by cat as to a regular file of the
	# same name (the command line is in the model's header)
	mkdir a b
	mkfifo a/m
	cat a/m > fromfifo &
	(cd a && mf-train -q --epochs 1 -o m "$s")
	wait
	assert [ -p a/m ]
	(cd b && mf-train -q --epochs 1 -o m "$s")
	assert [ -f b/m ]
	cmp fromfifo b/m
}
