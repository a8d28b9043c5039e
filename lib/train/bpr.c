/* bpr.c: pairwise training (bpr.h). */
#include "bpr.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"

#include <stdlib.h>
#include <string.h>


static void release(void *b)
{
	rs_bpr_free(b);
}

void rs_bpr_init(rs_bpr *b, rs_model *m, const rs_dataset *d)
{
	memset(b, 0, sizeof *b);
	rs_cleanup_push(release, b);   /* a caught error below leaves nothing held */
	rs_onehot_from_data(&b->oh, &b->side, &d->hdr, d);
	b->ix = rs_malloc(b->oh.max_active * sizeof *b->ix);
	b->iv = rs_malloc(b->oh.max_active * sizeof *b->iv);
	rs_user_items_build(&b->train, d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_users_without_train(d, &b->train);
	b->nitems = d->hdr.nitems;
	/* BPR draws a positive's negatives among its user's unrated items; the
	 * softmaxes score against every item, or draws of any */
	if (m->hp.loss == RS_LOSS_BPR)
		rs_negs_require_unrated(d, &b->train);
	/* what the per-epoch ranking needs: fixed for the run */
	rs_user_items_build(&b->rated, d, RS_SPLITS(RS_SPLIT_TRAIN) | RS_SPLITS(RS_SPLIT_VALID));
	rs_user_items_build(&b->valid, d, RS_SPLITS(RS_SPLIT_VALID));
	rs_user_items_build(&b->test, d, RS_SPLITS(RS_SPLIT_TEST));
	rs_user_items_sample(&b->valid, d->hdr.nusers, RS_EVAL_USERS, m->hp.seed);
	rs_user_items_sample(&b->test, d->hdr.nusers, RS_EVAL_USERS, m->hp.seed);
	if (b->oh.seq) {
		rs_history_last(&b->hist_valid, d, RS_SPLITS(RS_SPLIT_TRAIN));
		rs_history_last(&b->hist_test, d, RS_SPLITS(RS_SPLIT_TRAIN) | RS_SPLITS(RS_SPLIT_VALID));
	}
	rs_cleanup_pop();
	rs_scorer_init_data(&b->scorer, m, d);
	rs_ranker_model(&b->ranker, &b->scorer);
	rs_negs_init(&b->negs, d, &b->train, m->hp.sampler == RS_SAMPLER_POPULARITY);
	if (rs_ctx_applies(m))
		rs_ctxtrain_init(&b->ct, m, m->ops->features ? &b->oh : NULL, b->oh.max_active, &b->negs);
	else if (m->hp.loss != RS_LOSS_BPR)
		rs_die("--loss %s scores every candidate against one context, which %s's model "
		       "does not split into (its MLP reads the whole record): train it with mf-train "
		       "or fm-train, or use --loss bpr", rs_loss_names[m->hp.loss], rs_prog);
	/* scores are compared, never clipped to the ratings' range */
	m->ymin = m->ymax = 0;
}

void rs_bpr_free(rs_bpr *b)
{
	rs_user_items_free(&b->rated);
	rs_user_items_free(&b->train);
	rs_user_items_free(&b->valid);
	rs_user_items_free(&b->test);
	rs_ranker_free(&b->ranker);
	rs_scorer_free(&b->scorer);
	rs_side_free(&b->side);
	rs_history_free(&b->hist_valid);
	rs_history_free(&b->hist_test);
	rs_negs_free(&b->negs);
	rs_ctxtrain_free(&b->ct);
	free(b->iota);
	free(b->ix);
	free(b->iv);
	rs_dataset_free(&b->pairs);
	memset(b, 0, sizeof *b);
}

static void reserve(rs_bpr *b, const rs_dataset *d, size_t n)
{
	if (n <= b->cap)
		return;
	rs_dataset *p = &b->pairs;
	p->user = rs_reallocarray(p->user, n, sizeof *p->user);
	p->item = rs_reallocarray(p->item, n, sizeof *p->item);
	p->y = rs_reallocarray(p->y, n, sizeof *p->y);
	p->split = rs_reallocarray(p->split, n, sizeof *p->split);
	p->xoff = rs_reallocarray(p->xoff, n + 1, sizeof *p->xoff);
	p->x = rs_reallocarray(p->x, n, b->oh.max_active * sizeof *p->x);
	if (b->oh.multi)
		p->xv = rs_reallocarray(p->xv, n, b->oh.max_active * sizeof *p->xv);
	b->iota = rs_reallocarray(b->iota, n, sizeof *b->iota);
	for (size_t i = 0; i < n; i++)
		b->iota[i] = (uint32_t)i;
	p->nfeatures = d->nfeatures;
	p->click = d->click;
	b->cap = n;
}

/* Record r of the batch: record src of d with its item swapped for item i.
 * The fields of the user and their context (history) are src's own; the
 * item's fields are i's, as ml-onehot builds them. */
static void put(rs_bpr *b, size_t r, const rs_dataset *d, size_t src, uint32_t i)
{
	rs_dataset *p = &b->pairs;
	const rs_onehot *oh = &b->oh;
	uint32_t *ix = b->ix;
	float *iv = b->iv;
	uint32_t u = d->user[src];
	int n = rs_onehot_features(oh, u, i, NULL, 0, ix, iv);
	size_t o = p->xoff[r], j = d->xoff[src], end = d->xoff[src + 1];
	int q = 0;
	for (int f = 0; f < oh->nfields; f++) {
		uint32_t hi = oh->offset[f] + oh->size[f];
		int of_item = rs_field_of_item(oh->kind[f]);
		for (; j < end && d->x[j] < hi; j++)
			if (!of_item) {
				p->x[o] = d->x[j];
				if (p->xv)
					p->xv[o] = d->xv ? d->xv[j] : 1.0f;
				o++;
			}
		for (; q < n && ix[q] < hi; q++)
			if (of_item) {
				p->x[o] = ix[q];
				if (p->xv)
					p->xv[o] = iv[q];
				o++;
			}
	}
	p->user[r] = u;
	p->item[r] = i;
	p->y[r] = 0;
	p->split[r] = RS_SPLIT_TRAIN;
	p->xoff[r + 1] = o;
}


double rs_bpr_step(rs_bpr *b, rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		   rs_rng *sample, rs_rng *drop, float *out, float *dout)
{
	if (rs_ctx_applies(m))
		return rs_ctxtrain_step(&b->ct, d, idx, B, sample);
	int K = m->hp.negatives;
	size_t n = (size_t)B * (1 + (size_t)K);
	reserve(b, d, n);
	rs_dataset *p = &b->pairs;
	/* positives first, then each positive's K negatives: the order
	 * bpr_forward reads */
	p->xoff[0] = 0;
	for (int k = 0; k < B; k++)
		put(b, (size_t)k, d, idx[k], d->item[idx[k]]);
	for (int k = 0; k < B; k++) {
		rs_negs_user(&b->negs, d->user[idx[k]]);
		for (int q = 0; q < K; q++)
			put(b, (size_t)B + (size_t)k * K + q, d, idx[k], rs_negs_unrated(&b->negs, sample));
	}
	p->n = n;
	rs_model_reserve(m, (int)n);
	m->ops->forward(m, p, b->iota, (int)n, out, drop);
	double loss = bpr_forward(out, out + B, B, K);
	bpr_backward(dout, dout + B, out, out + B, B, K);
	m->ops->backward(m, p, b->iota, (int)n, dout);
	return loss;
}

void rs_bpr_evaluate(rs_bpr *b, rs_rank_metrics *valid, rs_rank_metrics *test)
{
	int seq = b->oh.seq;
	const int top = RS_LOG_TOP;
	rs_scorer_use_history(&b->scorer, seq ? &b->hist_valid : NULL);
	rs_rank_full(&b->ranker, &b->train, &b->valid, &top, 1, valid);
	rs_scorer_use_history(&b->scorer, seq ? &b->hist_test : NULL);
	rs_rank_full(&b->ranker, &b->rated, &b->test, &top, 1, test);
}
