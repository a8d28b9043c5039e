/* attrs.h: a click log's feature columns as a stream carries them
 * (docs/stream.md): each a record column "c:NAME", categorical (the
 * header holds its values' dictionary, a record the ids of its values) or
 * numeric (a record its number, or nil when missing); and how ml-onehot
 * encodes such a column into the field of the same name, written once in
 * the field's map of the header, which every scorer applies. */
#ifndef RS_ATTRS_H
#define RS_ATTRS_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"

/* The prefix of a feature column's name, and of its field's. */
#define RS_ATTR_PREFIX "c:"

enum { RS_ATTR_CATEGORICAL, RS_ATTR_NUMERIC };
extern const char *const rs_attr_type_names[2];

typedef struct rs_attr {
	char *column;            /* "c:site" */
	int type;                /* RS_ATTR_* */
	rs_names values;         /* categorical: the text of each value id (off set
				    even when empty); numeric: unused */
} rs_attr;

/* A field's encoding of its column (ml-onehot). */
enum { RS_ENC_ONEHOT, RS_ENC_HASH, RS_ENC_SCALE, RS_ENC_LOG2, RS_ENC_QUANTILE, RS_NENC };
extern const char *const rs_enc_names[RS_NENC];
/* log2's features: missing, not positive, then floor(log2 v) for
 * RS_LOG2_LO .. RS_LOG2_HI (a value outside takes the nearest). */
#define RS_LOG2_LO (-32)
#define RS_LOG2_HI 31
#define RS_LOG2_SIZE (2 + RS_LOG2_HI - RS_LOG2_LO + 1)
/* The most hash bits and quantiles ml-onehot takes. */
#define RS_MAX_HASH_BITS 24
#define RS_MAX_QUANTILES 1000

typedef struct rs_fenc {
	int enc;                 /* RS_ENC_* */
	uint32_t min_count;      /* onehot: values seen fewer times in train share feature 0 */
	uint32_t *map;           /* (nmap) onehot: the feature of each value id */
	uint32_t nmap;
	uint32_t hash_bits;      /* hash: feature = the value's key mod 2^hash_bits */
	double min, max;         /* scale: feature 1 at (v - min) / (max - min), clipped to [0, 1] */
	double *cuts;            /* (ncuts) quantile: ascending; feature 1 + #(cuts <= v) */
	uint32_t ncuts;
} rs_fenc;

/* The number of features an encoding gives its field (nvalues: the
 * column's dictionary, for onehot unused: the map says). */
uint32_t rs_fenc_size(const rs_fenc *e);
/* A numeric column's feature and value under e (missing: isnan(v));
 * returns the feature, *val its value. */
uint32_t rs_fenc_number(const rs_fenc *e, double v, float *val);
/* A categorical value's feature under e: id below the dictionary's count
 * (UINT32_MAX: a value the dictionary lacks), text its bytes. */
uint32_t rs_fenc_value(const rs_fenc *e, uint32_t id, const char *text, size_t len);

void rs_attr_free(rs_attr *a);
void rs_attr_copy(rs_attr *dst, const rs_attr *src);
void rs_attrs_pack(msgpack_packer *pk, const rs_attr *a, int n);
/* The header's 'attributes' array into a[0..*n) (allocated); 0, or -1
 * with the reason in err. */
int rs_attrs_parse(const msgpack_object *o, rs_attr **a, int *n, char *err, size_t errlen);

void rs_fenc_free(rs_fenc *e);
rs_fenc *rs_fenc_dup(const rs_fenc *e);
/* The encoding's keys, appended to a field's map (rs_fenc_nkeys of them). */
int rs_fenc_nkeys(const rs_fenc *e);
void rs_fenc_pack(msgpack_packer *pk, const rs_fenc *e);
/* A field map's encoding keys, or NULL (*e) when it has none; 0, or -1 with
 * the reason in err. size is the field's: every feature below it. */
int rs_fenc_parse(const msgpack_object *field, uint32_t size, rs_fenc **e, char *err, size_t errlen);

#endif
