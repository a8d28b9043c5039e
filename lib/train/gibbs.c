/* gibbs.c: the Gibbs sampler's chain over a stream's train records
 * (gibbs.h): its state, its residuals, and the draws of a sweep. */
#include "gibbs.h"
#include "cli.h"
#include "compute.h"
#include "conjugate.h"
#include "fm.h"
#include "mcmc.h"
#include "mem.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rs_mcmc_blocks = 1;
int rs_mcmc_joint = 1;

/* The joint draws' sums: floats over runs of JOINT_RUN records, and a
 * feature of more than JOINT_PIECE records in pieces of that many, whose
 * sums threads take apart and add in order (the same on any number). */
enum { JOINT_RUN = 256, JOINT_PIECE = 16 * JOINT_RUN };

#define ROW(r) (c->eq + (size_t)(r) * c->S)
#define E(r) ROW(r)[c->Kp]
#define QF(r, f) ROW(r)[f]

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
static void block_init(rs_chain *c, struct block *bk, const rs_dataset *d, const char *name)
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

/* A thread's scratch for the joint draws of D = k + 1 parameters. */
struct joint_work {
	double *H, *b, *L, *theta, *mu, *lam, *out;   /* (D, D) and (D) side by side, (D + 1, D), (D) x 4 */
	float *Hf, *th, *dth;                         /* (k, Kp): sums past 16 factors; (Kp) x 2 */
};

static void work_init(struct joint_work *w, int k, int Kp)
{
	size_t D = (size_t)k + 1, dd = D * D;
	w->H = rs_malloc((2 * dd + 6 * D) * sizeof *w->H);
	w->b = w->H + dd, w->L = w->b + D, w->theta = w->L + dd + D, w->mu = w->theta + D;
	w->lam = w->mu + D, w->out = w->lam + D;
	w->Hf = rs_calloc_huge((size_t)(k + 2) * Kp, sizeof *w->Hf);
	w->th = w->Hf + (size_t)k * Kp, w->dth = w->th + Kp;
}

/* The joint draws' groups and pieces (joint_plan, gibbs.h): a one-hot
 * field's features in one group; in any other field each feature of more
 * than a piece a group of its own, and the runs of smaller ones between
 * them a serial group, drawn in order by one thread. */
static void plan_init(rs_chain *c)
{
	struct joint_plan *p = &c->plan;
	size_t io = c->io, PS = (size_t)(c->k + 1) * (c->k + 1) + (size_t)c->k + 1, npieces = 0;
	for (uint32_t j = 0; j < io; j++) {
		size_t n = c->coff[j + 1] - c->coff[j];
		npieces += n > JOINT_PIECE ? (n + JOINT_PIECE - 1) / JOINT_PIECE : 0;
	}
	size_t cap = io + (size_t)c->ngroups + 1;
	p->soff = rs_calloc(cap + 1, sizeof *p->soff);
	p->loff = rs_calloc(cap + 1, sizeof *p->loff);
	p->poff = rs_calloc(cap + 1, sizeof *p->poff);
	p->serial = rs_calloc(cap + 1, 1);
	p->small = rs_malloc((io + 1) * sizeof *p->small);
	p->large = rs_malloc((io + 1) * sizeof *p->large);
	p->lfirst = rs_malloc((io + 2) * sizeof *p->lfirst);
	p->pfeat = rs_malloc((npieces + 1) * sizeof *p->pfeat);
	p->pslot = rs_malloc((npieces + 1) * sizeof *p->pslot);
	p->pa = rs_malloc((npieces + 1) * sizeof *p->pa);
	p->pb = rs_malloc((npieces + 1) * sizeof *p->pb);
	size_t G = 0, ns = 0, nl = 0, np = 0, most_pieces = 0;
	int serial_open = 0;   /* the last group is serial and takes small features */
#define OPEN(ser) (p->soff[G] = ns, p->loff[G] = nl, p->poff[G] = np, p->serial[G++] = (ser))
	p->lfirst[0] = 0;
	for (int g = 0; g < c->ngroups && c->goff[g] < io; g++) {
		uint32_t hi = c->goff[g + 1] < io ? c->goff[g + 1] : (uint32_t)io;
		if (c->single[g])
			OPEN(0);
		serial_open = 0;
		for (uint32_t j = c->goff[g]; j < hi; j++) {
			size_t a = c->coff[j], n = c->coff[j + 1] - a;
			if (n <= JOINT_PIECE) {
				if (!c->single[g] && !serial_open)
					OPEN(1), serial_open = 1;
				p->small[ns++] = j;
				continue;
			}
			if (!c->single[g])
				OPEN(0), serial_open = 0;
			for (size_t at = a; at < a + n; at += JOINT_PIECE) {
				p->pfeat[np] = j, p->pslot[np] = (uint32_t)nl;
				p->pa[np] = at, p->pb[np] = at + JOINT_PIECE < a + n ? at + JOINT_PIECE : a + n;
				np++;
			}
			p->large[nl++] = j;
			p->lfirst[nl] = np;
		}
	}
#undef OPEN
	p->ngroups = (uint32_t)G;
	p->soff[G] = ns, p->loff[G] = nl, p->poff[G] = np;
	p->count = rs_malloc((3 * (size_t)G + 1) * sizeof *p->count);
	for (uint32_t g = 0; g < p->ngroups; g++) {
		size_t s = p->serial[g] ? p->soff[g + 1] > p->soff[g] : p->soff[g + 1] - p->soff[g];
		size_t l = p->loff[g + 1] - p->loff[g], q = p->poff[g + 1] - p->poff[g];
		most_pieces = q > most_pieces ? q : most_pieces;
		p->count[3 * g] = s + q, p->count[3 * g + 1] = l, p->count[3 * g + 2] = q;
	}
	p->buf = rs_malloc((most_pieces * PS + 1) * sizeof *p->buf);
	p->stage = rs_calloc(nl * (2 * (size_t)c->Kp + 2) + 1, sizeof *p->stage);
}

static void plan_free(struct joint_plan *p)
{
	free(p->soff), free(p->loff), free(p->poff), free(p->serial), free(p->small), free(p->large);
	free(p->lfirst), free(p->pfeat), free(p->pslot), free(p->pa), free(p->pb), free(p->buf);
	free(p->stage), free(p->count);
}

void rs_chain_init(rs_chain *c, const rs_model *m, const rs_dataset *d, const uint32_t *train,
		       size_t n, int threads, rs_rng *rng)
{
	memset(c, 0, sizeof *c);
	c->d = d;
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
		work_init(&c->work[t], c->k, c->Kp);
	for (size_t r = 0; r < n; r++)
		c->label[r] = c->y[r] = d->y[c->rec[r]];
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
		block_init(c, &c->blk[b], d, m->hdr.fields[m->hdr.nfields - c->nblocks + b].name);
	plan_init(c);
}

void rs_chain_free(rs_chain *c)
{
	free(c->rec), free(c->label), free(c->y), free(c->eq), free(c->ones), free(c->single);
	plan_free(&c->plan);
	for (int t = 0; t < c->threads; t++)
		free(c->work[t].H), free(c->work[t].Hf);
	free(c->work);
	free(c->coff), free(c->crow), free(c->cval), free(c->group), free(c->goff);
	free(c->mu_w), free(c->lam_w), free(c->mu_v), free(c->lam_v);
	free(c->w), free(c->V);
	for (int b = 0; b < c->nblocks; b++)
		block_free(&c->blk[b]);
}

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

void rs_chain_draw_latent(rs_chain *c, rs_rng *rng)
{
	for (size_t r = 0; r < c->n; r++) {
		double yhat = c->y[r] - E(r);
		double z = rs_mcmc_latent(yhat, c->label[r] > 0.5f, rng);
		c->y[r] = (float)z;
		E(r) = (float)(z - yhat);
	}
}

void rs_chain_draw_hyper(rs_chain *c, int click, rs_rng *rng)
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
static void draw_block_w(rs_chain *c, struct block *bk, rs_rng *rng)
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
static void draw_block_v(rs_chain *c, struct block *bk, int f, rs_rng *rng)
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

/* sum h^2 and sum e h over a column's records i in [a, b), h = x (q - v x),
 * in four independent sums each: one sum's add latency bounded the loop */
static void column_sums(const rs_chain *c, size_t a, size_t b, int f, float v, int ones, double *h2,
			double *eh)
{
	double s2[4] = {0}, se[4] = {0};
	size_t i = a;
	if (ones) {   /* x = 1: no value to read */
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = ROW(c->crow[i + t]), *q = p + f;
				double hh = *q - v;
				s2[t] += hh * hh;
				se[t] += p[c->Kp] * hh;
			}
		for (; i < b; i++) {
			const float *p = ROW(c->crow[i]), *q = p + f;
			double hh = *q - v;
			s2[0] += hh * hh;
			se[0] += p[c->Kp] * hh;
		}
	} else {
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = ROW(c->crow[i + t]), *q = p + f;
				double x = c->cval[i + t], hh = x * (*q - v * x);
				s2[t] += hh * hh;
				se[t] += p[c->Kp] * hh;
			}
		for (; i < b; i++) {
			const float *p = ROW(c->crow[i]), *q = p + f;
			double x = c->cval[i], hh = x * (*q - v * x);
			s2[0] += hh * hh;
			se[0] += p[c->Kp] * hh;
		}
	}
	*h2 = (s2[0] + s2[1]) + (s2[2] + s2[3]);
	*eh = (se[0] + se[1]) + (se[2] + se[3]);
}

/* The joint draws' kernels work on a row's q, and on the factors, as
 * vectors of 8 floats: GCC's vector extension, whose element-wise
 * arithmetic gives the same bits in the AVX2 build and the baseline's. */
typedef float v8 __attribute__((vector_size(32)));
enum { JOINT_MAX_CHUNKS = RS_MCMC_MAX_FACTORS / 8 };
/* (macros: a function taking or returning one changes the baseline's ABI) */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8))
/* a vector's lanes summed in one fixed order */
#define SUM8(v) ((((v)[0] + (v)[1]) + ((v)[2] + (v)[3])) + (((v)[4] + (v)[5]) + ((v)[6] + (v)[7])))

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

/* A feature's joint sums over its records i in [a, b), added into H
 * ((k+1) x (k+1)) and the k + 1 after it, b: with h = (x, hv),
 * hv = x (q - v x) (v padded with zeros to Kp = 8 C, as the rows' q are),
 * H += sum h h^T and b += sum e h. Floats over runs of records, in
 * registers when k is a constant (8), added into doubles after each run: a
 * run's rounding stays that of a short sum. */
RS_SIMD_BODY void joint_sums_k(const float *eq, int S, const uint32_t *crow, const float *cval,
			       size_t a, size_t b, const float *v, int k, double *H, float *scratch)
{
	double *bs = H + (size_t)(k + 1) * (k + 1);
	int C = (k + 7) / 8, Kp = 8 * C, D = k + 1;
	/* (k, C) vectors: sum hv[p] hv over the run; a local array up to 16
	 * factors, which the compiler keeps in registers at 8 */
	v8 local[32], *M = k <= 16 ? local : (v8 *)(void *)scratch;
	v8 vv[JOINT_MAX_CHUNKS], sxh[JOINT_MAX_CHUNKS], bv[JOINT_MAX_CHUNKS], hv[JOINT_MAX_CHUNKS];
	for (int c = 0; c < C; c++)
		LOAD8(vv[c], v + 8 * c);
	for (size_t lo = a; lo < b; lo += JOINT_RUN) {
		size_t hi = b - lo < JOINT_RUN ? b : lo + JOINT_RUN;
		float sxx = 0, be = 0;
		v8 zero = {0};
		for (int c = 0; c < C; c++)
			sxh[c] = bv[c] = zero;
		for (int p = 0; p < k * C; p++)
			M[p] = zero;
		for (size_t i = lo; i < hi; i++) {
			if (i + 16 < b)
				__builtin_prefetch(eq + (size_t)crow[i + 16] * S);
			const float *row = eq + (size_t)crow[i] * S;
			float x = cval[i], e = row[Kp];
			for (int c = 0; c < C; c++) {
				v8 q;
				LOAD8(q, row + 8 * c);
				hv[c] = x * (q - vv[c] * x);
				sxh[c] += x * hv[c];
				bv[c] += e * hv[c];
			}
			sxx += x * x;
			be += e * x;
			for (int p = 0; p < k; p++) {
				float hp = hv[p / 8][p % 8];
				for (int c = 0; c < C; c++)
					M[(size_t)p * C + c] += hp * hv[c];
			}
		}
		H[0] += sxx;
		bs[0] += be;
		for (int f = 0; f < k; f++) {
			H[1 + f] += sxh[f / 8][f % 8];
			H[(1 + f) * D] += sxh[f / 8][f % 8];
			bs[1 + f] += bv[f / 8][f % 8];
			for (int g = 0; g < k; g++)
				H[(1 + f) * D + 1 + g] += M[(size_t)f * C + g / 8][g % 8];
		}
	}
}
/* k = 8 (the sampler's default) as a constant, so that its sums stay in registers */
RS_SIMD_BODY void joint_sums_body(const float *eq, int S, const uint32_t *crow, const float *cval,
				  size_t a, size_t b, const float *v, int k, double *H, float *scratch)
{
	if (k == 8)
		joint_sums_k(eq, S, crow, cval, a, b, v, 8, H, scratch);
	else
		joint_sums_k(eq, S, crow, cval, a, b, v, k, H, scratch);
}
RS_SIMD_VOID(joint_sums, (const float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			  size_t b, const float *v, int k, double *H, float *scratch),
	     (eq, S, crow, cval, a, b, v, k, H, scratch))

/* The records' rows after the draw moved w by dw and v by dv: at the old
 * v, e -= dw x + dv . hv and q += dv x. */
RS_SIMD_BODY void joint_apply_k(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
				size_t b, const float *v, const float *dv, float dw, int k)
{
	int C = (k + 7) / 8, Kp = 8 * C;
	v8 vv[JOINT_MAX_CHUNKS], dd[JOINT_MAX_CHUNKS];
	for (int c = 0; c < C; c++) {
		LOAD8(vv[c], v + 8 * c);
		LOAD8(dd[c], dv + 8 * c);
	}
	for (size_t i = a; i < b; i++) {
		if (i + 16 < b)
			__builtin_prefetch(eq + (size_t)crow[i + 16] * S);
		float *row = eq + (size_t)crow[i] * S, x = cval[i], de = dw * x;
		for (int c = 0; c < C; c++) {
			v8 q, t;
			LOAD8(q, row + 8 * c);
			t = dd[c] * (x * (q - vv[c] * x));
			de += SUM8(t);
			q += dd[c] * x;
			STORE8(row + 8 * c, q);
		}
		row[Kp] -= de;
	}
}
RS_SIMD_BODY void joint_apply_body(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
				   size_t b, const float *v, const float *dv, float dw, int k)
{
	if (k == 8)
		joint_apply_k(eq, S, crow, cval, a, b, v, dv, dw, 8);
	else
		joint_apply_k(eq, S, crow, cval, a, b, v, dv, dw, k);
}
RS_SIMD_VOID(joint_apply, (float *eq, int S, const uint32_t *crow, const float *cval, size_t a, size_t b,
			   const float *v, const float *dv, float dw, int k),
	     (eq, S, crow, cval, a, b, v, dv, dw, k))

/* Feature j's draw from its sums H, b (in w): the normals of its own
 * stream (the sweep's key and j), so the same draw on any thread; the new
 * weight and factors in w->out, their steps in *dw and dth. */
static void draw_from_sums(rs_chain *c, uint32_t j, uint64_t key, struct joint_work *w,
			   const float *th, float *dw, float *dth)
{
	int k = c->k, D = k + 1, g = c->group[j];
	for (int p = 0; p < D; p++) {
		w->theta[p] = p ? th[p - 1] : c->w[j];
		w->mu[p] = p ? c->mu_v[(size_t)g * k + p - 1] : c->mu_w[g];
		w->lam[p] = p ? c->lam_v[(size_t)g * k + p - 1] : c->lam_w[g];
	}
	/* not key + j times splitmix64's own increment, which rs_rng_seed
	 * steps by: features side by side would share state words */
	rs_rng rng;
	rs_rng_seed(&rng, key ^ (0xD1B54A32D192ED03ull * (j + 1)));
	if (!rs_mcmc_draw_joint(D, c->alpha, w->H, w->b, w->theta, w->mu, w->lam, w->L, w->out, &rng))
		rs_die("sampling diverged at feature %u (try a lower --init-std); nothing written", j);
	*dw = (float)w->out[0] - c->w[j];
	for (int f = 0; f < k; f++)
		dth[f] = (float)w->out[1 + f] - th[f];
}

/* A feature of one piece, whole: its sums, its draw, its records' rows,
 * its new weight and factors. */
static void draw_whole(rs_chain *c, uint32_t j, uint64_t key, struct joint_work *w)
{
	int k = c->k, D = k + 1;
	float *v = c->V + (size_t)j * k, dw;
	memcpy(w->th, v, (size_t)k * sizeof *v);   /* padded with zeros to Kp */
	size_t a = c->coff[j], b = c->coff[j + 1];
	memset(w->H, 0, (size_t)(D * D + D) * sizeof *w->H);   /* H, then b */
	joint_sums(c->eq, c->S, c->crow, c->cval, a, b, w->th, k, w->H, w->Hf);
	draw_from_sums(c, j, key, w, w->th, &dw, w->dth);
	joint_apply(c->eq, c->S, c->crow, c->cval, a, b, w->th, w->dth, dw, k);
	c->w[j] = (float)w->out[0];
	for (int f = 0; f < k; f++)
		v[f] = (float)w->out[1 + f];
}

/* The joint draws' work, in the same pieces on any number of threads
 * (plan_init): each group of features no two of which share a record
 * (a one-hot field; one feature of any other) takes three steps: the
 * features of one piece whole, and the piece sums of the others; their
 * draws from their pieces' sums added in order; their pieces' rows. */
typedef struct joint_job {
	rs_chain *c;
	uint64_t key;
} joint_job;

static void sweep_step(void *ctx, size_t step, size_t lo, size_t hi, int t)
{
	joint_job *jb = ctx;
	rs_chain *c = jb->c;
	struct joint_plan *p = &c->plan;
	struct joint_work *w = &c->work[t];
	size_t g = step / 3, D = (size_t)c->k + 1, PS = D * D + D, SS = 2 * (size_t)c->Kp + 2;
	size_t s0 = p->soff[g], ns = p->soff[g + 1] - s0, l0 = p->loff[g], nl = p->loff[g + 1] - l0;
	size_t p0 = p->poff[g], np = p->poff[g + 1] - p0;
	size_t items = p->serial[g] ? ns > 0 : ns;   /* a serial group's smalls: one item, in order */
	for (size_t i = lo; i < hi; i++) {
		if (step % 3 == 0 && i < items) {
			for (size_t e = p->serial[g] ? 0 : i; e < (p->serial[g] ? ns : i + 1); e++)
				draw_whole(c, p->small[s0 + e], jb->key, w);
		} else if (step % 3 == 0 && i - items < np) {   /* a piece's sums, into its slot */
			size_t q = p0 + i - items;
			double *out = p->buf + (i - items) * PS;
			memcpy(w->th, c->V + (size_t)p->pfeat[q] * c->k, (size_t)c->k * sizeof *w->th);
			memset(out, 0, PS * sizeof *out);
			joint_sums(c->eq, c->S, c->crow, c->cval, p->pa[q], p->pb[q], w->th, c->k, out, w->Hf);
		} else if (step % 3 == 1 && i < nl) {   /* a feature's draw from its pieces */
			uint32_t j = p->large[l0 + i];
			float *st = p->stage + (l0 + i) * SS;   /* new v, dv (Kp each), dw, new w */
			memset(w->H, 0, PS * sizeof *w->H);
			for (size_t q = p->lfirst[l0 + i]; q < p->lfirst[l0 + i + 1]; q++)
				for (size_t e = 0; e < PS; e++)
					w->H[e] += p->buf[(q - p0) * PS + e];
			draw_from_sums(c, j, jb->key, w, c->V + (size_t)j * c->k, &st[2 * c->Kp], st + c->Kp);
			st[2 * c->Kp + 1] = (float)w->out[0];
			for (int f = 0; f < c->k; f++)
				st[f] = (float)w->out[1 + f];
		} else if (step % 3 == 2 && i < np) {   /* a piece's rows */
			size_t q = p0 + i;
			const float *st = p->stage + (size_t)p->pslot[q] * SS;
			memcpy(w->th, c->V + (size_t)p->pfeat[q] * c->k, (size_t)c->k * sizeof *w->th);
			joint_apply(c->eq, c->S, c->crow, c->cval, p->pa[q], p->pb[q], w->th, st + c->Kp,
				    st[2 * c->Kp], c->k);
		}
	}
}

/* The reference draws, one parameter at a time: w_j, then factor by
 * factor V[j,f]. */
static void draw_single(rs_chain *c, rs_rng *rng)
{
	int k = c->k;
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
	for (int f = 0; f < k; f++) {
		for (uint32_t j = 0; j < c->io; j++) {
			float *v = &c->V[(size_t)j * k + f];
			double h2 = 0, eh = 0;
			size_t a = c->coff[j], b = c->coff[j + 1];
			column_sums(c, a, b, f, *v, c->ones[j], &h2, &eh);
			size_t gf = (size_t)c->group[j] * k + f;
			double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
			/* v in a local: the rows' stores might otherwise alias it */
			float v0 = *v, dv = (float)nv - v0;
			if (c->ones[j]) {
				for (size_t i = a; i < b; i++) {
					float *p = ROW(c->crow[i]), *q = p + f;
					p[c->Kp] -= dv * (*q - v0);
					*q += dv;
				}
			} else {
				for (size_t i = a; i < b; i++) {
					float *p = ROW(c->crow[i]), *q = p + f, x = c->cval[i];
					p[c->Kp] -= dv * x * (*q - v0 * x);
					*q += dv * x;
				}
			}
			*v = (float)nv;
		}
		for (int b = 0; b < c->nblocks; b++)
			draw_block_v(c, &c->blk[b], f, rng);
	}
}

void rs_chain_draw_params(rs_chain *c, rs_rng *rng)
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
	if (!rs_mcmc_joint) {
		draw_single(c, rng);
		return;
	}
	joint_job jb = {.c = c, .key = rs_rng_u64(rng)};
	struct joint_plan *p = &c->plan;
	rs_parallel_stepsv(3 * (size_t)p->ngroups, p->count, 1, c->threads, sweep_step, &jb);
	/* the drawn features' new weights and factors, read as they were until here */
	size_t SS = 2 * (size_t)c->Kp + 2;
	for (size_t i = 0; i < p->loff[p->ngroups]; i++) {
		const float *st = p->stage + i * SS;
		c->w[p->large[i]] = st[2 * c->Kp + 1];
		memcpy(c->V + (size_t)p->large[i] * k, st, (size_t)k * sizeof *st);
	}
	for (int b = 0; b < c->nblocks; b++)
		draw_block_w(c, &c->blk[b], rng);
	for (int f = 0; f < k; f++)
		for (int b = 0; b < c->nblocks; b++)
			draw_block_v(c, &c->blk[b], f, rng);
}
