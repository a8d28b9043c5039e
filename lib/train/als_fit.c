/* als_fit.c: implicit ALS's sweeps (als.h): the train pairs and their
 * confidences by user and by item, every user's row then every item's solved
 * on threads, under mpirun each rank its share. */
#include "als_fit.h"
#include "cli.h"
#include "dist.h"
#include "mem.h"
#include "parallel.h"
#include "rank.h"
#include "rank_metrics.h"
#include "scorer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P, Q };

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
			rs_als_solve_cg(x, s->G, s->Y, o, cw, n, k, hp->reg, hp->cg_steps, w);
		else
			rs_als_solve_cholesky(x, s->G, s->Y, o, cw, n, k, hp->reg, (double *)w);
	}
}


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
	double *part = rs_malloc(rs_als_gram_scratch(rows, k) * sizeof *part);
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
	rs_als_gram_rows(G, Qw, ilo, ihi, k, threads, part);
	for (int it = 1; it <= hp->iters; it++) {
		double t0 = rs_train_clock();
		sweep su = {Pw, Qw, G, byuser.off, byuser.items, cw, hp, work, stride, ulo};
		rs_parallel_for(uhi - ulo, 16, threads, solve_rows, &su);
		rs_dist_gather_rows(Pw, U, (size_t)k);
		rs_als_gram_rows(G, Pw, ulo, uhi, k, threads, part);
		sweep si = {Qw, Pw, G, byitem.off, byitem.items, iw, hp, work, stride, ilo};
		rs_parallel_for(ihi - ilo, 16, threads, solve_rows, &si);
		rs_dist_gather_rows(Qw, I, (size_t)k);
		rs_als_gram_rows(G, Qw, ilo, ihi, k, threads, part);   /* for the objective and the next sweep */
		double seconds = rs_train_clock() - t0;
		rs_epoch *e = &m->log[m->nlog++];
		for (int c = 0; c < RS_LOG_NCOLS; c++)
			e->v[c] = NAN;
		e->v[RS_LOG_EPOCH] = it;
		e->v[RS_LOG_TRAIN_LOSS] = rs_als_objective(m, G, &byuser, cw) / (double)(nrec ? nrec : 1);
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
