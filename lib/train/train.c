/* train.c: the shared training loop. */
#include "train.h"
#include "bpr.h"
#include "cli.h"
#include "dist.h"
#include "fmadagrad.h"
#include "mem.h"
#include "metrics.h"
#include "mfadagrad.h"
#include "nn.h"
#include "parallel.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_evaluate(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n, float *scores,
		 uint64_t *work, rs_metrics *out)
{
	*out = (rs_metrics){NAN, NAN, NAN, NAN, NAN};
	if (!n)
		return;
	rs_model_predict(m, d, idx, n, scores, m->click);
	float *labels = rs_malloc(n * sizeof *labels);
	for (size_t i = 0; i < n; i++)
		labels[i] = d->y[idx[i]];
	if (m->click) {
		out->auc = rs_auc(scores, labels, n, work);
		out->logloss = rs_logloss(scores, labels, n);
		out->accuracy = rs_accuracy(scores, labels, n);
	} else {
		out->rmse = rs_rmse(scores, labels, n);
		out->mae = rs_mae(scores, labels, n);
	}
	free(labels);
}

static void progress(int epoch, size_t done, size_t total)
{
	fprintf(stderr, "\r%s: epoch %d %3d%%", rs_prog, epoch, (int)(100.0 * done / total));
	fflush(stderr);
}

/* One thread's share of an epoch (--threads N): its own copy of the
 * parameters (lane 0 trains the model itself), optimizer state, batch and
 * dropout stream; the copies are averaged when the epoch ends, as MPI's
 * ranks are (dist.h). A fixed N gives the same model on every run. */
typedef struct lane {
	rs_model *m, copy;
	rs_optim opt;
	rs_dataset batch;
	float *out, *dout;
	uint32_t *iota;
	rs_rng drop;
	const rs_dataset *d;
	const uint32_t *idx;
	size_t lo, hi;
	int epoch, tty;
	double loss, loss0, bad;   /* summed loss; first batch's; a diverged batch's */
} lane;

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

/* Pointwise minibatches over idx[lo, hi). A diverged batch stops the lane
 * and is reported after the join (no thread may exit the process). */
static void lane_run(lane *l)
{
	rs_model *m = l->m;
	int B = m->hp.batch;
	size_t nb = (l->hi - l->lo + B - 1) / B;
	l->loss = 0;
	for (size_t s = l->lo, k = 0; s < l->hi; s += B, k++) {
		int b = l->hi - s < (size_t)B ? (int)(l->hi - s) : B;
		rs_dataset_gather(&l->batch, l->d, l->idx + s, (size_t)b, m->ops->features);
		const float *y = l->batch.y;
		m->ops->forward(m, &l->batch, l->iota, b, l->out, &l->drop);
		double loss = m->click ? bce_logits_forward(l->out, y, b) : mse_forward(l->out, y, b);
		if (m->click)
			bce_logits_backward(l->dout, l->out, y, b);
		else
			mse_backward(l->dout, l->out, y, b);
		m->ops->backward(m, &l->batch, l->iota, b, l->dout);
		if (l->epoch == 1 && s == l->lo)
			l->loss0 = loss;
		/* NaN, inf, or ten thousand times the untrained loss: no run recovers */
		if (!isfinite(loss) || loss > 1e4 * (l->loss0 + 1e-3)) {
			l->bad = isfinite(loss) ? loss : NAN;
			return;
		}
		l->loss += loss * b;
		rs_optim_step(&l->opt, &m->p);
		if (l->tty && (k % 64 == 0))
			progress(l->epoch, k, nb);
	}
}

static void lane_body(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	lane *lanes = ctx;
	for (size_t i = lo; i < hi; i++)
		lane_run(&lanes[i]);
}

void rs_train(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	int ranks = rs_loss_ranks(hp->loss);
	/* ranking is validated the way it is tested: on a seq-aware split, by
	 * each user's latest train item */
	if (ranks && hp->valid_ratio > 0 && rs_dataset_test_is_latest(d))
		rs_dataset_carve_latest(d);
	else
		rs_dataset_carve_valid(d, hp->valid_ratio, hp->seed);
	uint32_t *train = rs_malloc((d->n + 1) * sizeof *train);
	uint32_t *valid = rs_malloc((d->n + 1) * sizeof *valid);
	uint32_t *test = rs_malloc((d->n + 1) * sizeof *test);
	size_t ntrain = rs_dataset_select(d, RS_SPLIT_TRAIN, train), ntest = rs_dataset_select(d, RS_SPLIT_TEST, test);
	size_t nvalid = rs_dataset_select(d, RS_SPLIT_VALID, valid);
	if (!ntrain)
		rs_die("%s: the stream has no train records (split 0)", d->src);
	float lo = d->y[train[0]], hi = lo;
	double sum = 0;
	for (size_t i = 0; i < ntrain; i++) {
		float v = d->y[train[i]];
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	if (!m->click)
		m->ymin = lo, m->ymax = hi;
	if (hp->global_mean)
		m->mu = (float)(sum / (double)ntrain);
	size_t neval = nvalid > ntest ? nvalid : ntest;
	float *scores = rs_malloc((neval + 1) * sizeof *scores);
	uint64_t *work = rs_malloc(2 * (neval + 1) * sizeof *work);
	float *best = nvalid ? rs_malloc(m->p.size * sizeof *best) : NULL;
	int B = hp->batch;
	rs_bpr pairs;
	if (ranks)
		rs_bpr_init(&pairs, m, d);
	/* a BPR batch of whole records scores each positive and its
	 * negatives (a model whose score splits keeps its own, ctxtrain.h);
	 * the ranking losses train on one thread */
	size_t nout = (size_t)B * (ranks && !rs_ctx_applies(m) ? 1 + (size_t)hp->negatives : 1);
	float *out = rs_malloc(nout * sizeof *out), *dout = rs_malloc(nout * sizeof *dout);
	int T = ranks ? 1 : o->threads > 1 ? o->threads : 1;
	/* the fused solver keeps no gradients or moments, and no lanes */
	int fused = hp->optimizer == RS_ADAGRAD, L = fused ? 0 : T;
	int fmfused = fused && m->ops == &rs_fm_ops;   /* records share rows: one thread */
	if (fused && (ranks || (m->ops != &rs_mf_ops && !fmfused)))
		rs_die("--optimizer adagrad is the fused solver of MF's and FM's pointwise loss");
	rs_mf_adagrad fz = {0};
	rs_fm_adagrad fmz = {0};
	if (fmfused)
		rs_fm_adagrad_init(&fmz, m);
	lane *lanes = rs_calloc((size_t)L + 1, sizeof *lanes);
	for (int t = 0; t < L; t++)
		lane_init(&lanes[t], m, t, B);
	rs_optim opt;
	rs_optim_default(&opt, hp->optimizer, (float)hp->lr, (float)hp->weight_decay);
	rs_rng shuf, sample;
	rs_rng_seed(&shuf, hp->seed + 1);
	rs_rng_seed(&sample, hp->seed + 3);
	free(m->log);
	m->log = rs_calloc((size_t)hp->epochs + 1, sizeof *m->log);
	m->nlog = 0;

	unsigned task = rs_model_task(m);
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(task, 0, cols);
	/* the metric that picks the epoch kept, and its test twin; all but RMSE
	 * are better higher */
	int vcol = ranks ? RS_LOG_VALID_HR : m->click ? RS_LOG_VALID_AUC : RS_LOG_VALID_RMSE;
	int tcol = ranks ? RS_LOG_TEST_HR : m->click ? RS_LOG_TEST_AUC : RS_LOG_TEST_RMSE;
	int higher = vcol != RS_LOG_VALID_RMSE;
	FILE *log = o->log;
	rs_log_header(o, cols, ncols);
	int tty = !o->quiet && rs_stderr_is_tty();
	const char *metric = ranks ? "hr" RS_LOG_AT : m->click ? "auc" : "rmse";
	double best_valid = NAN, loss0 = 0;
	int since_best = 0;
	m->best_epoch = 0;
	/* under mpirun each rank takes its K-th of every epoch's shuffle (the
	 * same on every rank: one seed), and the ranks' parameters are
	 * averaged when the epoch ends (dist.h) */
	size_t K = (size_t)rs_dist_size(), rank = (size_t)rs_dist_rank();
	for (int epoch = 1; epoch <= hp->epochs; epoch++) {
		double t0 = rs_train_clock(), loss_sum = 0;
		/* MF's fused solver shuffles its own blocks (its records are
		 * shuffled once, into ranks' shares); FM's takes the epoch's */
		if (!fused || fmfused || (epoch == 1 && K > 1))
			rs_rng_shuffle(&shuf, train, ntrain);
		size_t lo = ntrain * rank / K, hi = ntrain * (rank + 1) / K;
		if (ranks) {
			size_t nb = (hi - lo + B - 1) / B;
			for (size_t s = lo, k = 0; s < hi; s += B, k++) {
				int b = hi - s < (size_t)B ? (int)(hi - s) : B;
				double loss = rs_bpr_step(&pairs, m, d, train + s, b, &sample, &lanes[0].drop, out, dout);
				if (epoch == 1 && s == lo)
					loss0 = loss;
				if (!isfinite(loss) || loss > 1e4 * (loss0 + 1e-3))
					rs_die("epoch %d: training diverged (loss is %g); try a lower --lr (now %g)",
					       epoch, loss, hp->lr);
				loss_sum += loss * b;
				rs_optim_step(&opt, &m->p);
				if (tty && (k % 64 == 0))
					progress(epoch, k, nb);
			}
		} else if (fmfused) {
			loss_sum = rs_fm_adagrad_epoch(&fmz, m, d, train + lo, hi - lo);
			if (!isfinite(loss_sum))
				rs_die("epoch %d: training diverged (loss is %g); try a lower --lr (now %g)",
				       epoch, loss_sum, hp->lr);
		} else if (fused) {   /* this rank's share, laid out once */
			if (epoch == 1)
				rs_mf_adagrad_init(&fz, m, d, train + lo, hi - lo, hp->seed);
			loss_sum = rs_mf_adagrad_epoch(&fz, m, T);
			if (!isfinite(loss_sum))
				rs_die("epoch %d: training diverged (loss is %g); try a lower --lr (now %g)",
				       epoch, loss_sum, hp->lr);
		} else {
			for (int t = 0; t < T; t++) {   /* each lane a T-th of this rank's share */
				lane *l = &lanes[t];
				l->d = d, l->idx = train, l->epoch = epoch, l->tty = tty && !t;
				l->lo = lo + (hi - lo) * (size_t)t / (size_t)T;
				l->hi = lo + (hi - lo) * (size_t)(t + 1) / (size_t)T;
				if (t)
					memcpy(l->m->p.w, m->p.w, m->p.size * sizeof *m->p.w);
			}
			if (T > 1)
				rs_parallel_for((size_t)T, 1, T, lane_body, lanes);
			else
				lane_run(&lanes[0]);
			for (int t = 0; t < T; t++) {
				if (lanes[t].bad != 0 || isnan(lanes[t].bad))
					rs_die("epoch %d: training diverged (loss is %g); try a lower --lr (now %g)",
					       epoch, lanes[t].bad, hp->lr);
				loss_sum += lanes[t].loss;
			}
			if (T > 1) {   /* the lanes' mean, in lane order */
				float *w = m->p.w;
				for (size_t i = 0; i < m->p.size; i++) {
					float sum = w[i];
					for (int t = 1; t < T; t++)
						sum += lanes[t].m->p.w[i];
					w[i] = sum / (float)T;
				}
			}
		}
		rs_dist_average(m->p.w, m->p.size);
		loss_sum = rs_dist_sum(loss_sum);
		rs_epoch *e = &m->log[m->nlog++];
		rs_metrics mv = {NAN, NAN, NAN, NAN, NAN}, mt = mv;
		rs_rank_metrics rv = {.hr = NAN, .ndcg = NAN}, rt = rv;
		if (ranks) {
			rs_bpr_evaluate(&pairs, &rv, &rt);
			if (!rv.n)
				rv.hr = rv.ndcg = NAN;
			if (!rt.n)
				rt.hr = rt.ndcg = NAN;
		} else {
			rs_evaluate(m, d, valid, nvalid, scores, work, &mv);
			rs_evaluate(m, d, test, ntest, scores, work, &mt);
		}
		double *v = e->v;
		v[RS_LOG_EPOCH] = epoch;
		v[RS_LOG_TRAIN_LOSS] = loss_sum / (double)ntrain;
		v[RS_LOG_TRAIN_RMSE] = sqrt(2 * v[RS_LOG_TRAIN_LOSS]);
		v[RS_LOG_VALID_RMSE] = mv.rmse;
		v[RS_LOG_TEST_RMSE] = mt.rmse;
		v[RS_LOG_VALID_AUC] = mv.auc;
		v[RS_LOG_VALID_LOGLOSS] = mv.logloss;
		v[RS_LOG_TEST_AUC] = mt.auc;
		v[RS_LOG_TEST_LOGLOSS] = mt.logloss;
		v[RS_LOG_TEST_ACCURACY] = mt.accuracy;
		v[RS_LOG_VALID_HR] = rv.hr;
		v[RS_LOG_VALID_NDCG] = rv.ndcg;
		v[RS_LOG_TEST_HR] = rt.hr;
		v[RS_LOG_TEST_NDCG] = rt.ndcg;
		v[RS_LOG_SECONDS] = rs_train_clock() - t0;
		rs_log_row(o, cols, ncols, v);
		if (!o->quiet)
			fprintf(stderr, "%s%s: epoch %d/%d train_loss %.4f valid_%s %.4f test_%s %.4f %.3f s\n",
				tty ? "\r" : "", rs_prog, epoch, hp->epochs, v[RS_LOG_TRAIN_LOSS], metric,
				v[vcol], metric, v[tcol], v[RS_LOG_SECONDS]);
		if (!nvalid) {
			m->best_epoch = epoch;
			continue;
		}
		int better = isnan(best_valid) || (higher ? v[vcol] > best_valid : v[vcol] < best_valid);
		if (better) {
			best_valid = v[vcol];
			m->best_epoch = epoch;
			memcpy(best, m->p.w, m->p.size * sizeof *best);
			since_best = 0;
		} else if (hp->early_stop && ++since_best >= hp->early_stop) {
			break;
		}
	}
	if (best)
		memcpy(m->p.w, best, m->p.size * sizeof *best);
	if (log && fclose(log) != 0)
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
	if (m->nlog && m->best_epoch) {
		const rs_epoch *k = &m->log[m->best_epoch - 1];
		rs_summary("%zu train, %zu valid, %zu test records; kept epoch %d of %d: valid_%s %.4f test_%s %.4f",
			   ntrain, nvalid, ntest, m->best_epoch, m->nlog, metric, k->v[vcol], metric, k->v[tcol]);
	}
	free(train);
	free(valid);
	free(test);
	free(scores);
	free(work);
	free(best);
	free(out);
	free(dout);
	for (int t = 0; t < L; t++)
		lane_free(&lanes[t]);
	free(lanes);
	rs_mf_adagrad_free(&fz);
	rs_fm_adagrad_free(&fmz);
	if (ranks)
		rs_bpr_free(&pairs);
}
