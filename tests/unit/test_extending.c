/* docs/extending.md's "A model kind", followed step by step outside the
 * library: a bias-only kind, b(u) + b(i) + mu, registered, trained one
 * epoch by the shared loop, written, loaded back by kind name and scored.
 * Then its "A training method": the same kind fitted in closed form, each
 * epoch every user's bias then every item's set to the mean of its
 * records' residuals, through the fitting skeleton (fit.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fields.h"
#include "kinds.h"
#include "modelfile.h"
#include "tap.h"
#include "fit.h"

/* Step 1: the kind's ops over its one parameter block, with designated
 * initializers; a paired forward and backward. */
enum { BU, BI };

static void bias_layout(rs_model *m)
{
	rs_params_add(&m->p, "bu", m->hdr.nusers, 1, 1);
	rs_params_add(&m->p, "bi", m->hdr.nitems, 1, 1);
}

static void bias_init(rs_model *m, rs_rng *rng)
{
	(void)rng;
	memset(m->p.w, 0, m->p.size * sizeof *m->p.w);
}

static size_t bias_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

static void bias_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			 rs_rng *rng)
{
	(void)rng;
	const float *bu = rs_w(&m->p, BU), *bi = rs_w(&m->p, BI);
	for (int b = 0; b < B; b++)
		out[b] = m->mu + bu[d->user[idx[b]]] + bi[d->item[idx[b]]];
}

static void bias_backward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			  const float *dout)
{
	float *gu = rs_g(&m->p, BU), *gi = rs_g(&m->p, BI);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		gu[u] += dout[b];
		gi[i] += dout[b];
		rs_touch(&m->p, BU, u);
		rs_touch(&m->p, BI, i);
	}
}

static const rs_model_ops bias_ops = {
	.kind = "bias",
	.layout = bias_layout,
	.init = bias_init,
	.scratch = bias_scratch,
	.forward = bias_forward,
	.backward = bias_backward,
	.caps = RS_CAP_SGD | RS_CAP_STEPS,
};

/* Step 1 of a method: its table. Each epoch solves every bias exactly for
 * the other side's: alternating least squares of an additive model. */
typedef struct closed {
	double *sum;
	uint32_t *n;
} closed;

/* a method for this one kind: it names the kind */
static int closed_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	(void)hp;
	return !strcmp(ops->kind, "bias");
}

static void closed_init(void *s, rs_fit_run *f)
{
	closed *c = s;
	size_t n = (size_t)f->d->hdr.nusers + f->d->hdr.nitems;
	c->sum = calloc(n, sizeof *c->sum);
	c->n = calloc(n, sizeof *c->n);
}

/* one side's biases: the mean residual of their train records */
static void solve_side(closed *c, rs_fit_run *f, int items)
{
	rs_model *m = f->m;
	const rs_dataset *d = f->d;
	float *mine = rs_w(&m->p, items ? BI : BU), *other = rs_w(&m->p, items ? BU : BI);
	uint32_t rows = items ? d->hdr.nitems : d->hdr.nusers;
	memset(c->sum, 0, rows * sizeof *c->sum);
	memset(c->n, 0, rows * sizeof *c->n);
	for (size_t r = f->lo; r < f->hi; r++) {
		uint32_t j = f->train[r], me = items ? d->item[j] : d->user[j], them = items ? d->user[j] : d->item[j];
		c->sum[me] += d->y[j] - m->mu - other[them];
		c->n[me]++;
	}
	for (uint32_t i = 0; i < rows; i++)
		mine[i] = c->n[i] ? (float)(c->sum[i] / c->n[i]) : 0.0f;
}

static double closed_epoch(void *s, rs_fit_run *f)
{
	closed *c = s;
	solve_side(c, f, 0);
	solve_side(c, f, 1);
	double loss = 0;   /* half the squared error, summed, as the pointwise loss */
	const float *bu = rs_w(&f->m->p, BU), *bi = rs_w(&f->m->p, BI);
	for (size_t r = f->lo; r < f->hi; r++) {
		uint32_t j = f->train[r];
		double e = f->d->y[j] - f->m->mu - bu[f->d->user[j]] - bi[f->d->item[j]];
		loss += 0.5 * e * e;
	}
	return loss;
}

static void closed_free(void *s)
{
	closed *c = s;
	free(c->sum);
	free(c->n);
}

static const rs_fit_method closed_method = {
	.name = "closed-form biases",
	.flags = RS_FIT_VALID | RS_FIT_RANGE,
	.remedy = "--l2",
	.lower = 0,
	.remedy_at = offsetof(rs_hparams, l2),
	.applies = closed_applies,
	.state = sizeof(closed),
	.init = closed_init,
	.epoch = closed_epoch,
	.free = closed_free,
};

/* 20 users and 30 items whose ratings are 3 + a user's offset + an item's:
 * what the kind can fit exactly */
enum { U = 20, I = 30 };
static float truth(uint32_t u, uint32_t i) { return 3.0f + 0.1f * (float)(u % 5) - 0.2f * (float)(i % 4); }

static void dataset(rs_dataset *d)
{
	rs_header h = {0};
	rs_header_add_column(&h, RS_COL_SPLIT);
	rs_header_add_column(&h, RS_COL_USER);
	rs_header_add_column(&h, RS_COL_ITEM);
	rs_header_add_column(&h, RS_COL_RATING);
	rs_header_set_target(&h, RS_TARGET_RATING);
	h.nusers = U;
	h.nitems = I;
	h.user_ids = calloc(U, sizeof *h.user_ids);
	h.item_ids = calloc(I, sizeof *h.item_ids);
	for (int u = 0; u < U; u++)
		h.user_ids[u] = 100 + u;
	for (int i = 0; i < I; i++)
		h.item_ids[i] = 500 + i;
	rs_header_add_field(&h, rs_field_name(RS_F_USER), U);   /* as a stream without x reads */
	rs_header_add_field(&h, rs_field_name(RS_F_ITEM), I);
	rs_dataset_like(d, &h, 0, 0);
	rs_header_free(&h);
	d->src = "test";
	for (uint32_t u = 0; u < U; u++)
		for (uint32_t i = 0; i < I; i++) {
			rs_dataset_push(d, u, i, NULL, NULL, 0);
			d->y[d->n - 1] = truth(u, i);
			d->split[d->n - 1] = (u + i) % 10 ? RS_SPLIT_TRAIN : RS_SPLIT_TEST;
		}
}

int main(void)
{
	/* a table the registry refuses: a shared-loop kind without backward */
	rs_model_ops broken = bias_ops;
	broken.backward = NULL;
	ok(rs_model_ops_check(&broken) != NULL, "a kind trained by the shared loop without backward is refused: %s",
	   rs_model_ops_check(&broken));
	int bad = 0;
	for (int i = 0; rs_model_kind_at(i); i++)
		bad += rs_model_ops_check(rs_model_kind_at(i)) != NULL;
	ok(!bad, "every kind of the library passes the registry's check");

	/* Step 2: registered, so that a model file of the kind loads */
	rs_model_kind_add(&bias_ops);
	ok(rs_model_kind("bias") == &bias_ops, "the kind is found by its name");

	/* The shared loop trains it one epoch, with the table's rows for
	 * RS_CAP_SGD */
	rs_dataset d;
	dataset(&d);
	rs_hparams hp;
	rs_hparams_from(&hp, bias_ops.caps, "--epochs 1 --lr 0.05 --batch-size 8 --global-mean");
	rs_model m;
	rs_model_create(&m, &bias_ops, &hp, &d);
	rs_train_opts o = {.quiet = 1};
	rs_quiet = 1;
	rs_fit(&m, &d, &o);
	uint32_t *test = malloc(d.n * sizeof *test);
	size_t nt = rs_dataset_select(&d, RS_SPLIT_TEST, test);
	float *before = malloc(nt * sizeof *before), *after = malloc(nt * sizeof *after);
	rs_model_predict(&m, &d, test, nt, before, 0);
	double se = 0, se_mean = 0;
	for (size_t t = 0; t < nt; t++) {
		double y = d.y[test[t]];
		se += (before[t] - y) * (before[t] - y);
		se_mean += (m.mu - y) * (m.mu - y);
	}
	ok(m.nlog == 1 && se < 0.5 * se_mean,
	   "one epoch: test RMSE %.4f, under the train mean's %.4f by half", sqrt(se / nt), sqrt(se_mean / nt));

	/* written as any model is, and loaded back by its kind's name */
	char path[64];
	snprintf(path, sizeof path, "/tmp/rs-test-extending-%d.bin", (int)getpid());
	rs_out out;
	rs_out_open(&out, path);
	rs_model_write(&m, &out);
	rs_model back;
	rs_model_load(&back, path);
	unlink(path);
	ok(back.ops == &bias_ops && back.hp.lr == hp.lr && back.mu == m.mu, "loaded: kind '%s', lr %g, mu %g",
	   back.ops->kind, back.hp.lr, back.mu);
	rs_model_predict(&back, &d, test, nt, after, 0);
	ok(!memcmp(before, after, nt * sizeof *after), "the loaded model scores the %zu test records to the bit", nt);

	/* Step 2 of a method: added, it is the one the skeleton picks for the
	 * kind, and its epochs run through the skeleton's loop: the log, the
	 * validation carve-out and the epoch kept */
	ok(rs_fit_method_for(&bias_ops, &hp) == &rs_fit_pointwise, "before: the shared loop's pointwise method");
	rs_fit_method_add(&closed_method);
	ok(rs_fit_method_for(&bias_ops, &hp) == &closed_method, "added: the closed-form method");
	rs_model closed_m;
	rs_hparams chp;
	rs_hparams_from(&chp, bias_ops.caps, "--epochs 4 --valid-ratio 0.1 --early-stop 0 --global-mean");
	rs_model_create(&closed_m, &bias_ops, &chp, &d);
	rs_fit(&closed_m, &d, &o);
	nt = rs_dataset_select(&d, RS_SPLIT_TEST, test);
	rs_model_predict(&closed_m, &d, test, nt, after, 0);
	se = 0;
	for (size_t t = 0; t < nt; t++)
		se += (after[t] - d.y[test[t]]) * (after[t] - d.y[test[t]]);
	/* the ratings are additive: a few sweeps fit them to float rounding */
	ok(closed_m.nlog == 4 && closed_m.best_epoch >= 1 && sqrt(se / nt) < 1e-4,
	   "closed form, 4 epochs through the skeleton: %d log rows, kept epoch %d, test RMSE %.2g",
	   closed_m.nlog, closed_m.best_epoch, sqrt(se / nt));
	ok(isfinite(closed_m.log[0].v[RS_LOG_VALID_RMSE]) && closed_m.log[3].v[RS_LOG_TRAIN_LOSS] < 1e-8,
	   "its log: valid RMSE %.2g at epoch 1, train loss %.2g at epoch 4",
	   closed_m.log[0].v[RS_LOG_VALID_RMSE], closed_m.log[3].v[RS_LOG_TRAIN_LOSS]);

	free(test), free(before), free(after);
	rs_model_free(&closed_m);
	rs_model_free(&m);
	rs_model_free(&back);
	rs_dataset_free(&d);
	return tap_done();
}
