/* mcmc_fit.c: fm-mcmc's fit (mcmc.h): the sampler's iterations, the kept
 * samples written into the model, the log. */
#include "mcmc_fit.h"
#include "cli.h"
#include "fm.h"
#include "mcmc_chain.h"
#include "mem.h"
#include "metrics.h"
#include "parallel.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void rs_mcmc_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	rs_mcmc_fit_scan(m, d, o, RS_CHAIN_BLOCKS | RS_CHAIN_JOINT);
}

void rs_mcmc_fit_scan(rs_model *m, rs_dataset *d, const rs_train_opts *o, int scan)
{
	const rs_hparams *hp = &m->hp;
	uint32_t *train = rs_malloc((d->n + 1) * sizeof *train);
	uint32_t *test = rs_malloc((d->n + 1) * sizeof *test);
	size_t ntrain = rs_dataset_select(d, RS_SPLIT_TRAIN, train), ntest = rs_dataset_select(d, RS_SPLIT_TEST, test);
	if (!ntrain)
		rs_die("%s: the stream has no train records (split 0)", d->src);
	int click = m->click;
	if (!click) {
		float lo = d->y[train[0]], hi = lo;
		for (size_t i = 0; i < ntrain; i++) {
			lo = d->y[train[i]] < lo ? d->y[train[i]] : lo;
			hi = d->y[train[i]] > hi ? d->y[train[i]] : hi;
		}
		m->ymin = lo, m->ymax = hi;
	}
	rs_rng rng;
	rs_rng_seed(&rng, hp->seed);
	rs_chain c;
	rs_chain_init(&c, m, d, train, ntrain, o->threads > 0 ? o->threads : 1, scan, &rng);
	int k = c.k, S = rs_mcmc_samples(hp), K = m->k, kept = 0;
	double *s = rs_malloc(((size_t)k + 1) * (size_t)c.threads * sizeof *s);   /* a thread's scratch */
	rs_chain_residuals(&c, s);
	if (click)
		rs_chain_draw_latent(&c, &rng);

	double *sum = rs_calloc(ntest + 1, sizeof *sum);   /* the kept samples' test scores */
	float *avg = rs_malloc((ntest + 1) * sizeof *avg), *ty = rs_malloc((ntest + 1) * sizeof *ty);
	uint64_t *work = rs_malloc(2 * (ntest + 1) * sizeof *work);
	for (size_t i = 0; i < ntest; i++)
		ty[i] = d->y[test[i]];
	double *wsum = rs_calloc((size_t)c.N + 1, sizeof *wsum), w0sum = 0;
	float *Vm = rs_w(&m->p, FM_V);
	float scale = (float)(1.0 / sqrt((double)S));

	free(m->log);
	m->log = rs_calloc((size_t)hp->iters + 1, sizeof *m->log);
	m->nlog = 0;
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(rs_model_task(m), 0, cols);
	rs_log_header(o, cols, ncols);
	for (int it = 1; it <= hp->iters; it++) {
		double t0 = rs_train_clock();
		rs_chain_draw_hyper(&c, click, &rng);
		rs_chain_draw_params(&c, &rng);
		if (click)
			rs_chain_draw_latent(&c, &rng);
		int keep = kept_sample(hp, it);
		if (keep) {   /* into the model: column block `kept` of V, the means of w */
			for (uint32_t j = 0; j < c.N; j++) {
				float *row = Vm + (size_t)j * (K + 1) + (size_t)kept * k;
				for (int f = 0; f < k; f++)
					row[f] = c.V[(size_t)j * k + f] * scale;
				wsum[j] += c.w[j];
			}
			w0sum += c.w0;
			kept++;
		}
		rs_chain_block_terms(&c);
		test_job tj = {&c, m, d, test, sum, avg, s, keep, kept};
		rs_parallel_for(ntest, 1024, c.threads, score_tests, &tj);
		double seconds = rs_train_clock() - t0;
		double se = 0;
		for (size_t r = 0; r < c.n; r++)
			se += (double)rs_chain_residual(&c, r) * rs_chain_residual(&c, r);
		rs_epoch *e = &m->log[m->nlog++];
		for (int col = 0; col < RS_LOG_NCOLS; col++)
			e->v[col] = NAN;
		e->v[RS_LOG_EPOCH] = it;
		e->v[RS_LOG_TRAIN_LOSS] = se / (double)c.n;   /* mean squared residual */
		if (!isfinite(e->v[RS_LOG_TRAIN_LOSS]))
			rs_die("sampling diverged at iteration %d (try a lower --init-std); nothing written", it);
		if (ntest && click) {
			e->v[RS_LOG_TEST_AUC] = rs_auc(avg, ty, ntest, work);
			e->v[RS_LOG_TEST_LOGLOSS] = rs_logloss(avg, ty, ntest);
			e->v[RS_LOG_TEST_ACCURACY] = rs_accuracy(avg, ty, ntest);
		} else if (ntest) {
			e->v[RS_LOG_TEST_RMSE] = rs_rmse(avg, ty, ntest);
		}
		if (!click)
			e->v[RS_LOG_TRAIN_RMSE] = sqrt(e->v[RS_LOG_TRAIN_LOSS]);
		e->v[RS_LOG_SECONDS] = seconds;
		rs_log_row(o, cols, ncols, e->v);
		if (!o->quiet)
			fprintf(stderr, "%s: iter %d/%d train %.4f test %s %.4f %.3f s\n", rs_prog, it,
				hp->iters, e->v[RS_LOG_TRAIN_LOSS], click ? "auc" : "rmse",
				click ? e->v[RS_LOG_TEST_AUC] : e->v[RS_LOG_TEST_RMSE], seconds);
	}
	rs_w(&m->p, FM_W0)[0] = (float)(w0sum / kept);
	for (uint32_t j = 0; j < c.N; j++)
		Vm[(size_t)j * (K + 1) + K] = (float)(wsum[j] / kept);
	m->best_epoch = m->nlog;
	if (o->log && fclose(o->log) != 0)
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
	const rs_epoch *last = &m->log[m->nlog - 1];
	rs_summary("%zu train, %zu test records; %d iterations, %d samples averaged: test %s %.4f",
		   ntrain, ntest, m->nlog, kept, click ? "auc" : "rmse",
		   click ? last->v[RS_LOG_TEST_AUC] : last->v[RS_LOG_TEST_RMSE]);
	rs_chain_free(&c);
	free(s), free(sum), free(avg), free(ty), free(work), free(wsum), free(train), free(test);
}

