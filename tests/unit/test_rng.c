/* The RNG: the same seed the same sequence, normal draws of mean 0 and
 * variance 1, below(n) below n, and a sequence stable across builds. */
#include <math.h>
#include <stdint.h>

#include "rng.h"
#include "tap.h"

int main(void)
{
	rs_rng a, b, c;
	rs_rng_seed(&a, 7);
	rs_rng_seed(&b, 7);
	rs_rng_seed(&c, 8);
	int same = 1, differ = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rs_rng_u64(&a);
		same &= x == rs_rng_u64(&b);
		differ |= x != rs_rng_u64(&c);
	}
	ok(same && differ, "the same seed gives the same sequence, another seed another");
	double sum = 0, sq = 0;
	int inrange = 1;
	for (int i = 0; i < 100000; i++) {
		double z = rs_rng_normal(&a);
		sum += z, sq += z * z;
		inrange &= rs_rng_below(&a, 7) < 7;
	}
	ok(fabs(sum / 1e5) < 0.02 && fabs(sq / 1e5 - 1) < 0.02 && inrange,
	   "normal draws have mean 0 and variance 1; below(n) stays below n");
	rs_rng_seed(&a, 1);
	ok(rs_rng_u64(&a) == 0xb3f2af6d0fc710c5ULL, "xoshiro256** seeded by splitmix64(1) is stable across builds");
	return tap_done();
}
