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

/* n floats rounded up to a power of two within a cache line, or to whole
 * lines: a row so padded in a line-aligned table starts where a line or
 * half of one does, and spans no line more than it needs (61 floats, as
 * 15 fields at k = 4 are, straddle 5 lines from most starts, 64 span 4).
 * Nor do two rows share a line, which two threads stepping neighbours
 * would pass back and forth. */
static size_t line_fit(size_t n)
{
	size_t p = 1;
	while (p < n && p < 16)
		p *= 2;
	return n <= 16 ? p : (n + 15) / 16 * 16;
}

static void lanes(rs_ffm_adagrad *s, size_t cap, size_t W)
{
	for (int t = 0; t < s->threads; t++) {
		free(s->lane[t].G);
		free(s->lane[t].row);
		free(s->lane[t].x);
		s->lane[t].G = rs_malloc(cap * W * sizeof *s->lane[t].G);
		s->lane[t].row = rs_malloc(cap * sizeof *s->lane[t].row);
		s->lane[t].x = rs_malloc(cap * sizeof *s->lane[t].x);
		for (size_t a = 0; a < cap; a++)
			s->lane[t].row[a] = s->lane[t].G + a * W;
	}
	s->cap = cap;
}

/* Every lane steps the model's w0 and the shared accumulator. */
static void shared_bias(rs_ffm_adagrad *s, const rs_model *m)
{
	for (int t = 0; t < s->threads; t++) {
		s->lane[t].w0 = rs_w(&m->p, FFM_W0);
		s->lane[t].acc0 = &s->acc0;
	}
}

void rs_ffm_adagrad_init(rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d, int threads)
{
	size_t nf = m->nfeatures, F = (size_t)m->nfields, W = ffm_row_floats(m);
	memset(s, 0, sizeof *s);
	s->A = line_fit(F + 1);
	s->acc = rs_calloc_huge(nf * s->A + 1, sizeof *s->acc);
	for (size_t j = 0; j < nf * s->A; j++)
		s->acc[j] = 1.0f;
	s->acc0 = 1.0f;
	s->threads = threads > 1 ? threads : 1;
	s->lane = rs_calloc_huge((size_t)s->threads, sizeof *s->lane);   /* line-aligned */
	shared_bias(s, m);
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
		free(s->lane[t].x);
		free(s->lane[t].hits);
	}
	free(s->lane);
	free(s->acc);
	free(s->V);
	free(s->hot);
	free(s->hot_of);
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
RS_SIMD_BODY double record_step(rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, float *V, size_t W,
				const uint32_t *x, const uint8_t *fld, const float *xv, int n, float y,
				const int k)
{
	int F = m->nfields;
	size_t wi = (size_t)F * k, A = st->A;
	float *w0 = L->w0, *acc0 = L->acc0;
	float lr = (float)m->hp.lr, l2 = (float)m->hp.l2, e, inv_k = k ? 1.0f / (float)k : 0.0f;
	float score = ffm_record_forward(V, W, x, fld, xv, n, k, F, w0[0] + m->mu);
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
			float *ra = V + x[a] * W, *acc_a = st->acc + x[a] * A;
			float va = xv ? xv[a] : 1.0f, gw = e * va + l2 * ra[wi];
			for (int b = a + 1; b < n; b++) {
				float *rb = V + x[b] * W, *acc_b = st->acc + x[b] * A;
				float c = e * va * (xv ? xv[b] : 1.0f);
				float *pa = ra + (size_t)fld[b] * k, *pb = rb + (size_t)fld[a] * k;
				for (int f = 0; f < k; f++) {
					ga[f] = c * pb[f] + l2 * pa[f];
					gb[f] = c * pa[f] + l2 * pb[f];
				}
				block_step(pa, ga, acc_a + fld[b], lr, inv_k, k);
				block_step(pb, gb, acc_b + fld[a], lr, inv_k, k);
			}
			ra[wi] -= lr / sqrtf(acc_a[F] += gw * gw) * gw;
		}
	} else {
		for (int a = 0; a < n; a++) {
			float *g = L->row[a];
			g[wi] = 0.0f;
			for (int r = 0; r < runs; r++)
				if (run_lo[r + 1] - run_lo[r] > (run_f[r] == fld[a]))
					for (int f = 0; f < k; f++)
						g[(size_t)run_f[r] * k + f] = 0.0f;
		}
		ffm_record_backward(L->row, V, W, x, fld, xv, n, k, F, e, l2);
		for (int a = 0; a < n; a++) {
			float *row = V + x[a] * W, *acc = st->acc + x[a] * A;
			const float *g = L->row[a];
			for (int r = 0; r < runs; r++)
				if (run_lo[r + 1] - run_lo[r] > (run_f[r] == fld[a])) {
					size_t at = (size_t)run_f[r] * k;
					block_step(row + at, g + at, acc + run_f[r], lr, inv_k, k);
				}
			row[wi] -= lr / sqrtf(acc[F] += g[wi] * g[wi]) * g[wi];
		}
	}
	*acc0 += e * e;
	w0[0] -= lr / sqrtf(*acc0) * e;
	return loss;
}

/* record_step with k a constant where it is 4 or 8 (libffm's k = 4, and
 * twice it), so that a block is a vector and its loops unroll. */
RS_SIMD_BODY double step_body(rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, float *V, size_t W,
			      const uint32_t *x, const uint8_t *fld, const float *xv, int n, float y)
{
	return m->k == 4   ? record_step(st, L, m, V, W, x, fld, xv, n, y, 4)
	       : m->k == 8 ? record_step(st, L, m, V, W, x, fld, xv, n, y, 8)
			   : record_step(st, L, m, V, W, x, fld, xv, n, y, m->k);
}

RS_SIMD_RET(double, step, (rs_ffm_adagrad *st, rs_ffm_lane *L, rs_model *m, float *V, size_t W,
			   const uint32_t *x, const uint8_t *fld, const float *xv, int n, float y),
	    (st, L, m, V, W, x, fld, xv, n, y))

typedef struct {
	rs_ffm_adagrad *s;
	rs_model *m;
	float *V;            /* the rows stepped: s->V, or the model's */
	size_t W;            /* V's row stride */
	const rs_dataset *d;
	const uint32_t *idx;
} epoch_job;

/* Feature x's row for lane t: a hot feature's copy of the lane's. */
static inline uint32_t lane_row(const rs_ffm_adagrad *s, uint32_t x, int t, uint32_t nf)
{
	int32_t h = s->hot_of ? s->hot_of[x] : -1;
	return h < 0 ? x : nf + (uint32_t)t * s->nhot + (uint32_t)h;
}

#define PREFETCH 4

RS_SIMD_BODY void run_body(epoch_job *j, size_t lo, size_t hi, int t)
{
	rs_ffm_lane *L = &j->s->lane[t];
	const rs_dataset *d = j->d;
	const uint32_t *idx = j->idx;
	size_t W = j->W, A = j->s->A, wi = (size_t)j->m->nfields * j->m->k;
	uint32_t nf = (uint32_t)j->m->nfeatures;
	float *V = j->V;
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
				uint32_t x = lane_row(j->s, d->x[q], t, nf);
				const float *row = V + x * W;
				for (size_t c = 0; c < wi; c += 16)
					__builtin_prefetch(row + c, 1);
				__builtin_prefetch(row + wi, 1);
				__builtin_prefetch(j->s->acc + x * A, 1);
			}
		}
		size_t r = idx[i], a = d->xoff[r];
		int n = (int)(d->xoff[r + 1] - a);
		const uint32_t *x = d->x + a;
		if (j->s->hot_of) {   /* the same features, sorted as before: fields still come in runs */
			uint32_t copies = nf + (uint32_t)t * j->s->nhot;
			for (int q = 0; q < n; q++)
				if ((L->x[q] = lane_row(j->s, x[q], t, nf)) >= nf)
					L->hits[L->x[q] - copies]++;
			x = L->x;
		}
		loss += step_body(j->s, L, j->m, V, W, x, j->s->fld + a, d->xv ? d->xv + a : NULL, n, d->y[r]);
	}
	L->loss += loss;
	L->records += hi - lo;
}

RS_SIMD_VOID(run, (epoch_job *j, size_t lo, size_t hi, int t), (j, lo, hi, t))

static void run_chunk(void *ctx, size_t lo, size_t hi, int t)
{
	run(ctx, lo, hi, t);
}

/* The hot features of records idx[0..n): their indexes in hot_of, and
 * each lane's step counts. */
static void find_hot(rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d, const uint32_t *idx,
		     size_t n)
{
	size_t nf = m->nfeatures;
	/* idx is a shuffle: mark its records, then count them in the order
	 * they are stored */
	uint32_t *count = rs_calloc(nf, sizeof *count);
	uint64_t *in = rs_calloc(d->n / 64 + 1, sizeof *in);
	for (size_t i = 0; i < n; i++)
		in[idx[i] >> 6] |= (uint64_t)1 << (idx[i] & 63);
	for (size_t r = 0; r < d->n; r++)
		if (in[r >> 6] >> (r & 63) & 1)
			for (size_t q = d->xoff[r]; q < d->xoff[r + 1]; q++)
				count[d->x[q]]++;
	free(in);
	s->hot_of = rs_malloc(nf * sizeof *s->hot_of);
	s->hot = rs_malloc(nf * sizeof *s->hot);
	for (size_t x = 0; x < nf; x++) {
		s->hot_of[x] = count[x] && count[x] >= n / RS_FFM_HOT ? (int32_t)s->nhot : -1;
		if (s->hot_of[x] >= 0)
			s->hot[s->nhot++] = (uint32_t)x;
	}
	free(count);
	for (int t = 0; t < s->threads; t++)
		s->lane[t].hits = rs_calloc(s->nhot, sizeof *s->lane[t].hits);
}

/* On threads, the solver's own table: the model's rows line-fitted, then
 * room for each lane's copies of the hot rows and their accumulators. */
static void own_table(rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d, const uint32_t *idx,
		      size_t n)
{
	size_t nf = m->nfeatures;
	find_hot(s, m, d, idx, n);
	size_t rows = nf + (size_t)s->threads * s->nhot;
	s->W = line_fit(ffm_row_floats(m));
	s->V = rs_calloc_huge(rows * s->W, sizeof *s->V);
	if (s->nhot) {
		float *acc = rs_calloc_huge(rows * s->A, sizeof *acc);
		memcpy(acc, s->acc, nf * s->A * sizeof *acc);
		free(s->acc);
		s->acc = acc;
	}
}

/* Each lane's copies from the shared rows (to = 1), or the shared hot rows
 * from the copies (to = 0): the copies' mean weighted by their steps (a
 * copy no record of its lane stepped counts for nothing), and the
 * accumulators' gains summed. */
static void hot_copies(rs_ffm_adagrad *s, const rs_model *m, int to)
{
	size_t nf = m->nfeatures, W = s->W, A = s->A;
	for (uint32_t h = 0; h < s->nhot; h++) {
		float *row = s->V + s->hot[h] * W, *acc = s->acc + s->hot[h] * A;
		double steps = 0;
		for (int t = 0; t < s->threads; t++)
			steps += s->lane[t].hits[h];
		if (!to && steps > 0) {
			for (size_t c = 0; c < W; c++)
				row[c] = 0;
			for (size_t c = 0; c < A; c++) {   /* the gains, then the start */
				float gain = 0;
				for (int t = 0; t < s->threads; t++)
					gain += s->acc[(nf + (size_t)t * s->nhot + h) * A + c] - acc[c];
				acc[c] += gain;
			}
		}
		for (int t = 0; t < s->threads; t++) {
			size_t at = nf + (size_t)t * s->nhot + h;
			if (to) {
				memcpy(s->V + at * W, row, W * sizeof *row);
				memcpy(s->acc + at * A, acc, A * sizeof *acc);
				s->lane[t].hits[h] = 0;
			} else if (steps > 0) {
				float share = (float)(s->lane[t].hits[h] / steps);
				for (size_t c = 0; c < W; c++)
					row[c] += s->V[at * W + c] * share;
			}
		}
	}
}

/* The model's rows into the solver's table (to = 1), or back. */
static void copy_rows(rs_ffm_adagrad *s, const rs_model *m, float *V, int to)
{
	size_t W = ffm_row_floats(m);
	for (size_t x = 0; x < m->nfeatures; x++)
		if (to)
			memcpy(s->V + x * s->W, V + x * W, W * sizeof *V);
		else
			memcpy(V + x * W, s->V + x * s->W, W * sizeof *V);
}

double rs_ffm_adagrad_epoch(rs_ffm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			    size_t n)
{
	float *V = rs_w(&m->p, FFM_V);
	size_t W = ffm_row_floats(m);
	if (s->threads > 1 && !s->V && m->nfeatures * line_fit(W) * sizeof *V <= RS_FFM_COPY_MAX)
		own_table(s, m, d, idx, n);
	float *w0 = rs_w(&m->p, FFM_W0);
	if (s->V)
		copy_rows(s, m, V, 1);
	if (s->hot_of) {   /* each lane's copies of the hot rows, w0's too */
		hot_copies(s, m, 1);
		for (int t = 0; t < s->threads; t++) {
			rs_ffm_lane *L = &s->lane[t];
			L->own_w0 = *w0, L->own_acc0 = s->acc0, L->records = 0;
			L->w0 = &L->own_w0, L->acc0 = &L->own_acc0;
		}
	}
	epoch_job j = {s, m, s->V ? s->V : V, s->V ? s->W : W, d, idx};
	for (int t = 0; t < s->threads; t++)
		s->lane[t].loss = 0;
	rs_parallel_for(n, CHUNK, s->threads, run_chunk, &j);
	if (s->hot_of) {   /* w0 as a hot row: by the records each lane stepped */
		hot_copies(s, m, 0);
		float w = 0, gain = 0;
		for (int t = 0; t < s->threads; t++) {
			const rs_ffm_lane *L = &s->lane[t];
			w += L->own_w0 * (float)((double)L->records / (double)(n ? n : 1));
			gain += L->own_acc0 - s->acc0;
		}
		*w0 = n ? w : *w0;
		s->acc0 += gain;
		shared_bias(s, m);
	}
	if (s->V)
		copy_rows(s, m, V, 0);
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
	size_t W = ffm_row_floats(m);
	double loss = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = idx[i], a = d->xoff[r];
		float score = ffm_record_forward(V, W, d->x + a, s->fld + a,
						 d->xv ? d->xv + a : NULL, (int)(d->xoff[r + 1] - a), m->k,
						 m->nfields, lin0);
		loss += m->click ? bce_logits_term(&e, score, d->y[r]) : mse_term(&e, score, d->y[r]);
	}
	return loss;
}

double rs_ffm_adagrad_step(rs_ffm_adagrad *s, rs_model *m, const uint32_t *x, const float *xv, int n,
			   float y)
{
	if ((size_t)n > s->cap)
		lanes(s, (size_t)n, ffm_row_floats(m));
	uint8_t *fld = rs_malloc((size_t)n + 1);
	ffm_fields(m, x, n, fld);
	double loss = step(s, &s->lane[0], m, rs_w(&m->p, FFM_V), ffm_row_floats(m), x, fld, xv, n, y);
	free(fld);
	return loss;
}
