/* model.c: what every model kind shares: creation, batched prediction, and
 * the model file (save, load, validation against a stream). */
#include "model.h"
#include "gemm.h"
#include "cli.h"
#include "idmap.h"
#include "mem.h"
#include "nn.h"
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "tensors are stored as little-endian float32 by a plain copy");

static const rs_model_ops *kinds[] = {&rs_mf_ops, &rs_fm_ops, &rs_deepfm_ops, &rs_als_ops,
				      &rs_fm_mcmc_ops};

const rs_model_ops *rs_model_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i]->kind, kind))
			return kinds[i];
	return NULL;
}

/* What creating and loading share: the tensors declared, nothing allocated
 * (loading checks the file against them first). */
static void declare(rs_model *m)
{
	m->nfeatures = rs_header_nfeatures(&m->hdr);
	m->nfields = m->hdr.nfields;
	m->k = m->ops->width ? m->ops->width(&m->hp) : m->hp.factors;
	m->ops->layout(m);
}

/* the pairs of the records the model learns from: the train split (with
 * what the trainer will carve out of it for validation) */
static void record_pairs(rs_model *m, const rs_dataset *d)
{
	uint64_t *keys = rs_malloc((d->n + 1) * sizeof *keys);
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] != 1)
			keys[n++] = rs_pair_key(d->hdr.user_ids[d->user[r]], d->hdr.item_ids[d->item[r]]);
	rs_pairset_build(&m->pairs, keys, n);
	free(keys);
}

size_t rs_model_count_trained(const rs_model *m, const rs_dataset *d, const char *mp)
{
	uint64_t *keys = rs_malloc((d->n + 1) * sizeof *keys);
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] == 1 && d->user[r] != RS_NONE && d->item[r] != RS_NONE)
			keys[n++] = rs_pair_key(m->hdr.user_ids[d->user[r]], m->hdr.item_ids[d->item[r]]);
	size_t hits = rs_model_warn_trained(m, keys, n, d->src, mp);
	free(keys);
	return hits;
}

size_t rs_model_warn_trained(const rs_model *m, uint64_t *keys, size_t n, const char *src,
			     const char *mp)
{
	size_t hits = rs_pairset_count(&m->pairs, keys, n);
	if (hits)
		rs_warn("%s: %zu of its test records are (user, item) pairs the model %s was trained on: "
			"a metric over them is not a test (split the same file the same way as for training)",
			src, hits, mp);
	return hits;
}

void rs_model_create(rs_model *m, const rs_model_ops *ops, const rs_hparams *hp,
		     const rs_dataset *d)
{
	memset(m, 0, sizeof *m);
	m->ops = ops;
	m->hp = *hp;
	m->click = d->click;
	rs_header_copy(&m->hdr, &d->hdr);
	declare(m);
	record_pairs(m, d);
	rs_params_alloc(&m->p);
	rs_rng rng;
	rs_rng_seed(&rng, hp->seed);
	ops->init(m, &rng);
}

void rs_model_free(rs_model *m)
{
	rs_params_free(&m->p);
	rs_pairset_free(&m->pairs);
	rs_header_free(&m->hdr);
	free(m->log);
	free(m->scratch);
	memset(m, 0, sizeof *m);
}

void rs_model_reserve(rs_model *m, int B)
{
	if (B <= m->scratch_B)
		return;
	free(m->scratch);
	/* activations serve as Bm of the dense products */
	m->scratch = rs_calloc(m->ops->scratch(m, B) + RS_GEMM_SLACK, sizeof *m->scratch);
	m->scratch_B = B;
}

void rs_model_predict(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
		      float *out, int prob)
{
	const int B = 4096;
	rs_model_reserve(m, B);
	for (size_t s = 0; s < n; s += B) {
		int b = n - s < (size_t)B ? (int)(n - s) : B;
		m->ops->forward(m, d, idx + s, b, out + s, NULL);
	}
	if (prob && (m->ops->caps & RS_CAP_MCMC))
		for (size_t i = 0; i < n; i++)
			out[i] = (float)(0.5 * erfc(-out[i] * M_SQRT1_2));
	else if (prob)
		for (size_t i = 0; i < n; i++)
			out[i] = sigmoidf_(out[i]);
	else if (m->ymax > m->ymin)
		for (size_t i = 0; i < n; i++)
			out[i] = out[i] < m->ymin ? m->ymin : out[i] > m->ymax ? m->ymax : out[i];
}

/* ---- the file ---- */

static void pack_num(msgpack_packer *pk, double v)
{
	if (isfinite(v))
		msgpack_pack_double(pk, v);
	else
		msgpack_pack_nil(pk);   /* a metric that does not apply */
}

static void kv_int(msgpack_packer *pk, const char *k, long long v)
{
	rs_pack_cstr(pk, k);
	msgpack_pack_int64(pk, v);
}

static void kv_num(msgpack_packer *pk, const char *k, double v)
{
	rs_pack_cstr(pk, k);
	msgpack_pack_double(pk, v);
}

void rs_model_save(const rs_model *m, const char *path)
{
	rs_out o;
	rs_out_open(&o, path);
	rs_model_write(m, &o);
}

void rs_model_write(const rs_model *m, rs_out *o)
{
	const rs_params *p = &m->p;
	for (size_t i = 0; i < p->size; i++)
		if (!isfinite(p->w[i]))
			rs_die("the trained model has a non-finite weight; nothing written (try a lower --lr)");
	msgpack_packer *pk = &o->pk;
	msgpack_pack_map(pk, 14);
	rs_pack_cstr(pk, "format");
	rs_pack_cstr(pk, RS_MODEL_FORMAT);
	kv_int(pk, "version", RS_MODEL_VERSION);
	rs_pack_cstr(pk, "kind");
	rs_pack_cstr(pk, m->ops->kind);
	rs_pack_cstr(pk, "task");
	rs_pack_cstr(pk, m->click ? "click" : "rating");
	rs_pack_cstr(pk, "hyper");
	rs_hparams_pack(pk, &m->hp, m->ops->caps);
	kv_num(pk, "mu", m->mu);
	kv_num(pk, "ymin", m->ymin);
	kv_num(pk, "ymax", m->ymax);
	rs_pack_cstr(pk, "header");
	rs_header_pack(pk, &m->hdr);
	int cols[RS_LOG_NCOLS], ncols = rs_log_select(rs_model_task(m), 1, cols);
	rs_pack_cstr(pk, "log_columns");
	msgpack_pack_array(pk, (size_t)ncols);
	for (int c = 0; c < ncols; c++)
		rs_pack_cstr(pk, rs_log_columns[cols[c]].name);
	rs_pack_cstr(pk, "log");
	msgpack_pack_array(pk, (size_t)m->nlog);
	for (int e = 0; e < m->nlog; e++) {
		msgpack_pack_array(pk, (size_t)ncols);
		msgpack_pack_int(pk, e + 1);   /* the epoch column comes first */
		for (int c = 1; c < ncols; c++)
			pack_num(pk, m->log[e].v[cols[c]]);
	}
	kv_int(pk, "best_epoch", m->best_epoch);
	rs_pack_cstr(pk, "train_pairs");
	msgpack_pack_map(pk, 3);
	kv_int(pk, "count", (long long)m->pairs.n);
	kv_int(pk, "bits", RS_PAIRSET_BITS);
	rs_pack_cstr(pk, "data");
	msgpack_pack_bin(pk, m->pairs.nbytes);
	msgpack_pack_bin_body(pk, m->pairs.bits, m->pairs.nbytes);
	rs_pack_cstr(pk, "tensors");
	msgpack_pack_array(pk, p->n);
	for (int t = 0; t < p->n; t++) {
		const rs_tensor *T = &p->t[t];
		msgpack_pack_map(pk, 3);
		rs_pack_cstr(pk, "name");
		rs_pack_cstr(pk, T->name);
		rs_pack_cstr(pk, "shape");
		msgpack_pack_array(pk, 2);
		msgpack_pack_uint32(pk, T->rows);
		msgpack_pack_uint32(pk, T->cols);
		rs_pack_cstr(pk, "data");
		size_t bytes = (size_t)T->rows * T->cols * sizeof(float);
		msgpack_pack_bin(pk, bytes);
		msgpack_pack_bin_body(pk, p->w + T->off, bytes);
	}
	rs_out_commit(o);
}

/* ---- loading ---- */

typedef struct loader {
	const char *path;
} loader;

static noreturn void bad(const loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static noreturn void bad(const loader *L, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rs_die("%s: bad model file: %s", L->path, msg);
}

static const msgpack_object *need(const loader *L, const msgpack_object *map, const char *key)
{
	const msgpack_object *v = rs_map_get(map, key);
	if (!v)
		bad(L, "no '%s'", key);
	return v;
}

static double get_num(const loader *L, const msgpack_object *map, const char *key)
{
	double v;
	if (rs_obj_num(need(L, map, key), &v) || !isfinite(v))
		bad(L, "'%s' is not a finite number", key);
	return v;
}

static long long get_int(const loader *L, const msgpack_object *map, const char *key,
			 long long lo, long long hi)
{
	int64_t v;
	if (rs_obj_i64(need(L, map, key), &v) || v < lo || v > hi)
		bad(L, "'%s' is not an integer in [%lld, %lld]", key, lo, hi);
	return v;
}

static double log_num(const msgpack_object *o)
{
	double v;
	return rs_obj_num(o, &v) ? NAN : v;
}

/* The file and its reader, released when loading ends or a caught error
 * stops it; the model itself is the caller's to free. */
typedef struct loading {
	int fd;
	rs_reader r;
} loading;

static void release_loading(void *p)
{
	loading *ld = p;
	if (ld->r.up.buffer)
		rs_reader_close(&ld->r);
	close(ld->fd);
}

void rs_model_load(rs_model *m, const char *path)
{
	memset(m, 0, sizeof *m);
	loader L = {path};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		rs_die("%s: %s", path, strerror(errno));
	loading ld = {.fd = fd};
	rs_reader *rp = &ld.r;
	rs_cleanup_push(release_loading, &ld);
	msgpack_object root;
	int got = rs_reader_start(rp, fd, path, &root);
	if (got)
		rs_die("%s: bad model file: %s", path, got > 0 ? "empty" : "truncated or not msgpack");
	const msgpack_object *fmt = root.type == MSGPACK_OBJECT_MAP ? rs_map_get(&root, "format") : NULL;
	if (rs_obj_is(fmt, RS_STREAM_FORMAT))
		rs_die("%s: this is an rs-stream, not a model (-m takes a trainer's output)", path);
	if (!rs_obj_is(fmt, RS_MODEL_FORMAT))
		rs_die("%s: not an rspipe model (no map with format \"rs-model\")", path);
	if (get_int(&L, &root, "version", 0, INT64_MAX) != RS_MODEL_VERSION)
		bad(&L, "version is not %d", RS_MODEL_VERSION);
	const msgpack_object *kind = need(&L, &root, "kind");
	char *k = rs_obj_strdup(kind);
	m->ops = k ? rs_model_kind(k) : NULL;
	free(k);
	if (!m->ops)
		bad(&L, "unknown model kind");
	const msgpack_object *task = need(&L, &root, "task");
	if (!rs_obj_is(task, "click") && !rs_obj_is(task, "rating"))
		bad(&L, "task is neither 'click' nor 'rating'");
	m->click = rs_obj_is(task, "click");
	char msg[400];
	if (rs_hparams_unpack(&m->hp, m->ops->caps, need(&L, &root, "hyper"), msg, sizeof msg))
		bad(&L, "%s", msg);
	m->mu = (float)get_num(&L, &root, "mu");
	m->ymin = (float)get_num(&L, &root, "ymin");
	m->ymax = (float)get_num(&L, &root, "ymax");
	if (rs_header_parse(&m->hdr, need(&L, &root, "header"), msg, sizeof msg))
		bad(&L, "header: %s", msg);
	if (!m->hdr.nfields)
		bad(&L, "header has no fields");
	declare(m);

	int cols[RS_LOG_NCOLS], ncols = rs_log_select(rs_model_task(m), 1, cols);
	const msgpack_object *names = need(&L, &root, "log_columns");
	int same = names->type == MSGPACK_OBJECT_ARRAY && names->via.array.size == (uint32_t)ncols;
	for (int c = 0; same && c < ncols; c++)
		same = rs_obj_is(&names->via.array.ptr[c], rs_log_columns[cols[c]].name);
	if (!same)
		bad(&L, "'log_columns' are not those of a %s model", m->click ? "click" : "rating");
	const msgpack_object *log = need(&L, &root, "log");
	if (log->type != MSGPACK_OBJECT_ARRAY)
		bad(&L, "'log' is not an array");
	m->nlog = (int)log->via.array.size;
	m->log = rs_calloc(m->nlog, sizeof *m->log);
	for (int e = 0; e < m->nlog; e++) {
		const msgpack_object *row = &log->via.array.ptr[e];
		if (row->type != MSGPACK_OBJECT_ARRAY || row->via.array.size != (uint32_t)ncols)
			bad(&L, "log row %d has the wrong length", e);
		uint64_t epoch;
		if (rs_obj_u64(&row->via.array.ptr[0], &epoch) || epoch != (uint64_t)e + 1)
			bad(&L, "log row %d is not epoch %d", e, e + 1);
		for (int c = 0; c < RS_LOG_NCOLS; c++)
			m->log[e].v[c] = NAN;
		for (int c = 0; c < ncols; c++)
			m->log[e].v[cols[c]] = log_num(&row->via.array.ptr[c]);
		m->log[e].v[RS_LOG_EPOCH] = e + 1;
	}
	m->best_epoch = (int)get_int(&L, &root, "best_epoch", 0, m->nlog);
	const msgpack_object *tp = need(&L, &root, "train_pairs"), *tpd = need(&L, tp, "data");
	get_int(&L, tp, "bits", RS_PAIRSET_BITS, RS_PAIRSET_BITS);
	if (tpd->type != MSGPACK_OBJECT_BIN)
		bad(&L, "'train_pairs' data is not bin");
	/* bounded by the bytes that back it: a gap takes more than a bit */
	m->pairs.n = (uint64_t)get_int(&L, tp, "count", 0, 8 * (long long)tpd->via.bin.size);
	m->pairs.nbytes = tpd->via.bin.size;
	m->pairs.bits = rs_malloc(m->pairs.nbytes + 1);
	memcpy(m->pairs.bits, tpd->via.bin.ptr, m->pairs.nbytes);
	if (rs_pairset_check(&m->pairs))
		bad(&L, "'train_pairs' does not hold %llu coded pairs", (unsigned long long)m->pairs.n);

	/* every tensor checked against the layout before the block is allocated:
	 * its size then comes from bytes the file holds, not from its header */
	const msgpack_object *ts = need(&L, &root, "tensors");
	if (ts->type != MSGPACK_OBJECT_ARRAY || ts->via.array.size != (uint32_t)m->p.n)
		bad(&L, "expected %d tensors for a %s model", m->p.n, m->ops->kind);
	for (int t = 0; t < m->p.n; t++) {
		const rs_tensor *T = &m->p.t[t];
		const msgpack_object *e = &ts->via.array.ptr[t];
		const msgpack_object *shape = need(&L, e, "shape"), *data = need(&L, e, "data");
		uint64_t rows, cols;
		if (!rs_obj_is(need(&L, e, "name"), T->name))
			bad(&L, "tensor %d is not '%s'", t, T->name);
		if (shape->type != MSGPACK_OBJECT_ARRAY || shape->via.array.size != 2 ||
		    rs_obj_u64(&shape->via.array.ptr[0], &rows) ||
		    rs_obj_u64(&shape->via.array.ptr[1], &cols) || rows != T->rows || cols != T->cols)
			bad(&L, "tensor '%s' should have shape (%u, %u)", T->name, T->rows, T->cols);
		size_t bytes = (size_t)T->rows * T->cols * sizeof(float);
		if (data->type != MSGPACK_OBJECT_BIN || data->via.bin.size != bytes)
			bad(&L, "tensor '%s' should hold %zu bytes", T->name, bytes);
	}
	rs_params_alloc(&m->p);
	for (int t = 0; t < m->p.n; t++) {
		const rs_tensor *T = &m->p.t[t];
		memcpy(m->p.w + T->off, rs_map_get(&ts->via.array.ptr[t], "data")->via.bin.ptr,
		       (size_t)T->rows * T->cols * sizeof(float));
	}
	for (size_t i = 0; i < m->p.size; i++)
		if (!isfinite(m->p.w[i]))
			bad(&L, "a weight is not finite");
	if (rs_reader_expect_end(rp))
		bad(&L, "unexpected data after the model");
	rs_cleanup_pop();
	release_loading(&ld);
}

void rs_model_check_target(const rs_model *m, const rs_dataset *d, const char *mp)
{
	if (d->click != m->click)
		rs_die("%s:header: the stream's target is '%s', the model %s predicts '%s'",
		       d->src, d->hdr.target, mp, m->click ? "click" : "rating");
}

void rs_model_read_data(const rs_model *m, const char *mp, rs_reader *in, rs_dataset *d)
{
	rs_dataset_read(d, in);
	rs_model_check_target(m, d, mp);
	rs_model_map_ids(m, d, mp);
}

/* The fields of the stream and the model, in order: the same names, and
 * the same sizes but for the fields of ids (user, item, history), which
 * follow each side's id table. */
static void check_fields(const rs_model *m, const rs_dataset *d, const char *mp)
{
	const rs_header *a = &d->hdr, *b = &m->hdr;
	for (int f = 0; f < a->nfields || f < b->nfields; f++) {
		const rs_field *x = f < a->nfields ? &a->fields[f] : NULL;
		const rs_field *y = f < b->nfields ? &b->fields[f] : NULL;
		int ids = x && (!strcmp(x->name, "user") || !strcmp(x->name, "item") ||
				!strcmp(x->name, "history") || !strcmp(x->name, "implicit") ||
				!strcmp(x->name, "raters"));
		if (!x || !y || strcmp(x->name, y->name) || (!ids && x->size != y->size))
			rs_die("%s:header: field %d is %s%s (size %u) in the stream, %s%s (size %u) in the model %s",
			       d->src, f + 1, x ? "" : "absent", x ? x->name : "", x ? x->size : 0,
			       y ? "" : "absent", y ? y->name : "", y ? y->size : 0, mp);
	}
}

static int same_ids(const rs_header *a, const rs_header *b)
{
	return a->nusers == b->nusers && a->nitems == b->nitems &&
	       !memcmp(a->user_ids, b->user_ids, a->nusers * sizeof *a->user_ids) &&
	       !memcmp(a->item_ids, b->item_ids, a->nitems * sizeof *a->item_ids);
}

/* map[i]: the model's dense id of the stream's id i, RS_NONE if unseen */
static uint32_t *id_map(const int64_t *from, uint32_t n, const int64_t *to, uint32_t nto,
			size_t *unseen)
{
	rs_idmap ids;
	rs_idmap_from(&ids, to, nto);
	uint32_t *map = rs_malloc(((size_t)n + 1) * sizeof *map);
	for (uint32_t i = 0; i < n; i++)
		*unseen += (map[i] = rs_idmap_find(&ids, from[i])) == RS_NONE;
	rs_idmap_free(&ids);
	return map;
}

void rs_id_map_init(rs_id_map *im, const rs_model *m, const rs_dataset *d, const char *mp)
{
	check_fields(m, d, mp);
	memset(im, 0, sizeof *im);
	im->from = &d->hdr;
	im->to = &m->hdr;
	if (same_ids(im->from, im->to))
		return;
	im->user = id_map(im->from->user_ids, im->from->nusers, im->to->user_ids, im->to->nusers,
			  &im->new_users);
	im->item = id_map(im->from->item_ids, im->from->nitems, im->to->item_ids, im->to->nitems,
			  &im->new_items);
}

void rs_id_map_free(rs_id_map *im)
{
	free(im->user);
	free(im->item);
	memset(im, 0, sizeof *im);
}

int rs_id_map_record(const rs_id_map *im, rs_dataset *d, size_t r, size_t *o)
{
	if (!im->user) {   /* the same ids: nothing moves */
		*o = d->xoff[r + 1];
		return 0;
	}
	const rs_header *a = im->from, *b = im->to;
	/* each feature to the model's layout; one of an unseen id is left out,
	 * as rs-predict --cold leaves it */
	size_t j = d->xoff[r], end = d->xoff[r + 1], first = *o;
	int f = 0;
	d->xoff[r] = *o;
	for (; j < end; j++) {
		while (d->x[j] >= a->fields[f].offset + a->fields[f].size)
			f++;
		uint32_t v = d->x[j] - a->fields[f].offset;
		const char *name = a->fields[f].name;
		if (!strcmp(name, "user") || !strcmp(name, "raters"))
			v = im->user[v];
		else if (!strcmp(name, "item") || !strcmp(name, "history") || !strcmp(name, "implicit"))
			v = im->item[v];
		if (v == RS_NONE)
			continue;
		float xv = d->xv ? d->xv[j] : 1.0f;
		size_t q = (*o)++;   /* a history field's items may leave their order */
		for (; q > first && d->x[q - 1] > b->fields[f].offset + v; q--) {
			d->x[q] = d->x[q - 1];
			if (d->xv)
				d->xv[q] = d->xv[q - 1];
		}
		d->x[q] = b->fields[f].offset + v;
		if (d->xv)
			d->xv[q] = xv;
	}
	d->user[r] = im->user[d->user[r]];
	d->item[r] = im->item[d->item[r]];
	return d->user[r] == RS_NONE || d->item[r] == RS_NONE;
}

void rs_id_map_warn(const rs_id_map *im, const char *src, size_t records, const char *mp)
{
	if (records)
		rs_warn("%s: %zu records have a user or item that the model %s never saw (%zu new users, %zu new items): "
			"scored from what it knows of the other side, and left out of a ranking",
			src, records, mp, im->new_users, im->new_items);
}

void rs_model_map_ids(const rs_model *m, rs_dataset *d, const char *mp)
{
	rs_id_map im;
	rs_id_map_init(&im, m, d, mp);
	if (im.user) {
		size_t records = 0, o = 0;
		for (size_t r = 0; r < d->n; r++)
			records += rs_id_map_record(&im, d, r, &o);
		d->xoff[d->n] = d->nnz = o;
		/* the model's ids and layout from here on: every id of d is one
		 * of them, or RS_NONE */
		rs_header *a = &d->hdr;
		rs_header t;
		rs_header_copy(&t, &m->hdr);
		free(a->user_ids);
		free(a->item_ids);
		for (int f = 0; f < a->nfields; f++)
			free(a->fields[f].name);
		free(a->fields);
		a->nusers = t.nusers, a->user_ids = t.user_ids, t.user_ids = NULL;
		a->nitems = t.nitems, a->item_ids = t.item_ids, t.item_ids = NULL;
		a->nfields = t.nfields, a->fields = t.fields, t.fields = NULL, t.nfields = 0;
		rs_header_free(&t);
		d->nfeatures = rs_header_nfeatures(a);
		rs_id_map_warn(&im, d->src, records, mp);
	}
	rs_id_map_free(&im);
}
