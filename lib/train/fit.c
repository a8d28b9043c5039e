/* fit.c: the fitting skeleton (fit.h). */
#include "fit.h"
#include "cli.h"
#include "dist.h"
#include "mem.h"
#include "recmetrics.h"
#include "useritems.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every method, the first that applies wins: those a kind's caps name
 * first, then the fused solvers an optimizer names, then the losses. */
static const rs_fit_method *const methods[] = {
	&rs_fit_als, &rs_fit_mcmc, &rs_fit_sasrec, &rs_fit_mf_adagrad, &rs_fit_fm_adagrad,
	&rs_fit_ffm_adagrad, &rs_fit_ranking, &rs_fit_pointwise,
};

static const rs_fit_method *added[8];
static int nadded;

void rs_fit_method_add(const rs_fit_method *method)
{
	if (nadded == (int)(sizeof added / sizeof *added))
		rs_die("internal error: more than %d fitting methods added", nadded);
	added[nadded++] = method;
}

const rs_fit_method *rs_fit_method_for(const rs_model_ops *ops, const rs_hparams *hp)
{
	for (int i = 0; i < nadded; i++)
		if (added[i]->applies(ops, hp))
			return added[i];
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if (methods[i]->applies(ops, hp))
			return methods[i];
	return NULL;
}

/* Under mpirun each rank takes its K-th of every epoch's shuffle (the same
 * on every rank: one seed). */
static void share(rs_fit_run *f)
{
	size_t K = (size_t)rs_dist_size(), rank = (size_t)rs_dist_rank();
	f->lo = f->ntrain * rank / K, f->hi = f->ntrain * (rank + 1) / K;
}

/* Validation carved by the method's rule, then each split's records. */
static void lay_out(rs_fit_run *f)
{
	rs_model *m = f->m;
	rs_dataset *d = f->d;
	const rs_hparams *hp = &m->hp;
	if (f->method->flags & RS_FIT_VALID) {
		/* ranking is validated the way it is tested: on a seq-aware
		 * split, by each user's latest train item */
		if (rs_model_task(m) == RS_TASK_RANK && hp->valid_ratio > 0 && rs_dataset_test_is_latest(d))
			rs_dataset_carve_latest(d);
		else
			rs_dataset_carve_valid(d, hp->valid_ratio, hp->seed);
	}
	f->train = rs_malloc((d->n + 1) * sizeof *f->train);
	f->valid = rs_malloc((d->n + 1) * sizeof *f->valid);
	f->test = rs_malloc((d->n + 1) * sizeof *f->test);
	f->ntrain = rs_dataset_select(d, RS_SPLIT_TRAIN, f->train);
	f->ntest = rs_dataset_select(d, RS_SPLIT_TEST, f->test);
	f->nvalid = rs_dataset_select(d, RS_SPLIT_VALID, f->valid);
	if (!f->ntrain)
		rs_die("%s: the stream has no train records (split 0)", d->src);
	float lo = d->y[f->train[0]], hi = lo;
	double sum = 0;
	for (size_t i = 0; i < f->ntrain; i++) {
		float v = d->y[f->train[i]];
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	m->ymin = m->ymax = 0;   /* click models, and scores only compared */
	if (!m->click && (f->method->flags & RS_FIT_RANGE))
		m->ymin = lo, m->ymax = hi;
	if (hp->global_mean)
		m->mu = (float)(sum / (double)f->ntrain);
	share(f);
}

/* The pointwise metrics of the validation and test records. */
static void evaluate_pointwise(rs_fit_run *f, double *v, float *scores, uint64_t *work)
{
	rs_metrics mv, mt;
	rs_evaluate(f->m, f->d, f->valid, f->nvalid, scores, work, f->threads, &mv);
	rs_evaluate(f->m, f->d, f->test, f->ntest, scores, work, f->threads, &mt);
	v[RS_LOG_VALID_RMSE] = mv.rmse;
	v[RS_LOG_TEST_RMSE] = mt.rmse;
	v[RS_LOG_VALID_AUC] = mv.auc;
	v[RS_LOG_VALID_LOGLOSS] = mv.logloss;
	v[RS_LOG_TEST_AUC] = mt.auc;
	v[RS_LOG_TEST_LOGLOSS] = mt.logloss;
	v[RS_LOG_TEST_ACCURACY] = mt.accuracy;
}

/* One epoch of the method: the shuffle its flags ask for, MPI's average,
 * and the divergence check; returns the summed loss of every rank. */
static double one_epoch(rs_fit_run *f, void *state, rs_rng *shuf)
{
	const rs_fit_method *method = f->method;
	const rs_hparams *hp = &f->m->hp;
	f->positions = f->ntrain;
	if ((method->flags & RS_FIT_SHUFFLE) || ((method->flags & RS_FIT_SHARES) && f->epoch == 1 && rs_dist_size() > 1))
		rs_rng_shuffle(shuf, f->train, f->ntrain);
	double loss = method->epoch(state, f);
	if (method->flags & RS_FIT_AVERAGE) {   /* the ranks' parameters averaged (dist.h) */
		rs_dist_average(f->m->p.w, f->m->p.size);
		loss = rs_dist_sum(loss);
	}
	if (f->diverged || !isfinite(loss))
		rs_die("epoch %d: training diverged (loss is %g); try a %s %s (now %g)", f->epoch,
		       f->diverged ? f->bad : loss, method->lower ? "lower" : "larger", method->remedy,
		       *(const double *)((const char *)hp + method->remedy_at));
	return loss;
}

/* --refit: the validation records back into train, the parameters and the
 * method's state as they began, then the epochs kept run again with no
 * validation; each says its train loss and test metric. The log stays the
 * run that chose the epochs. */
static void refit(rs_fit_run *f, void *state, const char *metric, int tcol)
{
	rs_model *m = f->m;
	const rs_hparams *hp = &m->hp;
	int epochs = m->best_epoch;
	for (size_t r = 0; r < f->d->n; r++)
		if (f->d->split[r] == RS_SPLIT_VALID)
			f->d->split[r] = RS_SPLIT_TRAIN;
	f->ntrain = rs_dataset_select(f->d, RS_SPLIT_TRAIN, f->train);
	f->nvalid = 0;
	share(f);
	f->method->free(state);
	memset(state, 0, f->method->state ? f->method->state : 1);
	rs_rng rng, shuf;
	rs_rng_seed(&rng, hp->seed);   /* as rs_model_create began it */
	m->ops->init(m, &rng);
	rs_params_reset_training(&m->p);
	f->method->init(state, f);
	rs_rng_seed(&shuf, hp->seed + 1);
	double v[RS_LOG_NCOLS];
	for (f->epoch = 1; f->epoch <= epochs; f->epoch++) {
		double t0 = f->epoch_start = rs_train_clock();
		double loss = one_epoch(f, state, &shuf) / (double)f->positions;
		for (int c = 0; c < RS_LOG_NCOLS; c++)
			v[c] = NAN;
		if (f->method->evaluate && (!f->o->quiet || f->epoch == epochs))
			f->method->evaluate(state, f, v);
		if (!f->o->quiet)
			fprintf(stderr, "%s%s: refit %d/%d train_loss %.4f test_%s %.4f %.3f s\n", f->tty ? "\r\033[K" : "",
				rs_prog, f->epoch, epochs, loss, metric, v[tcol], rs_train_clock() - t0);
	}
	rs_summary("refit on %zu train and validation records for the %d epochs kept: test_%s %.4f", f->ntrain,
		   epochs, metric, v[tcol]);
}

/* The users with records among recs: a ranking epoch ranks each of them,
 * or RS_EVAL_USERS drawn of them past that (useritems.h). */
static size_t users_of(const rs_dataset *d, const uint32_t *recs, size_t n)
{
	uint8_t *seen = rs_calloc((size_t)d->hdr.nusers + 1, 1);
	size_t users = 0;
	for (size_t j = 0; j < n; j++)
		if (!seen[d->user[recs[j]]]++)
			users++;
	free(seen);
	return users;
}

/* The run's time on stderr: seconds, or minutes and seconds past one. */
static void rs_fit_total(double t)
{
	if (t < 60)
		fprintf(stderr, "%s: trained in %.1f s\n", rs_prog, t);
	else
		fprintf(stderr, "%s: trained in %d min %02d s\n", rs_prog, (int)(t / 60), (int)t % 60);
}

void rs_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_fit_method *method = rs_fit_method_for(m->ops, &m->hp);
	if (!method)
		rs_die("%s: no way to fit a model of kind %s with these options", d->src, m->ops->kind);
	rs_fit_with(method, m, d, o);
}

void rs_fit_with(const rs_fit_method *method, rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	rs_fit_run f = {.m = m, .d = d, .o = o, .method = method};
	f.epochs = (m->ops->caps & RS_CAP_ITERS) ? hp->iters : hp->epochs;
	f.threads = o->threads > 1 ? o->threads : 1;
	f.tty = !o->quiet && rs_stderr_is_tty();
	lay_out(&f);
	/* no validation records (--valid-ratio 0): no valid_ figure to print */
	int valid = (method->flags & RS_FIT_VALID) && f.nvalid;
	size_t neval = f.nvalid > f.ntest ? f.nvalid : f.ntest;
	float *scores = NULL;
	uint64_t *work = NULL;
	if (!method->evaluate) {
		scores = rs_malloc((neval + 1) * sizeof *scores);
		work = rs_malloc(2 * (neval + 1) * sizeof *work);
	}
	float *best = f.nvalid ? rs_malloc(m->p.size * sizeof *best) : NULL;
	void *state = rs_calloc(1, method->state ? method->state : 1);
	method->init(state, &f);
	rs_rng shuf;
	rs_rng_seed(&shuf, hp->seed + 1);
	free(m->log);
	m->log = rs_calloc((size_t)f.epochs + 1, sizeof *m->log);
	m->nlog = 0;

	unsigned task = rs_model_task(m);
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(task, 0, cols);
	/* the metric that picks the epoch kept, and its test twin; all but RMSE
	 * are better higher */
	int vcol = task == RS_TASK_RANK ? RS_LOG_VALID_HR : m->click ? RS_LOG_VALID_AUC : RS_LOG_VALID_RMSE;
	int tcol = task == RS_TASK_RANK ? RS_LOG_TEST_HR : m->click ? RS_LOG_TEST_AUC : RS_LOG_TEST_RMSE;
	int higher = vcol != RS_LOG_VALID_RMSE;
	const char *metric = task == RS_TASK_RANK ? "hr" RS_LOG_AT : m->click ? "auc" : "rmse";
	rs_log_header(o, cols, ncols);
	/* an epoch's ranking metrics over a sample of the users are not
	 * rs-eval's over all of them: said once, and in the summary */
	size_t ranked = task == RS_TASK_RANK ? users_of(d, f.test, f.ntest) : 0;
	if (ranked > RS_EVAL_USERS && !o->quiet)
		fprintf(stderr, "%s: each epoch's test_%s ranks %d users drawn of the %zu with test records "
			"(rs-eval --rank ranks them all)\n", rs_prog, metric, RS_EVAL_USERS, ranked);
	char over[64] = "";
	if (ranked > RS_EVAL_USERS)
		snprintf(over, sizeof over, " (%d of %zu users)", RS_EVAL_USERS, ranked);
	double best_valid = NAN;
	int since_best = 0;
	m->best_epoch = 0;
	double start = rs_train_clock();
	for (f.epoch = 1; f.epoch <= f.epochs; f.epoch++) {
		double t0 = f.epoch_start = rs_train_clock();
		double loss = one_epoch(&f, state, &shuf);
		rs_epoch *e = &m->log[m->nlog++];
		double *v = e->v;
		for (int c = 0; c < RS_LOG_NCOLS; c++)
			v[c] = NAN;
		v[RS_LOG_EPOCH] = f.epoch;
		v[RS_LOG_TRAIN_LOSS] = loss / (double)f.positions;
		v[RS_LOG_TRAIN_RMSE] = sqrt(2 * v[RS_LOG_TRAIN_LOSS]);
		if (method->evaluate)
			method->evaluate(state, &f, v);
		else
			evaluate_pointwise(&f, v, scores, work);
		v[RS_LOG_SECONDS] = rs_train_clock() - t0;
		rs_log_row(o, cols, ncols, v);
		if (!o->quiet) {
			fprintf(stderr, "%s%s: epoch %d/%d train_loss %.4f", f.tty ? "\r\033[K" : "", rs_prog, f.epoch,
				f.epochs, v[RS_LOG_TRAIN_LOSS]);
			if (valid)
				fprintf(stderr, " valid_%s %.4f", metric, v[vcol]);
			fprintf(stderr, " test_%s %.4f %.3f s", metric, v[tcol], v[RS_LOG_SECONDS]);
			if (f.ranked_valid + f.ranked_test)   /* what the metrics are over, and their cost */
				fprintf(stderr, " (ranked %zu valid, %zu test users in %.3f s)", f.ranked_valid,
					f.ranked_test, f.ranked_seconds);
			fputc('\n', stderr);
		}
		if (!f.nvalid) {
			m->best_epoch = f.epoch;
			continue;
		}
		int better = isnan(best_valid) || (higher ? v[vcol] > best_valid : v[vcol] < best_valid);
		if (better) {
			best_valid = v[vcol];
			m->best_epoch = f.epoch;
			memcpy(best, m->p.w, m->p.size * sizeof *best);
			since_best = 0;
		} else if (hp->early_stop && ++since_best >= hp->early_stop) {
			break;
		}
	}
	if (best)
		memcpy(m->p.w, best, m->p.size * sizeof *best);
	if (o->log && fclose(o->log) != 0)
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
	if (m->nlog && m->best_epoch) {
		const double *k = m->log[m->best_epoch - 1].v;
		if (valid)
			rs_summary("%zu train, %zu valid, %zu test records; kept epoch %d of %d: valid_%s %.4f test_%s %.4f%s",
				   f.ntrain, f.nvalid, f.ntest, m->best_epoch, m->nlog, metric, k[vcol], metric,
				   k[tcol], over);
		else
			rs_summary("%zu train, %zu test records; kept epoch %d of %d: test_%s %.4f%s", f.ntrain,
				   f.ntest, m->best_epoch, m->nlog, metric, k[tcol], over);
	}
	if (hp->refit && f.nvalid && m->best_epoch)
		refit(&f, state, metric, tcol);
	if (method->finish)
		method->finish(state, &f);
	if (f.tty)   /* a person waiting is told the whole; a pipe gets the lines it always had */
		rs_fit_total(rs_train_clock() - start);
	method->free(state);
	free(state);
	free(f.train);
	free(f.valid);
	free(f.test);
	free(scores);
	free(work);
	free(best);
}
