/* foldin.h: a user the model never saw, from the items they name (in
 * order, oldest first): the context to score every item against
 * (ctxscore.h).
 *   - a model with fields of previous items (history, last, long): the
 *     named items are the user's previous items, the user's own fields
 *     (id, side features, implicit) left empty;
 *   - a model of ids (ALS, MF, BPR-MF, FM of ids): the user's vector is
 *     the mean of the named items' vectors, with no parameter to choose:
 *     on ML-100K users held out of training it hit more of their other
 *     items than ALS's exact solve of the row or 20 Adam steps for MF did
 *     (docs/tuning.md, which also gives a log where ALS's solve did better).
 * The bias is the context's without a user (it shifts every item alike). */
#ifndef RS_FOLDIN_H
#define RS_FOLDIN_H

#include "scorer.h"

/* Into bias and vec (k floats), against the scorer's item table as of its
 * last rs_scorer_refresh (made now if never made). Dies
 * naming the kind when the model has no item table (DeepFM, fm-mcmc). */
void rs_foldin(rs_scorer *s, const uint32_t *items, int n, float *bias, float *vec);
/* The new user's scores of every item, into row (nitems), as the model
 * outputs them (ratings clipped, click probabilities); vec is scratch of k. */
void rs_foldin_row(rs_scorer *s, const uint32_t *items, int n, float *vec, float *row);

#endif
