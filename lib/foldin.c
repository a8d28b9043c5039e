/* foldin.c: a new user's context from named items (foldin.h). */
#include "foldin.h"
#include "als.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The named items as previous items; the fields of the user left out. */
static void from_history(rs_scorer *s, const uint32_t *items, int n, float *bias, float *vec)
{
	const rs_onehot *oh = &s->oh;
	size_t room = oh->base_active + (size_t)n;
	uint32_t *x = rs_malloc(2 * room * sizeof *x);
	float *xv = rs_malloc(2 * room * sizeof *xv);
	rs_onehot o = *oh;
	rs_onehot_room(&o, (size_t)n);
	int all = rs_onehot_features(&o, 0, 0, items, n, x, xv), k = 0;
	for (int j = 0, f = 0; j < all; j++) {
		while (x[j] >= oh->offset[f] + oh->size[f])
			f++;
		int kind = oh->kind[f];
		if (kind == RS_F_HISTORY || kind == RS_F_LAST || rs_field_is_long(kind))
			x[room + k] = x[j], xv[room + k++] = xv[j];
	}
	rs_ctx_forward(&s->ctx, x + room, xv + room, k, bias, vec);
	free(x);
	free(xv);
}

static void als_row(rs_scorer *s, const uint32_t *items, int n, float *vec)
{
	const rs_model *m = s->m;
	int k = m->k;
	uint32_t I = m->hdr.nitems;
	const float *Q = s->ctx.S;   /* ALS's item parts are its rows */
	float *G = rs_calloc((size_t)k * k, sizeof *G), *cw = rs_malloc(((size_t)n + 1) * sizeof *cw);
	for (uint32_t i = 0; i < I; i++)
		for (int a = 0; a < k; a++)
			for (int c = 0; c <= a; c++)
				G[(size_t)a * k + c] += Q[(size_t)i * k + a] * Q[(size_t)i * k + c];
	for (int j = 0; j < n; j++)
		cw[j] = (float)m->hp.alpha;
	double *work = rs_malloc(2 * (size_t)k * ((size_t)k + 1) * sizeof *work);
	rs_als_solve_cholesky(vec, G, Q, items, cw, (size_t)n, k, m->hp.reg, work);
	free(work);
	free(cw);
	free(G);
}

/* Adam on v alone: the softmax of v . S_j + b_j over every item, its
 * cross-entropy averaged over the named items. */
static void fitted(rs_scorer *s, const uint32_t *items, int n, float *vec)
{
	const rs_ctx *c = &s->ctx;
	int k = c->k;
	uint32_t I = c->nitems;
	float *p = rs_malloc(((size_t)I + 1) * sizeof *p), *g = rs_malloc((size_t)k * sizeof *g);
	float *m1 = rs_calloc((size_t)k, sizeof *m1), *m2 = rs_calloc((size_t)k, sizeof *m2);
	float l2 = (float)s->m->hp.l2, b1 = 0.9f, b2 = 0.999f;
	memset(vec, 0, (size_t)k * sizeof *vec);
	for (int t = 1; t <= RS_FOLDIN_STEPS; t++) {
		float top = -INFINITY;
		for (uint32_t j = 0; j < I; j++) {
			p[j] = rs_dot(vec, c->S + (size_t)j * k, k) + c->b[j];
			top = p[j] > top ? p[j] : top;
		}
		double sum = 0;
		for (uint32_t j = 0; j < I; j++)
			sum += p[j] = expf(p[j] - top);
		for (int f = 0; f < k; f++)
			g[f] = l2 * vec[f];
		for (uint32_t j = 0; j < I; j++) {
			float w = (float)(p[j] / sum);
			for (int f = 0; f < k; f++)
				g[f] += w * c->S[(size_t)j * k + f];
		}
		for (int q = 0; q < n; q++)
			for (int f = 0; f < k; f++)
				g[f] -= c->S[(size_t)items[q] * k + f] / (float)n;
		float bc1 = 1.0f - powf(b1, (float)t), bc2 = 1.0f - powf(b2, (float)t);
		for (int f = 0; f < k; f++) {
			m1[f] = b1 * m1[f] + (1 - b1) * g[f];
			m2[f] = b2 * m2[f] + (1 - b2) * g[f] * g[f];
			vec[f] -= RS_FOLDIN_LR * (m1[f] / bc1) / (sqrtf(m2[f] / bc2) + 1e-8f);
		}
	}
	free(p), free(g), free(m1), free(m2);
}

void rs_foldin(rs_scorer *s, const uint32_t *items, int n, float *bias, float *vec)
{
	rs_scorer_refresh(s);
	if (!s->ctx.m)
		rs_die("a %s model scores a user through whole records: --liked takes a model of "
		       "mf-train, fm-train or als-train", s->m->ops->kind);
	*bias = 0.0f;
	if (s->m->ops->features && s->oh.seq)
		from_history(s, items, n, bias, vec);
	else if (s->m->ops->caps & RS_CAP_ALS)
		als_row(s, items, n, vec);
	else
		fitted(s, items, n, vec);
}
