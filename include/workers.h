/* workers.h: T threads training one model with the shared loop's steps
 * (--threads of the ranking losses, fit_ranking.c; any method that steps
 * rs_optim over m->p can take it). Worker 0 is the model itself; worker
 * t > 0 is a shallow copy of it (its ops, hyperparameters, layout) with
 * gradients, touch lists, step count and scratch of its own, and either
 *   - RS_WORKERS_SHARED (Hogwild-style, Recht et al. 2011): the model's
 *     own weights and optimizer moments, every worker stepping them in
 *     place with no lock. Rows two threads step at once lose one step's
 *     part, rarely on sparse tables; the model then depends on the
 *     scheduling, not only on the seed and T; or
 *   - RS_WORKERS_LANES: weights and moments of its own, set to the model's
 *     at rs_workers_begin and averaged into it, in worker order, at
 *     rs_workers_end: the same seed and T give the same bytes.
 * A method gives each worker its own random streams and scratch, runs
 * rs_workers_run, and reads each worker's results after the join (a
 * worker may not exit the process: it records what went wrong). */
#ifndef RS_WORKERS_H
#define RS_WORKERS_H

#include "model.h"

enum { RS_WORKERS_SHARED, RS_WORKERS_LANES };

typedef struct rs_workers {
	rs_model *m;
	int T, mode;
	rs_model *copy;          /* (T) copy[t] for t > 0 */
} rs_workers;

/* T workers over m (whose training memory is allocated here), each with
 * scratch for batches of B records. */
void rs_workers_init(rs_workers *w, rs_model *m, int T, int mode, int B);
void rs_workers_free(rs_workers *w);
/* Worker t's model: m itself for t = 0. */
static inline rs_model *rs_worker_model(const rs_workers *w, int t)
{
	return t ? &w->copy[t] : w->m;
}
/* Before an epoch: lanes take the model's weights. */
void rs_workers_begin(rs_workers *w);
/* body(ctx, t) on thread t for every t < T, returning when all have. */
void rs_workers_run(const rs_workers *w, void (*body)(void *ctx, int t), void *ctx);
/* After an epoch: the lanes' weights averaged into the model. */
void rs_workers_end(rs_workers *w);

#endif
