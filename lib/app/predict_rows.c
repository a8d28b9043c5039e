/* predict_rows.c: rs-predict's rows of a click log's columns (predrows.h). */
#include "predrows.h"
#include "cli.h"
#include "clicklog.h"
#include "dataset.h"
#include "dsv.h"
#include "libfm.h"
#include "input.h"
#include "mem.h"
#include "metrics.h"
#include "rowenc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 4096

typedef struct rows {
	rs_model *m;
	rs_rowenc e;
	rs_dataset d;            /* the batch */
	const char *src;
	int json, started;
	uint32_t *x, zero;       /* (cap) a row's features */
	float *xv;
	size_t cap;
	uint32_t *idx;           /* (BATCH) 0, 1, ... */
	float *out;              /* (BATCH) */
	float *score, *label;    /* (ncap) the labelled rows' */
	size_t n, nlab, ncap;
	rs_dsv_skipped skipped;  /* the input's blank and comment lines */
} rows;

static void open_rows(rows *r, rs_model *m, const char *src, int json)
{
	memset(r, 0, sizeof *r);
	r->m = m, r->src = src, r->json = json;
	rs_rowenc_init(&r->e, &m->hdr);
	rs_dataset_like(&r->d, &m->hdr, m->click, 1);
	r->idx = rs_malloc(BATCH * sizeof *r->idx);
	r->out = rs_malloc(BATCH * sizeof *r->out);
	for (uint32_t i = 0; i < BATCH; i++)
		r->idx[i] = i;
}

static void close_rows(rows *r)
{
	rs_rowenc_free(&r->e);
	rs_dataset_free(&r->d);
	free(r->x);
	free(r->xv);
	free(r->idx);
	free(r->out);
	free(r->score);
	free(r->label);
}

static void flush(rows *r)
{
	size_t n = r->d.n;
	if (!n)
		return;
	rs_model_predict(r->m, &r->d, r->idx, n, r->out, r->m->click);
	for (size_t i = 0; i < n; i++) {
		if (!r->json)
			printf("%.9g\n", r->out[i]);
		if (!isnan(r->d.y[i])) {
			if (r->nlab == r->ncap) {
				r->ncap = r->ncap ? 2 * r->ncap : 4096;
				r->score = rs_reallocarray(r->score, r->ncap, sizeof *r->score);
				r->label = rs_reallocarray(r->label, r->ncap, sizeof *r->label);
			}
			r->score[r->nlab] = r->out[i];
			r->label[r->nlab++] = r->d.y[i];
		}
	}
	r->n += n;
	rs_check_stdout();
	rs_dataset_clear(&r->d);
}

/* One row's features into the batch; -1 with the reason in err. */
static int add(rows *r, char *const *f, int n, char *err, size_t len)
{
	size_t room = rs_rowenc_room(&r->e, f, n) + 1;
	if (room > r->cap) {
		r->cap = room;
		r->x = rs_reallocarray(r->x, room, sizeof *r->x);
		r->xv = rs_reallocarray(r->xv, room, sizeof *r->xv);
	}
	int k;
	uint32_t u, it;
	double y;
	if (rs_rowenc_row(&r->e, f, n, r->x, r->xv, &k, &u, &it, &y, err, len))
		return -1;
	rs_dataset_push(&r->d, u, it, r->x, r->xv, k);
	r->d.y[r->d.n - 1] = (float)y;
	return 0;
}

static int on_row(void *ctx, char **f, int n, unsigned long line)
{
	rows *r = ctx;
	char err[400];
	if (!r->started) {
		r->started = 1;
		if (rs_rowenc_columns(&r->e, f, n, err, sizeof err))
			rs_die("%s:1: %s", r->src, err);
		r->zero = (uint32_t)n;   /* the header's count */
		return 0;
	}
	if ((uint32_t)n != r->zero)
		rs_die("%s:%lu: expected %u fields (the header's), found %d", r->src, line, r->zero, n);
	if (add(r, f, n, err, sizeof err))
		rs_die("%s:%lu: %s", r->src, line, err);
	if (r->d.n == BATCH)
		flush(r);
	return 0;
}

/* The labelled rows' AUC and logloss, and the values the model lacked. */
static void summary(rows *r, int json)
{
	rs_model *m = r->m;
	double auc = NAN, ll = NAN;
	if (r->nlab && m->click) {
		uint64_t *work = rs_malloc(2 * r->nlab * sizeof *work);
		auc = rs_auc(r->score, r->label, r->nlab, work);
		ll = rs_logloss(r->score, r->label, r->nlab);
		free(work);
	}
	if (json) {
		printf("{\"n\": %zu", r->n);
		if (r->nlab && m->click)
			printf(", \"labelled\": %zu, \"auc\": %.9g, \"logloss\": %.9g", r->nlab, auc, ll);
		printf(", \"unknown\": %lu}\n", r->e.unknown);
	} else if (r->nlab && m->click) {
		rs_dsv_summary(&r->skipped, 1, "%zu rows, %zu labelled: auc %.6f logloss %.6f", r->n, r->nlab, auc, ll);
	} else {
		rs_dsv_summary(&r->skipped, 0, "%zu rows", r->n);
	}
	if (r->e.unknown)
		rs_summary("%lu ids and values the model never had: scored without them (an id) or at their field's rare feature (a value)",
			   r->e.unknown);
}

void rs_predict_rows(rs_model *m, FILE *in, const char *src, int json)
{
	rows r;
	open_rows(&r, m, src, json);
	r.e.numbered = 1;
	char *first = NULL;
	size_t cap = 0;
	if (getline(&first, &cap, in) < 0) {
		free(first);
		if (ferror(in))
			rs_input_read_error(src);
		rs_die("%s: empty input (no header naming the columns)", src);
	}
	rs_cleanup_push(free, first);
	rs_dsv_read(in, src, rs_clicklog_sep(first), first, &r.skipped, on_row, &r);
	rs_cleanup_pop();
	free(first);
	flush(&r);
	summary(&r, json);
	close_rows(&r);
}

void rs_predict_lines(rs_model *m, FILE *in, const char *src, int ffm, int json)
{
	rs_clicklog c;
	rs_clicklog_init(&c);
	rs_libfm_read(&c, in, src, ffm);
	rows r;
	open_rows(&r, m, src, json);
	r.skipped = c.r.skipped;
	char **f = rs_calloc((size_t)c.ncols + 2, sizeof *f), err[400], label[32];
	f[0] = "click";
	for (int j = 0; j < c.ncols; j++)
		f[j + 1] = c.cols[j].name;
	if (rs_rowenc_columns(&r.e, f, c.ncols + 1, err, sizeof err))
		rs_die("%s: %s", src, err);
	for (size_t i = 0; i < c.r.n; i++) {
		snprintf(label, sizeof label, "%.9g", c.r.rating[i]);
		f[0] = label;
		for (int j = 0; j < c.ncols; j++)
			f[j + 1] = c.cols[j].val[i] ? (char *)rs_names_at(&c.cols[j].text, c.cols[j].val[i] - 1) : "";
		if (add(&r, f, c.ncols + 1, err, sizeof err))
			rs_die("%s: record %zu: %s", src, i + 1, err);
		if (r.d.n == BATCH)
			flush(&r);
	}
	flush(&r);
	summary(&r, json);
	free(f);
	close_rows(&r);
	rs_clicklog_free(&c);
}

static int answer(void *ctx, const rs_rowreq *q, FILE *out, char *err, size_t len)
{
	rows *r = ctx;
	rs_rowenc_free(&r->e);   /* each object names its own keys */
	rs_rowenc_init(&r->e, &r->m->hdr);
	if (rs_rowenc_columns(&r->e, q->names, q->n, err, len) || add(r, q->values, q->n, err, len)) {
		rs_dataset_clear(&r->d);
		return 1;
	}
	rs_model_predict(r->m, &r->d, r->idx, 1, r->out, r->m->click);
	rs_dataset_clear(&r->d);
	fprintf(out, "{\"score\": %.9g}\n", r->out[0]);
	return 0;
}

void rs_predict_rows_serve(rs_model *m, FILE *in)
{
	rows r;
	open_rows(&r, m, "stdin", 0);
	rs_serve_rows(in, answer, &r);
	close_rows(&r);
}
