/* onehot.c: side information and the feature layout built on it. */
#include "onehot.h"
#include "cli.h"
#include "dsv.h"
#include "idmap.h"
#include "input.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *names[RS_F_COUNT] = {"user", "item", "age", "gender", "occupation",
					 "zip", "year", "genre", "history", "implicit", "raters"};

const char *rs_field_name(int kind) { return names[kind]; }

int rs_field_kind(const char *name)
{
	for (int i = 0; i < RS_F_COUNT; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

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
#define NAGES 7

/* Finer where ML-100K's items are dense (1990s), coarse before. */
static uint8_t year_bucket(int64_t y)
{
	if (y < 1960) return 1;
	if (y < 1990) return (uint8_t)(2 + (y - 1960) / 10);   /* 60s, 70s, 80s */
	if (y < 1993) return 5;
	return (uint8_t)(y >= 1998 ? 11 : 6 + (y - 1993));
}
#define NYEARS 12

/* The side files of every MovieLens size, told apart by their first line:
 * ML-100K's u.user and u.item ('|'), ML-1M's users.dat and movies.dat
 * ('::'), ML-10M/20M/25M/latest's movies.csv (a header, quoted titles). */
typedef enum { SIDE_PIPE, SIDE_DAT, SIDE_CSV } side_fmt;

enum { DAT_FIELDS = 8 };

static void free_line(void *p)
{
	free(*(char **)p);   /* getline may have moved it since the push */
}

/* Each row of in as fields, to row(ctx, fields, n, line) with fmt set in
 * *fmt first; the CSV header is line 1 and not a row. */
static void side_rows(FILE *in, const char *name, side_fmt *fmt, rs_dsv_row_fn row, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len = getline(&line, &cap, in);
	if (len <= 0) {
		free(line);
		if (ferror(in))
			rs_input_read_error(name);
		rs_die("%s: empty file", name);
	}
	*fmt = strstr(line, "::") ? SIDE_DAT : !strncmp(line, "movieId,", 8) ? SIDE_CSV : SIDE_PIPE;
	if (*fmt != SIDE_DAT) {
		/* libcsv from the first line on; the CSV header's row is skipped */
		rs_cleanup_push(free_line, &line);
		rs_dsv_read(in, name, *fmt == SIDE_CSV ? ',' : '|', line, row, ctx);
		rs_cleanup_pop();
		free(line);
		return;
	}
	/* '::' has no quoting and a title may hold one ':', so no libcsv */
	unsigned long n = 0;
	rs_cleanup_push(free_line, &line);
	do {
		n++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		char *f[DAT_FIELDS];
		int k = 0;
		for (char *p = line;;) {
			char *sep = strstr(p, "::");
			if (k == DAT_FIELDS)
				rs_die("%s:%lu: more than %d '::'-separated fields", name, n, DAT_FIELDS);
			f[k++] = p;
			if (!sep)
				break;
			*sep = 0;
			p = sep + 2;
		}
		if (row(ctx, f, k, n))
			break;
	} while ((len = getline(&line, &cap, in)) > 0);
	if (ferror(in))
		rs_input_read_error(name);
	rs_cleanup_pop();
	free(line);
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
	side_fmt fmt;
	char occ[256][32];   /* occupation names in order of first sight */
} join;

static uint32_t lookup(join *j, char **f, unsigned long line)
{
	int64_t raw;
	if (rs_field_int(f[0], &raw) || raw < 0)
		rs_die("%s:%lu: id '%s' is not a non-negative integer", j->name, line, f[0]);
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
	if (j->fmt == SIDE_CSV && line == 1)
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
	side_rows(in, name, &j->fmt, row, j);
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

static void close_file(void *f)
{
	fclose(f);
}

typedef struct titles {
	const char *name;
	rs_idmap ids;
	char **title;
	uint32_t n;
	side_fmt fmt;
} titles;

/* Whether s is valid UTF-8 (ML-25M's titles are; ML-100K's are Latin-1). */
static int is_utf8(const unsigned char *s)
{
	while (*s) {
		int k = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 : (*s & 0xf8) == 0xf0 ? 3 : -1;
		if (k < 0)
			return 0;
		for (s++; k > 0; k--, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static int title_row(void *p, char **f, int n, unsigned long line)
{
	titles *t = p;
	if (t->fmt == SIDE_CSV && line == 1)
		return 0;   /* the header */
	if (t->fmt != SIDE_PIPE && n != 3)   /* users.dat, given by mistake, has 5 */
		rs_die("%s:%lu: expected %s's 3 fields (id, title, genres), found %d", t->name, line,
		       t->fmt == SIDE_DAT ? "movies.dat" : "movies.csv", n);
	if (t->fmt == SIDE_PIPE && n != 5 + RS_NGENRES)   /* u.item's; u.user has 5 */
		rs_die("%s:%lu: expected u.item's %d '|'-separated fields (id|title|date|...), found %d",
		       t->name, line, 5 + RS_NGENRES, n);
	int64_t raw;
	uint32_t d = rs_field_int(f[0], &raw) ? UINT32_MAX : rs_idmap_find(&t->ids, raw);
	if (d == UINT32_MAX || t->title[d])
		return 0;   /* an item not in the stream, or a second row for one */
	const unsigned char *s = (const unsigned char *)f[1];
	if (is_utf8(s)) {
		t->title[d] = rs_strdup(f[1]);
		return 0;
	}
	char *o = t->title[d] = rs_malloc(2 * strlen(f[1]) + 1);
	for (; *s; s++) {
		if (*s < 0x80) {
			*o++ = (char)*s;
		} else {   /* Latin-1 byte c is U+00c: two UTF-8 bytes */
			*o++ = (char)(0xc0 | *s >> 6);
			*o++ = (char)(0x80 | (*s & 0x3f));
		}
	}
	*o = 0;
	return 0;
}

void rs_titles_free(char **title, uint32_t n)
{
	for (uint32_t i = 0; title && i < n; i++)
		free(title[i]);
	free(title);
}

static void release_titles(void *p)
{
	titles *t = p;
	rs_titles_free(t->title, t->n);
	rs_idmap_free(&t->ids);
}

char **rs_side_read_titles(const rs_header *h, FILE *in, const char *name)
{
	titles t = {name, {0}, rs_calloc(h->nitems, sizeof(char *)), h->nitems, SIDE_PIPE};
	rs_idmap_from(&t.ids, h->item_ids, h->nitems);
	rs_cleanup_push(release_titles, &t);
	side_rows(in, name, &t.fmt, title_row, &t);
	rs_cleanup_pop();
	rs_idmap_free(&t.ids);
	return t.title;
}

char **rs_side_titles(const rs_header *h, const char *path)
{
	FILE *f = rs_input_open(path);
	rs_cleanup_push(close_file, f);
	char **title = rs_side_read_titles(h, f, path);
	rs_cleanup_pop();
	fclose(f);
	return title;
}

void rs_onehot_init(rs_onehot *oh, const int *kinds, int n, const rs_side *side, int window)
{
	memset(oh, 0, sizeof *oh);
	oh->side = side;
	oh->window = window;
	uint32_t off = 0;
	for (int i = 0; i < n; i++) {
		uint32_t size = 0;
		switch (kinds[i]) {
		case RS_F_USER: size = side->nusers; break;
		case RS_F_ITEM: size = side->nitems; break;
		case RS_F_AGE: size = NAGES; break;
		case RS_F_GENDER: size = 2; break;
		case RS_F_OCCUPATION: size = (uint32_t)side->noccupations; break;
		case RS_F_ZIP: size = 11; break;
		case RS_F_YEAR: size = NYEARS; break;
		case RS_F_GENRE: size = RS_NGENRES; oh->multi = 1; break;
		case RS_F_HISTORY: size = side->nitems; oh->multi = 1; break;
		case RS_F_IMPLICIT: size = side->nitems; oh->multi = 1; break;
		case RS_F_RATERS: size = side->nusers; oh->multi = 1; break;
		}
		oh->kind[i] = kinds[i];
		oh->offset[i] = off;
		oh->size[i] = size;
		off += size;
	}
	oh->nfields = n;
}

/* The history field: its items sorted, a repeated item's weights summed. */
static int history_features(uint32_t off, const uint32_t *hist, int nhist, uint32_t *x,
			    float *xv)
{
	uint32_t sorted[RS_MAX_WINDOW];
	for (int i = 0; i < nhist; i++) {   /* insertion: a window is short */
		int j = i;
		for (; j > 0 && sorted[j - 1] > hist[i]; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = hist[i];
	}
	float w = 1.0f / (float)nhist;
	int k = 0;
	for (int i = 0; i < nhist; i++) {
		if (k && x[k - 1] == off + sorted[i]) {
			xv[k - 1] += w;
			continue;
		}
		x[k] = off + sorted[i];
		xv[k++] = w;
	}
	return k;
}

int rs_onehot_features(const rs_onehot *oh, uint32_t u, uint32_t it, const uint32_t *hist,
		       int nhist, uint32_t *x, float *xv)
{
	const rs_side *s = oh->side;
	int k = 0;
	for (int f = 0; f < oh->nfields; f++) {
		uint32_t off = oh->offset[f], v = 0;
		switch (oh->kind[f]) {
		case RS_F_USER: v = u; break;
		case RS_F_ITEM: v = it; break;
		case RS_F_AGE: v = s->age[u]; break;
		case RS_F_GENDER: v = s->gender[u]; break;
		case RS_F_OCCUPATION: v = s->occupation[u]; break;
		case RS_F_ZIP: v = s->zip[u]; break;
		case RS_F_YEAR: v = s->year[it]; break;
		case RS_F_GENRE: {
			/* multi-hot, each genre weighted 1/count so the field sums to 1 */
			uint32_t g = s->genres[it];
			float w = 1.0f / (float)__builtin_popcount(g ? g : 1);
			for (int i = 0; i < RS_NGENRES; i++)
				if (g >> i & 1) {
					x[k] = off + (uint32_t)i;
					xv[k++] = w;
				}
			continue;
		}
		case RS_F_HISTORY:
			k += history_features(off, hist, nhist, x + k, xv + k);
			continue;
		case RS_F_IMPLICIT:
		case RS_F_RATERS:
			continue;
		}
		x[k] = off + v;
		xv[k++] = 1.0f;
	}
	return k;
}

void rs_side_read(rs_side *s, const rs_header *h, const char *path, int users)
{
	FILE *f = rs_input_open(path);
	rs_cleanup_push(close_file, f);
	if (users)
		rs_side_read_users(s, h, f, path);
	else
		rs_side_read_items(s, h, f, path);
	rs_cleanup_pop();
	fclose(f);
}

int rs_onehot_side_needed(const rs_header *h)
{
	int need = 0;
	for (int f = 0; f < h->nfields; f++) {
		int kind = rs_field_kind(h->fields[f].name);
		need |= (rs_field_from_users(kind) ? RS_NEED_USERS : 0) |
			(rs_field_from_items(kind) ? RS_NEED_ITEMS : 0);
	}
	return need;
}

/* The kinds of a header's fields and its history window; dies on a field
 * ml-onehot does not make. */
static int kinds_of(const rs_header *h, int *kinds)
{
	int window = 0;
	if (h->nfields > RS_F_COUNT)
		rs_die("the model has %d fields, more than ml-onehot makes", h->nfields);
	for (int f = 0; f < h->nfields; f++) {
		if ((kinds[f] = rs_field_kind(h->fields[f].name)) < 0)
			rs_die("the model's field '%s' is not one ml-onehot makes", h->fields[f].name);
		if (kinds[f] == RS_F_HISTORY && !(window = (int)h->fields[f].window))
			rs_die("the field 'history' has no window");
		if (rs_field_is_feedback(kinds[f]))   /* only a stream's train records have them */
			rs_die("the model's field '%s' is built by ml-onehot from a stream's train "
			       "records; score such a model with rs-eval (metrics, --threshold, --predict), "
			       "not by ranking or from pairs", h->fields[f].name);
	}
	return window;
}

static void check_sizes(const rs_onehot *oh, const rs_header *h, const char *from)
{
	for (int f = 0; f < h->nfields; f++)
		if (oh->size[f] != h->fields[f].size)
			rs_die("field '%s' has %u features from %s, %u in the model",
			       h->fields[f].name, oh->size[f], from, h->fields[f].size);
}

void rs_onehot_for_header(rs_onehot *oh, rs_side *side, const rs_header *h,
			  const char *users_path, const char *items_path)
{
	int kinds[RS_F_COUNT], window = kinds_of(h, kinds), need = rs_onehot_side_needed(h);
	int need_users = need & RS_NEED_USERS, need_items = need & RS_NEED_ITEMS;
	rs_side_init(side, h);
	if ((need_users && !users_path) || (need_items && !items_path))
		rs_die("the model uses %s side features and no %s file was given",
		       need_users && !users_path ? "user" : "item", need_users && !users_path ? "user" : "item");
	if (need_users)
		rs_side_read(side, h, users_path, 1);
	if (need_items)
		rs_side_read(side, h, items_path, 0);
	rs_onehot_init(oh, kinds, h->nfields, side, window);
	check_sizes(oh, h, "the side file");
}

void rs_onehot_from_data(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d)
{
	int kinds[RS_F_COUNT], window = kinds_of(h, kinds);
	rs_side_init(side, h);
	side->age = rs_calloc(h->nusers + 1, 1);
	side->gender = rs_calloc(h->nusers + 1, 1);
	side->occupation = rs_calloc(h->nusers + 1, 1);
	side->zip = rs_calloc(h->nusers + 1, 1);
	side->year = rs_calloc(h->nitems + 1, 1);
	side->genres = rs_calloc(h->nitems + 1, sizeof *side->genres);
	for (int f = 0; f < h->nfields; f++)
		if (kinds[f] == RS_F_OCCUPATION && (side->noccupations = (int)h->fields[f].size) > 256)
			rs_die("field 'occupation' has %d features, more than u.user can give",
			       side->noccupations);
	/* the sizes first: every value below is then in its table's range */
	rs_onehot_init(oh, kinds, h->nfields, side, window);
	check_sizes(oh, h, "the stream");
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r], it = d->item[r];
		int f = 0;
		for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++) {
			while (d->x[j] >= h->fields[f].offset + h->fields[f].size)
				f++;   /* x is sorted and the fields tile it */
			uint32_t v = d->x[j] - h->fields[f].offset;
			switch (kinds[f]) {
			case RS_F_AGE: side->age[u] = (uint8_t)v; break;
			case RS_F_GENDER: side->gender[u] = (uint8_t)v; break;
			case RS_F_OCCUPATION: side->occupation[u] = (uint8_t)v; break;
			case RS_F_ZIP: side->zip[u] = (uint8_t)v; break;
			case RS_F_YEAR: side->year[it] = (uint8_t)v; break;
			case RS_F_GENRE: side->genres[it] |= 1u << v; break;
			}
		}
	}
}
