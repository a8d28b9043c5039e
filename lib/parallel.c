/* parallel.c: rs_parallel_for on POSIX threads. */
#include "parallel.h"
#include "cli.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

typedef struct job {
	unsigned csr;            /* the caller's float control (flush-to-zero) */
	size_t n, chunk;
	atomic_size_t next;
	rs_body body;
	void *ctx;
} job;

typedef struct worker {
	job *j;
	int t;
} worker;

static void run(job *j, int t)
{
	for (;;) {
		size_t lo = atomic_fetch_add(&j->next, j->chunk);
		if (lo >= j->n)
			return;
		size_t hi = j->n - lo < j->chunk ? j->n : lo + j->chunk;
		j->body(j->ctx, lo, hi, t);
	}
}

static void *start(void *arg)
{
	worker *w = arg;
#ifdef __SSE__
	/* the caller's rounding of denormals (compute.h): a row must come out
	 * the same on whichever thread solves it */
	_mm_setcsr(w->j->csr);
#endif
	run(w->j, w->t);
	return NULL;
}

enum { MAX_THREADS = 256 };

void rs_parallel_for(size_t n, size_t chunk, int threads, rs_body body, void *ctx)
{
	job j = {0, n, chunk ? chunk : 1, 0, body, ctx};
#ifdef __SSE__
	j.csr = _mm_getcsr();
#endif
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads <= 1 || n <= j.chunk) {
		run(&j, 0);
		return;
	}
	pthread_t tid[MAX_THREADS];
	worker w[MAX_THREADS];
	for (int t = 1; t < threads; t++) {
		w[t] = (worker){&j, t};
		int e = pthread_create(&tid[t], NULL, start, &w[t]);
		if (e)
			rs_die("cannot start a thread: %s", strerror(e));
	}
	run(&j, 0);   /* the calling thread is worker 0 */
	for (int t = 1; t < threads; t++)
		pthread_join(tid[t], NULL);
}

int rs_ncores(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	return 1;
}
