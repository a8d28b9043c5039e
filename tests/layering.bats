#!/usr/bin/env bats
# The library's modules form no circle (tests/layering.sh): by the symbols
# each object file takes from another, and by the headers' includes.

setup() {
	load helper
	: "${BUILDDIR:=$BATS_TEST_DIRNAME/../build}"
	CHECK="$BATS_TEST_DIRNAME/layering.sh"
}

@test "layering: no circle among the library's modules or its headers" {
	run sh "$CHECK" "$BUILDDIR/lib" "$BATS_TEST_DIRNAME/../include"
	assert_success
	assert_output ""
	# and it read the library: every module of lib/ has its object
	assert_equal "$(ls "$BUILDDIR"/lib/*.o | wc -l)" "$(ls "$BATS_TEST_DIRNAME"/../lib/*.c | wc -l)"
}

@test "layering: two modules that call each other, or two headers that include each other, are a circle" {
	cd "$BATS_TEST_TMPDIR"
	mkdir obj inc
	printf 'void b(void);\nvoid a(void) { b(); }\n' > a.c
	printf 'void a(void);\nvoid b(void) { a(); }\nvoid c(void) {}\n' > b.c
	printf 'void c(void);\nvoid d(void) { c(); }\n' > d.c
	for f in a b d; do cc -c -o "obj/$f.o" "$f.c"; done
	run sh "$CHECK" obj
	assert_failure 1
	assert_line --index 0 "layering: a circle of modules:"
	assert_line "  a"
	assert_line "  b"
	refute_line "  d"
	rm obj/a.o
	run sh "$CHECK" obj
	assert_success
	printf '#include "y.h"\n' > inc/x.h
	printf '#include "x.h"\n' > inc/y.h
	run sh "$CHECK" obj inc
	assert_failure 1
	assert_line "  x.h"
}
