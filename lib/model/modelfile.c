/* modelfile.c: the model file (docs/model.md): written from a model,
 * loaded and validated into one. */
#include "modelfile.h"
#include "cli.h"
#include "kinds.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "tensors are stored as little-endian float32 by a plain copy");

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
	rs_pack_cstr(pk, rs_model_task_name(m));
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
	if (got > 0)
		rs_die("%s: bad model file: empty", path);
	if (got < 0 && !ld.r.why[0])
		rs_die("%s", ld.r.err);   /* not opened: a directory, no memory */
	if (got < 0)
		rs_die("%s: bad model file: %s", path, ld.r.why);
	const msgpack_object *fmt = root.type == MSGPACK_OBJECT_MAP ? rs_map_get(&root, "format") : NULL;
	if (rs_obj_is(fmt, RS_STREAM_FORMAT))
		rs_die("%s: this is an rs-stream, not a model (-m takes a trainer's output)", path);
	if (!rs_obj_is(fmt, RS_MODEL_FORMAT))
		rs_die("%s: not an rspipe model (no map with format \"rs-model\")", path);
	long long version = get_int(&L, &root, "version", 0, INT64_MAX);
	if (version != RS_MODEL_VERSION)
		bad(&L, "version %lld is not supported (this build reads version %d)", version,
		    RS_MODEL_VERSION);
	const msgpack_object *kind = need(&L, &root, "kind");
	char *k = rs_obj_strdup(kind);
	m->ops = k ? rs_model_kind(k) : NULL;
	free(k);
	if (!m->ops)
		bad(&L, "unknown model kind");
	const msgpack_object *task = need(&L, &root, "task");
	if (!rs_obj_is(task, RS_TARGET_CLICK) && !rs_obj_is(task, RS_TARGET_RATING) &&
	    !rs_obj_is(task, RS_MODEL_TASK_RANKING))
		bad(&L, "task is neither 'click', 'rating' nor 'ranking'");
	/* a ranking model's scores are compared, never made probabilities */
	m->click = rs_obj_is(task, RS_TARGET_CLICK);
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
	rs_model_declare(m);

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

