/* split.h: tag ratings as train or test (RS_SPLIT_*). */
#ifndef RS_SPLIT_H
#define RS_SPLIT_H

#include <stdint.h>

#include "header.h"
#include "ratings.h"

/* Exactly round(n * ratio) test ratings, chosen uniformly (selection
 * sampling, so the choice depends only on n, ratio and seed). */
void rs_split_random(rs_ratings *r, double ratio, uint64_t seed);
/* Each user's latest rating is test; a tie goes to the later line. A user
 * with a single event keeps it in train; returns how many there are. */
uint32_t rs_split_seq_aware(rs_ratings *r);
/* A global cut in time: the events at or after the timestamp that leaves
 * round(n * ratio) events after it are test (more when that timestamp is
 * shared). Returns the cut. */
int64_t rs_split_time(rs_ratings *r, double ratio);
/* Fold k of n (1-based): ratings [(k-1)*N/n, k*N/n) in input order are test,
 * the recipe of MovieLens-100K's u1..u5. */
void rs_split_fold(rs_ratings *r, int k, int n);

#endif
