/* rowenc.c: a row of raw values as a model's features (rowenc.h). */
#include "rowenc.h"
#include "cli.h"
#include "clicklog.h"
#include "dataset.h"
#include "dsv.h"
#include "fields.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row_kind(const rs_header *h, int f)
{
	const char *name = h->fields[f].name;
	if (!strcmp(name, rs_field_name(RS_F_USER)))
		return RS_ROW_USER;
	if (!strcmp(name, rs_field_name(RS_F_ITEM)))
		return RS_ROW_ITEM;
	return h->fields[f].enc && rs_header_attr(h, name) ? RS_ROW_COLUMN : -1;
}

int rs_rowenc_applies(const rs_header *h)
{
	int column = 0;
	for (int f = 0; f < h->nfields; f++) {
		int k = row_kind(h, f);
		if (k < 0)
			return 0;
		column |= k == RS_ROW_COLUMN;
	}
	return column;
}

void rs_rowenc_init(rs_rowenc *e, const rs_header *h)
{
	memset(e, 0, sizeof *e);
	e->h = h;
	e->label = -1;
	for (int f = 0; f < h->nfields; f++) {
		if ((e->kind[f] = row_kind(h, f)) < 0)
			rs_die("the model's field '%s' is not one a row of columns gives", h->fields[f].name);
		e->src[f] = -1;
		rs_idmap_init(&e->values[f]);
		if (e->kind[f] != RS_ROW_COLUMN)
			continue;
		const rs_attr *a = e->attr[f] = rs_header_attr(h, h->fields[f].name);
		for (uint32_t v = 0; a->type == RS_ATTR_CATEGORICAL && v < a->values.n; v++) {
			const char *s = rs_names_at(&a->values, v);
			rs_idmap_add_checked(&e->values[f], rs_name_key(s, strlen(s)), rs_name_check(s, strlen(s)));
		}
	}
	rs_idmap_from(&e->users, h->user_ids, h->nusers);
	rs_idmap_from(&e->items, h->item_ids, h->nitems);
}

void rs_rowenc_free(rs_rowenc *e)
{
	for (int f = 0; f < e->h->nfields; f++)
		rs_idmap_free(&e->values[f]);
	rs_idmap_free(&e->users);
	rs_idmap_free(&e->items);
	memset(e, 0, sizeof *e);
}

int rs_rowenc_columns(rs_rowenc *e, char *const *names, int n, char *err, size_t len)
{
	const rs_header *h = e->h;
	for (int i = 0; i < n; i++) {
		int role = rs_column_role(names[i]);
		if (e->label < 0 && rs_clicklog_is_label(names[i]) && rs_header_col(h, RS_ATTR_PREFIX "click") < 0)
			e->label = i;
		for (int f = 0; f < h->nfields; f++) {
			int k = e->kind[f];
			if ((k == RS_ROW_USER && role == RS_ROLE_USER) || (k == RS_ROW_ITEM && role == RS_ROLE_ITEM) ||
			    (k == RS_ROW_COLUMN && !strcmp(h->fields[f].name + 2, names[i])))
				if (e->src[f] < 0)
					e->src[f] = i;
		}
	}
	for (int f = 0; f < h->nfields; f++)
		if (e->src[f] < 0) {
			const char *want = e->kind[f] == RS_ROW_COLUMN ? h->fields[f].name + 2 : h->fields[f].name;
			snprintf(err, len, "no column '%s', which the model's field '%s' takes", want, h->fields[f].name);
			return -1;
		}
	return 0;
}

size_t rs_rowenc_room(const rs_rowenc *e, char *const *f, int n)
{
	size_t most = 0;
	for (int j = 0; j < e->h->nfields; j++) {
		const char *s = e->src[j] >= 0 && e->src[j] < n ? f[e->src[j]] : NULL;
		size_t parts = 1;
		for (; s && *s; s++)
			parts += *s == '|';
		most += parts;
	}
	return most;
}

static int by_feature(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A categorical value's parts as its field's features, at 1/(their number)
 * each, a feature twice summed, as ml-onehot made them (colenc.c). */
static int categorical(rs_rowenc *e, int f, const char *s, uint32_t *x, float *xv)
{
	const rs_fenc *enc = e->h->fields[f].enc;
	const rs_attr *a = e->attr[f];
	uint32_t off = e->h->fields[f].offset;
	int k = 0;
	for (const char *p = s;; p++) {
		size_t len = strcspn(p, "|");
		if (len) {
			uint32_t id = rs_idmap_find(&e->values[f], rs_name_key(p, len));
			int dup = 0;
			const char *known = id != UINT32_MAX ? rs_names_at(&a->values, id) : NULL;
			if (known && (strncmp(known, p, len) || known[len]))
				id = UINT32_MAX;   /* another value of the same key */
			for (const char *q = s; q < p && !dup; q += strcspn(q, "|") + 1)
				dup = strcspn(q, "|") == len && !strncmp(q, p, len);
			if (!dup) {
				uint32_t feat = rs_fenc_value(enc, id, p, len);
				e->unknown += enc->enc == RS_ENC_ONEHOT && id == UINT32_MAX;
				x[k++] = off + feat;
			}
		}
		p += len;
		if (!*p)
			break;
	}
	qsort(x, (size_t)k, sizeof *x, by_feature);
	int w = 0;
	for (int j = 0; j < k; j++) {
		if (w && x[w - 1] == x[j]) {
			xv[w - 1] += 1.0f / (float)k;
			continue;
		}
		x[w] = x[j];
		xv[w++] = 1.0f / (float)k;
	}
	return w;
}

int rs_rowenc_row(rs_rowenc *e, char *const *f, int n, uint32_t *x, float *xv, int *nx, uint32_t *user,
		  uint32_t *item, double *label, char *err, size_t len)
{
	const rs_header *h = e->h;
	int k = 0;
	*user = *item = RS_NONE;
	*label = NAN;
	if (e->label >= 0 && e->label < n && f[e->label] && f[e->label][0]) {
		if (rs_field_num(f[e->label], label) || !isfinite(*label)) {
			snprintf(err, len, "column %d: '%s' is not a label (0/1, -1/1 or a rating)", e->label + 1,
				 f[e->label]);
			if (!e->numbered)
				snprintf(err, len, "the label '%s' is not a label (0/1, -1/1 or a rating)", f[e->label]);
			return -1;
		}
		if (e->h->target && !strcmp(e->h->target, "click"))
			*label = *label > 0;   /* -1/1 labels as 0/1 */
	}
	for (int j = 0; j < h->nfields; j++) {
		const char *s = e->src[j] < n ? f[e->src[j]] : NULL;
		uint32_t off = h->fields[j].offset;
		if (e->kind[j] != RS_ROW_COLUMN) {
			int users = e->kind[j] == RS_ROW_USER;
			int64_t key;
			uint32_t d = RS_NONE;
			if (s && *s && !(users ? rs_user_key(h, s, &key) : rs_item_key(h, s, &key)))
				d = rs_idmap_find(users ? &e->users : &e->items, key);
			*(users ? user : item) = d;
			if (d == UINT32_MAX) {
				e->unknown++;
				continue;   /* an id the model never had: no feature */
			}
			x[k] = off + d, xv[k++] = 1.0f;
			continue;
		}
		if (e->attr[j]->type == RS_ATTR_CATEGORICAL) {
			if (s)
				k += categorical(e, j, s, x + k, xv + k);
			continue;
		}
		double v = NAN;
		if (s && *s && (rs_field_num(s, &v) || !isfinite((float)v))) {
			if (e->numbered)
				snprintf(err, len, "column %d (%s): '%s' is not a number", e->src[j] + 1,
					 h->fields[j].name + 2, s);
			else
				snprintf(err, len, "column '%s': '%s' is not a number", h->fields[j].name + 2, s);
			return -1;
		}
		x[k] = off + rs_fenc_number(h->fields[j].enc, v, &xv[k]);
		k++;
	}
	*nx = k;
	return 0;
}
