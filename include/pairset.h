/* pairset.h: the (user, item) pairs a model was trained on, kept small
 * enough to travel in the model file, so that a stream whose test records
 * were training data is caught (rs-eval, rs-recommend).
 *
 * A pair is the 64-bit hash of its raw ids, so the set does not depend on
 * any stream's dense ids. The n distinct hashes are reduced to
 * [0, n * 2^RS_PAIRSET_BITS), sorted, and stored as Golomb-Rice-coded gaps:
 * about RS_PAIRSET_BITS + 2 bits a pair. A pair outside the set reads as in
 * it with probability 2^-RS_PAIRSET_BITS (one in a million). */
#ifndef RS_PAIRSET_H
#define RS_PAIRSET_H

#include <stddef.h>
#include <stdint.h>

#define RS_PAIRSET_BITS 20

typedef struct rs_pairset {
	uint64_t n;        /* distinct pairs */
	uint8_t *bits;     /* (nbytes) the coded gaps, least significant bit first */
	size_t nbytes;
} rs_pairset;

uint64_t rs_pair_key(int64_t user, int64_t item);
/* The set of keys[0..n) (reordered in place). */
void rs_pairset_build(rs_pairset *s, uint64_t *keys, size_t n);
/* How many of keys[0..m) are in the set, each occurrence counted (keys
 * reordered in place). */
size_t rs_pairset_count(const rs_pairset *s, uint64_t *keys, size_t m);
/* Whether bits hold exactly n gaps and nothing after them (a loaded file):
 * 0, or -1. */
int rs_pairset_check(const rs_pairset *s);
void rs_pairset_free(rs_pairset *s);

#endif
