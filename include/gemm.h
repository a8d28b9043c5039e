/* gemm.h: the matrix product under the dense layers. */
#ifndef RS_GEMM_H
#define RS_GEMM_H

/* Floats that must be readable after the end of every Bm operand: a tile
 * loads whole vectors of Bm past a row's last column. Buffers that serve as
 * Bm (parameter blocks, model scratch) are allocated with this much more. */
#define RS_GEMM_SLACK 32

/* C (M, N) += A (M, K) Bm (K, N), at the width of compute.h; A's element (m, k) is A[m*sam + k*sak],
 * Bm's (k, n) is Bm[k*ldb + n], C's (m, n) is C[m*ldc + n]. */
void rs_gemm_acc(float *C, int ldc, const float *A, int sam, int sak, const float *Bm, int ldb,
		 int M, int N, int K);
/* The same on threads, each a block of C's rows (of its columns, when it
 * has few rows): every element is summed as one thread sums it, so any
 * number of threads gives the same bits. */
void rs_gemm_acc_threads(int threads, float *C, int ldc, const float *A, int sam, int sak,
			 const float *Bm, int ldb, int M, int N, int K);

#endif
