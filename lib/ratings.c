/* ratings.c: the MovieLens ratings formats, parsed with libcsv. */
#include "ratings.h"
#include "cli.h"
#include "input.h"
#include "dsv.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_ratings_init(rs_ratings *r)
{
	memset(r, 0, sizeof *r);
	rs_idmap_init(&r->users);
	rs_idmap_init(&r->items);
}

void rs_ratings_free(rs_ratings *r)
{
	free(r->user);
	free(r->item);
	free(r->rating);
	free(r->ts);
	free(r->split);
	rs_idmap_free(&r->users);
	rs_idmap_free(&r->items);
	memset(r, 0, sizeof *r);
}

int rs_format_parse(const char *s)
{
	static const char *names[] = {"auto", "tab", "dat", "csv"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

typedef struct parse {
	rs_ratings *r;
	const char *name;
	rs_format fmt;
	uint8_t split;
} parse;

/* An id: a non-negative integer */
static int parse_id(const char *s, int64_t *v)
{
	return rs_field_int(s, v) || *v < 0 ? -1 : 0;
}

static void grow(rs_ratings *r)
{
	r->cap = r->cap ? r->cap + r->cap / 2 : 1 << 16;
	r->user = rs_reallocarray(r->user, r->cap, sizeof *r->user);
	r->item = rs_reallocarray(r->item, r->cap, sizeof *r->item);
	r->rating = rs_reallocarray(r->rating, r->cap, sizeof *r->rating);
	r->ts = rs_reallocarray(r->ts, r->cap, sizeof *r->ts);
	r->split = rs_reallocarray(r->split, r->cap, sizeof *r->split);
}

static int on_row(void *ctx, char **f, int n, unsigned long line)
{
	parse *p = ctx;
	const char *name = p->name;
	/* '::' read with ':' as the delimiter leaves an empty field between values */
	if (p->fmt == RS_FORMAT_DAT) {
		if (n != 7 || f[1][0] || f[3][0] || f[5][0])
			rs_die("%s:%lu: expected 4 fields separated by '::'", name, line);
		f[1] = f[2], f[2] = f[4], f[3] = f[6];
	} else if (n != 4) {
		rs_die("%s:%lu: expected 4 fields (user, item, rating, timestamp), found %d", name,
		       line, n);
	}
	int64_t user, item, ts;
	if (parse_id(f[0], &user)) {
		if (line == 1 && p->fmt == RS_FORMAT_CSV)
			return 0;   /* ratings.csv's column names */
		if (line == 1)
			rs_die("%s:1: unexpected header line (user id '%s' is not a number); use --format csv for ratings.csv",
			       name, f[0]);
		rs_die("%s:%lu: user id '%s' is not a non-negative integer", name, line, f[0]);
	}
	if (parse_id(f[1], &item))
		rs_die("%s:%lu: item id '%s' is not a non-negative integer", name, line, f[1]);
	double rating;
	if (rs_field_num(f[2], &rating))
		rs_die("%s:%lu: rating '%s' is not a finite number", name, line, f[2]);
	if (!isfinite((float)rating))   /* stored as float32 */
		rs_die("%s:%lu: rating '%s' is out of float range", name, line, f[2]);
	if (rs_field_int(f[3], &ts))
		rs_die("%s:%lu: timestamp '%s' is not an integer", name, line, f[3]);

	rs_ratings *r = p->r;
	if (r->n == r->cap)
		grow(r);
	r->user[r->n] = rs_idmap_add(&r->users, user);
	r->item[r->n] = rs_idmap_add(&r->items, item);
	r->rating[r->n] = (float)rating;
	r->ts[r->n] = ts;
	r->split[r->n] = p->split;
	r->n++;
	return 0;
}

static void free_ptr(void *p)
{
	free(*(char **)p);
}

static rs_format sniff(const char *line)
{
	if (strstr(line, "::"))
		return RS_FORMAT_DAT;
	if (strchr(line, '\t'))
		return RS_FORMAT_TAB;
	if (strchr(line, ','))
		return RS_FORMAT_CSV;
	return RS_FORMAT_AUTO;
}

rs_format rs_ratings_read(rs_ratings *r, FILE *in, const char *name, rs_format fmt,
			  uint8_t split)
{
	char *first = NULL;
	size_t cap = 0;
	rs_cleanup_push(free_ptr, &first);
	if (getline(&first, &cap, in) < 0) {
		if (ferror(in))
			rs_input_read_error(name);
		rs_die("%s: empty input (no ratings)", name);
	}
	if (fmt == RS_FORMAT_AUTO && (fmt = sniff(first)) == RS_FORMAT_AUTO)
		rs_die("%s:1: cannot tell the format (no tab, '::' or comma); use --format", name);
	static const unsigned char delims[] = {0, '\t', ':', ','};
	parse p = {r, name, fmt, split};
	size_t before = r->n;
	rs_dsv_read(in, name, delims[fmt], first, on_row, &p);
	rs_cleanup_pop();
	free(first);
	if (r->n == before)
		rs_die("%s: no ratings in the input", name);
	return fmt;
}
