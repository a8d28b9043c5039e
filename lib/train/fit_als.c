/* fit_als.c: implicit ALS's method (fit.h, als.h): the train pairs and
 * their confidences by user and by item, then each epoch a sweep: every
 * user's row, then every item's, solved on threads, under mpirun each rank
 * its share. */
#include "fit.h"
#include "als.h"
#include "cli.h"
#include "dist.h"
#include "mem.h"
#include "parallel.h"
#include "rank.h"
#include "rank_metrics.h"
#include "scorer.h"

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

typedef struct als {
	rs_user_items byuser, byitem, test;
	float *cw, *iw;          /* each pair's confidence above 1, by user and by item */
	float *G;                /* (k, k) the fixed side's Gram matrix */
	double *part;            /* its partial sums */
	float *work;             /* (threads, stride) */
	size_t stride;
	size_t ulo, uhi, ilo, ihi;   /* this rank's users and items */
	rs_scorer sc;
	rs_ranker rk;
} als;

static int als_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	(void)hp;
	return (ops->caps & RS_CAP_ALS) != 0;
}

static void als_init(void *s, rs_fit_run *f)
{
	als *a = s;
	rs_model *m = f->m;
	rs_dataset *d = f->d;
	const rs_hparams *hp = &m->hp;
	int k = hp->factors;
	uint32_t U = d->hdr.nusers, I = d->hdr.nitems;
	rs_user_items_build(&a->byuser, d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_users_without_train(d, &a->byuser);
	a->cw = confidences(&a->byuser, U, hp);
	a->iw = rs_malloc((a->byuser.off[U] + 1) * sizeof *a->iw);
	by_item(&a->byitem, a->iw, &a->byuser, a->cw, U, I);
	rs_user_items_build(&a->test, d, RS_SPLITS(RS_SPLIT_TEST));
	rs_user_items_sample(&a->test, U, RS_EVAL_USERS, hp->seed);
	a->G = rs_malloc((size_t)k * k * sizeof *a->G);
	a->part = rs_malloc(rs_als_gram_scratch(U > I ? U : I, k) * sizeof *a->part);
	a->stride = hp->solver == RS_SOLVER_CG ? 4 * (size_t)k : 2 * (size_t)k * ((size_t)k + 1);
	a->work = rs_malloc((size_t)f->threads * a->stride * sizeof *a->work);
	rs_scorer_init(&a->sc, m, NULL, NULL);
	rs_ranker_model(&a->rk, &a->sc);
	/* under mpirun each rank solves its share of the users, then of the
	 * items; the Gram terms are summed over the ranks and the rows
	 * gathered to all, so every rank holds the model one process would */
	rs_dist_share(U, &a->ulo, &a->uhi);
	rs_dist_share(I, &a->ilo, &a->ihi);
	rs_als_gram_rows(a->G, rs_w(&m->p, Q), a->ilo, a->ihi, k, f->threads, a->part);
}

/* A sweep; returns the objective, which the skeleton takes per train record */
static double als_epoch(void *s, rs_fit_run *f)
{
	als *a = s;
	rs_model *m = f->m;
	const rs_hparams *hp = &m->hp;
	int k = hp->factors, T = f->threads;
	uint32_t U = f->d->hdr.nusers, I = f->d->hdr.nitems;
	float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	sweep su = {Pw, Qw, a->G, a->byuser.off, a->byuser.items, a->cw, hp, a->work, a->stride, a->ulo};
	rs_parallel_for(a->uhi - a->ulo, 16, T, solve_rows, &su);
	rs_dist_gather_rows(Pw, U, (size_t)k);
	rs_als_gram_rows(a->G, Pw, a->ulo, a->uhi, k, T, a->part);
	sweep si = {Qw, Pw, a->G, a->byitem.off, a->byitem.items, a->iw, hp, a->work, a->stride, a->ilo};
	rs_parallel_for(a->ihi - a->ilo, 16, T, solve_rows, &si);
	rs_dist_gather_rows(Qw, I, (size_t)k);
	rs_als_gram_rows(a->G, Qw, a->ilo, a->ihi, k, T, a->part);   /* for the objective and the next sweep */
	return rs_als_objective(m, a->G, &a->byuser, a->cw);
}

/* The test ranking costs as much as a sweep: every sweep's only for the
 * log, else the last one's for the summary */
static void als_evaluate(void *s, rs_fit_run *f, double *v)
{
	als *a = s;
	if (!a->test.off[f->d->hdr.nusers] || !(f->o->log || f->epoch == f->epochs))
		return;
	rs_rank_metrics r;
	const int top = RS_LOG_TOP;
	rs_rank_full(&a->rk, &a->byuser, &a->test, &top, 1, &r);
	v[RS_LOG_TEST_HR] = r.hr;
	v[RS_LOG_TEST_NDCG] = r.ndcg;
}

static void als_free(void *s)
{
	als *a = s;
	rs_ranker_free(&a->rk);
	rs_scorer_free(&a->sc);
	rs_user_items_free(&a->byuser);
	rs_user_items_free(&a->byitem);
	rs_user_items_free(&a->test);
	free(a->G);
	free(a->part);
	free(a->work);
	free(a->cw);
	free(a->iw);
}

/* ALS gathers its rows within a sweep: no average of the ranks' models */
const rs_fit_method rs_fit_als = {
	.name = "als",
	.flags = RS_FIT_MPI | RS_FIT_ANY_THREADS,
	.remedy = "--reg",
	.lower = 0,
	.remedy_at = offsetof(rs_hparams, reg),
	.applies = als_applies,
	.state = sizeof(als),
	.init = als_init,
	.epoch = als_epoch,
	.evaluate = als_evaluate,
	.free = als_free,
};
