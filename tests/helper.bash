# Shared set-up of the BATS suites: tools from BINDIR, data from ML100K_DIR.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

: "${BINDIR:=$BATS_TEST_DIRNAME/../bin}"
: "${ML100K_DIR:=$BATS_TEST_DIRNAME/../../shared/data/ml-100k}"
PATH="$BINDIR:$PATH"
UDATA="$ML100K_DIR/u.data"

need_ml100k() {
	[ -f "$UDATA" ] || fail "MovieLens-100K not found in ML100K_DIR=$ML100K_DIR"
}

# Run a pipeline with pipefail; its stdout is text.
pipe() {
	run bash -o pipefail -c "$1"
}

# The stream of MovieLens-100K with a seed-1 random split, made once per file.
split_stream() {
	local f="$BATS_FILE_TMPDIR/split.mp"
	[ -s "$f" ] || ml-split -q < "$UDATA" > "$f"
	echo "$f"
}
