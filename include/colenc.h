/* colenc.h: the fields of a click log's feature columns (attrs.h), as
 * ml-onehot makes them: a categorical column a feature per value seen at
 * least --min-count times in train, every other value (rarer, or unseen
 * until scoring) sharing the field's feature 0, or its values hashed into
 * 2^B features; a numeric column scaled by the train range, or in log2 or
 * train-quantile buckets, feature 0 its missing value. The encodings are
 * written in the fields of the header (rs_fenc), which every scorer applies. */
#ifndef RS_COLENC_H
#define RS_COLENC_H

#include <stddef.h>
#include <stdint.h>

#include "attrs.h"
#include "header.h"
#include "stream.h"

/* ml-onehot's defaults: a feature for every value seen in train, numbers
 * in log2 buckets (as the Criteo winners did), 10 quantiles when asked. */
#define RS_COLENC_MIN_COUNT 1
#define RS_COLENC_QUANTILES 10

typedef struct rs_colenc_opts {
	uint32_t min_count;
	uint32_t hash_bits;      /* 0: no hashing */
	int numbers;             /* RS_ENC_SCALE, RS_ENC_LOG2 or RS_ENC_QUANTILE */
	uint32_t quantiles;
} rs_colenc_opts;

typedef struct rs_colenc {
	rs_colenc_opts o;
	int n;                            /* fields, one a feature column */
	int col[RS_MAX_FIELDS];           /* the stream column of each */
	const rs_attr *attr[RS_MAX_FIELDS];
	rs_fenc *enc[RS_MAX_FIELDS];      /* (after finish) each field's, owned here */
	uint32_t offset[RS_MAX_FIELDS];   /* (after rs_colenc_layout) */
	uint32_t **count;                 /* (n) categorical: train records of each value */
	double **num;                     /* (n) numeric: the train values */
	size_t *nnum, *capnum;
	size_t most;                      /* the most features a record's columns give */
	unsigned long rare;               /* values that took a rare feature (rs_colenc_features) */
} rs_colenc;

/* The feature columns of h (the stream's attributes) that list names,
 * comma-separated, in its order (NULL: every one, in the header's; names
 * of other fields are passed over); dies naming the input (src) when a
 * "c:NAME" of the list is not one. */
void rs_colenc_init(rs_colenc *c, const rs_header *h, const rs_colenc_opts *o, const char *list,
		    const char *src);
void rs_colenc_free(rs_colenc *c);
/* One record's values counted (train: toward the encodings; every record
 * toward the most features); the reader dies on a value out of place. */
void rs_colenc_count(rs_colenc *c, const rs_reader *r, const msgpack_object *rec, int train);
/* The encodings from the counts. */
void rs_colenc_finish(rs_colenc *c);
/* Their fields appended to h, after its others, with their encodings. */
void rs_colenc_layout(rs_colenc *c, rs_header *h);
/* A record's features of the column fields, sorted, into x and xv (most
 * entries are enough); returns how many. */
int rs_colenc_features(rs_colenc *c, const rs_reader *r, const msgpack_object *rec, uint32_t *x,
		       float *xv);

#endif
