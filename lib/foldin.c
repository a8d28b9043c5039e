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
	size_t room = oh->base_active + (size_t)n;   /* a long field of the n at most */
	uint32_t *x = rs_malloc(2 * room * sizeof *x);
	float *xv = rs_malloc(2 * room * sizeof *xv);
	uint8_t keep[RS_MAX_FIELDS];
	for (int f = 0; f < oh->nfields; f++)
		keep[f] = oh->kind[f] == RS_F_HISTORY || oh->kind[f] == RS_F_LAST || rs_field_is_long(oh->kind[f]);
	int all = rs_onehot_features(oh, 0, 0, items, n, x, xv);
	int k = rs_onehot_select(oh, keep, x, xv, all, x + room, xv + room);
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
	float *G = rs_malloc((size_t)k * k * sizeof *G), *cw = rs_malloc(((size_t)n + 1) * sizeof *cw);
	rs_als_gram(G, Q, I, k);
	for (int j = 0; j < n; j++)
		cw[j] = (float)m->hp.alpha;
	double *work = rs_malloc(2 * (size_t)k * ((size_t)k + 1) * sizeof *work);
	rs_als_solve_cholesky(vec, G, Q, items, cw, (size_t)n, k, m->hp.reg, work);
	free(work);
	free(cw);
	free(G);
}

/* The project's Adam (optim.h) on v alone, one dense tensor: the softmax
 * of v . S_j + b_j over every item (nn.h's), its cross-entropy averaged
 * over the named items, plus --l2 / 2 |v|^2 as weight decay. */
static void fitted(rs_scorer *s, const uint32_t *items, int n, float *vec)
{
	const rs_ctx *c = &s->ctx;
	int k = c->k;
	uint32_t I = c->nitems;
	rs_params p = {0};
	rs_params_add(&p, "v", 1, (uint32_t)k, 0);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_optim opt;
	rs_optim_default(&opt, RS_ADAM, RS_FOLDIN_LR, (float)s->m->hp.l2);
	float *v = rs_w(&p, 0), *g = rs_g(&p, 0), *prob = rs_malloc(((size_t)I + 1) * sizeof *prob);
	memset(v, 0, (size_t)k * sizeof *v);
	for (int t = 0; t < RS_FOLDIN_STEPS; t++) {
		for (uint32_t j = 0; j < I; j++)
			prob[j] = rs_dot(v, c->S + (size_t)j * k, k) + c->b[j];
		softmax_xent_forward(prob, prob, items, 1, (int)I);
		for (uint32_t j = 0; j < I; j++)
			for (int f = 0; f < k; f++)
				g[f] += prob[j] * c->S[(size_t)j * k + f];
		for (int q = 0; q < n; q++)
			for (int f = 0; f < k; f++)
				g[f] -= c->S[(size_t)items[q] * k + f] / (float)n;
		rs_optim_step(&opt, &p);
	}
	memcpy(vec, v, (size_t)k * sizeof *vec);
	free(prob);
	rs_params_free(&p);
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
