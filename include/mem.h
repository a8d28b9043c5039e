/* mem.h: allocation that dies with a message instead of returning NULL. */
#ifndef RS_MEM_H
#define RS_MEM_H

#include <stddef.h>

void *rs_malloc(size_t n);
void *rs_calloc(size_t count, size_t size);
void *rs_realloc(void *p, size_t n);
/* realloc to count elements of size, checking the multiplication. */
void *rs_reallocarray(void *p, size_t count, size_t size);
/* Zeroed memory for a table read at random rows (a model's parameters,
 * the sampler's records), aligned to a cache line; past a few huge pages
 * it is aligned to them and asked for as transparent huge pages, so that
 * rows spread over tens of megabytes stay in the TLB. Freed with free(). */
void *rs_calloc_huge(size_t count, size_t size);
char *rs_strdup(const char *s);
char *rs_strndup(const char *s, size_t n);

#endif
