#!/usr/bin/env bats
# rs-show: streams as text.

setup() {
	load helper
	need_ml100k
}

@test "rs-show: TSV with a column line, -n limits, --json prints arrays" {
	s=$(split_stream)
	run rs-show -n 2 "$s"
	assert_success
	assert_line --index 0 "split	user	item	rating	ts"
	assert_line --index 1 --regexp '^[01]	0	0	3	881250949$'
	assert_equal "${#lines[@]}" 3
	run rs-show --json -n 1 < "$s"
	assert_output --regexp '^\[[01], 0, 0, 3, 881250949\]$'
}

@test "rs-show: quiet success when the reader stops early" {
	s=$(split_stream)
	pipe "rs-show '$s' | head -3 | wc -l"
	assert_success
	assert_output 3
}

@test "rs-show: errors name the input" {
	run rs-show /nonexistent.mp
	assert_failure 1
	assert_output "rs-show: /nonexistent.mp: No such file or directory"
	run rs-show "$UDATA"
	assert_failure 1
	assert_output "rs-show: $UDATA:header: not an rs-stream (first object is not a header map; ratings text goes through ml-split first)"
}
