/* The pair set: every member found, strangers found at the rate the bits
 * promise, about RS_PAIRSET_BITS + 2 bits a pair, and a damaged file
 * refused. */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "pairset.h"
#include "rng.h"
#include "tap.h"

int main(void)
{
	enum { N = 90000, M = 200000 };
	uint64_t *keys = rs_malloc((N + 10) * sizeof *keys), *q = rs_malloc(M * sizeof *q);
	for (int i = 0; i < N; i++)   /* users 1..943 by items 1..96: distinct pairs */
		keys[i] = rs_pair_key(1 + i % 943, 1 + i / 943);
	for (int i = 0; i < 10; i++)   /* repeats count once in the set */
		keys[N + i] = keys[i];
	uint64_t *copy = rs_malloc((N + 10) * sizeof *copy);
	memcpy(copy, keys, (N + 10) * sizeof *copy);
	rs_pairset s;
	rs_pairset_build(&s, copy, N + 10);
	ok(s.n == N, "%llu distinct pairs of %d keys", (unsigned long long)s.n, N + 10);
	double bits = 8.0 * s.nbytes / s.n;
	ok(bits > RS_PAIRSET_BITS + 1 && bits < RS_PAIRSET_BITS + 2.5, "%.2f bits a pair", bits);
	ok(rs_pairset_check(&s) == 0, "the coded set checks");

	memcpy(copy, keys, N * sizeof *copy);
	ok(rs_pairset_count(&s, copy, N) == N, "every member is found");
	for (int i = 0; i < M; i++)   /* raw ids no member has */
		q[i] = rs_pair_key(5000 + i, 7);
	size_t false_hits = rs_pairset_count(&s, q, M);
	/* expected M / 2^20 = 0.19; P(X >= 4) < 1e-4 for a Poisson of 0.19 */
	ok(false_hits < 4, "%zu of %d strangers read as members", false_hits, M);
	q[0] = rs_pair_key(1, 1), q[1] = q[0], q[2] = rs_pair_key(1, 97);
	ok(rs_pairset_count(&s, q, 3) == 2, "a member asked twice counts twice");

	rs_pairset bad = {s.n, rs_malloc(s.nbytes + 1), s.nbytes + 1};
	memcpy(bad.bits, s.bits, s.nbytes);
	bad.bits[s.nbytes] = 1;
	ok(rs_pairset_check(&bad) == -1, "a set with bits after its last gap is refused");
	bad.nbytes = s.nbytes - 1;
	ok(rs_pairset_check(&bad) == -1, "a truncated set is refused");
	bad.nbytes = s.nbytes;
	bad.n = s.n + 1;
	ok(rs_pairset_check(&bad) == -1, "a set claiming one pair more is refused");
	memset(bad.bits, 0xff, s.nbytes);
	bad.n = s.n;
	ok(rs_pairset_check(&bad) == -1, "gaps past the range are refused");
	free(bad.bits);

	rs_pairset e;
	rs_pairset_build(&e, q, 0);
	ok(e.n == 0 && rs_pairset_check(&e) == 0 && rs_pairset_count(&e, keys, 5) == 0,
	   "the empty set");
	rs_pairset_free(&e);
	rs_pairset_free(&s);
	free(keys);
	free(copy);
	free(q);
	return tap_done();
}
