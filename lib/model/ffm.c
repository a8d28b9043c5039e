/* ffm.c: the field-aware factorization machine kind (ffm.h): its layout,
 * init and the batched forward and backward of the shared loop and the
 * scorers. The fused per-record solver is lib/train/ffmadagrad.c. */
#include "ffm.h"
#include "compute.h"
#include "mem.h"

#include <stdlib.h>

/* A record's fields on the stack up to this many active features; a longer
 * one (a heavy user's implicit field) takes a buffer once per batch. */
enum { FLD_STACK = 512 };

void ffm_fields(const rs_model *m, const uint32_t *x, int n, uint8_t *fld)
{
	/* sorted features: each field from the previous one's */
	int f = n ? ffm_field_of(m->hdr.fields, m->nfields, x[0]) : 0;
	for (int j = 0; j < n; j++) {
		while (f + 1 < m->nfields && x[j] >= m->hdr.fields[f + 1].offset)
			f++;
		fld[j] = (uint8_t)f;
	}
}

static void ffm_layout(rs_model *m)
{
	rs_params_add(&m->p, "w0", 1, 1, 0);
	rs_params_add(&m->p, "V", m->nfeatures, (uint32_t)ffm_row_floats(m), 1);
}

/* Drawn as two tables, the weights (features, 1) then the vectors
 * (features x fields, k), so that the initializers see FM's shapes:
 * xavier's bound is FM's for the same features and k. */
static void ffm_init(rs_model *m, rs_rng *rng)
{
	size_t nf = m->nfeatures, k = (size_t)m->k, F = (size_t)m->nfields, W = ffm_row_floats(m);
	float *V = rs_w(&m->p, FFM_V), *t = rs_malloc(((F * k > 1 ? nf * F * k : nf) + 1) * sizeof *t);
	for (int part = 0; part < 2; part++) {
		size_t width = part ? k : 1, n = part ? nf * F * k : nf;
		if (m->hp.init == RS_INIT_NORMAL)
			rs_init_normal(t, n, m->hp.init_std, rng);
		else
			rs_init_xavier_uniform(t, n, (int)width, (int)nf, rng);
		for (size_t x = 0; x < nf; x++)
			if (part)
				for (size_t i = 0; i < F * k; i++)
					V[x * W + i] = t[x * F * k + i];
			else
				V[x * W + W - 1] = t[x];
	}
	free(t);
}

static size_t ffm_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

/* The most active features of records idx[0..B), and a field buffer for
 * them: the stack's, or one allocated for this batch (*heap, to free). */
static uint8_t *fld_buffer(const rs_dataset *d, const uint32_t *idx, int B, uint8_t *stack,
			   uint8_t **heap)
{
	size_t most = 0;
	for (int b = 0; b < B; b++) {
		size_t n = d->xoff[idx[b] + 1] - d->xoff[idx[b]];
		most = n > most ? n : most;
	}
	*heap = most > FLD_STACK ? rs_malloc(most) : NULL;
	return *heap ? *heap : stack;
}

RS_SIMD_BODY void forward_records_body(const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			       float *out, uint8_t *fld)
{
	const float *V = rs_w(&m->p, FFM_V);
	float lin0 = rs_w(&m->p, FFM_W0)[0] + m->mu;
	size_t W = ffm_row_floats(m);
	for (int b = 0; b < B; b++) {
		size_t lo = d->xoff[idx[b]];
		int n = (int)(d->xoff[idx[b] + 1] - lo);
		ffm_fields(m, d->x + lo, n, fld);
		out[b] = ffm_record_forward(V, W, d->x + lo, fld,
					    d->xv ? d->xv + lo : NULL, n, m->k, m->nfields, lin0);
	}
}

RS_SIMD_VOID(forward_records, (const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			       float *out, uint8_t *fld), (m, d, idx, B, out, fld))

static void ffm_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			rs_rng *rng)
{
	(void)rng;
	uint8_t stack[FLD_STACK], *heap;
	forward_records(m, d, idx, B, out, fld_buffer(d, idx, B, stack, &heap));
	free(heap);
}

/* ffm_record_backward into the gradient table's rows; --l2 adds l2/B per
 * use, as FM's batched path does. */
RS_SIMD_BODY void backward_records_body(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
				const float *dout, uint8_t *fld, float **G)
{
	rs_params *p = &m->p;
	size_t W = ffm_row_floats(m);
	float l2 = (float)m->hp.l2 / (float)B, *dV = rs_g(p, FFM_V);
	const float *V = rs_w(p, FFM_V);
	for (int b = 0; b < B; b++) {
		size_t lo = d->xoff[idx[b]];
		int n = (int)(d->xoff[idx[b] + 1] - lo);
		rs_g(p, FFM_W0)[0] += dout[b];
		ffm_fields(m, d->x + lo, n, fld);
		for (int j = 0; j < n; j++) {
			G[j] = dV + d->x[lo + j] * W;
			rs_touch(p, FFM_V, d->x[lo + j]);
		}
		ffm_record_backward(G, V, W, d->x + lo, fld, d->xv ? d->xv + lo : NULL, n, m->k,
				    m->nfields, dout[b], l2);
	}
}

RS_SIMD_VOID(backward_records, (rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
				const float *dout, uint8_t *fld, float **G), (m, d, idx, B, dout, fld, G))

static void ffm_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			 const float *dout)
{
	uint8_t stack[FLD_STACK], *heap;
	uint8_t *fld = fld_buffer(d, idx, B, stack, &heap);
	size_t most = 1;
	for (int b = 0; b < B; b++) {
		size_t n = d->xoff[idx[b] + 1] - d->xoff[idx[b]];
		most = n > most ? n : most;
	}
	float **G = rs_malloc(most * sizeof *G);
	backward_records(m, d, idx, B, dout, fld, G);
	free(G);
	free(heap);
}

const rs_model_ops rs_ffm_ops = {
	.kind = "ffm",
	.layout = ffm_layout,
	.init = ffm_init,
	.scratch = ffm_scratch,
	.forward = ffm_forward,
	.backward = ffm_backward,
	.features = 1,
	.caps = RS_CAP_SGD | RS_CAP_STEPS,
	.fused = RS_FUSED_FFM,
};
