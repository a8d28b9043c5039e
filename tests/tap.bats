#!/usr/bin/env bats
# tests/run.sh and its TAP checks: the summary line cannot overstate.

setup() {
	load helper
	RUN_SH="$BATS_TEST_DIRNAME/run.sh"
	TAP="$BATS_TEST_DIRNAME/tap.awk"
	TALLY="$BATS_TEST_DIRNAME/tally.awk"
}

# tally TEXT STATUS: the tally line tap.awk gives for TEXT from a producer
# that exited with STATUS
tally() {
	printf '%s\n#rs-exit %s\n' "$1" "$2" | awk -v name=p -f "$TAP" 2>/dev/null | tail -1
}

@test "tap.awk: a complete passing stream is its passes" {
	assert_equal "$(tally "$(printf '1..2\nok 1 a\nok 2 b')" 0)" "#rs-tally 2 0 0"
}

@test "tap.awk: a stream cut short of its plan fails, with its passes kept" {
	assert_equal "$(tally "$(printf '1..3\nok 1 a\nok 2 b')" 0)" "#rs-tally 2 1 0"
	# the plan that comes last (the C units') is lost when the stream is cut
	assert_equal "$(tally "$(printf 'ok 1 a\nok 2 b')" 0)" "#rs-tally 2 1 0"
	# no exit line: the producer's output ended without its status
	assert_equal "$(printf '1..1\nok 1 a\n' | awk -v name=p -f "$TAP" 2>/dev/null | tail -1)" "#rs-tally 1 1 0"
}

@test "tap.awk: a skip is counted apart and named on stderr, never as a pass" {
	run --separate-stderr awk -v name=suite.bats -f "$TAP" <<-'EOF2'
	1..2
	ok 1 a
	ok 2 needs mpirun # skip no mpirun
	#rs-exit 0
	EOF2
	assert_success
	assert_equal "${lines[-1]}" "#rs-tally 1 0 1"
	assert_equal "$stderr" "suite.bats: skipped: ok 2 needs mpirun # skip no mpirun"
}

@test "tap.awk: a non-zero exit with no failed test, two plans, or a bail-out each add a failure" {
	assert_equal "$(tally "$(printf '1..1\nok 1 a')" 139)" "#rs-tally 1 1 0"
	assert_equal "$(tally "$(printf '1..1\nok 1 a\n1..1')" 0)" "#rs-tally 1 1 0"
	assert_equal "$(tally "$(printf '1..2\nok 1 a\nBail out! no data')" 1)" "#rs-tally 1 3 0"
	# a failed test is counted once, whatever the status says of it
	assert_equal "$(tally "$(printf '1..2\nok 1 a\nnot ok 2 b')" 1)" "#rs-tally 1 1 0"
}

@test "tally.awk: sums the producers into the last line; fails on a failure or on no pass" {
	run awk -f "$TALLY" <<-'EOF2'
	ok 1 a
	#rs-tally 3 0 1
	#rs-tally 2 0 0
	EOF2
	assert_success
	assert_equal "${lines[-1]}" "5 passed, 0 failed, 1 skipped"
	run awk -f "$TALLY" <<< "#rs-tally 3 1 0"
	assert_failure 1
	assert_equal "${lines[-1]}" "3 passed, 1 failed, 0 skipped"
	run awk -f "$TALLY" <<< "#rs-tally 0 0 4"
	assert_failure 1
	assert_equal "${lines[-1]}" "0 passed, 0 failed, 4 skipped"
}

@test "run.sh: a unit test whose TAP stream is cut short fails the whole suite" {
	mkdir -p "$BATS_TEST_TMPDIR/units" "$BATS_TEST_TMPDIR/replays" "$BATS_TEST_TMPDIR/src"
	# the stream of a test killed before its plan, as a crash leaves it
	printf '#!/bin/sh\necho "ok 1 - a"\necho "ok 2 - b"\nkill -9 $$\n' > "$BATS_TEST_TMPDIR/units/test_cut"
	chmod +x "$BATS_TEST_TMPDIR/units/test_cut"
	: > "$BATS_TEST_TMPDIR/src/test_cut.c"
	printf '@test "one" {\n\ttrue\n}\n' > "$BATS_TEST_TMPDIR/one.bats"
	# a clean environment and PATH: the outer bats's variables, and its
	# libexec folder on PATH, would steer the inner one
	local path
	path=$(printf '%s' "$PATH" | tr : '\n' | grep -v bats-core | paste -sd:)
	run env -i PATH="$path" HOME="$HOME" UNITDIR="$BATS_TEST_TMPDIR/units" REPLAYDIR="$BATS_TEST_TMPDIR/replays" \
		UNITSRC="$BATS_TEST_TMPDIR/src" sh "$RUN_SH" "$BATS_TEST_TMPDIR/one.bats"
	assert_failure 1
	assert_line "not ok - test_cut: no plan: the TAP stream was cut short, or never began"
	assert_line "not ok - test_cut: exited with status 137 though no test failed"
	assert_equal "${lines[-1]}" "3 passed, 2 failed, 0 skipped"
}

@test "run.sh: the unit tests are those with a source: a binary left from a renamed test is not run, one not built fails" {
	mkdir -p "$BATS_TEST_TMPDIR/units" "$BATS_TEST_TMPDIR/replays" "$BATS_TEST_TMPDIR/src"
	printf '#!/bin/sh\necho "ok 1 - stale"\necho "1..1"\n' > "$BATS_TEST_TMPDIR/units/test_old"
	printf '#!/bin/sh\necho "ok 1 - here"\necho "1..1"\n' > "$BATS_TEST_TMPDIR/units/test_here"
	chmod +x "$BATS_TEST_TMPDIR/units/test_old" "$BATS_TEST_TMPDIR/units/test_here"
	: > "$BATS_TEST_TMPDIR/src/test_here.c"
	printf '@test "one" {\n\ttrue\n}\n' > "$BATS_TEST_TMPDIR/one.bats"
	local path
	path=$(printf '%s' "$PATH" | tr : '\n' | grep -v bats-core | paste -sd:)
	run env -i PATH="$path" HOME="$HOME" UNITDIR="$BATS_TEST_TMPDIR/units" REPLAYDIR="$BATS_TEST_TMPDIR/replays" \
		UNITSRC="$BATS_TEST_TMPDIR/src" sh "$RUN_SH" "$BATS_TEST_TMPDIR/one.bats"
	assert_success
	refute_line --partial "stale"
	assert_equal "${lines[-1]}" "2 passed, 0 failed, 0 skipped"
	: > "$BATS_TEST_TMPDIR/src/test_gone.c"
	run env -i PATH="$path" HOME="$HOME" UNITDIR="$BATS_TEST_TMPDIR/units" REPLAYDIR="$BATS_TEST_TMPDIR/replays" \
		UNITSRC="$BATS_TEST_TMPDIR/src" sh "$RUN_SH" "$BATS_TEST_TMPDIR/one.bats"
	assert_failure 1
	assert_line "not ok - test_gone: no plan: the TAP stream was cut short, or never began"
}
