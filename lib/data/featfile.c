/* featfile.c: generic feature files, read and read back (featfile.h). */
#include "featfile.h"
#include "cli.h"
#include "dsv.h"
#include "fields.h"
#include "idmap.h"
#include "input.h"
#include "mem.h"
#include "ratings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The file's rows as read: every cell's text, kept until the columns are
 * known to be numeric or not. */
typedef struct table {
	const char *name;
	int ncol;
	char **head;             /* (ncol) the column names */
	char **cell;             /* (nrow, ncol) */
	unsigned long *line;     /* (nrow) */
	size_t nrow, cap;
} table;

static void free_table(void *p)
{
	table *t = p;
	for (size_t i = 0; i < t->nrow * (size_t)t->ncol; i++)
		free(t->cell[i]);
	for (int c = 0; c < t->ncol; c++)
		free(t->head[c]);
	free(t->head);
	free(t->cell);
	free(t->line);
}

static int on_row(void *ctx, char **f, int n, unsigned long line)
{
	table *t = ctx;
	if (!t->head) {
		if (n < 2)
			rs_die("%s:%lu: a header of the id and at least one feature column, found %d column%s",
			       t->name, line, n, n == 1 ? "" : "s");
		if (strcasecmp(f[0], "id") && rs_column_role(f[0]) != RS_ROLE_USER &&
		    rs_column_role(f[0]) != RS_ROLE_ITEM)
			rs_die("%s:%lu: the first column is '%s', not the id (id, user, item, userId, movieId, ...)",
			       t->name, line, f[0]);
		t->head = rs_calloc((size_t)n, sizeof *t->head);
		t->ncol = n;
		for (int c = 0; c < n; c++) {
			if (!f[c][0])
				rs_die("%s:%lu: column %d has no name", t->name, line, c + 1);
			for (int e = 0; e < c; e++)
				if (!strcmp(f[c], t->head[e]))
					rs_die("%s:%lu: column '%s' is named twice", t->name, line, f[c]);
			t->head[c] = rs_strdup(f[c]);
		}
		return 0;
	}
	if (n != t->ncol)
		rs_die("%s:%lu: expected %d fields, as the header has, found %d", t->name, line, t->ncol, n);
	if (t->nrow == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->cell = rs_reallocarray(t->cell, t->cap, (size_t)t->ncol * sizeof *t->cell);
		t->line = rs_reallocarray(t->line, t->cap, sizeof *t->line);
	}
	for (int c = 0; c < n; c++)
		t->cell[t->nrow * (size_t)t->ncol + (size_t)c] = rs_strdup(f[c]);
	t->line[t->nrow++] = line;
	return 0;
}

/* The features of one id in a field being built: (index, value) pairs. */
typedef struct entry {
	uint32_t id, idx;
	float val;
} entry;

static int by_id_idx(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The CSR of a field from its entries (sorted here). */
static void field_of(rs_feature_field *ff, entry *e, size_t ne)
{
	qsort(e, ne, sizeof *e, by_id_idx);
	ff->off = rs_calloc((size_t)ff->n + 1, sizeof *ff->off);
	ff->idx = rs_malloc((ne + 1) * sizeof *ff->idx);
	ff->val = rs_malloc((ne + 1) * sizeof *ff->val);
	for (size_t j = 0; j < ne; j++) {
		ff->off[e[j].id + 1]++;
		ff->idx[j] = e[j].idx;
		ff->val[j] = e[j].val;
	}
	for (uint32_t d = 0; d < ff->n; d++) {
		ff->most = ff->off[d + 1] > ff->most ? (uint32_t)ff->off[d + 1] : ff->most;
		ff->off[d + 1] += ff->off[d];
	}
}

static rs_feature_field *add_field(rs_side *s)
{
	if (s->nfeat == RS_MAX_FIELDS)
		rs_die("more than %d feature fields", RS_MAX_FIELDS);
	s->feat = rs_reallocarray(s->feat, (size_t)s->nfeat + 1, sizeof *s->feat);
	rs_feature_field *ff = &s->feat[s->nfeat++];
	memset(ff, 0, sizeof *ff);
	return ff;
}

/* what a column's reading holds, released too when it dies */
typedef struct building {
	entry *e;
	rs_names vocab;
	rs_idmap keys;
} building;

static void free_building(void *p)
{
	building *b = p;
	free(b->e);
	rs_names_free(&b->vocab);
	rs_idmap_free(&b->keys);
}

/* name is one of list's comma-separated names */
static int in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == len && !strncmp(p, name, len))
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

void rs_features_check_categorical(const rs_side *s)
{
	for (const char *p = s->categorical; p && *p;) {
		size_t k = strcspn(p, ",");
		int found = 0;
		for (int g = 0; g < s->nfeat && !found; g++)
			found = strlen(s->feat[g].name + 2) == k && !strncmp(s->feat[g].name + 2, p, k);
		if (!found)
			rs_die("--categorical: no feature-file column '%.*s'", (int)k, p);
		p += k + (p[k] == ',');
	}
}

static void column(rs_side *s, const table *t, int c, const uint32_t *dense, uint32_t n, int users)
{
	const char *head = t->head[c];
	rs_feature_field *ff = add_field(s);
	size_t len = strlen(head) + 3;
	ff->name = rs_malloc(len);
	snprintf(ff->name, len, "%s%s", users ? RS_UFEAT_PREFIX : RS_IFEAT_PREFIX, head);
	ff->users = users;
	ff->n = n;
	/* numeric: every value a finite number (and no '|'), unless named categorical */
	int numeric = !in_list(s->categorical, head), any = 0;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t r = 0; r < t->nrow && numeric; r++) {
		const char *v = t->cell[r * (size_t)t->ncol + (size_t)c];
		double x;
		if (!v[0])
			continue;
		any = 1;
		if (strchr(v, '|') || rs_field_num(v, &x))
			numeric = 0;
		else
			lo = x < lo ? x : lo, hi = x > hi ? x : hi;
	}
	numeric &= any;
	building b = {0};
	rs_cleanup_push(free_building, &b);
	b.e = rs_malloc((t->nrow + 1) * sizeof *b.e);
	rs_idmap_init(&b.keys);
	entry *e = b.e;
	size_t ne = 0, cap = t->nrow + 1;
	rs_names *vocabp = &b.vocab;
	rs_idmap *keysp = &b.keys;
	for (size_t r = 0; r < t->nrow; r++) {
		const char *v = t->cell[r * (size_t)t->ncol + (size_t)c];
		if (!v[0] || (numeric && dense[r] == UINT32_MAX))
			continue;
		if (numeric) {
			double x;
			rs_field_num(v, &x);
			e[ne++] = (entry){dense[r], 0, (float)(hi > lo ? (x - lo) / (hi - lo) : 1.0)};
			continue;
		}
		/* the value's parts, each once, at 1/(number of parts) */
		size_t first = ne;
		for (const char *p = v;; p++) {
			size_t plen = strcspn(p, "|");
			if (plen) {
				uint32_t k = rs_idmap_add(keysp, rs_name_key(p, plen));
				if (k == vocabp->n)
					rs_names_add(vocabp, p, plen);
				else if (strncmp(rs_names_at(vocabp, k), p, plen) || rs_names_at(vocabp, k)[plen])
					rs_die("%s:%lu: values '%s' and '%.*s' share a 64-bit key", t->name,
					       t->line[r], rs_names_at(vocabp, k), (int)plen, p);
				/* every row's values make the vocabulary, so that an id's
				 * features do not depend on the stream; the stream's ids
				 * get them */
				int seen = dense[r] == UINT32_MAX;
				for (size_t j = first; j < ne; j++)
					seen |= e[j].idx == k;
				if (!seen) {
					if (ne == cap)
						e = b.e = rs_reallocarray(e, cap *= 2, sizeof *e);
					e[ne++] = (entry){dense[r], k, 1.0f};
				}
			}
			p += plen;
			if (!*p)
				break;
		}
		for (size_t j = first; j < ne; j++)
			e[j].val = 1.0f / (float)(ne - first);
	}
	ff->size = numeric ? 1 : vocabp->n;
	if (!ff->size)
		rs_die("%s: column '%s' holds no value", t->name, head);
	field_of(ff, e, ne);
	rs_cleanup_pop();
	free_building(&b);
}

/* the rows' dense ids, released too when reading dies */
typedef struct joining {
	rs_idmap ids;
	uint32_t *dense;
	unsigned long *row_of;
} joining;

static void free_joining(void *p)
{
	joining *j = p;
	rs_idmap_free(&j->ids);
	free(j->dense);
	free(j->row_of);
}

static void free_line(void *p)
{
	free(*(char **)p);
}

void rs_features_read(rs_side *s, const rs_header *h, const char *path, int users)
{
	FILE *in = rs_input_open(path);
	rs_cleanup_push(rs_input_close, in);
	rs_features_read_file(s, h, in, path, users);
	rs_cleanup_pop();
	fclose(in);
}

void rs_features_read_file(rs_side *s, const rs_header *h, FILE *in, const char *path, int users)
{
	table t = {.name = path};
	rs_cleanup_push(free_table, &t);
	char *first = NULL;
	size_t cap = 0;
	unsigned long at;
	rs_dsv_skipped sk = {0};
	rs_cleanup_push(free_line, &first);
	if (rs_dsv_head(in, path, &first, &cap, &at, &sk) < 0)
		rs_die("%s: empty feature file (no header)", path);
	char sep = strchr(first, '\t') ? '\t' : ',';
	rs_dsv_read_at(in, path, (unsigned char)sep, first, at, &sk, on_row, &t);
	rs_cleanup_pop();
	free(first);
	if (!t.head)
		rs_die("%s: empty feature file (no header)", path);
	/* each row's dense id; a row per id */
	uint32_t n = users ? h->nusers : h->nitems;
	joining jn = {0};
	rs_cleanup_push(free_joining, &jn);
	rs_idmap_from(&jn.ids, users ? h->user_ids : h->item_ids, n);
	uint32_t *dense = jn.dense = rs_malloc((t.nrow + 1) * sizeof *dense);
	unsigned long *row_of = jn.row_of = rs_calloc((size_t)n + 1, sizeof *row_of);
	size_t lacked = 0;
	for (size_t r = 0; r < t.nrow; r++) {
		const char *id = t.cell[r * (size_t)t.ncol];
		int64_t key;
		int bad = users ? rs_user_key(h, id, &key) : rs_item_key(h, id, &key);
		dense[r] = bad ? UINT32_MAX : rs_idmap_find(&jn.ids, key);
		if (dense[r] == UINT32_MAX) {
			lacked++;
			continue;
		}
		if (row_of[dense[r]])
			rs_die("%s:%lu: %s '%s' has a row already (line %lu)", path, t.line[r],
			       users ? "user" : "item", id, row_of[dense[r]]);
		row_of[dense[r]] = t.line[r];
	}
	sk.header = sk.blank + sk.comment > 0;   /* every feature file has one: said only beside others */
	if (lacked)
		rs_dsv_summary(&sk, 1, "%s: %zu of %zu rows name %s the stream lacks: passed over", path,
			       lacked, t.nrow, users ? "users" : "items");
	else
		rs_dsv_summary(&sk, 0, "%s: %zu rows", path, t.nrow);
	for (int c = 1; c < t.ncol; c++)
		column(s, &t, c, dense, n, users);
	rs_cleanup_pop();
	free_joining(&jn);
	rs_cleanup_pop();
	free_table(&t);
}

void rs_features_declare(rs_side *s, const rs_header *h)
{
	for (int f = 0; f < h->nfields; f++) {
		int kind = rs_field_kind(h->fields[f].name);
		if (!rs_field_is_generic(kind))
			continue;
		rs_feature_field *ff = add_field(s);
		ff->name = rs_strdup(h->fields[f].name);
		ff->users = kind == RS_F_UFEAT;
		ff->n = ff->users ? h->nusers : h->nitems;
		ff->size = h->fields[f].size;
		ff->off = rs_calloc((size_t)ff->n + 1, sizeof *ff->off);
	}
}

void rs_features_from_data(rs_side *s, const rs_header *h, const rs_dataset *d)
{
	for (int f = 0, g = 0; f < h->nfields; f++) {
		if (!rs_field_is_generic(rs_field_kind(h->fields[f].name)))
			continue;
		rs_feature_field *ff = &s->feat[g++];
		free(ff->off);
		/* an id's features are the same in each of its records: the first
		 * record of each id gives them */
		uint8_t *done = rs_calloc((size_t)ff->n + 1, 1);
		size_t ne = 0, cap = 1024;
		entry *e = rs_malloc(cap * sizeof *e);
		uint32_t lo = h->fields[f].offset, hi = lo + h->fields[f].size;
		for (size_t r = 0; r < d->n; r++) {
			uint32_t id = ff->users ? d->user[r] : d->item[r];
			if (id == RS_NONE || done[id])
				continue;
			done[id] = 1;
			for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++)
				if (d->x[j] >= lo && d->x[j] < hi) {
					if (ne == cap)
						e = rs_reallocarray(e, cap *= 2, sizeof *e);
					e[ne++] = (entry){id, d->x[j] - lo, d->xv ? d->xv[j] : 1.0f};
				}
		}
		field_of(ff, e, ne);
		free(e);
		free(done);
	}
}

void rs_features_free(rs_side *s)
{
	for (int g = 0; g < s->nfeat; g++) {
		free(s->feat[g].name);
		free(s->feat[g].off);
		free(s->feat[g].idx);
		free(s->feat[g].val);
	}
	free(s->feat);
	s->feat = NULL;
	s->nfeat = 0;
}
