/* foldin.c: a new user's context from named items (foldin.h). */
#include "foldin.h"
#include "als.h"
#include "cli.h"
#include "fields.h"
#include "mem.h"
#include "nn.h"
#include "optim.h"
#include "params.h"

#include <stdlib.h>
#include <string.h>

const char *const rs_foldin_names[] = {"mean", "fit"};

/* The context of the model's fields: the named items as previous items
 * (a model of them), the user's side features from the users file (a
 * guest row), every other field of the user left out. */
static void fields_context(rs_scorer *s, const uint32_t *items, int n, uint32_t guest, float *bias,
			   float *vec)
{
	const rs_onehot *oh = &s->oh;
	size_t room = oh->base_active + (size_t)n;   /* a long field of the n at most */
	uint32_t *x = rs_malloc(2 * room * sizeof *x);
	float *xv = rs_malloc(2 * room * sizeof *xv);
	uint8_t keep[RS_MAX_FIELDS];
	for (int f = 0; f < oh->nfields; f++)
		keep[f] = oh->kind[f] == RS_F_HISTORY || oh->kind[f] == RS_F_LAST || rs_field_is_long(oh->kind[f]) ||
			  (guest != RS_NONE && rs_field_from_users(oh->kind[f]));
	int all = rs_onehot_features(oh, 0, 0, oh->seq ? items : NULL, oh->seq ? n : 0, x, xv);
	int k = rs_onehot_select(oh, keep, x, xv, all, x + room, xv + room);
	if (guest != RS_NONE)
		k = rs_onehot_user_side(oh, &s->guests, guest, x + room, xv + room, k);
	rs_ctx_forward(&s->ctx, x + room, xv + room, k, bias, vec);
	free(x);
	free(xv);
}

/* Adds the mean of the named items' vectors in the item table. */
static void item_mean(const rs_ctx *c, const uint32_t *items, int n, float *vec)
{
	int k = c->k;
	for (int f = 0; f < k; f++) {
		double t = 0;   /* summed in the order named: one result */
		for (int j = 0; j < n; j++)
			t += c->S[(size_t)items[j] * k + f];
		vec[f] += (float)(t / n);
	}
}

/* ALS: the row solved exactly against the item factors, each named item
 * observed at confidence 1 + alpha (Hu et al.'s solve). */
static void als_row(rs_scorer *s, const uint32_t *items, int n, float *vec)
{
	const rs_model *m = s->m;
	int k = m->k;
	if (!s->gram) {   /* O(items k^2): once per item table, not per new user */
		s->gram = rs_malloc((size_t)k * k * sizeof *s->gram);
		rs_als_gram(s->gram, s->ctx.S, m->hdr.nitems, k);
	}
	float *cw = rs_malloc(((size_t)n + 1) * sizeof *cw);
	for (int j = 0; j < n; j++)
		cw[j] = (float)m->hp.alpha;
	double *work = rs_malloc(2 * (size_t)k * ((size_t)k + 1) * sizeof *work);
	rs_als_solve_cholesky(vec, s->gram, s->ctx.S, items, cw, (size_t)n, k, m->hp.reg, work);
	free(work);
	free(cw);
}

/* MF and FM: v fitted from zero by the project's Adam (optim.h), one
 * dense tensor: the softmax of (base + v) . S_j + b_j over every item,
 * its cross-entropy averaged over the named items, the model's --l2 as
 * weight decay; v added to base. */
static void fitted(rs_scorer *s, const uint32_t *items, int n, float *base)
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
	float *u = rs_malloc((size_t)k * sizeof *u);
	memset(v, 0, (size_t)k * sizeof *v);
	for (int t = 0; t < RS_FOLDIN_STEPS; t++) {
		for (int f = 0; f < k; f++)
			u[f] = base[f] + v[f];
		for (uint32_t j = 0; j < I; j++)
			prob[j] = rs_dot(u, c->S + (size_t)j * k, k) + c->b[j];
		softmax_xent_forward(prob, prob, items, 1, (int)I);
		for (uint32_t j = 0; j < I; j++)
			for (int f = 0; f < k; f++)
				g[f] += prob[j] * c->S[(size_t)j * k + f];
		for (int q = 0; q < n; q++)
			for (int f = 0; f < k; f++)
				g[f] -= c->S[(size_t)items[q] * k + f] / (float)n;
		rs_optim_step(&opt, &p);
	}
	for (int f = 0; f < k; f++)
		base[f] += v[f];
	free(u);
	free(prob);
	rs_params_free(&p);
}

void rs_foldin(rs_scorer *s, const uint32_t *items, int n, uint32_t guest, float *bias, float *vec)
{
	if (!s->ctx.m)
		rs_scorer_refresh(s);
	if (!s->ctx.m)
		rs_die("a %s model scores a user through whole records: --liked takes a model of "
		       "mf-train, fm-train or als-train", s->m->ops->kind);
	if (s->m->ops->sequence) {   /* the named items are the user's sequence */
		s->m->ops->sequence(s->m, items, n, bias, vec);
		return;
	}
	*bias = 0.0f;
	memset(vec, 0, (size_t)s->ctx.k * sizeof *vec);
	int fields = s->m->ops->features;
	if (fields && (s->oh.seq || guest != RS_NONE))
		fields_context(s, items, n, guest, bias, vec);
	if (fields && s->oh.seq)
		return;
	if (s->fit && (s->m->ops->caps & RS_CAP_ALS))
		als_row(s, items, n, vec);   /* ALS has no fields: nothing to add to */
	else if (s->fit)
		fitted(s, items, n, vec);
	else
		item_mean(&s->ctx, items, n, vec);
}

void rs_foldin_row(rs_scorer *s, const uint32_t *items, int n, uint32_t guest, float *vec, float *row)
{
	float bias;
	rs_foldin(s, items, n, guest, &bias, vec);
	rs_ctx_row(&s->ctx, bias, vec, row);
	rs_model_output(s->m, row, s->m->hdr.nitems, s->m->click);
}
