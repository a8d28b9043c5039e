/* dsv.c: libcsv driven one getline() line at a time, so that every row is
 * reported with the line it ends on. */
#include "dsv.h"
#include "cli.h"
#include "mem.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct dsv {
	char *buf;           /* (cap) the row's fields, each NUL-terminated */
	size_t len, cap;
	size_t *offs;        /* (fcap) start of each field in buf */
	char **fields;       /* (fcap) the same as pointers, for the row function */
	int n, fcap;
	unsigned long line;
	const char *name;
	rs_dsv_row_fn row;
	void *ctx;
	int stop;            /* the row function's non-zero answer */
} dsv;

static void on_field(void *s, size_t len, void *data)
{
	dsv *d = data;
	if (d->stop)
		return;
	if (d->n == d->fcap) {
		if (d->fcap > INT_MAX / 2)
			rs_die("%s:%lu: more than %d fields", d->name, d->line, INT_MAX / 2);
		d->fcap = d->fcap ? 2 * d->fcap : 32;
		d->offs = rs_reallocarray(d->offs, d->fcap, sizeof *d->offs);
		d->fields = rs_reallocarray(d->fields, d->fcap, sizeof *d->fields);
	}
	if (d->len + len + 1 > d->cap) {
		while (d->len + len + 1 > d->cap)
			d->cap = d->cap ? 2 * d->cap : 4096;
		d->buf = rs_realloc(d->buf, d->cap);
	}
	d->offs[d->n++] = d->len;
	if (len)
		memcpy(d->buf + d->len, s, len);
	d->len += len;
	d->buf[d->len++] = 0;
}

static void on_row(int c, void *data)
{
	(void)c;
	dsv *d = data;
	if (!d->stop) {
		/* pointers only now: buf may have moved while the row grew */
		for (int i = 0; i < d->n; i++)
			d->fields[i] = d->buf + d->offs[i];
		d->stop = d->row(d->ctx, d->fields, d->n, d->line);
	}
	d->n = 0;
	d->len = 0;
}

static int feed(struct csv_parser *p, dsv *d, const char *name, const char *s, size_t len)
{
	if (csv_parse(p, s, len, on_field, on_row, d) != len)
		rs_die("%s:%lu: %s", name, d->line, csv_strerror(csv_error(p)));
	return d->stop;
}

/* Everything one read holds, for the cleanup of a caught error. */
typedef struct held {
	struct csv_parser p;
	dsv d;
	char *line;
} held;

static void release(void *arg)
{
	held *h = arg;
	csv_free(&h->p);
	free(h->line);
	free(h->d.buf);
	free(h->d.offs);
	free(h->d.fields);
}

int rs_dsv_read(FILE *in, const char *name, unsigned char delim, const char *first_line,
		rs_dsv_row_fn row, void *ctx)
{
	held h = {.d = {.name = name, .row = row, .ctx = ctx}};
	if (csv_init(&h.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		rs_die("out of memory");
	csv_set_delim(&h.p, delim);
	rs_cleanup_push(release, &h);
	struct csv_parser *pp = &h.p;
	dsv *dp = &h.d;
	size_t cap = 0;
	ssize_t len;
	if (first_line) {
		dp->line = 1;
		feed(pp, dp, name, first_line, strlen(first_line));
	}
	while (!dp->stop && (len = getline(&h.line, &cap, in)) > 0) {
		dp->line++;
		feed(pp, dp, name, h.line, (size_t)len);
	}
	if (!dp->stop && ferror(in))
		rs_die("%s: read error (unreadable, or gzip that is corrupt or truncated)", name);
	if (!dp->stop && csv_fini(pp, on_field, on_row, dp))
		rs_die("%s:%lu: %s", name, dp->line, csv_strerror(csv_error(pp)));
	int stop = dp->stop;
	rs_cleanup_pop();
	release(&h);
	return stop;
}

int rs_field_int(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (end == s || *end || errno)
		return -1;
	*v = x;
	return 0;
}

int rs_field_num(const char *s, double *v)
{
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(x))
		return -1;
	*v = x;
	return 0;
}
