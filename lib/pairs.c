/* pairs.c: the pair lines of rs-predict, through dsv (libcsv). */
#include "pairs.h"
#include "cli.h"
#include "input.h"
#include "dsv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const char *name;
	int spaces;          /* space-separated: runs of spaces are one separator */
	int nfields;         /* of the first pair's line; 0 before it */
	unsigned long n;
	rs_pair_fn fn;
	void *ctx;
} reader;

static int parse_id(const char *s, int64_t *v)
{
	return rs_field_int(s, v) || *v < 0 ? -1 : 0;
}

static int on_row(void *p, char **f, int n, unsigned long line)
{
	reader *r = p;
	if (r->spaces) {   /* drop the empty fields that runs of spaces leave */
		int k = 0;
		for (int i = 0; i < n; i++)
			if (f[i][0])
				f[k++] = f[i];
		n = k;
	}
	if (n == 0 || (n == 1 && !f[0][0]))
		rs_die("%s:%lu: empty line (expected 'user item [rating [timestamp]]')", r->name, line);
	rs_pair q = {.line = line};
	if (parse_id(f[0], &q.user)) {
		if (line == 1)
			return 0;   /* a header line */
		rs_die("%s:%lu: user id '%s' is not a non-negative integer", r->name, line, f[0]);
	}
	if (n < 2 || n > 4)
		rs_die("%s:%lu: expected 2 to 4 fields (user, item, rating, timestamp), found %d",
		       r->name, line, n);
	if (!r->nfields)
		r->nfields = n;
	if (n != r->nfields)
		rs_die("%s:%lu: %d fields, where the first pair's line has %d", r->name, line, n,
		       r->nfields);
	if (parse_id(f[1], &q.item))
		rs_die("%s:%lu: item id '%s' is not a non-negative integer", r->name, line, f[1]);
	if (n >= 3) {
		if (rs_field_num(f[2], &q.rating))
			rs_die("%s:%lu: rating '%s' is not a finite number", r->name, line, f[2]);
		q.has_rating = 1;
	}
	r->fn(r->ctx, &q);
	r->n++;
	return 0;
}

static void free_ptr(void *p)
{
	free(*(char **)p);
}

unsigned long rs_pairs_read(FILE *in, const char *name, rs_pair_fn fn, void *ctx)
{
	char *first = NULL;
	size_t cap = 0;
	if (getline(&first, &cap, in) < 0) {
		free(first);
		if (ferror(in))
			rs_input_read_error(name);
		return 0;
	}
	rs_cleanup_push(free_ptr, &first);
	char delim = strchr(first, '\t') ? '\t' : strchr(first, ',') ? ',' : ' ';
	reader r = {name, delim == ' ', 0, 0, fn, ctx};
	rs_dsv_read(in, name, (unsigned char)delim, first, on_row, &r);
	rs_cleanup_pop();
	free(first);
	return r.n;
}
