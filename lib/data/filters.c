/* filters.c: repeated pairs and the k-core (filters.h). */
#include "filters.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* dense ids renumbered by first appearance among the kept events; the id
 * map and names rebuilt to match */
static void renumber(rs_idmap *m, rs_names *nm, uint32_t *id, size_t n)
{
	uint32_t old = m->n, next = 0;
	uint32_t *to = rs_malloc(((size_t)old + 1) * sizeof *to);
	for (uint32_t d = 0; d < old; d++)
		to[d] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		if (to[id[i]] == UINT32_MAX)
			to[id[i]] = next++;
		id[i] = to[id[i]];
	}
	int64_t *ids = rs_malloc(((size_t)next + 1) * sizeof *ids);
	rs_names names = {0};
	uint32_t *from = rs_malloc(((size_t)next + 1) * sizeof *from);
	for (uint32_t d = 0; d < old; d++)
		if (to[d] != UINT32_MAX)
			from[to[d]] = d;
	for (uint32_t d = 0; d < next; d++) {
		ids[d] = m->ids[from[d]];
		if (rs_names_on(nm)) {
			const char *s = rs_names_at(nm, from[d]);
			rs_names_add(&names, s, strlen(s));
		}
	}
	if (rs_names_on(nm)) {
		rs_names_free(nm);
		*nm = names;
	}
	free(m->ids);
	m->ids = ids;
	m->n = m->cap = next;
	rs_idmap_rehash(m);
	free(to);
	free(from);
}

void rs_ratings_keep(rs_ratings *r, const uint8_t *keep)
{
	size_t w = 0;
	for (size_t i = 0; i < r->n; i++)
		if (keep[i]) {
			r->user[w] = r->user[i];
			r->item[w] = r->item[i];
			r->rating[w] = r->rating[i];
			r->ts[w] = r->ts[i];
			r->split[w] = r->split[i];
			w++;
		}
	r->n = w;
	renumber(&r->users, &r->user_names, r->user, w);
	renumber(&r->items, &r->item_names, r->item, w);
}

static const rs_ratings *sorting;

/* by pair, then time, then input order */
static int by_pair_time(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const rs_ratings *r = sorting;
	if (r->user[i] != r->user[j])
		return r->user[i] < r->user[j] ? -1 : 1;
	if (r->item[i] != r->item[j])
		return r->item[i] < r->item[j] ? -1 : 1;
	if (r->ts[i] != r->ts[j])
		return r->ts[i] < r->ts[j] ? -1 : 1;
	return (i > j) - (i < j);
}

size_t rs_dedupe(rs_ratings *r, int keep_last)
{
	size_t *order = rs_malloc((r->n + 1) * sizeof *order);
	for (size_t i = 0; i < r->n; i++)
		order[i] = i;
	sorting = r;
	qsort(order, r->n, sizeof *order, by_pair_time);
	uint8_t *keep = rs_calloc(r->n + 1, 1);
	size_t dropped = 0;
	for (size_t a = 0; a < r->n;) {
		size_t b = a;
		while (b + 1 < r->n && r->user[order[b + 1]] == r->user[order[a]] &&
		       r->item[order[b + 1]] == r->item[order[a]])
			b++;
		keep[order[keep_last ? b : a]] = 1;
		dropped += b - a;
		a = b + 1;
	}
	if (dropped)
		rs_ratings_keep(r, keep);
	free(keep);
	free(order);
	return dropped;
}

size_t rs_kcore(rs_ratings *r, size_t min_user, size_t min_item, int *rounds)
{
	size_t before = r->n;
	*rounds = 0;
	uint8_t *keep = rs_malloc(r->n + 1);
	for (;;) {
		size_t *nu = rs_calloc((size_t)r->users.n + 1, sizeof *nu);
		size_t *ni = rs_calloc((size_t)r->items.n + 1, sizeof *ni);
		for (size_t i = 0; i < r->n; i++)
			nu[r->user[i]]++, ni[r->item[i]]++;
		size_t drop = 0;
		for (size_t i = 0; i < r->n; i++) {
			keep[i] = nu[r->user[i]] >= min_user && ni[r->item[i]] >= min_item;
			drop += !keep[i];
		}
		free(nu);
		free(ni);
		if (!drop)
			break;
		(*rounds)++;
		rs_ratings_keep(r, keep);
	}
	free(keep);
	return before - r->n;
}
