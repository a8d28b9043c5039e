/* rowreq.c: JSON rows of column values (rowreq.h), read by jansson. */
#include "rowreq.h"
#include "cli.h"
#include "json.h"
#include "mem.h"
#include "request.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void rs_rowreq_free(rs_rowreq *q)
{
	for (int i = 0; i < q->n; i++) {
		free(q->names[i]);
		free(q->values[i]);
	}
	free(q->names);
	free(q->values);
	memset(q, 0, sizeof *q);
}

/* A scalar as text: a string as is, a number as JSON wrote it. */
static char *text(json_t *v)
{
	if (json_is_string(v))
		return rs_strdup(json_string_value(v));
	char buf[64];
	if (json_is_integer(v))
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
	return rs_strdup(buf);
}

int rs_rowreq_parse(const char *line, size_t len, rs_rowreq *q, char *err, size_t errlen)
{
	memset(q, 0, sizeof *q);
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		snprintf(err, errlen, "not a JSON object of column values%s%s", o ? "" : ": ", o ? "" : je.text);
		json_decref(o);
		return 1;
	}
	size_t n = json_object_size(o);
	q->names = rs_calloc(n + 1, sizeof *q->names);
	q->values = rs_calloc(n + 1, sizeof *q->values);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		int i = q->n++;
		q->names[i] = rs_strdup(key);
		if (json_is_null(v))
			continue;
		if (json_is_string(v) || json_is_number(v)) {
			q->values[i] = text(v);
			continue;
		}
		size_t at = 0, cap = 64, j;
		json_t *e;
		int ok = json_is_array(v);
		char *s = rs_malloc(cap);
		s[0] = 0;
		json_array_foreach(v, j, e) {
			if (!json_is_string(e) && !json_is_number(e)) {
				ok = 0;
				break;
			}
			char *t = text(e);
			size_t tl = strlen(t);
			while (at + tl + 2 > cap)
				s = rs_realloc(s, cap *= 2);
			at += (size_t)sprintf(s + at, "%s%s", j ? "|" : "", t);
			free(t);
		}
		q->values[i] = s;
		if (!ok) {
			snprintf(err, errlen, "column '%s' is not a string, a number, null or an array of them", key);
			json_decref(o);
			rs_rowreq_free(q);
			return 1;
		}
	}
	json_decref(o);
	return 0;
}

typedef struct row_line {
	rs_row_answer_fn answer;
	void *ctx;
} row_line;

static int answer_row(void *ctx, const char *line, size_t len, FILE *out, char *err, size_t errlen)
{
	row_line *r = ctx;
	rs_rowreq q;
	if (rs_rowreq_parse(line, len, &q, err, errlen))
		return 1;
	int bad = r->answer(r->ctx, &q, out, err, errlen);
	rs_rowreq_free(&q);
	return bad;
}

void rs_serve_rows(FILE *in, rs_row_answer_fn answer, void *ctx)
{
	row_line r = {answer, ctx};
	rs_serve_lines(in, answer_row, &r);
}
