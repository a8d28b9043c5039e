/* featfile.h: generic feature files, ml-onehot's --user-features and
 * --item-features: CSV or TSV with a header whose first column is the id
 * (id, user, item, userId, movieId, ...). Each other column becomes a field,
 * named "u:COLUMN" or "i:COLUMN": a column of numbers is one real-valued
 * feature scaled to [0, 1] by its minimum and maximum; any other column is
 * categorical, a feature per value (in order of first appearance), and a
 * value with '|' is multi-valued, each part at 1/(number of parts). An
 * empty value is no feature; an id of the file the stream lacks is passed
 * over; an id of the stream the file lacks has no features there. */
#ifndef RS_FEATFILE_H
#define RS_FEATFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "header.h"
#include "side.h"

/* One field's features by dense id, as CSR: id d's are idx[off[d] ..
 * off[d+1]) (sorted) with their values. */
typedef struct rs_feature_field {
	char *name;              /* "u:age" */
	int users;               /* a user field, else an item field */
	uint32_t size;           /* features */
	uint32_t n;              /* ids */
	size_t *off;             /* (n + 1) */
	uint32_t *idx;
	float *val;
	uint32_t most;           /* the most features one id has */
} rs_feature_field;

/* Read a feature file's columns into side->feat, joined to h's users (or
 * items); dies with "path:line: message". */
void rs_features_read(rs_side *side, const rs_header *h, const char *path, int users);
/* The same from an open file named name. */
void rs_features_read_file(rs_side *side, const rs_header *h, FILE *in, const char *name, int users);
/* The fields of a header's generic kinds, empty: their sizes, for a
 * layout, before a stream fills them. */
void rs_features_declare(rs_side *side, const rs_header *h);
/* Those fields' features read back from a stream's records (d has h's
 * fields and ids), so that no file is needed. */
void rs_features_from_data(rs_side *side, const rs_header *h, const rs_dataset *d);
void rs_features_free(rs_side *side);

#endif
