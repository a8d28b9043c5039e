/* fit_ranking.c: the ranking losses' method (fit.h): --loss bpr, softmax
 * and sampled-softmax, a step per minibatch of positives (bpr.h); each
 * epoch judged by HR@10 and NDCG@10 of the validation and test records,
 * ranked on the same threads (the same metrics for any number).
 *
 * --threads N: N workers (workers.h), each stepping the model on an N-th
 * of every epoch's positives with its own random streams, sharing the
 * weights and the optimizer's moments (Hogwild-style): on the 1M-event log
 * two threads learnt an epoch as one does (BPR, adam-row: train loss
 * 0.1603 against 0.1596, test HR@10 0.1840 both), where two lanes averaged
 * at the epoch's end learnt less (0.1667, HR@10 0.1790): an averaged row
 * moves by the mean of its lanes' steps. One thread gives the same model for the
 * same seed; more give a model that also depends on how the threads met. */
#include "fit.h"
#include "bpr.h"
#include "ctxscore.h"
#include "mem.h"
#include "optim.h"
#include "workers.h"

#include <math.h>
#include <stdlib.h>

/* One worker's share of an epoch and what it met. */
typedef struct lane {
	rs_bpr clone;            /* lanes t > 0: their step state */
	rs_bpr *pairs;
	rs_model *m;
	rs_optim opt;
	rs_rng sample, drop;
	float *out, *dout;
	size_t lo, hi;
	rs_fit_tally tally;
} lane;

typedef struct ranking {
	rs_bpr pairs;
	rs_workers workers;
	lane *lanes;
	const rs_fit_run *f;
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
	r->pairs.ranker.threads = f->threads;   /* the epoch's rankings on the workers' threads */
	rs_workers_init(&r->workers, m, f->threads, RS_WORKERS_SHARED, hp->batch);
	/* a BPR batch of whole records scores each positive and its negatives
	 * (a model whose score splits keeps its own, ctxtrain.h) */
	size_t nout = (size_t)hp->batch * (rs_ctx_applies(m) ? 1 : 1 + (size_t)hp->negatives);
	r->lanes = rs_calloc((size_t)f->threads, sizeof *r->lanes);
	for (int t = 0; t < f->threads; t++) {
		lane *l = &r->lanes[t];
		l->m = rs_worker_model(&r->workers, t);
		l->pairs = &r->pairs;
		if (t) {
			rs_bpr_clone(&l->clone, &r->pairs, l->m);
			l->pairs = &l->clone;
		}
		l->out = rs_malloc(nout * sizeof *l->out);
		l->dout = rs_malloc(nout * sizeof *l->dout);
		rs_optim_default(&l->opt, hp->optimizer, (float)hp->lr, (float)hp->weight_decay);
		if (rs_ctx_applies(l->m))   /* BPR under AdaGrad steps its candidates' rows in place */
			rs_ctxtrain_fuse(&l->pairs->ct, &l->opt);
		rs_rng_seed(&l->drop, hp->seed + 2 + 7919 * (uint64_t)t);
		rs_rng_seed(&l->sample, hp->seed + 3 + 7919 * (uint64_t)t);
	}
}

/* Worker t's minibatches over train[lo, hi). A diverged batch stops it
 * and is reported after the join. */
static void lane_run(void *ctx, int t)
{
	ranking *r = ctx;
	lane *l = &r->lanes[t];
	const rs_fit_run *f = r->f;
	rs_model *m = l->m;
	int B = m->hp.batch;
	size_t nb = (l->hi - l->lo + B - 1) / B;
	l->tally.loss = 0;
	for (size_t at = l->lo, k = 0; at < l->hi; at += B, k++) {
		int b = l->hi - at < (size_t)B ? (int)(l->hi - at) : B;
		double loss = rs_bpr_step(l->pairs, m, f->d, f->train + at, b, &l->sample, &l->drop, l->out,
					  l->dout);
		if (!rs_fit_tally_add(&l->tally, loss, b, f->epoch == 1 && at == l->lo))
			return;
		rs_optim_step(&l->opt, &m->p);
		if (!t)
			rs_fit_progress(f, k, nb);
	}
}

static double ranking_epoch(void *s, rs_fit_run *f)
{
	ranking *r = s;
	int T = r->workers.T;
	r->f = f;
	for (int t = 0; t < T; t++) {   /* each worker a T-th of this rank's share */
		lane *l = &r->lanes[t];
		l->lo = f->lo + (f->hi - f->lo) * (size_t)t / (size_t)T;
		l->hi = f->lo + (f->hi - f->lo) * (size_t)(t + 1) / (size_t)T;
	}
	rs_workers_begin(&r->workers);
	rs_workers_run(&r->workers, lane_run, r);
	double sum = 0;
	for (int t = 0; t < T; t++)
		if (!rs_fit_tally_join(f, &r->lanes[t].tally, &sum))
			return NAN;
	rs_workers_end(&r->workers);
	return sum;
}

static void ranking_evaluate(void *s, rs_fit_run *f, double *v)
{
	ranking *r = s;
	rs_rank_metrics rv, rt;
	double t0 = rs_train_clock();
	rs_bpr_evaluate(&r->pairs, &rv, &rt);
	f->ranked_seconds = rs_train_clock() - t0;
	f->ranked_valid = rv.n, f->ranked_test = rt.n;
	v[RS_LOG_VALID_HR] = rv.n ? rv.hr : NAN;
	v[RS_LOG_VALID_NDCG] = rv.n ? rv.ndcg : NAN;
	v[RS_LOG_TEST_HR] = rt.n ? rt.hr : NAN;
	v[RS_LOG_TEST_NDCG] = rt.n ? rt.ndcg : NAN;
}

static void ranking_free(void *s)
{
	ranking *r = s;
	for (int t = 0; t < r->workers.T && r->lanes; t++) {
		lane *l = &r->lanes[t];
		if (t)
			rs_bpr_clone_free(&l->clone);
		free(l->out);
		free(l->dout);
	}
	free(r->lanes);
	rs_workers_free(&r->workers);
	rs_bpr_free(&r->pairs);
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
