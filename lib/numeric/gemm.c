/* gemm.c: C += A B for the dense layers, on the widest vectors the CPU has.
 * The kernel is compiled once per width (gemm_kernel.h) and the width in
 * use (compute.h) picks one per call, so one binary runs everywhere and uses
 * AVX-512 where it can. */
#include "gemm.h"
#include "compute.h"
#include "parallel.h"

#include <string.h>

/* floats of Bm a kernel keeps in cache at once (gemm_kernel.h): 256 KB,
 * half the smallest per-core L2 of the machines rspipe is measured on */
#define GEMM_PANEL (64 * 1024)

typedef float v4 __attribute__((vector_size(16)));
#define GEMM_NAME gemm_v4
#define GEMM_VEC v4
#define GEMM_W 4
#define GEMM_ROWS 4
#define GEMM_ATTR
#include "gemm_kernel.h"
#undef GEMM_NAME
#undef GEMM_VEC
#undef GEMM_W
#undef GEMM_ROWS
#undef GEMM_ATTR

#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
#define RS_WIDE 1
typedef float v8 __attribute__((vector_size(32)));
#define GEMM_NAME gemm_v8
#define GEMM_VEC v8
#define GEMM_W 8
#define GEMM_ROWS 4
#define GEMM_ATTR __attribute__((target("avx2,fma")))
#include "gemm_kernel.h"
#undef GEMM_NAME
#undef GEMM_VEC
#undef GEMM_W
#undef GEMM_ROWS
#undef GEMM_ATTR

typedef float v16 __attribute__((vector_size(64)));
#define GEMM_NAME gemm_v16
#define GEMM_VEC v16
#define GEMM_W 16
#define GEMM_ROWS 8
#define GEMM_ATTR __attribute__((target("avx512f")))
#include "gemm_kernel.h"
#undef GEMM_NAME
#undef GEMM_VEC
#undef GEMM_W
#undef GEMM_ROWS
#undef GEMM_ATTR
#endif

void rs_gemm_acc(float *C, int ldc, const float *A, int sam, int sak, const float *Bm, int ldb,
		 int M, int N, int K)
{
	if (N == 1) {   /* a single column: one dot product per row, no vector tile */
		for (int m = 0; m < M; m++) {
			float acc = 0.0f;
			for (int k = 0; k < K; k++)
				acc += A[(size_t)m * sam + (size_t)k * sak] * Bm[(size_t)k * ldb];
			C[(size_t)m * ldc] += acc;
		}
		return;
	}
	switch (rs_compute_lanes()) {
#ifdef RS_WIDE
	case 16: gemm_v16(C, ldc, A, sam, sak, Bm, ldb, M, N, K); break;
	case 8: gemm_v8(C, ldc, A, sam, sak, Bm, ldb, M, N, K); break;
#endif
	default: gemm_v4(C, ldc, A, sam, sak, Bm, ldb, M, N, K); break;
	}
}

typedef struct gemm_job {
	float *C;
	const float *A, *Bm;
	int ldc, sam, sak, ldb, M, N, K;
} gemm_job;

static void gemm_rows(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const gemm_job *j = ctx;
	rs_gemm_acc(j->C + lo * (size_t)j->ldc, j->ldc, j->A + lo * (size_t)j->sam, j->sam, j->sak, j->Bm,
		    j->ldb, (int)(hi - lo), j->N, j->K);
}

/* Columns [lo, hi) of C: the whole of A against those columns of Bm. */
static void gemm_cols(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const gemm_job *j = ctx;
	rs_gemm_acc(j->C + lo, j->ldc, j->A, j->sam, j->sak, j->Bm + lo, j->ldb, j->M, (int)(hi - lo), j->K);
}

/* blocks of 64 rows: a multiple of every kernel's tile height; of 32
 * columns: a multiple of every kernel's tile width */
enum { GEMM_BLOCK = 64, GEMM_COLS = 32 };

void rs_gemm_acc_threads(int threads, float *C, int ldc, const float *A, int sam, int sak,
			 const float *Bm, int ldb, int M, int N, int K)
{
	gemm_job j = {C, A, Bm, ldc, sam, sak, ldb, M, N, K};
	if (threads > 1 && M >= 2 * GEMM_BLOCK)
		rs_parallel_for((size_t)M, GEMM_BLOCK, threads, gemm_rows, &j);
	else if (threads > 1 && N >= 2 * GEMM_COLS) {
		/* few rows (a weight's gradient, the last positions of a
		 * step): the threads take blocks of columns instead, a few
		 * each, tile-aligned so that every element is summed as before */
		size_t per = ((size_t)N / (4 * (size_t)threads) + GEMM_COLS - 1) / GEMM_COLS * GEMM_COLS;
		rs_parallel_for((size_t)N, per > GEMM_COLS ? per : GEMM_COLS, threads, gemm_cols, &j);
	} else
		rs_gemm_acc(C, ldc, A, sam, sak, Bm, ldb, M, N, K);
}
