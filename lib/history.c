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

void rs_history_walk(rs_history *h, size_t n, const uint32_t *user, const uint32_t *item,
		     const int64_t *ts, const uint8_t *enters, uint32_t nusers, size_t *before)
{
	memset(h, 0, sizeof *h);
	h->nusers = nusers;
	/* the records grouped by user (counting sort keeps stream order), then
	 * each user's in time order */
	size_t *off = rs_calloc((size_t)nusers + 2, sizeof *off);
	/* a user the model never saw (RS_NONE, model.h) has no history */
	for (size_t r = 0; r < n; r++)
		if (user[r] < nusers)
			off[user[r] + 2]++;
		else if (before)
			before[r] = 0;
	for (uint32_t u = 0; u < nusers; u++)
		off[u + 2] += off[u + 1];
	when *order = rs_malloc((n + 1) * sizeof *order);
	for (size_t r = 0; r < n; r++)
		if (user[r] < nusers)
			order[off[user[r] + 1]++] = (when){ts[r], r};
	h->off = rs_malloc(((size_t)nusers + 1) * sizeof *h->off);
	h->items = rs_malloc((n + 1) * sizeof *h->items);
	size_t held = 0;
	for (uint32_t u = 0; u < nusers; u++) {
		when *w = order + off[u];
		size_t k = off[u + 1] - off[u];
		size_t j = 1;   /* a stream in time order, as ml-split writes one, needs no sort */
		while (j < k && by_time(&w[j - 1], &w[j]) < 0)
			j++;
		if (j < k)
			qsort(w, k, sizeof *w, by_time);
		h->off[u] = held;
		for (size_t j = 0; j < k; j++) {
			size_t r = w[j].pos;
			if (before)
				before[r] = held - h->off[u];
			if (enters[r] && item[r] != RS_NONE)
				h->items[held++] = item[r];
		}
		if (held - h->off[u] > h->longest)
			h->longest = held - h->off[u];
	}
	h->off[nusers] = held;
	free(order);
	free(off);
}

void rs_history_last(rs_history *h, const rs_dataset *d, unsigned splits)
{
	if (!d->ts)
		rs_die("%s:header: the model's history field needs the column 'ts' (as ml-split writes it)",
		       d->src);
	uint8_t *enters = rs_malloc(d->n + 1);
	for (size_t r = 0; r < d->n; r++)
		enters[r] = splits >> d->split[r] & 1;
	rs_history_walk(h, d->n, d->user, d->item, d->ts, enters, d->hdr.nusers, NULL);
	free(enters);
}

void rs_history_free(rs_history *h)
{
	free(h->off);
	free(h->items);
	memset(h, 0, sizeof *h);
}
