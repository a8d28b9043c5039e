/* fm.c: second-order factorization machines over sparse features. */
#include "fm.h"
#include "compute.h"
#include "mem.h"

#include <stdlib.h>

void fm_layout_part(rs_model *m)
{
	rs_params_add(&m->p, "w0", 1, 1, 0);
	rs_params_add(&m->p, "V", m->nfeatures, (uint32_t)m->k + 1, 1);
}

void fm_init_part(rs_model *m, rs_rng *rng)
{
	size_t nf = m->nfeatures, k = (size_t)m->k;
	/* room for the wider table: with no factors (k = 0) that is w's column */
	float *V = rs_w(&m->p, FM_V), *t = rs_malloc(nf * (k ? k : 1) * sizeof *t);
	/* drawn as two tables, w (features, 1) then V (features, k), so that the
	 * initializers see PyTorch's shapes: torch.nn.init.xavier_uniform_ on
	 * each, or normal */
	for (int part = 0; part < 2; part++) {
		size_t width = part ? k : 1, n = nf * width;
		if (m->hp.init == RS_INIT_NORMAL)
			rs_init_normal(t, n, m->hp.init_std, rng);
		else
			rs_init_xavier_uniform(t, n, (int)width, (int)nf, rng);
		for (size_t x = 0; x < nf; x++)
			for (size_t f = 0; f < width; f++)
				V[x * (k + 1) + (part ? f : k)] = t[x * width + f];
	}
	free(t);
}

RS_SIMD_BODY void forward_part_body(const rs_model *m, const rs_dataset *d, const uint32_t *idx,
				   int B, float *out, float *sums)
{
	int k = m->k;
	const float *V = rs_w(&m->p, FM_V);
	for (int b = 0; b < B; b++) {
		size_t lo = d->xoff[idx[b]], n = d->xoff[idx[b] + 1] - lo;
		out[b] = fm_record_forward(sums + (size_t)b * k, V, d->x + lo, d->xv ? d->xv + lo : NULL,
					   (int)n, k, rs_w(&m->p, FM_W0)[0]);
	}
}

RS_SIMD_VOID(forward_part, (const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			    float *out, float *sums), (m, d, idx, B, out, sums))

/* fm_row_backward per use; --l2 adds l2/B * row per use. */
RS_SIMD_BODY void backward_part_body(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
				    const float *dout, const float *sums)
{
	rs_params *p = &m->p;
	int k = m->k;
	float l2 = (float)m->hp.l2 / (float)B;
	const float *V = rs_w(p, FM_V);
	float *dw0 = rs_g(p, FM_W0), *dV = rs_g(p, FM_V);
	for (int b = 0; b < B; b++) {
		size_t r = idx[b];
		dw0[0] += dout[b];
		for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++) {
			size_t at = (size_t)d->x[j] * (k + 1);
			fm_row_backward(dV + at, dV + at, V + at, sums + (size_t)b * k, NULL, dout[b],
					d->xv ? d->xv[j] : 1.0f, l2, 1.0f, k);
			rs_touch(p, FM_V, d->x[j]);
		}
	}
}

RS_SIMD_VOID(backward_part, (rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			     const float *dout, const float *sums), (m, d, idx, B, dout, sums))

void fm_forward_part(const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		     float *out, float *sums)
{
	forward_part(m, d, idx, B, out, sums);
}

void fm_backward_part(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		      const float *dout, const float *sums)
{
	backward_part(m, d, idx, B, dout, sums);
}

/* One side's part of the score (model.h): bias = sum_j w[x_j] v_j +
 * 1/2 (|s|^2 - sum_j |V[x_j]|^2 v_j^2), s = sum_j V[x_j] v_j; the
 * context's bias adds w0. A record's score is the sum of its two
 * sides' biases and the dot of their vectors: the FM's pairs split into
 * those within each side and those across. */
RS_SIMD_BODY void part_body(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
			    float *bias, float *s)
{
	float lin0 = side == RS_PART_CONTEXT ? rs_w(&m->p, FM_W0)[0] : 0.0f;
	*bias = fm_record_forward(s, rs_w(&m->p, FM_V), x, xv, n, m->k, lin0);
}

RS_SIMD_VOID(part, (const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
		    float *bias, float *s), (m, side, x, xv, n, bias, s))

/* fm_row_backward with ds, and s recomputed: the side's sum is k floats,
 * cheaper to redo than to keep (the compiler drops the unused score). */
RS_SIMD_BODY void part_backward_body(rs_model *m, int side, const uint32_t *x, const float *xv,
				     int n, float dbias, const float *ds, float l2, float *rows)
{
	rs_params *p = &m->p;
	int k = m->k;
	const float *V = rs_w(p, FM_V);
	float *dV = rs_g(p, FM_V), s[RS_MAX_FACTORS];
	if (side == RS_PART_CONTEXT)
		rs_g(p, FM_W0)[0] += dbias;
	fm_record_forward(s, V, x, xv, n, k, 0.0f);
	for (int j = 0; j < n; j++) {
		size_t at = (size_t)x[j] * (k + 1);
		if (rows) {
			fm_row_backward(rows + (size_t)j * (k + 1), NULL, V + at, s, ds, dbias, xv ? xv[j] : 1.0f,
					l2, 1.0f, k);
			continue;
		}
		fm_row_backward(dV + at, dV + at, V + at, s, ds, dbias, xv ? xv[j] : 1.0f, l2, 1.0f, k);
		rs_touch(p, FM_V, x[j]);
	}
}

RS_SIMD_VOID(part_backward, (rs_model *m, int side, const uint32_t *x, const float *xv, int n,
			     float dbias, const float *ds, float l2, float *rows),
	     (m, side, x, xv, n, dbias, ds, l2, rows))

static float *row(rs_model *m, int side, uint32_t x, int grad)
{
	(void)side;
	size_t at = (size_t)x * (size_t)(m->k + 1);
	if (!grad)
		return rs_w(&m->p, FM_V) + at;
	rs_touch(&m->p, FM_V, x);
	return rs_g(&m->p, FM_V) + at;
}

static void fm_layout(rs_model *m) { fm_layout_part(m); }
static void fm_init(rs_model *m, rs_rng *rng) { fm_init_part(m, rng); }

size_t fm_scratch(const rs_model *m, int B)
{
	return (size_t)B * (size_t)m->k;
}

void fm_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
		       rs_rng *rng)
{
	(void)rng;
	fm_forward_part(m, d, idx, B, out, m->scratch);
	for (int b = 0; b < B; b++)
		out[b] += m->mu;
}

static void fm_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			const float *dout)
{
	fm_backward_part(m, d, idx, B, dout, m->scratch);
}

const rs_model_ops rs_fm_ops = {
	.kind = "fm",
	.layout = fm_layout,
	.init = fm_init,
	.scratch = fm_scratch,
	.forward = fm_forward,
	.backward = fm_backward,
	.features = 1,
	.caps = RS_CAP_SGD | RS_CAP_STEPS,
	.fused = RS_FUSED_FM,
	.part = part,
	.part_backward = part_backward,
	.row = row,
};
