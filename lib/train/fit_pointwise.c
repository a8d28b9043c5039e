/* fit_pointwise.c: the pointwise method (fit.h): minibatches of records,
 * each record's output against its target (squared error of a rating, the
 * logistic loss of a click), a step of the optimizer a batch. Under
 * --threads N each thread trains a copy of the parameters (a lane) on an
 * N-th of the epoch's records, and the copies are averaged when it ends,
 * as MPI's ranks are (dist.h): a fixed N gives the same model on every
 * run. */
#include "fit.h"
#include "mem.h"
#include "nn.h"
#include "optim.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One thread's share of an epoch: its own copy of the parameters (lane 0
 * trains the model itself), optimizer state, batch and dropout stream. */
typedef struct lane {
	rs_model *m, copy;
	rs_optim opt;
	rs_dataset batch;
	float *out, *dout;
	uint32_t *iota;
	rs_rng drop;
	const rs_fit_run *f;
	size_t lo, hi;
	rs_fit_tally tally;
} lane;

typedef struct pointwise {
	lane *lanes;
	int T;
} pointwise;

static void lane_init(lane *l, rs_model *m, int t, int B)
{
	memset(l, 0, sizeof *l);
	l->m = m;
	if (t) {   /* a copy of the parameters with training state of its own */
		l->copy = *m;
		rs_params *p = &l->copy.p;
		p->w = rs_malloc(p->size * sizeof *p->w);
		memcpy(p->w, m->p.w, p->size * sizeof *p->w);
		p->g = p->m = p->v = NULL;
		for (int k = 0; k < p->n; k++)
			p->t[k].touched = p->t[k].stamp = NULL, p->t[k].ntouched = 0;
		l->copy.scratch = NULL, l->copy.scratch_B = 0, l->copy.log = NULL;
		l->m = &l->copy;
	}
	rs_params_alloc_training(&l->m->p);
	rs_model_reserve(l->m, B);
	rs_optim_default(&l->opt, m->hp.optimizer, (float)m->hp.lr, (float)m->hp.weight_decay);
	rs_rng_seed(&l->drop, m->hp.seed + 2 + 7919 * (uint64_t)t);
	l->out = rs_malloc((size_t)B * sizeof *l->out);
	l->dout = rs_malloc((size_t)B * sizeof *l->dout);
	l->iota = rs_malloc((size_t)B * sizeof *l->iota);
	for (int j = 0; j < B; j++)
		l->iota[j] = (uint32_t)j;
}

static void lane_free(lane *l)
{
	if (l->m == &l->copy) {
		rs_params_free(&l->copy.p);
		free(l->copy.scratch);
	}
	free(l->out), free(l->dout), free(l->iota);
	rs_dataset_free(&l->batch);
}

/* Minibatches over the train records [lo, hi). A diverged batch stops the
 * lane and is reported after the join (no thread may exit the process). */
static void lane_run(lane *l)
{
	rs_model *m = l->m;
	const rs_fit_run *f = l->f;
	int B = m->hp.batch;
	size_t nb = (l->hi - l->lo + B - 1) / B;
	l->tally.loss = 0;
	for (size_t s = l->lo, k = 0; s < l->hi; s += B, k++) {
		int b = l->hi - s < (size_t)B ? (int)(l->hi - s) : B;
		rs_dataset_gather(&l->batch, f->d, f->train + s, (size_t)b, m->ops->features);
		const float *y = l->batch.y;
		m->ops->forward(m, &l->batch, l->iota, b, l->out, &l->drop);
		double loss = m->click ? bce_logits_forward(l->out, y, b) : mse_forward(l->out, y, b);
		if (m->click)
			bce_logits_backward(l->dout, l->out, y, b);
		else
			mse_backward(l->dout, l->out, y, b);
		m->ops->backward(m, &l->batch, l->iota, b, l->dout);
		if (!rs_fit_tally_add(&l->tally, loss, b, f->epoch == 1 && s == l->lo))
			return;
		rs_optim_step(&l->opt, &m->p);
		if (l->m == f->m)   /* lane 0's */
			rs_fit_progress(f, k, nb);
	}
}

static void lane_body(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	lane *lanes = ctx;
	for (size_t i = lo; i < hi; i++)
		lane_run(&lanes[i]);
}

static int pointwise_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return (ops->caps & RS_CAP_SGD) && !rs_loss_ranks(hp->loss) && hp->optimizer != RS_ADAGRAD;
}

static void pointwise_init(void *s, rs_fit_run *f)
{
	pointwise *p = s;
	p->T = f->threads;
	p->lanes = rs_calloc((size_t)p->T, sizeof *p->lanes);
	for (int t = 0; t < p->T; t++)
		lane_init(&p->lanes[t], f->m, t, f->m->hp.batch);
}

static double pointwise_epoch(void *s, rs_fit_run *f)
{
	pointwise *p = s;
	int T = p->T;
	rs_model *m = f->m;
	for (int t = 0; t < T; t++) {   /* each lane a T-th of this rank's share */
		lane *l = &p->lanes[t];
		l->f = f;
		l->lo = f->lo + (f->hi - f->lo) * (size_t)t / (size_t)T;
		l->hi = f->lo + (f->hi - f->lo) * (size_t)(t + 1) / (size_t)T;
		if (t)
			memcpy(l->m->p.w, m->p.w, m->p.size * sizeof *m->p.w);
	}
	if (T > 1)
		rs_parallel_for((size_t)T, 1, T, lane_body, p->lanes);
	else
		lane_run(&p->lanes[0]);
	double loss = 0;
	for (int t = 0; t < T; t++)
		if (!rs_fit_tally_join(f, &p->lanes[t].tally, &loss))
			return NAN;
	if (T > 1) {   /* the lanes' mean, in lane order */
		float *w = m->p.w;
		for (size_t i = 0; i < m->p.size; i++) {
			float sum = w[i];
			for (int t = 1; t < T; t++)
				sum += p->lanes[t].m->p.w[i];
			w[i] = sum / (float)T;
		}
	}
	return loss;
}

static void pointwise_free(void *s)
{
	pointwise *p = s;
	for (int t = 0; t < p->T; t++)
		lane_free(&p->lanes[t]);
	free(p->lanes);
}

const rs_fit_method rs_fit_pointwise = {
	.name = "pointwise",
	.flags = RS_FIT_VALID | RS_FIT_SHUFFLE | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_RANGE,
	.remedy = "--lr",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = pointwise_applies,
	.state = sizeof(pointwise),
	.init = pointwise_init,
	.epoch = pointwise_epoch,
	.free = pointwise_free,
};
