/* stream.h: the rs-stream wire format (docs/stream.md).
 * Object 0 is a header map; every later object is a record, an array whose
 * positions are named by the header's "columns". */
#ifndef RS_STREAM_H
#define RS_STREAM_H

#include <msgpack.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define RS_STREAM_FORMAT "rs-stream"
#define RS_STREAM_VERSION 1
#define RS_MODEL_FORMAT "rs-model"   /* what trainers write (docs/model.md) */

/* What a header may claim (docs/stream.md): every allocation sized by a
 * header is bounded by the header's own id tables, which cost input bytes,
 * or by these constants. */
#define RS_MAX_FIELDS 64
#define RS_MIN_FIELD_CAP 65536   /* a field holds max(users, items, this) */
#define RS_MAX_WINDOW 50         /* a history field's previous items */

typedef struct rs_field {
	char *name;
	uint32_t offset, size;   /* global feature indices [offset, offset+size) */
	uint32_t window;         /* a history field's number of previous items; else 0 */
} rs_field;

typedef struct rs_header {
	char **columns;          /* (ncol) */
	int ncol;
	char *target;            /* "rating" or "click" */
	uint32_t nusers, nitems;
	int64_t *user_ids;       /* (nusers) raw id of each dense user id */
	int64_t *item_ids;       /* (nitems) */
	rs_field *fields;        /* (nfields) empty before ml-onehot */
	int nfields;
	char **history;          /* (nhistory) one command line per stage */
	int nhistory;
} rs_header;

void rs_header_free(rs_header *h);
/* Index of a column, or -1. */
int rs_header_col(const rs_header *h, const char *name);
/* Append a column (which must not exist yet); returns its index. */
int rs_header_add_column(rs_header *h, const char *name);
void rs_header_add_history(rs_header *h, const char *line);
/* Append a field after the last; dies when it breaks a limit above. */
void rs_header_add_field(rs_header *h, const char *name, uint32_t size);
void rs_header_set_target(rs_header *h, const char *target);
/* Deep copy. */
void rs_header_copy(rs_header *dst, const rs_header *src);
/* Total number of one-hot features over all fields. */
uint32_t rs_header_nfeatures(const rs_header *h);
void rs_header_pack(msgpack_packer *pk, const rs_header *h);
/* Parse a header map; returns 0, or -1 with a message in err. */
int rs_header_parse(rs_header *h, const msgpack_object *o, char *err, size_t errlen);

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

/* Typed access to values; 0 on success, -1 on a wrong type. Both integer
 * kinds and both float kinds are accepted where they make sense. */
int rs_obj_u64(const msgpack_object *o, uint64_t *v);
int rs_obj_i64(const msgpack_object *o, int64_t *v);
int rs_obj_num(const msgpack_object *o, double *v);
/* A value of record column col: an id below limit, or a finite number; the
 * reader dies naming the record and column otherwise. */
uint32_t rs_rec_id(const rs_reader *r, const msgpack_object *rec, int col, uint64_t limit);
double rs_rec_num(const rs_reader *r, const msgpack_object *rec, int col);

/* Look a key up in a msgpack map; NULL if absent. */
const msgpack_object *rs_map_get(const msgpack_object *map, const char *key);
/* Whether o is the string s. */
int rs_obj_is(const msgpack_object *o, const char *s);
/* Copy a STR object into a new NUL-terminated string (NULL if not a STR). */
char *rs_obj_strdup(const msgpack_object *o);
void rs_pack_cstr(msgpack_packer *pk, const char *s);

#endif
