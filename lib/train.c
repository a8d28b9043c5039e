/* train.c: the shared training loop. */
#include "train.h"
#include "bpr.h"
#include "cli.h"
#include "dist.h"
#include "mem.h"
#include "metrics.h"
#include "nn.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double rs_train_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

static void check_log(const rs_train_opts *o)
{
	if (fflush(o->log) != 0 || ferror(o->log))
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
}

void rs_log_header(const rs_train_opts *o, const int *cols, int ncols)
{
	if (!o->log)
		return;
	for (int c = 0; c < ncols; c++)
		fprintf(o->log, "%s%c", rs_log_columns[cols[c]].name, c + 1 < ncols ? '\t' : '\n');
	check_log(o);
}

void rs_log_row(const rs_train_opts *o, const int *cols, int ncols, const double *v)
{
	if (!o->log)
		return;
	for (int c = 0; c < ncols; c++)
		fprintf(o->log, cols[c] == RS_LOG_EPOCH ? "%.0f%c" : "%.6f%c", v[cols[c]],
			c + 1 < ncols ? '\t' : '\n');
	check_log(o);
}

static void shuffle(uint32_t *idx, size_t n, rs_rng *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rs_rng_below(rng, (uint32_t)i);
		uint32_t t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

static void progress(int epoch, size_t done, size_t total)
{
	fprintf(stderr, "\r%s: epoch %d %3d%%", rs_prog, epoch, (int)(100.0 * done / total));
	fflush(stderr);
}

void rs_train(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	int bpr = hp->loss == RS_LOSS_BPR;
	/* ranking is validated the way it is tested: on a seq-aware split, by
	 * each user's latest train item */
	if (bpr && hp->valid_ratio > 0 && rs_dataset_test_is_latest(d))
		rs_dataset_carve_latest(d);
	else
		rs_dataset_carve_valid(d, hp->valid_ratio, hp->seed);
	uint32_t *train = rs_malloc((d->n + 1) * sizeof *train);
	uint32_t *valid = rs_malloc((d->n + 1) * sizeof *valid);
	uint32_t *test = rs_malloc((d->n + 1) * sizeof *test);
	size_t ntrain = rs_dataset_select(d, 0, train), ntest = rs_dataset_select(d, 1, test);
	size_t nvalid = rs_dataset_select(d, 2, valid);
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
	if (bpr)
		rs_bpr_init(&pairs, m, d);
	/* a BPR batch scores each positive and its negatives */
	size_t nout = (size_t)B * (bpr ? 1 + (size_t)hp->negatives : 1);
	float *out = rs_malloc(nout * sizeof *out), *dout = rs_malloc(nout * sizeof *dout);
	uint32_t *iota = rs_malloc((size_t)B * sizeof *iota);
	for (int j = 0; j < B; j++)
		iota[j] = (uint32_t)j;
	rs_dataset batch = {0};
	rs_params_alloc_training(&m->p);
	rs_model_reserve(m, B);
	rs_optim opt;
	rs_optim_default(&opt, hp->optimizer, (float)hp->lr, (float)hp->weight_decay);
	rs_rng shuf, drop, sample;
	rs_rng_seed(&shuf, hp->seed + 1);
	rs_rng_seed(&drop, hp->seed + 2);
	rs_rng_seed(&sample, hp->seed + 3);
	free(m->log);
	m->log = rs_calloc((size_t)hp->epochs + 1, sizeof *m->log);
	m->nlog = 0;

	unsigned task = rs_model_task(m);
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(task, 0, cols);
	/* the metric that picks the epoch kept, and its test twin; all but RMSE
	 * are better higher */
	int vcol = bpr ? RS_LOG_VALID_HR : m->click ? RS_LOG_VALID_AUC : RS_LOG_VALID_RMSE;
	int tcol = bpr ? RS_LOG_TEST_HR : m->click ? RS_LOG_TEST_AUC : RS_LOG_TEST_RMSE;
	int higher = vcol != RS_LOG_VALID_RMSE;
	FILE *log = o->log;
	rs_log_header(o, cols, ncols);
	int tty = !o->quiet && rs_stderr_is_tty();
	const char *metric = bpr ? "hr@10" : m->click ? "auc" : "rmse";
	double best_valid = NAN, loss0 = 0;
	int since_best = 0;
	m->best_epoch = 0;
	/* under mpirun each rank takes its K-th of every epoch's shuffle (the
	 * same on every rank: one seed), and the ranks' parameters are
	 * averaged when the epoch ends (dist.h) */
	size_t K = (size_t)rs_dist_size(), rank = (size_t)rs_dist_rank();
	for (int epoch = 1; epoch <= hp->epochs; epoch++) {
		double t0 = rs_train_clock(), loss_sum = 0;
		shuffle(train, ntrain, &shuf);
		size_t lo = ntrain * rank / K, hi = ntrain * (rank + 1) / K;
		size_t nb = (hi - lo + B - 1) / B;
		for (size_t s = lo, k = 0; s < hi; s += B, k++) {
			int b = hi - s < (size_t)B ? (int)(hi - s) : B;
			double loss;
			if (bpr) {
				loss = rs_bpr_step(&pairs, m, d, train + s, b, &sample, &drop, out, dout);
			} else {
				rs_dataset_gather(&batch, d, train + s, (size_t)b, m->ops->features);
				const float *y = batch.y;
				m->ops->forward(m, &batch, iota, b, out, &drop);
				loss = m->click ? bce_logits_forward(out, y, b) : mse_forward(out, y, b);
				if (m->click)
					bce_logits_backward(dout, out, y, b);
				else
					mse_backward(dout, out, y, b);
				m->ops->backward(m, &batch, iota, b, dout);
			}
			if (epoch == 1 && s == lo)
				loss0 = loss;
			/* NaN, inf, or ten thousand times the untrained loss: no run recovers */
			if (!isfinite(loss) || loss > 1e4 * (loss0 + 1e-3))
				rs_die("epoch %d: training diverged (loss is %g); try a lower --lr (now %g)",
				       epoch, loss, hp->lr);
			loss_sum += loss * b;
			rs_optim_step(&opt, &m->p);
			if (tty && (k % 64 == 0))
				progress(epoch, k, nb);
		}
		rs_dist_average(m->p.w, m->p.size);
		loss_sum = rs_dist_sum(loss_sum);
		rs_epoch *e = &m->log[m->nlog++];
		rs_metrics mv = {NAN, NAN, NAN, NAN, NAN}, mt = mv;
		rs_rank_metrics rv = {NAN, NAN, NAN, NAN, 0}, rt = rv;
		if (bpr) {
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
	free(iota);
	rs_dataset_free(&batch);
	if (bpr)
		rs_bpr_free(&pairs);
}
