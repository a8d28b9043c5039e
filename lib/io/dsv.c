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
#include <stdarg.h>
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
	unsigned char delim;
	rs_dsv_row_fn row;
	void *ctx;
	int stop;            /* the row function's non-zero answer */
} dsv;

/* A byte no field may hold: it would cut the field (NUL: every reader
 * ends a string there), break the one-line text an id is printed as (a
 * line break, a tab in TSV output), or be read as something else. */
static void refuse_byte(const dsv *d, const char *s, size_t len)
{
	static const char *const what[] = {"a NUL byte", "a line break", "a line break", "a tab"};
	static const char bytes[] = {0, '\n', '\r', '\t'};
	for (int b = 0; b < 4; b++)
		if ((b < 3 || d->delim != '\t') && memchr(s, bytes[b], len))
			rs_die("%s:%lu: field %d holds %s", d->name, d->line, d->n + 1, what[b]);
}

static void on_field(void *s, size_t len, void *data)
{
	dsv *d = data;
	if (d->stop)
		return;
	refuse_byte(d, s, len);
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

/* UTF-8's byte-order mark, which some exporters put before line 1 */
static const char bom[] = "\xef\xbb\xbf";

static size_t bom_len(const char *s, size_t len)
{
	return len >= 3 && !memcmp(s, bom, 3) ? 3 : 0;
}

/* A line of nothing but spaces and tabs (its end of line aside): blank
 * for every reader, whatever its separator. A quoted field cannot span
 * one unseen: the field holds the line breaks around it, and is refused. */
static int blank(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return len && (i == len || (s[i] == '\n' && i + 1 == len) ||
		       (s[i] == '\r' && i + 2 == len && s[i + 1] == '\n'));
}

ssize_t rs_dsv_head(FILE *in, const char *name, char **line, size_t *cap, unsigned long *lineno,
		    rs_dsv_skipped *sk)
{
	ssize_t len;
	*lineno = 0;
	while ((len = getline(line, cap, in)) > 0) {
		++*lineno;
		if (*lineno == 1 && bom_len(*line, (size_t)len)) {
			memmove(*line, *line + 3, (size_t)len - 2);
			len -= 3;
		}
		if (blank(*line, (size_t)len) || !len)
			sk->blank++;
		else if (**line == '#')
			sk->comment++;
		else if (memchr(*line, 0, (size_t)len))   /* the line's text ends there for its sniffer */
			rs_die("%s:%lu: the line holds a NUL byte", name, *lineno);
		else
			return len;
	}
	if (ferror(in))
		rs_input_read_error(name);
	return -1;
}

static void free_head(void *p)
{
	free(*(char **)p);   /* getline may have moved it since the push */
}

int rs_dsv_read(FILE *in, const char *name, unsigned char delim, const char *first_line,
		rs_dsv_skipped *sk, rs_dsv_row_fn row, void *ctx)
{
	if (first_line)
		return rs_dsv_read_at(in, name, delim, first_line + bom_len(first_line, strlen(first_line)), 1,
				      sk, row, ctx);
	/* the first line of data found here, past a mark and comments */
	rs_dsv_skipped none = {0};
	if (!sk)
		sk = &none;
	char *head = NULL;
	size_t cap = 0;
	unsigned long at;
	rs_cleanup_push(free_head, &head);
	int stop = 0;
	if (rs_dsv_head(in, name, &head, &cap, &at, sk) >= 0)
		stop = rs_dsv_read_at(in, name, delim, head, at, sk, row, ctx);
	rs_cleanup_pop();
	free(head);
	return stop;
}

int rs_dsv_read_at(FILE *in, const char *name, unsigned char delim, const char *first_line,
		   unsigned long first_no, rs_dsv_skipped *sk, rs_dsv_row_fn row, void *ctx)
{
	held h = {.d = {.name = name, .delim = delim, .row = row, .ctx = ctx}};
	rs_dsv_skipped none = {0};
	if (!sk)
		sk = &none;
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
		dp->line = first_no;
		feed(pp, dp, name, first_line, strlen(first_line));
	}
	/* libcsv is done with a first line without quotes */
	int plain = !first_line || !strchr(first_line, '"');
	while (!dp->stop && (len = getline(&h.line, &cap, in)) > 0) {
		dp->line++;
		if (dp->line == 1 && bom_len(h.line, (size_t)len)) {
			memmove(h.line, h.line + 3, (size_t)len - 2);
			len -= 3;
		}
		if (blank(h.line, (size_t)len)) {
			sk->blank++;
			continue;
		}
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

const char *rs_skipped_text(const rs_dsv_skipped *sk, char *buf, size_t len)
{
	unsigned long n = sk->blank + sk->comment + sk->header;
	buf[0] = 0;
	if (!n)
		return buf;
	snprintf(buf, len, "; %lu line%s skipped (", n, n == 1 ? "" : "s");
	const unsigned long k[3] = {sk->blank, sk->comment, sk->header};
	static const char *const what[3] = {"blank", "comment", "header"};
	for (int i = 0, said = 0; i < 3; i++)
		if (k[i])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%lu %s", said++ ? ", " : "", k[i], what[i]);
	snprintf(buf + strlen(buf), len - strlen(buf), ")");
	return buf;
}

/* FNV-1a: a said line's trace, to not say it twice */
static uint64_t text_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

void rs_dsv_summary(const rs_dsv_skipped *sk, int always, const char *fmt, ...)
{
	static uint64_t said[16];   /* a tool reads a handful of files */
	static int nsaid;
	if (!always && !(sk->blank + sk->comment + sk->header))
		return;
	char clause[96];
	rs_skipped_text(sk, clause, sizeof clause);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		rs_die("a summary line: %s", strerror(errno));
	char *text = rs_malloc((size_t)n + strlen(clause) + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	strcat(text, clause);
	uint64_t h = text_hash(text);
	int i = 0;
	while (i < nsaid && said[i] != h)
		i++;
	if (i == nsaid) {
		if (nsaid < 16)
			said[nsaid++] = h;
		rs_summary("%s", text);
	}
	free(text);
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

/* n digits of s as a number, or -1 when one is not a digit */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = 10 * v + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar:
 * whole 400-year eras of 146097 days, the year counted from March so that
 * the leap day ends it. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int rs_field_time(const char *s, int64_t *v)
{
	if (!rs_field_int(s, v))
		return 0;
	int y = digits(s, 4), mo, d;
	if (y < 0 || s[4] != '-' || (mo = digits(s + 5, 2)) < 1 || mo > 12 || s[7] != '-' ||
	    (d = digits(s + 8, 2)) < 1)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
	if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
		return -1;
	int64_t t = 86400 * days_from_civil(y, mo, d);
	const char *p = s + 10;
	if (!*p)
		return *v = t, 0;
	int hh, mm, ss = 0;
	if ((*p != 'T' && *p != ' ') || (hh = digits(p + 1, 2)) < 0 || hh > 23 || p[3] != ':' ||
	    (mm = digits(p + 4, 2)) < 0 || mm > 59)
		return -1;
	p += 6;
	if (*p == ':') {
		if ((ss = digits(p + 1, 2)) < 0 || ss > 60)   /* 60: a leap second */
			return -1;
		p += 3;
		if (*p == '.' || *p == ',') {   /* a fraction of a second, dropped */
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		}
	}
	t += 3600 * hh + 60 * mm + ss;
	if (*p == 'Z' && !p[1])
		return *v = t, 0;
	if (!*p)
		return *v = t, 0;
	if (*p != '+' && *p != '-')
		return -1;
	int oh = digits(p + 1, 2), om;
	if (oh < 0)   /* p + 3 may be past the end ("+", "+1") */
		return -1;
	const char *q = p + 3;
	if (*q == ':')
		q++;
	if (oh < 0 || oh > 23 || (om = digits(q, 2)) < 0 || om > 59 || q[2])
		return -1;
	/* local time = UTC + offset */
	t -= (*p == '+' ? 1 : -1) * (3600 * oh + 60 * om);
	return *v = t, 0;
}
