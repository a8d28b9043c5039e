/* parallel.h: a parallel for over [0, n) on worker threads. Work is handed
 * out in chunks as threads come free, so rows of uneven cost (users with
 * many ratings) balance; each index is run exactly once, and a body that
 * writes only its own indices' results gives the same output for any
 * number of threads: the workers run with the caller's float control
 * (compute.h's flush-to-zero). */
#ifndef RS_PARALLEL_H
#define RS_PARALLEL_H

#include <stddef.h>

/* body(ctx, lo, hi, t) runs indices [lo, hi) on thread t (0 <= t < threads). */
typedef void (*rs_body)(void *ctx, size_t lo, size_t hi, int t);
void rs_parallel_for(size_t n, size_t chunk, int threads, rs_body body, void *ctx);
/* Steps 0..nsteps-1 in turn, each a parallel for over [0, n) as above,
 * on threads started once for all of them, a step beginning when the last
 * finished: body(ctx, step, lo, hi, t). For many short steps, where
 * threads started per step would not reach another core in time. */
typedef void (*rs_step_body)(void *ctx, size_t step, size_t lo, size_t hi, int t);
void rs_parallel_steps(size_t nsteps, size_t n, size_t chunk, int threads, rs_step_body body,
		       void *ctx);
/* The same with step s over [0, n[s]). */
void rs_parallel_stepsv(size_t nsteps, const size_t *n, size_t chunk, int threads, rs_step_body body,
			void *ctx);

/* The cores this process may run on (at least 1). */
int rs_ncores(void);

#endif
