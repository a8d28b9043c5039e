/* parallel.c: rs_parallel_steps and rs_parallel_for on POSIX threads. */
#include "parallel.h"
#include "cli.h"
#include "mem.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

enum { MAX_THREADS = 256 };

typedef struct steps_job {
	unsigned csr;            /* the caller's float control (flush-to-zero) */
	size_t nsteps, chunk;
	const size_t *n;         /* (nsteps) each step's indices */
	atomic_size_t *next;     /* (nsteps) each step's next index */
	pthread_barrier_t gate;
	rs_step_body body;
	void *ctx;
} steps_job;

typedef struct steps_worker {
	steps_job *j;
	int t;
} steps_worker;

static void run_steps(steps_job *j, int t)
{
	for (size_t s = 0; s < j->nsteps; s++) {
		for (;;) {
			size_t lo = atomic_fetch_add(&j->next[s], j->chunk), n = j->n[s];
			if (lo >= n)
				break;
			size_t hi = n - lo < j->chunk ? n : lo + j->chunk;
			j->body(j->ctx, s, lo, hi, t);
		}
		if (j->nsteps > 1)   /* a step ends when all its indices have run */
			pthread_barrier_wait(&j->gate);
	}
}

static void *start_steps(void *arg)
{
	steps_worker *w = arg;
#ifdef __SSE__
	/* the caller's rounding of denormals (compute.h): a row must come out
	 * the same on whichever thread solves it */
	_mm_setcsr(w->j->csr);
#endif
	run_steps(w->j, w->t);
	return NULL;
}

void rs_parallel_stepsv(size_t nsteps, const size_t *n, size_t chunk, int threads, rs_step_body body,
			void *ctx)
{
	chunk = chunk ? chunk : 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	size_t most = 0;
	for (size_t s = 0; s < nsteps; s++)
		most = n[s] > most ? n[s] : most;
	if (threads <= 1 || most <= chunk) {
		for (size_t s = 0; s < nsteps; s++)
			body(ctx, s, 0, n[s], 0);
		return;
	}
	steps_job j = {0, nsteps, chunk, n, NULL, {{0}}, body, ctx};
#ifdef __SSE__
	j.csr = _mm_getcsr();
#endif
	j.next = rs_calloc(nsteps + 1, sizeof *j.next);
	if (nsteps > 1)
		pthread_barrier_init(&j.gate, NULL, (unsigned)threads);
	pthread_t tid[MAX_THREADS];
	steps_worker w[MAX_THREADS];
	for (int t = 1; t < threads; t++) {
		w[t] = (steps_worker){&j, t};
		int e = pthread_create(&tid[t], NULL, start_steps, &w[t]);
		if (e)
			rs_die("cannot start a thread: %s", strerror(e));
	}
	run_steps(&j, 0);   /* the calling thread is worker 0 */
	for (int t = 1; t < threads; t++)
		pthread_join(tid[t], NULL);
	if (nsteps > 1)
		pthread_barrier_destroy(&j.gate);
	free(j.next);
}

void rs_parallel_steps(size_t nsteps, size_t n, size_t chunk, int threads, rs_step_body body,
		       void *ctx)
{
	size_t *each = rs_malloc((nsteps + 1) * sizeof *each);
	for (size_t s = 0; s < nsteps; s++)
		each[s] = n;
	rs_parallel_stepsv(nsteps, each, chunk, threads, body, ctx);
	free(each);
}

/* rs_parallel_for is the one-step case */
typedef struct one_step {
	rs_body body;
	void *ctx;
} one_step;

static void step_of_for(void *ctx, size_t step, size_t lo, size_t hi, int t)
{
	(void)step;
	one_step *o = ctx;
	o->body(o->ctx, lo, hi, t);
}

void rs_parallel_for(size_t n, size_t chunk, int threads, rs_body body, void *ctx)
{
	one_step o = {body, ctx};
	rs_parallel_steps(1, n, chunk, threads, step_of_for, &o);
}

int rs_ncores(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	return 1;
}
