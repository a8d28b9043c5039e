/* rank.h: top-k lists and the ranking metrics of rs-eval --rank. */
#ifndef RS_RANK_H
#define RS_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
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

/* The most cut-offs one ranking reports (rs-eval --at). */
#define RS_RANK_MAX_AT 8

/* Ranking metrics at one cut-off k, averaged over users (full ranking)
 * or over test records (sampled negatives). */
typedef struct rs_rank_metrics {
	int k;
	double hr, ndcg, precision, recall, map, mrr;
	size_t n;            /* users or test records averaged over */
} rs_rank_metrics;

/* Full ranking, at each cut-off k[0..nk) into out[0..nk): each user with
 * test items ranks them among every item not rated in train; HR@k (a test
 * item in the top k), NDCG@k (ideal: the test items first), precision@k
 * (hits / k), recall@k (hits / test items), MAP@k (the precision at each
 * hit's rank, summed over min(test items, k)) and MRR (the best-ranked
 * test item, not cut). */
void rs_rank_full(rs_ranker *r, const rs_user_items *train, const rs_user_items *test,
		  const int *k, int nk, rs_rank_metrics *out);
/* The sampled protocol of NCF and the d2l book: each test item against
 * `negatives` items the user never rated, drawn with the seed; each list
 * has one relevant item, so recall is HR and MAP is the reciprocal rank
 * within the top k. */
void rs_rank_sampled(rs_ranker *r, const rs_user_items *train, const rs_user_items *test,
		     const int *k, int nk, int negatives, uint64_t seed, rs_rank_metrics *out);

#endif
