/* mfadagrad.c: MF's fused per-rating AdaGrad solver (mfadagrad.h). */
#include "mfadagrad.h"
#include "cli.h"
#include "compute.h"
#include "mem.h"
#include "nn.h"
#include "parallel.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A sum of squares in eight partial sums, rs_dot's order: the same bits
 * at every SIMD width. */
#define SQUARES(acc, expr)                                                       \
	do {                                                                     \
		float a_[8] = {0};                                               \
		int f_ = 0;                                                      \
		for (; f_ + 8 <= w; f_ += 8)                                     \
			for (int l_ = 0; l_ < 8; l_++) {                         \
				int f = f_ + l_;                                 \
				float g_ = (expr);                               \
				a_[l_] += g_ * g_;                               \
			}                                                        \
		acc = ((a_[0] + a_[1]) + (a_[2] + a_[3])) + ((a_[4] + a_[5]) + (a_[6] + a_[7])); \
		for (; f_ < w; f_++) {                                           \
			int f = f_;                                              \
			float g_ = (expr);                                       \
			acc += g_ * g_;                                          \
		}                                                                \
	} while (0)

/* One rating, fused: the error, the two rows' gradients (the bias column
 * with the factors: its "q" is 1), their mean squares into the
 * accumulators, then both rows stepped from their old values in one pass. */
static inline __attribute__((always_inline)) float step(float *restrict p, float *restrict q,
							float *accp, float *accq, int k, float r,
							float mu, float lr, float l2)
{
	int w = k + 1;
	float e = mu + rs_dot(p, q, k) + p[k] + q[k] - r, sp2, sq2;
	/* the bias column: p[k]'s gradient is e + l2 p[k] (its partner is 1) */
	SQUARES(sp2, (f < k ? e * q[f] : e) + l2 * p[f]);
	SQUARES(sq2, (f < k ? e * p[f] : e) + l2 * q[f]);
	*accp += sp2 / (float)w;
	*accq += sq2 / (float)w;
	float sp = lr / sqrtf(*accp), sq = lr / sqrtf(*accq);
	for (int f = 0; f < k; f++) {
		float pf = p[f], qf = q[f];
		p[f] = pf - sp * (e * qf + l2 * pf);
		q[f] = qf - sq * (e * pf + l2 * qf);
	}
	float pb = p[k], qb = q[k];
	p[k] = pb - sp * (e + l2 * pb);
	q[k] = qb - sq * (e + l2 * qb);
	return 0.5f * e * e;
}

#define PREFETCH 8

/* A block's records fitted in turn; returns their summed loss. */
RS_SIMD_BODY double fit_body(const rs_mf_rating *rec, size_t n, float *P, float *Q, float *accP,
			     float *accQ, int k, size_t w, float mu, float lr, float l2)
{
	double loss = 0;
	for (size_t x = 0; x < n; x++) {
		const rs_mf_rating *e = &rec[x];
		/* the rows a few ratings ahead: a block touches each row about
		 * once, so without this every rating waits on two misses */
		if (x + PREFETCH < n) {
			const float *pa = P + rec[x + PREFETCH].u * w, *qa = Q + rec[x + PREFETCH].i * w;
			for (size_t c = 0; c < w; c += 16) {
				__builtin_prefetch(pa + c, 1);
				__builtin_prefetch(qa + c, 1);
			}
			__builtin_prefetch(pa + w - 1, 1);   /* an unaligned row's last line */
			__builtin_prefetch(qa + w - 1, 1);
			__builtin_prefetch(accP + rec[x + PREFETCH].u, 1);   /* and their accumulators */
			__builtin_prefetch(accQ + rec[x + PREFETCH].i, 1);
		}
		loss += step(P + e->u * w, Q + e->i * w, &accP[e->u], &accQ[e->i], k, e->r, mu, lr, l2);
	}
	return loss;
}

RS_SIMD_RET(double, fit, (const rs_mf_rating *rec, size_t n, float *P, float *Q, float *accP,
			  float *accQ, int k, size_t w, float mu, float lr, float l2),
	    (rec, n, P, Q, accP, accQ, k, w, mu, lr, l2))

float rs_mf_adagrad_step(float *p, float *q, float *accp, float *accq, int k, float r, float mu,
			 float lr, float l2)
{
	rs_mf_rating one = {0, 0, r};
	return (float)fit(&one, 1, p, q, accp, accq, k, (size_t)k + 1, mu, lr, l2);
}

/* Each of n ids dealt to one of G bands of equal size by a seeded
 * permutation, so that the heavy ids (first in a log) spread over the
 * bands and a diagonal's blocks are of a size. A band's rows lie anywhere
 * in the table, which huge pages keep in the TLB (rs_calloc_huge). */
static uint8_t *bands(uint32_t n, int G, rs_rng *rng)
{
	uint32_t *id = rs_malloc(((size_t)n + 1) * sizeof *id);
	for (uint32_t j = 0; j < n; j++)
		id[j] = j;
	rs_rng_shuffle(rng, id, n);
	uint8_t *band = rs_malloc((size_t)n + 1);
	for (uint32_t j = 0; j < n; j++)
		band[id[j]] = (uint8_t)((uint64_t)j * (uint64_t)G / n);
	free(id);
	return band;
}

void rs_mf_adagrad_init(rs_mf_adagrad *s, const rs_model *m, const rs_dataset *d,
			const uint32_t *idx, size_t n, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	int G = s->G = RS_MF_BANDS;
	s->seed = seed;
	uint32_t U = m->hdr.nusers, I = m->hdr.nitems;
	rs_rng rng;
	rs_rng_seed(&rng, seed + 5);
	uint8_t *ub = bands(U, G, &rng), *ib = bands(I, G, &rng);
	/* the records idx names, read in the dataset's order (reading them in
	 * idx's shuffled order missed the cache three times a record), then
	 * each block shuffled by a stream of its own */
	uint64_t *in = rs_calloc(d->n / 64 + 1, sizeof *in);
	for (size_t j = 0; j < n; j++)
		in[idx[j] / 64] |= (uint64_t)1 << (idx[j] % 64);
	size_t nb = (size_t)G * (size_t)G;
	s->start = rs_calloc(nb + 1, sizeof *s->start);
	for (size_t r = 0; r < d->n; r++)
		if (in[r / 64] >> (r % 64) & 1)
			s->start[(size_t)ub[d->user[r]] * G + ib[d->item[r]] + 1]++;
	for (size_t b = 0; b < nb; b++)
		s->start[b + 1] += s->start[b];
	size_t *fill = rs_malloc((nb + 1) * sizeof *fill);
	memcpy(fill, s->start, nb * sizeof *fill);
	s->rec = rs_malloc((n + 1) * sizeof *s->rec);
	for (size_t r = 0; r < d->n; r++)
		if (in[r / 64] >> (r % 64) & 1)
			s->rec[fill[(size_t)ub[d->user[r]] * G + ib[d->item[r]]]++] =
				(rs_mf_rating){d->user[r], d->item[r], d->y[r]};
	for (size_t blk = 0; blk < nb; blk++) {
		rs_mf_rating *rec = s->rec + s->start[blk];
		rs_rng_seed(&rng, seed * 1000003u + blk);
		for (size_t x = s->start[blk + 1] - s->start[blk]; x > 1; x--) {
			size_t y = rs_rng_below(&rng, (uint32_t)x);
			rs_mf_rating t = rec[x - 1];
			rec[x - 1] = rec[y];
			rec[y] = t;
		}
	}
	free(in);
	free(fill);
	free(ub);
	free(ib);
	s->accP = rs_malloc(((size_t)U + 1) * sizeof *s->accP);
	s->accQ = rs_malloc(((size_t)I + 1) * sizeof *s->accQ);
	for (uint32_t u = 0; u < U; u++)
		s->accP[u] = 1.0f;
	for (uint32_t i = 0; i < I; i++)
		s->accQ[i] = 1.0f;
	s->loss = rs_calloc(nb, sizeof *s->loss);
	s->order = rs_malloc((size_t)G * sizeof *s->order);
	for (int g = 0; g < G; g++)
		s->order[g] = (uint32_t)g;
}

void rs_mf_adagrad_free(rs_mf_adagrad *s)
{
	free(s->rec);
	free(s->start);
	free(s->accP);
	free(s->accQ);
	free(s->loss);
	free(s->order);
	memset(s, 0, sizeof *s);
}

typedef struct job {
	rs_mf_adagrad *s;
	rs_model *m;
} job;

/* Blocks lo..hi of the step-th diagonal of the epoch's order: block (row
 * band b, column band b + diagonal), its records fitted in turn. */
static void run_blocks(void *ctx, size_t step, size_t lo, size_t hi, int t)
{
	(void)t;
	job *j = ctx;
	rs_mf_adagrad *s = j->s;
	rs_model *m = j->m;
	int G = s->G, k = m->hp.factors;
	float lr = (float)m->hp.lr, l2 = (float)m->hp.l2, mu = m->mu;
	size_t diag = s->order[step];
	for (size_t b = lo; b < hi; b++) {
		size_t blk = b * (size_t)G + (b + diag) % (size_t)G;
		rs_mf_rating *rec = s->rec + s->start[blk];
		size_t n = s->start[blk + 1] - s->start[blk];
		s->loss[blk] = fit(rec, n, rs_w(&m->p, 0), rs_w(&m->p, 1), s->accP, s->accQ, k,
				   (size_t)k + 1, mu, lr, l2);
	}
}

double rs_mf_adagrad_epoch(rs_mf_adagrad *s, rs_model *m, int threads)
{
	int G = s->G;
	rs_rng rng;
	rs_rng_seed(&rng, s->seed * 31u + (uint64_t)++s->epoch);
	for (int g = G; g > 1; g--) {
		uint32_t t = rs_rng_below(&rng, (uint32_t)g), x = s->order[g - 1];
		s->order[g - 1] = s->order[t];
		s->order[t] = x;
	}
	job j = {s, m};
	rs_parallel_steps((size_t)G, (size_t)G, 1, threads, run_blocks, &j);
	double sum = 0;
	for (size_t b = 0; b < (size_t)G * (size_t)G; b++)
		sum += s->loss[b];
	return sum;
}
