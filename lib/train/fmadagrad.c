/* fmadagrad.c: the factorization machine's fused per-record AdaGrad
 * solver (fmadagrad.h). */
#include "fmadagrad.h"
#include "compute.h"
#include "fm.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_fm_adagrad_init(rs_fm_adagrad *s, const rs_model *m)
{
	size_t nf = m->nfeatures, k = (size_t)m->k;
	memset(s, 0, sizeof *s);
	s->acc = rs_malloc((nf + 1) * sizeof *s->acc);
	for (size_t j = 0; j < nf; j++)
		s->acc[j] = 1.0f;
	s->acc0 = 1.0f;
	s->g = rs_malloc((k + 1) * sizeof *s->g);
	s->s = rs_malloc((k + 1) * sizeof *s->s);
}

void rs_fm_adagrad_free(rs_fm_adagrad *s)
{
	free(s->acc);
	free(s->step);
	free(s->g);
	free(s->s);
	memset(s, 0, sizeof *s);
}

/* One record: the forward sums, the error, then every row from the same
 * forward values (a record names a feature once). */
RS_SIMD_BODY double step_body(rs_fm_adagrad *st, rs_model *m, const uint32_t *x, const float *xv,
			      int n, float y)
{
	int k = m->k, w = k + 1;
	float *V = rs_w(&m->p, FM_V), *w0 = rs_w(&m->p, FM_W0), *s = st->s, *g = st->g;
	float lr = (float)m->hp.lr, l2 = (float)m->hp.l2;
	float score = fm_record_forward(s, V, x, xv, n, k, w0[0] + m->mu), e;
	/* the batched path's loss terms (nn.h) */
	double loss = m->click ? bce_logits_term(&e, score, y) : mse_term(&e, score, y);
	/* the rows' gradients, made twice (for the accumulators, then for the
	 * steps: the same bits) so that the n square roots and divisions run
	 * as one vector between */
	float *step = st->step;
	for (int j = 0; j < n; j++) {
		fm_row_backward(g, NULL, V + (size_t)x[j] * w, s, NULL, e, xv ? xv[j] : 1.0f, l2, 1.0f, k);
		step[j] = st->acc[x[j]] += rs_dot(g, g, w) / (float)w;
	}
	for (int j = 0; j < n; j++)
		step[j] = lr / sqrtf(step[j]);
	for (int j = 0; j < n; j++) {
		float *row = V + (size_t)x[j] * w;
		fm_row_backward(row, row, row, s, NULL, e, xv ? xv[j] : 1.0f, l2, -step[j], k);
	}
	st->acc0 += e * e;
	w0[0] -= lr / sqrtf(st->acc0) * e;
	return loss;
}

#define PREFETCH 4

RS_SIMD_BODY double epoch_body(rs_fm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			       size_t n)
{
	double loss = 0;
	size_t w = (size_t)m->k + 1;
	const float *V = rs_w(&m->p, FM_V);
	for (size_t i = 0; i < n; i++) {
		/* the shuffle reads records anywhere: a record's features well
		 * ahead, then the rows of a nearer one's */
		if (i + 2 * PREFETCH < n) {
			size_t a = d->xoff[idx[i + 2 * PREFETCH]];
			__builtin_prefetch(d->x + a);
			if (d->xv)
				__builtin_prefetch(d->xv + a);
		}
		if (i + PREFETCH < n) {
			size_t b = idx[i + PREFETCH];
			for (size_t j = d->xoff[b]; j < d->xoff[b + 1]; j++) {
				const float *row = V + (size_t)d->x[j] * w;
				__builtin_prefetch(row, 1);
				__builtin_prefetch(row + w - 1, 1);
			}
		}
		size_t r = idx[i], lo = d->xoff[r];
		loss += step_body(s, m, d->x + lo, d->xv ? d->xv + lo : NULL, (int)(d->xoff[r + 1] - lo), d->y[r]);
	}
	return loss;
}

RS_SIMD_RET(double, epoch, (rs_fm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			    size_t n), (s, m, d, idx, n))

RS_SIMD_RET(double, step, (rs_fm_adagrad *st, rs_model *m, const uint32_t *x, const float *xv, int n,
			   float y), (st, m, x, xv, n, y))

/* Room for a record of n features in the steps' scratch. */
static void room(rs_fm_adagrad *s, size_t n)
{
	if (n > s->cap) {
		s->cap = n;
		free(s->step);
		s->step = rs_malloc(n * sizeof *s->step);
	}
}

double rs_fm_adagrad_epoch(rs_fm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			   size_t n)
{
	size_t most = 1;
	for (size_t i = 0; i < n; i++) {
		size_t c = d->xoff[idx[i] + 1] - d->xoff[idx[i]];
		most = c > most ? c : most;
	}
	room(s, most);
	return epoch(s, m, d, idx, n);
}

double rs_fm_adagrad_step(rs_fm_adagrad *s, rs_model *m, const uint32_t *x, const float *xv, int n,
			  float y)
{
	room(s, n > 0 ? (size_t)n : 1);
	return step(s, m, x, xv, n, y);
}
