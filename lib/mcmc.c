/* mcmc.c: the Gibbs sampler of Bayesian FMs and their kind, fm-mcmc (mcmc.h). */
#include "mcmc.h"
#include "cli.h"
#include "fm.h"
#include "mem.h"
#include "metrics.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_mcmc_check_options(const rs_hparams *hp)
{
	if (hp->burn_in >= hp->iters)
		rs_usage_error("--burn-in %d leaves no sample of --iters %d", hp->burn_in, hp->iters);
	if (hp->factors > RS_MCMC_MAX_FACTORS)
		rs_usage_error("option --factors: at most %d with --method mcmc", RS_MCMC_MAX_FACTORS);
}

int rs_mcmc_samples(const rs_hparams *hp)
{
	int s = (hp->iters - hp->burn_in) / hp->thin;
	return s > 0 ? s : 1;
}

static int mcmc_width(const rs_hparams *hp) { return hp->factors * rs_mcmc_samples(hp); }

double rs_mcmc_draw(double alpha, double sum_h2, double sum_eh, double theta, double mu,
		    double lambda, rs_rng *rng)
{
	double prec = alpha * sum_h2 + lambda;
	double mean = (alpha * (theta * sum_h2 + sum_eh) + mu * lambda) / prec;
	return mean + rs_rng_normal(rng) / sqrt(prec);
}

void rs_mcmc_prior(const float *v, size_t n, size_t stride, double *mu, double *lambda,
		   rs_rng *rng)
{
	double sum = 0, ss = *mu * *mu;   /* gamma0 (mu - mu0)^2 */
	for (size_t i = 0; i < n; i++) {
		double x = v[i * stride];
		sum += x;
		ss += (x - *mu) * (x - *mu);
	}
	*lambda = rs_rng_gamma(rng, 1.0 + 0.5 * ((double)n + 1.0), 1.0 + 0.5 * ss);
	double prec = ((double)n + 1.0) * *lambda;
	*mu = sum / ((double)n + 1.0) + rs_rng_normal(rng) / sqrt(prec);
}

/* The sampler's state over the train records r = 0..n-1 (rec[r] in d). */
typedef struct chain {
	const rs_dataset *d;
	size_t n;
	uint32_t *rec;
	float *label;        /* (n) the rating, or the click 0/1 */
	float *y;            /* (n) the target: the rating, or the latent z */
	float *eq;           /* (n, 2) each record's residual e = y - yhat and
				q = sum_j V[j,f] x_j for the factor f being drawn,
				side by side: a draw reads both */
	float *qt;           /* (k, n) every factor's q at the start of the V pass */
	uint8_t *ones;       /* (N) the feature's train values are all 1 */
	size_t *coff;        /* (N + 1) each feature's train records: */
	uint32_t *crow;      /* (nnz) their r */
	float *cval;         /* (nnz) and x value */
	int *group;          /* (N) the feature's field */
	uint32_t *goff;      /* (G + 1) each field's first feature */
	int ngroups, k;
	uint32_t N;
	double w0, alpha;
	float *w, *V;        /* (N), (N, k) */
	double *mu_w, *lam_w, *mu_v, *lam_v;   /* (G), (G), (G, k), (G, k) */
	uint32_t io;         /* features from here on are the blocks' (below), drawn
				by user or item; N when there are none */
	int nblocks;
	struct block {       /* a field that is a function of the user (implicit) or of
				the item (raters): every record of a key has the same
				features in it */
		uint32_t lo, hi;     /* its features [lo, hi) */
		const uint32_t *key; /* (d->n) each record's key: d->user or d->item */
		uint32_t U;          /* keys */
		size_t *roff;        /* (U + 1) each key's train records r: */
		uint32_t *rrec;      /* (n) */
		size_t *noff;        /* (U + 1) the features of the key's field: */
		uint32_t *nfeat;     /* their indices */
		float *x;            /* (U) and their value, 1/sqrt(n) */
		size_t *loff;        /* (hi - lo + 1) each feature's keys: */
		uint32_t *lkey;
		double *A, *B, *C, *D, *P, *Q;   /* (U) sums over the key's records */
		double *lin, *s, *sq;  /* (U), (U, k), (U): the field's share of a score */
	} blk[2];
} chain;

int rs_mcmc_blocks = 1;

#define E(r) c->eq[2 * (size_t)(r)]
#define Q(r) c->eq[2 * (size_t)(r) + 1]

static float xval(const rs_dataset *d, size_t j) { return d->xv ? d->xv[j] : 1.0f; }

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
static void block_init(chain *c, struct block *bk, const rs_dataset *d, const char *name)
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

static void block_free(struct block *bk)
{
	free(bk->roff), free(bk->rrec), free(bk->noff), free(bk->nfeat), free(bk->x);
	free(bk->loff), free(bk->lkey), free(bk->A), free(bk->B), free(bk->C), free(bk->D);
	free(bk->P), free(bk->Q), free(bk->lin), free(bk->s), free(bk->sq);
}

/* Each block's share of each key's score at the current sample. */
static void block_terms(chain *c)
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

static void chain_init(chain *c, const rs_model *m, const rs_dataset *d, const uint32_t *train,
		       size_t n, rs_rng *rng)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->n = n;
	c->k = m->hp.factors;
	c->N = m->nfeatures;
	c->rec = rs_malloc((n + 1) * sizeof *c->rec);
	memcpy(c->rec, train, n * sizeof *c->rec);
	c->label = rs_malloc((n + 1) * sizeof *c->label);
	c->y = rs_malloc((n + 1) * sizeof *c->y);
	c->eq = rs_malloc(2 * (n + 1) * sizeof *c->eq);
	c->qt = rs_malloc(((size_t)m->hp.factors * n + 1) * sizeof *c->qt);
	for (size_t r = 0; r < n; r++)
		c->label[r] = c->y[r] = d->y[train[r]];
	/* the blocks: the implicit (by user) and raters (by item) fields that
	 * end the layout */
	c->io = c->N;
	for (int f = m->hdr.nfields - 1; rs_mcmc_blocks && f >= 0 && c->nblocks < 2; f--) {
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
		for (size_t j = d->xoff[train[r]]; j < d->xoff[train[r] + 1] && d->x[j] < c->io; j++)
			c->coff[d->x[j] + 1]++;
	for (uint32_t f = 0; f < c->N; f++)
		c->coff[f + 1] += c->coff[f];
	size_t nnz = c->coff[c->N];
	c->crow = rs_malloc((nnz + 1) * sizeof *c->crow);
	c->cval = rs_malloc((nnz + 1) * sizeof *c->cval);
	size_t *fill = rs_malloc(((size_t)c->N + 1) * sizeof *fill);
	memcpy(fill, c->coff, ((size_t)c->N + 1) * sizeof *fill);
	for (size_t r = 0; r < n; r++)
		for (size_t j = d->xoff[train[r]]; j < d->xoff[train[r] + 1] && d->x[j] < c->io; j++) {
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
		block_init(c, &c->blk[b], d, m->hdr.fields[m->hdr.nfields - c->nblocks + b].name);
}

static void chain_free(chain *c)
{
	free(c->rec), free(c->label), free(c->y), free(c->eq), free(c->qt), free(c->ones);
	free(c->coff), free(c->crow), free(c->cval), free(c->group), free(c->goff);
	free(c->mu_w), free(c->lam_w), free(c->mu_v), free(c->lam_v);
	free(c->w), free(c->V);
	for (int b = 0; b < c->nblocks; b++)
		block_free(&c->blk[b]);
}

/* The current sample's score of record r of d (the blocks' shares from
 * block_terms). */
static double score(const chain *c, const rs_dataset *d, size_t r, double *s)
{
	int k = c->k;
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

static void residuals(chain *c, double *s)
{
	block_terms(c);
	for (size_t r = 0; r < c->n; r++)
		E(r) = (float)(c->y[r] - score(c, c->d, c->rec[r], s));
}

double rs_mcmc_latent(double yhat, int click, rs_rng *rng)
{
	return click ? yhat + rs_rng_normal_above(rng, -yhat) : yhat - rs_rng_normal_above(rng, yhat);
}

static void draw_latent(chain *c, rs_rng *rng)
{
	for (size_t r = 0; r < c->n; r++) {
		double yhat = c->y[r] - E(r);
		double z = rs_mcmc_latent(yhat, c->label[r] > 0.5f, rng);
		c->y[r] = (float)z;
		E(r) = (float)(z - yhat);
	}
}

static void draw_hyper(chain *c, int click, rs_rng *rng)
{
	if (!click) {   /* the noise precision ~ Gamma(1 + n/2, 1 + sum e^2 / 2) */
		double ss = 0;
		for (size_t r = 0; r < c->n; r++)
			ss += (double)E(r) * E(r);
		c->alpha = rs_rng_gamma(rng, 1.0 + 0.5 * (double)c->n, 1.0 + 0.5 * ss);
	}
	for (int g = 0; g < c->ngroups; g++) {   /* fields are contiguous */
		uint32_t off = c->goff[g], size = c->goff[g + 1] - off;
		rs_mcmc_prior(c->w + off, size, 1, &c->mu_w[g], &c->lam_w[g], rng);
		for (int f = 0; f < c->k; f++)
			rs_mcmc_prior(c->V + (size_t)off * c->k + f, size, (size_t)c->k,
				      &c->mu_v[(size_t)g * c->k + f], &c->lam_v[(size_t)g * c->k + f], rng);
	}
}

/* A block's weights w_l, by key u (a user, or an item): a record of u has
 * h = x_u, so sum h^2 = sum_u n_u x_u^2 and sum e h = sum_u x_u C_u with
 * C_u the sum of u's residuals, kept up to date per key and applied to
 * the records once at the end. */
static void draw_block_w(chain *c, struct block *bk, rs_rng *rng)
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
static void draw_block_v(chain *c, struct block *bk, int f, rs_rng *rng)
{
	int k = c->k;
	for (uint32_t u = 0; u < bk->U; u++) {
		double A = 0, B = 0, C = 0, D = 0;
		for (size_t i = bk->roff[u]; i < bk->roff[u + 1]; i++) {
			double q = Q(bk->rrec[i]), e = E(bk->rrec[i]);
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
			E(r) -= (float)(bk->P[u] * Q(r) + bk->Q[u]);
			Q(r) += (float)bk->P[u];
		}
}

/* sum h^2 and sum e h over a column's records i in [a, b), h = x (q - v x),
 * in four independent sums each: one sum's add latency bounded the loop */
static void column_sums(const chain *c, size_t a, size_t b, float v, int ones, double *h2,
			double *eh)
{
	double s2[4] = {0}, se[4] = {0};
	size_t i = a;
	if (ones) {   /* x = 1: no value to read */
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = &E(c->crow[i + t]);
				double hh = p[1] - v;
				s2[t] += hh * hh;
				se[t] += p[0] * hh;
			}
		for (; i < b; i++) {
			const float *p = &E(c->crow[i]);
			double hh = p[1] - v;
			s2[0] += hh * hh;
			se[0] += p[0] * hh;
		}
	} else {
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = &E(c->crow[i + t]);
				double x = c->cval[i + t], hh = x * (p[1] - v * x);
				s2[t] += hh * hh;
				se[t] += p[0] * hh;
			}
		for (; i < b; i++) {
			const float *p = &E(c->crow[i]);
			double x = c->cval[i], hh = x * (p[1] - v * x);
			s2[0] += hh * hh;
			se[0] += p[0] * hh;
		}
	}
	*h2 = (s2[0] + s2[1]) + (s2[2] + s2[3]);
	*eh = (se[0] + se[1]) + (se[2] + se[3]);
}

static void draw_params(chain *c, rs_rng *rng)
{
	size_t n = c->n;
	int k = c->k;
	/* w0, under a flat prior */
	double se = 0;
	for (size_t r = 0; r < n; r++)
		se += E(r);
	double w0 = rs_mcmc_draw(c->alpha, (double)n, se, c->w0, 0, 0, rng);
	float dw0 = (float)(w0 - c->w0);
	c->w0 = w0;
	for (size_t r = 0; r < n; r++)
		E(r) -= dw0;
	for (uint32_t j = 0; j < c->io; j++) {
		double h2 = 0, eh = 0;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++) {
			double x = c->cval[i];
			h2 += x * x;
			eh += E(c->crow[i]) * x;
		}
		int g = c->group[j];
		double w = rs_mcmc_draw(c->alpha, h2, eh, c->w[j], c->mu_w[g], c->lam_w[g], rng);
		float dw = (float)w - c->w[j];
		c->w[j] = (float)w;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++)
			E(c->crow[i]) -= dw * c->cval[i];
	}
	for (int b = 0; b < c->nblocks; b++)
		draw_block_w(c, &c->blk[b], rng);
	block_terms(c);   /* V is as the last iteration left it until its pass */
	/* every factor's q in one pass over the records: V[:,f] changes only in
	 * factor f's own pass, so q of a later factor is still right when its
	 * pass begins */
	const rs_dataset *d = c->d;
	for (size_t r = 0; r < n; r++) {
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
		for (int f = 0; f < k; f++)
			c->qt[(size_t)f * n + r] = s[f];
	}
	for (int f = 0; f < k; f++) {
		for (size_t r = 0; r < n; r++)
			Q(r) = c->qt[(size_t)f * n + r];
		for (uint32_t j = 0; j < c->io; j++) {
			float *v = &c->V[(size_t)j * k + f];
			double h2 = 0, eh = 0;
			size_t a = c->coff[j], b = c->coff[j + 1];
			column_sums(c, a, b, *v, c->ones[j], &h2, &eh);
			size_t gf = (size_t)c->group[j] * k + f;
			double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
			/* v in a local: eq's stores might otherwise alias it */
			float v0 = *v, dv = (float)nv - v0;
			if (c->ones[j]) {
				for (size_t i = a; i < b; i++) {
					float *p = &E(c->crow[i]);
					p[0] -= dv * (p[1] - v0);
					p[1] += dv;
				}
			} else {
				for (size_t i = a; i < b; i++) {
					float *p = &E(c->crow[i]), x = c->cval[i];
					p[0] -= dv * x * (p[1] - v0 * x);
					p[1] += dv * x;
				}
			}
			*v = (float)nv;
		}
		for (int b = 0; b < c->nblocks; b++)
			draw_block_v(c, &c->blk[b], f, rng);
	}
}

static double probit(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }

void rs_mcmc_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	uint32_t *train = rs_malloc((d->n + 1) * sizeof *train);
	uint32_t *test = rs_malloc((d->n + 1) * sizeof *test);
	size_t ntrain = rs_dataset_select(d, 0, train), ntest = rs_dataset_select(d, 1, test);
	if (!ntrain)
		rs_die("%s: the stream has no train records (split 0)", d->src);
	int click = m->click;
	if (!click) {
		float lo = d->y[train[0]], hi = lo;
		for (size_t i = 0; i < ntrain; i++) {
			lo = d->y[train[i]] < lo ? d->y[train[i]] : lo;
			hi = d->y[train[i]] > hi ? d->y[train[i]] : hi;
		}
		m->ymin = lo, m->ymax = hi;
	}
	rs_rng rng;
	rs_rng_seed(&rng, hp->seed);
	chain c;
	chain_init(&c, m, d, train, ntrain, &rng);
	int k = c.k, S = rs_mcmc_samples(hp), K = m->k, kept = 0;
	double *s = rs_malloc(((size_t)k + 1) * sizeof *s);
	residuals(&c, s);
	if (click)
		draw_latent(&c, &rng);

	double *sum = rs_calloc(ntest + 1, sizeof *sum);   /* the kept samples' test scores */
	float *avg = rs_malloc((ntest + 1) * sizeof *avg), *ty = rs_malloc((ntest + 1) * sizeof *ty);
	uint64_t *work = rs_malloc(2 * (ntest + 1) * sizeof *work);
	for (size_t i = 0; i < ntest; i++)
		ty[i] = d->y[test[i]];
	double *wsum = rs_calloc((size_t)c.N + 1, sizeof *wsum), w0sum = 0;
	float *Vm = rs_w(&m->p, FM_V);
	float scale = (float)(1.0 / sqrt((double)S));

	free(m->log);
	m->log = rs_calloc((size_t)hp->iters + 1, sizeof *m->log);
	m->nlog = 0;
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(rs_model_task(m), 0, cols);
	rs_log_header(o, cols, ncols);
	for (int it = 1; it <= hp->iters; it++) {
		double t0 = rs_train_clock();
		draw_hyper(&c, click, &rng);
		draw_params(&c, &rng);
		if (click)
			draw_latent(&c, &rng);
		int keep = it > hp->burn_in && (it - hp->burn_in) % hp->thin == 0 && kept < S;
		if (keep) {   /* into the model: column block `kept` of V, the means of w */
			for (uint32_t j = 0; j < c.N; j++) {
				float *row = Vm + (size_t)j * (K + 1) + (size_t)kept * k;
				for (int f = 0; f < k; f++)
					row[f] = c.V[(size_t)j * k + f] * scale;
				wsum[j] += c.w[j];
			}
			w0sum += c.w0;
			kept++;
		}
		block_terms(&c);
		for (size_t i = 0; i < ntest; i++) {
			double y = score(&c, d, test[i], s);
			if (keep)
				sum[i] += y;
			/* the running average once there is one, else this sample */
			double a = kept ? sum[i] / kept : y;
			avg[i] = click ? (float)probit(a)
				       : (float)(a < m->ymin ? m->ymin : a > m->ymax ? m->ymax : a);
		}
		double seconds = rs_train_clock() - t0;
		double se = 0;
		for (size_t r = 0; r < c.n; r++)
			se += (double)c.eq[2 * r] * c.eq[2 * r];
		rs_epoch *e = &m->log[m->nlog++];
		for (int col = 0; col < RS_LOG_NCOLS; col++)
			e->v[col] = NAN;
		e->v[RS_LOG_EPOCH] = it;
		e->v[RS_LOG_TRAIN_LOSS] = se / (double)c.n;   /* mean squared residual */
		if (!isfinite(e->v[RS_LOG_TRAIN_LOSS]))
			rs_die("sampling diverged at iteration %d (try a lower --init-std); nothing written", it);
		if (ntest && click) {
			e->v[RS_LOG_TEST_AUC] = rs_auc(avg, ty, ntest, work);
			e->v[RS_LOG_TEST_LOGLOSS] = rs_logloss(avg, ty, ntest);
			e->v[RS_LOG_TEST_ACCURACY] = rs_accuracy(avg, ty, ntest);
		} else if (ntest) {
			e->v[RS_LOG_TEST_RMSE] = rs_rmse(avg, ty, ntest);
		}
		if (!click)
			e->v[RS_LOG_TRAIN_RMSE] = sqrt(e->v[RS_LOG_TRAIN_LOSS]);
		e->v[RS_LOG_SECONDS] = seconds;
		rs_log_row(o, cols, ncols, e->v);
		if (!o->quiet)
			fprintf(stderr, "%s: iter %d/%d train %.4f test %s %.4f %.3f s\n", rs_prog, it,
				hp->iters, e->v[RS_LOG_TRAIN_LOSS], click ? "auc" : "rmse",
				click ? e->v[RS_LOG_TEST_AUC] : e->v[RS_LOG_TEST_RMSE], seconds);
	}
	rs_w(&m->p, FM_W0)[0] = (float)(w0sum / kept);
	for (uint32_t j = 0; j < c.N; j++)
		Vm[(size_t)j * (K + 1) + K] = (float)(wsum[j] / kept);
	m->best_epoch = m->nlog;
	if (o->log && fclose(o->log) != 0)
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
	const rs_epoch *last = &m->log[m->nlog - 1];
	rs_summary("%zu train, %zu test records; %d iterations, %d samples averaged: test %s %.4f",
		   ntrain, ntest, m->nlog, kept, click ? "auc" : "rmse",
		   click ? last->v[RS_LOG_TEST_AUC] : last->v[RS_LOG_TEST_RMSE]);
	chain_free(&c);
	free(s), free(sum), free(avg), free(ty), free(work), free(wsum), free(train), free(test);
}

static void mcmc_layout(rs_model *m) { fm_layout_part(m); }
static void mcmc_init(rs_model *m, rs_rng *rng) { (void)m, (void)rng; }   /* the sampler fills it */

/* sampled, never stepped: no gradient */
const rs_model_ops rs_fm_mcmc_ops = {
	.kind = "fm-mcmc",
	.layout = mcmc_layout,
	.init = mcmc_init,
	.scratch = fm_scratch,
	.forward = fm_forward,
	.features = 1,
	.caps = RS_CAP_MCMC | RS_CAP_ITERS,
	.width = mcmc_width,
};
