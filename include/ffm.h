/* ffm.h: field-aware factorization machines (Juan, Zhuang, Chin and Lin,
 * RecSys 2016; libffm). A feature holds one k-vector per field of the
 * stream's header (fields f owns features [offset, offset + size)), and a
 * pair of active features a, b meets through the vector each keeps for
 * the other's field:
 *   y = w0 + sum_a w[x_a] v_a + sum_{a<b} v_a v_b <V[x_a, f_b], V[x_b, f_a]>
 * over the record's active features x at values v (xv; 1 without). A
 * multi-hot field's features pair with each other too, through the
 * vectors they keep for their own field, as libffm pairs every two
 * features of an instance whatever their fields. The cost of a record is
 * its pairs: O(n^2 k) for n active features.
 *
 * Feature x's row of V is (F k + 1) floats: its vector for field f at
 * [f k, f k + k), then its linear weight w[x] last, as FM keeps it. */
#ifndef RS_FFM_H
#define RS_FFM_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "nn.h"

enum { FFM_W0, FFM_V, FFM_NTENSORS };

/* The floats of a row of the model's V: F k, then the weight. */
static inline size_t ffm_row_floats(const rs_model *m) { return (size_t)m->nfields * (size_t)m->k + 1; }

/* The field of feature x among F fields that tile the features in order. */
static inline int ffm_field_of(const rs_field *fields, int F, uint32_t x)
{
	int lo = 0, hi = F - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (fields[mid].offset <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* One record of n active features x (n) of fields fld (n) at values xv
 * (n; NULL: all 1): the score above, lin0 being w0 (and any offset). V's
 * rows are W floats apart: F k + 1 in the model, more in a solver's
 * line-fitted copy (ffmadagrad.c); the weight is at F k. Each pair's dot
 * is its own (k floats), so every SIMD width gives the same bits. */
static inline __attribute__((always_inline)) float
ffm_record_forward(const float *restrict V, size_t W, const uint32_t *x, const uint8_t *fld,
		   const float *xv, int n, int k, int F, float lin0)
{
	size_t wi = (size_t)F * k;
	float lin = lin0, pairs = 0.0f;
	for (int a = 0; a < n; a++) {
		const float *ra = V + x[a] * W;
		float va = xv ? xv[a] : 1.0f;
		lin += ra[wi] * va;
		for (int b = a + 1; b < n; b++) {
			const float *rb = V + x[b] * W;
			float vb = xv ? xv[b] : 1.0f;
			pairs += va * vb * rs_dot(ra + (size_t)fld[b] * k, rb + (size_t)fld[a] * k, k);
		}
	}
	return lin + pairs;
}

/* The gradient of dout * score plus (l2 / 2) |block|^2 per pair a block
 * serves and (l2 / 2) w^2 per active feature (libffm's regularization of
 * the entries a record uses), accumulated into G[a] (n rows laid out as
 * V's, one per active feature, which may be the gradient table's rows of
 * x or a record's own scratch; V's rows W floats apart, as above):
 *   G[a][f_b block] += dout v_a v_b V[x_b, f_a] + l2 V[x_a, f_b]   (b != a)
 *   G[a][F k]       += dout v_a + l2 w[x_a]
 * Only the blocks of the fields of the record's other features, and the
 * weight, are written. */
static inline __attribute__((always_inline)) void
ffm_record_backward(float *const *G, const float *restrict V, size_t W, const uint32_t *x,
		    const uint8_t *fld, const float *xv, int n, int k, int F, float dout, float l2)
{
	size_t wi = (size_t)F * k;
	for (int a = 0; a < n; a++) {
		const float *ra = V + x[a] * W;
		float va = xv ? xv[a] : 1.0f;
		G[a][wi] += dout * va + l2 * ra[wi];
		for (int b = a + 1; b < n; b++) {
			const float *rb = V + x[b] * W;
			float vb = xv ? xv[b] : 1.0f, c = dout * va * vb;
			const float *pa = ra + (size_t)fld[b] * k, *pb = rb + (size_t)fld[a] * k;
			float *ga = G[a] + (size_t)fld[b] * k, *gb = G[b] + (size_t)fld[a] * k;
			for (int f = 0; f < k; f++) {
				ga[f] += c * pb[f] + l2 * pa[f];
				gb[f] += c * pa[f] + l2 * pb[f];
			}
		}
	}
}

/* The fields of n active features x (sorted, as streams hold them) into
 * fld (n). */
void ffm_fields(const rs_model *m, const uint32_t *x, int n, uint8_t *fld);

#endif
