/* idmap.h: raw ids (int64: numbers, or names' keys) to dense 0-based ids,
 * in order of first sight. */
#ifndef RS_IDMAP_H
#define RS_IDMAP_H

#include <stdint.h>

typedef struct rs_idmap {
	int64_t *ids;        /* (n) raw id of each dense id */
	uint32_t n, cap;
	uint32_t *slots;     /* (nslots) dense id + 1, 0 when empty */
	uint32_t nslots;     /* power of two */
} rs_idmap;

void rs_idmap_init(rs_idmap *m);
void rs_idmap_free(rs_idmap *m);
/* The dense id of raw, adding it if new. */
uint32_t rs_idmap_add(rs_idmap *m, int64_t raw);
/* The dense id of raw, or UINT32_MAX if absent. */
uint32_t rs_idmap_find(const rs_idmap *m, int64_t raw);
/* Index ids[0..n) again, after the caller changed them in place. */
void rs_idmap_rehash(rs_idmap *m);
/* Build a map over existing raw ids (from a stream header). */
void rs_idmap_from(rs_idmap *m, const int64_t *ids, uint32_t n);

#endif
