/* mcmc_chain.c: the Gibbs sampler's chain over a stream's train records
 * (mcmc_chain.h): its state, made and freed, and its residuals and q
 * recomputed from the parameters. */
#include "mcmc_internal.h"
#include "mem.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

void rs_chain_init(rs_chain *c, const rs_model *m, const rs_dataset *d, const uint32_t *train,
		   size_t n, int threads, int scan, rs_rng *rng)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->scan = scan;
	c->n = n;
	c->k = m->hp.factors;
	c->N = m->nfeatures;
	/* the records by user (stably): a user's records, and those of the
	 * fields of the user, are rows side by side, read in order */
	c->rec = rs_malloc((n + 1) * sizeof *c->rec);
	size_t *at = rs_calloc((size_t)d->hdr.nusers + 2, sizeof *at);
	for (size_t r = 0; r < n; r++)
		at[d->user[train[r]] + 2]++;
	for (uint32_t u = 0; u < d->hdr.nusers; u++)
		at[u + 2] += at[u + 1];
	for (size_t r = 0; r < n; r++)
		c->rec[at[d->user[train[r]] + 1]++] = train[r];
	free(at);
	c->label = rs_malloc((n + 1) * sizeof *c->label);
	c->y = rs_malloc((n + 1) * sizeof *c->y);
	c->Kp = (c->k + 7) / 8 * 8;
	c->S = (c->Kp + 1 + 15) / 16 * 16;
	c->eq = rs_calloc_huge((n + 1) * (size_t)c->S, sizeof *c->eq);
	c->threads = threads;
	c->work = rs_malloc((size_t)threads * sizeof *c->work);
	for (int t = 0; t < threads; t++)
		rs_chain_work_init(&c->work[t], c->k, c->Kp);
	for (size_t r = 0; r < n; r++)
		c->label[r] = c->y[r] = d->y[c->rec[r]];
	/* the blocks: the implicit (by user) and raters (by item) fields that
	 * end the layout */
	c->io = c->N;
	for (int f = m->hdr.nfields - 1; (scan & RS_CHAIN_BLOCKS) && f >= 0 && c->nblocks < 2; f--) {
		const rs_field *fd = &m->hdr.fields[f];
		int by_user = !strcmp(fd->name, "implicit"), by_item = !strcmp(fd->name, "raters");
		if (!by_user && !by_item)
			break;
		c->io = fd->offset;
		memmove(&c->blk[1], &c->blk[0], (size_t)c->nblocks * sizeof c->blk[0]);
		c->blk[0] = (struct block){.lo = fd->offset, .hi = fd->offset + fd->size,
					   .key = by_user ? d->user : d->item,
					   .U = by_user ? d->hdr.nusers : d->hdr.nitems};
		c->nblocks++;
	}
	/* the transpose: each feature's records (but the blocks') */
	c->coff = rs_calloc((size_t)c->N + 1, sizeof *c->coff);
	for (size_t r = 0; r < n; r++)
		for (size_t j = d->xoff[c->rec[r]]; j < d->xoff[c->rec[r] + 1] && d->x[j] < c->io; j++)
			c->coff[d->x[j] + 1]++;
	for (uint32_t f = 0; f < c->N; f++)
		c->coff[f + 1] += c->coff[f];
	size_t nnz = c->coff[c->N];
	c->crow = rs_malloc((nnz + 1) * sizeof *c->crow);
	c->cval = rs_malloc((nnz + 1) * sizeof *c->cval);
	size_t *fill = rs_malloc(((size_t)c->N + 1) * sizeof *fill);
	memcpy(fill, c->coff, ((size_t)c->N + 1) * sizeof *fill);
	for (size_t r = 0; r < n; r++)
		for (size_t j = d->xoff[c->rec[r]]; j < d->xoff[c->rec[r] + 1] && d->x[j] < c->io; j++) {
			size_t at = fill[d->x[j]]++;
			c->crow[at] = (uint32_t)r;
			c->cval[at] = xval(d, j);
		}
	free(fill);
	c->ones = rs_malloc((size_t)c->N + 1);
	for (uint32_t j = 0; j < c->N; j++) {
		c->ones[j] = 1;
		for (size_t i = c->coff[j]; i < c->coff[j + 1] && c->ones[j]; i++)
			c->ones[j] = c->cval[i] == 1.0f;
	}
	c->ngroups = m->hdr.nfields;
	c->group = rs_malloc(((size_t)c->N + 1) * sizeof *c->group);
	c->goff = rs_malloc(((size_t)c->ngroups + 1) * sizeof *c->goff);
	for (int g = 0; g < c->ngroups; g++) {
		c->goff[g] = m->hdr.fields[g].offset;
		for (uint32_t j = 0; j < m->hdr.fields[g].size; j++)
			c->group[m->hdr.fields[g].offset + j] = g;
	}
	c->goff[c->ngroups] = c->N;
	c->single = rs_malloc((size_t)c->ngroups + 1);
	memset(c->single, 1, (size_t)c->ngroups + 1);
	for (size_t r = 0; r < n; r++)
		for (size_t j = d->xoff[c->rec[r]] + 1; j < d->xoff[c->rec[r] + 1] && d->x[j] < c->io; j++)
			if (c->group[d->x[j]] == c->group[d->x[j - 1]])
				c->single[c->group[d->x[j]]] = 0;
	size_t G = (size_t)c->ngroups, k = (size_t)c->k;
	c->mu_w = rs_calloc(G, sizeof *c->mu_w);
	c->lam_w = rs_malloc(G * sizeof *c->lam_w);
	c->mu_v = rs_calloc(G * k + 1, sizeof *c->mu_v);
	c->lam_v = rs_malloc((G * k + 1) * sizeof *c->lam_v);
	for (size_t i = 0; i < G; i++)
		c->lam_w[i] = 1.0;
	for (size_t i = 0; i < G * k; i++)
		c->lam_v[i] = 1.0;
	c->alpha = 1.0;
	c->w = rs_calloc((size_t)c->N + 1, sizeof *c->w);
	c->V = rs_malloc(((size_t)c->N * k + 1) * sizeof *c->V);
	for (size_t i = 0; i < (size_t)c->N * k; i++)
		c->V[i] = (float)(m->hp.init_std * rs_rng_normal(rng));
	for (int b = 0; b < c->nblocks; b++)
		rs_chain_block_init(c, &c->blk[b], d, m->hdr.fields[m->hdr.nfields - c->nblocks + b].name);
	rs_chain_plan_init(c);
}

void rs_chain_free(rs_chain *c)
{
	free(c->rec), free(c->label), free(c->y), free(c->eq), free(c->ones), free(c->single);
	rs_chain_plan_free(&c->plan);
	for (int t = 0; t < c->threads; t++)
		rs_chain_work_free(&c->work[t]);
	free(c->work);
	free(c->coff), free(c->crow), free(c->cval), free(c->group), free(c->goff);
	free(c->mu_w), free(c->lam_w), free(c->mu_v), free(c->lam_v);
	free(c->w), free(c->V);
	for (int b = 0; b < c->nblocks; b++)
		rs_chain_block_free(&c->blk[b]);
}

/* Every record's q at the current V, into its row. */
static void q_body(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	rs_chain *c = ctx;
	const rs_dataset *d = c->d;
	int k = c->k;
	for (size_t r = lo; r < hi; r++) {
		size_t rec = c->rec[r];
		float s[RS_MCMC_MAX_FACTORS];
		for (int f = 0; f < k; f++)
			s[f] = 0.0f;
		for (int b = 0; b < c->nblocks; b++)
			for (int f = 0; f < k; f++)
				s[f] += (float)c->blk[b].s[(size_t)c->blk[b].key[rec] * k + f];
		for (size_t j = d->xoff[rec]; j < d->xoff[rec + 1] && d->x[j] < c->io; j++) {
			const float *v = c->V + (size_t)d->x[j] * k;
			float x = xval(d, j);
			for (int f = 0; f < k; f++)
				s[f] += v[f] * x;
		}
		memcpy(&QF(r, 0), s, (size_t)k * sizeof *s);
	}
}

void rs_chain_residuals(rs_chain *c, double *s)
{
	rs_chain_block_terms(c);
	if (c->threads > 1)
		rs_parallel_for(c->n, 4096, c->threads, q_body, c);
	else
		q_body(c, 0, c->n, 0);
	for (size_t r = 0; r < c->n; r++)
		E(r) = (float)(c->y[r] - rs_chain_score(c, c->d, c->rec[r], s));
}
