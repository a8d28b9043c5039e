/* dsv.c: libcsv driven one getline() line at a time, so that every row is
 * reported with the line it ends on. A line libcsv would only split at its
 * delimiters (no quote, no space to trim, no CR but before its newline) is split
 * here instead, with the same fields: the bulk of a ratings file costs a
 * memchr per field rather than libcsv's per-byte callbacks. */
#include "dsv.h"
#include "cli.h"
#include "input.h"
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

/* The fields of a plain line (see the top), split in place: the count, or
 * -1 when libcsv must read it (and, so that its state stays its own, every
 * line after it). */
static int split_plain(char *s, size_t len, unsigned char delim, dsv *d)
{
	if (!len || s[len - 1] != '\n')
		return -1;   /* a last line without its newline: libcsv ends it after
				the read error check, so a cut input is not a short row */
	len--;
	if (len && s[len - 1] == '\r')
		len--;
	if (!len)
		return -1;   /* libcsv skips an empty line */
	for (size_t i = 0; i < len; i++)
		if (s[i] == '"' || s[i] == ' ' || s[i] == '\r' || (s[i] == '\t' && delim != '\t') || !s[i])
			return -1;   /* the line is still as read: libcsv gets it whole */
	s[len] = 0;
	int n = 0;
	for (char *f = s;; n++) {
		if (n == d->fcap) {
			d->fcap = d->fcap ? 2 * d->fcap : 32;
			d->fields = rs_reallocarray(d->fields, d->fcap, sizeof *d->fields);
			d->offs = rs_reallocarray(d->offs, d->fcap, sizeof *d->offs);
		}
		d->fields[n] = f;
		char *end = memchr(f, delim, (size_t)(s + len - f));
		if (!end)
			return n + 1;
		*end = 0;
		f = end + 1;
	}
}

/* libcsv grows a field's buffer by a fixed block (128 bytes) at a time, so
 * wherever realloc moves the buffer a field of n bytes costs n^2 / 256 bytes
 * of copying (seconds for a few MB under ASan). Its buffer is allocated
 * here instead, with a capacity in a header before it that at least
 * doubles: a request within it is the same buffer, and the cost is linear
 * under any allocator. */
typedef union { size_t cap; max_align_t align; } field_head;

static void *field_realloc(void *p, size_t n)
{
	field_head *h = p ? (field_head *)p - 1 : NULL;
	if (h && n <= h->cap)
		return p;
	size_t cap = h && h->cap > n / 2 ? 2 * h->cap : n;
	if (cap > SIZE_MAX - sizeof *h)
		return NULL;
	field_head *g = realloc(h, sizeof *g + cap);
	if (!g)
		return NULL;   /* libcsv asks for less, then reports no memory */
	g->cap = cap;
	return g + 1;
}

static void field_free(void *p)
{
	if (p)
		free((field_head *)p - 1);
}

int rs_dsv_fields(char **f, int n, unsigned char sep)
{
	int k = 0;
	if (sep == ':') {
		if (n % 2 == 0)
			return -1;
		for (int i = 1; i < n; i += 2)
			if (f[i][0])
				return -1;
		for (int i = 0; i < n; i += 2)
			f[k++] = f[i];
	} else if (sep == ' ') {
		for (int i = 0; i < n; i++)
			if (f[i][0])
				f[k++] = f[i];
	} else {
		k = n;
	}
	return k;
}

int rs_dsv_read(FILE *in, const char *name, unsigned char delim, const char *first_line,
		rs_dsv_row_fn row, void *ctx)
{
	held h = {.d = {.name = name, .row = row, .ctx = ctx}};
	if (csv_init(&h.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		rs_die("out of memory");
	csv_set_delim(&h.p, delim);
	csv_set_realloc_func(&h.p, field_realloc);
	csv_set_free_func(&h.p, field_free);
	rs_cleanup_push(release, &h);
	struct csv_parser *pp = &h.p;
	dsv *dp = &h.d;
	size_t cap = 0;
	ssize_t len;
	if (first_line) {
		dp->line = 1;
		feed(pp, dp, name, first_line, strlen(first_line));
	}
	/* libcsv is done with a first line without quotes */
	int plain = !first_line || !strchr(first_line, '"');
	while (!dp->stop && (len = getline(&h.line, &cap, in)) > 0) {
		dp->line++;
		int n = plain ? split_plain(h.line, (size_t)len, delim, dp) : -1;
		if (n >= 0) {
			dp->stop = row(ctx, dp->fields, n, dp->line);
			continue;
		}
		plain = 0;
		feed(pp, dp, name, h.line, (size_t)len);
	}
	if (!dp->stop && ferror(in))
		rs_input_read_error(name);
	if (!dp->stop && csv_fini(pp, on_field, on_row, dp))
		rs_die("%s:%lu: %s", name, dp->line, csv_strerror(csv_error(pp)));
	int stop = dp->stop;
	rs_cleanup_pop();
	release(&h);
	return stop;
}

int rs_field_int(const char *s, int64_t *v)
{
	/* plain digits, as ids and timestamps come, without strtoll's locale */
	int64_t acc = 0;
	int i = 0;
	for (; i < 18 && s[i] >= '0' && s[i] <= '9'; i++)
		acc = 10 * acc + (s[i] - '0');
	if (i && !s[i]) {
		*v = acc;
		return 0;
	}
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
	/* digits[.digits], at most 15 of them: mantissa / 10^k is exact over
	 * exact operands, so one rounding, strtod's result */
	int64_t m = 0;
	int digits = 0, frac = -1, i = 0;
	static const double tens[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
				      1e13, 1e14, 1e15};
	for (; s[i] && digits <= 15; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			m = 10 * m + (s[i] - '0'), digits++, frac += frac >= 0;
		else if (s[i] == '.' && frac < 0 && digits)
			frac = 0;
		else
			break;
	}
	if (!s[i] && digits && digits <= 15 && frac != 0) {
		*v = (double)m / tens[frac > 0 ? frac : 0];
		return 0;
	}
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(x))
		return -1;
	*v = x;
	return 0;
}
