/* bpr.h: the shared loop's ranking losses (--loss bpr, softmax,
 * sampled-softmax; the last two in ctxtrain.h, as BPR is for a model whose
 * score splits). Each train record is a positive; under BPR each is paired
 * with --negatives items its user did not rate in the train records left
 * after the validation carve-out, drawn uniformly or by popularity, and the
 * model learns to score the positive above them (nn.h's bpr_forward). A
 * validation item is drawn as a negative
 * like a test item: were it spared, validation would see an item the
 * training had been told apart from the rest, and judge it too kindly.
 *
 * Epochs are judged by ranking: HR@10 and NDCG@10 of the validation
 * records (each ranked among the items its user did not rate in train)
 * pick the epoch kept; the test records are ranked the same way for the
 * log; each over at most RS_EVAL_USERS users (useritems.h).
 *
 * For DeepFM, whose MLP reads the whole record, a negative is its
 * positive's record with the item's fields swapped: the user's fields and
 * context (side fields, history) stay, the item's are read back from the
 * stream's records (onehot.h), so ml-onehot's streams train as they are.
 * A history field's context in the rankings is each user's items of the
 * records ranked against (history.h). */
#ifndef RS_BPR_H
#define RS_BPR_H

#include "ctxtrain.h"
#include "history.h"
#include "model.h"
#include "onehot.h"
#include "rank.h"
#include "rank_metrics.h"
#include "scorer.h"

typedef struct rs_bpr {
	rs_user_items train;     /* each user's train items: never a negative */
	rs_user_items rated;     /* train and validation items: not ranked at test */
	rs_user_items valid, test;          /* each user's items of one split */
	rs_side side;            /* the stream's side features, for negatives */
	rs_onehot oh;
	rs_history hist_valid, hist_test;   /* the rankings' contexts */
	rs_scorer scorer;        /* the model's, for the per-epoch ranking */
	rs_ranker ranker;
	rs_negs negs;            /* the negatives' sampler */
	rs_ctxtrain ct;          /* the steps of a model whose score splits (ctxtrain.h) */
	rs_dataset pairs;        /* the batch: B positives, then their B*K negatives */
	size_t cap;              /* records pairs can hold */
	uint32_t nitems;
	uint32_t *iota;          /* (cap) 0, 1, 2, ... */
	uint32_t *ix;            /* (oh.max_active) a negative item's features */
	float *iv;
} rs_bpr;

/* Check the stream and build the samplers' tables; dies naming what is
 * missing (a stream with 'x', a user with no item left to draw). */
void rs_bpr_init(rs_bpr *b, rs_model *m, const rs_dataset *d);
void rs_bpr_free(rs_bpr *b);
/* A thread's copy of src for the steps of m (a worker's model, workers.h):
 * its own batch, sampler marks and step buffers, src's tables; it ranks
 * nothing (rs_bpr_evaluate is src's). Free with rs_bpr_clone_free, before
 * src. */
void rs_bpr_clone(rs_bpr *dst, const rs_bpr *src, rs_model *m);
void rs_bpr_clone_free(rs_bpr *dst);
/* One step on the positives idx[0..B): forward, loss, backward. Returns
 * the batch's loss; out and dout hold B * (1 + negatives) floats. */
double rs_bpr_step(rs_bpr *b, rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		   rs_rng *sample, rs_rng *drop, float *out, float *dout);
/* HR@10 and NDCG@10 of the validation and test records, averaged over
 * users. */
void rs_bpr_evaluate(rs_bpr *b, rs_rank_metrics *valid, rs_rank_metrics *test);

#endif
