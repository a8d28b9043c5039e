/* colenc.c: the fields of a click log's feature columns (colenc.h). */
#include "colenc.h"
#include "cli.h"
#include "mem.h"
#include "mpvalue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_colenc_init(rs_colenc *c, const rs_header *h, const rs_colenc_opts *o, const char *list,
		    const char *src)
{
	memset(c, 0, sizeof *c);
	c->o = *o;
	for (int a = 0; !list && a < h->nattrs && c->n < RS_MAX_FIELDS; a++) {
		c->col[c->n] = rs_header_col(h, h->attrs[a].column);
		c->attr[c->n++] = &h->attrs[a];
	}
	char *copy = list ? rs_strdup(list) : NULL, *save = NULL;
	rs_cleanup_push(free, copy);
	for (char *t = list ? strtok_r(copy, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
		if (strncmp(t, RS_ATTR_PREFIX, 2))
			continue;
		const rs_attr *a = rs_header_attr(h, t);
		if (!a)
			rs_die("%s:header: --fields names '%s', which is not a feature column of the stream", src, t);
		for (int f = 0; f < c->n; f++)
			if (c->attr[f] == a)
				rs_usage_error("option --fields: '%s' is named twice", t);
		if (c->n == RS_MAX_FIELDS)
			rs_die("%s:header: more than %d fields", src, RS_MAX_FIELDS);
		c->col[c->n] = rs_header_col(h, t);
		c->attr[c->n++] = a;
	}
	rs_cleanup_pop();
	free(copy);
	c->count = rs_calloc((size_t)c->n + 1, sizeof *c->count);
	c->num = rs_calloc((size_t)c->n + 1, sizeof *c->num);
	c->nnum = rs_calloc((size_t)c->n + 1, sizeof *c->nnum);
	c->capnum = rs_calloc((size_t)c->n + 1, sizeof *c->capnum);
	for (int f = 0; f < c->n; f++)
		if (c->attr[f]->type == RS_ATTR_CATEGORICAL)
			c->count[f] = rs_calloc((size_t)c->attr[f]->values.n + 1, sizeof **c->count);
}

void rs_colenc_free(rs_colenc *c)
{
	for (int f = 0; f < c->n; f++) {
		free(c->count[f]);
		free(c->num[f]);
		rs_fenc_free(c->enc[f]);
	}
	free(c->count);
	free(c->num);
	free(c->nnum);
	free(c->capnum);
	memset(c, 0, sizeof *c);
}

/* A categorical value's array, each id below the dictionary's count. */
static const msgpack_object *values(const rs_colenc *c, int f, const rs_reader *r, const msgpack_object *rec)
{
	const msgpack_object *v = &rec[c->col[f]];
	if (v->type != MSGPACK_OBJECT_ARRAY)
		rs_reader_die(r, "column '%s' is not an array of value ids", c->attr[f]->column);
	for (uint32_t j = 0; j < v->via.array.size; j++) {
		const msgpack_object *e = &v->via.array.ptr[j];
		if (e->type != MSGPACK_OBJECT_POSITIVE_INTEGER || e->via.u64 >= c->attr[f]->values.n)
			rs_reader_die(r, "column '%s' has a value id that is not below its %u values",
				      c->attr[f]->column, c->attr[f]->values.n);
	}
	return v;
}

/* A numeric value: its number, NaN for nil (missing). */
static double number(const rs_colenc *c, int f, const rs_reader *r, const msgpack_object *rec)
{
	const msgpack_object *v = &rec[c->col[f]];
	double x;
	if (v->type == MSGPACK_OBJECT_NIL)
		return NAN;
	if (rs_obj_num(v, &x) || !isfinite(x))
		rs_reader_die(r, "column '%s' is neither a finite number nor nil", c->attr[f]->column);
	return x;
}

void rs_colenc_count(rs_colenc *c, const rs_reader *r, const msgpack_object *rec, int train)
{
	size_t most = 0;
	for (int f = 0; f < c->n; f++) {
		if (c->attr[f]->type == RS_ATTR_NUMERIC) {
			double x = number(c, f, r, rec);
			most++;
			if (!train || isnan(x))
				continue;
			if (c->nnum[f] == c->capnum[f]) {
				c->capnum[f] = c->capnum[f] ? 2 * c->capnum[f] : 1024;
				c->num[f] = rs_reallocarray(c->num[f], c->capnum[f], sizeof **c->num);
			}
			c->num[f][c->nnum[f]++] = x;
			continue;
		}
		const msgpack_object *v = values(c, f, r, rec);
		uint32_t k = v->via.array.size;
		most += k;
		for (uint32_t j = 0; train && j < k; j++)
			if (c->count[f][v->via.array.ptr[j].via.u64] < UINT32_MAX)
				c->count[f][v->via.array.ptr[j].via.u64]++;
	}
	c->most = most > c->most ? most : c->most;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The cuts of q quantiles of the train values x[0..n), distinct. */
static void quantiles(rs_fenc *e, double *x, size_t n, uint32_t q)
{
	if (n)   /* x is null when no train value was a number: qsort must not see it */
		qsort(x, n, sizeof *x, by_value);
	e->cuts = rs_malloc(((size_t)q + 1) * sizeof *e->cuts);
	for (uint32_t j = 1; j < q && n; j++) {
		double cut = x[(size_t)((double)j * (double)n / q)];
		if (!e->ncuts || cut > e->cuts[e->ncuts - 1])
			e->cuts[e->ncuts++] = cut;
	}
}

void rs_colenc_finish(rs_colenc *c)
{
	for (int f = 0; f < c->n; f++) {
		rs_fenc *e = c->enc[f] = rs_calloc(1, sizeof *e);
		if (c->attr[f]->type == RS_ATTR_CATEGORICAL && c->o.hash_bits) {
			e->enc = RS_ENC_HASH;
			e->hash_bits = c->o.hash_bits;
		} else if (c->attr[f]->type == RS_ATTR_CATEGORICAL) {
			/* feature 0 the rare values', then the others in value order */
			e->enc = RS_ENC_ONEHOT;
			e->min_count = c->o.min_count;
			e->nmap = c->attr[f]->values.n;
			e->map = rs_malloc(((size_t)e->nmap + 1) * sizeof *e->map);
			uint32_t next = 1;
			for (uint32_t v = 0; v < e->nmap; v++)
				e->map[v] = c->count[f][v] && c->count[f][v] >= e->min_count ? next++ : 0;
		} else {
			e->enc = c->o.numbers;
			double lo = 0, hi = 0;
			for (size_t j = 0; j < c->nnum[f]; j++) {
				double x = c->num[f][j];
				lo = !j || x < lo ? x : lo;
				hi = !j || x > hi ? x : hi;
			}
			e->min = lo, e->max = hi;
			if (e->enc == RS_ENC_QUANTILE)
				quantiles(e, c->num[f], c->nnum[f], c->o.quantiles);
		}
	}
}

void rs_colenc_layout(rs_colenc *c, rs_header *h)
{
	for (int f = 0; f < c->n; f++) {
		rs_header_add_field(h, c->attr[f]->column, rs_fenc_size(c->enc[f]));
		c->offset[f] = h->fields[h->nfields - 1].offset;
		h->fields[h->nfields - 1].enc = rs_fenc_dup(c->enc[f]);
	}
}

static int by_feature(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int rs_colenc_features(rs_colenc *c, const rs_reader *r, const msgpack_object *rec, uint32_t *x,
		       float *xv)
{
	int k = 0;
	for (int f = 0; f < c->n; f++) {
		const rs_fenc *e = c->enc[f];
		uint32_t off = c->offset[f];
		if (c->attr[f]->type == RS_ATTR_NUMERIC) {
			x[k] = off + rs_fenc_number(e, number(c, f, r, rec), &xv[k]);
			k++;
			continue;
		}
		const msgpack_object *v = values(c, f, r, rec);
		uint32_t n = v->via.array.size;
		if (!n)
			continue;   /* an empty value: no feature, as a feature file's */
		int first = k;
		for (uint32_t j = 0; j < n; j++) {
			uint32_t id = (uint32_t)v->via.array.ptr[j].via.u64;
			const char *text = rs_names_at(&c->attr[f]->values, id);
			uint32_t feat = rs_fenc_value(e, id, text, strlen(text));
			c->rare += e->enc == RS_ENC_ONEHOT && !feat;
			x[k++] = off + feat;
		}
		/* parts each at 1/(their number), a feature twice (rare, or a
		 * hash's collision) summed */
		qsort(x + first, (size_t)(k - first), sizeof *x, by_feature);
		int w = first;
		for (int j = first; j < k; j++) {
			if (w > first && x[w - 1] == x[j]) {
				xv[w - 1] += 1.0f / (float)n;
				continue;
			}
			x[w] = x[j];
			xv[w++] = 1.0f / (float)n;
		}
		k = w;
	}
	return k;
}
