/* attrs.c: a click log's feature columns in a header, and their fields'
 * encodings: packed, parsed with their limits, copied, applied (attrs.h). */
#include "attrs.h"
#include "mem.h"
#include "mpvalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rs_attr_type_names[2] = {"categorical", "numeric"};
const char *const rs_enc_names[RS_NENC] = {"onehot", "hash", "scale", "log2", "quantile"};

uint32_t rs_fenc_size(const rs_fenc *e)
{
	switch (e->enc) {
	case RS_ENC_HASH: return 1u << e->hash_bits;
	case RS_ENC_SCALE: return 2;
	case RS_ENC_LOG2: return RS_LOG2_SIZE;
	case RS_ENC_QUANTILE: return e->ncuts + 2;
	default: {
		uint32_t most = 0;
		for (uint32_t i = 0; i < e->nmap; i++)
			most = e->map[i] > most ? e->map[i] : most;
		return most + 1;
	}
	}
}

uint32_t rs_fenc_number(const rs_fenc *e, double v, float *val)
{
	*val = 1.0f;
	if (isnan(v))
		return 0;   /* every numeric encoding's feature 0: missing */
	if (e->enc == RS_ENC_SCALE) {
		double s = e->max > e->min ? (v - e->min) / (e->max - e->min) : 0;
		*val = (float)(s < 0 ? 0 : s > 1 ? 1 : s);
		return 1;
	}
	if (e->enc == RS_ENC_LOG2) {
		if (!(v > 0))
			return 1;
		int k = ilogb(v);
		k = k < RS_LOG2_LO ? RS_LOG2_LO : k > RS_LOG2_HI ? RS_LOG2_HI : k;
		return (uint32_t)(2 + k - RS_LOG2_LO);
	}
	/* quantile: the cuts at or below v, by bisection */
	uint32_t lo = 0, hi = e->ncuts;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e->cuts[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1 + lo;
}

uint32_t rs_fenc_value(const rs_fenc *e, uint32_t id, const char *text, size_t len)
{
	if (e->enc == RS_ENC_HASH)
		return (uint32_t)((uint64_t)rs_name_key(text, len) & ((1u << e->hash_bits) - 1));
	return id < e->nmap ? e->map[id] : 0;   /* unseen: the rare feature */
}

void rs_attr_free(rs_attr *a)
{
	free(a->column);
	rs_names_free(&a->values);
	memset(a, 0, sizeof *a);
}

void rs_attr_copy(rs_attr *d, const rs_attr *s)
{
	d->column = rs_strdup(s->column);
	d->type = s->type;
	rs_names_copy(&d->values, &s->values);
}

void rs_attrs_pack(msgpack_packer *pk, const rs_attr *a, int n)
{
	msgpack_pack_array(pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		int cat = a[i].type == RS_ATTR_CATEGORICAL;
		msgpack_pack_map(pk, 2 + cat);
		rs_pack_cstr(pk, "column");
		rs_pack_cstr(pk, a[i].column);
		rs_pack_cstr(pk, "type");
		rs_pack_cstr(pk, rs_attr_type_names[a[i].type]);
		if (!cat)
			continue;
		rs_pack_cstr(pk, "values");
		msgpack_pack_array(pk, a[i].values.n);
		for (uint32_t v = 0; v < a[i].values.n; v++)
			rs_pack_cstr(pk, rs_names_at(&a[i].values, v));
	}
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int rs_attrs_parse(const msgpack_object *o, rs_attr **out, int *n, char *err, size_t errlen)
{
	if (o->type != MSGPACK_OBJECT_ARRAY)
		FAIL("header key 'attributes' is not an array");
	rs_attr *a = *out = rs_calloc(o->via.array.size + 1, sizeof *a);
	*n = 0;
	for (uint32_t i = 0; i < o->via.array.size; i++) {
		const msgpack_object *e = &o->via.array.ptr[i];
		const msgpack_object *c = rs_map_get(e, "column"), *t = rs_map_get(e, "type");
		const msgpack_object *v = rs_map_get(e, "values");
		char *col = c ? rs_obj_strdup(c) : NULL;
		if (!col || strncmp(col, RS_ATTR_PREFIX, 2) || !col[2]) {
			free(col);
			FAIL("header attribute %u has no column named c:NAME", i);
		}
		rs_attr *x = &a[(*n)++];
		x->column = col;
		for (int j = 0; j + 1 < *n; j++)
			if (!strcmp(a[j].column, col))
				FAIL("header names attribute '%s' twice", col);
		if (rs_obj_is(t, "numeric") && !v) {
			x->type = RS_ATTR_NUMERIC;
			continue;
		}
		if (!rs_obj_is(t, "categorical") || !v || v->type != MSGPACK_OBJECT_ARRAY)
			FAIL("header attribute '%s' is neither numeric nor categorical with its values", col);
		x->type = RS_ATTR_CATEGORICAL;
		x->values.off = rs_malloc(sizeof *x->values.off);   /* on, even when empty */
		x->values.ncap = 1;
		for (uint32_t k = 0; k < v->via.array.size; k++) {
			const msgpack_object *s = &v->via.array.ptr[k];
			if (s->type != MSGPACK_OBJECT_STR || !s->via.str.size || memchr(s->via.str.ptr, 0, s->via.str.size))
				FAIL("header attribute '%s': value %u is not a non-empty string without NUL", col, k);
			rs_names_add(&x->values, s->via.str.ptr, s->via.str.size);
		}
	}
	return 0;
}

void rs_fenc_free(rs_fenc *e)
{
	if (!e)
		return;
	free(e->map);
	free(e->cuts);
	free(e);
}

rs_fenc *rs_fenc_dup(const rs_fenc *e)
{
	if (!e)
		return NULL;
	rs_fenc *d = rs_malloc(sizeof *d);
	*d = *e;
	d->map = e->nmap ? rs_malloc(e->nmap * sizeof *d->map) : NULL;
	if (e->nmap)
		memcpy(d->map, e->map, e->nmap * sizeof *d->map);
	d->cuts = e->ncuts ? rs_malloc(e->ncuts * sizeof *d->cuts) : NULL;
	if (e->ncuts)
		memcpy(d->cuts, e->cuts, e->ncuts * sizeof *d->cuts);
	return d;
}

int rs_fenc_nkeys(const rs_fenc *e)
{
	switch (e->enc) {
	case RS_ENC_ONEHOT: return 3;   /* encode, min_count, map */
	case RS_ENC_SCALE: return 3;    /* encode, min, max */
	case RS_ENC_LOG2: return 1;
	default: return 2;              /* encode, hash_bits or cuts */
	}
}

void rs_fenc_pack(msgpack_packer *pk, const rs_fenc *e)
{
	rs_pack_cstr(pk, "encode");
	rs_pack_cstr(pk, rs_enc_names[e->enc]);
	switch (e->enc) {
	case RS_ENC_ONEHOT:
		rs_pack_cstr(pk, "min_count");
		msgpack_pack_uint32(pk, e->min_count);
		rs_pack_cstr(pk, "map");
		msgpack_pack_array(pk, e->nmap);
		for (uint32_t i = 0; i < e->nmap; i++)
			msgpack_pack_uint32(pk, e->map[i]);
		break;
	case RS_ENC_HASH:
		rs_pack_cstr(pk, "hash_bits");
		msgpack_pack_uint32(pk, e->hash_bits);
		break;
	case RS_ENC_SCALE:
		rs_pack_cstr(pk, "min");
		msgpack_pack_double(pk, e->min);
		rs_pack_cstr(pk, "max");
		msgpack_pack_double(pk, e->max);
		break;
	case RS_ENC_QUANTILE:
		rs_pack_cstr(pk, "cuts");
		msgpack_pack_array(pk, e->ncuts);
		for (uint32_t i = 0; i < e->ncuts; i++)
			msgpack_pack_double(pk, e->cuts[i]);
		break;
	}
}

static int parse_enc(const msgpack_object *f, uint32_t size, rs_fenc *e, char *err, size_t errlen)
{
	const msgpack_object *en = rs_map_get(f, "encode");
	e->enc = -1;
	for (int i = 0; i < RS_NENC; i++)
		if (rs_obj_is(en, rs_enc_names[i]))
			e->enc = i;
	if (e->enc < 0)
		FAIL("its encode is not one of onehot, hash, scale, log2, quantile");
	uint64_t u;
	const msgpack_object *o;
	switch (e->enc) {
	case RS_ENC_ONEHOT:
		if (!(o = rs_map_get(f, "min_count")) || rs_obj_u64(o, &u) || u > UINT32_MAX)
			FAIL("its min_count is missing or not a count");
		e->min_count = (uint32_t)u;
		if (!(o = rs_map_get(f, "map")) || o->type != MSGPACK_OBJECT_ARRAY)
			FAIL("its map is missing or not an array");
		e->nmap = o->via.array.size;
		e->map = rs_malloc(((size_t)e->nmap + 1) * sizeof *e->map);
		for (uint32_t i = 0; i < e->nmap; i++)
			if (rs_obj_u64(&o->via.array.ptr[i], &u) || u >= size)
				FAIL("its map's entry %u is not a feature below its size %u", i, size);
			else
				e->map[i] = (uint32_t)u;
		break;
	case RS_ENC_HASH:
		if (!(o = rs_map_get(f, "hash_bits")) || rs_obj_u64(o, &u) || u < 1 || u > RS_MAX_HASH_BITS)
			FAIL("its hash_bits is not in [1, %d]", RS_MAX_HASH_BITS);
		e->hash_bits = (uint32_t)u;
		break;
	case RS_ENC_SCALE: {
		const msgpack_object *a = rs_map_get(f, "min"), *b = rs_map_get(f, "max");
		if (!a || !b || rs_obj_num(a, &e->min) || rs_obj_num(b, &e->max) || !isfinite(e->min) ||
		    !isfinite(e->max) || e->min > e->max)
			FAIL("its min and max are not finite numbers in order");
		break;
	}
	case RS_ENC_QUANTILE:
		if (!(o = rs_map_get(f, "cuts")) || o->type != MSGPACK_OBJECT_ARRAY ||
		    o->via.array.size > RS_MAX_QUANTILES)
			FAIL("its cuts are missing or more than %d", RS_MAX_QUANTILES);
		e->ncuts = o->via.array.size;
		e->cuts = rs_malloc(((size_t)e->ncuts + 1) * sizeof *e->cuts);
		for (uint32_t i = 0; i < e->ncuts; i++)
			if (rs_obj_num(&o->via.array.ptr[i], &e->cuts[i]) || !isfinite(e->cuts[i]) ||
			    (i && !(e->cuts[i] > e->cuts[i - 1])))
				FAIL("its cuts are not finite and ascending");
		break;
	}
	if (rs_fenc_size(e) != size)
		FAIL("its encoding gives %u features, its size is %u", rs_fenc_size(e), size);
	return 0;
}

int rs_fenc_parse(const msgpack_object *field, uint32_t size, rs_fenc **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!rs_map_get(field, "encode"))
		return 0;
	rs_fenc *e = *out = rs_calloc(1, sizeof *e);
	return parse_enc(field, size, e, err, errlen);
}

#undef FAIL
