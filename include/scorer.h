/* scorer.h: the score of any (user, item) pair under a model, features
 * built the way ml-onehot builds them, pairs scored in batches (for MF a
 * user's whole row of items is one pass of dot products). */
#ifndef RS_SCORER_H
#define RS_SCORER_H

#include "ctxscore.h"
#include "dataset.h"
#include "history.h"
#include "idmap.h"
#include "model.h"
#include "onehot.h"

typedef struct rs_scorer {
	rs_model *m;
	rs_side side;
	rs_onehot oh;
	rs_dataset d;        /* the pairs added since the last clear */
	uint32_t *idx;       /* (cap) 0, 1, 2, ... */
	float *out;          /* (cap) scores */
	size_t cap;
	rs_idmap users, items;   /* the model's raw ids */
	const rs_history *hist;  /* each user's previous items, for a history field */
	rs_history own;          /* the history rs_scorer_history built */
	uint32_t *x;             /* (2 oh.max_active) a pair's features, and scratch */
	float *xv;
	rs_ctx ctx;              /* a model whose score splits: its item table */
	float *row;              /* (nitems + k) a user's row of scores, then a context */
	int shared;              /* a clone: ctx is its source's */
	rs_side guests;          /* every user of the users file: new users' side fields */
	rs_idmap guest_ids;      /* their raw ids */
	int fit;                 /* fold new users in by fitting their row (foldin.h) */
	int featfiles;           /* its feature-file fields came from the files (rs_scorer_features) */
	float *gram;             /* (k, k) ALS's Q'Q of the item table, for the fit: made
				    at the first after a refresh (NULL: not yet) */
} rs_scorer;

/* Which side files scoring with m needs (RS_NEED_USERS, RS_NEED_ITEMS):
 * those its fields are built from, none for a model of the ids alone. */
int rs_scorer_side_needed(const rs_model *m);
/* Side files are needed only when the model's fields use them. */
void rs_scorer_init(rs_scorer *s, rs_model *m, const char *users_path, const char *items_path);
/* The same with the side features read back from the records of a stream
 * that has the model's fields (d's dense ids are the model's). */
void rs_scorer_init_data(rs_scorer *s, rs_model *m, const rs_dataset *d);
/* For a model with a history field: each user's context is their last
 * items among d's records of these splits (RS_SPLITS), as ml-onehot
 * --history gives a seq-aware split's test records. Nothing for other
 * models. */
void rs_scorer_history(rs_scorer *s, const rs_dataset *d, unsigned splits);
/* The same with sequences h the caller keeps (NULL: none). */
void rs_scorer_use_history(rs_scorer *s, const rs_history *h);
/* What the stream d gives a model's fields: for feedback fields
 * (ml-onehot --implicit) each user's train items and each item's train
 * users among d's train records, and for generic feature fields each id's
 * features as d's records carry them, as ml-onehot built them. Without it
 * such a model is refused (rs_scorer_check). */
void rs_scorer_stream(rs_scorer *s, const rs_dataset *d);
/* A model's feature-file fields (ml-onehot --user-features, --item-features)
 * from the files it was trained with (NULL: not given), so that pairs score
 * without a stream. */
void rs_scorer_features(rs_scorer *s, const char *user_features, const char *item_features);
/* Die, naming src, when the model has fields that only a stream gives and
 * none did (scoring pairs). */
void rs_scorer_check(const rs_scorer *s, const char *src);
/* For a model with user side fields (age, gender, occupation, zip): every
 * user of users_path, so that a new user it names is folded in with their
 * side features (foldin.h). Nothing for other models or a NULL path. */
void rs_scorer_guests(rs_scorer *s, const char *users_path);
/* A raw user id's row among those users, or RS_NONE. */
uint32_t rs_scorer_guest(const rs_scorer *s, const char *id);
void rs_scorer_free(rs_scorer *s);
/* A scorer for another thread: src's tables shared (read-only), its own
 * batch, over m (a copy of src's model with scratch of its own). Freed
 * with rs_scorer_clone_free, before src. */
void rs_scorer_clone(rs_scorer *dst, const rs_scorer *src, rs_model *m);
void rs_scorer_clone_free(rs_scorer *s);
void rs_scorer_clear(rs_scorer *s);
/* Add a pair of dense ids; RS_NONE leaves that side's features out, so the
 * score falls back to what the model knows of the other side. */
void rs_scorer_add(rs_scorer *s, uint32_t user, uint32_t item);
/* The same at a day of the pair's own (rs_day_of its ts, RS_NO_DAY: none,
 * its time fields left out), where rs_scorer_add takes the stream's last
 * (onehot.h). */
void rs_scorer_add_at(rs_scorer *s, uint32_t user, uint32_t item, int64_t day);
/* Scores of the pairs added, in order: ratings (clipped to the train range)
 * or click probabilities. */
const float *rs_scorer_run(rs_scorer *s);
/* The item table of a model whose score splits (ctxscore.h) from its
 * parameters now: rs_rank_full and rs_rank_topk call it before their rows. */
void rs_scorer_refresh(rs_scorer *s);
/* The cosine of item i's vector with every item's (ctxscore.h) in the
 * item table as of the last rs_scorer_refresh (made now if never made),
 * valid until the next call; dies naming the model's kind when its score does
 * not split into item vectors (DeepFM, fm-mcmc). */
const float *rs_scorer_similar(rs_scorer *s, uint32_t i);
/* Clear, then score user u against every item of the model, by dense id:
 * for a model whose score splits, u's context once against the item table
 * (as of the last rs_scorer_refresh). */
const float *rs_scorer_user_row(rs_scorer *s, uint32_t u);

#endif
