/* parallel.c: rs_parallel_steps and rs_parallel_for on POSIX threads. */
#include "parallel.h"
#include "cli.h"
#include "mem.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
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

static void set_float_control(const steps_job *j)
{
#ifdef __SSE__
	/* the caller's rounding of denormals (compute.h): a row must come out
	 * the same on whichever thread solves it */
	_mm_setcsr(j->csr);
#else
	(void)j;
#endif
}

/* Threads that live from the first parallel call to the process's end: a
 * sequence model's step makes about a hundred parallel calls, and starting
 * threads for each cost more than the work of the shorter ones. Worker t
 * (1 <= t < MAX_THREADS) runs each job that wants more than t threads. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	int started;             /* workers 1..started are running */
	pthread_t tid[MAX_THREADS];
	int quit;
	unsigned long gen;       /* the jobs handed out so far */
	steps_job *job;
	int want, busy;          /* the job's threads; its workers still running */
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

/* set on the pool's workers: a parallel call from inside a body starts
 * threads of its own, as the pool's are busy with the outer job */
static __thread int on_worker;

static void *pool_worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	on_worker = 1;
	unsigned long seen = 0;
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (pool.gen == seen && !pool.quit)
			pthread_cond_wait(&pool.go, &pool.mu);
		if (pool.quit)
			break;
		seen = pool.gen;
		if (t >= pool.want)
			continue;
		steps_job *j = pool.job;
		pthread_mutex_unlock(&pool.mu);
		set_float_control(j);
		run_steps(j, t);
		pthread_mutex_lock(&pool.mu);
		if (--pool.busy == 0)
			pthread_cond_signal(&pool.done);
	}
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

static void *start_steps(void *arg)
{
	steps_worker *w = arg;
	on_worker = 1;
	set_float_control(w->j);
	run_steps(w->j, w->t);
	return NULL;
}

/* At exit the idle workers end and are joined, so that their thread
 * records are freed (valgrind counts a live thread's as possibly lost). An
 * exit in the middle of a job (an error a body reported) leaves them. */
static void pool_end(void)
{
	pthread_mutex_lock(&pool.mu);
	int idle = !pool.busy && !on_worker;
	pool.quit = idle;
	pthread_cond_broadcast(&pool.go);
	pthread_mutex_unlock(&pool.mu);
	for (int t = 1; idle && t <= pool.started; t++)
		pthread_join(pool.tid[t], NULL);
}

/* j on the pool's workers 1..threads-1 and the caller */
static void run_on_pool(steps_job *j, int threads)
{
	pthread_mutex_lock(&pool.mu);
	if (!pool.started)
		atexit(pool_end);
	for (; pool.started < threads - 1; pool.started++) {
		int t = pool.started + 1;
		int e = pthread_create(&pool.tid[t], NULL, pool_worker, (void *)(intptr_t)t);
		if (e) {
			pthread_mutex_unlock(&pool.mu);   /* pool_end takes it at exit */
			rs_die("cannot start a thread: %s", strerror(e));
		}
	}
	pool.job = j, pool.want = threads, pool.busy = threads - 1;
	pool.gen++;
	pthread_cond_broadcast(&pool.go);
	pthread_mutex_unlock(&pool.mu);
	/* the calling thread is worker 0: a parallel call from its bodies must
	 * start threads of its own, as the pool's are busy */
	on_worker = 1;
	run_steps(j, 0);
	on_worker = 0;
	pthread_mutex_lock(&pool.mu);
	while (pool.busy)
		pthread_cond_wait(&pool.done, &pool.mu);
	pthread_mutex_unlock(&pool.mu);
}

/* j on threads started for it (a call from inside a body) */
static void run_on_own(steps_job *j, int threads)
{
	pthread_t tid[MAX_THREADS];
	steps_worker w[MAX_THREADS];
	for (int t = 1; t < threads; t++) {
		w[t] = (steps_worker){j, t};
		int e = pthread_create(&tid[t], NULL, start_steps, &w[t]);
		if (e)
			rs_die("cannot start a thread: %s", strerror(e));
	}
	run_steps(j, 0);
	for (int t = 1; t < threads; t++)
		pthread_join(tid[t], NULL);
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
	if (on_worker)
		run_on_own(&j, threads);
	else
		run_on_pool(&j, threads);
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
