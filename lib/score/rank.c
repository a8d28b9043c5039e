/* rank.c: rankers, their threads' lanes and top-k selection (rank.h). */
#include "rank.h"
#include "parallel.h"
#include "mem.h"

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
		if (m == k && !rs_rank_before(score, ids, i, top[m - 1]))
			continue;
		int j = m < k ? m++ : k - 1;
		while (j > 0 && rs_rank_before(score, ids, i, top[j - 1])) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = i;
	}
	return m;
}

rs_rank_lane *rs_rank_lanes_open(rs_ranker *rk, int T)
{
	rs_rank_lane *lanes = rs_calloc((size_t)T, sizeof *lanes);
	for (int t = 0; t < T; t++) {
		rs_rank_lane *l = &lanes[t];
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

void rs_rank_lanes_close(rs_rank_lane *lanes, const rs_ranker *rk, int T)
{
	for (int t = 0; t < T; t++) {
		if (t && rk->model) {
			rs_scorer_clone_free(&lanes[t].s);
			free(lanes[t].m.scratch);
		}
		free(lanes[t].skip);
	}
	free(lanes);
}

int rs_rank_user_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned,
		      size_t nbanned, uint32_t u, uint32_t *skip, uint32_t stamp, int k, uint32_t *top,
		      float *score)
{
	const float *row = rs_ranker_row(rk, u);
	if (train)
		rs_rank_mark(skip, train, u, stamp);
	for (size_t b = 0; b < nbanned; b++)
		skip[banned[b]] = stamp;
	int n = rs_topk(row, rk->nitems, rk->item_ids, skip, stamp, k, top);
	for (int r = 0; r < n; r++)
		score[r] = row[top[r]];
	return n;
}

typedef struct job {
	rs_rank_lane *lanes;
	const rs_user_items *train;
	int k;
	const uint32_t *users;
	const uint32_t *banned;
	size_t nbanned;
	uint32_t *top;
	float *score;
	int *count;
} job;

static void topk_users(void *ctx, size_t lo, size_t hi, int t)
{
	job *j = ctx;
	rs_rank_lane *l = &j->lanes[t];
	for (size_t a = lo; a < hi; a++)
		j->count[a] = rs_rank_user_topk(&l->rk, j->train, j->banned, j->nbanned, j->users[a],
						l->skip, (uint32_t)a + 1, j->k, j->top + a * (size_t)j->k,
						j->score + a * (size_t)j->k);
}

void rs_rank_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned, size_t nbanned,
		  const uint32_t *users, size_t n, int k, uint32_t *top, float *score, int *count)
{
	int T = rk->threads > 1 ? rk->threads : 1;
	if (rk->model)
		rs_scorer_refresh(rk->model);
	rs_rank_lane *lanes = rs_rank_lanes_open(rk, T);
	job j = {.lanes = lanes, .train = train, .k = k, .users = users, .top = top,
		 .score = score, .count = count, .banned = banned, .nbanned = nbanned};
	if (T > 1)
		rs_parallel_for(n, 16, T, topk_users, &j);
	else
		topk_users(&j, 0, n, 0);
	rs_rank_lanes_close(lanes, rk, T);
}
