/* optim.c: Adam (lazy and dense) and SGD over the parameter block. */
#include "optim.h"

#include <math.h>
#include <string.h>

void rs_optim_default(rs_optim *o, rs_optimizer kind, float lr, float weight_decay)
{
	*o = (rs_optim){kind, lr, weight_decay, 0.9f, 0.999f, 1e-8f};
}

int rs_optimizer_parse(const char *s)
{
	if (!strcmp(s, "adam")) return RS_ADAM;
	if (!strcmp(s, "adam-dense")) return RS_ADAM_DENSE;
	if (!strcmp(s, "sgd")) return RS_SGD;
	return -1;
}

/* n floats starting at w/g/m/v. Inlined into the loops over rows below:
 * the bias table's rows are one float, too short to pay for a call. */
static inline __attribute__((always_inline)) void adam_span(float *restrict w, float *restrict g, float *restrict m,
		      float *restrict v, size_t n, const rs_optim *o,
		      float lr_t, float bc2_sqrt_inv)
{
	float b1 = o->beta1, b2 = o->beta2, wd = o->weight_decay, eps = o->eps;
	for (size_t i = 0; i < n; i++) {
		float gi = g[i] + wd * w[i];
		m[i] = b1 * m[i] + (1.0f - b1) * gi;
		v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
		w[i] -= lr_t * m[i] / (sqrtf(v[i]) * bc2_sqrt_inv + eps);
		g[i] = 0.0f;
	}
}

static inline __attribute__((always_inline)) void sgd_span(float *restrict w, float *restrict g, size_t n, const rs_optim *o)
{
	for (size_t i = 0; i < n; i++) {
		w[i] -= o->lr * (g[i] + o->weight_decay * w[i]);
		g[i] = 0.0f;
	}
}

/* Update n rows of T, those listed in rows, or every row when rows is NULL. */
static void update(const rs_optim *o, rs_params *p, const rs_tensor *T, const uint32_t *rows,
		   uint32_t n, float lr_t, float bc2_sqrt_inv)
{
	size_t len = rows ? T->cols : (size_t)T->rows * T->cols;
	if (!rows)
		n = 1;
	for (uint32_t j = 0; j < n; j++) {
		size_t off = T->off + (rows ? (size_t)rows[j] * T->cols : 0);
		if (o->kind == RS_SGD)
			sgd_span(p->w + off, p->g + off, len, o);
		else
			adam_span(p->w + off, p->g + off, p->m + off, p->v + off, len, o, lr_t,
				  bc2_sqrt_inv);
	}
}

void rs_optim_step(const rs_optim *o, rs_params *p)
{
	p->step++;
	/* bias corrections once per step, not per parameter */
	double t = p->step;
	float bc1 = (float)(1.0 - pow(o->beta1, t));
	float bc2_sqrt_inv = (float)(1.0 / sqrt(1.0 - pow(o->beta2, t)));
	float lr_t = o->lr / bc1;
	for (int k = 0; k < p->n; k++) {
		rs_tensor *T = &p->t[k];
		if (T->sparse && o->kind != RS_ADAM_DENSE)
			update(o, p, T, T->touched, T->ntouched, lr_t, bc2_sqrt_inv);
		else
			update(o, p, T, NULL, 0, lr_t, bc2_sqrt_inv);
		T->ntouched = 0;
	}
}
