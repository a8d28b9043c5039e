/* fit_mcmc.c: fm-mcmc's method (fit.h, mcmc.h): an epoch is one of the
 * Gibbs sampler's iterations; the kept samples are written into the model
 * as they are drawn, the linear weights' and w0's means at the end; each
 * iteration's test metrics are those of the running average. */
#include "fit.h"
#include "mcmc.h"
#include "cli.h"
#include "fm.h"
#include "mcmc_chain.h"
#include "mem.h"
#include "metrics.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>

static int kept_sample(const rs_hparams *hp, int it)
{
	return it > hp->burn_in && (hp->iters - it) % hp->thin == 0;
}

static double probit(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }

/* The test records' scores under this sample, into the kept samples'
 * sums and the running average. */
typedef struct test_job {
	const rs_chain *c;
	const rs_model *m;
	const rs_dataset *d;
	const uint32_t *test;
	double *sum;
	float *avg;
	double *s;
	int keep, kept;
} test_job;

static void score_tests(void *ctx, size_t lo, size_t hi, int t)
{
	test_job *j = ctx;
	const rs_model *m = j->m;
	for (size_t i = lo; i < hi; i++) {
		double y = rs_chain_score(j->c, j->d, j->test[i], j->s + (size_t)t * (j->c->k + 1));
		if (j->keep)
			j->sum[i] += y;
		/* the running average once there is one, else this sample */
		double a = j->kept ? j->sum[i] / j->kept : y;
		j->avg[i] = m->click ? (float)probit(a)
				     : (float)(a < m->ymin ? m->ymin : a > m->ymax ? m->ymax : a);
	}
}

typedef struct mcmc {
	rs_chain c;
	rs_rng rng;
	double *s;               /* (threads, k + 1) a thread's scratch */
	double *sum;             /* (ntest) the kept samples' test scores */
	float *avg, *ty;         /* (ntest) the running average's scores; the targets */
	uint64_t *work;
	double *wsum, w0sum;     /* the kept samples' sums of w and w0 */
	int kept;
} mcmc;

static int mcmc_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	(void)hp;
	return (ops->caps & RS_CAP_MCMC) != 0;
}

static void mcmc_init(void *s, rs_fit_run *f)
{
	mcmc *g = s;
	rs_model *m = f->m;
	size_t ntest = f->ntest;
	rs_rng_seed(&g->rng, m->hp.seed);
	rs_chain_init(&g->c, m, f->d, f->train, f->ntrain, f->threads, f->method->variant, &g->rng);
	g->s = rs_malloc(((size_t)g->c.k + 1) * (size_t)g->c.threads * sizeof *g->s);
	rs_chain_residuals(&g->c, g->s);
	if (m->click)
		rs_chain_draw_latent(&g->c, &g->rng);
	g->sum = rs_calloc(ntest + 1, sizeof *g->sum);
	g->avg = rs_malloc((ntest + 1) * sizeof *g->avg);
	g->ty = rs_malloc((ntest + 1) * sizeof *g->ty);
	g->work = rs_malloc(2 * (ntest + 1) * sizeof *g->work);
	for (size_t i = 0; i < ntest; i++)
		g->ty[i] = f->d->y[f->test[i]];
	g->wsum = rs_calloc((size_t)g->c.N + 1, sizeof *g->wsum);
}

/* One sweep; returns the summed squared residual */
static double mcmc_epoch(void *s, rs_fit_run *f)
{
	mcmc *g = s;
	rs_chain *c = &g->c;
	rs_model *m = f->m;
	const rs_hparams *hp = &m->hp;
	int k = c->k, K = m->k;
	rs_chain_draw_hyper(c, m->click, &g->rng);
	rs_chain_draw_params(c, &g->rng);
	if (m->click)
		rs_chain_draw_latent(c, &g->rng);
	int keep = kept_sample(hp, f->epoch);
	if (keep) {   /* into the model: column block `kept` of V, the means of w */
		float *Vm = rs_w(&m->p, FM_V);
		float scale = (float)(1.0 / sqrt((double)rs_mcmc_samples(hp)));
		for (uint32_t j = 0; j < c->N; j++) {
			float *row = Vm + (size_t)j * (K + 1) + (size_t)g->kept * k;
			for (int e = 0; e < k; e++)
				row[e] = c->V[(size_t)j * k + e] * scale;
			g->wsum[j] += c->w[j];
		}
		g->w0sum += c->w0;
		g->kept++;
	}
	rs_chain_block_terms(c);
	test_job tj = {c, m, f->d, f->test, g->sum, g->avg, g->s, keep, g->kept};
	rs_parallel_for(f->ntest, 1024, c->threads, score_tests, &tj);
	double se = 0;
	for (size_t r = 0; r < c->n; r++)
		se += (double)rs_chain_residual(c, r) * rs_chain_residual(c, r);
	return se;
}

static void mcmc_evaluate(void *s, rs_fit_run *f, double *v)
{
	mcmc *g = s;
	size_t ntest = f->ntest;
	/* the train loss is the mean squared residual, not half of it */
	v[RS_LOG_TRAIN_RMSE] = f->m->click ? NAN : sqrt(v[RS_LOG_TRAIN_LOSS]);
	if (ntest && f->m->click) {
		v[RS_LOG_TEST_AUC] = rs_auc(g->avg, g->ty, ntest, g->work);
		v[RS_LOG_TEST_LOGLOSS] = rs_logloss(g->avg, g->ty, ntest);
		v[RS_LOG_TEST_ACCURACY] = rs_accuracy(g->avg, g->ty, ntest);
	} else if (ntest) {
		v[RS_LOG_TEST_RMSE] = rs_rmse(g->avg, g->ty, ntest);
	}
}

/* w0 and the linear weights: the kept samples' means */
static void mcmc_finish(void *s, rs_fit_run *f)
{
	mcmc *g = s;
	rs_model *m = f->m;
	float *Vm = rs_w(&m->p, FM_V);
	rs_w(&m->p, FM_W0)[0] = (float)(g->w0sum / g->kept);
	for (uint32_t j = 0; j < g->c.N; j++)
		Vm[(size_t)j * (m->k + 1) + m->k] = (float)(g->wsum[j] / g->kept);
}

static void mcmc_free(void *s)
{
	mcmc *g = s;
	rs_chain_free(&g->c);
	free(g->s), free(g->sum), free(g->avg), free(g->ty), free(g->work), free(g->wsum);
}

/* one process (no way yet to keep ranks' chains in step) */
const rs_fit_method rs_fit_mcmc = {
	.name = "mcmc",
	.flags = RS_FIT_ANY_THREADS | RS_FIT_RANGE,
	.remedy = "--init-std",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, init_std),
	.variant = RS_CHAIN_BLOCKS | RS_CHAIN_JOINT,   /* the scan (mcmc_chain.h) */
	.applies = mcmc_applies,
	.state = sizeof(mcmc),
	.init = mcmc_init,
	.epoch = mcmc_epoch,
	.evaluate = mcmc_evaluate,
	.finish = mcmc_finish,
	.free = mcmc_free,
};
