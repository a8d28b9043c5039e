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
	float *e;            /* (n) y - yhat */
	float *q;            /* (n) sum_j V[j,f] x_j for the factor being drawn */
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
	uint32_t io;         /* features from here on are the implicit field's, drawn
				by user (below); N when there is none */
	struct users {       /* the implicit field by user, when io < N */
		uint32_t U;
		size_t *roff;        /* (U + 1) each user's train records r: */
		uint32_t *rrec;      /* (n) */
		size_t *noff;        /* (U + 1) the features of the user's field: */
		uint32_t *nfeat;     /* their indices */
		float *x;            /* (U) and their value, 1/sqrt(n) */
		size_t *loff;        /* (size + 1) each feature's users: */
		uint32_t *luser;
		double *A, *B, *C, *D, *P, *Q;   /* (U) sums over the user's records */
		double *lin, *s, *sq;  /* (U), (U, k), (U): the field's share of a score */
	} us;
} chain;

int rs_mcmc_user_blocks = 1;

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

/* The implicit field's structures. Every record of a user must carry the
 * same features in it (ml-onehot --implicit gives them so): the draws
 * count a user's features once for all the user's records. */
static void users_init(chain *c, const rs_dataset *d)
{
	struct users *us = &c->us;
	uint32_t U = us->U = d->hdr.nusers, size = c->N - c->io;
	size_t *first = rs_malloc(((size_t)U + 1) * sizeof *first);
	for (uint32_t u = 0; u < U; u++)
		first[u] = SIZE_MAX;
	for (size_t r = 0; r < d->n; r++)
		if (first[d->user[r]] == SIZE_MAX)
			first[d->user[r]] = r;
	/* where a record's implicit features begin (x is sorted) */
#define IMPL(r) (d->xoff[r] + (size_t)(lower_bound(d->x + d->xoff[r], d->xoff[(r) + 1] - d->xoff[r], c->io)))
	us->noff = rs_calloc((size_t)U + 1, sizeof *us->noff);
	us->x = rs_calloc((size_t)U + 1, sizeof *us->x);
	for (uint32_t u = 0; u < U; u++)
		if (first[u] != SIZE_MAX) {
			size_t a = IMPL(first[u]);
			us->noff[u + 1] = d->xoff[first[u] + 1] - a;
			us->x[u] = a < d->xoff[first[u] + 1] ? xval(d, a) : 0.0f;
		}
	for (uint32_t u = 0; u < U; u++)
		us->noff[u + 1] += us->noff[u];
	us->nfeat = rs_malloc((us->noff[U] + 1) * sizeof *us->nfeat);
	for (uint32_t u = 0; u < U; u++)
		if (first[u] != SIZE_MAX)
			memcpy(us->nfeat + us->noff[u], d->x + IMPL(first[u]),
			       (us->noff[u + 1] - us->noff[u]) * sizeof *us->nfeat);
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r];
		size_t a = IMPL(r), len = d->xoff[r + 1] - a, want = us->noff[u + 1] - us->noff[u];
		int same = len == want && !memcmp(d->x + a, us->nfeat + us->noff[u], len * sizeof *d->x);
		for (size_t j = a; same && j < d->xoff[r + 1]; j++)
			same = xval(d, j) == us->x[u];
		if (!same)
			rs_die("%s: record %zu: its field 'implicit' is not that of user %lld's other records "
			       "(ml-onehot --implicit gives every record of a user the same)",
			       d->src, r + 1, (long long)d->hdr.user_ids[u]);
	}
#undef IMPL
	free(first);
	us->roff = rs_calloc((size_t)U + 1, sizeof *us->roff);
	for (size_t r = 0; r < c->n; r++)
		us->roff[d->user[c->rec[r]] + 1]++;
	for (uint32_t u = 0; u < U; u++)
		us->roff[u + 1] += us->roff[u];
	us->rrec = rs_malloc((c->n + 1) * sizeof *us->rrec);
	size_t *fill = rs_malloc(((size_t)U + 1) * sizeof *fill);
	memcpy(fill, us->roff, ((size_t)U + 1) * sizeof *fill);
	for (size_t r = 0; r < c->n; r++)
		us->rrec[fill[d->user[c->rec[r]]]++] = (uint32_t)r;
	free(fill);
	us->loff = rs_calloc((size_t)size + 1, sizeof *us->loff);
	for (size_t i = 0; i < us->noff[U]; i++)
		us->loff[us->nfeat[i] - c->io + 1]++;
	for (uint32_t l = 0; l < size; l++)
		us->loff[l + 1] += us->loff[l];
	us->luser = rs_malloc((us->noff[U] + 1) * sizeof *us->luser);
	fill = rs_malloc(((size_t)size + 1) * sizeof *fill);
	memcpy(fill, us->loff, ((size_t)size + 1) * sizeof *fill);
	for (uint32_t u = 0; u < U; u++)
		for (size_t i = us->noff[u]; i < us->noff[u + 1]; i++)
			us->luser[fill[us->nfeat[i] - c->io]++] = u;
	free(fill);
	double **agg[] = {&us->A, &us->B, &us->C, &us->D, &us->P, &us->Q, &us->lin, &us->sq};
	for (size_t i = 0; i < sizeof agg / sizeof *agg; i++)
		*agg[i] = rs_calloc((size_t)U + 1, sizeof **agg[i]);
	us->s = rs_calloc((size_t)U * c->k + 1, sizeof *us->s);
}

static void users_free(struct users *us)
{
	free(us->roff), free(us->rrec), free(us->noff), free(us->nfeat), free(us->x);
	free(us->loff), free(us->luser), free(us->A), free(us->B), free(us->C), free(us->D);
	free(us->P), free(us->Q), free(us->lin), free(us->s), free(us->sq);
}

/* The implicit field's share of each user's score at the current sample. */
static void user_terms(chain *c)
{
	struct users *us = &c->us;
	int k = c->k;
	for (uint32_t u = 0; u < us->U; u++) {
		double x = us->x[u], lin = 0, sq = 0, *s = us->s + (size_t)u * k;
		for (int f = 0; f < k; f++)
			s[f] = 0;
		for (size_t i = us->noff[u]; i < us->noff[u + 1]; i++) {
			const float *v = c->V + (size_t)us->nfeat[i] * k;
			lin += c->w[us->nfeat[i]];
			for (int f = 0; f < k; f++) {
				s[f] += v[f];
				sq += (double)v[f] * v[f];
			}
		}
		us->lin[u] = lin * x;
		for (int f = 0; f < k; f++)
			s[f] *= x;
		us->sq[u] = sq * x * x;
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
	c->e = rs_malloc((n + 1) * sizeof *c->e);
	c->q = rs_malloc((n + 1) * sizeof *c->q);
	for (size_t r = 0; r < n; r++)
		c->label[r] = c->y[r] = d->y[train[r]];
	c->io = c->N;
	int last = m->hdr.nfields - 1;
	if (rs_mcmc_user_blocks && last >= 0 && !strcmp(m->hdr.fields[last].name, "implicit"))
		c->io = m->hdr.fields[last].offset;
	/* the transpose: each feature's records (but the implicit field's) */
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
	if (c->io < c->N)
		users_init(c, d);
}

static void chain_free(chain *c)
{
	free(c->rec), free(c->label), free(c->y), free(c->e), free(c->q);
	free(c->coff), free(c->crow), free(c->cval), free(c->group), free(c->goff);
	free(c->mu_w), free(c->lam_w), free(c->mu_v), free(c->lam_v);
	free(c->w), free(c->V);
	if (c->io < c->N)
		users_free(&c->us);
}

/* The current sample's score of record r of d (the implicit field's share
 * from user_terms, when it is drawn by user). */
static double score(const chain *c, const rs_dataset *d, size_t r, double *s)
{
	int k = c->k;
	double lin = c->w0, sq = 0;
	for (int f = 0; f < k; f++)
		s[f] = 0;
	if (c->io < c->N) {
		uint32_t u = d->user[r];
		lin += c->us.lin[u];
		sq += c->us.sq[u];
		for (int f = 0; f < k; f++)
			s[f] = c->us.s[(size_t)u * k + f];
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
	if (c->io < c->N)
		user_terms(c);
	for (size_t r = 0; r < c->n; r++)
		c->e[r] = (float)(c->y[r] - score(c, c->d, c->rec[r], s));
}

double rs_mcmc_latent(double yhat, int click, rs_rng *rng)
{
	return click ? yhat + rs_rng_normal_above(rng, -yhat) : yhat - rs_rng_normal_above(rng, yhat);
}

static void draw_latent(chain *c, rs_rng *rng)
{
	for (size_t r = 0; r < c->n; r++) {
		double yhat = c->y[r] - c->e[r];
		double z = rs_mcmc_latent(yhat, c->label[r] > 0.5f, rng);
		c->y[r] = (float)z;
		c->e[r] = (float)(z - yhat);
	}
}

static void draw_hyper(chain *c, int click, rs_rng *rng)
{
	if (!click) {   /* the noise precision ~ Gamma(1 + n/2, 1 + sum e^2 / 2) */
		double ss = 0;
		for (size_t r = 0; r < c->n; r++)
			ss += (double)c->e[r] * c->e[r];
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

/* The implicit field's weights w_l, by user: a record of user u has
 * h = x_u, so sum h^2 = sum_u n_u x_u^2 and sum e h = sum_u x_u C_u with
 * C_u the sum of u's residuals, kept up to date per user and applied to
 * the records once at the end. */
static void draw_user_w(chain *c, rs_rng *rng)
{
	struct users *us = &c->us;
	for (uint32_t u = 0; u < us->U; u++) {
		double sum = 0;
		for (size_t i = us->roff[u]; i < us->roff[u + 1]; i++)
			sum += c->e[us->rrec[i]];
		us->C[u] = sum;
		us->P[u] = 0;
	}
	for (uint32_t j = c->io; j < c->N; j++) {
		size_t a = us->loff[j - c->io], b = us->loff[j - c->io + 1];
		double h2 = 0, eh = 0;
		for (size_t i = a; i < b; i++) {
			uint32_t u = us->luser[i];
			double x = us->x[u], n = (double)(us->roff[u + 1] - us->roff[u]);
			h2 += n * x * x;
			eh += x * us->C[u];
		}
		int g = c->group[j];
		double w = rs_mcmc_draw(c->alpha, h2, eh, c->w[j], c->mu_w[g], c->lam_w[g], rng);
		double dw = (float)w - c->w[j];
		c->w[j] = (float)w;
		for (size_t i = a; i < b; i++) {
			uint32_t u = us->luser[i];
			double x = us->x[u], n = (double)(us->roff[u + 1] - us->roff[u]);
			us->C[u] -= dw * x * n;
			us->P[u] += dw * x;
		}
	}
	for (uint32_t u = 0; u < us->U; u++)
		for (size_t i = us->roff[u]; i < us->roff[u + 1]; i++)
			c->e[us->rrec[i]] -= (float)us->P[u];
}

/* The implicit field's V[l,f], by user. A record r of user u has
 * h = x_u (q_r - v x_u), so the sums over records reduce to the user's
 * n_u, A = sum q, B = sum q^2, C = sum e, D = sum e q; a step d = dv x_u
 * moves every q_r of u by d and e_r by -d (q_r - v x_u), which moves the
 * sums in closed form. Each user's steps add up to q_r += P and
 * e_r -= P q_r + Q (q_r as the pass found it), applied once at the end. */
static void draw_user_v(chain *c, int f, rs_rng *rng)
{
	struct users *us = &c->us;
	int k = c->k;
	for (uint32_t u = 0; u < us->U; u++) {
		double A = 0, B = 0, C = 0, D = 0;
		for (size_t i = us->roff[u]; i < us->roff[u + 1]; i++) {
			double q = c->q[us->rrec[i]], e = c->e[us->rrec[i]];
			A += q, B += q * q, C += e, D += e * q;
		}
		us->A[u] = A, us->B[u] = B, us->C[u] = C, us->D[u] = D;
		us->P[u] = us->Q[u] = 0;
	}
	for (uint32_t j = c->io; j < c->N; j++) {
		size_t a = us->loff[j - c->io], b = us->loff[j - c->io + 1];
		float *v = &c->V[(size_t)j * k + f];
		double h2 = 0, eh = 0;
		for (size_t i = a; i < b; i++) {
			uint32_t u = us->luser[i];
			double x = us->x[u], n = (double)(us->roff[u + 1] - us->roff[u]), vx = *v * x;
			h2 += x * x * (us->B[u] - 2 * vx * us->A[u] + n * vx * vx);
			eh += x * (us->D[u] - vx * us->C[u]);
		}
		size_t gf = (size_t)c->group[j] * k + f;
		double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
		double dv = (float)nv - *v;
		for (size_t i = a; i < b; i++) {
			uint32_t u = us->luser[i];
			double x = us->x[u], n = (double)(us->roff[u + 1] - us->roff[u]), vx = *v * x;
			double d = dv * x, A = us->A[u], B = us->B[u], C = us->C[u], D = us->D[u];
			us->Q[u] += d * (us->P[u] - vx);
			us->P[u] += d;
			us->A[u] = A + n * d;
			us->B[u] = B + 2 * d * A + n * d * d;
			us->C[u] = C - d * (A - n * vx);
			us->D[u] = D + d * C - d * (B - vx * A) - d * d * (A - n * vx);
		}
		*v = (float)nv;
	}
	for (uint32_t u = 0; u < us->U; u++)
		for (size_t i = us->roff[u]; i < us->roff[u + 1]; i++) {
			uint32_t r = us->rrec[i];
			c->e[r] -= (float)(us->P[u] * c->q[r] + us->Q[u]);
			c->q[r] += (float)us->P[u];
		}
}

static void draw_params(chain *c, rs_rng *rng)
{
	size_t n = c->n;
	int k = c->k;
	/* w0, under a flat prior */
	double se = 0;
	for (size_t r = 0; r < n; r++)
		se += c->e[r];
	double w0 = rs_mcmc_draw(c->alpha, (double)n, se, c->w0, 0, 0, rng);
	float dw0 = (float)(w0 - c->w0);
	c->w0 = w0;
	for (size_t r = 0; r < n; r++)
		c->e[r] -= dw0;
	for (uint32_t j = 0; j < c->io; j++) {
		double h2 = 0, eh = 0;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++) {
			double x = c->cval[i];
			h2 += x * x;
			eh += c->e[c->crow[i]] * x;
		}
		int g = c->group[j];
		double w = rs_mcmc_draw(c->alpha, h2, eh, c->w[j], c->mu_w[g], c->lam_w[g], rng);
		float dw = (float)w - c->w[j];
		c->w[j] = (float)w;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++)
			c->e[c->crow[i]] -= dw * c->cval[i];
	}
	int blocks = c->io < c->N;
	if (blocks) {
		draw_user_w(c, rng);
		user_terms(c);   /* V is as the last iteration left it until its pass */
	}
	const rs_dataset *d = c->d;
	for (int f = 0; f < k; f++) {
		for (size_t r = 0; r < n; r++) {
			size_t rec = c->rec[r];
			double s = blocks ? c->us.s[(size_t)d->user[rec] * k + f] : 0;
			for (size_t j = d->xoff[rec]; j < d->xoff[rec + 1] && d->x[j] < c->io; j++)
				s += c->V[(size_t)d->x[j] * k + f] * xval(d, j);
			c->q[r] = (float)s;
		}
		for (uint32_t j = 0; j < c->io; j++) {
			float *v = &c->V[(size_t)j * k + f];
			double h2 = 0, eh = 0;
			for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++) {
				double x = c->cval[i], hh = x * (c->q[c->crow[i]] - *v * x);
				h2 += hh * hh;
				eh += c->e[c->crow[i]] * hh;
			}
			size_t gf = (size_t)c->group[j] * k + f;
			double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
			float dv = (float)nv - *v;
			for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++) {
				uint32_t r = c->crow[i];
				float x = c->cval[i], hh = x * (c->q[r] - *v * x);
				c->e[r] -= dv * hh;
				c->q[r] += dv * x;
			}
			*v = (float)nv;
		}
		if (blocks)
			draw_user_v(c, f, rng);
	}
}

static double probit(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }

void rs_mcmc_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	if (hp->burn_in >= hp->iters)
		rs_usage_error("--burn-in %d leaves no sample of --iters %d", hp->burn_in, hp->iters);
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
		if (c.io < c.N)
			user_terms(&c);
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
			se += (double)c.e[r] * c.e[r];
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

static void mcmc_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			  const float *dout)
{
	(void)m, (void)d, (void)idx, (void)B, (void)dout;   /* sampled, never stepped */
}

const rs_model_ops rs_fm_mcmc_ops = {"fm-mcmc", mcmc_layout, mcmc_init, fm_scratch, fm_forward,
				      mcmc_backward, 1, RS_CAP_MCMC | RS_CAP_ITERS, mcmc_width};
