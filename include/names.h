/* names.h: ids that are strings (docs/stream.md). Everywhere a numeric id
 * is its number, a string id is its key, a 64-bit hash of its bytes
 * (FNV-1a, top bit cleared); the names themselves ride in stream headers
 * and models, and are what the tools print and accept. */
#ifndef RS_NAMES_H
#define RS_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The longest id, in bytes; a longer one is refused with its line. */
#define RS_MAX_ID_LEN 255
/* The room an id needs as text: the longest name, or an int64 in decimal. */
#define RS_ID_TEXT (RS_MAX_ID_LEN + 1)

/* The names of dense ids 0..n-1, packed one after another, each with its
 * NUL. An id space with no names (off NULL) has numeric ids. */
typedef struct rs_names {
	char *buf;
	size_t len, cap;
	size_t *off;         /* (n) where each name starts */
	uint32_t n, ncap;
} rs_names;

int64_t rs_name_key(const char *s, size_t len);
/* A second, independent hash of a name: two names of one key are told
 * apart by it (idmap.h) without reading either name. */
uint32_t rs_name_check(const char *s, size_t len);
void rs_names_add(rs_names *nm, const char *s, size_t len);
static inline int rs_names_on(const rs_names *nm) { return nm->off != 0; }
static inline const char *rs_names_at(const rs_names *nm, uint32_t i) { return nm->buf + nm->off[i]; }
void rs_names_copy(rs_names *dst, const rs_names *src);
void rs_names_free(rs_names *nm);

/* The length of an id read from src's line, dying with one line when it
 * is empty or longer than RS_MAX_ID_LEN. */
size_t rs_id_length(const char *s, const char *src, unsigned long line, const char *what);

/* A numeric id as ml-split keeps it: a non-negative decimal integer in
 * canonical form (no sign, no leading zero), so that no two texts are one
 * number; else -1. */
int rs_id_number(const char *s, size_t len, int64_t *v);

#endif
