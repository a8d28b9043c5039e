/* rank.c: rankers, top-k selection and the ranking metrics. */
#include "rank.h"
#include "parallel.h"
#include "cli.h"
#include "mem.h"
#include "rng.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

void rs_ranker_model(rs_ranker *r, rs_scorer *s)
{
	memset(r, 0, sizeof *r);
	r->nusers = s->m->hdr.nusers;
	r->nitems = s->m->hdr.nitems;
	r->item_ids = s->m->hdr.item_ids;
	r->model = s;
}

void rs_ranker_popularity(rs_ranker *r, const rs_dataset *d)
{
	memset(r, 0, sizeof *r);
	r->nusers = d->hdr.nusers;
	r->nitems = d->hdr.nitems;
	r->item_ids = d->hdr.item_ids;
	r->pop = rs_calloc((size_t)r->nitems + 1, sizeof *r->pop);
	size_t *count = rs_calloc((size_t)r->nitems + 1, sizeof *count), total = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->item[i] != RS_NONE && d->split[i] == RS_SPLIT_TRAIN)
			count[d->item[i]]++, total++;
	/* below 2^24 records, distinct counts stay distinct shares */
	for (uint32_t i = 0; i < r->nitems; i++)
		r->pop[i] = total ? (float)((double)count[i] / (double)total) : 0.0f;
	free(count);
}

void rs_ranker_free(rs_ranker *r)
{
	free(r->pop);
	free(r->out);
	memset(r, 0, sizeof *r);
}

const float *rs_ranker_row(rs_ranker *r, uint32_t u)
{
	return r->model ? rs_scorer_user_row(r->model, u) : r->pop;
}

const float *rs_ranker_items(rs_ranker *r, uint32_t u, const uint32_t *items, size_t n)
{
	if (r->model) {
		rs_scorer_clear(r->model);
		for (size_t j = 0; j < n; j++)
			rs_scorer_add(r->model, u, items[j]);
		return rs_scorer_run(r->model);
	}
	if (n > r->cap) {
		r->cap = n;
		r->out = rs_reallocarray(r->out, n, sizeof *r->out);
	}
	for (size_t j = 0; j < n; j++)
		r->out[j] = r->pop[items[j]];
	return r->out;
}

/* a ranks before b: higher score, then the lower raw id */
static int before(const float *s, const int64_t *ids, uint32_t a, uint32_t b)
{
	return s[a] > s[b] || (s[a] == s[b] && ids[a] < ids[b]);
}

int rs_topk(const float *score, uint32_t n, const int64_t *ids, const uint32_t *skip,
	    uint32_t stamp, int k, uint32_t *top)
{
	/* insertion into a sorted list of at most k: k is small */
	int m = 0;
	if (k <= 0)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		if (skip && skip[i] == stamp)
			continue;
		if (m == k && !before(score, ids, i, top[m - 1]))
			continue;
		int j = m < k ? m++ : k - 1;
		while (j > 0 && before(score, ids, i, top[j - 1])) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = i;
	}
	return m;
}

/* 1 + the candidates ranked before item t (the topk order) */
static uint32_t rank_of(const float *score, uint32_t n, const int64_t *ids, const uint32_t *skip,
			uint32_t stamp, uint32_t t)
{
	uint32_t r = 1;
	for (uint32_t i = 0; i < n; i++)
		r += skip[i] != stamp && i != t && before(score, ids, i, t);
	return r;
}

static void mark(uint32_t *skip, const rs_user_items *ui, uint32_t u, uint32_t stamp)
{
	for (size_t j = ui->off[u]; j < ui->off[u + 1]; j++)
		skip[ui->items[j]] = stamp;
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
	mark(skip, train, u, u + 1);
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

/* A thread's ranker: over a copy of the model (scratch of its own) and a
 * clone of the scorer; the baseline's is shared, being read-only. */
typedef struct lane {
	rs_ranker rk;
	rs_model m;
	rs_scorer s;
	uint32_t *skip;
	uint32_t *ranks;     /* (the most test items of a user) */
} lane;

static lane *lanes_open(rs_ranker *rk, int T)
{
	lane *lanes = rs_calloc((size_t)T, sizeof *lanes);
	for (int t = 0; t < T; t++) {
		lane *l = &lanes[t];
		l->skip = rs_calloc(rk->nitems, sizeof *l->skip);
		if (!t || !rk->model) {
			l->rk = *rk;
			continue;
		}
		l->m = *rk->model->m;
		l->m.scratch = NULL, l->m.scratch_B = 0;
		rs_scorer_clone(&l->s, rk->model, &l->m);
		rs_ranker_model(&l->rk, &l->s);
	}
	return lanes;
}

static void lanes_close(lane *lanes, const rs_ranker *rk, int T)
{
	for (int t = 0; t < T; t++) {
		if (t && rk->model) {
			rs_scorer_clone_free(&lanes[t].s);
			free(lanes[t].m.scratch);
		}
		free(lanes[t].skip);
		free(lanes[t].ranks);
	}
	free(lanes);
}

typedef struct job {
	lane *lanes;
	const rs_user_items *train, *test;
	int k;               /* rs_rank_topk's list length */
	const int *ks;       /* rs_rank_full's cut-offs */
	int nk;
	user_metrics *um;    /* (users, nk) */
	const uint32_t *users;   /* rs_rank_topk's */
	const uint32_t *banned;
	size_t nbanned;
	uint32_t *top;
	float *score;
	int *count;
} job;

static void rank_users(void *ctx, size_t lo, size_t hi, int t)
{
	job *j = ctx;
	lane *l = &j->lanes[t];
	for (size_t u = lo; u < hi; u++)
		rank_user(&l->rk, l->skip, l->ranks, j->train, j->test, j->ks, j->nk, (uint32_t)u,
			  j->um + u * (size_t)j->nk);
}

static void topk_users(void *ctx, size_t lo, size_t hi, int t)
{
	job *j = ctx;
	lane *l = &j->lanes[t];
	for (size_t a = lo; a < hi; a++)
		j->count[a] = rs_rank_user_topk(&l->rk, j->train, j->banned, j->nbanned, j->users[a],
						l->skip, (uint32_t)a + 1, j->k, j->top + a * (size_t)j->k,
						j->score + a * (size_t)j->k);
}

int rs_rank_user_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned,
		      size_t nbanned, uint32_t u, uint32_t *skip, uint32_t stamp, int k, uint32_t *top,
		      float *score)
{
	const float *row = rs_ranker_row(rk, u);
	if (train)
		mark(skip, train, u, stamp);
	for (size_t b = 0; b < nbanned; b++)
		skip[banned[b]] = stamp;
	int n = rs_topk(row, rk->nitems, rk->item_ids, skip, stamp, k, top);
	for (int r = 0; r < n; r++)
		score[r] = row[top[r]];
	return n;
}

void rs_rank_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned, size_t nbanned,
		  const uint32_t *users, size_t n, int k, uint32_t *top, float *score, int *count)
{
	int T = rk->threads > 1 ? rk->threads : 1;
	if (rk->model)
		rs_scorer_refresh(rk->model);
	lane *lanes = lanes_open(rk, T);
	job j = {.lanes = lanes, .train = train, .k = k, .users = users, .top = top,
		 .score = score, .count = count, .banned = banned, .nbanned = nbanned};
	if (T > 1)
		rs_parallel_for(n, 16, T, topk_users, &j);
	else
		topk_users(&j, 0, n, 0);
	lanes_close(lanes, rk, T);
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
	lane *lanes = lanes_open(rk, T);
	for (int t = 0; t < T; t++)
		lanes[t].ranks = rs_malloc((most + 1) * sizeof *lanes[t].ranks);
	user_metrics *um = rs_malloc(((size_t)U * (size_t)nk + 1) * sizeof *um);
	job j = {.lanes = lanes, .train = train, .test = test, .ks = k, .nk = nk, .um = um};
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
	lanes_close(lanes, rk, T);
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
		mark(skip, train, u, u + 1);
		mark(skip, test, u, u + 1);
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
