/* gemm.h: the matrix product under the dense layers. */
#ifndef RS_GEMM_H
#define RS_GEMM_H

/* Floats that must be readable after the end of every Bm operand: a tile
 * loads whole vectors of Bm past a row's last column. Buffers that serve as
 * Bm (parameter blocks, model scratch) are allocated with this much more. */
#define RS_GEMM_SLACK 32

/* C (M, N) += A (M, K) Bm (K, N); A's element (m, k) is A[m*sam + k*sak],
 * Bm's (k, n) is Bm[k*ldb + n], C's (m, n) is C[m*ldc + n]. */
void rs_gemm_acc(float *C, int ldc, const float *A, int sam, int sak, const float *Bm, int ldb,
		 int M, int N, int K);

/* Use the kernel of this many lanes (4, 8 or 16; 0: the widest the CPU
 * runs). Returns the lanes in use, or 0 when the CPU lacks that width. The
 * first product picks the widest by itself. */
int rs_gemm_lanes(int lanes);

#endif
