/* bpr.c: pairwise training (bpr.h). */
#include "bpr.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"

#include <stdlib.h>
#include <string.h>

enum { TOP = 10 };   /* the list length that judges an epoch */

static int rated(const rs_user_items *r, uint32_t u, uint32_t item)
{
	const uint32_t *a = r->items + r->off[u];
	size_t lo = 0, hi = r->off[u + 1] - r->off[u];
	while (lo < hi) {   /* the items are sorted */
		size_t mid = (lo + hi) / 2;
		if (a[mid] < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->off[u + 1] - r->off[u] && a[lo] == item;
}

static void release(void *b)
{
	rs_bpr_free(b);
}

void rs_bpr_init(rs_bpr *b, rs_model *m, const rs_dataset *d)
{
	memset(b, 0, sizeof *b);
	if (d->hdr.nfields != 2 || strcmp(d->hdr.fields[0].name, "user") ||
	    strcmp(d->hdr.fields[1].name, "item"))
		rs_die("%s:header: --loss bpr reads the user and item fields alone for now (a negative would need its item's side features)",
		       d->src);
	rs_user_items_build(&b->rated, d, RS_SPLITS(0) | RS_SPLITS(2));
	rs_cleanup_push(release, b);   /* a caught error below leaves nothing held */
	uint32_t I = b->nitems = d->hdr.nitems;
	for (uint32_t u = 0; u < d->hdr.nusers; u++) {
		uint32_t distinct = 0;   /* the sorted list may repeat an item */
		for (size_t j = b->rated.off[u]; j < b->rated.off[u + 1]; j++)
			distinct += j == b->rated.off[u] || b->rated.items[j] != b->rated.items[j - 1];
		if (distinct && distinct >= I)
			rs_die("%s: user %lld rated every item in train: no negative to draw", d->src,
			       (long long)d->hdr.user_ids[u]);
	}
	rs_cleanup_pop();
	/* what the per-epoch ranking needs: fixed for the run */
	rs_user_items_build(&b->train, d, RS_SPLITS(0));
	rs_user_items_build(&b->valid, d, RS_SPLITS(2));
	rs_user_items_build(&b->test, d, RS_SPLITS(1));
	rs_scorer_init(&b->scorer, m, NULL, NULL);
	rs_ranker_model(&b->ranker, &b->scorer);
	b->pool = rs_malloc((d->n + 1) * sizeof *b->pool);
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] == 0)
			b->pool[b->npool++] = d->item[r];
	/* scores are compared, never clipped to the ratings' range */
	m->ymin = m->ymax = 0;
}

void rs_bpr_free(rs_bpr *b)
{
	rs_user_items_free(&b->rated);
	rs_user_items_free(&b->train);
	rs_user_items_free(&b->valid);
	rs_user_items_free(&b->test);
	rs_ranker_free(&b->ranker);
	rs_scorer_free(&b->scorer);
	free(b->pool);
	free(b->iota);
	rs_dataset_free(&b->pairs);
	memset(b, 0, sizeof *b);
}

static void reserve(rs_bpr *b, const rs_dataset *d, size_t n)
{
	if (n <= b->cap)
		return;
	rs_dataset *p = &b->pairs;
	p->user = rs_reallocarray(p->user, n, sizeof *p->user);
	p->item = rs_reallocarray(p->item, n, sizeof *p->item);
	p->y = rs_reallocarray(p->y, n, sizeof *p->y);
	p->split = rs_reallocarray(p->split, n, sizeof *p->split);
	p->xoff = rs_reallocarray(p->xoff, n + 1, sizeof *p->xoff);
	p->x = rs_reallocarray(p->x, 2 * n, sizeof *p->x);
	b->iota = rs_reallocarray(b->iota, n, sizeof *b->iota);
	for (size_t i = 0; i < n; i++)
		b->iota[i] = (uint32_t)i;
	p->nfeatures = d->nfeatures;
	p->click = d->click;
	b->cap = n;
}

/* Record r of the batch: the pair (u, i), its features the user and item
 * fields, as a stream without 'x' has them. */
static void put(rs_dataset *p, size_t r, uint32_t u, uint32_t i, uint32_t nusers)
{
	p->user[r] = u;
	p->item[r] = i;
	p->y[r] = 0;
	p->split[r] = 0;
	p->x[2 * r] = u;
	p->x[2 * r + 1] = nusers + i;
	p->xoff[r + 1] = 2 * (r + 1);
}

uint32_t rs_bpr_negative(const rs_bpr *b, const rs_model *m, uint32_t u, rs_rng *rng)
{
	for (;;) {   /* init made sure every user has an item left */
		uint32_t j = m->hp.sampler == RS_SAMPLER_POPULARITY
				     ? b->pool[rs_rng_below(rng, (uint32_t)b->npool)]
				     : rs_rng_below(rng, b->nitems);
		if (!rated(&b->rated, u, j))
			return j;
	}
}

double rs_bpr_step(rs_bpr *b, rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		   rs_rng *sample, rs_rng *drop, float *out, float *dout)
{
	int K = m->hp.negatives;
	size_t n = (size_t)B * (1 + (size_t)K);
	uint32_t U = d->hdr.nusers;
	reserve(b, d, n);
	rs_dataset *p = &b->pairs;
	p->xoff[0] = 0;
	for (int k = 0; k < B; k++) {
		uint32_t u = d->user[idx[k]];
		put(p, (size_t)k, u, d->item[idx[k]], U);
		for (int q = 0; q < K; q++)
			put(p, (size_t)B + (size_t)k * K + q, u, rs_bpr_negative(b, m, u, sample), U);
	}
	p->n = n;
	rs_model_reserve(m, (int)n);
	m->ops->forward(m, p, b->iota, (int)n, out, drop);
	double loss = bpr_forward(out, out + B, B, K);
	bpr_backward(dout, dout + B, out, out + B, B, K);
	m->ops->backward(m, p, b->iota, (int)n, dout);
	return loss;
}

void rs_bpr_evaluate(rs_bpr *b, rs_rank_metrics *valid, rs_rank_metrics *test)
{
	rs_rank_full(&b->ranker, &b->train, &b->valid, TOP, valid);
	rs_rank_full(&b->ranker, &b->rated, &b->test, TOP, test);
}
