/* negatives.h: the sampler of negative items shared by the ranking losses.
 * q(i) is 1/I (uniform) or i's share of the train records (popularity: a
 * draw is a train record's item). A BPR negative is a draw that is not
 * among its user's train items, each draw one look at a mark: every
 * user's items are marked once, in a bit set of users x items when that
 * takes at most RS_NEGS_BITS_MAX bytes, else each time a user's negatives
 * are drawn (rs_negs_user). */
#ifndef RS_NEGATIVES_H
#define RS_NEGATIVES_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "useritems.h"

typedef struct rs_negs {
	const rs_user_items *train;
	uint32_t *pool;              /* (npool) the train records' items */
	size_t npool;
	uint32_t nitems;
	int popularity;
	uint32_t *mark, stamp;       /* (nitems) the marked user's items hold stamp */
	uint64_t *bits;              /* (nusers, words) user u's items, or NULL */
	size_t words;
	const uint64_t *cur;         /* the marked user's row of bits */
	float *logq;                 /* (nitems) log q(i) */
} rs_negs;

#define RS_NEGS_BITS_MAX (256u << 20)

/* Over d's train records (train: each user's items among them). */
void rs_negs_init(rs_negs *s, const rs_dataset *d, const rs_user_items *train, int popularity);
void rs_negs_free(rs_negs *s);
/* Exits naming the first user of train (d's) with every item rated: the
 * draws of rs_negs_unrated would never end for them. */
void rs_negs_require_unrated(const rs_dataset *d, const rs_user_items *train);
/* An item drawn from q. */
static inline uint32_t rs_negs_draw(const rs_negs *s, rs_rng *rng)
{
	return s->popularity ? s->pool[rs_rng_below(rng, (uint32_t)s->npool)] : rs_rng_below(rng, s->nitems);
}
/* Mark user u's train items: the draws below avoid them. */
void rs_negs_user(rs_negs *s, uint32_t u);
/* An item from q not among the marked user's (one must exist). */
static inline uint32_t rs_negs_unrated(const rs_negs *s, rs_rng *rng)
{
	uint32_t j;
	if (s->cur) {
		do
			j = rs_negs_draw(s, rng);
		while (s->cur[j >> 6] >> (j & 63) & 1);
		return j;
	}
	do
		j = rs_negs_draw(s, rng);
	while (s->mark[j] == s->stamp);
	return j;
}

#endif
