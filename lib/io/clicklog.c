/* clicklog.c: delimited click logs with a header of any columns
 * (clicklog.h), parsed with libcsv (dsv.h), then typed and written. */
#include "clicklog.h"
#include "cli.h"
#include "dsv.h"
#include "header.h"
#include "input.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int rs_clicklog_is_label(const char *name)
{
	static const char *const names[] = {"click", "clicks", "clicked", "label", "y", "target",
					    "is_click"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(name, names[i]))
			return 1;
	return rs_column_role(name) == RS_ROLE_RATING;
}

void rs_clicklog_init(rs_clicklog *c)
{
	memset(c, 0, sizeof *c);
	rs_ratings_init(&c->r);
}

void rs_clicklog_free(rs_clicklog *c)
{
	for (int j = 0; j < c->ncols; j++) {
		rs_clickcol *k = &c->cols[j];
		free(k->name);
		free(k->val);
		rs_idmap_free(&k->ids);
		rs_names_free(&k->text);
		free(k->line);
		free(k->poff);
		free(k->part);
		free(k->num);
	}
	for (int j = 0; c->attrs && j < c->ncols; j++)
		rs_attr_free(&c->attrs[j]);
	free(c->attrs);
	free(c->cols);
	for (int i = 0; c->field_names && i < c->nfields; i++)
		free(c->field_names[i]);
	free(c->field_names);
	free(c->field_col);
	free(c->parse);
	rs_ratings_free(&c->r);
	memset(c, 0, sizeof *c);
}

typedef struct parse {
	rs_clicklog *c;
	const rs_clicklog_opts *o;
	int nfields;             /* the header's */
	int role[RS_NROLES];     /* the field of user, item, label (rating), ts; -1 */
	int *col;                /* (nfields) the feature column of each field, -1 */
	char **names;            /* (nfields) the header's names */
	size_t cap;
} parse;

/* A comma-separated list of column names, each a field of the header. */
static void force(parse *p, char **f, int n, const char *list, int how, const char *opt)
{
	if (!list)
		return;
	char *copy = rs_strdup(list), *save = NULL;
	rs_cleanup_push(free, copy);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int at = -1;
		for (int i = 0; i < n; i++)
			if (!strcmp(f[i], tok))
				at = i;
		if (at < 0 || p->col[at] < 0)
			rs_die("%s:1: %s names '%s', which is not a feature column of the header", p->c->name,
			       opt, tok);
		rs_clickcol *k = &p->c->cols[p->col[at]];
		if (k->forced && k->forced != how)
			rs_die("%s:1: column '%s' is named by both --categorical and --numeric", p->c->name, tok);
		k->forced = how;
	}
	rs_cleanup_pop();
	free(copy);
}

/* Line 1: the columns' names, each once; the label, user, item and ts by
 * name, every other field a feature column. */
static void header(parse *p, char **f, int n)
{
	rs_clicklog *c = p->c;
	const char *label = p->o->label;
	for (int r = 0; r < RS_NROLES; r++)
		p->role[r] = -1;
	p->nfields = n;
	/* the clicklog's, so that a caught error frees them with it */
	c->nfields = n;
	p->col = c->field_col = rs_malloc((size_t)n * sizeof *p->col);
	p->names = c->field_names = rs_calloc((size_t)n, sizeof *p->names);
	for (int i = 0; i < n; i++)
		p->names[i] = rs_strdup(f[i]);
	c->cols = rs_calloc((size_t)n, sizeof *c->cols);
	int label_found = label && !strcmp(label, "none");
	for (int i = 0; i < n; i++) {
		if (!f[i][0])
			rs_die("%s:1: column %d has no name", c->name, i + 1);
		if (strlen(f[i]) > RS_MAX_ID_LEN - 2)
			rs_die("%s:1: column %d's name is longer than %d bytes", c->name, i + 1, RS_MAX_ID_LEN - 2);
		for (int j = 0; j < i; j++)
			if (!strcmp(f[i], f[j]))
				rs_die("%s:1: column '%s' is named twice (columns %d and %d)", c->name, f[i], j + 1,
				       i + 1);
		p->col[i] = -1;
		int role = rs_column_role(f[i]);
		int is_label = label ? !strcmp(f[i], label) : rs_clicklog_is_label(f[i]);
		if (is_label && p->role[RS_ROLE_RATING] < 0 && !label_found) {
			p->role[RS_ROLE_RATING] = i;
			continue;
		}
		if (role >= 0 && role != RS_ROLE_RATING && p->role[role] < 0) {
			p->role[role] = i;
			continue;
		}
		rs_clickcol *k = &c->cols[c->ncols];
		k->name = rs_strdup(f[i]);
		rs_idmap_init(&k->ids);
		p->col[i] = c->ncols++;
	}
	if (label && strcmp(label, "none") && p->role[RS_ROLE_RATING] < 0)
		rs_die("%s:1: --label names '%s', which is not a column of the header", c->name, label);
	if (!c->ncols && p->role[RS_ROLE_USER] < 0 && p->role[RS_ROLE_ITEM] < 0)
		rs_die("%s:1: the header names no user, item or feature column", c->name);
	if (c->ncols + 2 > RS_MAX_FIELDS)
		rs_die("%s:1: %d feature columns, more than %d", c->name, c->ncols, RS_MAX_FIELDS - 2);
	force(p, f, n, p->o->categorical, 1, "--categorical");
	force(p, f, n, p->o->numeric, 2, "--numeric");
	c->has_user = p->role[RS_ROLE_USER] >= 0;
	c->has_item = p->role[RS_ROLE_ITEM] >= 0;
	c->label = p->role[RS_ROLE_RATING] >= 0 ? RS_LABEL_RATING : RS_LABEL_NONE;
}

static void grow(parse *p)
{
	rs_ratings *r = &p->c->r;
	rs_ratings_grow(r);
	for (int j = 0; j < p->c->ncols; j++)
		p->c->cols[j].val = rs_reallocarray(p->c->cols[j].val, r->cap, sizeof *p->c->cols[j].val);
}

/* A whole value's id + 1 in its column's dictionary (0: empty). */
static uint32_t value(rs_clicklog *c, rs_clickcol *k, const char *s, unsigned long line)
{
	size_t len = strlen(s);
	if (!len)
		return 0;
	int64_t key = rs_name_key(s, len);
	uint32_t before = k->text.n;
	uint32_t d = rs_idmap_add_checked(&k->ids, key, rs_name_check(s, len));
	if (d == RS_IDMAP_CLASH)
		rs_die("%s:%lu: column '%s': values '%s' and '%s' have one 64-bit key; rename one", c->name,
		       line, k->name, rs_names_at(&k->text, rs_idmap_find(&k->ids, key)), s);
	if (d == before) {
		rs_names_add(&k->text, s, len);
		if (!(before & (before + 1)) || !k->line)   /* at 0, 1, 3, 7, ...: double */
			k->line = rs_reallocarray(k->line, 2 * (size_t)before + 2, sizeof *k->line);
		k->line[d] = line;
	}
	return d + 1;
}

static int on_row(void *ctx, char **f, int n, unsigned long line)
{
	parse *p = ctx;
	rs_clicklog *c = p->c;
	if (!p->col) {
		header(p, f, n);
		return 0;
	}
	if (n != p->nfields)
		rs_die("%s:%lu: expected %d fields (the header's), found %d", c->name, line, p->nfields, n);
	rs_ratings *r = &c->r;
	if (r->n == r->cap)
		grow(p);
	size_t i = r->n;
	int cl = p->role[RS_ROLE_RATING], ct = p->role[RS_ROLE_TS];
	double y = 1;
	if (cl >= 0 && (rs_field_num(f[cl], &y) || !isfinite((float)y)))
		rs_die("%s:%lu: column %d (%s): '%s' is not a label (0/1, -1/1 or a rating)", c->name, line,
		       cl + 1, p->names[cl], f[cl]);
	int64_t ts = (int64_t)i;
	if (ct >= 0 && rs_field_int(f[ct], &ts))
		rs_die("%s:%lu: column %d (%s): '%s' is not an integer timestamp", c->name, line, ct + 1,
		       p->names[ct], f[ct]);
	r->user[i] = c->has_user ? rs_ratings_add_id(r, RS_ROLE_USER, f[p->role[RS_ROLE_USER]], c->name, line) : 0;
	r->item[i] = c->has_item ? rs_ratings_add_id(r, RS_ROLE_ITEM, f[p->role[RS_ROLE_ITEM]], c->name, line) : 0;
	r->rating[i] = (float)y;
	r->ts[i] = ts;
	r->split[i] = RS_SPLIT_TRAIN;
	for (int j = 0; j < n; j++)
		if (p->col[j] >= 0)
			c->cols[p->col[j]].val[i] = value(c, &c->cols[p->col[j]], f[j], line);
	r->n++;
	return 0;
}

unsigned char rs_clicklog_sep(const char *line)
{
	return strchr(line, '\t') ? '\t' : strchr(line, ',') ? ',' : strchr(line, ' ') ? ' ' : '\t';
}

/* The parts of a categorical column's whole values ('a|b': a and b, each
 * once, empty parts dropped), as ids of its attribute's values in order of
 * first appearance. */
static void categorical(rs_clickcol *k, rs_attr *a)
{
	rs_idmap parts;
	rs_idmap_init(&parts);
	a->values.off = rs_malloc(sizeof *a->values.off);   /* on, even when empty */
	a->values.ncap = 1;
	k->poff = rs_malloc(((size_t)k->text.n + 1) * sizeof *k->poff);
	size_t cap = (size_t)k->text.n + 16, np = 0;
	k->part = rs_malloc(cap * sizeof *k->part);
	k->poff[0] = 0;
	for (uint32_t w = 0; w < k->text.n; w++) {
		const char *s = rs_names_at(&k->text, w);
		size_t first = np;
		for (;;) {
			size_t len = strcspn(s, "|");
			if (len) {
				int64_t key = rs_name_key(s, len);
				uint32_t before = a->values.n;
				uint32_t d = rs_idmap_add_checked(&parts, key, rs_name_check(s, len));
				if (d == RS_IDMAP_CLASH)
					rs_die("column '%s': two values have one 64-bit key; rename one", k->name);
				if (d == before)
					rs_names_add(&a->values, s, len);
				int seen = 0;
				for (size_t q = first; q < np; q++)
					seen |= k->part[q] == d;
				if (!seen) {
					if (np == cap)
						k->part = rs_reallocarray(k->part, cap *= 2, sizeof *k->part);
					k->part[np++] = d;
				}
			}
			if (!s[len])
				break;
			s += len + 1;
		}
		k->poff[w + 1] = np;
	}
	rs_idmap_free(&parts);
}

/* Each column typed: numeric when named so, or when every value is a
 * number and --categorical does not name it; a non-number in a column
 * named numeric dies naming its first line. */
static void type_columns(rs_clicklog *c, const parse *p)
{
	c->attrs = rs_calloc((size_t)c->ncols + 1, sizeof *c->attrs);
	for (int j = 0; j < c->ncols; j++) {
		rs_clickcol *k = &c->cols[j];
		rs_attr *a = &c->attrs[j];
		size_t len = strlen(RS_ATTR_PREFIX) + strlen(k->name) + 1;
		a->column = rs_malloc(len);
		snprintf(a->column, len, "%s%s", RS_ATTR_PREFIX, k->name);
		k->num = rs_malloc(((size_t)k->text.n + 1) * sizeof *k->num);
		int numeric = k->forced != 1;
		for (uint32_t w = 0; w < k->text.n && numeric; w++)
			if (rs_field_num(rs_names_at(&k->text, w), &k->num[w]) || !isfinite((float)k->num[w])) {
				if (k->forced == 2) {
					int field = 0;
					while (p->col[field] != j)
						field++;
					rs_die("%s:%lu: column %d (%s): '%s' is not a number (--numeric %s)", c->name,
					       k->line[w], field + 1, k->name, rs_names_at(&k->text, w), k->name);
				}
				numeric = 0;
			}
		k->type = a->type = numeric ? RS_ATTR_NUMERIC : RS_ATTR_CATEGORICAL;
		if (!numeric)
			categorical(k, a);
	}
}

/* The label's kind: 0/1 or -1/1 is a click (-1 read as 0), any other
 * numbers a rating. */
static void type_label(rs_clicklog *c)
{
	rs_ratings *r = &c->r;
	if (c->label == RS_LABEL_NONE)
		return;
	int zero_one = 1, sign = 1;
	for (size_t i = 0; i < r->n; i++) {
		float y = r->rating[i];
		zero_one &= y == 0 || y == 1;
		sign &= y == -1 || y == 1;
	}
	if (!zero_one && !sign)
		return;
	c->label = RS_LABEL_CLICK;
	for (size_t i = 0; i < r->n; i++)
		r->rating[i] = r->rating[i] > 0;
}

/* The rows fed one at a time (rs_clicklog_row), the parse held in c. */
static void drop_parse(void *arg)
{
	rs_clicklog *c = arg;
	free(c->parse);
	c->parse = NULL;
}

void rs_clicklog_begin(rs_clicklog *c, const char *name, const rs_clicklog_opts *o)
{
	c->name = name;
	parse *p = c->parse = rs_calloc(1, sizeof *p);
	p->c = c, p->o = o;
}

void rs_clicklog_row(rs_clicklog *c, char **f, int n, unsigned long line)
{
	on_row(c->parse, f, n, line);
}

void rs_clicklog_end(rs_clicklog *c)
{
	parse *p = c->parse;
	const char *name = c->name;
	if (!p->col)
		rs_die("%s: empty input (no header)", name);
	if (!c->r.n)
		rs_die("%s: no records after the header", name);
	type_columns(c, p);
	type_label(c);
	for (int i = 0; i < p->nfields; i++)
		free(p->names[i]);
	free(p->names);
	free(p->col);
	c->field_names = NULL, c->field_col = NULL, c->nfields = 0;
	c->r.implicit = c->label == RS_LABEL_NONE;
	c->r.has_ts = p->role[RS_ROLE_TS] >= 0;
	drop_parse(c);
	/* a log without a user (item) column: one user (item), id 0 */
	if (!c->has_user)
		rs_idmap_add(&c->r.users, 0);
	if (!c->has_item)
		rs_idmap_add(&c->r.items, 0);
}

void rs_clicklog_read(rs_clicklog *c, FILE *in, const char *name, const rs_clicklog_opts *o)
{
	char *first = NULL;
	size_t cap = 0;
	if (getline(&first, &cap, in) < 0) {
		free(first);
		if (ferror(in))
			rs_input_read_error(name);
		rs_die("%s: empty input (no header)", name);
	}
	unsigned char sep = o->sep ? o->sep : rs_clicklog_sep(first);
	rs_clicklog_begin(c, name, o);
	rs_cleanup_push(free, first);
	rs_dsv_read(in, name, sep, first, &c->r.skipped, on_row, c->parse);
	rs_cleanup_pop();
	free(first);
	rs_clicklog_end(c);
}

void rs_clicklog_describe(const rs_clicklog *c, char *buf, size_t len)
{
	static const char *const labels[] = {"no label", "a click label", "a rating label"};
	size_t at = (size_t)snprintf(buf, len, "%s: %s", c->name, labels[c->label]);
	for (int t = 0; t < 2; t++) {
		int n = 0;
		for (int j = 0; j < c->ncols && at < len; j++)
			if (c->cols[j].type == t)
				at += (size_t)snprintf(buf + at, len - at, "%s%s", n++ ? "," : t ? "; numeric " : "; categorical ",
						       c->cols[j].name);
	}
	if (at < len)
		snprintf(buf + at, len - at, " (--categorical and --numeric COL override)");
}

void rs_clicklog_write(const rs_clicklog *c, rs_out *out, const char *command)
{
	const rs_ratings *r = &c->r;
	rs_header h = {0};
	rs_header_add_column(&h, RS_COL_SPLIT);
	rs_header_add_column(&h, RS_COL_USER);
	rs_header_add_column(&h, RS_COL_ITEM);
	if (c->label)
		rs_header_add_column(&h, c->label == RS_LABEL_CLICK ? RS_COL_CLICK : RS_COL_RATING);
	rs_header_add_column(&h, RS_COL_TS);
	for (int j = 0; j < c->ncols; j++)
		rs_header_add_column(&h, c->attrs[j].column);
	rs_header_set_target(&h, c->label == RS_LABEL_CLICK ? RS_TARGET_CLICK
			      : c->label ? RS_TARGET_RATING : RS_TARGET_IMPLICIT);
	h.nusers = r->users.n;
	h.user_ids = r->users.ids;
	h.user_names = r->user_names;
	h.nitems = r->items.n;
	h.item_ids = r->items.ids;
	h.item_names = r->item_names;
	h.attrs = c->attrs;
	h.nattrs = c->ncols;
	rs_header_add_history(&h, command);
	rs_header_pack(&out->pk, &h);
	h.user_ids = h.item_ids = NULL;   /* owned by the log */
	memset(&h.user_names, 0, sizeof h.user_names);
	memset(&h.item_names, 0, sizeof h.item_names);
	h.attrs = NULL;
	h.nattrs = 0;
	rs_header_free(&h);
	for (size_t i = 0; i < r->n; i++) {
		msgpack_pack_array(&out->pk, (size_t)(4 + (c->label > 0) + c->ncols));
		msgpack_pack_uint8(&out->pk, r->split[i]);
		msgpack_pack_uint32(&out->pk, r->user[i]);
		msgpack_pack_uint32(&out->pk, r->item[i]);
		if (c->label == RS_LABEL_CLICK)
			msgpack_pack_uint8(&out->pk, (uint8_t)r->rating[i]);
		else if (c->label)
			msgpack_pack_float(&out->pk, r->rating[i]);
		msgpack_pack_int64(&out->pk, r->ts[i]);
		for (int j = 0; j < c->ncols; j++) {
			const rs_clickcol *k = &c->cols[j];
			uint32_t v = k->val[i];
			if (k->type == RS_ATTR_NUMERIC) {
				if (v)
					msgpack_pack_float(&out->pk, (float)k->num[v - 1]);
				else
					msgpack_pack_nil(&out->pk);
				continue;
			}
			size_t a = v ? k->poff[v - 1] : 0, b = v ? k->poff[v] : 0;
			msgpack_pack_array(&out->pk, b - a);
			for (size_t q = a; q < b; q++)
				msgpack_pack_uint32(&out->pk, k->part[q]);
		}
	}
}
