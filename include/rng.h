/* rng.h: seeded randomness (xoshiro256** seeded through splitmix64).
 * The same seed gives the same sequence on every machine. */
#ifndef RS_RNG_H
#define RS_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rs_rng {
	uint64_t s[4];
} rs_rng;

void rs_rng_seed(rs_rng *r, uint64_t seed);
uint64_t rs_rng_u64(rs_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double rs_rng_uniform(rs_rng *r);
/* Uniform integer in [0, n), unbiased; n > 0. */
uint32_t rs_rng_below(rs_rng *r, uint32_t n);
/* Fisher-Yates over a[0..n), n below 2^32: the same order for the same
 * state. */
void rs_rng_shuffle(rs_rng *r, uint32_t *a, size_t n);
/* Standard normal (Box-Muller; no cached second value, so the stream of
 * draws depends only on the number of calls). */
double rs_rng_normal(rs_rng *r);
/* n independent standard normals into out, both of each Box-Muller pair
 * (n / 2 rounded up pairs of uniforms): for draws that take many at once. */
void rs_rng_normals(rs_rng *r, double *out, int n);

/* Gamma with this shape (> 0) and rate (> 0): mean shape / rate. */
double rs_rng_gamma(rs_rng *r, double shape, double rate);
/* A standard normal conditioned to lie above a. */
double rs_rng_normal_above(rs_rng *r, double a);

/* Selection sampling (Knuth's algorithm S), the one way rspipe picks an
 * exact share of items (ml-split's test records, the trainers' validation
 * records): walking the items, take each with probability need/left, left
 * counting the items not yet visited, this one included. Exactly the first
 * need are taken over the walk, every subset equally likely. Returns 1 to
 * take the item, and counts it off need. */
int rs_rng_select(rs_rng *r, size_t *need, size_t left);
/* How many items a share of n is: n * ratio rounded to nearest. */
size_t rs_share(size_t n, double ratio);

#endif
