/* dataset.h: a stream's records in memory, as a struct of arrays. */
#ifndef RS_DATASET_H
#define RS_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "stream.h"

#define RS_NONE UINT32_MAX   /* a user or item id the model has never seen */

typedef struct rs_dataset {
	const char *src;     /* the input's name, for messages */
	size_t n;
	uint32_t *user;      /* (n) dense ids */
	uint32_t *item;      /* (n) */
	float *y;            /* (n) the target: rating, or click 0/1 */
	uint8_t *split;      /* (n) 0 train, 1 test, 2 validation (carved from train) */
	int64_t *ts;         /* (n) unix seconds; NULL when the stream has no 'ts' */
	size_t *xoff;        /* (n + 1) record r's features are x[xoff[r] .. xoff[r+1]) */
	uint32_t *x;         /* (nnz) global feature indices */
	float *xv;           /* (nnz) feature values; NULL when all are 1 */
	uint32_t nfeatures;
	int click;           /* the target is a click */
	int implicit;        /* an event log: every record a positive, y = 1 */
	rs_header hdr;       /* the stream's header; without 'x' its fields are user, item */
	size_t cap, xcap, nnz;
	int col[7];          /* split, user, item, target, x, xv, ts; -1 when absent */
	int view;            /* made by rs_dataset_gather: hdr empty */
	int ids_only;        /* read by rs_dataset_read_ids: no features kept */
} rs_dataset;

/* Read every record of the reader (dies on bad input). Without an 'x'
 * column the features are the two fields user and item. */
void rs_dataset_read(rs_dataset *d, rs_reader *r);
/* The same keeping no features (every record's list empty, xoff unused)
 * and no ts: for a pointwise model of the ids alone (MF), which would
 * otherwise hold 24 bytes a record it never reads. */
void rs_dataset_read_ids(rs_dataset *d, rs_reader *r);
void rs_dataset_free(rs_dataset *d);
/* The same in steps, for record-at-a-time use: begin from the header, add
 * records, clear to reuse the memory. */
void rs_dataset_begin(rs_dataset *d, const rs_reader *r);
void rs_dataset_add(rs_dataset *d, const rs_reader *r, const msgpack_object *rec);
void rs_dataset_clear(rs_dataset *d);
/* An empty dataset with the layout of a header that has fields (a model's),
 * for records built in memory with rs_dataset_push. */
void rs_dataset_like(rs_dataset *d, const rs_header *h, int click, int has_xv);
/* Append a record: ids, target, split, and its k features (xv may be NULL
 * when the dataset has no values). */
void rs_dataset_push(rs_dataset *d, uint32_t user, uint32_t item, const uint32_t *x,
		     const float *xv, int k);
/* Copy records idx[0..n) of src into dst as its records 0..n-1, so that the
 * passes over a shuffled batch read memory in order; their features only
 * when `features` (else each record's list is empty). dst borrows src's
 * layout; call with the same dst every batch to reuse its memory, and free
 * it with rs_dataset_free before src. */
void rs_dataset_gather(rs_dataset *dst, const rs_dataset *src, const uint32_t *idx, size_t n,
		       int features);
/* Move a seeded share of the train records to validation (split 2). */
void rs_dataset_carve_valid(rs_dataset *d, double ratio, uint64_t seed);
/* Whether every test record of a user comes at or after the user's train
 * records in time (a seq-aware split); 0 without 'ts' or test records. */
int rs_dataset_test_is_latest(const rs_dataset *d);
/* Move each user's latest train record (by ts, then stream order) to
 * validation, the way a seq-aware split chose the test record; a user's
 * only train record stays. d must have 'ts'. */
void rs_dataset_carve_latest(rs_dataset *d);
/* Indices of records with this split value; returns how many. */
size_t rs_dataset_select(const rs_dataset *d, int split, uint32_t *idx);

#endif
