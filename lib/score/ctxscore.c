/* ctxscore.c: context-once scoring (ctxscore.h). */
#include "ctxscore.h"
#include "compute.h"
#include "gemm.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rs_ctx_applies(const rs_model *m)
{
	return m->ops->part != NULL;
}

void rs_ctx_init(rs_ctx *c, rs_model *m, const rs_onehot *oh)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	c->oh = oh;
	c->nitems = m->hdr.nitems;
	c->k = m->k;
	uint32_t I = c->nitems;
	c->ioff = rs_malloc(((size_t)I + 1) * sizeof *c->ioff);
	c->b = rs_malloc(((size_t)I + 1) * sizeof *c->b);
	/* S serves as a product's Bm (the full softmax's gradient) */
	c->S = rs_calloc((size_t)I * (size_t)c->k + RS_GEMM_SLACK, sizeof *c->S);
	c->ioff[0] = 0;
	c->plain = rs_calloc((size_t)I + 1, 1);
	if (oh)
		for (int f = 0; f < oh->nfields; f++)
			c->of_item[f] = (uint8_t)rs_field_of_item(oh->kind[f]), c->of_context[f] = !c->of_item[f];
	if (!oh) {   /* MF: an item is its id */
		c->ix = rs_malloc(((size_t)I + 1) * sizeof *c->ix);
		for (uint32_t i = 0; i < I; i++)
			c->ix[i] = i, c->ioff[i + 1] = i + 1, c->plain[i] = m->ops->row != NULL;
		c->most = 1;
		return;
	}
	/* each item's features with a user's (user 0's: only the item's are kept) */
	uint32_t *x = rs_malloc((oh->max_active + 1) * sizeof *x);
	float *xv = rs_malloc((oh->max_active + 1) * sizeof *xv);
	size_t cap = (size_t)I + 1, n = 0;
	c->ix = rs_malloc(cap * sizeof *c->ix);
	c->iv = rs_malloc(cap * sizeof *c->iv);
	for (uint32_t i = 0; i < I; i++) {
		int all = rs_onehot_features(oh, 0, i, NULL, 0, x, xv);
		if (n + (size_t)all > cap) {
			cap = 2 * cap + (size_t)all;
			c->ix = rs_reallocarray(c->ix, cap, sizeof *c->ix);
			c->iv = rs_reallocarray(c->iv, cap, sizeof *c->iv);
		}
		int k = rs_onehot_select(oh, c->of_item, x, xv, all, c->ix + n, c->iv + n);
		c->plain[i] = m->ops->row && k == 1 && c->iv[n] == 1.0f;
		n += (size_t)k;
		c->ioff[i + 1] = n;
		c->most = (size_t)k > c->most ? (size_t)k : c->most;
	}
	free(x);
	free(xv);
}

void rs_ctx_free(rs_ctx *c)
{
	free(c->ioff);
	free(c->plain);
	free(c->ix);
	free(c->iv);
	free(c->b);
	free(c->S);
	memset(c, 0, sizeof *c);
}

void rs_ctx_refresh(rs_ctx *c)
{
	size_t k = (size_t)c->k;
	for (uint32_t i = 0; i < c->nitems; i++) {
		const uint32_t *x;
		const float *xv;
		int n = rs_ctx_item(c, i, &x, &xv);
		c->m->ops->part(c->m, RS_PART_ITEM, x, xv, n, &c->b[i], c->S + i * k);
	}
}

int rs_ctx_context(const rs_ctx *c, uint32_t user, const uint32_t *x, const float *xv, int n,
		   uint32_t *cx, float *cv)
{
	if (!c->oh) {
		cx[0] = user;
		cv[0] = 1.0f;
		return 1;
	}
	return rs_onehot_select(c->oh, c->of_context, x, xv, n, cx, cv);
}

void rs_ctx_forward(const rs_ctx *c, const uint32_t *cx, const float *cv, int n, float *bias,
		    float *s)
{
	c->m->ops->part(c->m, RS_PART_CONTEXT, cx, c->oh ? cv : NULL, n, bias, s);
}

RS_SIMD_BODY void row_body(const rs_ctx *c, float bias, const float *s, float *out)
{
	/* summed in the order of MF's forward, so that its scores are the same
	 * bits as a pair's */
	int k = c->k;
	float mu = c->m->mu;
	for (uint32_t i = 0; i < c->nitems; i++)
		out[i] = rs_dot(s, c->S + (size_t)i * (size_t)k, k) + bias + c->b[i] + mu;
}

RS_SIMD_VOID(row, (const rs_ctx *c, float bias, const float *s, float *out), (c, bias, s, out))

void rs_ctx_row(const rs_ctx *c, float bias, const float *s, float *out)
{
	row(c, bias, s, out);
}

void rs_ctx_cosine(const rs_ctx *c, uint32_t i, float *out)
{
	size_t k = (size_t)c->k;
	const float *a = c->S + i * k;
	double na = sqrt((double)rs_dot(a, a, c->k));
	for (uint32_t j = 0; j < c->nitems; j++) {
		const float *b = c->S + j * k;
		double nb = sqrt((double)rs_dot(b, b, c->k));
		out[j] = na > 0 && nb > 0 ? (float)(rs_dot(a, b, c->k) / (na * nb)) : 0.0f;
	}
}
