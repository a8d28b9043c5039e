#!/bin/sh
# Run the C unit tests and every BATS suite as one TAP stream; end with the
# line "N passed, N failed" and a non-zero exit when anything failed.
# Called by `make test` with BINDIR, BUILDDIR, UNITDIR and ML100K_DIR set.
set -u
cd "$(dirname "$0")/.."
export BINDIR BUILDDIR UNITDIR REPLAYDIR ML100K_DIR
{
	for t in "$UNITDIR"/test_*; do
		[ -x "$t" ] || continue
		# a crash is a failure that the binary cannot print itself
		"$t" || echo "not ok - $(basename "$t") exited with status $?"
	done
	# every fuzz harness over its seeds and every finding so far
	for t in "$REPLAYDIR"/fuzz_*; do
		[ -x "$t" ] || continue
		n=${t##*/fuzz_}
		extra=
		[ "$n" = show ] && extra="tests/fuzz/regress/stream tests/fuzz/regress/model"
		"$t" "tests/fuzz/corpus/$n" "tests/fuzz/regress/$n" $extra ||
			echo "not ok - $(basename "$t") exited with status $?"
	done
	bats --tap tests/*.bats || true
} 2>&1 | awk '
	{ print; fflush() }
	/^ok /     { pass++ }
	/^not ok / { fail++ }
	END {
		printf "%d passed, %d failed\n", pass, fail
		exit (fail > 0 || pass == 0)
	}'
