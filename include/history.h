/* history.h: a user's previous items in time order, the context of a
 * sequence-aware model. ml-onehot gives each record the items of its
 * user's train records before it: the last N in the history field
 * (--history N), the earlier ones in the long field (--long); the scorer
 * gives a user the items of all their train records, so that ranking for
 * a user sees what the test record of a seq-aware split carries. "Before"
 * orders by ts, then by position in the stream. */
#ifndef RS_HISTORY_H
#define RS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

typedef struct rs_history {
	uint32_t nusers;
	size_t *off;         /* (nusers + 1) user u's items, oldest first, are */
	uint32_t *items;     /* items[off[u] .. off[u+1]) */
	size_t longest;      /* the most items a user has */
} rs_history;

/* One pass over n records in time order per user: the items of records
 * with enters[r] set (and an item) make each user's sequence in h; when
 * before is not NULL, before[r] gets how many of them come before record
 * r (record r's previous items are the first before[r] of its user's). */
void rs_history_walk(rs_history *h, size_t n, const uint32_t *user, const uint32_t *item,
		     const int64_t *ts, const uint8_t *enters, uint32_t nusers, size_t *before);
/* Each user's items among d's records whose split is in splits
 * (RS_SPLITS); d must have 'ts' (dies naming the stream if not). */
void rs_history_last(rs_history *h, const rs_dataset *d, unsigned splits);
void rs_history_free(rs_history *h);

/* User u's items, oldest first, into *n. */
static inline const uint32_t *rs_history_of(const rs_history *h, uint32_t u, int *n)
{
	*n = (int)(h->off[u + 1] - h->off[u]);
	return h->items + h->off[u];
}

#endif
