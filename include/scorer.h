/* scorer.h: the score of any (user, item) pair under a model, features
 * built the way ml-onehot builds them, pairs scored in batches (for MF a
 * user's whole row of items is one pass of dot products). */
#ifndef RS_SCORER_H
#define RS_SCORER_H

#include "dataset.h"
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
} rs_scorer;

/* Side files are needed only when the model's fields use them. */
void rs_scorer_init(rs_scorer *s, rs_model *m, const char *users_path, const char *items_path);
void rs_scorer_free(rs_scorer *s);
void rs_scorer_clear(rs_scorer *s);
/* Add a pair of dense ids; RS_NONE leaves that side's features out, so the
 * score falls back to what the model knows of the other side. */
void rs_scorer_add(rs_scorer *s, uint32_t user, uint32_t item);
/* Scores of the pairs added, in order: ratings (clipped to the train range)
 * or click probabilities. */
const float *rs_scorer_run(rs_scorer *s);
/* Clear, then score user u against every item of the model, by dense id. */
const float *rs_scorer_user_row(rs_scorer *s, uint32_t u);

#endif
