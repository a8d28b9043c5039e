/* history.c: previous items per user (history.h). */
#include "history.h"
#include "cli.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct when {
	int64_t ts;
	size_t pos;
} when;

static int by_time(const void *a, const void *b)
{
	const when *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The last len of held items pushed into ring (window slots), oldest first. */
static void unroll(uint32_t *out, const uint32_t *ring, size_t held, int window, int len)
{
	for (int q = 0; q < len; q++)
		out[q] = ring[(held - (size_t)len + (size_t)q) % (size_t)window];
}

void rs_history_walk(size_t n, const uint32_t *user, const uint32_t *item, const int64_t *ts,
		     const uint8_t *enters, uint32_t nusers, int window, uint32_t *rec_items,
		     uint8_t *rec_len, rs_history *last)
{
	/* the records grouped by user (counting sort keeps stream order), then
	 * each user's in time order */
	size_t *off = rs_calloc((size_t)nusers + 2, sizeof *off);
	/* a user the model never saw (RS_NONE, model.h) has no history */
	for (size_t r = 0; r < n; r++)
		if (user[r] < nusers)
			off[user[r] + 2]++;
		else if (rec_items)
			rec_len[r] = 0;
	for (uint32_t u = 0; u < nusers; u++)
		off[u + 2] += off[u + 1];
	when *order = rs_malloc((n + 1) * sizeof *order);
	for (size_t r = 0; r < n; r++)
		if (user[r] < nusers)
			order[off[user[r] + 1]++] = (when){ts[r], r};
	uint32_t *ring = rs_malloc((size_t)window * sizeof *ring);
	for (uint32_t u = 0; u < nusers; u++) {
		when *w = order + off[u];
		size_t k = off[u + 1] - off[u];
		qsort(w, k, sizeof *w, by_time);
		size_t held = 0;   /* items pushed so far; the ring keeps the last window */
		for (size_t j = 0; j < k; j++) {
			size_t r = w[j].pos;
			int len = held < (size_t)window ? (int)held : window;
			if (rec_items) {
				unroll(rec_items + r * (size_t)window, ring, held, window, len);
				rec_len[r] = (uint8_t)len;
			}
			if (enters[r] && item[r] != RS_NONE)
				ring[held++ % (size_t)window] = item[r];
		}
		if (last) {
			int len = held < (size_t)window ? (int)held : window;
			unroll(last->items + (size_t)u * (size_t)window, ring, held, window, len);
			last->len[u] = (uint8_t)len;
		}
	}
	free(ring);
	free(order);
	free(off);
}

void rs_history_last(rs_history *h, const rs_dataset *d, unsigned splits, int window)
{
	if (!d->ts)
		rs_die("%s:header: the model's history field needs the column 'ts' (as ml-split writes it)",
		       d->src);
	h->window = window;
	h->nusers = d->hdr.nusers;
	h->len = rs_calloc((size_t)h->nusers + 1, sizeof *h->len);
	h->items = rs_malloc(((size_t)h->nusers * (size_t)window + 1) * sizeof *h->items);
	uint8_t *enters = rs_malloc(d->n + 1);
	for (size_t r = 0; r < d->n; r++)
		enters[r] = splits >> d->split[r] & 1;
	rs_history_walk(d->n, d->user, d->item, d->ts, enters, h->nusers, window, NULL, NULL, h);
	free(enters);
}

void rs_history_free(rs_history *h)
{
	free(h->len);
	free(h->items);
	memset(h, 0, sizeof *h);
}
