/* mem.c: checked allocation. */
#include "mem.h"
#include "diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void *check(void *p, size_t n)
{
	if (!p && n)
		rs_die("out of memory (%zu bytes)", n);
	return p;
}

void *rs_malloc(size_t n) { return check(malloc(n ? n : 1), n); }
void *rs_calloc(size_t c, size_t s) { return check(calloc(c ? c : 1, s ? s : 1), c * s); }
void *rs_realloc(void *p, size_t n) { return check(realloc(p, n ? n : 1), n); }

void *rs_reallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		rs_die("out of memory (%zu x %zu bytes)", count, size);
	return rs_realloc(p, count * size);
}

void *rs_calloc_huge(size_t count, size_t size)
{
	const size_t huge = (size_t)2 << 20;
	if (size && count > SIZE_MAX / size)
		rs_die("out of memory (%zu x %zu bytes)", count, size);
	size_t n = count * size;
	/* below that, rows still start on a cache line */
	size_t align = n < 4 * huge ? 64 : huge, bytes = n < 4 * huge ? (n ? n : 1) : (n + huge - 1) / huge * huge;
	void *p = NULL;
	if (posix_memalign(&p, align, bytes))
		rs_die("out of memory (%zu bytes)", bytes);
	if (align == huge)
		madvise(p, bytes, MADV_HUGEPAGE);   /* advice: no huge pages is no error */
	memset(p, 0, bytes);
	return p;
}

char *rs_strdup(const char *s) { return rs_strndup(s, strlen(s)); }

char *rs_strndup(const char *s, size_t n)
{
	char *d = rs_malloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}
