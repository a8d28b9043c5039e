/* Context-once scoring (ctxscore.h, ctxtrain.h) against the whole-record
 * path: the same scores and BPR gradients to 1e-5 on random records; the
 * softmax losses' gradients against finite differences (the bound of
 * test_grad.c); the sampled softmax's correction against its closed form
 * (the loss tends to the full softmax's as the draws grow). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ctxtrain.h"
#include "nn.h"
#include "onehot.h"
#include "tap.h"

#define H 1e-3f
enum { U = 4, I = 5, G = RS_NGENRES, N = 10, WINDOW = 2 };
enum { OFF_ITEM = U, OFF_GENRE = U + I, OFF_HIST = U + I + G, NF = U + I + G + I };

static int close_enough(double a, double n)
{
	return fabs(a - n) <= 2e-3 + 2e-2 * fmax(fabs(a), fabs(n));
}

static int same(double a, double b)
{
	return fabs(a - b) <= 1e-5 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* N records; fields user, item, genre (the item's: 1 + i % 3 of them at
 * 1/count, or with genres 0 none), history (1 or 2 earlier items at
 * 1/count): a context field that is multi-hot, and a candidate field
 * beside the item's. */
static void dataset(rs_dataset *d, rs_rng *rng, int genres)
{
	memset(d, 0, sizeof *d);
	d->n = N;
	d->src = "test";
	d->user = calloc(N, sizeof *d->user);
	d->item = calloc(N, sizeof *d->item);
	d->y = calloc(N, sizeof *d->y);
	d->split = calloc(N, 1);
	d->xoff = calloc(N + 1, sizeof *d->xoff);
	d->x = calloc(N * 8, sizeof *d->x);
	d->xv = calloc(N * 8, sizeof *d->xv);
	rs_header_add_column(&d->hdr, "user");
	rs_header_set_target(&d->hdr, "rating");
	d->hdr.nusers = U;
	d->hdr.nitems = I;
	d->hdr.user_ids = calloc(U, sizeof(int64_t));
	d->hdr.item_ids = calloc(I, sizeof(int64_t));
	for (int i = 0; i < I; i++)
		d->hdr.item_ids[i] = i;
	rs_header_add_field(&d->hdr, "user", U);
	rs_header_add_field(&d->hdr, "item", I);
	rs_header_add_field(&d->hdr, "genre", G);
	rs_header_add_field(&d->hdr, "history", I);
	d->hdr.fields[3].window = WINDOW;
	d->nfeatures = NF;
	size_t nnz = 0;
	for (int r = 0; r < N; r++) {
		uint32_t u = (uint32_t)r % U, i = rs_rng_below(rng, I);
		d->user[r] = u, d->item[r] = i, d->y[r] = 1;
		d->x[nnz] = u, d->xv[nnz++] = 1;
		d->x[nnz] = OFF_ITEM + i, d->xv[nnz++] = 1;
		int ng = genres ? 1 + (int)(i % 3) : 0;
		for (int g = 0; g < ng; g++)
			d->x[nnz] = OFF_GENRE + (uint32_t)g, d->xv[nnz++] = 1.0f / (float)ng;
		uint32_t h0 = rs_rng_below(rng, I - 1), nh = 1 + (uint32_t)(r % 2);
		for (uint32_t h = 0; h < nh; h++)
			d->x[nnz] = OFF_HIST + h0 + h, d->xv[nnz++] = 1.0f / (float)nh;
		d->xoff[r + 1] = nnz;
	}
}

/* The whole record of context cx[0..n) with item i's features, sorted. */
static int whole(const rs_ctx *c, const uint32_t *cx, const float *cv, int n, uint32_t i,
		 uint32_t *x, float *xv)
{
	const uint32_t *ix;
	const float *iv;
	int ni = rs_ctx_item(c, i, &ix, &iv), k = 0, a = 0, b = 0;
	while (a < n || b < ni) {
		int from_ctx = b == ni || (a < n && cx[a] < ix[b]);
		x[k] = from_ctx ? cx[a] : ix[b];
		xv[k++] = from_ctx ? cv[a++] : (iv ? iv[b++] : (b++, 1.0f));
	}
	return k;
}

/* A dataset of the given records' contexts, each with candidate item cand[j]. */
static void pairs(rs_dataset *p, const rs_ctx *c, const rs_dataset *d, const uint32_t *rec,
		  const uint32_t *cand, size_t n)
{
	memset(p, 0, sizeof *p);
	p->n = n;
	p->user = calloc(n, sizeof *p->user);
	p->item = calloc(n, sizeof *p->item);
	p->xoff = calloc(n + 1, sizeof *p->xoff);
	p->x = calloc(n * 16, sizeof *p->x);
	p->xv = calloc(n * 16, sizeof *p->xv);
	p->nfeatures = NF;
	uint32_t cx[16];
	float cv[16];
	for (size_t j = 0; j < n; j++) {
		int nc = rs_ctx_record(c, d, rec[j], cx, cv);
		int k = whole(c, cx, cv, nc, cand[j], p->x + p->xoff[j], p->xv + p->xoff[j]);
		p->xoff[j + 1] = p->xoff[j] + (size_t)k;
		p->user[j] = d->user[rec[j]];
		p->item[j] = cand[j];
	}
	p->view = 1;
}

static void free_pairs(rs_dataset *p)
{
	free(p->user), free(p->item), free(p->xoff), free(p->x), free(p->xv);
}

static void model(rs_model *m, const rs_model_ops *ops, const rs_dataset *d, rs_loss loss,
		  int negatives, double l2)
{
	rs_hparams hp = {.factors = 4, .batch = N, .epochs = 1, .init = RS_INIT_NORMAL,
			 .init_std = 0.5, .seed = 3, .loss = loss, .negatives = negatives, .l2 = l2};
	rs_model_create(m, ops, &hp, d);
	rs_params_alloc_training(&m->p);
	rs_model_reserve(m, 256);
}

/* A model with its trainer of context-once steps over d. */
typedef struct rig {
	rs_model m;
	rs_user_items train;
	rs_negs negs;
	rs_ctxtrain t;
	uint32_t idx[N];
} rig;

static void rig_open(rig *g, const rs_model_ops *ops, rs_dataset *d, const rs_onehot *oh,
		     rs_loss loss, int negatives, double l2, int popularity)
{
	model(&g->m, ops, d, loss, negatives, l2);
	rs_user_items_build(&g->train, d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_negs_init(&g->negs, d, &g->train, popularity);
	rs_ctxtrain_init(&g->t, &g->m, ops->features ? oh : NULL, oh->max_active, &g->negs);
	for (int r = 0; r < N; r++)
		g->idx[r] = (uint32_t)r;
}

static void rig_close(rig *g)
{
	rs_ctxtrain_free(&g->t);
	rs_negs_free(&g->negs);
	rs_user_items_free(&g->train);
	rs_model_free(&g->m);
}

static void check_scores(const rs_model_ops *ops, const rs_dataset *d, const rs_onehot *oh)
{
	rs_model m;
	model(&m, ops, d, RS_LOSS_BPR, 1, 0);
	rs_ctx c;
	rs_ctx_init(&c, &m, ops->features ? oh : NULL);
	rs_ctx_refresh(&c);
	uint32_t rec[N * I], cand[N * I], idx[N * I];
	for (int j = 0; j < N * I; j++)
		rec[j] = (uint32_t)j / I, cand[j] = (uint32_t)j % I, idx[j] = (uint32_t)j;
	rs_dataset p;
	pairs(&p, &c, d, rec, cand, N * I);
	float want[N * I], got[I], s[4], bias;
	m.ops->forward(&m, &p, idx, N * I, want, NULL);
	int bad = 0;
	for (int r = 0; r < N; r++) {
		uint32_t cx[16];
		float cv[16];
		int n = rs_ctx_record(&c, d, (size_t)r, cx, cv);
		rs_ctx_forward(&c, cx, cv, n, &bias, s);
		rs_ctx_row(&c, bias, s, got);
		for (int i = 0; i < I; i++)
			bad += !same(got[i], want[r * I + i]);
	}
	ok(!bad, "%s: context-once scores of %d records x %d items are the whole records' to 1e-5 (%d differ)",
	   ops->kind, N, I, bad);
	free_pairs(&p);
	rs_ctx_free(&c);
	rs_model_free(&m);
}

static void check_bpr_grads(const rs_model_ops *ops, rs_dataset *d, const rs_onehot *oh)
{
	enum { K = 3 };
	rig g;
	rig_open(&g, ops, d, oh, RS_LOSS_BPR, K, 0.05, 0);
	rs_model *m = &g.m;
	rs_rng rng;
	rs_rng_seed(&rng, 5);
	memset(m->p.g, 0, m->p.size * sizeof *m->p.g);
	rs_ctxtrain_step(&g.t, d, g.idx, N, &rng);
	float *grad = malloc(m->p.size * sizeof *grad);
	memcpy(grad, m->p.g, m->p.size * sizeof *grad);
	/* the same draws, as whole records: positives, then each one's K */
	rs_rng_seed(&rng, 5);
	uint32_t rec[N * (1 + K)], cand[N * (1 + K)], all[N * (1 + K)];
	for (int b = 0; b < N; b++) {
		rec[b] = (uint32_t)b, cand[b] = d->item[b];
		rs_negs_user(&g.negs, d->user[b]);
		for (int q = 0; q < K; q++)
			rec[N + b * K + q] = (uint32_t)b, cand[N + b * K + q] = rs_negs_unrated(&g.negs, &rng);
	}
	for (int j = 0; j < N * (1 + K); j++)
		all[j] = (uint32_t)j;
	rs_dataset p;
	pairs(&p, &g.t.ctx, d, rec, cand, N * (1 + K));
	float out[N * (1 + K)], dout[N * (1 + K)];
	memset(m->p.g, 0, m->p.size * sizeof *m->p.g);
	m->ops->forward(m, &p, all, N * (1 + K), out, NULL);
	bpr_backward(dout, dout + N, out, out + N, N, K);
	m->ops->backward(m, &p, all, N * (1 + K), dout);
	int bad = 0;
	for (size_t i = 0; i < m->p.size; i++)
		bad += !same(grad[i], m->p.g[i]);
	ok(!bad, "%s bpr: context-once gradients of %zu parameters are the whole records' to 1e-5, L2 included (%d differ)",
	   ops->kind, m->p.size, bad);
	free(grad);
	free_pairs(&p);
	rig_close(&g);
}

/* BPR under AdaGrad, fused (rs_ctxtrain_fuse): a positive's context and
 * candidates step their rows in place, to the bits of the gradient block
 * and the optimizer's walk; a kind whose candidates are not rows of the
 * model (FM with the items' genres) is not fused. */
static void check_fused(const rs_model_ops *ops, rs_dataset *d, const rs_onehot *oh, int fusable)
{
	rig a, b;
	rs_optim o;
	rs_optim_default(&o, RS_ADAGRAD, 0.1f, 0.0f);
	rig_open(&a, ops, d, oh, RS_LOSS_BPR, 1, 0.05, 0);
	rig_open(&b, ops, d, oh, RS_LOSS_BPR, 1, 0.05, 0);
	int fused = rs_ctxtrain_fuse(&b.t, &o);
	ok(fused == fusable, "%s bpr: %s under adagrad", ops->kind, fusable ? "fused" : "not fused");
	rs_optim adam;
	rs_optim_default(&adam, RS_ADAM, 0.1f, 0.0f);
	ok(!rs_ctxtrain_fuse(&a.t, &adam), "%s bpr: not fused under adam", ops->kind);
	int bad = 0, moved = 0;
	for (uint32_t r = 0; r < N; r++) {   /* one positive a step: each row one gradient */
		rs_rng ra, rb;
		rs_rng_seed(&ra, 11 + r), rs_rng_seed(&rb, 11 + r);
		rs_ctxtrain_step(&a.t, d, &r, 1, &ra);
		rs_optim_step(&o, &a.m.p);
		rs_ctxtrain_step(&b.t, d, &r, 1, &rb);
		rs_optim_step(&o, &b.m.p);
	}
	for (size_t i = 0; i < a.m.p.size; i++) {
		bad += memcmp(&a.m.p.w[i], &b.m.p.w[i], sizeof(float)) != 0;
		moved += a.m.p.v[i] != 0;
	}
	ok(!bad && moved > 5, "%s bpr, adagrad, %d steps: the fused rows have the walk's bits (%d of %zu differ, %d accumulators moved)",
	   ops->kind, N, bad, a.m.p.size, moved);
	rig_close(&a);
	rig_close(&b);
}

static double step_loss(rs_ctxtrain *t, const rs_dataset *d, const uint32_t *idx)
{
	rs_rng rng;
	rs_rng_seed(&rng, 9);   /* the sampled softmax draws the same negatives each time */
	return rs_ctxtrain_step(t, d, idx, N, &rng);
}

static void check_softmax_grads(const rs_model_ops *ops, rs_dataset *d, const rs_onehot *oh,
				rs_loss loss)
{
	rig g;
	rig_open(&g, ops, d, oh, loss, 6, 0, 1);
	rs_params *p = &g.m.p;
	memset(p->g, 0, p->size * sizeof *p->g);
	step_loss(&g.t, d, g.idx);
	float *grad = malloc(p->size * sizeof *grad);
	memcpy(grad, p->g, p->size * sizeof *grad);
	int bad = 0, moved = 0;
	for (size_t i = 0; i < p->size; i++) {
		float keep = p->w[i];
		p->w[i] = keep + H;
		double up = step_loss(&g.t, d, g.idx);
		p->w[i] = keep - H;
		double down = step_loss(&g.t, d, g.idx);
		p->w[i] = keep;
		double num = (up - down) / (2 * H);
		moved += fabs(num) > 1e-4;
		if (!close_enough(grad[i], num)) {
			bad++;
			printf("#   param %zu: analytic %g numeric %g\n", i, grad[i], num);
		}
	}
	ok(!bad && moved > 20, "%s %s: %zu gradients match finite differences (%d nonzero)", ops->kind,
	   rs_loss_names[loss], p->size, moved);
	free(grad);
	rig_close(&g);
}

/* With many draws the sampled loss is the full softmax's: the negatives'
 * corrected sum estimates the denominator without the positive. */
static void check_correction(rs_dataset *d, const rs_onehot *oh, int popularity)
{
	rig g;
	rig_open(&g, &rs_fm_ops, d, oh, RS_LOSS_SOFTMAX, 100000, 0, popularity);
	double full = step_loss(&g.t, d, g.idx);
	g.m.hp.loss = RS_LOSS_SAMPLED_SOFTMAX;
	double sampled = step_loss(&g.t, d, g.idx);
	/* relative sd of the estimate: well under 1/sqrt(1e5) times the spread of e^l / q */
	ok(fabs(sampled - full) < 0.01, "sampled softmax (%s q, 100000 draws) %.5f against the full softmax %.5f",
	   popularity ? "popularity" : "uniform", sampled, full);
	rig_close(&g);
}

int main(void)
{
	rs_rng rng;
	rs_rng_seed(&rng, 17);
	rs_dataset d, plain;
	dataset(&d, &rng, 1);
	dataset(&plain, &rng, 0);   /* each item one feature: a row of the model */
	rs_onehot oh, ohp;
	rs_side side, sidep;
	rs_onehot_from_data(&oh, &side, &d.hdr, &d);
	rs_onehot_from_data(&ohp, &sidep, &plain.hdr, &plain);
	check_scores(&rs_fm_ops, &d, &oh);
	check_scores(&rs_mf_ops, &d, &oh);
	check_bpr_grads(&rs_fm_ops, &d, &oh);
	check_bpr_grads(&rs_mf_ops, &d, &oh);
	check_fused(&rs_mf_ops, &d, &oh, 1);
	check_fused(&rs_fm_ops, &d, &oh, 0);
	check_fused(&rs_fm_ops, &plain, &ohp, 1);
	check_softmax_grads(&rs_fm_ops, &d, &oh, RS_LOSS_SOFTMAX);
	check_softmax_grads(&rs_fm_ops, &d, &oh, RS_LOSS_SAMPLED_SOFTMAX);
	check_softmax_grads(&rs_mf_ops, &d, &oh, RS_LOSS_SOFTMAX);
	check_softmax_grads(&rs_mf_ops, &d, &oh, RS_LOSS_SAMPLED_SOFTMAX);
	check_correction(&d, &oh, 0);
	check_correction(&d, &oh, 1);
	rs_side_free(&side);
	rs_side_free(&sidep);
	rs_dataset_free(&d);
	rs_dataset_free(&plain);
	return tap_done();
}
