/* The matrix product at every vector width the CPU has, against a plain
 * triple loop in double, on shapes with full tiles and ragged edges, with A
 * read straight and transposed. Each element sums over k in the same order
 * in both, so the only difference is float rounding (and fused
 * multiply-add): the bound is 1e-5 relative to the sum of |terms|. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"
#include "gemm.h"
#include "mem.h"
#include "rng.h"
#include "tap.h"

/* C += A B on 2 and 3 threads against one (C0 the start, want one's
 * result): the same bits, or a count of the runs that differ. */
static int same_on_threads(const float *C0, const float *want, const float *A, int sam, int sak,
			   const float *Bm, int M, int N, int K)
{
	float *C = rs_malloc((size_t)M * N * sizeof *C);
	int differ = 0;
	for (int threads = 2; threads <= 3; threads++) {
		memcpy(C, C0, (size_t)M * N * sizeof *C);
		rs_gemm_acc_threads(threads, C, N, A, sam, sak, Bm, N, M, N, K);
		differ += memcmp(C, want, (size_t)M * N * sizeof *C) != 0;
	}
	free(C);
	return differ;
}

static int check(int M, int N, int K, int transposed, rs_rng *rng, int *differ)
{
	/* A is (M, K), or its transpose (K, M) read with swapped strides */
	int sam = transposed ? 1 : K, sak = transposed ? M : 1;
	float *A = rs_malloc((size_t)M * K * sizeof *A);
	float *Bm = rs_calloc((size_t)K * N + RS_GEMM_SLACK, sizeof *Bm);
	float *C = rs_malloc((size_t)M * N * sizeof *C);
	for (int i = 0; i < M * K; i++)
		A[i] = (float)rs_rng_normal(rng);
	for (int i = 0; i < K * N; i++)
		Bm[i] = (float)rs_rng_normal(rng);
	for (int i = 0; i < M * N; i++)
		C[i] = (float)rs_rng_normal(rng);
	double *want = rs_malloc((size_t)M * N * sizeof *want), *mag = rs_malloc((size_t)M * N * sizeof *mag);
	for (int m = 0; m < M; m++)
		for (int n = 0; n < N; n++) {
			double s = C[m * N + n], a = fabs(s);
			for (int k = 0; k < K; k++) {
				double t = (double)A[m * sam + k * sak] * Bm[k * N + n];
				s += t;
				a += fabs(t);
			}
			want[m * N + n] = s;
			mag[m * N + n] = a;
		}
	float *C0 = rs_malloc((size_t)M * N * sizeof *C0);
	memcpy(C0, C, (size_t)M * N * sizeof *C0);
	rs_gemm_acc(C, N, A, sam, sak, Bm, N, M, N, K);
	*differ += same_on_threads(C0, C, A, sam, sak, Bm, M, N, K);
	free(C0);
	int bad = 0;
	for (int i = 0; i < M * N; i++)
		bad += !(fabs(C[i] - want[i]) <= 1e-5 * mag[i]);
	free(A);
	free(Bm);
	free(C);
	free(want);
	free(mag);
	return bad;
}

int main(void)
{
	static const int shapes[][3] = {
		{1, 1, 1}, {9, 11, 13}, {2048, 50, 20}, {50, 40, 2048}, {37, 25, 40},
		{8, 32, 5}, {16, 64, 3}, {3, 2, 7}, {33, 17, 1}, {20, 10, 25},
		/* threads by rows, Bm past one panel (gemm_kernel.h); by
		 * columns, as a weight's gradient and a step's last positions */
		{300, 2100, 64}, {64, 64, 3000}, {90, 1500, 40},
	};
	int nshape = (int)(sizeof shapes / sizeof shapes[0]);
	rs_rng rng;
	rs_rng_seed(&rng, 7);
	/* the widest width is the CPU's, as the instruction sets it has say
	 * (the kernels are chosen by these same features, at run time) */
	int cpu = 4;
#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
	if (__builtin_cpu_supports("avx512f"))
		cpu = 16;
	else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		cpu = 8;
#endif
	int widest = rs_compute_set_lanes(0);
	ok(widest == cpu, "the widest kernel has the CPU's %d lanes (%d)", cpu, widest);
	for (int lanes = 4; lanes <= 16; lanes *= 2) {
		int got = rs_compute_set_lanes(lanes);
		if (lanes > cpu) {
			ok(got == 0 && rs_compute_lanes() == widest,
			   "%d lanes, more than the CPU has, are refused and change nothing", lanes);
			continue;
		}
		ok(got == lanes && rs_compute_lanes() == lanes, "%d lanes are taken (%d)", lanes, got);
		int bad = 0, differ = 0;
		for (int s = 0; s < nshape; s++)
			for (int t = 0; t < 2; t++)
				bad += check(shapes[s][0], shapes[s][1], shapes[s][2], t, &rng, &differ);
		ok(!bad, "%d lanes: C += A B matches double precision on %d shapes, A straight and transposed (%d mismatches)",
		   lanes, nshape, bad);
		ok(!differ, "%d lanes: on 2 and 3 threads, split by rows or by columns, the same bits as one (%d runs differ)",
		   lanes, differ);
	}
	return tap_done();
}
