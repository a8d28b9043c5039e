/* history.h: a user's previous items in time order, the context of a
 * sequence-aware model. ml-onehot --history N gives each record the items
 * of its user's last N train records before it; the scorer gives a user
 * the items of their last N train records, so that ranking for a user sees
 * what the test record of a seq-aware split carries. "Before" orders by
 * ts, then by position in the stream. */
#ifndef RS_HISTORY_H
#define RS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

typedef struct rs_history {
	int window;
	uint32_t nusers;
	uint8_t *len;        /* (nusers) items held, at most window */
	uint32_t *items;     /* (nusers * window) user u's, oldest first */
} rs_history;

/* One pass over n records in time order per user. Records with enters[r]
 * set enter their user's history. When rec_items is not NULL, record r
 * gets the items before it into rec_items[r * window ..] and their count
 * into rec_len[r]; when last is not NULL, it gets each user's last items
 * over all records. */
void rs_history_walk(size_t n, const uint32_t *user, const uint32_t *item, const int64_t *ts,
		     const uint8_t *enters, uint32_t nusers, int window, uint32_t *rec_items,
		     uint8_t *rec_len, rs_history *last);
/* Each user's last `window` items among d's records whose split is in
 * splits (RS_SPLITS); d must have 'ts' (dies naming the stream if not). */
void rs_history_last(rs_history *h, const rs_dataset *d, unsigned splits, int window);
void rs_history_free(rs_history *h);

static inline const uint32_t *rs_history_of(const rs_history *h, uint32_t u, int *n)
{
	*n = h->len[u];
	return h->items + (size_t)u * (size_t)h->window;
}

#endif
