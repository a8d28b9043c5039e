/* useritems.c: each user's items (or each item's users) among a set of
 * records, as sorted CSR lists. */
#include "useritems.h"
#include "cli.h"
#include "mem.h"
#include "rng.h"

#include <stdlib.h>
#include <string.h>

void rs_user_items_of(rs_user_items *ui, size_t n, const uint32_t *user, const uint32_t *item,
		      const uint8_t *keep, uint32_t U)
{
	ui->off = rs_calloc((size_t)U + 1, sizeof *ui->off);
	uint32_t most = 0;
	for (size_t r = 0; r < n; r++)
		if (keep[r]) {
			ui->off[user[r] + 1]++;
			most = item[r] > most ? item[r] : most;
		}
	for (uint32_t u = 0; u < U; u++)
		ui->off[u + 1] += ui->off[u];
	/* the kept records by item (a counting sort), then dealt to their
	 * users in that order: each list comes out sorted, in O(n + items) */
	size_t *at = rs_calloc((size_t)most + 2, sizeof *at), total = ui->off[U];
	for (size_t r = 0; r < n; r++)
		if (keep[r])
			at[item[r] + 1]++;
	for (uint32_t i = 0; i <= most; i++)
		at[i + 1] += at[i];
	size_t *order = rs_malloc((total + 1) * sizeof *order);
	for (size_t r = 0; r < n; r++)
		if (keep[r])
			order[at[item[r]]++] = r;
	ui->items = rs_malloc((total + 1) * sizeof *ui->items);
	size_t *fill = rs_malloc(((size_t)U + 1) * sizeof *fill);
	memcpy(fill, ui->off, ((size_t)U + 1) * sizeof *fill);
	for (size_t j = 0; j < total; j++)
		ui->items[fill[user[order[j]]]++] = item[order[j]];
	free(fill);
	free(order);
	free(at);
}

void rs_user_items_build(rs_user_items *ui, const rs_dataset *d, unsigned splits)
{
	uint8_t *keep = rs_malloc(d->n + 1);
	/* a record of an id the model never saw (model.h) has no place here */
	for (size_t r = 0; r < d->n; r++)
		keep[r] = (splits >> d->split[r] & 1) && d->user[r] != RS_NONE && d->item[r] != RS_NONE;
	rs_user_items_of(ui, d->n, d->user, d->item, keep, d->hdr.nusers);
	free(keep);
}

size_t rs_users_without_train(const rs_dataset *d, const rs_user_items *train)
{
	uint8_t *seen = rs_calloc((size_t)d->hdr.nusers + 1, 1);
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r];
		if (u != RS_NONE && !seen[u] && train->off[u] == train->off[u + 1])
			n++, seen[u] = 1;
	}
	free(seen);
	if (n)
		rs_warn("%s: %zu users have records but none in train: nothing to learn their choices "
			"from; skipped in training", d->src, n);
	return n;
}

void rs_user_items_sample(rs_user_items *ui, uint32_t nusers, uint32_t max, uint64_t seed)
{
	size_t have = 0;
	for (uint32_t u = 0; u < nusers; u++)
		have += ui->off[u + 1] > ui->off[u];
	if (have <= max)
		return;
	rs_rng rng;
	rs_rng_seed(&rng, seed ^ 0x9e3779b9u);
	size_t need = max, w = 0;
	for (uint32_t u = 0; u < nusers; u++) {
		size_t a = ui->off[u], b = ui->off[u + 1];
		ui->off[u] = w;
		if (a < b && rs_rng_select(&rng, &need, have--))
			for (size_t j = a; j < b; j++)   /* w <= a: compacting in place */
				ui->items[w++] = ui->items[j];
	}
	ui->off[nusers] = w;
}

void rs_user_items_free(rs_user_items *ui)
{
	free(ui->off);
	free(ui->items);
	memset(ui, 0, sizeof *ui);
}

