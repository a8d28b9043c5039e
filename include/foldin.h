/* foldin.h: a user the model never saw, from the items they name (in
 * order, oldest first): the context to score every item against
 * (ctxscore.h).
 *   - a model with fields of previous items (history, last, long): the
 *     named items are the user's previous items, the user's own fields
 *     (id, side features, implicit) left empty;
 *   - a model of ids (ALS, MF, BPR-MF, FM of ids): the user's vector is
 *     the mean of the named items' vectors, with no parameter to choose.
 *     Measured on ML-100K's users 1-100 held out of training, their first
 *     five items rated 4 or more named (tests/seq.bats): it hits more of
 *     their other items than ALS's exact solve of the row (Hu et al.'s, as
 *     implicit's recalculate_user) or 20 Adam steps on the softmax of the
 *     named items did, both of which fell below popularity.
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
