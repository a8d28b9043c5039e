/* rank.h: what ranks items for a user, and their top-k lists (the ranking
 * metrics over them: rank_metrics.h). */
#ifndef RS_RANK_H
#define RS_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"
#include "scorer.h"
#include "useritems.h"

/* What ranks items for a user: a model through its scorer, or, without
 * one, the popularity baseline (an item's score is its share of the train
 * records). Every ranking of rs-eval and rs-recommend goes through it, so
 * both break ties alike: the lower raw item id first. */
typedef struct rs_ranker {
	uint32_t nusers, nitems;
	const int64_t *item_ids;     /* (nitems) raw ids, for ties */
	rs_scorer *model;            /* NULL for the baseline */
	float *pop;                  /* (nitems) the baseline's scores */
	float *out;                  /* (cap) the baseline's scores of a list */
	size_t cap;
	int threads;                 /* rs_rank_full's users on this many threads
					(0 or 1: the caller's); the same metrics
					for any number */
} rs_ranker;

void rs_ranker_model(rs_ranker *r, rs_scorer *s);
/* The baseline over the train records of a dataset: item i's score is the
 * share of them that are item i's. */
void rs_ranker_popularity(rs_ranker *r, const rs_dataset *d);
void rs_ranker_free(rs_ranker *r);
/* Scores of every item for user u, valid until the next call. */
const float *rs_ranker_row(rs_ranker *r, uint32_t u);
/* Scores of items[0..n) for user u, valid until the next call. */
const float *rs_ranker_items(rs_ranker *r, uint32_t u, const uint32_t *items, size_t n);

/* The k best of score[0..n) whose skip[i] is not equal to stamp, best
 * first, ties to the lower raw id in ids; returns how many (fewer when not
 * enough candidates). */
int rs_topk(const float *score, uint32_t n, const int64_t *ids, const uint32_t *skip,
	    uint32_t stamp, int k, uint32_t *top);

/* The k best items of each of users[0..n) not rated in train and not
 * among banned[0..nbanned), into top (n, k) with their scores (n, k),
 * count[a] of them for users[a], on rk->threads threads (the same lists
 * for any number). */
void rs_rank_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned, size_t nbanned,
		  const uint32_t *users, size_t n, int k, uint32_t *top, float *score, int *count);

/* One list of rs_rank_topk, on the caller's thread: user u's k best items
 * not in train's list of u (NULL: none) nor among banned, skip (nitems)
 * the caller's scratch, stamped with stamp (a value it held for no earlier
 * list); the model's item table as of the last rs_scorer_refresh. */
int rs_rank_user_topk(rs_ranker *rk, const rs_user_items *train, const uint32_t *banned,
		      size_t nbanned, uint32_t u, uint32_t *skip, uint32_t stamp, int k, uint32_t *top,
		      float *score);

/* a ranks before b in score s: the higher score, then the lower raw id
 * in ids (every ranking's tie rule) */
static inline int rs_rank_before(const float *s, const int64_t *ids, uint32_t a, uint32_t b)
{
	return s[a] > s[b] || (s[a] == s[b] && ids[a] < ids[b]);
}

/* skip[i] = stamp for each item i of u's list in ui. */
static inline void rs_rank_mark(uint32_t *skip, const rs_user_items *ui, uint32_t u, uint32_t stamp)
{
	for (size_t j = ui->off[u]; j < ui->off[u + 1]; j++)
		skip[ui->items[j]] = stamp;
}

/* A thread's ranker: over a copy of the model (scratch of its own) and a
 * clone of the scorer; the baseline's is shared, being read-only. Lane 0
 * is rk itself. */
typedef struct rs_rank_lane {
	rs_ranker rk;
	rs_model m;
	rs_scorer s;
	uint32_t *skip;      /* (nitems) zeroed */
} rs_rank_lane;

/* T lanes over rk (T at least 1); the model's item table as of the last
 * rs_scorer_refresh. */
rs_rank_lane *rs_rank_lanes_open(rs_ranker *rk, int T);
void rs_rank_lanes_close(rs_rank_lane *lanes, const rs_ranker *rk, int T);

#endif
