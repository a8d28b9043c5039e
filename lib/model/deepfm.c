/* deepfm.c: DeepFM. One embedding table, the first k columns of V, serves
 * the FM part and the deep part; the deep part is an MLP over the fields'
 * embeddings (a multi-hot field pools its rows weighted by xv), hidden
 * layers with ReLU and inverted dropout, a final linear unit. The logit is
 * FM + MLP. */
#include <string.h>

#include "fm.h"
#include "nn.h"

/* Tensors after w0, V: W1, b1, ..., WL, bL, then Wout, bout; each W is
 * (inputs, outputs). */
#define T_W(l) (FM_NTENSORS + 2 * (l))
#define T_B(l) (FM_NTENSORS + 1 + 2 * (l))

/* The field of feature x, from the field of the record's previous feature:
 * a record's features are sorted and fields tile the feature space in
 * order, so no table indexed by feature is needed. */
static inline size_t field_at(const rs_field *fields, size_t f, uint32_t x)
{
	while (x >= fields[f].offset + fields[f].size)
		f++;
	return f;
}

static int width(const rs_model *m, int l)   /* input width of layer l */
{
	return l == 0 ? m->nfields * m->hp.factors : m->hp.mlp[l - 1];
}

static void deepfm_layout(rs_model *m)
{
	fm_layout_part(m);
	char name[24];
	int L = m->hp.nmlp;
	for (int l = 0; l <= L; l++) {
		int out = l < L ? m->hp.mlp[l] : 1;
		snprintf(name, sizeof name, l < L ? "W%d" : "Wout", l + 1);
		rs_params_add(&m->p, name, (uint32_t)width(m, l), (uint32_t)out, 0);
		snprintf(name, sizeof name, l < L ? "b%d" : "bout", l + 1);
		rs_params_add(&m->p, name, (uint32_t)out, 1, 0);
	}
}

static void deepfm_init(rs_model *m, rs_rng *rng)
{
	fm_init_part(m, rng);
	/* the output layer starts at zero: DeepFM begins as its FM part and the
	 * MLP learns what the FM leaves (random output weights only add noise
	 * that early stopping then has to wait out) */
	for (int l = 0; l < m->hp.nmlp; l++) {
		const rs_tensor *T = &m->p.t[T_W(l)];
		rs_init_xavier_uniform(rs_w(&m->p, T_W(l)), (size_t)T->rows * T->cols, (int)T->rows,
				       (int)T->cols, rng);
	}
}

/* Where each activation lives in m->scratch for a batch of B. */
typedef struct acts {
	float *sums;                 /* (B, k) FM */
	float *in, *din;             /* (B, F*k) the deep part's input and its gradient */
	float *pre[RS_MAX_MLP];      /* (B, h) before ReLU */
	float *act[RS_MAX_MLP];      /* (B, h) after ReLU */
	float *mask[RS_MAX_MLP];     /* (B, h) dropout */
	float *drop[RS_MAX_MLP];     /* (B, h) after dropout: the next layer's input */
	float *dpre[RS_MAX_MLP], *dact[RS_MAX_MLP], *ddrop[RS_MAX_MLP];
	float *mlp;                  /* (B) the MLP's logit */
	float *wt;                   /* (I, O) of the widest layer: W^T for backward */
} acts;

/* Lay the activations out in m->scratch, or only count the floats they need
 * when a is NULL (no pointer is formed then: NULL + offset is undefined). */
static size_t carve(const rs_model *m, int B, acts *a)
{
	size_t off = 0, k = (size_t)m->hp.factors, F = (size_t)m->nfields;
	acts dummy;
	int lay = a != NULL;
	if (!a)
		a = &dummy;
#define TAKE(ptr, n) do { if (lay) (ptr) = m->scratch + off; off += (size_t)(n); } while (0)
	TAKE(a->sums, B * k);
	TAKE(a->in, B * F * k);
	TAKE(a->din, B * F * k);
	for (int l = 0; l < m->hp.nmlp; l++) {
		size_t h = (size_t)B * m->hp.mlp[l];
		TAKE(a->pre[l], h);
		TAKE(a->act[l], h);
		TAKE(a->mask[l], h);
		TAKE(a->drop[l], h);
		TAKE(a->dpre[l], h);
		TAKE(a->dact[l], h);
		TAKE(a->ddrop[l], h);
	}
	TAKE(a->mlp, B);
	size_t wmax = 0;
	for (int l = 0; l <= m->hp.nmlp; l++) {
		size_t w = (size_t)width(m, l) * (l < m->hp.nmlp ? m->hp.mlp[l] : 1);
		wmax = w > wmax ? w : wmax;
	}
	TAKE(a->wt, wmax);
#undef TAKE
	return off;
}

static size_t deepfm_scratch(const rs_model *m, int B)
{
	return carve(m, B, NULL);
}

static void deepfm_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			   float *out, rs_rng *rng)
{
	acts a;
	carve(m, B, &a);
	const rs_params *p = &m->p;
	int k = m->hp.factors, F = m->nfields, L = m->hp.nmlp;
	fm_forward_part(m, d, idx, B, out, a.sums);
	// in (B, F*k): field f's slot is the xv-weighted sum of its rows of V
	const float *V = rs_w(p, FM_V);
	memset(a.in, 0, (size_t)B * F * k * sizeof *a.in);
	for (int b = 0; b < B; b++) {
		size_t r = idx[b];
		float *row_in = a.in + (size_t)b * F * k;
		size_t fx = 0;
		for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++) {
			uint32_t x = d->x[j];
			float v = d->xv ? d->xv[j] : 1.0f;
			fx = field_at(m->hdr.fields, fx, x);
			float *slot = row_in + fx * k;
			const float *e = V + (size_t)x * (k + 1);
			for (int f = 0; f < k; f++)
				slot[f] += v * e[f];
		}
	}
	const float *x = a.in;
	for (int l = 0; l < L; l++) {
		int I = width(m, l), O = m->hp.mlp[l];
		dense_forward(a.pre[l], x, rs_w(p, T_W(l)), rs_w(p, T_B(l)), B, I, O, 1);
		relu_forward(a.act[l], a.pre[l], B * O);
		dropout_forward(a.drop[l], a.mask[l], a.act[l], B * O,
				rng ? (float)m->hp.dropout : 0.0f, rng);
		x = a.drop[l];
	}
	dense_forward(a.mlp, x, rs_w(p, T_W(L)), rs_w(p, T_B(L)), B, width(m, L), 1, 1);
	for (int b = 0; b < B; b++)
		out[b] += a.mlp[b] + m->mu;
}

static void deepfm_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			    const float *dout)
{
	acts a;
	carve(m, B, &a);
	rs_params *p = &m->p;
	int k = m->hp.factors, F = m->nfields, L = m->hp.nmlp;
	fm_backward_part(m, d, idx, B, dout, a.sums);
	// the MLP, from the top: activation gradients are written, weights' accumulate
	const float *top_in = L ? a.drop[L - 1] : a.in;
	float *dtop = L ? a.ddrop[L - 1] : a.din;
	dense_backward(dtop, rs_g(p, T_W(L)), rs_g(p, T_B(L)), dout, top_in, rs_w(p, T_W(L)), a.wt,
		       B, width(m, L), 1, 1);
	for (int l = L - 1; l >= 0; l--) {
		int I = width(m, l), O = m->hp.mlp[l];
		dropout_backward(a.dact[l], a.ddrop[l], a.mask[l], B * O);
		relu_backward(a.dpre[l], a.dact[l], a.act[l], B * O);
		dense_backward(l ? a.ddrop[l - 1] : a.din, rs_g(p, T_W(l)), rs_g(p, T_B(l)), a.dpre[l],
			       l ? a.drop[l - 1] : a.in, rs_w(p, T_W(l)), a.wt, B, I, O, 1);
	}
	// din back into the rows of V that were pooled
	float *dV = rs_g(p, FM_V);
	for (int b = 0; b < B; b++) {
		size_t r = idx[b];
		const float *drow = a.din + (size_t)b * F * k;
		size_t fx = 0;
		for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++) {
			uint32_t x = d->x[j];
			float v = d->xv ? d->xv[j] : 1.0f;
			fx = field_at(m->hdr.fields, fx, x);
			const float *g = drow + fx * k;
			float *dv = dV + (size_t)x * (k + 1);
			for (int f = 0; f < k; f++)
				dv[f] += v * g[f];
		}
	}
}

const rs_model_ops rs_deepfm_ops = {
	.kind = "deepfm",
	.layout = deepfm_layout,
	.init = deepfm_init,
	.scratch = deepfm_scratch,
	.forward = deepfm_forward,
	.backward = deepfm_backward,
	.features = 1,
	.caps = RS_CAP_SGD | RS_CAP_STEPS | RS_CAP_DEEP | RS_CAP_MLP,
};
