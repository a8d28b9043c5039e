/* foldin.h: a user the model never saw, from the items they name (in
 * order, oldest first): the context to score every item against
 * (ctxscore.h).
 *   - a model with fields of previous items (history, last, long): the
 *     named items are the user's previous items, the user's own fields
 *     (id, side features, implicit) left empty;
 *   - ALS: the user's row solved exactly against the item factors, each
 *     named item observed at confidence 1 + alpha (Hu et al.'s solve, as
 *     implicit's recalculate_user);
 *   - MF and FM of ids: the user's vector fitted from zero by
 *     RS_FOLDIN_STEPS Adam steps (lr RS_FOLDIN_LR) on the softmax
 *     cross-entropy of the named items among every item, the model's --l2
 *     as Adam's weight decay (optim.h): deterministic, no seed needed.
 * The bias is the context's without a user (it shifts every item alike). */
#ifndef RS_FOLDIN_H
#define RS_FOLDIN_H

#include "scorer.h"

#define RS_FOLDIN_STEPS 20
#define RS_FOLDIN_LR 0.05f

/* Into bias and vec (k floats), the scorer's item table refreshed. Dies
 * naming the kind when the model has no item table (DeepFM, fm-mcmc). */
void rs_foldin(rs_scorer *s, const uint32_t *items, int n, float *bias, float *vec);

#endif
