/* split.c: the split protocols of ml-split. */
#include "split.h"
#include "mem.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

void rs_split_random(rs_ratings *r, double ratio, uint64_t seed)
{
	rs_rng rng;
	rs_rng_seed(&rng, seed);
	size_t need = rs_share(r->n, ratio);
	for (size_t i = 0; i < r->n; i++)
		r->split[i] = rs_rng_select(&rng, &need, r->n - i) ? RS_SPLIT_TEST : RS_SPLIT_TRAIN;
}

uint32_t rs_split_seq_aware(rs_ratings *r)
{
	size_t *latest = rs_malloc(((size_t)r->users.n + 1) * sizeof *latest);
	uint32_t *count = rs_calloc((size_t)r->users.n + 1, sizeof *count);
	for (uint32_t u = 0; u < r->users.n; u++)
		latest[u] = SIZE_MAX;
	for (size_t i = 0; i < r->n; i++) {
		size_t *l = &latest[r->user[i]];
		if (*l == SIZE_MAX || r->ts[i] >= r->ts[*l])
			*l = i;
		r->split[i] = RS_SPLIT_TRAIN;
		count[r->user[i]] += count[r->user[i]] < 2;
	}
	uint32_t single = 0;
	for (uint32_t u = 0; u < r->users.n; u++) {
		if (count[u] == 1) {   /* nothing would be left to learn them from */
			single++;
			continue;
		}
		r->split[latest[u]] = RS_SPLIT_TEST;
	}
	free(latest);
	free(count);
	return single;
}

static const int64_t *ts_of;

static int by_ts(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (ts_of[i] != ts_of[j])
		return ts_of[i] < ts_of[j] ? -1 : 1;
	return (i > j) - (i < j);
}

int64_t rs_split_time(rs_ratings *r, double ratio)
{
	size_t *order = rs_malloc((r->n + 1) * sizeof *order);
	for (size_t i = 0; i < r->n; i++)
		order[i] = i;
	ts_of = r->ts;
	qsort(order, r->n, sizeof *order, by_ts);
	size_t ntest = rs_share(r->n, ratio);
	int64_t cut = ntest ? r->ts[order[r->n - ntest]] : INT64_MAX;
	/* every event at or after the cut is test: ties never straddle it */
	for (size_t i = 0; i < r->n; i++)
		r->split[i] = r->ts[i] >= cut ? RS_SPLIT_TEST : RS_SPLIT_TRAIN;
	free(order);
	return cut;
}

void rs_split_fold(rs_ratings *r, int k, int n)
{
	size_t lo = (size_t)((unsigned __int128)r->n * (unsigned)(k - 1) / (unsigned)n);
	size_t hi = (size_t)((unsigned __int128)r->n * (unsigned)k / (unsigned)n);
	for (size_t i = 0; i < r->n; i++)
		r->split[i] = i >= lo && i < hi ? RS_SPLIT_TEST : RS_SPLIT_TRAIN;
}
