/* ratings.c: event logs and ratings text (ratings.h), parsed with libcsv. */
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
	rs_layout_init(&r->layout);
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
	rs_names_free(&r->user_names);
	rs_names_free(&r->item_names);
	memset(r, 0, sizeof *r);
}

int rs_format_parse(const char *s)
{
	static const char *names[] = {"auto", "tab", "dat", "csv", "seq"};
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

void rs_ratings_grow(rs_ratings *r)
{
	r->cap = r->cap ? r->cap + r->cap / 2 : 1 << 16;
	r->user = rs_reallocarray(r->user, r->cap, sizeof *r->user);
	r->item = rs_reallocarray(r->item, r->cap, sizeof *r->item);
	r->rating = rs_reallocarray(r->rating, r->cap, sizeof *r->rating);
	r->ts = rs_reallocarray(r->ts, r->cap, sizeof *r->ts);
	r->split = rs_reallocarray(r->split, r->cap, sizeof *r->split);
}

static const char *const role_names[RS_NROLES] = {"user", "item", "rating", "ts"};
/* how messages name each role's field */
static const char *const role_words[RS_NROLES] = {"user", "item", "rating", "timestamp"};

void rs_layout_init(rs_layout *l)
{
	memset(l, 0, sizeof *l);
	for (int c = 0; c < RS_NROLES; c++)
		l->col[c] = -1;
}

int rs_layout_columns(rs_layout *l, const char *spec, char *err, size_t errlen)
{
	for (int c = 0; c < RS_NROLES; c++)
		l->col[c] = -1;
	l->nfields = 0;
	for (const char *p = spec;; p++) {
		size_t len = strcspn(p, ",");
		int role = -1;
		for (int c = 0; c < RS_NROLES; c++)
			if (strlen(role_names[c]) == len && !strncmp(p, role_names[c], len))
				role = c;
		if (role < 0 && !(len == 1 && *p == '-')) {
			snprintf(err, errlen, "'%.*s' is not a column (user, item, rating, ts, or - to skip one)",
				 (int)len, p);
			return -1;
		}
		if (role >= 0 && l->col[role] >= 0) {
			snprintf(err, errlen, "'%s' is named twice", role_names[role]);
			return -1;
		}
		if (role >= 0)
			l->col[role] = l->nfields;
		l->nfields++;
		p += len;
		if (!*p)
			break;
	}
	if (l->col[RS_ROLE_USER] < 0 || l->col[RS_ROLE_ITEM] < 0) {
		snprintf(err, errlen, "the columns need user and item");
		return -1;
	}
	return 0;
}

int rs_layout_sep(rs_layout *l, const char *sep, char *err, size_t errlen)
{
	static const struct { const char *name; unsigned char c; } named[] = {
		{"tab", '\t'}, {"comma", ','}, {"space", ' '}, {"::", ':'}, {"semicolon", ';'}, {"pipe", '|'},
	};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (!strcmp(sep, named[i].name))
			return l->sep = named[i].c, 0;
	if (strlen(sep) == 1 && sep[0] != '"' && sep[0] != '\n' && sep[0] != '\r')
		return l->sep = (unsigned char)sep[0], 0;
	snprintf(err, errlen, "'%s' is not a separator (tab, comma, space, '::', or one character)", sep);
	return -1;
}

void rs_format_layout(rs_format fmt, rs_layout *l)
{
	rs_layout_init(l);
	if (fmt == RS_FORMAT_SEQ)   /* the separator read off line 1 */
		l->seq = 1, l->col[RS_ROLE_USER] = 0, l->col[RS_ROLE_ITEM] = 1;
	if (fmt == RS_FORMAT_AUTO || fmt == RS_FORMAT_SEQ)
		return;
	for (int c = 0; c < RS_NROLES; c++)
		l->col[c] = c;
	l->nfields = RS_NROLES;
	static const unsigned char seps[] = {0, '\t', ':', ','};
	l->sep = seps[fmt];
	l->header = 0;   /* ratings.csv's names are recognised */
}

int rs_column_role(const char *s)
{
	static const char *const alias[RS_NROLES][10] = {
		{"user", "userid", "user_id", "uid", "users", "visitorid", "customerid", "customer_id", "customer"},
		{"item", "itemid", "item_id", "iid", "items", "movieid", "movie_id", "productid", "product_id", "product"},
		{"rating", "ratings", "score", "value"},
		{"ts", "timestamp", "time", "datetime", "date"},
	};
	for (int c = 0; c < RS_NROLES; c++)
		for (int a = 0; a < 10 && alias[c][a]; a++)
			if (!strcasecmp(s, alias[c][a]))
				return c;
	return -1;
}

typedef struct parse {
	rs_ratings *r;
	const char *name;
	rs_layout *l;
	uint8_t split;
	int started;         /* the first line of data was seen */
	char **held;         /* (nheld) that line's fields, when they may be a header */
	int nheld;
	unsigned long held_line;
} parse;

/* The id of a role's field: a number while every id of its space is one,
 * else a name (the space then turns to names: names.h). */
static uint32_t add_id(const parse *p, int role, const char *s, unsigned long line)
{
	rs_ratings *r = p->r;
	rs_idmap *m = role == RS_ROLE_USER ? &r->users : &r->items;
	rs_names *nm = role == RS_ROLE_USER ? &r->user_names : &r->item_names;
	size_t len = rs_id_length(s, p->name, line, role_words[role]);
	int64_t v;
	if (!rs_names_on(nm)) {
		if (!rs_id_number(s, len, &v))
			return rs_idmap_add(m, v);
		/* the first name: the numbers so far become names too, in order */
		char buf[32];
		nm->off = rs_malloc(sizeof *nm->off);
		nm->ncap = 1;
		rs_idmap named;
		rs_idmap_init(&named);
		for (uint32_t d = 0; d < m->n; d++) {
			int k = snprintf(buf, sizeof buf, "%lld", (long long)m->ids[d]);
			rs_names_add(nm, buf, (size_t)k);
			rs_idmap_add_checked(&named, rs_name_key(buf, (size_t)k), rs_name_check(buf, (size_t)k));
		}
		rs_idmap_free(m);
		*m = named;
	}
	int64_t key = rs_name_key(s, len);
	uint32_t d = rs_idmap_add_checked(m, key, rs_name_check(s, len));
	if (d == RS_IDMAP_CLASH)
		rs_die("%s:%lu: %s ids '%s' and '%s' have one 64-bit key; rename one", p->name, line,
		       role_words[role], rs_names_at(nm, rs_idmap_find(m, key)), s);
	if (d == nm->n)
		rs_names_add(nm, s, len);
	return d;
}

/* A field of a line, by its place, in the layout's words. */
static void expected(const parse *p, int n, unsigned long line)
{
	char want[64] = "";
	for (int f = 0; f < p->l->nfields; f++) {
		const char *w = "-";
		for (int c = 0; c < RS_NROLES; c++)
			if (p->l->col[c] == f)
				w = role_words[c];
		snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", f ? ", " : "", w);
	}
	rs_die("%s:%lu: expected %d fields (%s), found %d", p->name, line, p->l->nfields, want, n);
}

/* The first line of data when the layout did not say everything: its
 * fields name the columns (a header, skipped), or their count does.
 * header: 1 when the line is known to be a header (its names and the
 * numbers under them). Returns 1 for a header. */
static int first_line(parse *p, char **f, int n, unsigned long line, int header)
{
	rs_layout *l = p->l;
	int named[RS_NROLES] = {-1, -1, -1, -1}, names = 0;
	for (int i = 0; i < n; i++) {
		int c = rs_column_role(f[i]);
		if (c >= 0 && named[c] < 0)
			named[c] = i, names++;
	}
	int is_header = !l->seq && (l->header == 1 || names == n || header);
	/* one line a user, read off its length: space-separated ids, as the
	 * Amazon files come (a tab-separated line of five fields is more
	 * likely a ratings file with a column too many) */
	int ids = l->sep == ' ';
	for (int i = 0; ids && i < n; i++)
		ids = f[i][0] && !strchr(f[i], ':');
	if (!is_header && !l->nfields && n > 4 && ids) {
		l->seq = 1, l->col[RS_ROLE_USER] = 0, l->col[RS_ROLE_ITEM] = 1;
		snprintf(p->r->read_off, sizeof p->r->read_off,
			 "%s: one line a user, their items in time order (read off line %lu's %d fields; "
			 "--format seq says so)", p->name, line, n);
	}
	if (l->seq)
		return 0;
	if (is_header && !l->nfields) {   /* the header lays the columns out */
		for (int i = 0; header && i < n; i++)
			if (rs_column_role(f[i]) < 0)
				rs_die("%s:%lu: header column '%s' is none of user, item, rating, ts (or their "
				       "usual names, as userId or timestamp); name the fields with --columns",
				       p->name, line, f[i]);
		if (named[RS_ROLE_USER] < 0 || named[RS_ROLE_ITEM] < 0)
			rs_die("%s:%lu: the header names no user and item column; use --columns", p->name, line);
		memcpy(l->col, named, sizeof named);
		l->nfields = n;
	} else if (!l->nfields) {          /* the count lays them out */
		int64_t v;
		for (int c = 0; c < RS_NROLES; c++)
			l->col[c] = -1;
		l->col[RS_ROLE_USER] = 0, l->col[RS_ROLE_ITEM] = 1;
		if (n == 4)
			l->col[RS_ROLE_RATING] = 2, l->col[RS_ROLE_TS] = 3;
		else if (n == 3 && ((!rs_field_int(f[2], &v) && v >= 100000000) ||
				    (rs_field_int(f[2], &v) && !rs_field_time(f[2], &v))))
			l->col[RS_ROLE_TS] = 2;   /* a unix time or a date, not a rating */
		else if (n == 3)
			l->col[RS_ROLE_RATING] = 2;
		else if (n != 2)
			rs_die("%s:%lu: expected 2 to 4 fields (user, item[, rating][, timestamp]), found %d; use --columns",
			       p->name, line, n);
		l->nfields = n;
		if (n != 4)   /* said once the input is read, not before an error */
			snprintf(p->r->read_off, sizeof p->r->read_off,
				 "%s: columns %s (read off line %lu's %d fields; --columns names them)", p->name,
				 n == 2 ? "user,item" : l->col[RS_ROLE_TS] >= 0 ? "user,item,ts" : "user,item,rating",
				 line, n);
	}
	if (is_header)
		p->r->skipped.header++;
	return is_header;
}

/* Every field a name (neither a number nor a time): a header, if the
 * next line's are not. */
static int all_names(char **f, int n)
{
	for (int i = 0; i < n; i++) {
		int64_t t;
		double x;
		if (!f[i][0] || !rs_field_num(f[i], &x) || !rs_field_time(f[i], &t))
			return 0;
	}
	return 1;
}

static int any_number(char **f, int n)
{
	for (int i = 0; i < n; i++) {
		int64_t t;
		double x;
		if (!rs_field_num(f[i], &x) || !rs_field_time(f[i], &t))
			return 1;
	}
	return 0;
}

static void data_row(parse *p, char **f, int n, unsigned long line)
{
	rs_layout *l = p->l;
	const char *name = p->name;
	rs_ratings *r = p->r;
	if (l->seq) {   /* user item item ...: an event an item, its place its time */
		if (n < 2)
			rs_die("%s:%lu: expected a user and their items, found %d field%s", name, line, n,
			       n == 1 ? "" : "s");
		for (int i = 1; i < n; i++) {
			if (r->n == r->cap)
				rs_ratings_grow(r);
			r->user[r->n] = add_id(p, RS_ROLE_USER, f[0], line);
			r->item[r->n] = add_id(p, RS_ROLE_ITEM, f[i], line);
			r->rating[r->n] = 1.0f;
			r->ts[r->n] = (int64_t)r->n;
			r->split[r->n] = p->split;
			r->n++;
		}
		return;
	}
	if (n != l->nfields)
		expected(p, n, line);
	double rating = 1;
	int64_t ts = (int64_t)r->n;
	int cr = l->col[RS_ROLE_RATING], ct = l->col[RS_ROLE_TS];
	if (cr >= 0 && rs_field_num(f[cr], &rating))
		rs_die("%s:%lu: rating '%s' is not a finite number", name, line, f[cr]);
	if (cr >= 0 && !isfinite((float)rating))   /* stored as float32 */
		rs_die("%s:%lu: rating '%s' is out of float range", name, line, f[cr]);
	if (ct >= 0 && rs_field_time(f[ct], &ts))
		rs_die("%s:%lu: timestamp '%s' is neither an integer nor an ISO-8601 date and time", name,
		       line, f[ct]);
	if (r->n == r->cap)
		rs_ratings_grow(r);
	r->user[r->n] = add_id(p, RS_ROLE_USER, f[l->col[RS_ROLE_USER]], line);
	r->item[r->n] = add_id(p, RS_ROLE_ITEM, f[l->col[RS_ROLE_ITEM]], line);
	r->rating[r->n] = (float)rating;
	r->ts[r->n] = ts;
	r->split[r->n] = p->split;
	r->n++;
}

static void free_held(parse *p)
{
	for (int i = 0; i < p->nheld; i++)
		free(p->held[i]);
	free(p->held);
	p->held = NULL;
	p->nheld = 0;
}

static void release_held(void *arg)
{
	free_held(arg);
}

/* The held first line, now that the next tells what it is. */
static void settle(parse *p, int header)
{
	char **f = p->held;
	int n = p->nheld;
	if (!first_line(p, f, n, p->held_line, header))
		data_row(p, f, n, p->held_line);
	free_held(p);
}

static int on_row(void *ctx, char **f, int n, unsigned long line)
{
	parse *p = ctx;
	rs_layout *l = p->l;
	if ((n = rs_dsv_fields(f, n, l->sep)) < 0)
		rs_die("%s:%lu: expected fields separated by '::'", p->name, line);
	if (p->held) {
		settle(p, any_number(f, n));
	} else if (!p->started) {
		p->started = 1;
		if (!l->seq && !l->header && all_names(f, n)) {
			/* names: a header, or string ids; the next line tells */
			p->held = rs_calloc((size_t)n + 1, sizeof *p->held);
			for (int i = 0; i < n; i++)
				p->held[i] = rs_strdup(f[i]);
			p->nheld = n;
			p->held_line = line;
			return 0;
		}
		if (first_line(p, f, n, line, 0))
			return 0;
	}
	data_row(p, f, n, line);
	return 0;
}

static void free_ptr(void *p)
{
	free(*(char **)p);
}

/* The separator of a line: '::', a tab, a comma, or else a space. */
static unsigned char sniff(const char *line)
{
	if (strstr(line, "::"))
		return ':';
	if (strchr(line, '\t'))
		return '\t';
	if (strchr(line, ','))
		return ',';
	if (strchr(line, ' '))
		return ' ';
	return 0;
}

void rs_ratings_read(rs_ratings *r, FILE *in, const char *name, const rs_layout *l, uint8_t split)
{
	char *first = NULL;
	size_t cap = 0;
	unsigned long at;
	rs_cleanup_push(free_ptr, &first);
	if (rs_dsv_head(in, name, &first, &cap, &at, &r->skipped) < 0)
		rs_die("%s: empty input (no ratings)", name);
	/* a second input (--test) is laid out as the first was */
	if (!r->layout_said)
		r->layout = l ? *l : r->layout;
	rs_layout *lay = &r->layout;
	if (!lay->sep && !(lay->sep = sniff(first)))
		rs_die("%s:%lu: cannot tell the separator (no tab, '::', comma or space); use --sep", name, at);
	parse p = {.r = r, .name = name, .l = lay, .split = split};
	size_t before = r->n;
	rs_cleanup_push(release_held, &p);
	rs_dsv_read_at(in, name, lay->sep, first, at, &r->skipped, on_row, &p);
	if (p.held)   /* one line of names and no other: data */
		settle(&p, 0);
	rs_cleanup_pop();
	rs_cleanup_pop();
	free(first);
	if (r->n == before)
		rs_die("%s: no ratings in the input", name);
	r->layout_said = 1;
	r->implicit = lay->col[RS_ROLE_RATING] < 0;
	r->has_ts = lay->col[RS_ROLE_TS] >= 0;
}

uint32_t rs_ratings_add_id(rs_ratings *r, int role, const char *s, const char *name, unsigned long line)
{
	parse p = {.r = r, .name = name};
	return add_id(&p, role, s, line);
}
