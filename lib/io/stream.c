/* stream.c: the stream reader: msgpack objects framed off a (gzip or plain)
 * input, the header checked, records handed out one at a time. */
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
