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
/* The cores this process may run on (at least 1). */
int rs_ncores(void);

#endif
