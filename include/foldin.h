/* foldin.h: a user the model never saw, from the items they name (in
 * order, oldest first): the context to score every item against
 * (ctxscore.h).
 *   - a model with fields of previous items (history, last, long): the
 *     named items are the user's previous items;
 *   - a model of ids (ALS, MF, BPR-MF, FM of ids), by the scorer's fit:
 *     mean (the default): the user's vector is the mean of the named
 *     items' vectors, no parameter to choose: on ML-100K users held out of
 *     training it hit more of their other items than the fits did
 *     (docs/tuning.md, which also gives a log where ALS's fit did better);
 *     fit: ALS solves the user's row exactly against the item factors,
 *     each named item observed at confidence 1 + alpha (Hu et al.'s solve,
 *     as implicit's recalculate_user); MF and FM fit it from zero by
 *     RS_FOLDIN_STEPS Adam steps (lr RS_FOLDIN_LR) on the softmax
 *     cross-entropy of the named items among every item, the model's --l2
 *     as weight decay: deterministic, no seed needed;
 *   - a model with user side fields (age, gender, occupation, zip), for a
 *     user of the users file (rs_scorer_guests): their side features too.
 * The user's other fields (id, implicit, feature files, time) are left
 * out. */
#ifndef RS_FOLDIN_H
#define RS_FOLDIN_H

#include "scorer.h"

#define RS_FOLDIN_STEPS 20
#define RS_FOLDIN_LR 0.05f

/* The values of the tools' --fold-in, in the order of rs_scorer's fit. */
extern const char *const rs_foldin_names[2];

/* Into bias and vec (k floats), against the scorer's item table as of its
 * last rs_scorer_refresh (made now if never made); guest is the user's
 * row of the scorer's guests (rs_scorer_guest), or RS_NONE. Dies naming
 * the kind when the model has no item table (DeepFM, fm-mcmc). */
void rs_foldin(rs_scorer *s, const uint32_t *items, int n, uint32_t guest, float *bias, float *vec);
/* The new user's scores of every item, into row (nitems), as the model
 * outputs them (ratings clipped, click probabilities); vec is scratch of k. */
void rs_foldin_row(rs_scorer *s, const uint32_t *items, int n, uint32_t guest, float *vec, float *row);

#endif
