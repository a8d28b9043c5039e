#!/usr/bin/env bats
# data/fetch.sh: the download path, exercised on a local zip built from
# ML100K_DIR (this machine cannot reach GroupLens), with its checksum.

setup() {
	load helper
	need_ml100k
	command -v python3 >/dev/null || skip "python3 is needed to build the test zip"
}

make_zip() {   # a zip laid out like ml-100k.zip: ml-100k/u.data, ...
	mkdir -p "$BATS_TEST_TMPDIR/src/ml-100k"
	cp "$ML100K_DIR/u.data" "$ML100K_DIR/u.user" "$ML100K_DIR/u.item" "$BATS_TEST_TMPDIR/src/ml-100k/"
	(cd "$BATS_TEST_TMPDIR/src" && python3 -m zipfile -c ../ml-100k.zip ml-100k)
	echo "$BATS_TEST_TMPDIR/ml-100k.zip"
}

@test "fetch.sh: a zip with the right MD5 is unpacked, u.data intact" {
	z=$(make_zip)
	sum=$(md5sum "$z" | cut -d' ' -f1)
	mkdir "$BATS_TEST_TMPDIR/data"
	run sh "$BATS_TEST_DIRNAME/../data/fetch.sh" "$z" "$sum" "$BATS_TEST_TMPDIR/data"
	assert_success
	cmp "$BATS_TEST_TMPDIR/data/ml-100k/u.data" "$ML100K_DIR/u.data"
}

@test "fetch.sh: a zip with another MD5 is refused and removed" {
	z=$(make_zip)
	mkdir "$BATS_TEST_TMPDIR/data"
	run sh "$BATS_TEST_DIRNAME/../data/fetch.sh" "$z" 0e33842e24a9c977be4e0107933c0723 "$BATS_TEST_TMPDIR/data"
	assert_failure 1
	assert_output --regexp "^fetch: $z: MD5 [0-9a-f]{32} does not match the published 0e33842e24a9c977be4e0107933c0723$"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/data")" ""
}

@test "fetch.sh: a download that fails names ML100K_DIR and leaves no partial file" {
	mkdir "$BATS_TEST_TMPDIR/data"
	for url in "file://$BATS_TEST_TMPDIR/missing/ml-100k.zip" http://127.0.0.1:9/ml-100k.zip; do
		run sh "$BATS_TEST_DIRNAME/../data/fetch.sh" "$url" 0e33842e24a9c977be4e0107933c0723 "$BATS_TEST_TMPDIR/data"
		assert_failure 1
		assert_output "fetch: cannot get $url (no network?); with a copy of MovieLens-100K unpacked elsewhere, run: make run ML100K_DIR=/path/to/ml-100k"
		assert_equal "$(ls -A "$BATS_TEST_TMPDIR/data")" ""
	done
}

@test "data.mk: each MovieLens size has a target and GroupLens's published MD5" {
	cd "$BATS_TEST_DIRNAME/.."
	run env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -n data-1m data-25m
	assert_success
	assert_line --index 0 "sh data/fetch.sh \"https://files.grouplens.org/datasets/movielens/ml-1m.zip\" c4d9eecfca2ab87c1945afe126590906 data"
	assert_line --index 1 "sh data/fetch.sh \"https://files.grouplens.org/datasets/movielens/ml-25m.zip\" 6b51fb2759a8657d3bfcbfc42b592ada data"
}

@test "binary output is refused on a terminal" {
	command -v script >/dev/null || skip "script(1) is needed for a terminal"
	run script -qec "$BINDIR/ml-split < '$UDATA'" /dev/null
	assert_failure 2
	assert_output --partial "ml-split: refusing to write binary output to a terminal; redirect it to a file or a pipe"
}
