/* request.h: one request to a model held loaded (--serve), one line of
 * input: either bare ids (one: a user; two, blank-separated: a user and an
 * item) or a JSON object with any of the keys
 *   "user": an id   "item": an id   "similar": an id
 *   "liked": an array of item ids, oldest first   "k": 1 to RS_REQUEST_MAX_K
 * ids being strings or integers; which keys go together is the tool's
 * rule. Lines longer than RS_REQUEST_MAX_LINE are refused, not read.
 * Each answer is a line of JSON that repeats the request's ids. */
#ifndef RS_REQUEST_H
#define RS_REQUEST_H

#include <stddef.h>
#include <stdio.h>

#include "header.h"

#define RS_REQUEST_MAX_LINE (1 << 20)
#define RS_REQUEST_MAX_K 100000

typedef struct rs_request {
	char *user, *item, *similar;   /* NULL: not named */
	char **liked;                  /* (nliked), NULL: not named */
	int nliked;
	int k;                         /* 0: not named */
} rs_request;

/* Parse line[0..len) (without its newline) into q; returns 0, or 1 with
 * the reason in err and q empty. */
int rs_request_parse(const char *line, size_t len, rs_request *q, char *err, size_t errlen);
void rs_request_free(rs_request *q);

/* Reader of request lines whose buffer is kept from line to line. */
typedef struct rs_request_reader {
	FILE *in;
	char *buf;
	size_t cap;
	unsigned long line;            /* of the last line read, from 1 */
} rs_request_reader;

/* The next line into r->buf (NUL-terminated, no newline) and its length
 * into *len; returns 1, 0 at the end of input, or -1 for a line over
 * RS_REQUEST_MAX_LINE (skipped to its end). */
int rs_request_next(rs_request_reader *r, size_t *len);
void rs_request_reader_free(rs_request_reader *r);

/* What answers a request: prints one line to out and returns 0, or
 * returns 1 with the reason in err, having printed nothing. */
typedef int (*rs_answer_fn)(void *ctx, const rs_request *q, FILE *out, char *err, size_t len);

/* An answer's line begun on f: '{' and the request's ids as asked,
 * "user", then "liked" (the array), then "item" (NULL: none; the tool
 * says which id: the pair's item, the item a list is like), each of its
 * space's JSON type in h (jsonid.h); the answer's own keys follow, each
 * after ", ", and the caller closes the object. At least one of them is
 * named. */
void rs_answer_open(FILE *f, const rs_header *h, const rs_request *q, const char *item);

/* --serve: each line of in answered on stdout, flushed at once; a bad
 * line (unreadable, or answer's refusal) gets {"error": REASON, "line": N}
 * and the next is read. Returns at the end of in. */
void rs_serve(FILE *in, rs_answer_fn answer, void *ctx);
/* The loop under it and rs_serve_rows (rowreq.h): answer gets each line
 * whole (line[0..len)) and prints its one answer line to out and returns
 * 0, or returns 1 with the reason in err, having printed nothing. */
typedef int (*rs_line_answer_fn)(void *ctx, const char *line, size_t len, FILE *out, char *err,
				 size_t errlen);
void rs_serve_lines(FILE *in, rs_line_answer_fn answer, void *ctx);

#endif
