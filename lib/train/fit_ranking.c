/* fit_ranking.c: the ranking losses' method (fit.h): --loss bpr, softmax
 * and sampled-softmax, a step per minibatch of positives (bpr.h), on one
 * thread; each epoch judged by HR@10 and NDCG@10 of the validation and
 * test records. */
#include "fit.h"
#include "bpr.h"
#include "ctxscore.h"
#include "mem.h"
#include "optim.h"

#include <math.h>
#include <stdlib.h>

typedef struct ranking {
	rs_bpr pairs;
	rs_optim opt;
	rs_rng sample, drop;
	float *out, *dout;
	double loss0;            /* the run's first batch's */
} ranking;

static int ranking_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return (ops->caps & RS_CAP_SGD) && rs_loss_ranks(hp->loss);
}

static void ranking_init(void *s, rs_fit_run *f)
{
	ranking *r = s;
	rs_model *m = f->m;
	const rs_hparams *hp = &m->hp;
	rs_bpr_init(&r->pairs, m, f->d);
	rs_params_alloc_training(&m->p);
	rs_model_reserve(m, hp->batch);
	/* a BPR batch of whole records scores each positive and its negatives
	 * (a model whose score splits keeps its own, ctxtrain.h) */
	size_t nout = (size_t)hp->batch * (rs_ctx_applies(m) ? 1 : 1 + (size_t)hp->negatives);
	r->out = rs_malloc(nout * sizeof *r->out);
	r->dout = rs_malloc(nout * sizeof *r->dout);
	rs_optim_default(&r->opt, hp->optimizer, (float)hp->lr, (float)hp->weight_decay);
	rs_rng_seed(&r->drop, hp->seed + 2);
	rs_rng_seed(&r->sample, hp->seed + 3);
}

static double ranking_epoch(void *s, rs_fit_run *f)
{
	ranking *r = s;
	rs_model *m = f->m;
	int B = m->hp.batch;
	size_t nb = (f->hi - f->lo + B - 1) / B;
	double sum = 0;
	for (size_t at = f->lo, k = 0; at < f->hi; at += B, k++) {
		int b = f->hi - at < (size_t)B ? (int)(f->hi - at) : B;
		double loss = rs_bpr_step(&r->pairs, m, f->d, f->train + at, b, &r->sample, &r->drop, r->out,
					  r->dout);
		if (f->epoch == 1 && at == f->lo)
			r->loss0 = loss;
		if (rs_fit_diverged(loss, r->loss0)) {
			f->diverged = 1, f->bad = loss;
			return NAN;
		}
		sum += loss * b;
		rs_optim_step(&r->opt, &m->p);
		rs_fit_progress(f, k, nb);
	}
	return sum;
}

static void ranking_evaluate(void *s, rs_fit_run *f, double *v)
{
	(void)f;
	ranking *r = s;
	rs_rank_metrics rv, rt;
	rs_bpr_evaluate(&r->pairs, &rv, &rt);
	v[RS_LOG_VALID_HR] = rv.n ? rv.hr : NAN;
	v[RS_LOG_VALID_NDCG] = rv.n ? rv.ndcg : NAN;
	v[RS_LOG_TEST_HR] = rt.n ? rt.hr : NAN;
	v[RS_LOG_TEST_NDCG] = rt.n ? rt.ndcg : NAN;
}

static void ranking_free(void *s)
{
	ranking *r = s;
	rs_bpr_free(&r->pairs);
	free(r->out);
	free(r->dout);
}

const rs_fit_method rs_fit_ranking = {
	.name = "ranking",
	.flags = RS_FIT_VALID | RS_FIT_SHUFFLE | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_RANGE,
	.remedy = "--lr",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = ranking_applies,
	.state = sizeof(ranking),
	.init = ranking_init,
	.epoch = ranking_epoch,
	.evaluate = ranking_evaluate,
	.free = ranking_free,
};
