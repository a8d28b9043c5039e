/* gemm_kernel.h: the body of one C += A Bm kernel, included by gemm.c once
 * per vector width with these defined:
 *   GEMM_NAME   the function's name
 *   GEMM_VEC    a GCC/Clang vector type of GEMM_W floats
 *   GEMM_W      its lanes
 *   GEMM_ROWS   rows of C per tile: 2 GEMM_ROWS accumulators must fit in
 *               the ISA's vector registers beside two of Bm
 *   GEMM_ATTR   the function's attributes (its target ISA)
 * and GEMM_PANEL (floats of Bm kept in cache at once) by gemm.c.
 *
 * C (M, N) += A (M, K) Bm (K, N), A read through strides (sam, sak) so that
 * the same kernel serves A and its transpose. C is computed in tiles of up
 * to GEMM_ROWS rows by 2 vectors, held in registers over all K and added to
 * C once. A tile narrower than two vectors still loads whole vectors of Bm
 * (up to 2 GEMM_W - 1 floats past a row's end: see RS_GEMM_SLACK) and
 * stores only its own columns. Each C element sums over k in order, one
 * rounding per step, whatever the width: the widths differ only in fused
 * multiply-add. */

#define GEMM_TILE_(NAME) NAME##_tile
#define GEMM_TILE(NAME) GEMM_TILE_(NAME)
#define GEMM_PANEL_OF_(NAME) NAME##_panel
#define GEMM_PANEL_OF(NAME) GEMM_PANEL_OF_(NAME)

static inline __attribute__((always_inline)) GEMM_ATTR void
GEMM_TILE(GEMM_NAME)(float *C, int ldc, const float *A, int sam, int sak, const float *Bm, int ldb,
		     int K, int rows, int nv, int cols)
{
	GEMM_VEC acc[GEMM_ROWS][2] = {{{0}}};
	const float *a = A;
	for (int k = 0; k < K; k++, a += sak) {
		const float *bk = Bm + (size_t)k * ldb;
		GEMM_VEC b[2];
		memcpy(&b[0], bk, sizeof b[0]);
		if (nv == 2)
			memcpy(&b[1], bk + GEMM_W, sizeof b[1]);
		for (int r = 0; r < rows; r++) {
			float ar = a[(size_t)r * sam];
			for (int v = 0; v < nv; v++)
				acc[r][v] += ar * b[v];
		}
	}
	for (int r = 0; r < rows; r++) {
		float *c = C + (size_t)r * ldc;
		if (cols == nv * GEMM_W) {
			for (int v = 0; v < nv; v++) {
				GEMM_VEC t;
				memcpy(&t, c + v * GEMM_W, sizeof t);
				t += acc[r][v];
				memcpy(c + v * GEMM_W, &t, sizeof t);
			}
		} else {   /* through a copy: taking acc's address would keep it in memory */
			for (int v = 0; v < nv; v++) {
				GEMM_VEC x = acc[r][v];
				float t[GEMM_W];
				memcpy(t, &x, sizeof t);
				int w = cols - v * GEMM_W < GEMM_W ? cols - v * GEMM_W : GEMM_W;
				for (int j = 0; j < w; j++)
					c[v * GEMM_W + j] += t[j];
			}
		}
	}
}

static inline __attribute__((always_inline)) GEMM_ATTR void
GEMM_PANEL_OF(GEMM_NAME)(float *C, int ldc, const float *A, int sam, int sak, const float *Bm, int ldb,
			 int M, int N, int K)
{
	for (int m = 0; m < M; m += GEMM_ROWS) {
		int rows = M - m < GEMM_ROWS ? M - m : GEMM_ROWS;
		float *c = C + (size_t)m * ldc;
		const float *a = A + (size_t)m * sam;
		for (int n = 0; n < N; n += 2 * GEMM_W) {
			int cols = N - n < 2 * GEMM_W ? N - n : 2 * GEMM_W;
			int nv = cols > GEMM_W ? 2 : 1;
			/* sizes as constants, so that the accumulators stay in
			 * registers: the full tile, then every narrower case (the
			 * last rows of a weight gradient run over all of K) */
			if (rows == GEMM_ROWS && cols == 2 * GEMM_W) {
				GEMM_TILE(GEMM_NAME)(c + n, ldc, a, sam, sak, Bm + n, ldb, K, GEMM_ROWS, 2,
						     2 * GEMM_W);
				continue;
			}
			switch (rows) {
#define GEMM_CASE(R)                                                                              \
	case R:                                                                                   \
		if (nv == 2)                                                                      \
			GEMM_TILE(GEMM_NAME)(c + n, ldc, a, sam, sak, Bm + n, ldb, K, R, 2, cols); \
		else                                                                              \
			GEMM_TILE(GEMM_NAME)(c + n, ldc, a, sam, sak, Bm + n, ldb, K, R, 1, cols); \
		break;
			GEMM_CASE(1)
			GEMM_CASE(2)
			GEMM_CASE(3)
			GEMM_CASE(4)
#if GEMM_ROWS == 8
			GEMM_CASE(5)
			GEMM_CASE(6)
			GEMM_CASE(7)
			GEMM_CASE(8)
#endif
#undef GEMM_CASE
			}
		}
	}
}

/* Bm in panels of columns, each whole K by at most GEMM_PANEL floats (or
 * one tile wide), every row of C taken through a panel before the next: a
 * panel stays in cache for all M rows, where the whole of a wide Bm (the
 * item table's 12,000 columns) would come from memory again for every
 * tile of rows. A tile's sums are its own columns', in k order: the same
 * bits in any panel width. */
static GEMM_ATTR void GEMM_NAME(float *C, int ldc, const float *A, int sam, int sak,
				const float *Bm, int ldb, int M, int N, int K)
{
	int panel = (int)(GEMM_PANEL / (K > 0 ? K : 1)) / (2 * GEMM_W) * (2 * GEMM_W);
	panel = panel < 2 * GEMM_W ? 2 * GEMM_W : panel;
	for (int n0 = 0; n0 < N; n0 += panel)
		GEMM_PANEL_OF(GEMM_NAME)(C + n0, ldc, A, sam, sak, Bm + n0, ldb, M,
					 N - n0 < panel ? N - n0 : panel, K);
}

#undef GEMM_TILE
#undef GEMM_TILE_
#undef GEMM_PANEL_OF
#undef GEMM_PANEL_OF_
