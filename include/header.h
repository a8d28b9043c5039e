/* header.h: a stream's header (docs/stream.md), the map that is object 0
 * of every rs-stream and is kept inside every model. */
#ifndef RS_HEADER_H
#define RS_HEADER_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

#include "attrs.h"
#include "mpvalue.h"
#include "names.h"

#define RS_STREAM_FORMAT "rs-stream"
/* 1: numeric ids; 2: a stream with string ids, or without ratings (target
 * "implicit"), which a version-1 reader would refuse anyway */
#define RS_STREAM_VERSION 2
#define RS_MODEL_FORMAT "rs-model"   /* what trainers write (docs/model.md) */

/* The columns the tools write and read, by name (docs/stream.md), and the
 * two targets a stream has (a model's task). */
#define RS_COL_SPLIT "split"
#define RS_COL_USER "user"
#define RS_COL_ITEM "item"
#define RS_COL_RATING "rating"
#define RS_COL_TS "ts"
#define RS_COL_CLICK "click"
#define RS_COL_X "x"
#define RS_COL_XV "xv"
#define RS_COL_SCORE "score"
#define RS_TARGET_RATING RS_COL_RATING
#define RS_TARGET_CLICK RS_COL_CLICK
/* an event log's stream: every record a positive, no target column */
#define RS_TARGET_IMPLICIT "implicit"

/* The codes of a record's 'split' (docs/stream.md); validation records are
 * carved from train by a trainer, in memory only. */
enum { RS_SPLIT_TRAIN = 0, RS_SPLIT_TEST = 1, RS_SPLIT_VALID = 2 };

/* What a header may claim (docs/stream.md): every allocation sized by a
 * header is bounded by the header's own id tables, which cost input bytes,
 * or by these constants. */
#define RS_MAX_FIELDS 64
#define RS_MIN_FIELD_CAP 65536   /* a field holds max(users, items, this) */
#define RS_MAX_WINDOW 50         /* a history field's previous items */
#define RS_MAX_BINS 256          /* a time field's bins: it holds at most this many times
				    the features of another field */
#define RS_MAX_BIN_DAYS 36500    /* a time field's days per bin */

typedef struct rs_field {
	char *name;
	uint32_t offset, size;   /* global feature indices [offset, offset+size) */
	uint32_t window;         /* a history field's number of previous items; else 0 */
	uint32_t bin;            /* a time field's days per bin (ml-onehot --time); else 0 */
	int64_t origin;          /* and its first day (days since 1970-01-01) */
	rs_fenc *enc;            /* a click log column's field: its encoding (attrs.h); else NULL */
} rs_field;

typedef struct rs_header {
	char **columns;          /* (ncol) */
	int ncol;
	char *target;            /* "rating", "click" or "implicit" */
	uint32_t nusers, nitems;
	int64_t *user_ids;       /* (nusers) raw id of each dense user id: its
				    number, or the key of its name (names.h) */
	int64_t *item_ids;       /* (nitems) */
	rs_names user_names, item_names;   /* string ids' names; off NULL for numbers */
	rs_field *fields;        /* (nfields) empty before ml-onehot */
	int nfields;
	char **history;          /* (nhistory) one command line per stage */
	int nhistory;
	rs_attr *attrs;          /* (nattrs) a click log's feature columns (attrs.h) */
	int nattrs;
} rs_header;

void rs_header_free(rs_header *h);
/* The raw id of dense user (item) d as text: its name, or its number
 * written into buf (RS_ID_TEXT bytes). */
const char *rs_user_text(const rs_header *h, uint32_t d, char *buf);
const char *rs_item_text(const rs_header *h, uint32_t d, char *buf);
/* The raw id a text names in h's user (item) ids: the number, or the key
 * of a name; -1 when it cannot be one (not a number, for numeric ids). */
int rs_user_key(const rs_header *h, const char *text, int64_t *key);
int rs_item_key(const rs_header *h, const char *text, int64_t *key);
/* The version a header is written with: 2 when it has string ids or no
 * ratings, else 1. */
int rs_header_version(const rs_header *h);
/* Whether the stream is an event log without ratings. */
int rs_header_implicit(const rs_header *h);
/* Index of a column, or -1. */
int rs_header_col(const rs_header *h, const char *name);
/* Append a column (which must not exist yet); returns its index. */
int rs_header_add_column(rs_header *h, const char *name);
void rs_header_add_history(rs_header *h, const char *line);
/* Append a field after the last; dies when it breaks a limit above. */
void rs_header_add_field(rs_header *h, const char *name, uint32_t size);
/* A time field (ml-onehot --time): bin days a feature from day origin on,
 * up to RS_MAX_BINS times another field's size. */
void rs_header_add_time_field(rs_header *h, const char *name, uint64_t size, uint32_t bin,
			      int64_t origin);
void rs_header_set_target(rs_header *h, const char *target);
/* The attribute of a column ("c:NAME"), or NULL. */
const rs_attr *rs_header_attr(const rs_header *h, const char *column);
/* Deep copy. */
void rs_header_copy(rs_header *dst, const rs_header *src);
/* Total number of one-hot features over all fields. */
uint32_t rs_header_nfeatures(const rs_header *h);
void rs_header_pack(msgpack_packer *pk, const rs_header *h);
/* Parse a header map; returns 0, or -1 with a message in err. */
int rs_header_parse(rs_header *h, const msgpack_object *o, char *err, size_t errlen);

#endif
