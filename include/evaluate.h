/* evaluate.h: what rs-eval does with a model and a stream, a mode each:
 * pointwise metrics, a rating model as a classifier, ranking metrics, and
 * the stream scored record by record. */
#ifndef RS_EVALUATE_H
#define RS_EVALUATE_H

#include <stdint.h>

#include "model.h"
#include "rank_metrics.h"
#include "stream.h"

/* RMSE and MAE (ratings) or AUC, logloss and accuracy (clicks) of the
 * records of one split (RS_SPLIT_*, or -1 for all), as a report; scored on
 * up to threads threads. */
void rs_eval_pointwise(rs_model *m, rs_reader *in, const char *mp, int split, int json, int threads);
/* A rating model's AUC and accuracy as a classifier of rating > t. */
void rs_eval_threshold(rs_model *m, rs_reader *in, const char *mp, int split, double t, int json);

typedef struct rs_rank_opts {
	int k[RS_RANK_MAX_AT];   /* the list lengths, each a block of metrics */
	int nk;
	int negatives;           /* 0: rank among every unrated item; else sampled */
	uint64_t seed;           /* of the sampled negatives */
	const char *users, *items;   /* side files, for a side-feature model */
	int json;
	int threads;
	int repeats;             /* every item a candidate, the user's train items too */
} rs_rank_opts;
/* Ranking metrics of m (NULL: the popularity baseline) over in's test
 * records: hr, ndcg, precision, recall and map at each k, mrr and the
 * users counted. */
void rs_eval_rank(rs_model *m, rs_reader *in, const char *mp, const rs_rank_opts *o);
/* in to stdout with a 'score' column, command added to its history. */
void rs_eval_predict(rs_model *m, rs_reader *in, const char *mp, const char *command);

#endif
