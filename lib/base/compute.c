/* compute.c: the process-wide numeric state (compute.h). */
#include "compute.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

static int lanes;   /* 0 until chosen */

static int widest(void)
{
#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return 16;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return 8;
#endif
	return 4;
}

int rs_compute_set_lanes(int n)
{
	int w = widest();
	if (!n)
		n = w;
	if ((n != 4 && n != 8 && n != 16) || n > w)
		return 0;
	return lanes = n;
}

int rs_compute_lanes(void)
{
	return lanes ? lanes : rs_compute_set_lanes(0);
}

void rs_compute_init(void)
{
#ifdef __SSE__
	_mm_setcsr(_mm_getcsr() | 0x8040);   /* FTZ and DAZ */
#endif
	const char *cap = getenv("RS_SIMD");
	int n = 0;
	if (cap && *cap) {
		n = !strcmp(cap, "4") ? 4 : !strcmp(cap, "8") ? 8 : !strcmp(cap, "16") ? 16 : -1;
		if (n < 0)
			rs_die("RS_SIMD is '%s', not 4, 8 or 16", cap);
		while (!rs_compute_set_lanes(n))   /* at most: fewer where the CPU lacks it */
			n /= 2;
		return;
	}
	rs_compute_set_lanes(0);
}
