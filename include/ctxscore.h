/* ctxscore.h: context-once scoring. A record of the FM family splits into
 * its candidate's features (the item field and the item's side fields)
 * and its context (everything else: the user, their side fields, their
 * history), and its score into their parts (model.h's part):
 *     score = c + b_i + s . S_i
 * The context's bias c and vector s are computed once; each candidate
 * item i costs its own part, or one row of a precomputed item table, and
 * one k-dimensional dot. So ranking every item for a user is one product
 * of the item table with s, and a training step scores a positive's
 * candidates without recomputing its context for each. MF is the case of
 * one feature a side: the user's row and the item's. */
#ifndef RS_CTXSCORE_H
#define RS_CTXSCORE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"
#include "onehot.h"

typedef struct rs_ctx {
	rs_model *m;
	const rs_onehot *oh;     /* the fields (NULL for MF: ids alone) */
	uint8_t of_item[RS_MAX_FIELDS], of_context[RS_MAX_FIELDS];   /* oh's fields by side */
	uint32_t nitems;
	int k;
	size_t *ioff;            /* (nitems + 1) item i's candidate features are */
	uint32_t *ix;            /* ix[ioff[i] .. ioff[i+1]) at values iv (NULL: 1) */
	float *iv;
	size_t most;             /* the most candidate features an item has */
	uint8_t *plain;          /* (nitems) item i is one feature at value 1: its
				    part is a row of the model (model.h's row) */
	/* the item table, from the parameters as they were at rs_ctx_refresh */
	float *b;                /* (nitems) */
	float *S;                /* (nitems, k), RS_GEMM_SLACK readable after */
} rs_ctx;

/* Whether m's score splits (its kind has part functions). */
int rs_ctx_applies(const rs_model *m);
/* The candidate features of every item, from the layout oh (NULL when m
 * reads ids alone); nothing is scored until rs_ctx_refresh. */
void rs_ctx_init(rs_ctx *c, rs_model *m, const rs_onehot *oh);
void rs_ctx_free(rs_ctx *c);
/* The item table from the current parameters. */
void rs_ctx_refresh(rs_ctx *c);
/* Item i's candidate features; returns how many. */
static inline int rs_ctx_item(const rs_ctx *c, uint32_t i, const uint32_t **x, const float **xv)
{
	*x = c->ix + c->ioff[i];
	*xv = c->iv ? c->iv + c->ioff[i] : NULL;
	return (int)(c->ioff[i + 1] - c->ioff[i]);
}
/* The context features among a pair's x[0..n) (sorted, as a record's are),
 * into cx, cv (n entries are enough); returns how many. For MF, the user
 * id. */
int rs_ctx_context(const rs_ctx *c, uint32_t user, const uint32_t *x, const float *xv, int n,
		   uint32_t *cx, float *cv);
/* Record r's context features (its own, without its item's). */
static inline int rs_ctx_record(const rs_ctx *c, const rs_dataset *d, size_t r, uint32_t *cx,
				float *cv)
{
	return rs_ctx_context(c, d->user[r], d->x ? d->x + d->xoff[r] : NULL,
			      d->xv ? d->xv + d->xoff[r] : NULL,
			      d->x ? (int)(d->xoff[r + 1] - d->xoff[r]) : 0, cx, cv);
}
/* A context's part: its bias and k-vector s. */
void rs_ctx_forward(const rs_ctx *c, const uint32_t *cx, const float *cv, int n, float *bias,
		    float *s);
/* out[i] = s . S_i + bias + b_i + mu for every item: the scores of a
 * context (raw: rs_model_output makes them predictions). */
void rs_ctx_row(const rs_ctx *c, float bias, const float *s, float *out);
/* out[j] = the cosine of item i's and item j's vectors S (0 where either
 * is zero): the items most like i, by what the model learnt of them. */
void rs_ctx_cosine(const rs_ctx *c, uint32_t i, float *out);

#endif
