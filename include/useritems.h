/* useritems.h: per-user item lists (CSR), of a dataset's splits or of
 * plain arrays. */
#ifndef RS_USERITEMS_H
#define RS_USERITEMS_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

/* Each user's items among the records of one split, as CSR: user u's items
 * are items[off[u] .. off[u+1]), sorted. */
typedef struct rs_user_items {
	size_t *off;         /* (nusers + 1) */
	uint32_t *items;
} rs_user_items;

/* The records whose split is in the set: bit s for split s (RS_SPLITS). */
#define RS_SPLITS(s) (1u << (s))
void rs_user_items_build(rs_user_items *ui, const rs_dataset *d, unsigned splits);
/* The same over arrays: the items of records r with keep[r], by user. */
void rs_user_items_of(rs_user_items *ui, size_t n, const uint32_t *user, const uint32_t *item,
		      const uint8_t *keep, uint32_t nusers);
void rs_user_items_free(rs_user_items *ui);
/* Keep the items of at most max of the users who have any, drawn with the
 * seed, and empty the others' lists: a training's per-epoch ranking costs
 * users x items scores, too many to score every epoch at scale. */
#define RS_EVAL_USERS 2000
void rs_user_items_sample(rs_user_items *ui, uint32_t nusers, uint32_t max, uint64_t seed);
/* How many users of d have records but none in train (a model trained to
 * rank has nothing to learn their choices from), with one line on stderr
 * when there are any: trainers skip them. */
size_t rs_users_without_train(const rs_dataset *d, const rs_user_items *train);

#endif
