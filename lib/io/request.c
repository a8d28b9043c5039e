/* request.c: request lines (request.h), the JSON ones read by jansson,
 * and the start of their answers. */
#include "request.h"
#include "cli.h"
#include "input.h"
#include "json.h"
#include "jsonid.h"
#include "mem.h"
#include "names.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int fail(rs_request *q, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	rs_request_free(q);
	return 1;
}

/* An id of text s[0..n): not empty, at most RS_MAX_ID_LEN bytes, no NUL. */
static char *id_copy(const char *s, size_t n)
{
	if (!n || n > RS_MAX_ID_LEN || memchr(s, '\0', n))
		return NULL;
	char *id = rs_malloc(n + 1);
	memcpy(id, s, n);
	id[n] = '\0';
	return id;
}

/* A JSON id: a string or an integer, as its text. */
static char *json_id(const json_t *v)
{
	if (json_is_string(v))
		return id_copy(json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		char b[32];
		int n = snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return id_copy(b, (size_t)n);
	}
	return NULL;
}

/* The keys of o into q; returns 0, or 1 with the reason in err (written
 * while o, which owns the keys, is alive). */
static int read_keys(json_t *o, rs_request *q, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		char **slot = !strcmp(key, "user") ? &q->user : !strcmp(key, "item") ? &q->item
			    : !strcmp(key, "similar") ? &q->similar : NULL;
		if (slot) {
			if (!(*slot = json_id(v)))
				goto bad_id;
		} else if (!strcmp(key, "liked")) {
			size_t n = json_is_array(v) ? json_array_size(v) : 0;
			if (!n)
				return fail(q, err, errlen, "\"liked\" is a non-empty array of item ids");
			q->liked = rs_calloc(n, sizeof *q->liked);
			for (size_t j = 0; j < n; j++, q->nliked++)
				if (!(q->liked[j] = json_id(json_array_get(v, j))))
					goto bad_id;
		} else if (!strcmp(key, "k")) {
			json_int_t k = json_is_integer(v) ? json_integer_value(v) : 0;
			if (k < 1 || k > RS_REQUEST_MAX_K)
				return fail(q, err, errlen, "\"k\" is an integer from 1 to %d", RS_REQUEST_MAX_K);
			q->k = (int)k;
		} else {
			return fail(q, err, errlen, "unknown key \"%.40s\" (user, item, liked, similar, k)", key);
		}
	}
	return 0;
bad_id:
	return fail(q, err, errlen, "\"%s\" holds an id: a string or an integer of 1 to %d bytes",
		    key, RS_MAX_ID_LEN);
}

static int parse_json(const char *line, size_t len, rs_request *q, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fail(q, err, errlen, "not JSON: %s (column %d)", je.text, je.column);
	int bad = json_is_object(o) ? read_keys(o, q, err, errlen)
				    : fail(q, err, errlen, "a request is an object or bare ids");
	json_decref(o);
	return bad;
}

int rs_request_parse(const char *line, size_t len, rs_request *q, char *err, size_t errlen)
{
	memset(q, 0, sizeof *q);
	size_t a = 0;
	while (a < len && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r'))
		a++;
	while (len > a && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (a == len)
		return fail(q, err, errlen, "empty request");
	if (line[a] == '{')
		return parse_json(line + a, len - a, q, err, errlen);
	char *ids[2] = {NULL, NULL};
	int n = 0;
	for (size_t i = a; i < len;) {
		size_t j = i;
		while (j < len && line[j] != ' ' && line[j] != '\t')
			j++;
		if (n == 2 || !(ids[n] = id_copy(line + i, j - i))) {
			for (int t = 0; t < n; t++)
				free(ids[t]);
			return fail(q, err, errlen, n == 2 ? "bare ids are a user, or a user and an item"
						     : "an id is 1 to %d bytes", RS_MAX_ID_LEN);
		}
		n++;
		for (i = j; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			;
	}
	q->user = ids[0];
	q->item = n == 2 ? ids[1] : NULL;
	return 0;
}

void rs_request_free(rs_request *q)
{
	free(q->user);
	free(q->item);
	free(q->similar);
	for (int j = 0; j < q->nliked; j++)
		free(q->liked[j]);
	free(q->liked);
	memset(q, 0, sizeof *q);
}

int rs_request_next(rs_request_reader *r, size_t *len)
{
	size_t n = 0;
	int c, over = 0;
	while ((c = getc_unlocked(r->in)) != EOF && c != '\n') {
		if (n == RS_REQUEST_MAX_LINE) {
			over = 1;
			continue;
		}
		if (n + 1 >= r->cap) {
			r->cap = r->cap ? 2 * r->cap : 256;
			r->buf = rs_realloc(r->buf, r->cap);
		}
		r->buf[n++] = (char)c;
	}
	if (c == EOF && !n && !over)
		return 0;
	r->line++;
	if (!r->buf)
		r->buf = rs_malloc(r->cap = 256);
	r->buf[n] = '\0';
	*len = n;
	return over ? -1 : 1;
}

void rs_request_reader_free(rs_request_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/* ", " then key (quoted, with its colon), or '{' for the first */
static void key(FILE *f, const char **lead, const char *name)
{
	fputs(*lead, f);
	fputs(name, f);
	*lead = ", ";
}

void rs_answer_open(FILE *f, const rs_header *h, const rs_request *q, const char *item)
{
	const char *lead = "{";
	if (q->user) {
		key(f, &lead, "\"user\": ");
		rs_json_id(f, &h->user_names, q->user);
	}
	for (int j = 0; j < q->nliked; j++) {
		if (j)
			fputs(", ", f);
		else
			key(f, &lead, "\"liked\": [");
		rs_json_id(f, &h->item_names, q->liked[j]);
	}
	if (q->nliked)
		fputc(']', f);
	if (item) {
		key(f, &lead, "\"item\": ");
		rs_json_id(f, &h->item_names, item);
	}
}

void rs_serve_lines(FILE *in, rs_line_answer_fn answer, void *ctx)
{
	FILE *out = stdout;
	if (in == stdin)
		rs_stdin_notice("requests");
	rs_request_reader rd = {.in = in};
	size_t len;
	int got;
	char err[512];
	while ((got = rs_request_next(&rd, &len))) {
		int bad = 1;
		if (got < 0)
			snprintf(err, sizeof err, "a request line is at most %d bytes", RS_REQUEST_MAX_LINE);
		else
			bad = answer(ctx, rd.buf, len, out, err, sizeof err);
		if (bad) {
			fputs("{\"error\": ", out);
			rs_json_string(out, err, strlen(err));
			fprintf(out, ", \"line\": %lu}\n", rd.line);
		}
		fflush(out);
		rs_check_stdout();
	}
	rs_request_reader_free(&rd);
}

typedef struct request_line {
	rs_answer_fn answer;
	void *ctx;
} request_line;

static int answer_request(void *ctx, const char *line, size_t len, FILE *out, char *err, size_t errlen)
{
	request_line *r = ctx;
	rs_request q;
	if (rs_request_parse(line, len, &q, err, errlen))
		return 1;
	int bad = r->answer(r->ctx, &q, out, err, errlen);
	rs_request_free(&q);
	return bad;
}

void rs_serve(FILE *in, rs_answer_fn answer, void *ctx)
{
	request_line r = {answer, ctx};
	rs_serve_lines(in, answer_request, &r);
}
