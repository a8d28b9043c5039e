/* mcmc_score.c: a record's score under the chain's current sample
 * (rs_chain_score, mcmc_chain.h). */
#include "mcmc_internal.h"
#include "compute.h"

#include <string.h>

/* The current sample's score of record r of d (the blocks' shares from
 * block_terms). */
static double score8(const rs_chain *c, const rs_dataset *d, size_t r);

double rs_chain_score(const rs_chain *c, const rs_dataset *d, size_t r, double *s)
{
	int k = c->k;
	if (k % 8 == 0)
		return score8(c, d, r);
	double lin = c->w0, sq = 0;
	for (int f = 0; f < k; f++)
		s[f] = 0;
	for (int b = 0; b < c->nblocks; b++) {
		const struct block *bk = &c->blk[b];
		uint32_t u = bk->key[r];
		lin += bk->lin[u];
		sq += bk->sq[u];
		for (int f = 0; f < k; f++)
			s[f] += bk->s[(size_t)u * k + f];
	}
	for (size_t j = d->xoff[r]; j < d->xoff[r + 1] && d->x[j] < c->io; j++) {
		double x = xval(d, j);
		const float *v = c->V + (size_t)d->x[j] * k;
		lin += c->w[d->x[j]] * x;
		for (int f = 0; f < k; f++) {
			s[f] += v[f] * x;
			sq += v[f] * v[f] * x * x;
		}
	}
	double dot = 0;
	for (int f = 0; f < k; f++)
		dot += s[f] * s[f];
	return lin + 0.5 * (dot - sq);
}

/* rs_chain_score when k is a multiple of 8: the sums in float vectors */
RS_SIMD_BODY double score8_body(const rs_chain *c, const rs_dataset *d, size_t r)
{
	int k = c->k, C = k / 8;
	v8 sum[JOINT_MAX_CHUNKS], sq[JOINT_MAX_CHUNKS], zero = {0};
	double lin = c->w0;
	for (int ch = 0; ch < C; ch++)
		sum[ch] = sq[ch] = zero;
	for (int b = 0; b < c->nblocks; b++) {
		const struct block *bk = &c->blk[b];
		uint32_t u = bk->key[r];
		lin += bk->lin[u] + 0.5 * -bk->sq[u];
		for (int ch = 0; ch < C; ch++)
			for (int f = 0; f < 8; f++)
				sum[ch][f] += (float)bk->s[(size_t)u * k + 8 * ch + f];
	}
	for (size_t j = d->xoff[r]; j < d->xoff[r + 1] && d->x[j] < c->io; j++) {
		float x = xval(d, j);
		const float *v = c->V + (size_t)d->x[j] * k;
		lin += c->w[d->x[j]] * x;
		for (int ch = 0; ch < C; ch++) {
			v8 t;
			LOAD8(t, v + 8 * ch);
			t *= x;
			sum[ch] += t;
			sq[ch] += t * t;
		}
	}
	double pair = 0;
	for (int ch = 0; ch < C; ch++) {
		v8 t = sum[ch] * sum[ch] - sq[ch];
		pair += SUM8(t);
	}
	return lin + 0.5 * pair;
}
RS_SIMD_RET(double, score8, (const rs_chain *c, const rs_dataset *d, size_t r), (c, d, r))
