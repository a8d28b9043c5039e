/* stream.h: the rs-stream wire format (docs/stream.md).
 * Object 0 is a header map; every later object is a record, an array whose
 * positions are named by the header's "columns". */
#ifndef RS_STREAM_H
#define RS_STREAM_H

#include <msgpack.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "header.h"
#include "mpvalue.h"

typedef struct rs_reader {
	const char *name;        /* input name for messages */
	int fd;
	void *gz;                /* zlib's reader over a dup of fd: gzip input is
				    read as the stream it holds, plain input as is */
	msgpack_unpacker up;
	int holding;             /* an object from the unpacker is in use */
	uint64_t recno;          /* number of the record last returned (1-based) */
	size_t frame_off;        /* the next object's bytes walked so far (stream.c) */
	uint64_t frame_pending;  /* values still to walk */
	rs_header hdr;
	char err[512];           /* set when open/next fail */
	char why[400];           /* the same without the input's name and place, when
				    reading failed (empty when opening did) */
} rs_reader;

/* Start reading: the first object of the input, kept until the next call.
 * Returns 0; 1 on empty input; -1 on an error. r->err says which. */
int rs_reader_start(rs_reader *r, int fd, const char *name, msgpack_object *first);
/* After the first object: 0 when the input ends here, -1 (r->err set) when
 * more bytes follow. */
int rs_reader_expect_end(rs_reader *r);
/* Check the first object as a stream header. Returns 0, or -1 with r->err. */
int rs_reader_header(rs_reader *r, const msgpack_object *first);
/* Read and check the header. Returns 0, or -1 with r->err set. */
int rs_reader_open(rs_reader *r, int fd, const char *name);
/* The next record's values (hdr.ncol of them), valid until the next call;
 * NULL only at the clean end of the stream. Any error dies naming the input
 * and the record, so a corrupt stream cannot read as a short one. */
const msgpack_object *rs_reader_next(rs_reader *r);
void rs_reader_close(rs_reader *r);
/* rs_reader_open on a tool's input operand (input.h: NULL or "-" is
 * stdin); dies with the reason. */
void rs_reader_open_operand(rs_reader *r, const char *path);
/* Die with "input:record N: message". */
noreturn void rs_reader_die(const rs_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Die unless the header has this column; returns its index. */
int rs_reader_need(const rs_reader *r, const char *column);

/* A value of record column col: an id below limit, or a finite number; the
 * reader dies naming the record and column otherwise. */
uint32_t rs_rec_id(const rs_reader *r, const msgpack_object *rec, int col, uint64_t limit);
double rs_rec_num(const rs_reader *r, const msgpack_object *rec, int col);

#endif
