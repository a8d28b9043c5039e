/* side.c: side files (MovieLens u.user/u.item, users.dat/movies.dat,
 * movies.csv) parsed and joined to a stream's dense ids. */
#include "side.h"
#include "cli.h"
#include "dsv.h"
#include "featfile.h"
#include "idmap.h"
#include "input.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rs_side_init(rs_side *s, const rs_header *h)
{
	memset(s, 0, sizeof *s);
	s->nusers = h->nusers;
	s->nitems = h->nitems;
}

void rs_side_free(rs_side *s)
{
	free(s->age);
	free(s->gender);
	free(s->occupation);
	free(s->zip);
	free(s->year);
	free(s->genres);
	rs_user_items_free(&s->byuser);
	rs_user_items_free(&s->byitem);
	rs_features_free(s);
	memset(s, 0, sizeof *s);
}

/* Buckets of MovieLens-1M's age groups. */
static uint8_t age_bucket(int64_t age)
{
	static const long upper[] = {17, 24, 34, 44, 49, 55};
	uint8_t b = 0;
	while (b < 6 && age > upper[b])
		b++;
	return b;
}

/* Finer where ML-100K's items are dense (1990s), coarse before. */
static uint8_t year_bucket(int64_t y)
{
	if (y < 1960) return 1;
	if (y < 1990) return (uint8_t)(2 + (y - 1960) / 10);   /* 60s, 70s, 80s */
	if (y < 1993) return 5;
	return (uint8_t)(y >= 1998 ? 11 : 6 + (y - 1993));
}

enum { DAT_FIELDS = 8 };

static void free_line(void *p)
{
	free(*(char **)p);   /* getline may have moved it since the push */
}

/* The rows a side file hands on, for its summary line. */
typedef struct counted {
	rs_dsv_row_fn row;
	void *ctx;
	unsigned long n;
} counted;

static int count_row(void *p, char **f, int n, unsigned long line)
{
	counted *c = p;
	c->n++;
	return c->row(c->ctx, f, n, line);
}

/* The '::' lines from line (len bytes, line n) on: no quoting, and a
 * title may hold one ':', so no libcsv. */
static void dat_rows(FILE *in, const char *name, char **line, size_t *cap, ssize_t len, unsigned long n,
		     rs_dsv_skipped *sk, counted *c)
{
	do {
		char *s = *line;
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			s[--len] = 0;
		if (!len) {
			n++;
			sk->blank++;
			continue;
		}
		/* as dsv refuses them: a NUL would cut a field, a tab break a line of output */
		if (memchr(s, 0, (size_t)len))
			rs_die("%s:%lu: a field holds a NUL byte", name, n);
		if (memchr(s, '\t', (size_t)len))
			rs_die("%s:%lu: a field holds a tab", name, n);
		char *f[DAT_FIELDS];
		int k = 0;
		for (char *p = s;;) {
			char *sep = strstr(p, "::");
			if (k == DAT_FIELDS)
				rs_die("%s:%lu: more than %d '::'-separated fields", name, n, DAT_FIELDS);
			f[k++] = p;
			if (!sep)
				break;
			*sep = 0;
			p = sep + 2;
		}
		if (count_row(c, f, k, n++))
			break;
	} while ((len = getline(line, cap, in)) > 0);
	if (ferror(in))
		rs_input_read_error(name);
}

/* Each row of in as fields, to row(ctx, fields, n, line) with fmt set in
 * *fmt first; the CSV header is line 1 and not a row. */
void rs_side_rows(FILE *in, const char *name, rs_side_fmt *fmt, rs_dsv_row_fn row, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long n;
	rs_dsv_skipped sk = {0};
	counted c = {row, ctx, 0};
	rs_cleanup_push(free_line, &line);
	ssize_t len = rs_dsv_head(in, name, &line, &cap, &n, &sk);
	if (len <= 0)
		rs_die("%s: empty file", name);
	*fmt = strstr(line, "::") ? SIDE_DAT : !strncmp(line, "movieId,", 8) ? SIDE_CSV : SIDE_PIPE;
	if (*fmt == SIDE_DAT) {
		dat_rows(in, name, &line, &cap, len, n, &sk, &c);
	} else {   /* libcsv from the first line on; the CSV header's row is skipped */
		rs_dsv_read_at(in, name, *fmt == SIDE_CSV ? ',' : '|', line, n, &sk, count_row, &c);
		if (*fmt == SIDE_CSV && c.n) {   /* movies.csv's header, in every copy: said only beside others */
			c.n--;
			sk.header = sk.blank + sk.comment > 0;
		}
	}
	rs_cleanup_pop();
	free(line);
	rs_dsv_summary(&sk, 0, "%s: %lu rows", name, c.n);
}

/* Genre bits as u.item's flags, from ML-1M's and ML-25M's names ('|'). */
static const char *const genre_names[RS_NGENRES] = {
	"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
	"Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
	"Sci-Fi", "Thriller", "War", "Western"};

static uint32_t genre_bits(char *list, const char *name, unsigned long line)
{
	uint32_t g = 0;
	for (char *save = NULL, *t = strtok_r(list, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		if (!strcmp(t, "IMAX"))
			continue;   /* a format, not a genre: ML-100K has no flag for it */
		if (!strcmp(t, "(no genres listed)"))
			t = "unknown";
		else if (!strcmp(t, "Children"))
			t = "Children's";
		int i = 0;
		while (i < RS_NGENRES && strcmp(t, genre_names[i]))
			i++;
		if (i == RS_NGENRES)
			rs_die("%s:%lu: unknown genre '%s'", name, line, t);
		g |= 1u << i;
	}
	return g;
}

/* The year of a title that ends "(1995)", or 0. */
static int64_t title_year(const char *t)
{
	size_t n = strlen(t);
	while (n && t[n - 1] == ' ')
		n--;
	int64_t y = 0;
	if (n >= 6 && t[n - 1] == ')' && t[n - 6] == '(') {
		for (size_t i = n - 5; i < n - 1; i++) {
			if (t[i] < '0' || t[i] > '9')
				return 0;
			y = 10 * y + (t[i] - '0');
		}
	}
	return y;
}

typedef struct join {
	rs_side *s;
	rs_idmap ids;        /* the stream's raw ids */
	uint8_t *seen;
	const char *name;
	rs_side_fmt fmt;
	rs_idmap *every;     /* every user of the file, added as met (else NULL) */
	uint32_t room;       /* the users' arrays hold this many */
	char occ[256][32];   /* occupation names in order of first sight */
} join;

/* A user new to j->every: the side's arrays grown to hold them. */
static uint32_t add_user(join *j, int64_t raw)
{
	rs_side *s = j->s;
	uint32_t d = rs_idmap_add(j->every, raw);
	if (d >= j->room) {
		j->room = j->room ? 2 * j->room : 64;
		s->age = rs_reallocarray(s->age, j->room, 1);
		s->gender = rs_reallocarray(s->gender, j->room, 1);
		s->occupation = rs_reallocarray(s->occupation, j->room, 1);
		s->zip = rs_reallocarray(s->zip, j->room, 1);
	}
	s->nusers = j->every->n;
	return d;
}

static uint32_t lookup(join *j, char **f, unsigned long line)
{
	int64_t raw;
	if (rs_field_int(f[0], &raw) || raw < 0)
		rs_die("%s:%lu: id '%s' is not a non-negative integer", j->name, line, f[0]);
	if (j->every)
		return add_user(j, raw);
	uint32_t d = rs_idmap_find(&j->ids, raw);
	if (d != UINT32_MAX)
		j->seen[d] = 1;
	return d;
}

static int user_row(void *ctx, char **f, int n, unsigned long line)
{
	join *j = ctx;
	rs_side *s = j->s;
	if (j->fmt == SIDE_CSV)
		rs_die("%s: movies.csv has no users (ML-10M and later come without a user file)", j->name);
	int dat = j->fmt == SIDE_DAT;
	if (n != 5)
		rs_die(dat ? "%s:%lu: expected users.dat's 5 '::'-separated fields (id::gender::age::occupation::zip), found %d"
			   : "%s:%lu: expected 5 '|'-separated fields (id|age|gender|occupation|zip), found %d",
		       j->name, line, n);
	if (dat) {   /* users.dat's order to u.user's: id, age, gender, occupation, zip */
		char *g = f[1];
		f[1] = f[2];
		f[2] = g;
	}
	int occ = 0;   /* the dictionary spans every row, so it does not depend on the split */
	while (occ < s->noccupations && strcmp(j->occ[occ], f[3]))
		occ++;
	if (occ == s->noccupations) {
		if (occ == 255 || strlen(f[3]) >= sizeof j->occ[0])
			rs_die("%s:%lu: too many occupations, or a name too long", j->name, line);
		strcpy(j->occ[s->noccupations++], f[3]);
	}
	uint32_t d = lookup(j, f, line);
	if (d == UINT32_MAX)
		return 0;
	int64_t age;
	if (rs_field_int(f[1], &age) || age < 0 || age > 200)
		rs_die("%s:%lu: age '%s' is not a number of years", j->name, line, f[1]);
	if (strcmp(f[2], "M") && strcmp(f[2], "F"))
		rs_die("%s:%lu: gender '%s' is not M or F", j->name, line, f[2]);
	s->age[d] = age_bucket(age);
	s->gender[d] = f[2][0] == 'F';
	s->occupation[d] = (uint8_t)occ;
	s->zip[d] = f[4][0] >= '0' && f[4][0] <= '9' ? (uint8_t)(f[4][0] - '0') : 10;
	return 0;
}

static int item_row(void *ctx, char **f, int n, unsigned long line)
{
	join *j = ctx;
	rs_side *s = j->s;
	if (j->fmt == SIDE_CSV && !strcmp(f[0], "movieId"))
		return 0;   /* the header */
	if (j->fmt != SIDE_PIPE) {   /* movies.dat, movies.csv: id, title (year), genres */
		if (n != 3)
			rs_die("%s:%lu: expected %s's 3 fields (id, title, genres), found %d", j->name,
			       line, j->fmt == SIDE_DAT ? "movies.dat" : "movies.csv", n);
		uint32_t d = lookup(j, f, line);
		if (d == UINT32_MAX)
			return 0;
		int64_t y = title_year(f[1]);
		s->year[d] = y ? year_bucket(y) : 0;
		s->genres[d] = genre_bits(f[2], j->name, line);
		return 0;
	}
	if (n != 5 + RS_NGENRES)
		rs_die("%s:%lu: expected %d '|'-separated fields, found %d", j->name, line,
		       5 + RS_NGENRES, n);
	uint32_t d = lookup(j, f, line);
	if (d == UINT32_MAX)
		return 0;
	/* release date as dd-Mon-yyyy, or empty when unknown */
	size_t len = strlen(f[2]);
	int64_t y;
	s->year[d] = len >= 4 && !rs_field_int(f[2] + len - 4, &y) ? year_bucket(y) : 0;
	uint32_t g = 0;
	for (int i = 0; i < RS_NGENRES; i++) {
		const char *v = f[5 + i];
		if (strcmp(v, "0") && strcmp(v, "1"))
			rs_die("%s:%lu: genre flag %d is '%s', not 0 or 1", j->name, line, i + 1, v);
		g |= (uint32_t)(v[0] == '1') << i;
	}
	s->genres[d] = g;
	return 0;
}

static void free_join(void *p)
{
	join *j = p;
	rs_idmap_free(&j->ids);
	free(j->seen);
	free(j);
}

static void read_side(rs_side *s, const int64_t *ids, uint32_t n, FILE *in, const char *name,
		      rs_dsv_row_fn row, const char *what)
{
	join *j = rs_calloc(1, sizeof *j);
	j->s = s;
	j->name = name;
	j->seen = rs_calloc(n, 1);
	rs_idmap_from(&j->ids, ids, n);
	rs_cleanup_push(free_join, j);
	rs_side_rows(in, name, &j->fmt, row, j);
	for (uint32_t d = 0; d < n; d++)
		if (!j->seen[d])
			rs_die("%s: no row for %s %lld of the stream", name, what, (long long)ids[d]);
	rs_cleanup_pop();
	free_join(j);
}

void rs_side_read_users(rs_side *s, const rs_header *h, FILE *in, const char *name)
{
	s->age = rs_calloc(h->nusers, 1);
	s->gender = rs_calloc(h->nusers, 1);
	s->occupation = rs_calloc(h->nusers, 1);
	s->zip = rs_calloc(h->nusers, 1);
	s->noccupations = 0;
	read_side(s, h->user_ids, h->nusers, in, name, user_row, "user");
}

void rs_side_read_items(rs_side *s, const rs_header *h, FILE *in, const char *name)
{
	s->year = rs_calloc(h->nitems, 1);
	s->genres = rs_calloc(h->nitems, sizeof *s->genres);
	read_side(s, h->item_ids, h->nitems, in, name, item_row, "item");
}

void rs_side_read_every_user(rs_side *s, rs_idmap *ids, FILE *in, const char *name)
{
	memset(s, 0, sizeof *s);
	rs_idmap_init(ids);
	join *j = rs_calloc(1, sizeof *j);
	j->s = s;
	j->name = name;
	j->every = ids;
	rs_cleanup_push(free_join, j);
	rs_side_rows(in, name, &j->fmt, user_row, j);
	rs_cleanup_pop();
	free_join(j);
}

void rs_side_read(rs_side *s, const rs_header *h, const char *path, int users)
{
	FILE *f = rs_input_open(path);
	rs_cleanup_push(rs_input_close, f);
	if (users)
		rs_side_read_users(s, h, f, path);
	else
		rs_side_read_items(s, h, f, path);
	rs_cleanup_pop();
	fclose(f);
}

