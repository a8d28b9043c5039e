/* rank.h: top-k lists and the ranking metrics of rs-eval --rank. */
#ifndef RS_RANK_H
#define RS_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "scorer.h"

/* Each user's items among the records of one split, as CSR: user u's items
 * are items[off[u] .. off[u+1]), sorted. */
typedef struct rs_user_items {
	size_t *off;         /* (nusers + 1) */
	uint32_t *items;
} rs_user_items;

void rs_user_items_build(rs_user_items *ui, const rs_dataset *d, int split);
void rs_user_items_free(rs_user_items *ui);

/* The k best of score[0..n) whose skip[i] is not equal to stamp, best
 * first, ties to the lower index; returns how many (fewer when not enough
 * candidates). */
int rs_topk(const float *score, uint32_t n, const uint32_t *skip, uint32_t stamp, int k,
	    uint32_t *top);

/* Ranking metrics, averaged over users (full ranking) or over test records
 * (sampled negatives). */
typedef struct rs_rank_metrics {
	double hr, ndcg, recall, mrr;
	size_t n;            /* users or test records averaged over */
} rs_rank_metrics;

/* Full ranking: each user with test items ranks them among every item not
 * rated in train; HR@k (a test item in the top k), recall@k, NDCG@k (ideal:
 * the test items first) and MRR (the best-ranked test item). */
void rs_rank_full(rs_scorer *s, const rs_user_items *train, const rs_user_items *test, int k,
		  rs_rank_metrics *out);
/* The sampled protocol of NCF and the d2l book: each test item against
 * `negatives` items the user never rated, drawn with the seed. */
void rs_rank_sampled(rs_scorer *s, const rs_user_items *train, const rs_user_items *test, int k,
		     int negatives, uint64_t seed, rs_rank_metrics *out);

#endif
