/* als.c: implicit ALS (als.h). */
#include "als.h"
#include "dist.h"
#include "cli.h"
#include "compute.h"
#include "mem.h"
#include "nn.h"
#include "parallel.h"
#include "rank.h"
#include "scorer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P, Q };

static void als_layout(rs_model *m)
{
	uint32_t k = (uint32_t)m->hp.factors;
	rs_params_add(&m->p, "P", m->hdr.nusers, k, 0);
	rs_params_add(&m->p, "Q", m->hdr.nitems, k, 0);
}

static void als_init(rs_model *m, rs_rng *rng)
{
	rs_init_normal(m->p.w, m->p.size, m->hp.init_std, rng);
}

static size_t als_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

// out (B) = P[u] . Q[i]; a pair with an unknown side scores 0 (nothing known)
static void als_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			rs_rng *rng)
{
	(void)rng;
	int k = m->hp.factors;
	const float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		out[b] = u == RS_NONE || i == RS_NONE
				 ? 0.0f
				 : rs_dot(Pw + (size_t)u * k, Qw + (size_t)i * k, k);
	}
}

/* One side's part (model.h): the user's row or the item's, no bias: the
 * ranking's item table then scores as als_forward does, to the bit. */
static void part(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
		 float *bias, float *s)
{
	(void)xv, (void)n;
	int k = m->hp.factors;
	memcpy(s, rs_w(&m->p, side == RS_PART_CONTEXT ? P : Q) + (size_t)x[0] * k, (size_t)k * sizeof *s);
	*bias = 0.0f;
}

/* ALS has no gradient step: the shared loop never trains it. */
/* fitted by its own sweeps (.fit): no gradient */
const rs_model_ops rs_als_ops = {
	.kind = "als",
	.layout = als_layout,
	.init = als_init,
	.scratch = als_scratch,
	.forward = als_forward,
	.caps = RS_CAP_ALS | RS_CAP_ITERS,
	.part = part,
};

/* a . b with 32 explicit partial sums: four independent vector chains
 * where rs_dot's eight lanes make one, whose add latency bound the row
 * solves; a fixed order all the same, so the same bits at any width */
static inline float dot32(const float *a, const float *b, int n)
{
	float acc[32] = {0};
	int i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 32; l++)
			acc[l] += a[i + l] * b[i + l];
	for (int l = 0; l < 16; l++)
		acc[l] += acc[l + 16];
	for (int l = 0; l < 8; l++)
		acc[l] += acc[l + 8];
	float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
	for (; i < n; i++)
		s += a[i] * b[i];
	return s;
}

// Ax = G x + reg x + sum_j cw_j (Y[j] . x) Y[j], cw_j = c_j - 1 the pair's
// confidence above the unobserved pairs'; G x as a sum of G's columns
// (rows: G is symmetric), so that no lane sum is taken per element
static inline void apply(float *Ax, const float *x, const float *G, const float *Y, const uint32_t *obs,
		  const float *cw, size_t n, int k, float reg)
{
	for (int a = 0; a < k; a++)
		Ax[a] = reg * x[a];
	for (int c = 0; c < k; c++) {
		const float *g = G + (size_t)c * k;
		float xc = x[c];
		for (int a = 0; a < k; a++)
			Ax[a] += xc * g[a];
	}
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		float s = cw[j] * dot32(y, x, k);
		for (int a = 0; a < k; a++)
			Ax[a] += s * y[a];
	}
}

RS_SIMD_BODY void solve_cg_body(float *x, const float *G, const float *Y, const uint32_t *obs,
			       const float *cw, size_t n, int k, double reg, int steps, float *work)
{
	float *r = work, *p = work + k, *Ap = work + 2 * k;
	float fr = (float)reg;
	// r = b - A x with b = sum_j c_j Y[j]: the observed rows in one pass,
	// r += (c_j - cw_j Y[j] . x) Y[j]
	apply(r, x, G, Y, obs, cw, 0, k, fr);
	for (int a = 0; a < k; a++)
		r[a] = -r[a];
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		float w = (1.0f + cw[j]) - cw[j] * dot32(y, x, k);
		for (int a = 0; a < k; a++)
			r[a] += w * y[a];
	}
	memcpy(p, r, (size_t)k * sizeof *p);
	float rr = rs_dot(r, r, k);
	for (int s = 0; s < steps && rr > 1e-12f; s++) {
		apply(Ap, p, G, Y, obs, cw, n, k, fr);
		float pAp = rs_dot(p, Ap, k);
		if (!(pAp > 0))
			break;   /* A is positive definite; a zero step means converged */
		float step = rr / pAp;
		for (int a = 0; a < k; a++) {
			x[a] += step * p[a];
			r[a] -= step * Ap[a];
		}
		float rr_next = rs_dot(r, r, k);
		for (int a = 0; a < k; a++)
			p[a] = r[a] + rr_next / rr * p[a];
		rr = rr_next;
	}
}

RS_SIMD_VOID(solve_cg, (float *x, const float *G, const float *Y, const uint32_t *obs,
			const float *cw, size_t n, int k, double reg, int steps, float *work),
	     (x, G, Y, obs, cw, n, k, reg, steps, work))

void rs_als_solve_cg(float *x, const float *G, const float *Y, const uint32_t *obs,
		     const float *cw, size_t n, int k, double reg, int steps, float *work)
{
	solve_cg(x, G, Y, obs, cw, n, k, reg, steps, work);
}

void rs_als_solve_cholesky(float *x, const float *G, const float *Y, const uint32_t *obs,
			   const float *cw, size_t n, int k, double reg, double *work)
{
	double *A = work, *b = work + (size_t)k * k;
	for (int a = 0; a < k; a++) {
		for (int c = 0; c <= a; c++)
			A[(size_t)a * k + c] = G[(size_t)a * k + c];
		A[(size_t)a * k + a] += reg;
		b[a] = 0;
	}
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		double alpha = cw[j];
		for (int a = 0; a < k; a++) {
			double ya = alpha * y[a];
			for (int c = 0; c <= a; c++)
				A[(size_t)a * k + c] += ya * y[c];
			b[a] += (1 + alpha) * y[a];
		}
	}
	// A = L L' in place (lower triangle), then L z = b, L' x = z
	for (int a = 0; a < k; a++) {
		for (int c = 0; c <= a; c++) {
			double s = A[(size_t)a * k + c];
			for (int e = 0; e < c; e++)
				s -= A[(size_t)a * k + e] * A[(size_t)c * k + e];
			if (a == c)
				A[(size_t)a * k + a] = sqrt(s > 1e-300 ? s : 1e-300);
			else
				A[(size_t)a * k + c] = s / A[(size_t)c * k + c];
		}
	}
	for (int a = 0; a < k; a++) {
		double s = b[a];
		for (int e = 0; e < a; e++)
			s -= A[(size_t)a * k + e] * b[e];
		b[a] = s / A[(size_t)a * k + a];
	}
	for (int a = k - 1; a >= 0; a--) {
		double s = b[a];
		for (int e = a + 1; e < k; e++)
			s -= A[(size_t)e * k + a] * b[e];
		b[a] = s / A[(size_t)a * k + a];
	}
	for (int a = 0; a < k; a++)
		x[a] = (float)b[a];
}

/* Rows of one side against the other side's fixed rows. */
typedef struct sweep {
	float *X;                /* the rows solved */
	const float *Y;          /* the fixed rows */
	const float *G;          /* Y'Y */
	const size_t *off;       /* row r observes Y's rows obs[off[r] .. off[r+1]) */
	const uint32_t *obs;
	const float *cw;         /* each observation's confidence above 1 */
	const rs_hparams *hp;
	float *work;             /* per thread */
	size_t stride;           /* floats of work per thread */
	size_t base;             /* the first row solved: this rank's share (dist.h) */
} sweep;

static void solve_rows(void *ctx, size_t lo, size_t hi, int t)
{
	const sweep *s = ctx;
	const rs_hparams *hp = s->hp;
	int k = hp->factors;
	float *w = s->work + (size_t)t * s->stride;
	for (size_t r = s->base + lo; r < s->base + hi; r++) {
		float *x = s->X + r * (size_t)k;
		const uint32_t *o = s->obs + s->off[r];
		const float *cw = s->cw + s->off[r];
		size_t n = s->off[r + 1] - s->off[r];
		if (hp->solver == RS_SOLVER_CG)
			solve_cg(x, s->G, s->Y, o, cw, n, k, hp->reg, hp->cg_steps, w);
		else
			rs_als_solve_cholesky(x, s->G, s->Y, o, cw, n, k, hp->reg, (double *)w);
	}
}

/* Partial Gram matrices over blocks of rows, summed in block order after:
 * the same sums for any number of threads. */
typedef struct gram {
	const float *Y;
	size_t rows;
	int k;
	double *part;            /* (blocks, k, k) */
} gram;

enum { GRAM_BLOCK = 256 };

RS_SIMD_BODY void gram_blocks_body(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const gram *g = ctx;
	int k = g->k;
	for (size_t blk = lo; blk < hi; blk++) {
		double *G = g->part + blk * (size_t)k * k;
		memset(G, 0, (size_t)k * k * sizeof *G);
		size_t end = (blk + 1) * GRAM_BLOCK < g->rows ? (blk + 1) * GRAM_BLOCK : g->rows;
		for (size_t r = blk * GRAM_BLOCK; r < end; r++) {
			const float *y = g->Y + r * (size_t)k;
			for (int a = 0; a < k; a++)
				for (int c = 0; c <= a; c++)
					G[(size_t)a * k + c] += (double)y[a] * y[c];
		}
	}
}

RS_SIMD_VOID(gram_blocks, (void *ctx, size_t lo, size_t hi, int t), (ctx, lo, hi, t))

/* Y'Y over rows [lo, hi) of Y, summed over the ranks (each its share):
 * in blocks, then in double across them, then rounded once. */
static void gram_of(float *G, const float *Y, size_t lo, size_t hi, int k, int threads,
		    double *part)
{
	size_t rows = hi - lo, blocks = (rows + GRAM_BLOCK - 1) / GRAM_BLOCK, kk = (size_t)k * k;
	gram g = {Y + lo * (size_t)k, rows, k, part};
	rs_parallel_for(blocks, 1, threads, gram_blocks, &g);
	double *sum = part + blocks * kk;
	for (size_t a = 0; a < kk; a++) {
		double s = 0;
		for (size_t b = 0; b < blocks; b++)
			s += part[b * kk + a];
		sum[a] = s;
	}
	rs_dist_sum_array(sum, kk);
	for (int a = 0; a < k; a++)
		for (int c = 0; c <= a; c++)
			G[(size_t)a * k + c] = G[(size_t)c * k + a] = (float)sum[(size_t)a * k + c];
}

void rs_als_gram(float *G, const float *Y, size_t rows, int k)
{
	double *part = rs_malloc(((rows + GRAM_BLOCK - 1) / GRAM_BLOCK + 2) * (size_t)k * k * sizeof *part);
	gram_of(G, Y, 0, rows, k, 1, part);
	free(part);
}

/* The objective: sum over every pair of its confidence times its squared
 * error, plus reg times the squared norms (the caller takes it per train
 * record). */
RS_SIMD_BODY double objective_body(const rs_model *m, const float *G, const rs_user_items *byuser,
				   const float *cw)
{
	int k = m->hp.factors;
	uint32_t U = m->hdr.nusers;
	const float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	double all = 0, norms = 0;
	float *Gp = rs_malloc((size_t)k * sizeof *Gp);
	for (uint32_t u = 0; u < U; u++) {
		const float *p = Pw + (size_t)u * k;
		apply(Gp, p, G, Qw, NULL, NULL, 0, k, 0.0f);
		all += rs_dot(p, Gp, k);
		for (size_t j = byuser->off[u]; j < byuser->off[u + 1]; j++) {
			double s = dot32(p, Qw + (size_t)byuser->items[j] * k, k);
			all += (1 + (double)cw[j]) * (1 - s) * (1 - s) - s * s;
		}
	}
	free(Gp);
	for (size_t i = 0; i < m->p.size; i++)
		norms += (double)m->p.w[i] * m->p.w[i];
	return all + m->hp.reg * norms;
}
RS_SIMD_RET(double, objective, (const rs_model *m, const float *G, const rs_user_items *byuser,
				const float *cw), (m, G, byuser, cw))

/* Each user's sorted train items to distinct items, in place, with each
 * pair's confidence above the unobserved pairs': alpha times its events
 * (--confidence count) or alpha (binary). Returns the weights. */
static float *confidences(rs_user_items *ui, uint32_t U, const rs_hparams *hp)
{
	float *cw = rs_malloc((ui->off[U] + 1) * sizeof *cw);
	size_t w = 0;
	for (uint32_t u = 0; u < U; u++) {
		size_t a = ui->off[u], b = ui->off[u + 1];
		ui->off[u] = w;
		for (size_t j = a; j < b;) {
			size_t e = j + 1;
			while (e < b && ui->items[e] == ui->items[j])
				e++;
			ui->items[w] = ui->items[j];
			double times = hp->confidence == RS_CONFIDENCE_COUNT ? (double)(e - j) : 1.0;
			cw[w++] = (float)(hp->alpha * times);
			j = e;
		}
	}
	ui->off[U] = w;
	return cw;
}

/* The train pairs by item: the transpose of byuser, with their weights. */
static void by_item(rs_user_items *t, float *tw, const rs_user_items *byuser, const float *cw,
		    uint32_t U, uint32_t I)
{
	t->off = rs_calloc((size_t)I + 1, sizeof *t->off);
	size_t n = byuser->off[U];
	for (size_t j = 0; j < n; j++)
		t->off[byuser->items[j] + 1]++;
	for (uint32_t i = 0; i < I; i++)
		t->off[i + 1] += t->off[i];
	t->items = rs_malloc((n + 1) * sizeof *t->items);
	size_t *fill = rs_malloc(((size_t)I + 1) * sizeof *fill);
	memcpy(fill, t->off, ((size_t)I + 1) * sizeof *fill);
	for (uint32_t u = 0; u < U; u++)
		for (size_t j = byuser->off[u]; j < byuser->off[u + 1]; j++) {
			size_t at = fill[byuser->items[j]]++;
			t->items[at] = u;
			tw[at] = cw[j];
		}
	free(fill);
}

void rs_als_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o)
{
	const rs_hparams *hp = &m->hp;
	int k = hp->factors, threads = o->threads > 0 ? o->threads : 1;
	uint32_t U = d->hdr.nusers, I = d->hdr.nitems;
	rs_user_items byuser, byitem, test;
	rs_user_items_build(&byuser, d, RS_SPLITS(RS_SPLIT_TRAIN));
	if (!byuser.off[U])
		rs_die("%s: the stream has no train records (split 0)", d->src);
	rs_users_without_train(d, &byuser);
	size_t nrec = byuser.off[U];
	float *cw = confidences(&byuser, U, hp), *iw = rs_malloc((byuser.off[U] + 1) * sizeof *iw);
	by_item(&byitem, iw, &byuser, cw, U, I);
	rs_user_items_build(&test, d, RS_SPLITS(RS_SPLIT_TEST));
	rs_user_items_sample(&test, U, RS_EVAL_USERS, hp->seed);
	int ntest = test.off[U] > 0;
	m->ymin = m->ymax = 0;   /* scores are compared, never clipped */

	float *G = rs_malloc((size_t)k * k * sizeof *G);
	size_t rows = U > I ? U : I;
	double *part = rs_malloc(((rows + GRAM_BLOCK - 1) / GRAM_BLOCK + 2) * (size_t)k * k *
				 sizeof *part);
	size_t stride = hp->solver == RS_SOLVER_CG ? 4 * (size_t)k
						    : 2 * (size_t)k * ((size_t)k + 1);
	float *work = rs_malloc((size_t)threads * stride * sizeof *work);
	rs_scorer sc;
	rs_ranker rk;
	rs_scorer_init(&sc, m, NULL, NULL);
	rs_ranker_model(&rk, &sc);

	free(m->log);
	m->log = rs_calloc((size_t)hp->iters + 1, sizeof *m->log);
	m->nlog = 0;
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(RS_TASK_RANK, 0, cols);
	FILE *log = o->log;
	rs_log_header(o, cols, ncols);
	float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	/* under mpirun each rank solves its share of the users, then of the
	 * items; the Gram terms are summed over the ranks and the rows
	 * gathered to all, so every rank holds the model one process would */
	size_t ulo, uhi, ilo, ihi;
	rs_dist_share(U, &ulo, &uhi);
	rs_dist_share(I, &ilo, &ihi);
	gram_of(G, Qw, ilo, ihi, k, threads, part);
	for (int it = 1; it <= hp->iters; it++) {
		double t0 = rs_train_clock();
		sweep su = {Pw, Qw, G, byuser.off, byuser.items, cw, hp, work, stride, ulo};
		rs_parallel_for(uhi - ulo, 16, threads, solve_rows, &su);
		rs_dist_gather_rows(Pw, U, (size_t)k);
		gram_of(G, Pw, ulo, uhi, k, threads, part);
		sweep si = {Qw, Pw, G, byitem.off, byitem.items, iw, hp, work, stride, ilo};
		rs_parallel_for(ihi - ilo, 16, threads, solve_rows, &si);
		rs_dist_gather_rows(Qw, I, (size_t)k);
		gram_of(G, Qw, ilo, ihi, k, threads, part);   /* for the objective and the next sweep */
		double seconds = rs_train_clock() - t0;
		rs_epoch *e = &m->log[m->nlog++];
		for (int c = 0; c < RS_LOG_NCOLS; c++)
			e->v[c] = NAN;
		e->v[RS_LOG_EPOCH] = it;
		e->v[RS_LOG_TRAIN_LOSS] = objective(m, G, &byuser, cw) / (double)(nrec ? nrec : 1);
		/* the ranking costs as much as a sweep: every sweep's only for the
		 * log, else the last one's for the summary */
		if (ntest && (log || it == hp->iters)) {
			rs_rank_metrics r;
			const int top = RS_LOG_TOP;
			rs_rank_full(&rk, &byuser, &test, &top, 1, &r);
			e->v[RS_LOG_TEST_HR] = r.hr;
			e->v[RS_LOG_TEST_NDCG] = r.ndcg;
		}
		e->v[RS_LOG_SECONDS] = seconds;
		if (!isfinite(e->v[RS_LOG_TRAIN_LOSS]))
			rs_die("iteration %d: the objective is not finite; try a larger --reg (now %g)", it,
			       hp->reg);
		rs_log_row(o, cols, ncols, e->v);
		if (!o->quiet)
			fprintf(stderr, "%s: iter %d/%d loss %.4f %.3f s\n", rs_prog, it, hp->iters,
				e->v[RS_LOG_TRAIN_LOSS], seconds);
	}
	m->best_epoch = m->nlog;
	if (log && fclose(log) != 0)
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
	if (m->nlog)
		rs_summary("%zu train, %zu test records; %d iterations: test_hr" RS_LOG_AT " %.4f",
			   nrec, test.off[U], m->nlog, m->log[m->nlog - 1].v[RS_LOG_TEST_HR]);
	rs_ranker_free(&rk);
	rs_scorer_free(&sc);
	rs_user_items_free(&byuser);
	rs_user_items_free(&byitem);
	rs_user_items_free(&test);
	free(G);
	free(part);
	free(work);
	free(cw);
	free(iw);
}
