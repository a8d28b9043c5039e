/* dataset.c: loading a stream's records for training and evaluation. */
#include "dataset.h"
#include "cli.h"
#include "fields.h"
#include "mem.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_SPLIT, C_USER, C_ITEM, C_Y, C_X, C_XV, C_TS };

static void grow(rs_dataset *d, size_t *cap)
{
	*cap = *cap ? *cap + *cap / 2 : 1 << 16;
	d->user = rs_reallocarray(d->user, *cap, sizeof *d->user);
	d->item = rs_reallocarray(d->item, *cap, sizeof *d->item);
	d->y = rs_reallocarray(d->y, *cap, sizeof *d->y);
	d->split = rs_reallocarray(d->split, *cap, sizeof *d->split);
	if (d->col[C_TS] >= 0)
		d->ts = rs_reallocarray(d->ts, *cap, sizeof *d->ts);
	if (!d->ids_only)
		d->xoff = rs_reallocarray(d->xoff, *cap + 1, sizeof *d->xoff);
}


/* The layout both ways of building a dataset share. */
static void layout(rs_dataset *d)
{
	d->nfeatures = rs_header_nfeatures(&d->hdr);
	d->xoff = rs_malloc(sizeof *d->xoff);
	d->xoff[0] = 0;
}

static void reserve_x(rs_dataset *d, size_t k, int has_xv)
{
	if (d->nnz + k <= d->xcap)
		return;
	while (d->nnz + k > d->xcap)
		d->xcap = d->xcap ? d->xcap + d->xcap / 2 : 1 << 17;
	d->x = rs_reallocarray(d->x, d->xcap, sizeof *d->x);
	if (has_xv)
		d->xv = rs_reallocarray(d->xv, d->xcap, sizeof *d->xv);
}

void rs_dataset_begin(rs_dataset *d, const rs_reader *r)
{
	memset(d, 0, sizeof *d);
	d->src = r->name;
	const rs_header *h = &r->hdr;
	d->col[C_SPLIT] = rs_reader_need(r, RS_COL_SPLIT);
	d->col[C_USER] = rs_reader_need(r, RS_COL_USER);
	d->col[C_ITEM] = rs_reader_need(r, RS_COL_ITEM);
	/* an event log's records are positives: no target column */
	d->implicit = rs_header_implicit(h);
	d->col[C_Y] = d->implicit ? -1 : rs_reader_need(r, h->target);
	d->col[C_X] = rs_header_col(h, RS_COL_X);
	d->col[C_XV] = rs_header_col(h, RS_COL_XV);
	d->col[C_TS] = rs_header_col(h, RS_COL_TS);
	d->click = !strcmp(h->target, RS_TARGET_CLICK);
	if ((d->col[C_X] >= 0) != (h->nfields > 0))
		rs_die("%s:header: the stream has %s", r->name,
		       h->nfields ? "'fields' but no column 'x'" : "'x' but no 'fields'");
	rs_header_copy(&d->hdr, h);
	if (d->col[C_X] < 0) {   /* no one-hot features: the two fields user and item */
		rs_header_add_field(&d->hdr, rs_field_name(RS_F_USER), h->nusers);
		rs_header_add_field(&d->hdr, rs_field_name(RS_F_ITEM), h->nitems);
	}
	layout(d);
}

void rs_dataset_like(rs_dataset *d, const rs_header *h, int click, int has_xv)
{
	memset(d, 0, sizeof *d);
	for (int c = 0; c < 7; c++)
		d->col[c] = -1;
	d->col[C_XV] = has_xv ? 0 : -1;
	d->click = click;
	rs_header_copy(&d->hdr, h);
	layout(d);
}

void rs_dataset_push(rs_dataset *d, uint32_t user, uint32_t item, const uint32_t *x,
		     const float *xv, int k)
{
	if (d->n == d->cap)
		grow(d, &d->cap);
	size_t i = d->n;
	d->user[i] = user;
	d->item[i] = item;
	d->y[i] = 0;
	d->split[i] = RS_SPLIT_TEST;
	reserve_x(d, (size_t)k, d->col[C_XV] >= 0);
	if (k)
		memcpy(d->x + d->nnz, x, (size_t)k * sizeof *x);
	if (k && d->col[C_XV] >= 0)
		memcpy(d->xv + d->nnz, xv, (size_t)k * sizeof *xv);
	d->nnz += (size_t)k;
	d->n++;
	d->xoff[d->n] = d->nnz;
}

void rs_dataset_add(rs_dataset *d, const rs_reader *r, const msgpack_object *rec)
{
	const rs_header *h = &r->hdr;
	if (d->n == d->cap)
		grow(d, &d->cap);
	size_t i = d->n;
	d->split[i] = (uint8_t)rs_rec_id(r, rec, d->col[C_SPLIT], 2);
	d->user[i] = rs_rec_id(r, rec, d->col[C_USER], h->nusers);
	d->item[i] = rs_rec_id(r, rec, d->col[C_ITEM], h->nitems);
	d->y[i] = d->implicit ? 1.0f : (float)rs_rec_num(r, rec, d->col[C_Y]);
	if (!isfinite(d->y[i]))
		rs_reader_die(r, "column '%s' is out of float range", h->columns[d->col[C_Y]]);
	if (d->click && d->y[i] != 0 && d->y[i] != 1)
		rs_reader_die(r, "column 'click' is %g, not 0 or 1", d->y[i]);
	if (d->ts && rs_obj_i64(&rec[d->col[C_TS]], &d->ts[i]))
		rs_reader_die(r, "column 'ts' is not an integer");
	if (d->ids_only) {
		d->n++;
		return;
	}
	uint32_t k = 2;
	const msgpack_object *xs = NULL, *vs = NULL;
	if (d->col[C_X] >= 0) {
		xs = &rec[d->col[C_X]];
		if (xs->type != MSGPACK_OBJECT_ARRAY)
			rs_reader_die(r, "column 'x' is not an array");
		k = xs->via.array.size;
		if (d->col[C_XV] >= 0) {
			vs = &rec[d->col[C_XV]];
			if (vs->type != MSGPACK_OBJECT_ARRAY || vs->via.array.size != k)
				rs_reader_die(r, "column 'xv' does not match 'x' in length");
		}
	}
	reserve_x(d, k, d->col[C_XV] >= 0);
	size_t nnz = d->nnz;
	if (!xs) {
		d->x[nnz] = d->user[i];
		d->x[nnz + 1] = h->nusers + d->item[i];
	}
	for (uint32_t j = 0; xs && j < k; j++) {
		uint64_t v;
		if (rs_obj_u64(&xs->via.array.ptr[j], &v) || v >= d->nfeatures)
			rs_reader_die(r, "column 'x': entry %u is not a feature index below %u", j,
				      d->nfeatures);
		if (j && v <= d->x[nnz + j - 1])
			rs_reader_die(r, "column 'x' is not sorted");
		d->x[nnz + j] = (uint32_t)v;
		if (vs) {
			double fv;
			if (rs_obj_num(&vs->via.array.ptr[j], &fv) || !isfinite((float)fv))
				rs_reader_die(r, "column 'xv': entry %u is not a finite float", j);
			d->xv[nnz + j] = (float)fv;
		}
	}
	d->nnz = nnz + k;
	d->n++;
	d->xoff[d->n] = d->nnz;
}

void rs_dataset_clear(rs_dataset *d)
{
	d->n = 0;
	d->nnz = 0;
}

void rs_dataset_read(rs_dataset *d, rs_reader *r)
{
	rs_dataset_begin(d, r);
	const msgpack_object *rec;
	while ((rec = rs_reader_next(r)))
		rs_dataset_add(d, r, rec);
}

void rs_dataset_read_ids(rs_dataset *d, rs_reader *r)
{
	rs_dataset_begin(d, r);
	d->ids_only = 1;
	d->col[C_TS] = -1;
	const msgpack_object *rec;
	while ((rec = rs_reader_next(r)))
		rs_dataset_add(d, r, rec);
}

void rs_dataset_gather(rs_dataset *dst, const rs_dataset *src, const uint32_t *idx, size_t n,
		       int features)
{
	if (!dst->view) {   /* first use: borrow src's layout, own only the records */
		memset(dst, 0, sizeof *dst);
		for (int c = 0; c < 7; c++)
			dst->col[c] = -1;
		dst->view = 1;
		dst->src = src->src;
		dst->nfeatures = src->nfeatures;
		dst->click = src->click;
	}
	while (dst->cap < n)
		grow(dst, &dst->cap);
	for (size_t i = 0; i < n; i++) {
		size_t r = idx[i];
		dst->user[i] = src->user[r];
		dst->item[i] = src->item[r];
		dst->y[i] = src->y[r];
		dst->split[i] = src->split[r];
	}
	dst->n = n;
	dst->xoff[0] = 0;
	if (!features) {   /* an empty feature list per record */
		memset(dst->xoff, 0, (n + 1) * sizeof *dst->xoff);
		return;
	}
	/* plain loops: a record has a handful of features, too few for memcpy */
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		size_t a = src->xoff[idx[i]], k = src->xoff[idx[i] + 1] - a;
		if (o + k > dst->xcap) {
			dst->nnz = o;
			reserve_x(dst, k, src->xv != NULL);
		}
		for (size_t j = 0; j < k; j++)
			dst->x[o + j] = src->x[a + j];
		if (src->xv)
			for (size_t j = 0; j < k; j++)
				dst->xv[o + j] = src->xv[a + j];
		o += k;
		dst->xoff[i + 1] = o;
	}
	dst->nnz = o;
}

void rs_dataset_free(rs_dataset *d)
{
	free(d->user);
	free(d->item);
	free(d->y);
	free(d->split);
	free(d->ts);
	free(d->xoff);
	free(d->x);
	free(d->xv);
	rs_header_free(&d->hdr);
	memset(d, 0, sizeof *d);
}

void rs_dataset_carve_valid(rs_dataset *d, double ratio, uint64_t seed)
{
	if (ratio <= 0)
		return;
	size_t ntrain = 0;
	for (size_t i = 0; i < d->n; i++)
		ntrain += d->split[i] == RS_SPLIT_TRAIN;
	rs_rng rng;
	rs_rng_seed(&rng, seed ^ 0x5bd1e995u);   /* not the stream of the split itself */
	size_t need = rs_share(ntrain, ratio), left = ntrain;
	for (size_t i = 0; i < d->n; i++)
		if (!d->split[i] && rs_rng_select(&rng, &need, left--))
			d->split[i] = RS_SPLIT_VALID;
}

int rs_dataset_test_is_latest(const rs_dataset *d)
{
	if (!d->ts)
		return 0;
	uint32_t U = d->hdr.nusers;
	int64_t *last_train = rs_malloc(((size_t)U + 1) * sizeof *last_train);
	int64_t *first_test = rs_malloc(((size_t)U + 1) * sizeof *first_test);
	for (uint32_t u = 0; u < U; u++)
		last_train[u] = INT64_MIN, first_test[u] = INT64_MAX;
	size_t ntest = 0;
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r];
		if (d->split[r] == RS_SPLIT_TEST) {
			ntest++;
			first_test[u] = d->ts[r] < first_test[u] ? d->ts[r] : first_test[u];
		} else if (d->ts[r] > last_train[u]) {
			last_train[u] = d->ts[r];
		}
	}
	int latest = ntest > 0;
	for (uint32_t u = 0; u < U && latest; u++)
		latest = first_test[u] >= last_train[u];
	free(last_train);
	free(first_test);
	return latest;
}

void rs_dataset_carve_latest(rs_dataset *d)
{
	uint32_t U = d->hdr.nusers;
	size_t *last = rs_malloc(((size_t)U + 1) * sizeof *last);
	uint32_t *count = rs_calloc((size_t)U + 1, sizeof *count);
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r];
		if (d->split[r])
			continue;
		/* the later ts, or the later position on a tie (history.h's order) */
		if (!count[u]++ || d->ts[r] >= d->ts[last[u]])
			last[u] = r;
	}
	for (uint32_t u = 0; u < U; u++)
		if (count[u] > 1)   /* a user's only train record stays */
			d->split[last[u]] = 2;
	free(last);
	free(count);
}

size_t rs_dataset_select(const rs_dataset *d, int split, uint32_t *idx)
{
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->split[i] == split)
			idx[k++] = (uint32_t)i;
	return k;
}
