/* mcmc_blocks.c: the chain's implicit and raters fields drawn by block
 * (RS_CHAIN_BLOCKS, mcmc_chain.h): each block's structures, its share of
 * a score, and the draws of its weights and factors by user or item. */
#include "mcmc_internal.h"
#include "cli.h"
#include "mcmc_conjugate.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

static size_t lower_bound(const uint32_t *a, size_t n, uint32_t v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A block's structures. Every record of a key must carry the same
 * features in the field (ml-onehot gives them so): the draws count a key's
 * features once for all its records. */
void rs_chain_block_init(rs_chain *c, struct block *bk, const rs_dataset *d, const char *name)
{
	uint32_t U = bk->U, size = bk->hi - bk->lo;
	size_t *first = rs_malloc(((size_t)U + 1) * sizeof *first);
	for (uint32_t u = 0; u < U; u++)
		first[u] = SIZE_MAX;
	for (size_t r = 0; r < d->n; r++)
		if (first[bk->key[r]] == SIZE_MAX)
			first[bk->key[r]] = r;
	/* where a record's features in [lo, hi) begin and end (x is sorted) */
#define AT(r, v) (d->xoff[r] + lower_bound(d->x + d->xoff[r], d->xoff[(r) + 1] - d->xoff[r], v))
	bk->noff = rs_calloc((size_t)U + 1, sizeof *bk->noff);
	bk->x = rs_calloc((size_t)U + 1, sizeof *bk->x);
	for (uint32_t u = 0; u < U; u++)
		if (first[u] != SIZE_MAX) {
			size_t a = AT(first[u], bk->lo), b = AT(first[u], bk->hi);
			bk->noff[u + 1] = b - a;
			bk->x[u] = a < b ? xval(d, a) : 0.0f;
		}
	for (uint32_t u = 0; u < U; u++)
		bk->noff[u + 1] += bk->noff[u];
	bk->nfeat = rs_malloc((bk->noff[U] + 1) * sizeof *bk->nfeat);
	for (uint32_t u = 0; u < U; u++)
		if (first[u] != SIZE_MAX)
			memcpy(bk->nfeat + bk->noff[u], d->x + AT(first[u], bk->lo),
			       (bk->noff[u + 1] - bk->noff[u]) * sizeof *bk->nfeat);
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = bk->key[r];
		size_t a = AT(r, bk->lo), b = AT(r, bk->hi), want = bk->noff[u + 1] - bk->noff[u];
		int same = b - a == want && !memcmp(d->x + a, bk->nfeat + bk->noff[u], want * sizeof *d->x);
		for (size_t j = a; same && j < b; j++)
			same = xval(d, j) == bk->x[u];
		if (!same)
			rs_die("%s: record %zu: its field '%s' is not that of the other records of its %s "
			       "(ml-onehot gives every record of a %s the same)", d->src, r + 1, name,
			       bk->key == d->user ? "user" : "item", bk->key == d->user ? "user" : "item");
	}
#undef AT
	free(first);
	bk->roff = rs_calloc((size_t)U + 1, sizeof *bk->roff);
	for (size_t r = 0; r < c->n; r++)
		bk->roff[bk->key[c->rec[r]] + 1]++;
	for (uint32_t u = 0; u < U; u++)
		bk->roff[u + 1] += bk->roff[u];
	bk->rrec = rs_malloc((c->n + 1) * sizeof *bk->rrec);
	size_t *fill = rs_malloc(((size_t)U + 1) * sizeof *fill);
	memcpy(fill, bk->roff, ((size_t)U + 1) * sizeof *fill);
	for (size_t r = 0; r < c->n; r++)
		bk->rrec[fill[bk->key[c->rec[r]]]++] = (uint32_t)r;
	free(fill);
	bk->loff = rs_calloc((size_t)size + 1, sizeof *bk->loff);
	for (size_t i = 0; i < bk->noff[U]; i++)
		bk->loff[bk->nfeat[i] - bk->lo + 1]++;
	for (uint32_t l = 0; l < size; l++)
		bk->loff[l + 1] += bk->loff[l];
	bk->lkey = rs_malloc((bk->noff[U] + 1) * sizeof *bk->lkey);
	fill = rs_malloc(((size_t)size + 1) * sizeof *fill);
	memcpy(fill, bk->loff, ((size_t)size + 1) * sizeof *fill);
	for (uint32_t u = 0; u < U; u++)
		for (size_t i = bk->noff[u]; i < bk->noff[u + 1]; i++)
			bk->lkey[fill[bk->nfeat[i] - bk->lo]++] = u;
	free(fill);
	double **agg[] = {&bk->A, &bk->B, &bk->C, &bk->D, &bk->P, &bk->Q, &bk->lin, &bk->sq};
	for (size_t i = 0; i < sizeof agg / sizeof *agg; i++)
		*agg[i] = rs_calloc((size_t)U + 1, sizeof **agg[i]);
	bk->s = rs_calloc((size_t)U * c->k + 1, sizeof *bk->s);
}

void rs_chain_block_free(struct block *bk)
{
	free(bk->roff), free(bk->rrec), free(bk->noff), free(bk->nfeat), free(bk->x);
	free(bk->loff), free(bk->lkey), free(bk->A), free(bk->B), free(bk->C), free(bk->D);
	free(bk->P), free(bk->Q), free(bk->lin), free(bk->s), free(bk->sq);
}

/* Each block's share of each key's score at the current sample. */
void rs_chain_block_terms(rs_chain *c)
{
	int k = c->k;
	for (int b = 0; b < c->nblocks; b++) {
		struct block *bk = &c->blk[b];
		for (uint32_t u = 0; u < bk->U; u++) {
			double x = bk->x[u], lin = 0, sq = 0, *s = bk->s + (size_t)u * k;
			for (int f = 0; f < k; f++)
				s[f] = 0;
			for (size_t i = bk->noff[u]; i < bk->noff[u + 1]; i++) {
				const float *v = c->V + (size_t)bk->nfeat[i] * k;
				lin += c->w[bk->nfeat[i]];
				for (int f = 0; f < k; f++) {
					s[f] += v[f];
					sq += (double)v[f] * v[f];
				}
			}
			bk->lin[u] = lin * x;
			for (int f = 0; f < k; f++)
				s[f] *= x;
			bk->sq[u] = sq * x * x;
		}
	}
}

/* A block's weights w_l, by key u (a user, or an item): a record of u has
 * h = x_u, so sum h^2 = sum_u n_u x_u^2 and sum e h = sum_u x_u C_u with
 * C_u the sum of u's residuals, kept up to date per key and applied to
 * the records once at the end. */
void rs_chain_draw_block_w(rs_chain *c, struct block *bk, rs_rng *rng)
{
	for (uint32_t u = 0; u < bk->U; u++) {
		double sum = 0;
		for (size_t i = bk->roff[u]; i < bk->roff[u + 1]; i++)
			sum += E(bk->rrec[i]);
		bk->C[u] = sum;
		bk->P[u] = 0;
	}
	for (uint32_t j = bk->lo; j < bk->hi; j++) {
		size_t a = bk->loff[j - bk->lo], b = bk->loff[j - bk->lo + 1];
		double h2 = 0, eh = 0;
		for (size_t i = a; i < b; i++) {
			uint32_t u = bk->lkey[i];
			double x = bk->x[u], n = (double)(bk->roff[u + 1] - bk->roff[u]);
			h2 += n * x * x;
			eh += x * bk->C[u];
		}
		int g = c->group[j];
		double w = rs_mcmc_draw(c->alpha, h2, eh, c->w[j], c->mu_w[g], c->lam_w[g], rng);
		double dw = (float)w - c->w[j];
		c->w[j] = (float)w;
		for (size_t i = a; i < b; i++) {
			uint32_t u = bk->lkey[i];
			double x = bk->x[u], n = (double)(bk->roff[u + 1] - bk->roff[u]);
			bk->C[u] -= dw * x * n;
			bk->P[u] += dw * x;
		}
	}
	for (uint32_t u = 0; u < bk->U; u++)
		for (size_t i = bk->roff[u]; i < bk->roff[u + 1]; i++)
			E(bk->rrec[i]) -= (float)bk->P[u];
}

/* A block's V[l,f], by key. A record r of key u has
 * h = x_u (q_r - v x_u), so the sums over records reduce to the key's
 * n_u, A = sum q, B = sum q^2, C = sum e, D = sum e q; a step d = dv x_u
 * moves every q_r of u by d and e_r by -d (q_r - v x_u), which moves the
 * sums in closed form. Each key's steps add up to q_r += P and
 * e_r -= P q_r + Q (q_r as the pass found it), applied once at the end. */
void rs_chain_draw_block_v(rs_chain *c, struct block *bk, int f, rs_rng *rng)
{
	int k = c->k;
	for (uint32_t u = 0; u < bk->U; u++) {
		double A = 0, B = 0, C = 0, D = 0;
		for (size_t i = bk->roff[u]; i < bk->roff[u + 1]; i++) {
			double q = QF(bk->rrec[i], f), e = E(bk->rrec[i]);
			A += q, B += q * q, C += e, D += e * q;
		}
		bk->A[u] = A, bk->B[u] = B, bk->C[u] = C, bk->D[u] = D;
		bk->P[u] = bk->Q[u] = 0;
	}
	for (uint32_t j = bk->lo; j < bk->hi; j++) {
		size_t a = bk->loff[j - bk->lo], b = bk->loff[j - bk->lo + 1];
		float *v = &c->V[(size_t)j * k + f];
		double h2 = 0, eh = 0;
		for (size_t i = a; i < b; i++) {
			uint32_t u = bk->lkey[i];
			double x = bk->x[u], n = (double)(bk->roff[u + 1] - bk->roff[u]), vx = *v * x;
			h2 += x * x * (bk->B[u] - 2 * vx * bk->A[u] + n * vx * vx);
			eh += x * (bk->D[u] - vx * bk->C[u]);
		}
		size_t gf = (size_t)c->group[j] * k + f;
		double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
		double dv = (float)nv - *v;
		for (size_t i = a; i < b; i++) {
			uint32_t u = bk->lkey[i];
			double x = bk->x[u], n = (double)(bk->roff[u + 1] - bk->roff[u]), vx = *v * x;
			double d = dv * x, A = bk->A[u], B = bk->B[u], C = bk->C[u], D = bk->D[u];
			bk->Q[u] += d * (bk->P[u] - vx);
			bk->P[u] += d;
			bk->A[u] = A + n * d;
			bk->B[u] = B + 2 * d * A + n * d * d;
			bk->C[u] = C - d * (A - n * vx);
			bk->D[u] = D + d * C - d * (B - vx * A) - d * d * (A - n * vx);
		}
		*v = (float)nv;
	}
	for (uint32_t u = 0; u < bk->U; u++)
		for (size_t i = bk->roff[u]; i < bk->roff[u + 1]; i++) {
			uint32_t r = bk->rrec[i];
			E(r) -= (float)(bk->P[u] * QF(r, f) + bk->Q[u]);
			QF(r, f) += (float)bk->P[u];
		}
}
