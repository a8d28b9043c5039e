/* negatives.c: the negative sampler (negatives.h). */
#include "negatives.h"
#include "diag.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_negs_init(rs_negs *s, const rs_dataset *d, const rs_user_items *train, int popularity)
{
	memset(s, 0, sizeof *s);
	s->train = train;
	s->nitems = d->hdr.nitems;
	s->popularity = popularity;
	s->pool = rs_malloc((d->n + 1) * sizeof *s->pool);
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] == RS_SPLIT_TRAIN)
			s->pool[s->npool++] = d->item[r];
	uint32_t I = s->nitems, U = d->hdr.nusers;
	s->mark = rs_calloc((size_t)I + 1, sizeof *s->mark);
	s->words = ((size_t)I + 63) / 64;
	if ((size_t)U * s->words <= RS_NEGS_BITS_MAX / sizeof *s->bits) {
		s->bits = rs_calloc((size_t)U * s->words + 1, sizeof *s->bits);
		for (uint32_t u = 0; u < U; u++)
			for (size_t j = train->off[u]; j < train->off[u + 1]; j++) {
				uint32_t i = train->items[j];
				s->bits[(size_t)u * s->words + (i >> 6)] |= (uint64_t)1 << (i & 63);
			}
	}
	s->logq = rs_calloc((size_t)I + 1, sizeof *s->logq);
	if (popularity) {
		for (size_t j = 0; j < s->npool; j++)
			s->logq[s->pool[j]] += 1.0f;
		for (uint32_t i = 0; i < I; i++)
			s->logq[i] = s->logq[i] > 0 ? logf(s->logq[i] / (float)s->npool) : -INFINITY;
	} else {
		for (uint32_t i = 0; i < I; i++)
			s->logq[i] = -logf((float)I);
	}
}

void rs_negs_require_unrated(const rs_dataset *d, const rs_user_items *train)
{
	uint32_t I = d->hdr.nitems;
	for (uint32_t u = 0; u < d->hdr.nusers; u++) {
		uint32_t distinct = 0;   /* the sorted list may repeat an item */
		for (size_t j = train->off[u]; j < train->off[u + 1]; j++)
			distinct += j == train->off[u] || train->items[j] != train->items[j - 1];
		char text[RS_ID_TEXT];
		if (distinct && distinct >= I)
			rs_die("%s: user %s rated every item in train: no negative to draw", d->src,
			       rs_user_text(&d->hdr, u, text));
	}
}

void rs_negs_free(rs_negs *s)
{
	free(s->pool);
	free(s->mark);
	free(s->bits);
	free(s->logq);
	memset(s, 0, sizeof *s);
}

void rs_negs_user(rs_negs *s, uint32_t u)
{
	if (s->bits) {
		s->cur = s->bits + (size_t)u * s->words;
		return;
	}
	if (++s->stamp == 0) {   /* the stamps wrapped: start again */
		memset(s->mark, 0, s->nitems * sizeof *s->mark);
		s->stamp = 1;
	}
	for (size_t j = s->train->off[u]; j < s->train->off[u + 1]; j++)
		s->mark[s->train->items[j]] = s->stamp;
}
