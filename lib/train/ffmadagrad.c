/* ffmadagrad.c: the field-aware FM's fused per-record AdaGrad solver
 * (ffmadagrad.h). */
#include "ffmadagrad.h"
#include "compute.h"
#include "ffm.h"
#include "mem.h"
#include "nn.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Records handed to a thread at a time: a thread's share of a small epoch
 * still balances, and a chunk's records are contiguous in the shuffle. */
#define CHUNK 4096

static void lanes(rs_ffm_adagrad *s, size_t cap, size_t W)
{
	for (int t = 0; t < s->threads; t++) {
		free(s->lane[t].G);
		free(s->lane[t].row);
		s->lane[t].G = rs_malloc(cap * W * sizeof *s->lane[t].G);
		s->lane[t].row = rs_malloc(cap * sizeof *s->lane[t].row);
		for (size_t a = 0; a < cap; a++)
			s->lane[t].row[a] = s->lane[t].G + a * W;
	}
	s->cap = cap;
}

void rs_ffm_adagrad_init(rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d, int threads)
{
	size_t nf = m->nfeatures, F = (size_t)m->nfields, W = F * (size_t)m->k + 1;
	memset(s, 0, sizeof *s);
	s->acc = rs_malloc((nf * (F + 1) + 1) * sizeof *s->acc);
	for (size_t j = 0; j < nf * (F + 1); j++)
		s->acc[j] = 1.0f;
	s->acc0 = 1.0f;
	s->threads = threads > 1 ? threads : 1;
	s->lane = rs_calloc((size_t)s->threads, sizeof *s->lane);
	size_t most = 1;
	if (d) {   /* the fields of every feature of d, once */
		s->fld = rs_malloc(d->nnz + 1);
		for (size_t r = 0; r < d->n; r++) {
			size_t lo = d->xoff[r], n = d->xoff[r + 1] - lo;
			ffm_fields(m, d->x + lo, (int)n, s->fld + lo);
			most = n > most ? n : most;
		}
	}
	lanes(s, most, W);
}

void rs_ffm_adagrad_free(rs_ffm_adagrad *s)
{
	for (int t = 0; t < s->threads; t++) {
		free(s->lane[t].G);
		free(s->lane[t].row);
	}
	free(s->lane);
	free(s->acc);
	free(s->fld);
	memset(s, 0, sizeof *s);
}

/* A block's AdaGrad step by its gradient g (k): the accumulator gains g's
 * mean square. */
static inline __attribute__((always_inline)) void
block_step(float *restrict w, const float *restrict g, float *acc, float lr, float inv_k, int k)
{
	float step = lr / sqrtf(*acc += rs_dot(g, g, k) * inv_k);
	for (int f = 0; f < k; f++)
		w[f] -= step * g[f];
}

/* One record: the forward, the error, every used block's gradient from
 * the forward values, then the steps. A record's features are sorted, so
 * its fields come in runs: each run is a field the record uses, and
 * feature a uses its block of field f when some other feature is of f.
 * Where every run is one feature (no multi-hot field), each block serves
 * one pair, whose two blocks step as soon as both gradients are made
 * (libffm's order): the same values as the general path's, without its
 * passes. k is a constant in the builds for 4 and 8 (step_body, its caller). */
RS_SIMD_BODY double record_step(rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, const uint32_t *x,
				const uint8_t *fld, const float *xv, int n, float y, const int k)
{
	int F = m->nfields;
	size_t W = (size_t)F * k + 1;
	float *V = rs_w(&m->p, FFM_V), *w0 = rs_w(&m->p, FFM_W0);
	float lr = (float)m->hp.lr, l2 = (float)m->hp.l2, e, inv_k = k ? 1.0f / (float)k : 0.0f;
	float score = ffm_record_forward(V, x, fld, xv, n, k, F, w0[0] + m->mu);
	double loss = m->click ? bce_logits_term(&e, score, y) : mse_term(&e, score, y);
	/* the runs: field run_f[r] holds features [run_lo[r], run_lo[r+1]) */
	uint8_t run_f[RS_MAX_FIELDS];
	int run_lo[RS_MAX_FIELDS + 1], runs = 0;
	for (int a = 0; a < n; a++)
		if (!a || fld[a] != fld[a - 1])
			run_f[runs] = fld[a], run_lo[runs++] = a;
	run_lo[runs] = n;
	if (runs == n) {
		float ga[RS_MAX_FACTORS], gb[RS_MAX_FACTORS];
		for (int a = 0; a < n; a++) {
			float *ra = V + x[a] * W, *acc_a = st->acc + x[a] * (size_t)(F + 1);
			float va = xv ? xv[a] : 1.0f, gw = e * va + l2 * ra[W - 1];
			for (int b = a + 1; b < n; b++) {
				float *rb = V + x[b] * W, *acc_b = st->acc + x[b] * (size_t)(F + 1);
				float c = e * va * (xv ? xv[b] : 1.0f);
				float *pa = ra + (size_t)fld[b] * k, *pb = rb + (size_t)fld[a] * k;
				for (int f = 0; f < k; f++) {
					ga[f] = c * pb[f] + l2 * pa[f];
					gb[f] = c * pa[f] + l2 * pb[f];
				}
				block_step(pa, ga, acc_a + fld[b], lr, inv_k, k);
				block_step(pb, gb, acc_b + fld[a], lr, inv_k, k);
			}
			ra[W - 1] -= lr / sqrtf(acc_a[F] += gw * gw) * gw;
		}
	} else {
		for (int a = 0; a < n; a++) {
			float *g = L->row[a];
			g[W - 1] = 0.0f;
			for (int r = 0; r < runs; r++)
				if (run_lo[r + 1] - run_lo[r] > (run_f[r] == fld[a]))
					for (int f = 0; f < k; f++)
						g[(size_t)run_f[r] * k + f] = 0.0f;
		}
		ffm_record_backward(L->row, V, x, fld, xv, n, k, F, e, l2);
		for (int a = 0; a < n; a++) {
			float *row = V + x[a] * W, *acc = st->acc + x[a] * (size_t)(F + 1);
			const float *g = L->row[a];
			for (int r = 0; r < runs; r++)
				if (run_lo[r + 1] - run_lo[r] > (run_f[r] == fld[a])) {
					size_t at = (size_t)run_f[r] * k;
					block_step(row + at, g + at, acc + run_f[r], lr, inv_k, k);
				}
			row[W - 1] -= lr / sqrtf(acc[F] += g[W - 1] * g[W - 1]) * g[W - 1];
		}
	}
	st->acc0 += e * e;
	w0[0] -= lr / sqrtf(st->acc0) * e;
	return loss;
}

/* record_step with k a constant where it is 4 or 8 (libffm's k = 4, and
 * twice it), so that a block is a vector and its loops unroll. */
RS_SIMD_BODY double step_body(rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, const uint32_t *x,
			   const uint8_t *fld, const float *xv, int n, float y)
{
	return m->k == 4   ? record_step(st, L, m, x, fld, xv, n, y, 4)
	       : m->k == 8 ? record_step(st, L, m, x, fld, xv, n, y, 8)
			   : record_step(st, L, m, x, fld, xv, n, y, m->k);
}

RS_SIMD_RET(double, step, (rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, const uint32_t *x,
			   const uint8_t *fld, const float *xv, int n, float y),
	    (st, L, m, x, fld, xv, n, y))

typedef struct {
	rs_ffm_adagrad *s;
	rs_model *m;
	const rs_dataset *d;
	const uint32_t *idx;
} epoch_job;

#define PREFETCH 4

RS_SIMD_BODY void run_body(epoch_job *j, size_t lo, size_t hi, int t)
{
	rs_ffm_lane *L = &j->s->lane[t];
	const rs_dataset *d = j->d;
	const uint32_t *idx = j->idx;
	size_t W = (size_t)j->m->nfields * j->m->k + 1, A = (size_t)j->m->nfields + 1;
	const float *V = rs_w(&j->m->p, FFM_V);
	double loss = 0;
	for (size_t i = lo; i < hi; i++) {
		/* the shuffle reads records anywhere, and a record's rows are
		 * where its features say: three stages ahead, so that no load
		 * waits on the one before it (the record's offsets, its
		 * features, then every line of their rows and accumulators) */
		if (i + 3 * PREFETCH < hi) {
			__builtin_prefetch(d->xoff + idx[i + 3 * PREFETCH]);
			__builtin_prefetch(d->y + idx[i + 3 * PREFETCH]);
		}
		if (i + 2 * PREFETCH < hi) {
			size_t a = d->xoff[idx[i + 2 * PREFETCH]];
			__builtin_prefetch(d->x + a);
			__builtin_prefetch(j->s->fld + a);
			if (d->xv)
				__builtin_prefetch(d->xv + a);
		}
		if (i + PREFETCH < hi) {
			size_t b = idx[i + PREFETCH];
			for (size_t q = d->xoff[b]; q < d->xoff[b + 1]; q++) {
				const float *row = V + d->x[q] * W;
				for (size_t c = 0; c < W; c += 16)
					__builtin_prefetch(row + c, 1);
				__builtin_prefetch(row + W - 1, 1);
				__builtin_prefetch(j->s->acc + d->x[q] * A, 1);
			}
		}
		size_t r = idx[i], a = d->xoff[r];
		loss += step_body(j->s, L, j->m, d->x + a, j->s->fld + a, d->xv ? d->xv + a : NULL,
				  (int)(d->xoff[r + 1] - a), d->y[r]);
	}
	L->loss += loss;
}

RS_SIMD_VOID(run, (epoch_job *j, size_t lo, size_t hi, int t), (j, lo, hi, t))

static void run_chunk(void *ctx, size_t lo, size_t hi, int t)
{
	run(ctx, lo, hi, t);
}

double rs_ffm_adagrad_epoch(rs_ffm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			    size_t n)
{
	epoch_job j = {s, m, d, idx};
	for (int t = 0; t < s->threads; t++)
		s->lane[t].loss = 0;
	rs_parallel_for(n, CHUNK, s->threads, run_chunk, &j);
	double loss = 0;
	for (int t = 0; t < s->threads; t++)
		loss += s->lane[t].loss;
	return loss;
}

double rs_ffm_adagrad_loss(const rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d,
			   const uint32_t *idx, size_t n)
{
	const float *V = rs_w(&m->p, FFM_V);
	float lin0 = rs_w(&m->p, FFM_W0)[0] + m->mu, e;
	double loss = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = idx[i], a = d->xoff[r];
		float score = ffm_record_forward(V, d->x + a, s->fld + a, d->xv ? d->xv + a : NULL,
						 (int)(d->xoff[r + 1] - a), m->k, m->nfields, lin0);
		loss += m->click ? bce_logits_term(&e, score, d->y[r]) : mse_term(&e, score, d->y[r]);
	}
	return loss;
}

double rs_ffm_adagrad_step(rs_ffm_adagrad *s, rs_model *m, const uint32_t *x, const float *xv, int n,
			   float y)
{
	if ((size_t)n > s->cap)
		lanes(s, (size_t)n, (size_t)m->nfields * m->k + 1);
	uint8_t *fld = rs_malloc((size_t)n + 1);
	ffm_fields(m, x, n, fld);
	double loss = step(s, &s->lane[0], m, x, fld, xv, n, y);
	free(fld);
	return loss;
}
