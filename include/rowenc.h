/* rowenc.h: the features of a row of raw column values (a click log's
 * line, a JSON object of rs-predict --serve) under a model's fields: the
 * user and item by their raw ids, each feature column's field by the
 * encoding its header wrote (attrs.h), so that a row scores as ml-onehot
 * encoded the stream the model was trained on. */
#ifndef RS_ROWENC_H
#define RS_ROWENC_H

#include <stddef.h>
#include <stdint.h>

#include "header.h"
#include "idmap.h"

/* What a field of the model takes from a row. */
enum { RS_ROW_USER, RS_ROW_ITEM, RS_ROW_COLUMN };

typedef struct rs_rowenc {
	const rs_header *h;      /* the model's */
	int kind[RS_MAX_FIELDS]; /* RS_ROW_* of each field */
	const rs_attr *attr[RS_MAX_FIELDS];   /* a column's */
	rs_idmap users, items;   /* the model's raw ids */
	rs_idmap values[RS_MAX_FIELDS];       /* a categorical column's values' keys */
	int src[RS_MAX_FIELDS];  /* the row's field of each, -1 (after rs_rowenc_columns) */
	int label;               /* the row's label field, -1 */
	size_t most;             /* the most features a row gives, given the longest field */
	unsigned long unknown;   /* ids and values the model never had */
	int numbered;            /* messages name a column by its place too (a file's) */
} rs_rowenc;

/* Whether a model's fields are all a row can give (user, item, feature
 * columns) and one is a feature column; else rs-predict reads pairs. */
int rs_rowenc_applies(const rs_header *h);
/* The encoder of h's fields; dies naming a field a row cannot give. */
void rs_rowenc_init(rs_rowenc *e, const rs_header *h);
void rs_rowenc_free(rs_rowenc *e);
/* Which of a row's named fields (a header line's, a JSON object's keys)
 * gives each of the model's: user, item, the label by the names a click
 * log's take, NAME for the field c:NAME; -1 with the missing column's name
 * in err. */
int rs_rowenc_columns(rs_rowenc *e, char *const *names, int n, char *err, size_t len);
/* One row's features (x, xv: rs_rowenc_most entries for its fields' lengths),
 * its dense user and item (RS_NONE when unknown), and its label (NaN when
 * none); 0, or -1 with the reason in err (the column named). f[i] is the
 * text of the row's field i, NULL for a missing one. */
int rs_rowenc_row(rs_rowenc *e, char *const *f, int n, uint32_t *x, float *xv, int *k, uint32_t *user,
		  uint32_t *item, double *label, char *err, size_t len);
/* Room for a row's features: its fields' bytes bound its multi-valued parts. */
size_t rs_rowenc_room(const rs_rowenc *e, char *const *f, int n);

#endif
