/* itemlist.h: a file of raw item ids, one a line (the first tab-separated
 * field; empty lines skipped), as rs-recommend's --exclude-items and
 * --candidates take it. */
#ifndef RS_ITEMLIST_H
#define RS_ITEMLIST_H

#include <stdint.h>

#include "header.h"
#include "idmap.h"

/* Set mark[i] to 1 for each dense item i of h (iid over its raw ids) that
 * the file names; returns how many lines name an item h does not have
 * (not an error: a list may be broader than one model's catalogue). Bad
 * input dies with "path:line: message". */
unsigned long rs_item_list_mark(const rs_header *h, const rs_idmap *iid, const char *path,
				uint8_t *mark);

#endif
