/* libfm.c: libFM's and libffm's lines as a click log (libfm.h); the lines
 * are split by libcsv (dsv.h), then fed to the click log's reader as rows
 * of a header naming the fields. */
#include "libfm.h"
#include "cli.h"
#include "dsv.h"
#include "input.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct tok {
	uint32_t field, idx;
} tok;

/* Every line held: the fields are known only once all are read. */
typedef struct lines {
	const char *name;
	int ffm;
	size_t n, cap;
	char **label;            /* (n) */
	unsigned long *line;     /* (n) */
	size_t *off;             /* (n + 1) line i's tokens are tok[off[i] .. off[i+1]) */
	tok *tok;
	size_t ntok, tcap;
} lines;

static void free_lines(void *arg)
{
	lines *l = arg;
	for (size_t i = 0; i < l->n; i++)
		free(l->label[i]);
	free(l->label);
	free(l->line);
	free(l->off);
	free(l->tok);
}

/* A token's number: a field or an index, 0 .. RS_LIBFM_MAX_INDEX. */
static uint32_t number(const lines *l, const char *s, size_t len, int k, const char *t, unsigned long line,
		       const char *what)
{
	char buf[32];
	int64_t v;
	if (!len || len >= sizeof buf)
		v = -1;
	else {
		memcpy(buf, s, len);
		buf[len] = 0;
		if (rs_field_int(buf, &v))
			v = -1;
	}
	if (v < 0 || v > RS_LIBFM_MAX_INDEX)
		rs_die("%s:%lu: token %d ('%s'): the %s is not an integer in [0, 2^31 - 1]", l->name, line, k, t,
		       what);
	return (uint32_t)v;
}

static int on_line(void *ctx, char **f, int n, unsigned long line)
{
	lines *l = ctx;
	n = rs_dsv_fields(f, n, ' ');
	if (!n)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->label = rs_reallocarray(l->label, l->cap, sizeof *l->label);
		l->line = rs_reallocarray(l->line, l->cap, sizeof *l->line);
		l->off = rs_reallocarray(l->off, l->cap + 1, sizeof *l->off);
	}
	l->off[l->n] = l->ntok;
	l->line[l->n] = line;
	l->label[l->n++] = rs_strdup(f[0]);
	for (int k = 1; k < n; k++) {
		const char *t = f[k], *c1 = strchr(t, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || (l->ffm && !c2) || (!l->ffm && c2) || (c2 && strchr(c2 + 1, ':')))
			rs_die("%s:%lu: token %d ('%s'): expected %s", l->name, line, k, t,
			       l->ffm ? "field:index:value (libffm)" : "index:value (libFM)");
		tok x = {0, 0};
		const char *idx = t, *val = c1 + 1;
		if (l->ffm) {
			x.field = number(l, t, (size_t)(c1 - t), k, t, line, "field");
			idx = c1 + 1, val = c2 + 1;
		}
		x.idx = number(l, idx, (size_t)((l->ffm ? c2 : c1) - idx), k, t, line, "index");
		double v;
		if (rs_field_num(val, &v) || v != 1)
			rs_die("%s:%lu: token %d ('%s'): the value is not 1 (one-hot features only are read)",
			       l->name, line, k, t);
		if (l->ntok == l->tcap)
			l->tok = rs_reallocarray(l->tok, l->tcap = l->tcap ? 2 * l->tcap : 4096, sizeof *l->tok);
		l->tok[l->ntok++] = x;
	}
	l->off[l->n] = l->ntok;
	return 0;
}

/* libFM's fields: the k-th token's when every line has F tokens and the
 * places' index ranges are disjoint and in order; else one. */
static uint32_t positional(lines *l)
{
	size_t f = l->n ? l->off[1] - l->off[0] : 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->off[i + 1] - l->off[i] != f)
			return 1;
	if (f < 2)
		return 1;
	uint32_t *lo = rs_malloc(f * sizeof *lo), *hi = rs_malloc(f * sizeof *hi);
	for (size_t k = 0; k < f; k++)
		lo[k] = UINT32_MAX, hi[k] = 0;
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < f; k++) {
			uint32_t x = l->tok[l->off[i] + k].idx;
			lo[k] = x < lo[k] ? x : lo[k];
			hi[k] = x > hi[k] ? x : hi[k];
		}
	int apart = 1;
	for (size_t k = 1; k < f; k++)
		apart &= hi[k - 1] < lo[k];
	free(lo);
	free(hi);
	if (!apart)
		return 1;
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < f; k++)
			l->tok[l->off[i] + k].field = (uint32_t)k;
	return (uint32_t)f;
}

static void free_cols(void *arg)
{
	char ***v = arg;
	free(*v);
}

/* Each field's value of the line being fed, grown as it needs. */
typedef struct vals {
	char **val;
	size_t *len, *cap;
	uint32_t n;
} vals;

static void free_vals(void *arg)
{
	vals *v = arg;
	for (uint32_t j = 0; j < v->n; j++)
		free(v->val[j]);
	free(v->val);
	free(v->len);
	free(v->cap);
}

void rs_libfm_read(rs_clicklog *c, FILE *in, const char *name, int ffm)
{
	lines l = {.name = name, .ffm = ffm};
	rs_cleanup_push(free_lines, &l);
	rs_dsv_skipped sk = {0};
	rs_dsv_read(in, name, ' ', NULL, &sk, on_line, &l);
	if (!l.n)
		rs_die("%s: empty input (no lines)", name);
	/* the fields: libffm's numbers in order, each a column */
	uint32_t nf = 1, *col = NULL;
	if (ffm) {
		uint32_t most = 0;
		for (size_t t = 0; t < l.ntok; t++)
			most = l.tok[t].field > most ? l.tok[t].field : most;
		if (most >= 4096)
			rs_die("%s: field %u: libffm fields past 4095 are not read", name, most);
		col = rs_calloc((size_t)most + 2, sizeof *col);
		for (size_t t = 0; t < l.ntok; t++)
			col[l.tok[t].field] = 1;
		nf = 0;
		for (uint32_t f = 0; f <= most; f++)
			col[f] = col[f] ? nf++ + 1 : 0;   /* column + 1 of each field named */
	} else {
		nf = positional(&l);
	}
	rs_cleanup_push(free, col);
	/* the header row: the label, then f0, f1, ... (libffm: by field number) */
	size_t namelen = 16;
	char *names = rs_malloc((size_t)(nf + 1) * namelen), **row = rs_calloc((size_t)nf + 2, sizeof *row);
	rs_cleanup_push(free, names);
	rs_cleanup_push(free_cols, &row);
	char *cats = rs_malloc((size_t)nf * namelen + 1);
	rs_cleanup_push(free, cats);
	cats[0] = 0;
	snprintf(names, namelen, "click");
	row[0] = names;
	uint32_t k = 0;
	for (uint32_t f = 0; k < nf; f++) {
		if (ffm && !col[f])
			continue;
		k++;
		row[k] = names + (size_t)k * namelen;
		snprintf(row[k], namelen, "f%u", f);
		strcat(cats, k > 1 ? "," : "");
		strcat(cats, row[k]);
	}
	rs_clicklog_opts o = {.categorical = cats};
	rs_clicklog_begin(c, name, &o);
	rs_clicklog_row(c, row, (int)nf + 1, 0);
	/* each line: its label, then each field's indices, 'a|b' for several */
	vals v = {rs_calloc((size_t)nf + 1, sizeof *v.val), rs_calloc((size_t)nf + 1, sizeof *v.len),
		  rs_calloc((size_t)nf + 1, sizeof *v.cap), nf};
	rs_cleanup_push(free_vals, &v);
	for (uint32_t j = 0; j < nf; j++)
		v.val[j] = rs_calloc(v.cap[j] = 32, 1);
	for (size_t i = 0; i < l.n; i++) {
		for (uint32_t j = 0; j < nf; j++)
			v.len[j] = 0, v.val[j][0] = 0;
		for (size_t t = l.off[i]; t < l.off[i + 1]; t++) {
			uint32_t j = ffm ? col[l.tok[t].field] - 1 : nf > 1 ? l.tok[t].field : 0;
			if (v.len[j] + 16 > v.cap[j])
				v.val[j] = rs_realloc(v.val[j], v.cap[j] *= 2);
			v.len[j] += (size_t)snprintf(v.val[j] + v.len[j], v.cap[j] - v.len[j], "%s%u",
						     v.len[j] ? "|" : "", l.tok[t].idx);
		}
		row[0] = l.label[i];
		for (uint32_t j = 0; j < nf; j++)
			row[j + 1] = v.val[j];
		rs_clicklog_row(c, row, (int)nf + 1, l.line[i]);
	}
	rs_clicklog_end(c);
	c->r.skipped = sk;   /* the lines read before the log's columns were known */
	rs_cleanup_pop();
	free_vals(&v);
	rs_cleanup_pop();
	free(cats);
	rs_cleanup_pop();
	free(row);
	rs_cleanup_pop();
	free(names);
	rs_cleanup_pop();
	free(col);
	rs_cleanup_pop();
	free_lines(&l);
}
