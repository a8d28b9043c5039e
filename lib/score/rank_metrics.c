/* rank_metrics.c: HR, NDCG, precision, recall, MAP and MRR of a ranker's
 * lists, over every item or sampled negatives (rank_metrics.h). */
#include "rank_metrics.h"
#include "parallel.h"
#include "mem.h"
#include "rng.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

/* 1 + the candidates ranked before item t (rs_topk's order) */
static uint32_t rank_of(const float *score, uint32_t n, const int64_t *ids, const uint32_t *skip,
			uint32_t stamp, uint32_t t)
{
	uint32_t r = 1;
	for (uint32_t i = 0; i < n; i++)
		r += skip[i] != stamp && i != t && rs_rank_before(score, ids, i, t);
	return r;
}

static double gain(uint32_t rank)
{
	return 1.0 / log2((double)rank + 1.0);
}

/* One user's full-ranking metrics at one cut-off; n is 0 for a user
 * without test items. */
typedef struct user_metrics {
	double hr, ndcg, precision, recall, map, mrr;
	int n;
} user_metrics;

static int by_rank(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* User u's metrics at each of the nk cut-offs k, into um[0..nk): each test
 * item's rank found once, among the items not rated in train (ranks is
 * scratch of the user's test items' size). */
static void rank_user(rs_ranker *rk, uint32_t *skip, uint32_t *ranks, const rs_user_items *train,
		      const rs_user_items *test, const int *k, int nk, uint32_t u, user_metrics *um)
{
	memset(um, 0, (size_t)nk * sizeof *um);
	size_t nt = test->off[u + 1] - test->off[u], nr = 0;
	if (!nt)
		return;
	uint32_t I = rk->nitems;
	const float *score = rs_ranker_row(rk, u);
	rs_rank_mark(skip, train, u, u + 1);
	for (size_t j = test->off[u]; j < test->off[u + 1]; j++) {
		uint32_t t = test->items[j];
		if (skip[t] != u + 1)   /* rated in train too: not a candidate */
			ranks[nr++] = rank_of(score, I, rk->item_ids, skip, u + 1, t);
	}
	qsort(ranks, nr, sizeof *ranks, by_rank);
	for (int c = 0; c < nk; c++) {
		double dcg = 0, idcg = 0, ap = 0;
		size_t hits = 0;
		for (size_t j = 0; j < nr && ranks[j] <= (uint32_t)k[c]; j++) {
			hits++;
			dcg += gain(ranks[j]);
			ap += (double)hits / ranks[j];   /* precision at this hit's rank */
		}
		size_t ideal = nt < (size_t)k[c] ? nt : (size_t)k[c];
		for (size_t j = 1; j <= ideal; j++)
			idcg += gain((uint32_t)j);
		um[c].hr = hits > 0;
		um[c].ndcg = dcg / idcg;
		um[c].precision = (double)hits / k[c];
		um[c].recall = (double)hits / (double)nt;
		um[c].map = ap / (double)ideal;
		um[c].mrr = nr ? 1.0 / ranks[0] : 0;
		um[c].n = 1;
	}
}

typedef struct job {
	rs_rank_lane *lanes;
	uint32_t *ranks;     /* (threads, stride) each lane's scratch */
	size_t stride;       /* the most test items of a user, + 1 */
	const rs_user_items *train, *test;
	const int *ks;
	int nk;
	user_metrics *um;    /* (users, nk) */
} job;

static void rank_users(void *ctx, size_t lo, size_t hi, int t)
{
	job *j = ctx;
	rs_rank_lane *l = &j->lanes[t];
	for (size_t u = lo; u < hi; u++)
		rank_user(&l->rk, l->skip, j->ranks + (size_t)t * j->stride, j->train, j->test, j->ks,
			  j->nk, (uint32_t)u, j->um + u * (size_t)j->nk);
}

void rs_rank_full(rs_ranker *rk, const rs_user_items *train, const rs_user_items *test,
		  const int *k, int nk, rs_rank_metrics *out)
{
	uint32_t U = rk->nusers;
	int T = rk->threads > 1 ? rk->threads : 1;
	if (rk->model)
		rs_scorer_refresh(rk->model);
	size_t most = 0;
	for (uint32_t u = 0; u < U; u++)
		if (test->off[u + 1] - test->off[u] > most)
			most = test->off[u + 1] - test->off[u];
	rs_rank_lane *lanes = rs_rank_lanes_open(rk, T);
	uint32_t *ranks = rs_malloc((size_t)T * (most + 1) * sizeof *ranks);
	user_metrics *um = rs_malloc(((size_t)U * (size_t)nk + 1) * sizeof *um);
	job j = {.lanes = lanes, .ranks = ranks, .stride = most + 1, .train = train, .test = test,
		 .ks = k, .nk = nk, .um = um};
	if (T > 1)
		rs_parallel_for(U, 16, T, rank_users, &j);
	else
		rank_users(&j, 0, U, 0);
	memset(out, 0, (size_t)nk * sizeof *out);
	for (int c = 0; c < nk; c++) {
		rs_rank_metrics *o = &out[c];
		o->k = k[c];
		for (uint32_t u = 0; u < U; u++) {   /* summed in user order: any T, one result */
			const user_metrics *x = &um[(size_t)u * (size_t)nk + (size_t)c];
			if (!x->n)
				continue;
			o->hr += x->hr, o->ndcg += x->ndcg, o->precision += x->precision;
			o->recall += x->recall, o->map += x->map, o->mrr += x->mrr;
			o->n++;
		}
		if (o->n) {
			double n = (double)o->n;
			o->hr /= n, o->ndcg /= n, o->precision /= n, o->recall /= n, o->map /= n, o->mrr /= n;
		}
	}
	rs_rank_lanes_close(lanes, rk, T);
	free(ranks);
	free(um);
}
void rs_rank_sampled(rs_ranker *rk, const rs_user_items *train, const rs_user_items *test,
		     const int *k, int nk, int negatives, uint64_t seed, rs_rank_metrics *out)
{
	uint32_t U = rk->nusers, I = rk->nitems;
	uint32_t *skip = rs_calloc(I, sizeof *skip), *list = NULL;
	size_t cap = 0;
	rs_rng rng;
	rs_rng_seed(&rng, seed);
	memset(out, 0, (size_t)nk * sizeof *out);
	for (uint32_t u = 0; u < U; u++) {
		size_t nt = test->off[u + 1] - test->off[u];
		if (!nt)
			continue;
		rs_rank_mark(skip, train, u, u + 1);
		rs_rank_mark(skip, test, u, u + 1);
		/* counted, not inferred from the lists: an item rated twice is one
		 * item, and a count too high would wait forever for a negative */
		uint32_t unrated = 0;
		for (uint32_t i = 0; i < I; i++)
			unrated += skip[i] != u + 1;
		int neg = (uint32_t)negatives < unrated ? negatives : (int)unrated;
		/* each test item, then its negatives, drawn among items the user never rated */
		size_t n = nt * (size_t)(neg + 1);
		if (n > cap)
			list = rs_reallocarray(list, cap = n, sizeof *list);
		size_t at = 0;
		for (size_t j = test->off[u]; j < test->off[u + 1]; j++) {
			list[at++] = test->items[j];
			for (int q = 0; q < neg; q++) {
				uint32_t i;
				do
					i = rs_rng_below(&rng, I);
				while (skip[i] == u + 1);
				list[at++] = i;
			}
		}
		const float *score = rs_ranker_items(rk, u, list, n);
		for (size_t j = 0; j < nt; j++) {
			const float *g = score + j * (size_t)(neg + 1);
			const uint32_t *it = list + j * (size_t)(neg + 1);
			uint32_t r = 1;
			for (int q = 1; q <= neg; q++)   /* ties as everywhere: the lower raw id first */
				r += g[q] > g[0] || (g[q] == g[0] && rk->item_ids[it[q]] < rk->item_ids[it[0]]);
			for (int c = 0; c < nk; c++) {   /* one relevant item per list */
				rs_rank_metrics *o = &out[c];
				int hit = r <= (uint32_t)k[c];
				o->hr += hit;
				o->ndcg += hit ? gain(r) : 0;
				o->precision += (double)hit / k[c];
				o->map += hit ? 1.0 / r : 0;
				o->mrr += 1.0 / r;
				o->n++;
			}
		}
	}
	free(skip);
	free(list);
	for (int c = 0; c < nk; c++) {
		rs_rank_metrics *o = &out[c];
		o->k = k[c];
		if (o->n) {
			double n = (double)o->n;
			o->hr /= n, o->ndcg /= n, o->precision /= n, o->map /= n, o->mrr /= n;
		}
		o->recall = o->hr;
	}
}
