/* fit_sasrec.c: the method of the kind sasrec (fit.h, sasrec.h). Each
 * train user's items, oldest first, are one sequence; an epoch takes the
 * users in a seeded order, --batch-size a step, and trains every position
 * of each user's latest maxlen + 1 items at once (the causal mask): the
 * output at item t scores item t + 1. The loss is softmax cross-entropy
 * over every item (--loss softmax) or over the position's item and
 * --negatives items drawn for the whole batch, uniformly or by popularity
 * with the log q correction, a draw equal to the position's item left out
 * (--loss sampled-softmax), or the logistic loss of the position's item
 * against --negatives items drawn for that position among those its user
 * has no train record of (--loss bce, SASRec's own with one negative), its
 * positive term raised to gSASRec's power beta (--loss gbce). Each epoch ranks the validation item (each
 * user's latest train item, carved out) and the test item among every item
 * the user has no earlier record of, for at most RS_EVAL_USERS users: every
 * user would cost a log of a million users more than its epoch. */
#include "fit.h"
#include "attn.h"
#include "dist.h"
#include "gemm.h"
#include "history.h"
#include "mem.h"
#include "negatives.h"
#include "nn.h"
#include "optim.h"
#include "parallel.h"
#include "sasrec.h"
#include "useritems.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sasrec_fit {
	rs_history train, known;     /* each user's train items; and validation's */
	rs_user_items byuser, valid, test;
	rs_negs negs;
	rs_sasrec_acts acts;
	rs_optim opt;
	rs_rng order, sample, drop;
	uint32_t *users;             /* (nusers) those with 2 items or more, in the epoch's order */
	uint32_t nusers;
	uint32_t *in, *target, *cand;    /* (B maxlen) a step's input and target items; (K) negatives,
				      * or (B maxlen, K) under a logistic loss */
	uint32_t *who;               /* (B maxlen) each position's user */
	size_t *off;                 /* (B + 1) */
	float *logit, *dh, *Et;      /* (B maxlen, I or 1 + K) (B maxlen, C) (C, I or K) */
	float *Ecand, *gcand;        /* (K, C) the draws' rows of E, and their gradient */
	float *last;                 /* (RS_EVAL_BATCH, C) the ranked users' outputs */
	double *rowloss;             /* (B maxlen) each position's loss */
	float *scores;               /* (RS_EVAL_BATCH, I) */
	rs_fit_tally tally;
} sasrec_fit;

/* users ranked at once; positions of one full softmax product */
enum { RS_EVAL_BATCH = 256, RS_SOFTMAX_CHUNK = 256 };

static int sasrec_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return (ops->caps & RS_CAP_ATTN) && (hp->loss == RS_LOSS_SOFTMAX || hp->loss == RS_LOSS_SAMPLED_SOFTMAX ||
					     hp->loss == RS_LOSS_BCE || hp->loss == RS_LOSS_GBCE);
}

static int logistic(const rs_model *m) { return m->hp.loss == RS_LOSS_BCE || m->hp.loss == RS_LOSS_GBCE; }

static int full_softmax(const rs_model *m) { return m->hp.loss == RS_LOSS_SOFTMAX; }

static void sasrec_init(void *s, rs_fit_run *f)
{
	sasrec_fit *z = s;
	rs_model *m = f->m;
	const rs_hparams *hp = &m->hp;
	uint32_t U = f->d->hdr.nusers, I = f->d->hdr.nitems;
	int C = hp->factors, B = hp->batch, L = hp->maxlen;
	if (C % hp->heads)
		rs_die("sasrec: --heads %d does not divide --factors %d", hp->heads, C);
	rs_history_last(&z->train, f->d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_history_last(&z->known, f->d, RS_SPLITS(RS_SPLIT_TRAIN) | RS_SPLITS(RS_SPLIT_VALID));
	rs_user_items_build(&z->byuser, f->d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_user_items_build(&z->valid, f->d, RS_SPLITS(RS_SPLIT_VALID));
	rs_user_items_sample(&z->valid, U, RS_EVAL_USERS, hp->seed);
	rs_user_items_build(&z->test, f->d, RS_SPLITS(RS_SPLIT_TEST));
	rs_user_items_sample(&z->test, U, RS_EVAL_USERS, hp->seed);
	rs_negs_init(&z->negs, f->d, &z->byuser, hp->sampler == RS_SAMPLER_POPULARITY);
	if (logistic(m))
		rs_negs_require_unrated(f->d, &z->byuser);
	z->users = rs_malloc(((size_t)U + 1) * sizeof *z->users);
	for (uint32_t u = 0; u < U; u++)
		if (z->train.off[u + 1] - z->train.off[u] >= 2)
			z->users[z->nusers++] = u;
	size_t rows = (size_t)(B > RS_EVAL_BATCH ? B : RS_EVAL_BATCH), N = (size_t)B * L;
	int K = hp->negatives;
	z->in = rs_malloc(rows * L * sizeof *z->in);
	z->target = rs_malloc(N * sizeof *z->target);
	z->cand = rs_malloc(((logistic(m) ? N : 1) * (size_t)K + 1) * sizeof *z->cand);
	z->who = rs_malloc(N * sizeof *z->who);
	z->off = rs_malloc((rows + 1) * sizeof *z->off);
	z->logit = rs_malloc((full_softmax(m) ? (size_t)RS_SOFTMAX_CHUNK * I : N * ((size_t)K + 1)) *
			     sizeof *z->logit);
	z->dh = rs_malloc(N * C * sizeof *z->dh);
	z->Et = rs_malloc(((size_t)C * ((uint32_t)K > I ? (uint32_t)K : I) + RS_GEMM_SLACK) * sizeof *z->Et);
	z->Ecand = rs_malloc(((size_t)K * C + RS_GEMM_SLACK) * sizeof *z->Ecand);
	z->gcand = rs_malloc((size_t)K * C * sizeof *z->gcand);
	z->rowloss = rs_malloc((N + 1) * sizeof *z->rowloss);
	z->last = rs_malloc((size_t)RS_EVAL_BATCH * C * sizeof *z->last);
	z->scores = rs_malloc(((size_t)RS_EVAL_BATCH * I + RS_GEMM_SLACK) * sizeof *z->scores);
	z->acts.threads = f->threads;
	rs_params_alloc_training(&m->p);
	rs_optim_default(&z->opt, hp->optimizer, (float)hp->lr, (float)hp->weight_decay);
	rs_rng_seed(&z->order, hp->seed + 1);
	rs_rng_seed(&z->drop, hp->seed + 2);
	rs_rng_seed(&z->sample, hp->seed + 3);
}

/* Rows [lo, hi) of logit (n, W): each row's softmax cross-entropy against
 * its target (column target[row], or 0 when target is NULL) into
 * loss[row], and the row made its gradient times scale. */
typedef struct xent_job {
	float *logit;
	double *loss;
	const uint32_t *target;
	int W;
	float scale;
} xent_job;

static void xent_rows(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const xent_job *j = ctx;
	for (size_t r = lo; r < hi; r++) {
		float *row = j->logit + r * j->W;
		uint32_t col = j->target ? j->target[r] : 0;
		j->loss[r] = softmax_xent_forward(row, row, &col, 1, j->W);
		softmax_xent_backward(row, row, &col, 1, j->W);
		for (int c = 0; c < j->W; c++)
			row[c] *= j->scale;
	}
}

/* The rows' loss summed in order: the same for any number of threads */
static double xent(float *logit, double *loss, const uint32_t *target, size_t n, int W, float scale,
		   int threads)
{
	xent_job j = {logit, loss, target, W, scale};
	rs_parallel_for(n, 16, threads, xent_rows, &j);
	double sum = 0;
	for (size_t r = 0; r < n; r++)
		sum += loss[r];
	return sum;
}

typedef struct transpose_job {
	float *Et;
	const float *E;
	const uint32_t *rows;
	int n, C;
} transpose_job;

static void transpose_some(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const transpose_job *j = ctx;
	for (size_t r = lo; r < hi; r++) {
		const float *e = j->E + (size_t)(j->rows ? j->rows[r] : (uint32_t)r) * j->C;
		for (int c = 0; c < j->C; c++)
			j->Et[(size_t)c * j->n + r] = e[c];
	}
}

/* Et (C, n) = the rows rows[0..n) of E (all I when rows is NULL), transposed;
 * a full softmax's is the whole item table every step */
static void transpose_rows(float *Et, const float *E, const uint32_t *rows, int n, int C, int threads)
{
	transpose_job j = {Et, E, rows, n, C};
	rs_parallel_for((size_t)n, 512, threads, transpose_some, &j);
}

static void zero_some(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	memset((float *)ctx + lo, 0, (hi - lo) * sizeof(float));
}

/* n floats at x set to 0 on threads: a full softmax's logits of a chunk
 * are 256 x the catalogue, zeroed before each product adds into them */
static void zero_threads(float *x, size_t n, int threads)
{
	rs_parallel_for(n, 1 << 16, threads, zero_some, x);
}

/* Positions [lo, hi) of the logistic losses: row n of logit (N, 1 + K)
 * gets the scores of its target and its K draws, loss[n] its loss, and
 * dh[n] (C) its gradient; the row is left holding the scores' gradients. */
typedef struct bce_job {
	const float *h, *E;
	float *logit, *dh;
	double *loss;
	const uint32_t *target, *cand;
	int C, K;
	float beta, scale;
} bce_job;

static void bce_rows(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const bce_job *j = ctx;
	int C = j->C, K = j->K, W = K + 1;
	for (size_t n = lo; n < hi; n++) {
		const float *hn = j->h + n * C;
		float *row = j->logit + n * W, *dh = j->dh + n * C;
		for (int k = 0; k < W; k++)
			row[k] = rs_dot(hn, j->E + (size_t)(k ? j->cand[n * K + k - 1] : j->target[n]) * C, C);
		j->loss[n] = rank_bce_forward(row, 1, K, j->beta);
		rank_bce_backward(row, row, 1, K, j->beta);
		memset(dh, 0, (size_t)C * sizeof *dh);
		for (int k = 0; k < W; k++) {
			const float *e = j->E + (size_t)(k ? j->cand[n * K + k - 1] : j->target[n]) * C;
			row[k] *= j->scale;
			for (int c = 0; c < C; c++)
				dh[c] += row[k] * e[c];
		}
	}
}

/* gSASRec's beta = a (t (1 - 1/a) + 1/a), a = K / (I - 1) the share of the
 * other items drawn: 1 (bce) at t = 0 */
static float gbce_beta(const rs_model *m)
{
	if (m->hp.loss != RS_LOSS_GBCE)
		return 1.0f;
	double a = (double)m->hp.negatives / ((double)m->hdr.nitems - 1.0), t = m->hp.gbce_t;
	return (float)(a * (t * (1.0 - 1.0 / a) + 1.0 / a));
}

/* The logistic losses of h (N, C): each position's K draws (its user's
 * unrated items, drawn in order: the same for any number of threads), the
 * rows' scores and dh on the threads, then E's gradient in position order. */
static double logistic_step(sasrec_fit *z, rs_model *m, const float *h, size_t N)
{
	int C = m->hp.factors, K = m->hp.negatives, W = K + 1;
	const float *E = rs_w(&m->p, SR_E);
	float *gE = rs_g(&m->p, SR_E);
	for (size_t n = 0; n < N; n++) {
		if (!n || z->who[n] != z->who[n - 1])
			rs_negs_user(&z->negs, z->who[n]);
		for (int k = 0; k < K; k++)
			z->cand[n * K + k] = rs_negs_unrated(&z->negs, &z->sample);
	}
	bce_job j = {h, E, z->logit, z->dh, z->rowloss, z->target, z->cand, C, K, gbce_beta(m), 1.0f / (float)N};
	rs_parallel_for(N, 16, z->acts.threads, bce_rows, &j);
	double loss = 0;
	for (size_t n = 0; n < N; n++) {
		const float *hn = h + n * C, *row = z->logit + n * W;
		loss += z->rowloss[n];
		for (int k = 0; k < W; k++) {
			uint32_t i = k ? z->cand[n * K + k - 1] : z->target[n];
			float *g = gE + (size_t)i * C;
			for (int c = 0; c < C; c++)
				g[c] += row[k] * hn[c];
			rs_touch(&m->p, SR_E, i);
		}
	}
	return loss / (double)N;
}

/* The loss of the outputs h (N, C) against their targets, its gradient in
 * z->dh and E's; returns the mean over the N positions. */
static double loss_step(sasrec_fit *z, rs_model *m, const float *h, size_t N)
{
	int T = z->acts.threads;
	int C = m->hp.factors;
	uint32_t I = m->hdr.nitems;
	float *E = rs_w(&m->p, SR_E), *gE = rs_g(&m->p, SR_E);
	double loss;
	if (logistic(m))
		return logistic_step(z, m, h, N);
	if (full_softmax(m)) {
		/* in chunks of positions: logit (n, I) = h E'; dh = dlogit E;
		 * dE += dlogit' h, with dlogit the gradient of the step's mean */
		transpose_rows(z->Et, E, NULL, (int)I, C, T);
		loss = 0;
		for (size_t n0 = 0; n0 < N; n0 += RS_SOFTMAX_CHUNK) {
			int n = N - n0 < RS_SOFTMAX_CHUNK ? (int)(N - n0) : RS_SOFTMAX_CHUNK;
			const float *hc = h + n0 * C;
			float *dh = z->dh + n0 * C;
			zero_threads(z->logit, (size_t)n * I, T);
			rs_gemm_acc_threads(T, z->logit, (int)I, hc, C, 1, z->Et, (int)I, n, (int)I, C);
			loss += xent(z->logit, z->rowloss, z->target + n0, (size_t)n, (int)I, 1.0f / (float)N, T);
			memset(dh, 0, (size_t)n * C * sizeof *dh);
			rs_gemm_acc_threads(T, dh, C, z->logit, (int)I, 1, E, C, n, C, (int)I);
			rs_gemm_acc_threads(T, gE, C, z->logit, 1, (int)I, hc, C, (int)I, C, n);
		}
		for (uint32_t i = 0; i < I; i++)
			rs_touch(&m->p, SR_E, i);
		return loss / (double)N;
	}
	/* column 0 the position's item, then the batch's K draws less log q
	 * (the correction of sampling by popularity; a constant under uniform
	 * draws) */
	int K = m->hp.negatives, W = K + 1;
	for (int j = 0; j < K; j++)
		z->cand[j] = rs_negs_draw(&z->negs, &z->sample);
	transpose_rows(z->Et, E, z->cand, K, C, T);
	for (size_t n = 0; n < N; n++) {
		float *row = z->logit + n * W;
		memset(row + 1, 0, (size_t)K * sizeof *row);
	}
	rs_gemm_acc_threads(T, z->logit + 1, W, h, C, 1, z->Et, K, (int)N, K, C);
	const float *logq = z->negs.logq;
	for (size_t n = 0; n < N; n++) {
		float *row = z->logit + n * W;
		uint32_t t = z->target[n];
		row[0] = rs_dot(h + n * C, E + (size_t)t * C, C) - logq[t];
		for (int j = 0; j < K; j++)
			row[1 + j] = z->cand[j] == t ? -INFINITY : row[1 + j] - logq[z->cand[j]];
	}
	loss = xent(z->logit, z->rowloss, NULL, N, W, 1.0f / (float)N, T);   /* the target: column 0 */
	/* dh = dlogit[:, 0] E[t] + dlogit[:, 1..] Ecand; dEcand = dlogit[:, 1..]' h,
	 * as products, then into E's rows */
	memset(z->dh, 0, N * C * sizeof *z->dh);
	for (size_t n = 0; n < N; n++) {
		float g = z->logit[n * W];
		uint32_t t = z->target[n];
		float *dh = z->dh + n * C, *ge = gE + (size_t)t * C;
		const float *e = E + (size_t)t * C, *hn = h + n * C;
		for (int c = 0; c < C; c++) {
			dh[c] += g * e[c];
			ge[c] += g * hn[c];
		}
		rs_touch(&m->p, SR_E, t);
	}
	for (int j = 0; j < K; j++)   /* Ecand (K, C) */
		memcpy(z->Ecand + (size_t)j * C, E + (size_t)z->cand[j] * C, (size_t)C * sizeof *E);
	rs_gemm_acc_threads(T, z->dh, C, z->logit + 1, W, 1, z->Ecand, C, (int)N, C, K);
	memset(z->gcand, 0, (size_t)K * C * sizeof *z->gcand);
	rs_gemm_acc_threads(T, z->gcand, C, z->logit + 1, 1, W, h, C, K, C, (int)N);
	for (int j = 0; j < K; j++) {   /* in draw order: a repeated draw adds twice */
		float *gj = gE + (size_t)z->cand[j] * C;
		const float *d = z->gcand + (size_t)j * C;
		for (int c = 0; c < C; c++)
			gj[c] += d[c];
		rs_touch(&m->p, SR_E, z->cand[j]);
	}
	return loss / (double)N;
}

static double sasrec_epoch(void *s, rs_fit_run *f)
{
	sasrec_fit *z = s;
	rs_model *m = f->m;
	int B = m->hp.batch, L = m->hp.maxlen;
	rs_rng_shuffle(&z->order, z->users, z->nusers);
	/* under mpirun this rank's share of the users (the same order on
	 * every rank: one seed) */
	size_t lo, hi;
	rs_dist_share(z->nusers, &lo, &hi);
	size_t nb = (hi - lo + B - 1) / B;
	double sum = 0, positions = 0;
	z->tally.loss = 0;
	for (size_t at = lo, k = 0; at < hi; at += B, k++) {
		int S = hi - at < (size_t)B ? (int)(hi - at) : B;
		/* each user's latest L + 1 items: L inputs, each followed by its target */
		size_t N = 0;
		z->off[0] = 0;
		for (int b = 0; b < S; b++) {
			int len;
			const uint32_t *it = rs_history_of(&z->train, z->users[at + b], &len);
			int n = len - 1 < L ? len - 1 : L;
			for (int t = 0; t < n; t++) {
				z->in[N + t] = it[len - 1 - n + t];
				z->target[N + t] = it[len - n + t];
				z->who[N + t] = z->users[at + b];
			}
			N += (size_t)n;
			z->off[b + 1] = N;
		}
		rs_sasrec_reserve(&z->acts, m, (size_t)B * L, (size_t)B);
		rs_sasrec_forward(m, &z->acts, z->in, z->off, S, &z->drop);
		double loss = loss_step(z, m, z->acts.h, N);
		if (!rs_fit_tally_add(&z->tally, loss, (int)N, f->epoch == 1 && at == lo))
			break;
		rs_sasrec_backward(m, &z->acts, z->dh, z->in, z->off, S);
		rs_optim_step_threads(&z->opt, &m->p, z->acts.threads);
		positions += (double)N;
		rs_fit_progress(f, k, nb);
	}
	if (!rs_fit_tally_join(f, &z->tally, &sum))
		return NAN;
	/* the loss is over the positions trained: each user's latest maxlen */
	f->positions = (size_t)rs_dist_sum(positions);
	return sum;
}

/* HR@10 and NDCG@10 of each sampled user's items in `of`, ranked among
 * every item the user has no record of in h (whose sequence is the
 * context), into hr and ndcg; NaN for no user. */
static void rank_users(sasrec_fit *z, rs_model *m, const rs_history *h, const rs_user_items *of,
		       double *hr, double *ndcg)
{
	int C = m->hp.factors, L = m->hp.maxlen;
	uint32_t U = m->hdr.nusers, I = m->hdr.nitems;
	double hits = 0, gain = 0;
	size_t n = 0;
	uint32_t batch[RS_EVAL_BATCH];
	int nbatch = 0;
	const float *E = rs_w(&m->p, SR_E);
	transpose_rows(z->Et, E, NULL, (int)I, C, z->acts.threads);
	for (uint32_t u = 0; u <= U; u++) {
		if (u < U && of->off[u + 1] > of->off[u] && h->off[u + 1] > h->off[u])
			batch[nbatch++] = u;
		if (nbatch < RS_EVAL_BATCH && u < U)
			continue;
		if (!nbatch)
			break;
		/* the users' sequences packed, their last outputs scored */
		size_t N = 0;
		z->off[0] = 0;
		for (int b = 0; b < nbatch; b++) {
			int len;
			const uint32_t *it = rs_history_of(h, batch[b], &len);
			int k = len < L ? len : L;
			memcpy(z->in + N, it + len - k, (size_t)k * sizeof *z->in);
			N += (size_t)k;
			z->off[b + 1] = N;
		}
		rs_sasrec_reserve(&z->acts, m, (size_t)RS_EVAL_BATCH * L, RS_EVAL_BATCH);
		rs_sasrec_forward(m, &z->acts, z->in, z->off, nbatch, NULL);
		for (int b = 0; b < nbatch; b++)
			memcpy(z->last + (size_t)b * C, z->acts.h + (z->off[b + 1] - 1) * C, (size_t)C * sizeof *z->last);
		memset(z->scores, 0, (size_t)nbatch * I * sizeof *z->scores);
		rs_gemm_acc_threads(z->acts.threads, z->scores, (int)I, z->last, C, 1, z->Et, (int)I, nbatch, (int)I, C);
		for (int b = 0; b < nbatch; b++) {
			float *sc = z->scores + (size_t)b * I;
			int len;
			const uint32_t *it = rs_history_of(h, batch[b], &len);
			for (int t = 0; t < len; t++)
				sc[it[t]] = -INFINITY;
			uint32_t u = batch[b];
			for (size_t j = of->off[u]; j < of->off[u + 1]; j++) {
				float y = sc[of->items[j]];
				size_t above = 0;
				for (uint32_t i = 0; i < I; i++)
					above += sc[i] > y;
				hits += above < 10;
				gain += above < 10 ? 1.0 / log2((double)above + 2.0) : 0.0;
				n++;
			}
		}
		nbatch = 0;
	}
	*hr = n ? hits / (double)n : NAN;
	*ndcg = n ? gain / (double)n : NAN;
}

static void sasrec_evaluate(void *s, rs_fit_run *f, double *v)
{
	sasrec_fit *z = s;
	rank_users(z, f->m, &z->train, &z->valid, &v[RS_LOG_VALID_HR], &v[RS_LOG_VALID_NDCG]);
	rank_users(z, f->m, &z->known, &z->test, &v[RS_LOG_TEST_HR], &v[RS_LOG_TEST_NDCG]);
}

/* the model records each user's train and validation items: their context
 * at scoring */
static void sasrec_finish(void *s, rs_fit_run *f)
{
	sasrec_fit *z = s;
	rs_sasrec_record(f->m, z->known.off, z->known.items);
}

static void sasrec_free(void *s)
{
	sasrec_fit *z = s;
	rs_history_free(&z->train);
	rs_history_free(&z->known);
	rs_user_items_free(&z->byuser);
	rs_user_items_free(&z->valid);
	rs_user_items_free(&z->test);
	rs_negs_free(&z->negs);
	rs_sasrec_acts_free(&z->acts);
	free(z->users), free(z->in), free(z->who), free(z->target), free(z->cand), free(z->off);
	free(z->logit), free(z->dh), free(z->Et), free(z->scores), free(z->Ecand), free(z->gcand), free(z->last), free(z->rowloss);
}

const rs_fit_method rs_fit_sasrec = {
	.name = "sasrec",
	.flags = RS_FIT_VALID | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_ANY_THREADS,
	.remedy = "--lr",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = sasrec_applies,
	.state = sizeof(sasrec_fit),
	.init = sasrec_init,
	.epoch = sasrec_epoch,
	.evaluate = sasrec_evaluate,
	.finish = sasrec_finish,
	.free = sasrec_free,
};
