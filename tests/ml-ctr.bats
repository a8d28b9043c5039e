#!/usr/bin/env bats
# ml-ctr: click labels from ratings.

setup() {
	load helper
	need_ml100k
}

@test "ml-ctr: click count equals the number of ratings above 3" {
	want=$(awk -F'\t' '$3 > 3' "$UDATA" | wc -l)
	assert_equal "$want" 55375
	pipe "ml-split -q < '$UDATA' | ml-ctr -q | rs-show | awk 'NR > 1 { n += \$6 } END { print n }'"
	assert_output "$want"
	pipe "ml-split -q < '$UDATA' | ml-ctr -q --threshold 4 | rs-show | awk 'NR > 1 { n += \$6 } END { print n }'"
	assert_output "$(awk -F'\t' '$3 > 4' "$UDATA" | wc -l)"
}

@test "ml-ctr: click follows rating on every record, other columns pass through" {
	s=$(split_stream)
	ml-ctr -q < "$s" > "$BATS_TEST_TMPDIR/c.mp"
	run bash -c "rs-show '$BATS_TEST_TMPDIR/c.mp' | awk 'NR > 1 && (\$4 > 3) != \$6' | wc -l"
	assert_output 0
	cmp <(rs-show "$s") <(rs-show "$BATS_TEST_TMPDIR/c.mp" | cut -f1-5)
	run rs-show --header "$BATS_TEST_TMPDIR/c.mp"
	assert_output --partial '"columns": ["split", "user", "item", "rating", "ts", "click"], "target": "click"'
	assert_output --partial '"history": ["ml-split -q", "ml-ctr -q"]'
}

@test "ml-ctr: summary line" {
	s=$(split_stream)
	run --separate-stderr bash -c "ml-ctr < '$s' > /dev/null"
	assert_equal "$stderr" "ml-ctr: 100000 records, 55375 clicks (rating > 3)"
}

@test "ml-ctr: rejects raw ratings text, empty input, truncated and foreign streams" {
	run --separate-stderr bash -c "ml-ctr < '$UDATA' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin:header: not an rs-stream (first object is not a header map; ratings text goes through ml-split first)"
	run --separate-stderr bash -c "ml-ctr < /dev/null > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin: empty input (no stream header)"
	s=$(split_stream)
	size=$(stat -c %s "$s")
	head -c $((size - 3)) "$s" > "$BATS_TEST_TMPDIR/trunc.mp"
	run --separate-stderr bash -c "ml-ctr < '$BATS_TEST_TMPDIR/trunc.mp' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin:record 100000: truncated input (stream ends inside a record)"
	printf '\x81\xa6format\xa4json' > "$BATS_TEST_TMPDIR/foreign.mp"
	run --separate-stderr bash -c "ml-ctr < '$BATS_TEST_TMPDIR/foreign.mp' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin:header: not an rs-stream (no header map with format \"rs-stream\"; ratings text goes through ml-split first)"
	head -c 200 "$s" > "$BATS_TEST_TMPDIR/t2.mp"
	run --separate-stderr bash -c "ml-ctr < '$BATS_TEST_TMPDIR/t2.mp' > /dev/null"
	assert_equal "$stderr" "ml-ctr: stdin:header: truncated input (stream ends inside a header)"
}

@test "ml-ctr: rejects a stream that already has clicks, and corrupt bytes mid-stream" {
	s=$(split_stream)
	run --separate-stderr bash -c "ml-ctr -q < '$s' | ml-ctr > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin:header: the stream already has a 'click' column"
	# 0xc1 is never valid msgpack
	{ head -c 100000 "$s"; printf '\xc1\xc1\xc1'; } > "$BATS_TEST_TMPDIR/bad.mp"
	run --separate-stderr bash -c "ml-ctr < '$BATS_TEST_TMPDIR/bad.mp' > /dev/null"
	assert_failure 1
	assert_regex "$stderr" '^ml-ctr: stdin:record [0-9]+: not valid msgpack$'
	# the record named is the one the bad byte is in: three good ones, then it
	head -3 "$UDATA" | ml-split -q > "$BATS_TEST_TMPDIR/three.mp"
	printf '\xc1' >> "$BATS_TEST_TMPDIR/three.mp"
	run --separate-stderr bash -c "ml-ctr < '$BATS_TEST_TMPDIR/three.mp' > /dev/null"
	assert_failure 1
	assert_equal "$stderr" "ml-ctr: stdin:record 4: not valid msgpack"
}

@test "ml-ctr: usage" {
	run ml-ctr --threshold abc
	assert_failure 2
	assert_line --index 0 "ml-ctr: option --threshold: 'abc' is not a number"
	run ml-ctr one two
	assert_failure 2
	assert_line --index 0 "ml-ctr: unexpected operand 'two' (one input file at most)"
	run ml-ctr --help
	assert_success
}
