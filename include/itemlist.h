/* itemlist.h: files of raw item ids, one a line (the first tab-separated
 * field; blank lines, and '#' lines before the first id, skipped), as
 * rs-recommend's --exclude-items and --candidates take them. */
#ifndef RS_ITEMLIST_H
#define RS_ITEMLIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "header.h"
#include "idmap.h"

/* Set mark[i] to 1 for each dense item i of h (iid over its raw ids) that
 * in names; returns how many lines name an item h does not have (not an
 * error: a list may be broader than one model's catalogue), said on stderr
 * with the blank and '#' lines passed over. Bad input dies with
 * "name:line: message". */
unsigned long rs_item_list_read(FILE *in, const char *name, const rs_header *h, const rs_idmap *iid,
				uint8_t *mark);
/* The dense items never to recommend, into *n: those the file exclude
 * names, and with candidates those it does not name (either path NULL:
 * not given; both NULL: returns NULL). Ids h lacks are counted on stderr. */
uint32_t *rs_items_banned(const rs_header *h, const rs_idmap *iid, const char *exclude,
			  const char *candidates, size_t *n);

#endif
