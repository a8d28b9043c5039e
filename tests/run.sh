#!/bin/sh
# Run the C unit tests, the fuzz replays and every BATS suite, each checked
# as a TAP stream of its own (tests/tap.awk), and end with the one line
# "N passed, N failed, N skipped"; exit non-zero when anything failed or
# nothing passed. A skip is never a pass. Called by `make test` with BINDIR,
# BUILDDIR, UNITDIR, REPLAYDIR and ML100K_DIR set; BATS files as arguments
# run those suites in place of every tests/*.bats.
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- tests/*.bats
export BINDIR BUILDDIR UNITDIR REPLAYDIR ML100K_DIR

# check NAME CMD...: run one producer, its TAP checked and tallied
check() {
	name=$1
	shift
	{ "$@" 2>&1; echo "#rs-exit $?"; } | awk -v name="$name" -f tests/tap.awk
}

{
	# each unit test of tests/unit (UNITSRC), by its source: a binary left
	# in UNITDIR from a test since renamed is not run, one not built fails
	for c in "${UNITSRC:-tests/unit}"/test_*.c; do
		t=${c##*/}
		t=${t%.c}
		check "$t" "$UNITDIR/$t"
	done
	# every fuzz harness over its seeds and every finding so far
	for t in "$REPLAYDIR"/fuzz_*; do
		[ -x "$t" ] || continue
		n=${t##*/fuzz_}
		extra=
		[ "$n" = show ] && extra="tests/fuzz/regress/stream tests/fuzz/regress/model"
		check "${t##*/}" "$t" "tests/fuzz/corpus/$n" "tests/fuzz/regress/$n" $extra
	done
	for f in "$@"; do
		check "$f" bats --tap "$f"
	done
} | awk -f tests/tally.awk
