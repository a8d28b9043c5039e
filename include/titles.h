/* titles.h: items' titles from an item side file. */
#ifndef RS_TITLES_H
#define RS_TITLES_H

#include <stdint.h>
#include <stdio.h>

#include "header.h"

/* u.item's titles by the header's dense item ids, Latin-1 converted to
 * UTF-8, NULL for an item without a row; a file that is not u.item (u.user
 * given by mistake) dies naming it. */
char **rs_side_read_titles(const rs_header *h, FILE *in, const char *name);
char **rs_side_titles(const rs_header *h, const char *path);
void rs_titles_free(char **title, uint32_t n);

#endif
