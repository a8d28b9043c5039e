/* rowreq.h: rs-predict --serve's requests for a model of a click log's
 * columns: one JSON object a line, each key a column's name and its value
 * a string, a number, null (missing) or an array of strings (a
 * multi-valued column's parts), read by jansson. */
#ifndef RS_ROWREQ_H
#define RS_ROWREQ_H

#include <stddef.h>
#include <stdio.h>

typedef struct rs_rowreq {
	char **names;            /* (n) the keys */
	char **values;           /* (n) each value as text ('a|b' for an array), NULL for null */
	int n;
} rs_rowreq;

/* line[0..len) into q; 0, or 1 with the reason in err and q empty. */
int rs_rowreq_parse(const char *line, size_t len, rs_rowreq *q, char *err, size_t errlen);
void rs_rowreq_free(rs_rowreq *q);

/* Answers a row: prints one line to out and returns 0, or returns 1 with
 * the reason in err, having printed nothing. */
typedef int (*rs_row_answer_fn)(void *ctx, const rs_rowreq *q, FILE *out, char *err, size_t len);
/* Each line of in answered on stdout as rs_serve does (request.h). */
void rs_serve_rows(FILE *in, rs_row_answer_fn answer, void *ctx);

#endif
