/* mf.c: matrix factorization with biases,
 * r(u, i) = P[u] . Q[i] + bu[u] + bi[i] + mu. */
#include "model.h"
#include "nn.h"

enum { P, Q, BU, BI };

static void mf_layout(rs_model *m)
{
	uint32_t k = (uint32_t)m->hp.factors;
	/* a zero-width table keeps the layout fixed for the bias-only baseline */
	rs_params_add(&m->p, "P", m->hdr.nusers, k, 1);
	rs_params_add(&m->p, "Q", m->hdr.nitems, k, 1);
	rs_params_add(&m->p, "bu", m->hdr.nusers, 1, 1);
	rs_params_add(&m->p, "bi", m->hdr.nitems, 1, 1);
}

static void mf_init(rs_model *m, rs_rng *rng)
{
	rs_params *p = &m->p;
	for (int t = 0; t < p->n; t++) {
		rs_tensor *T = &p->t[t];
		size_t n = (size_t)T->rows * T->cols;
		if (m->hp.init == RS_INIT_NORMAL)
			rs_init_normal(rs_w(p, t), n, m->hp.init_std, rng);
		else if (t == P || t == Q)   /* Xavier on the factors, biases start at 0 */
			rs_init_xavier_normal(rs_w(p, t), n, (int)T->cols, (int)T->rows, rng);
	}
}

static size_t mf_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

// out (B) = P[u] . Q[i] + bu[u] + bi[i] + mu
static void mf_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
		       rs_rng *rng)
{
	(void)rng;
	const rs_params *p = &m->p;
	int k = m->hp.factors;
	const float *Pw = rs_w(p, P), *Qw = rs_w(p, Q), *bu = rs_w(p, BU), *bi = rs_w(p, BI);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		const float *pu = Pw + (size_t)u * k, *qi = Qw + (size_t)i * k;
		out[b] = rs_dot(pu, qi, k) + bu[u] + bi[i] + m->mu;
	}
}

/* With --l2 each use of a row in the batch adds l2/B * row to its gradient:
 * the gradient of (l2/2)|row|^2 per rating, averaged like the loss. */
static void mf_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			const float *dout)
{
	rs_params *p = &m->p;
	int k = m->hp.factors;
	float l2 = (float)m->hp.l2 / (float)B;
	const float *Pw = rs_w(p, P), *Qw = rs_w(p, Q), *bu = rs_w(p, BU), *bi = rs_w(p, BI);
	float *dP = rs_g(p, P), *dQ = rs_g(p, Q), *dbu = rs_g(p, BU), *dbi = rs_g(p, BI);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		float g = dout[b];
		const float *pu = Pw + (size_t)u * k, *qi = Qw + (size_t)i * k;
		float *dpu = dP + (size_t)u * k, *dqi = dQ + (size_t)i * k;
		for (int f = 0; f < k; f++) {
			dpu[f] += g * qi[f] + l2 * pu[f];
			dqi[f] += g * pu[f] + l2 * qi[f];
		}
		dbu[u] += g + l2 * bu[u];
		dbi[i] += g + l2 * bi[i];
		rs_touch(p, P, u);
		rs_touch(p, BU, u);
		rs_touch(p, Q, i);
		rs_touch(p, BI, i);
	}
}

const rs_model_ops rs_mf_ops = {"mf", mf_layout, mf_init, mf_scratch, mf_forward, mf_backward};
