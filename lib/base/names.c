/* names.c: string ids, their keys and their table (names.h). */
#include "names.h"
#include "diag.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

int64_t rs_name_key(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return (int64_t)(h & INT64_MAX);
}

uint32_t rs_name_check(const char *s, size_t len)
{
	uint32_t h = 0x9747b28cu ^ (uint32_t)len;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x5bd1e995u;
		h ^= h >> 15;
	}
	return h | 1;   /* never 0, a number's check */
}

void rs_names_add(rs_names *nm, const char *s, size_t len)
{
	if (nm->n == nm->ncap) {
		nm->ncap = nm->ncap ? 2 * nm->ncap : 1024;
		nm->off = rs_reallocarray(nm->off, nm->ncap, sizeof *nm->off);
	}
	if (nm->len + len + 1 > nm->cap) {
		nm->cap = 2 * (nm->len + len + 1) + 4096;
		nm->buf = rs_realloc(nm->buf, nm->cap);
	}
	nm->off[nm->n++] = nm->len;
	memcpy(nm->buf + nm->len, s, len);
	nm->buf[nm->len + len] = 0;
	nm->len += len + 1;
}

void rs_names_copy(rs_names *dst, const rs_names *src)
{
	memset(dst, 0, sizeof *dst);
	if (!rs_names_on(src))
		return;
	dst->cap = dst->len = src->len;
	dst->buf = rs_malloc(src->len + 1);
	memcpy(dst->buf, src->buf, src->len);
	dst->ncap = dst->n = src->n;
	dst->off = rs_malloc(((size_t)src->n + 1) * sizeof *dst->off);
	memcpy(dst->off, src->off, (size_t)src->n * sizeof *dst->off);
}

void rs_names_free(rs_names *nm)
{
	free(nm->buf);
	free(nm->off);
	memset(nm, 0, sizeof *nm);
}

size_t rs_id_length(const char *s, const char *src, unsigned long line, const char *what)
{
	size_t len = strlen(s);
	if (!len)
		rs_die("%s:%lu: empty %s id", src, line, what);
	if (len > RS_MAX_ID_LEN)
		rs_die("%s:%lu: %s id of %zu bytes, over the limit of %d", src, line, what, len,
		       RS_MAX_ID_LEN);
	return len;
}

int rs_id_number(const char *s, size_t len, int64_t *v)
{
	if (!len || len > 18 || (s[0] == '0' && len > 1))
		return -1;   /* 18 digits stay below INT64_MAX */
	int64_t x = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = 10 * x + (s[i] - '0');
	}
	*v = x;
	return 0;
}
