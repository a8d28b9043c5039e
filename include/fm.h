/* fm.h: the factorization-machine part, shared by FM and DeepFM.
 * y = w0 + sum_j w[x_j] v_j + 1/2 sum_f ((sum_j V[x_j,f] v_j)^2 - sum_j V[x_j,f]^2 v_j^2),
 * in O(k * nnz) by the sum-square identity. A feature's linear weight w is
 * the last column of its row of V, (N, k+1), as MF keeps its biases: a
 * touched feature is one row for the optimizer, not two. */
#ifndef RS_FM_H
#define RS_FM_H

#include "model.h"
#include "nn.h"

enum { FM_W0, FM_V, FM_NTENSORS };   /* the first tensors of both models */

/* The kernel: every FM score and gradient of V (N, k+1) as above (the
 * batched path, a side's part, the fused solver) is these two; inline, so
 * that each caller's SIMD builds (compute.h) get their own copy. fm-mcmc's
 * sampler scores its own layout, in its own precision (gibbs.c). */

/* One record of n active features x (n) at values xv (n; NULL: all 1):
 * returns lin0 + sum_j V[x_j,k] xv_j + 1/2 (|q|^2 - sum_j xv_j^2 |V[x_j,:k]|^2)
 * and writes q (k) = sum_j V[x_j,:k] xv_j, which backward takes. */
static inline __attribute__((always_inline)) float
fm_record_forward(float *restrict q, const float *restrict V, const uint32_t *x, const float *xv,
		  int n, int k, float lin0)
{
	float lin = lin0, sq = 0.0f;
	for (int f = 0; f < k; f++)
		q[f] = 0.0f;
	for (int j = 0; j < n; j++) {
		float v = xv ? xv[j] : 1.0f;
		const float *row = V + (size_t)x[j] * (k + 1);
		lin += row[k] * v;
		for (int f = 0; f < k; f++)
			q[f] += row[f] * v;
		sq += v * v * rs_dot(row, row, k);
	}
	return lin + 0.5f * (rs_dot(q, q, k) - sq);
}

/* One active row's gradient, for row = V[x_j] (k+1) at value v, from
 * dout = d loss / d score and the forward's q (k):
 *   grad[f] = v dout (q_f - V[x_j,f] v) + l2 V[x_j,f]   (f < k)
 *   grad[k] = v dout + l2 V[x_j,k]
 * and where q is used beyond the score (a side's vector, model.h's part),
 * with dq (k) = d loss / d q, grad[f] = v (dout (q_f - V[x_j,f] v) + dq_f)
 * + l2 V[x_j,f] (the same sum rounded in another order: each form is the
 * one its models were trained with); dq NULL otherwise. Writes out (k+1) =
 * in + alpha grad, in NULL meaning 0: in = out accumulates a gradient
 * (alpha 1), in = NULL writes one, out = in = row steps the row in place
 * (alpha = -step). */
static inline __attribute__((always_inline)) void
fm_row_backward(float *out, const float *in, const float *row, const float *restrict q,
		const float *restrict dq, float dout, float v, float l2, float alpha, int k)
{
	float gv = dout * v;
	for (int f = 0; f < k; f++) {
		float t = q[f] - row[f] * v, d = dq ? v * (dout * t + dq[f]) : gv * t;
		d = alpha * (d + l2 * row[f]);
		out[f] = in ? in[f] + d : d;
	}
	float d = alpha * (gv + l2 * row[k]);
	out[k] = in ? in[k] + d : d;
}

void fm_layout_part(rs_model *m);
void fm_init_part(rs_model *m, rs_rng *rng);
/* out (B) = the FM score; sums (B, k) keeps sum_j V[x_j] v_j for backward. */
void fm_forward_part(const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		     float *out, float *sums);
void fm_backward_part(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		      const float *dout, const float *sums);

/* The FM kind's own (fm-mcmc scores as an FM whose rows are its samples). */
size_t fm_scratch(const rs_model *m, int B);
void fm_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
		rs_rng *rng);

#endif
