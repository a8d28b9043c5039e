#!/usr/bin/env bats
# The library's modules form no circle, and none reaches a higher layer
# (tests/layering.sh): by the symbols each object file takes from another,
# and by the headers' and sources' includes. The layers are lib/'s folders
# in the Makefile's order ($LAYERS).

setup() {
	load helper
	: "${BUILDDIR:=$BATS_TEST_DIRNAME/../build}"
	CHECK="$BATS_TEST_DIRNAME/layering.sh"
}

@test "layering: no circle among the library's modules or its headers, no arrow to a higher layer" {
	[ -n "${LAYERS:-}" ] || fail "LAYERS is not set (make test sets it)"
	run sh "$CHECK" "$BUILDDIR/lib" "$BATS_TEST_DIRNAME/../include" "$BATS_TEST_DIRNAME/../lib"
	assert_success
	assert_output ""
	# and it read the library: every module of lib/ has its object, in a
	# folder that is a layer, and lib/ has nothing outside them
	lib=$BATS_TEST_DIRNAME/../lib
	assert_equal "$(cd "$lib" && for c in */*.c; do [ -e "$BUILDDIR/lib/${c%.c}.o" ] || echo "$c"; done)" ""
	assert_equal "$(cd "$lib" && ls -d */ | tr -d / | sort)" "$(printf '%s\n' $LAYERS | sort)"
	assert_equal "$(ls "$lib" | grep -v /)" "$(cd "$lib" && ls -d */ | tr -d /)"
	# no model kind told by comparing its ops' address outside the kinds'
	# registry: a method is chosen by what the ops say (fit.h)
	run grep -rnE 'ops *[!=]= *&' "$lib" "$BATS_TEST_DIRNAME/../cmd"
	assert_output ""
}

@test "layering: an include or a call from a lower layer up to a higher one fails" {
	cd "$BATS_TEST_TMPDIR"
	mkdir -p lib/low lib/high obj/low obj/high inc
	printf 'void up(void);\nvoid low(void) { up(); }\n' > lib/low/low.c
	printf 'void up(void) {}\n' > lib/high/high.c
	printf 'int h;\n' > inc/high.h
	for f in low/low high/high; do cc -c -o "obj/$f.o" "lib/$f.c"; done
	LAYERS="low high" run sh "$CHECK" obj inc lib
	assert_failure 1
	assert_output "layering: low (low) reaches high (high), a higher layer"
	LAYERS="high low" run sh "$CHECK" obj inc lib
	assert_success
	# an include alone: the source names a higher module's header
	printf 'void low(void) {}\n' > lib/low/low.c
	printf '#include "high.h"\nvoid low2(void) {}\n' > lib/low/low2.c
	for f in low/low low/low2; do cc -Iinc -c -o "obj/$f.o" "lib/$f.c"; done
	LAYERS="low high" run sh "$CHECK" obj inc lib
	assert_failure 1
	assert_output "layering: low2 (low) reaches high (high), a higher layer"
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
