/* workers.c: threads training one model, shared or in lanes (workers.h). */
#include "workers.h"
#include "mem.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

void rs_workers_init(rs_workers *w, rs_model *m, int T, int mode, int B)
{
	memset(w, 0, sizeof *w);
	w->m = m, w->T = T > 1 ? T : 1, w->mode = mode;
	rs_params_alloc_training(&m->p);
	rs_model_reserve(m, B);
	w->copy = rs_calloc((size_t)w->T, sizeof *w->copy);
	for (int t = 1; t < w->T; t++) {
		rs_model *c = &w->copy[t];
		*c = *m;
		c->scratch = NULL, c->scratch_B = 0, c->log = NULL, c->nlog = 0;
		rs_params *p = &c->p;
		p->step = 0;
		p->g = rs_calloc(p->size, sizeof *p->g);
		if (mode == RS_WORKERS_LANES) {
			p->w = rs_malloc(p->size * sizeof *p->w);
			memcpy(p->w, m->p.w, p->size * sizeof *p->w);
			p->m = rs_calloc(p->size, sizeof *p->m);
			p->v = rs_calloc(p->size, sizeof *p->v);
		}
		for (int k = 0; k < p->n; k++) {
			rs_tensor *x = &p->t[k];
			x->ntouched = 0;
			x->touched = x->stamp = NULL;
			if (x->sparse) {
				x->touched = rs_calloc(x->rows, sizeof *x->touched);
				x->stamp = rs_calloc(x->rows, sizeof *x->stamp);
			}
		}
		rs_model_reserve(c, B);
	}
}

void rs_workers_free(rs_workers *w)
{
	for (int t = 1; t < w->T; t++) {
		rs_model *c = &w->copy[t];
		rs_params *p = &c->p;
		for (int k = 0; k < p->n; k++)
			free(p->t[k].touched), free(p->t[k].stamp);
		free(p->g);
		if (w->mode == RS_WORKERS_LANES)
			free(p->w), free(p->m), free(p->v);
		free(c->scratch);
	}
	free(w->copy);
	memset(w, 0, sizeof *w);
}

void rs_workers_begin(rs_workers *w)
{
	if (w->mode != RS_WORKERS_LANES)
		return;
	for (int t = 1; t < w->T; t++)
		memcpy(w->copy[t].p.w, w->m->p.w, w->m->p.size * sizeof *w->m->p.w);
}

typedef struct job {
	void (*body)(void *ctx, int t);
	void *ctx;
} job;

static void run_one(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	job *j = ctx;
	for (size_t i = lo; i < hi; i++)
		j->body(j->ctx, (int)i);
}

void rs_workers_run(const rs_workers *w, void (*body)(void *ctx, int t), void *ctx)
{
	if (w->T == 1) {
		body(ctx, 0);
		return;
	}
	job j = {body, ctx};
	rs_parallel_for((size_t)w->T, 1, w->T, run_one, &j);
}

void rs_workers_end(rs_workers *w)
{
	if (w->mode != RS_WORKERS_LANES || w->T == 1)
		return;
	float *x = w->m->p.w;
	for (size_t i = 0; i < w->m->p.size; i++) {   /* in worker order: the same bits each run */
		float sum = x[i];
		for (int t = 1; t < w->T; t++)
			sum += w->copy[t].p.w[i];
		x[i] = sum / (float)w->T;
	}
}
