/* stream.c: reading and writing rs-streams on msgpack-c. */
#include "stream.h"
#include "cli.h"
#include "input.h"
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define READ_CHUNK (64 * 1024)

/* ---- values ---- */

int rs_obj_u64(const msgpack_object *o, uint64_t *v)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return -1;
	*v = o->via.u64;
	return 0;
}

int rs_obj_i64(const msgpack_object *o, int64_t *v)
{
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
		return 0;
	}
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
		*v = (int64_t)o->via.u64;
		return 0;
	}
	return -1;
}

int rs_obj_num(const msgpack_object *o, double *v)
{
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER: *v = (double)o->via.u64; return 0;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: *v = (double)o->via.i64; return 0;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: *v = o->via.f64; return 0;
	default: return -1;
	}
}

const msgpack_object *rs_map_get(const msgpack_object *map, const char *key)
{
	if (map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	size_t n = strlen(key);
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;
		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
		    !memcmp(k->via.str.ptr, key, n))
			return &map->via.map.ptr[i].val;
	}
	return NULL;
}

int rs_obj_is(const msgpack_object *o, const char *s)
{
	return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
	       !memcmp(o->via.str.ptr, s, o->via.str.size);
}

char *rs_obj_strdup(const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_STR)
		return NULL;
	if (memchr(o->via.str.ptr, 0, o->via.str.size))
		return NULL;   /* an embedded NUL would silently truncate the name */
	return rs_strndup(o->via.str.ptr, o->via.str.size);
}

void rs_pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* ---- header ---- */

void rs_header_free(rs_header *h)
{
	for (int i = 0; i < h->ncol; i++)
		free(h->columns[i]);
	for (int i = 0; i < h->nfields; i++)
		free(h->fields[i].name);
	for (int i = 0; i < h->nhistory; i++)
		free(h->history[i]);
	free(h->columns);
	free(h->fields);
	free(h->history);
	free(h->target);
	free(h->user_ids);
	free(h->item_ids);
	memset(h, 0, sizeof *h);
}

int rs_header_col(const rs_header *h, const char *name)
{
	for (int i = 0; i < h->ncol; i++)
		if (!strcmp(h->columns[i], name))
			return i;
	return -1;
}

int rs_header_add_column(rs_header *h, const char *name)
{
	h->columns = rs_reallocarray(h->columns, h->ncol + 1, sizeof *h->columns);
	h->columns[h->ncol] = rs_strdup(name);
	return h->ncol++;
}

void rs_header_add_history(rs_header *h, const char *line)
{
	h->history = rs_reallocarray(h->history, h->nhistory + 1, sizeof *h->history);
	h->history[h->nhistory++] = rs_strdup(line);
}

static uint32_t field_cap(const rs_header *h)
{
	uint32_t c = h->nusers > h->nitems ? h->nusers : h->nitems;
	return c > RS_MIN_FIELD_CAP ? c : RS_MIN_FIELD_CAP;
}

void rs_header_add_field(rs_header *h, const char *name, uint32_t size)
{
	if (h->nfields == RS_MAX_FIELDS || size > field_cap(h))
		rs_die("field '%s' of %u features breaks the limits (at most %d fields of at most %u features)",
		       name, size, RS_MAX_FIELDS, field_cap(h));
	uint32_t off = rs_header_nfeatures(h);
	h->fields = rs_reallocarray(h->fields, h->nfields + 1, sizeof *h->fields);
	h->fields[h->nfields++] = (rs_field){rs_strdup(name), off, size, 0};
}

void rs_header_set_target(rs_header *h, const char *target)
{
	free(h->target);
	h->target = rs_strdup(target);
}

uint32_t rs_header_nfeatures(const rs_header *h)
{
	if (!h->nfields)
		return 0;
	const rs_field *f = &h->fields[h->nfields - 1];
	return f->offset + f->size;
}

static char **copy_strs(char **src, int n)
{
	char **d = rs_calloc(n, sizeof *d);
	for (int i = 0; i < n; i++)
		d[i] = rs_strdup(src[i]);
	return d;
}

static int64_t *copy_ids(const int64_t *src, uint32_t n)
{
	int64_t *d = rs_malloc((size_t)n * sizeof *d);
	if (n)
		memcpy(d, src, (size_t)n * sizeof *d);
	return d;
}

void rs_header_copy(rs_header *d, const rs_header *s)
{
	memset(d, 0, sizeof *d);
	d->columns = copy_strs(s->columns, s->ncol);
	d->ncol = s->ncol;
	d->target = s->target ? rs_strdup(s->target) : NULL;
	d->nusers = s->nusers;
	d->nitems = s->nitems;
	d->user_ids = copy_ids(s->user_ids, s->nusers);
	d->item_ids = copy_ids(s->item_ids, s->nitems);
	d->fields = rs_calloc(s->nfields, sizeof *d->fields);
	for (int i = 0; i < s->nfields; i++)
		d->fields[i] = (rs_field){rs_strdup(s->fields[i].name), s->fields[i].offset,
					  s->fields[i].size, s->fields[i].window};
	d->nfields = s->nfields;
	d->history = copy_strs(s->history, s->nhistory);
	d->nhistory = s->nhistory;
}

static void pack_strs(msgpack_packer *pk, char **s, int n)
{
	msgpack_pack_array(pk, n);
	for (int i = 0; i < n; i++)
		rs_pack_cstr(pk, s[i]);
}

static void pack_ids(msgpack_packer *pk, uint32_t n, const int64_t *ids)
{
	msgpack_pack_map(pk, 2);
	rs_pack_cstr(pk, "count");
	msgpack_pack_uint32(pk, n);
	rs_pack_cstr(pk, "ids");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, ids[i]);
}

void rs_header_pack(msgpack_packer *pk, const rs_header *h)
{
	msgpack_pack_map(pk, 8);
	rs_pack_cstr(pk, "format");
	rs_pack_cstr(pk, RS_STREAM_FORMAT);
	rs_pack_cstr(pk, "version");
	msgpack_pack_int(pk, RS_STREAM_VERSION);
	rs_pack_cstr(pk, "columns");
	pack_strs(pk, h->columns, h->ncol);
	rs_pack_cstr(pk, "target");
	rs_pack_cstr(pk, h->target ? h->target : "rating");
	rs_pack_cstr(pk, "users");
	pack_ids(pk, h->nusers, h->user_ids);
	rs_pack_cstr(pk, "items");
	pack_ids(pk, h->nitems, h->item_ids);
	rs_pack_cstr(pk, "fields");
	msgpack_pack_array(pk, h->nfields);
	for (int i = 0; i < h->nfields; i++) {
		msgpack_pack_map(pk, 3 + (h->fields[i].window > 0));
		rs_pack_cstr(pk, "name");
		rs_pack_cstr(pk, h->fields[i].name);
		rs_pack_cstr(pk, "offset");
		msgpack_pack_uint32(pk, h->fields[i].offset);
		rs_pack_cstr(pk, "size");
		msgpack_pack_uint32(pk, h->fields[i].size);
		if (h->fields[i].window) {
			rs_pack_cstr(pk, "window");
			msgpack_pack_uint32(pk, h->fields[i].window);
		}
	}
	rs_pack_cstr(pk, "history");
	pack_strs(pk, h->history, h->nhistory);
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int parse_strs(const msgpack_object *o, const char *key, char ***out, int *n,
		      char *err, size_t errlen)
{
	if (!o || o->type != MSGPACK_OBJECT_ARRAY)
		FAIL("header key '%s' is missing or not an array", key);
	*out = rs_calloc(o->via.array.size, sizeof **out);
	*n = 0;
	for (uint32_t i = 0; i < o->via.array.size; i++) {
		char *s = rs_obj_strdup(&o->via.array.ptr[i]);
		if (!s)
			FAIL("header key '%s': entry %u is not a string", key, i);
		(*out)[(*n)++] = s;
	}
	return 0;
}

static int parse_ids(const msgpack_object *o, const char *key, uint32_t *n, int64_t **ids,
		     char *err, size_t errlen)
{
	const msgpack_object *c = o ? rs_map_get(o, "count") : NULL;
	const msgpack_object *a = o ? rs_map_get(o, "ids") : NULL;
	uint64_t cnt;
	if (!c || rs_obj_u64(c, &cnt) || cnt > UINT32_MAX)
		FAIL("header key '%s.count' is missing or not a count", key);
	if (!a || a->type != MSGPACK_OBJECT_ARRAY || a->via.array.size != cnt)
		FAIL("header key '%s.ids' is missing or does not hold %s.count ids", key, key);
	*n = (uint32_t)cnt;
	*ids = rs_malloc((size_t)cnt * sizeof **ids);
	for (uint32_t i = 0; i < cnt; i++)
		if (rs_obj_i64(&a->via.array.ptr[i], &(*ids)[i]))
			FAIL("header key '%s.ids': entry %u is not an integer", key, i);
	return 0;
}

int rs_header_parse(rs_header *h, const msgpack_object *o, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	const msgpack_object *fmt = rs_map_get(o, "format");
	if (rs_obj_is(fmt, RS_MODEL_FORMAT))
		FAIL("this is a model file, not a stream (models go to rs-eval -m)");
	if (!rs_obj_is(fmt, RS_STREAM_FORMAT))
		FAIL("not an rs-stream (no header map with format \"rs-stream\"; ratings text goes through ml-split first)");
	uint64_t ver;
	const msgpack_object *v = rs_map_get(o, "version");
	if (!v || rs_obj_u64(v, &ver))
		FAIL("header has no version");
	if (ver != RS_STREAM_VERSION)
		FAIL("stream version %llu is not supported (this tool reads version %d)",
		     (unsigned long long)ver, RS_STREAM_VERSION);
	if (parse_strs(rs_map_get(o, "columns"), "columns", &h->columns, &h->ncol, err, errlen))
		return -1;
	for (int i = 0; i < h->ncol; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(h->columns[i], h->columns[j]))
				FAIL("header names column '%s' twice", h->columns[i]);
	const msgpack_object *t = rs_map_get(o, "target");
	if (!t || !(h->target = rs_obj_strdup(t)))
		FAIL("header key 'target' is missing or not a string");
	if (parse_ids(rs_map_get(o, "users"), "users", &h->nusers, &h->user_ids, err, errlen) ||
	    parse_ids(rs_map_get(o, "items"), "items", &h->nitems, &h->item_ids, err, errlen))
		return -1;
	const msgpack_object *f = rs_map_get(o, "fields");
	if (f) {
		if (f->type != MSGPACK_OBJECT_ARRAY)
			FAIL("header key 'fields' is not an array");
		if (f->via.array.size > RS_MAX_FIELDS)
			FAIL("header has %u fields, more than %d", f->via.array.size, RS_MAX_FIELDS);
		h->fields = rs_calloc(f->via.array.size, sizeof *h->fields);
		uint64_t next = 0;
		for (uint32_t i = 0; i < f->via.array.size; i++) {
			const msgpack_object *e = &f->via.array.ptr[i];
			const msgpack_object *nm = rs_map_get(e, "name");
			const msgpack_object *of = rs_map_get(e, "offset");
			const msgpack_object *sz = rs_map_get(e, "size");
			const msgpack_object *wn = rs_map_get(e, "window");
			uint64_t off, size, window = 0;
			char *name = nm ? rs_obj_strdup(nm) : NULL;
			if (!name || !of || !sz || rs_obj_u64(of, &off) || rs_obj_u64(sz, &size)) {
				free(name);
				FAIL("header field %u lacks name, offset or size", i);
			}
			h->fields[h->nfields++] = (rs_field){name, (uint32_t)off, (uint32_t)size, 0};
			if (wn && (rs_obj_u64(wn, &window) || window == 0 || window > RS_MAX_WINDOW))
				FAIL("header field '%s' has a window that is not in [1, %d]", name,
				     RS_MAX_WINDOW);
			h->fields[h->nfields - 1].window = (uint32_t)window;
			/* fields tile the feature space in order: x stays sorted */
			if (off != next)
				FAIL("header field '%s' has offset %llu, expected %llu", name,
				     (unsigned long long)off, (unsigned long long)next);
			if (size == 0 || size > field_cap(h))
				FAIL("header field '%s' has size %llu, not in [1, %u] (a field holds at most the larger of users.count, items.count and %d features)",
				     name, (unsigned long long)size, field_cap(h), RS_MIN_FIELD_CAP);
			next = off + size;
		}
	}
	const msgpack_object *hi = rs_map_get(o, "history");
	if (hi && parse_strs(hi, "history", &h->history, &h->nhistory, err, errlen))
		return -1;
	return 0;
}

#undef FAIL

/* ---- reader ---- */

static void fail(rs_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(rs_reader *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(r->why, sizeof r->why, "%s", msg);
	if (r->recno)
		snprintf(r->err, sizeof r->err, "%s:record %llu: %s", r->name,
			 (unsigned long long)r->recno, msg);
	else
		snprintf(r->err, sizeof r->err, "%s:header: %s", r->name, msg);
}

void rs_reader_die(const rs_reader *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rs_die("%s:record %llu: %s", r->name, (unsigned long long)r->recno, msg);
}

/* msgpack-c allocates a container's claimed element count the moment it
 * reads the container's first byte: five bytes can ask for 64 GiB. So the
 * reader first frames each object: it walks the object's type bytes (no
 * values are decoded; msgpack-c still does all the parsing) until every
 * claimed element has arrived. An object reaches msgpack-c only whole, so
 * every allocation it makes is backed by bytes of the input. The walk
 * resumes where it stopped when more bytes arrive. */

/* What a type byte says: a value of a fixed total size, a container of
 * a fixed number of values, or a length of 1, 2 or 4 bytes to read. */
enum { T_BAD, T_SIZE, T_FIXCONT, T_BLOB, T_CONT };
typedef struct { unsigned char kind, n, extra; } type_info;
static type_info types[256];
/* The fast path of the walk: the whole size of a value whose type byte
 * gives it (every scalar, strings up to 31 bytes), else 0. */
static unsigned char sizes_of[256];

static void init_types(void)
{
	for (int c = 0; c < 256; c++) {
		type_info *t = &types[c];
		if (c <= 0x7f || c >= 0xe0 || (c >= 0xc2 && c <= 0xc3) || c == 0xc0)
			*t = (type_info){T_SIZE, 1, 0};
		else if (c <= 0x8f)
			*t = (type_info){T_FIXCONT, (unsigned char)(2 * (c & 0x0f)), 0};
		else if (c <= 0x9f)
			*t = (type_info){T_FIXCONT, (unsigned char)(c & 0x0f), 0};
		else if (c <= 0xbf)
			*t = (type_info){T_SIZE, (unsigned char)(1 + (c & 0x1f)), 0};
	}
	static const unsigned char sizes[][2] = {
		{0xca, 5}, {0xcb, 9}, {0xcc, 2}, {0xcd, 3}, {0xce, 5}, {0xcf, 9},
		{0xd0, 2}, {0xd1, 3}, {0xd2, 5}, {0xd3, 9},
		{0xd4, 3}, {0xd5, 4}, {0xd6, 6}, {0xd7, 10}, {0xd8, 18},   /* fixext */
	};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		types[sizes[i][0]] = (type_info){T_SIZE, sizes[i][1], 0};
	/* bin, ext (one more byte: its type) and str with 1, 2, 4 length bytes */
	static const unsigned char blobs[][3] = {
		{0xc4, 1, 0}, {0xc5, 2, 0}, {0xc6, 4, 0}, {0xc7, 1, 1}, {0xc8, 2, 1},
		{0xc9, 4, 1}, {0xd9, 1, 0}, {0xda, 2, 0}, {0xdb, 4, 0},
	};
	for (size_t i = 0; i < sizeof blobs / sizeof *blobs; i++)
		types[blobs[i][0]] = (type_info){T_BLOB, blobs[i][1], blobs[i][2]};
	/* array 16/32, map 16/32 (extra 1: two values an entry) */
	types[0xdc] = (type_info){T_CONT, 2, 0};
	types[0xdd] = (type_info){T_CONT, 4, 0};
	types[0xde] = (type_info){T_CONT, 2, 1};
	types[0xdf] = (type_info){T_CONT, 4, 1};
	for (int c = 0; c < 256; c++)
		sizes_of[c] = types[c].kind == T_SIZE ? types[c].n : 0;
}

/* Advance the frame over the buffered bytes: 1 when the object is whole,
 * 0 when more bytes are needed, -1 on a byte msgpack never uses (0xc1).
 * frame_off may run past the buffered bytes: the rest of a payload. */
static int frame(rs_reader *r)
{
	const unsigned char *buf = (const unsigned char *)r->up.buffer + r->up.off;
	size_t avail = r->up.used - r->up.off, off = r->frame_off;
	uint64_t pending = r->frame_pending;
	int whole = 0;
	for (;;) {
		if (!pending) {
			whole = off <= avail;
			break;
		}
		if (off >= avail)
			break;
		unsigned size = sizes_of[buf[off]];
		if (size) {
			off += size;
			pending--;
			continue;
		}
		const type_info *t = &types[buf[off]];
		if (t->kind == T_FIXCONT) {
			off++;
			pending += (uint64_t)t->n - 1;
		} else if (t->kind == T_BAD) {
			return -1;
		} else {
			if (off + 1 + t->n > avail)
				break;   /* the length itself has not arrived */
			uint64_t n = 0;
			for (int i = 1; i <= t->n; i++)
				n = n << 8 | buf[off + i];
			off += 1 + (size_t)t->n;
			if (t->kind == T_BLOB)
				off += (size_t)n + t->extra;
			else
				pending += (n << t->extra);
			pending--;
		}
	}
	r->frame_off = off;
	r->frame_pending = pending;
	return whole;
}

/* The next msgpack object: 1, 0 at a clean end, -1 on error (r->err set). */
static int next_object(rs_reader *r, msgpack_object *obj)
{
	if (r->holding) {
		/* Clearing the zone per record keeps memory flat over any length. */
		if (r->up.z)
			msgpack_unpacker_reset_zone(&r->up);
		msgpack_unpacker_reset(&r->up);
		r->holding = 0;
	}
	r->frame_off = 0;
	r->frame_pending = 1;
	for (;;) {
		int whole = r->up.used > r->up.off ? frame(r) : 0;
		if (whole < 0) {
			fail(r, "not valid msgpack");
			return -1;
		}
		if (whole) {
			int ret = msgpack_unpacker_execute(&r->up);
			if (ret > 0) {
				*obj = msgpack_unpacker_data(&r->up);
				r->holding = 1;
				return 1;
			}
			fail(r, ret == MSGPACK_UNPACK_NOMEM_ERROR ? "msgpack object too large for memory"
								  : "not valid msgpack");
			return -1;
		}
		if (!msgpack_unpacker_reserve_buffer(&r->up, READ_CHUNK)) {
			fail(r, "out of memory");
			return -1;
		}
		size_t cap = msgpack_unpacker_buffer_capacity(&r->up);
		int n = gzread(r->gz, msgpack_unpacker_buffer(&r->up), cap > INT_MAX ? INT_MAX : (unsigned)cap);
		int zerr = Z_OK;
		const char *zmsg = n <= 0 ? gzerror(r->gz, &zerr) : "";
		if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
			if (zerr == Z_ERRNO)
				fail(r, "read error: %s", strerror(errno));
			else
				fail(r, "gzip input: %s", zerr == Z_BUF_ERROR ? "truncated" : zmsg);
			return -1;
		}
		if (n == 0) {
			if (r->up.used > r->up.off) {
				fail(r, "truncated input (stream ends inside a %s)",
				     r->recno ? "record" : "header");
				return -1;
			}
			return 0;
		}
		msgpack_unpacker_buffer_consumed(&r->up, (size_t)n);
	}
}

int rs_reader_start(rs_reader *r, int fd, const char *name, msgpack_object *first)
{
	memset(r, 0, sizeof *r);
	if (types[0].kind == T_BAD)
		init_types();
	r->fd = fd;
	r->name = name;
	if (!msgpack_unpacker_init(&r->up, READ_CHUNK)) {
		snprintf(r->err, sizeof r->err, "%s: out of memory", name);
		return -1;
	}
	/* a directory opens, and would read as a broken stream */
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(r->err, sizeof r->err, "%s: %s", name, strerror(EISDIR));
		return -1;
	}
	int own = dup(fd);
	if (own < 0 || !(r->gz = gzdopen(own, "rb"))) {
		snprintf(r->err, sizeof r->err, "%s: %s", name, own < 0 ? strerror(errno) : "out of memory");
		if (own >= 0)
			close(own);
		return -1;
	}
	gzbuffer(r->gz, READ_CHUNK);
	int got = next_object(r, first);
	if (got == 0)
		snprintf(r->err, sizeof r->err, "%s: empty input (no stream header)", name);
	return got == 1 ? 0 : got == 0 ? 1 : -1;
}

int rs_reader_expect_end(rs_reader *r)
{
	msgpack_object o;
	int got = next_object(r, &o);
	if (got > 0)
		fail(r, "unexpected data after the first object");
	return got == 0 ? 0 : -1;
}

int rs_reader_open(rs_reader *r, int fd, const char *name)
{
	msgpack_object o;
	if (rs_reader_start(r, fd, name, &o))
		return -1;
	return rs_reader_header(r, &o);
}

int rs_reader_header(rs_reader *r, const msgpack_object *first)
{
	msgpack_object o = *first;
	char msg[400];
	if (o.type != MSGPACK_OBJECT_MAP) {
		fail(r, "not an rs-stream (first object is not a header map; ratings text goes through ml-split first)");
		return -1;
	}
	if (rs_header_parse(&r->hdr, &o, msg, sizeof msg)) {
		fail(r, "%s", msg);
		return -1;
	}
	return 0;
}

const msgpack_object *rs_reader_next(rs_reader *r)
{
	msgpack_object o;
	r->recno++;
	int got = next_object(r, &o);
	if (got < 0)
		rs_die("%s", r->err);   /* the error belongs to the record being read */
	if (got == 0) {
		r->recno--;
		return NULL;
	}
	if (o.type != MSGPACK_OBJECT_ARRAY)
		rs_reader_die(r, "record is not an array");
	if (o.via.array.size != (uint32_t)r->hdr.ncol)
		rs_reader_die(r, "record has %u values, the header names %d columns",
			      o.via.array.size, r->hdr.ncol);
	return o.via.array.ptr;
}

void rs_reader_close(rs_reader *r)
{
	if (r->gz)
		gzclose_r(r->gz);
	r->gz = NULL;
	msgpack_unpacker_destroy(&r->up);
	rs_header_free(&r->hdr);
}

void rs_reader_open_operand(rs_reader *r, const char *path)
{
	int fd = rs_operand_open(path);
	int bad = rs_reader_open(r, fd, rs_operand_name(path));
	if (fd)
		close(fd);   /* the reader reads its own copy */
	if (bad)
		rs_die("%s", r->err);
}

int rs_reader_need(const rs_reader *r, const char *column)
{
	int c = rs_header_col(&r->hdr, column);
	if (c < 0)
		rs_die("%s:header: the stream has no '%s' column", r->name, column);
	return c;
}

uint32_t rs_rec_id(const rs_reader *r, const msgpack_object *rec, int col, uint64_t limit)
{
	uint64_t v;
	if (rs_obj_u64(&rec[col], &v))
		rs_reader_die(r, "column '%s' is not a non-negative integer", r->hdr.columns[col]);
	if (v >= limit)
		rs_reader_die(r, "column '%s': %llu is out of range [0, %llu)", r->hdr.columns[col],
			      (unsigned long long)v, (unsigned long long)limit);
	return (uint32_t)v;
}

double rs_rec_num(const rs_reader *r, const msgpack_object *rec, int col)
{
	double v;
	if (rs_obj_num(&rec[col], &v))
		rs_reader_die(r, "column '%s' is not a number", r->hdr.columns[col]);
	if (!isfinite(v))
		rs_reader_die(r, "column '%s' is not finite", r->hdr.columns[col]);
	return v;
}
