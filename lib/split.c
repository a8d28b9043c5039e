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

void rs_split_seq_aware(rs_ratings *r)
{
	size_t *latest = rs_malloc((size_t)r->users.n * sizeof *latest);
	for (uint32_t u = 0; u < r->users.n; u++)
		latest[u] = SIZE_MAX;
	for (size_t i = 0; i < r->n; i++) {
		size_t *l = &latest[r->user[i]];
		if (*l == SIZE_MAX || r->ts[i] >= r->ts[*l])
			*l = i;
		r->split[i] = RS_SPLIT_TRAIN;
	}
	for (uint32_t u = 0; u < r->users.n; u++)
		r->split[latest[u]] = RS_SPLIT_TEST;
	free(latest);
}

void rs_split_fold(rs_ratings *r, int k, int n)
{
	size_t lo = (size_t)((unsigned __int128)r->n * (unsigned)(k - 1) / (unsigned)n);
	size_t hi = (size_t)((unsigned __int128)r->n * (unsigned)k / (unsigned)n);
	for (size_t i = 0; i < r->n; i++)
		r->split[i] = i >= lo && i < hi ? RS_SPLIT_TEST : RS_SPLIT_TRAIN;
}
