/* mf.c: matrix factorization with biases,
 * r(u, i) = P[u, :k] . Q[i, :k] + P[u, k] + Q[i, k] + mu.
 * Each row carries its bias as a last column: one touch, one optimizer
 * update and one cache line walk per row instead of two. */
#include "model.h"
#include "nn.h"
#include "compute.h"

enum { P, Q };

static void mf_layout(rs_model *m)
{
	uint32_t w = (uint32_t)m->hp.factors + 1;
	rs_params_add(&m->p, "P", m->hdr.nusers, w, 1);
	rs_params_add(&m->p, "Q", m->hdr.nitems, w, 1);
}

static void mf_init(rs_model *m, rs_rng *rng)
{
	rs_params *p = &m->p;
	int k = m->hp.factors;
	for (int t = P; t <= Q; t++) {
		const rs_tensor *T = &p->t[t];
		float *w = rs_w(p, t);
		if (m->hp.init == RS_INIT_NORMAL) {
			rs_init_normal(w, (size_t)T->rows * T->cols, m->hp.init_std, rng);
			continue;
		}
		/* Xavier on the factors (fan: rows, k), biases start at 0 */
		for (uint32_t r = 0; r < T->rows; r++) {
			rs_init_xavier_normal(w + (size_t)r * T->cols, (size_t)k, k, (int)T->rows, rng);
			w[(size_t)r * T->cols + k] = 0.0f;
		}
	}
}

static size_t mf_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

// out (B) = P[u, :k] . Q[i, :k] + P[u, k] + Q[i, k] + mu
RS_SIMD_BODY void mf_forward_body(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
				 float *out, rs_rng *rng)
{
	(void)rng;
	const rs_params *p = &m->p;
	int k = m->hp.factors, w = k + 1;
	const float *Pw = rs_w(p, P), *Qw = rs_w(p, Q);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		if (u != RS_NONE && i != RS_NONE) {
			const float *pu = Pw + (size_t)u * w, *qi = Qw + (size_t)i * w;
			out[b] = rs_dot(pu, qi, k) + pu[k] + qi[k] + m->mu;
		} else {   /* a cold pair (rs-predict --cold): the known side's bias */
			out[b] = m->mu + (u != RS_NONE ? Pw[(size_t)u * w + k] : 0.0f) +
				 (i != RS_NONE ? Qw[(size_t)i * w + k] : 0.0f);
		}
	}
}

RS_SIMD_VOID(mf_forward, (rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			  rs_rng *rng), (m, d, idx, B, out, rng))

/* With --l2 each use of a row in the batch adds l2/B * row to its gradient:
 * the gradient of (l2/2)|row|^2 per rating, averaged like the loss. */
RS_SIMD_BODY void mf_backward_body(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
				  const float *dout)
{
	rs_params *p = &m->p;
	int k = m->hp.factors, w = k + 1;
	float l2 = (float)m->hp.l2 / (float)B;
	const float *Pw = rs_w(p, P), *Qw = rs_w(p, Q);
	float *dP = rs_g(p, P), *dQ = rs_g(p, Q);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		float g = dout[b];
		const float *pu = Pw + (size_t)u * w, *qi = Qw + (size_t)i * w;
		float *dpu = dP + (size_t)u * w, *dqi = dQ + (size_t)i * w;
		for (int f = 0; f < k; f++) {
			dpu[f] += g * qi[f] + l2 * pu[f];
			dqi[f] += g * pu[f] + l2 * qi[f];
		}
		dpu[k] += g + l2 * pu[k];
		dqi[k] += g + l2 * qi[k];
		rs_touch(p, P, u);
		rs_touch(p, Q, i);
	}
}

RS_SIMD_VOID(mf_backward, (rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			   const float *dout), (m, d, idx, B, dout))

/* One side's part (model.h): the user's row and bias, or the item's; x[0]
 * is the id. */
static void part(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
		 float *bias, float *s)
{
	(void)xv, (void)n;
	int k = m->hp.factors;
	const float *row = rs_w(&m->p, side == RS_PART_CONTEXT ? P : Q) + (size_t)x[0] * (k + 1);
	for (int f = 0; f < k; f++)
		s[f] = row[f];
	*bias = row[k];
}

static void part_backward(rs_model *m, int side, const uint32_t *x, const float *xv, int n,
			  float dbias, const float *ds, float l2, float *rows)
{
	(void)xv, (void)n;
	rs_params *p = &m->p;
	int k = m->hp.factors, t = side == RS_PART_CONTEXT ? P : Q;
	const float *row = rs_w(p, t) + (size_t)x[0] * (k + 1);
	if (rows) {
		for (int f = 0; f < k; f++)
			rows[f] = ds[f] + l2 * row[f];
		rows[k] = dbias + l2 * row[k];
		return;
	}
	float *drow = rs_g(p, t) + (size_t)x[0] * (k + 1);
	for (int f = 0; f < k; f++)
		drow[f] += ds[f] + l2 * row[f];
	drow[k] += dbias + l2 * row[k];
	rs_touch(p, t, x[0]);
}

static float *row(rs_model *m, int side, uint32_t x, int grad)
{
	int t = side == RS_PART_CONTEXT ? P : Q;
	size_t at = (size_t)x * (size_t)(m->hp.factors + 1);
	if (!grad)
		return rs_w(&m->p, t) + at;
	rs_touch(&m->p, t, x);
	return rs_g(&m->p, t) + at;
}

const rs_model_ops rs_mf_ops = {
	.kind = "mf",
	.layout = mf_layout,
	.init = mf_init,
	.scratch = mf_scratch,
	.forward = mf_forward,
	.backward = mf_backward,
	.caps = RS_CAP_SGD | RS_CAP_STEPS,
	.fused = RS_FUSED_MF,
	.part = part,
	.part_backward = part_backward,
	.row = row,
};
