/* ctxtrain.h: a ranking loss's step by context-once scoring (ctxscore.h).
 * Each positive's context (bias and vector) is computed once and its
 * gradient accumulated once; candidates cost their own part and a dot:
 *   - bpr: each positive against --negatives items its user did not have in
 *     train (a draw checks a mark set once per positive: no search);
 *   - softmax: cross-entropy of the positive among every item's logit, the
 *     logits of the batch one product of its contexts with the item table;
 *   - sampled-softmax: the positive among --negatives items drawn once for
 *     the batch from the sampler q (uniform, or by popularity), each
 *     negative's logit corrected by -log(N q_i), the log of i's expected
 *     count among the N draws: then the sum of the negatives' e^logit is an
 *     unbiased estimate of the full softmax's denominator less the
 *     positive's, and the loss tends to the full softmax's as N grows; a
 *     draw that is the row's positive is left out of that row.
 * L2: a context's features get --l2 / B per positive, as a record's do
 * under the pointwise loss; BPR's candidates l2 / (B (1+K)) each, as a
 * whole negative record's features did; under the softmaxes an item's
 * features get l2 / B per time it is a positive. */
#ifndef RS_CTXTRAIN_H
#define RS_CTXTRAIN_H

#include "ctxscore.h"
#include "negatives.h"
#include "optim.h"
#include "rng.h"

typedef struct rs_ctxtrain {
	rs_ctx ctx;
	rs_model *m;
	rs_negs *negs;
	uint32_t nitems;
	int B, ncand;                 /* the capacities allocated */
	size_t nlogit;
	size_t most;                  /* the most context features a record has */
	uint32_t *cx;                 /* (B, most) each positive's context */
	float *cv;
	int *cn;
	float *cb, *cs, *dcb, *dcs;   /* (B), (B, k): contexts' parts and gradients */
	uint32_t *cand;               /* candidates */
	const float **jrow;           /* (n) each candidate's vector: its row or in jS */
	float *jb, *jS, *jT, *djb, *djS;   /* their parts (n, k), transposed (k, n) */
	float *logit;                 /* (nlogit) a step's logits: (B, columns) */
	uint32_t *target, *user;      /* (B) the positives' items and users */
	uint32_t *zeros;              /* (B) column 0: the sampled softmax's targets */
	float *posc;                  /* (nitems) times an item is a positive in the batch */
	const rs_optim *fused;        /* rs_ctxtrain_fuse's optimizer, else NULL */
	int item_t, ctx_t;            /* the tensors of the plain candidates' and contexts' rows */
	float *fg;                    /* (max(1 + K, most), k + 1) a positive's candidates' or
					 context's rows' gradients */
	uint32_t *frow;               /* (1 + K) their rows */
} rs_ctxtrain;

/* For model m (rs_ctx_applies) over layout oh (NULL for MF), drawing
 * from negs; most is the most features a record has. */
void rs_ctxtrain_init(rs_ctxtrain *t, rs_model *m, const rs_onehot *oh, size_t most, rs_negs *negs);
void rs_ctxtrain_free(rs_ctxtrain *t);
/* BPR under AdaGrad (o, RS_ADAGRAD): each positive's context rows and
 * its candidates that are a row of the model (ctxscore.h's plain) step in
 * place with o as soon as their gradients are made, while the rows are in
 * cache, instead of through the gradient block and the optimizer's walk
 * (what is not a row, FM's w0, and the other candidates still go that
 * way: rs_optim_step after the batch). A row that one gradient of the
 * batch moves gets rs_optim_step's bits; one that several share steps
 * once for each. Returns whether it applies (else the steps are as
 * before). */
int rs_ctxtrain_fuse(rs_ctxtrain *t, const rs_optim *o);
/* One step of m->hp.loss on the positives idx[0..B) of d: forward, loss,
 * backward into m's gradients. Returns the batch's mean loss. */
double rs_ctxtrain_step(rs_ctxtrain *t, const rs_dataset *d, const uint32_t *idx, int B,
			rs_rng *sample);

#endif
