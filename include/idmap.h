/* idmap.h: raw ids (int64: numbers, or names' keys) to dense 0-based ids,
 * in order of first sight. */
#ifndef RS_IDMAP_H
#define RS_IDMAP_H

#include <stdint.h>

/* A slot holds its raw id beside its dense id, so that a probe reads one
 * cache line: at tens of millions of lookups the table's misses are the
 * cost. check is a second hash of a name (0 for numbers), which tells two
 * names of one key apart. */
typedef struct rs_idslot {
	int64_t raw;
	uint32_t dense1;     /* dense id + 1, 0 when empty */
	uint32_t check;
} rs_idslot;

/* Small numbers (below RS_IDMAP_DIRECT: every MovieLens id) index a plain
 * array instead, a 4-byte read, as numeric ids were before names came. */
#define RS_IDMAP_DIRECT (1u << 22)

typedef struct rs_idmap {
	int64_t *ids;        /* (n) raw id of each dense id */
	uint32_t n, cap;
	rs_idslot *slots;    /* (nslots) */
	uint32_t nslots;     /* power of two */
	uint32_t *direct;    /* (ndirect) dense id + 1 of the small numbers */
	uint32_t ndirect;
} rs_idmap;

void rs_idmap_init(rs_idmap *m);
void rs_idmap_free(rs_idmap *m);
/* The dense id of raw, adding it if new. */
uint32_t rs_idmap_add(rs_idmap *m, int64_t raw);
/* The same for a name's key and check; RS_IDMAP_CLASH when raw is known
 * with another check (two names of one key). */
#define RS_IDMAP_CLASH UINT32_MAX
uint32_t rs_idmap_add_checked(rs_idmap *m, int64_t raw, uint32_t check);
/* The dense id of raw, or UINT32_MAX if absent. */
uint32_t rs_idmap_find(const rs_idmap *m, int64_t raw);
/* Index ids[0..n) again, after the caller changed them in place (their
 * checks are 0 then). */
void rs_idmap_rehash(rs_idmap *m);
/* Build a map over existing raw ids (from a stream header). */
void rs_idmap_from(rs_idmap *m, const int64_t *ids, uint32_t n);

#endif
