/* pairs.c: the pair lines of rs-predict, through dsv (libcsv). */
#include "pairs.h"
#include "cli.h"
#include "input.h"
#include "dsv.h"
#include "ratings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const char *name;
	unsigned char sep;   /* ' ': runs of spaces are one; ':' stands for '::' */
	int nfields;         /* of the first pair's line; 0 before it */
	unsigned long n;
	rs_dsv_skipped *sk;
	rs_pair_fn fn;
	void *ctx;
} reader;

/* an id as text, refused when empty or too long */
static void take_id(const reader *r, char *dst, const char *s, const char *what, unsigned long line)
{
	memcpy(dst, s, rs_id_length(s, r->name, line, what) + 1);
}

static int on_row(void *p, char **f, int n, unsigned long line)
{
	reader *r = p;
	if ((n = rs_dsv_fields(f, n, r->sep)) < 0)
		rs_die("%s:%lu: expected fields separated by '::'", r->name, line);
	if (n == 0 || (n == 1 && !f[0][0]))
		rs_die("%s:%lu: empty line (expected 'user item [rating [timestamp]]')", r->name, line);
	rs_pair q = {.line = line};
	if (!r->n && !r->nfields && n >= 2 && rs_column_role(f[0]) == RS_ROLE_USER && rs_column_role(f[1]) == RS_ROLE_ITEM) {
		r->sk->header++;
		return 0;
	}
	if (n < 2 || n > 4)
		rs_die("%s:%lu: expected 2 to 4 fields (user, item, rating, timestamp), found %d",
		       r->name, line, n);
	if (!r->nfields)
		r->nfields = n;
	if (n != r->nfields)
		rs_die("%s:%lu: %d fields, where the first pair's line has %d", r->name, line, n,
		       r->nfields);
	take_id(r, q.user, f[0], "user", line);
	take_id(r, q.item, f[1], "item", line);
	if (n >= 3) {
		if (rs_field_num(f[2], &q.rating))
			rs_die("%s:%lu: rating '%s' is not a finite number", r->name, line, f[2]);
		if (!isfinite((float)q.rating))   /* as ml-split keeps it: float32 */
			rs_die("%s:%lu: rating '%s' is out of float range", r->name, line, f[2]);
		q.has_rating = 1;
	}
	if (n == 4 && rs_field_time(f[3], &q.ts))
		rs_die("%s:%lu: timestamp '%s' is neither an integer nor an ISO-8601 date and time", r->name,
		       line, f[3]);
	q.has_ts = n == 4;
	r->fn(r->ctx, &q);
	r->n++;
	return 0;
}

static void free_ptr(void *p)
{
	free(*(char **)p);
}

unsigned long rs_pairs_read(FILE *in, const char *name, rs_dsv_skipped *sk, rs_pair_fn fn, void *ctx)
{
	char *first = NULL;
	size_t cap = 0;
	unsigned long at;
	rs_dsv_skipped none = {0};
	if (!sk)
		sk = &none;
	rs_cleanup_push(free_ptr, &first);
	if (rs_dsv_head(in, name, &first, &cap, &at, sk) < 0) {
		rs_cleanup_pop();
		free(first);
		return 0;
	}
	char delim = strstr(first, "::") ? ':' : strchr(first, '\t') ? '\t' : strchr(first, ',') ? ',' : ' ';
	reader r = {name, (unsigned char)delim, 0, 0, sk, fn, ctx};
	rs_dsv_read_at(in, name, (unsigned char)delim, first, at, sk, on_row, &r);
	rs_cleanup_pop();
	free(first);
	return r.n;
}
