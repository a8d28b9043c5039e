/* foldin.c: a new user's context from named items (foldin.h). */
#include "foldin.h"
#include "cli.h"
#include "mem.h"

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

/* The mean of the named items' vectors in the item table. */
static void item_mean(const rs_ctx *c, const uint32_t *items, int n, float *vec)
{
	int k = c->k;
	for (int f = 0; f < k; f++) {
		double t = 0;   /* summed in the order named: one result */
		for (int j = 0; j < n; j++)
			t += c->S[(size_t)items[j] * k + f];
		vec[f] = (float)(t / n);
	}
}

void rs_foldin(rs_scorer *s, const uint32_t *items, int n, float *bias, float *vec)
{
	if (!s->ctx.m)
		rs_scorer_refresh(s);
	if (!s->ctx.m)
		rs_die("a %s model scores a user through whole records: --liked takes a model of "
		       "mf-train, fm-train or als-train", s->m->ops->kind);
	*bias = 0.0f;
	if (s->m->ops->features && s->oh.seq)
		from_history(s, items, n, bias, vec);
	else
		item_mean(&s->ctx, items, n, vec);
}

void rs_foldin_row(rs_scorer *s, const uint32_t *items, int n, float *vec, float *row)
{
	float bias;
	rs_foldin(s, items, n, &bias, vec);
	rs_ctx_row(&s->ctx, bias, vec, row);
	rs_model_output(s->m, row, s->m->hdr.nitems, s->m->click);
}
