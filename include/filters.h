/* filters.h: what ml-split drops from an event log before it splits it:
 * repeated events of a pair (--dedupe), and users and items with fewer
 * events than a minimum (--min-user, --min-item: the k-core). */
#ifndef RS_FILTERS_H
#define RS_FILTERS_H

#include <stddef.h>

#include "ratings.h"

/* Keep the events with keep[i] set, in order; users and items left with
 * none are dropped and the rest renumbered in order of first appearance. */
void rs_ratings_keep(rs_ratings *r, const uint8_t *keep);
/* One event per (user, item) pair: the first in time (ts, then input
 * order), or the last. Returns how many were dropped. */
size_t rs_dedupe(rs_ratings *r, int keep_last);
/* Drop events until every user has at least min_user events and every item
 * min_item (a fixed point: dropping a user can take an item under its
 * minimum). Returns the events dropped; *rounds the passes it took. */
size_t rs_kcore(rs_ratings *r, size_t min_user, size_t min_item, int *rounds);

#endif
