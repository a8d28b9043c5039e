/* rank_metrics.h: the ranking metrics of rs-eval --rank and of the ranking
 * losses' epochs, over a ranker's lists (rank.h). */
#ifndef RS_RANK_METRICS_H
#define RS_RANK_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "rank.h"
#include "useritems.h"

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
