/* params.c: the parameter block and initializers. */
#include "params.h"
#include "gemm.h"
#include "cli.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rs_params_add(rs_params *p, const char *name, uint32_t rows, uint32_t cols, int sparse)
{
	if (p->n == RS_MAX_TENSORS)
		rs_die("too many tensors");
	rs_tensor *t = &p->t[p->n];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	t->off = p->size;
	t->rows = rows;
	t->cols = cols;
	t->sparse = sparse;
	p->size += (size_t)rows * cols;
	return p->n++;
}

void rs_params_alloc(rs_params *p)
{
	p->w = rs_calloc_huge(p->size + RS_GEMM_SLACK, sizeof *p->w);   /* weights serve as Bm */
}

void rs_params_alloc_training(rs_params *p)
{
	if (p->g)
		return;
	p->g = rs_calloc(p->size, sizeof *p->g);
	p->m = rs_calloc(p->size, sizeof *p->m);
	p->v = rs_calloc(p->size, sizeof *p->v);
	for (int i = 0; i < p->n; i++) {
		rs_tensor *t = &p->t[i];
		if (t->sparse) {
			t->touched = rs_calloc(t->rows, sizeof *t->touched);
			t->stamp = rs_calloc(t->rows, sizeof *t->stamp);
		}
	}
}

void rs_params_reset_training(rs_params *p)
{
	if (!p->g)
		return;
	memset(p->g, 0, p->size * sizeof *p->g);
	memset(p->m, 0, p->size * sizeof *p->m);
	memset(p->v, 0, p->size * sizeof *p->v);
	p->step = 0;
	for (int i = 0; i < p->n; i++) {
		rs_tensor *t = &p->t[i];
		t->ntouched = 0;
		if (t->stamp)
			memset(t->stamp, 0, t->rows * sizeof *t->stamp);
	}
}

void rs_params_free(rs_params *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->t[i].touched);
		free(p->t[i].stamp);
	}
	free(p->w);
	free(p->g);
	free(p->m);
	free(p->v);
	memset(p, 0, sizeof *p);
}

void rs_init_normal(float *w, size_t n, double std, rs_rng *rng)
{
	for (size_t i = 0; i < n; i++)
		w[i] = (float)(std * rs_rng_normal(rng));
}

void rs_init_xavier_uniform(float *w, size_t n, int fan_in, int fan_out, rs_rng *rng)
{
	double a = sqrt(6.0 / (fan_in + fan_out));
	for (size_t i = 0; i < n; i++)
		w[i] = (float)(a * (2.0 * rs_rng_uniform(rng) - 1.0));
}

void rs_init_xavier_normal(float *w, size_t n, int fan_in, int fan_out, rs_rng *rng)
{
	rs_init_normal(w, n, sqrt(2.0 / (fan_in + fan_out)), rng);
}
