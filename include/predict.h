/* predict.h: rs-predict's scores of user-item pairs under a model, read as
 * text (pairs.h) and scored in batches, each printed with its ids and the
 * errors against the lines' ratings summed; or one pair a request
 * (--serve, request.h). An id the model never saw fails, is skipped or is
 * scored from the other side alone (--unknown); with --liked, each pair's
 * user is a new user who named those items (foldin.h). */
#ifndef RS_PREDICT_H
#define RS_PREDICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "model.h"
#include "pairs.h"
#include "request.h"
#include "scorer.h"

/* --unknown: what a pair with an id the model never saw does */
enum { RS_UNKNOWN_FAIL, RS_UNKNOWN_SKIP, RS_UNKNOWN_COLD };
extern const char *const rs_unknown_names[3];

typedef struct rs_predict_opts {
	const char *model_path;
	const char *users, *items;    /* side files, or NULL */
	const char *user_features, *item_features;   /* feature files, or NULL */
	const char *src;              /* the pairs' name in messages */
	int unknown;                  /* RS_UNKNOWN_* */
	int json;                     /* each pair a JSON object, as --serve answers */
	int fit;                      /* new users fitted, not the items' mean (foldin.h) */
	const char *liked;            /* --liked's comma-separated raw ids, or NULL */
	const char *stream;           /* --stream: users' previous items and what only a
					 stream gives, as rs-recommend reads it; or NULL */
} rs_predict_opts;

typedef struct rs_predictor {
	rs_predict_opts o;
	rs_scorer s;
	rs_pair *batch;      /* (RS_PREDICT_BATCH) the pairs of the batch as read */
	float *vec, *row;    /* (k), (nitems): a new user's context and scores */
	uint32_t *liked;     /* --liked's items, dense; NULL without it */
	int nliked;
	uint32_t row_of;     /* --liked: the guest row[] was made for, once row_made */
	int row_made;
	int rated;           /* the lines carry ratings (all or none do) */
	unsigned long skipped;   /* pairs with an unknown id, under --unknown skip */
	unsigned long n;     /* pairs scored */
	rs_dsv_skipped lines;    /* the input's lines that were not pairs (rs_pairs_read's) */
	double se, ae;       /* squared and absolute errors against the ratings */
	FILE *out;           /* where the pairs' scores go: stdout unless the tool says */
	rs_dataset data;     /* --stream's records (n 0 without it) */
	int no_history;      /* a model of previous items without --stream: a known
				user's pair has no history to be scored from */
} rs_predictor;

#define RS_PREDICT_BATCH 4096

/* m's scorer with the side files its fields need, and --liked's items;
 * dies naming an item the model lacks, or a model that cannot take new
 * users. */
void rs_predictor_open(rs_predictor *p, rs_model *m, const rs_predict_opts *o);
void rs_predictor_free(rs_predictor *p);

/* One pair read (an rs_pair_fn, ctx the predictor): scored in its batch,
 * printed 'user<TAB>item<TAB>score' on stdout (json: --serve's object); an unknown
 * id dies naming the line, or is skipped, or scored cold, as o.unknown
 * says. */
void rs_predict_pair(void *ctx, const rs_pair *q);
/* After the last pair: the last batch, then the summary on stderr (the
 * pairs skipped; n, and RMSE and MAE when the lines carry ratings and the
 * model predicts them; the lines in lines). */
void rs_predict_end(rs_predictor *p);

/* --serve: one pair, {"user": U, "item": I} (or bare ids), or a new user's
 * {"liked": [...], "item": I}, answered with the request's ids and
 * "score"; or 1 with the reason in err (an unknown id, unless cold) and
 * nothing printed. */
int rs_predict(rs_predictor *p, const rs_request *q, FILE *out, char *err, size_t len);

#endif
