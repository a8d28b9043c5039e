/* history.c: previous items per user (history.h). */
#include "history.h"
#include "cli.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* The records r < n of known users, by ts then stream order: an LSD radix
 * sort of the times (stable, so equal times keep stream order), a byte a
 * pass, passes whose byte is the same for every record skipped (a log's
 * times share their high bytes). Returns how many, into order. */
static size_t by_time(size_t n, const uint32_t *user, const int64_t *ts, uint32_t nusers,
		      size_t *order)
{
	size_t m = 0;
	for (size_t r = 0; r < n; r++)
		if (user[r] < nusers)
			order[m++] = r;
	size_t *tmp = rs_malloc((m + 1) * sizeof *tmp), count[257];
	for (int shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		/* the sign bit flipped: negative times sort first */
		for (size_t j = 0; j < m; j++)
			count[(((uint64_t)ts[order[j]] ^ (1ull << 63)) >> shift & 255) + 1]++;
		int one = 0;
		for (int b = 1; b <= 256; b++)
			one |= count[b] == m;
		if (one)
			continue;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t j = 0; j < m; j++)
			tmp[count[((uint64_t)ts[order[j]] ^ (1ull << 63)) >> shift & 255]++] = order[j];
		memcpy(order, tmp, m * sizeof *order);
	}
	free(tmp);
	return m;
}

void rs_history_walk(rs_history *h, size_t n, const uint32_t *user, const uint32_t *item,
		     const int64_t *ts, const uint8_t *enters, uint32_t nusers, size_t *before)
{
	memset(h, 0, sizeof *h);
	h->nusers = nusers;
	/* a user the model never saw (RS_NONE, model.h) has no history */
	if (before)
		for (size_t r = 0; r < n; r++)
			before[r] = 0;
	size_t *timed = rs_malloc((n + 1) * sizeof *timed), m = by_time(n, user, ts, nusers, timed);
	/* then grouped by user, a counting sort that keeps the time order */
	size_t *off = rs_calloc((size_t)nusers + 2, sizeof *off);
	for (size_t j = 0; j < m; j++)
		off[user[timed[j]] + 2]++;
	for (uint32_t u = 0; u < nusers; u++)
		off[u + 2] += off[u + 1];
	size_t *order = rs_malloc((m + 1) * sizeof *order);
	for (size_t j = 0; j < m; j++)
		order[off[user[timed[j]] + 1]++] = timed[j];
	free(timed);
	h->off = rs_malloc(((size_t)nusers + 1) * sizeof *h->off);
	h->items = rs_malloc((n + 1) * sizeof *h->items);
	size_t held = 0;
	for (uint32_t u = 0; u < nusers; u++) {
		h->off[u] = held;
		for (size_t j = off[u]; j < off[u + 1]; j++) {
			size_t r = order[j];
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
