/* Unit tests of the id map: small numbers (the direct array), large ones and
 * names' keys (the hashed slots), two names of one key, and a rehash. */
#include <stdlib.h>

#include "idmap.h"
#include "names.h"
#include "tap.h"

int main(void)
{
	rs_idmap m;
	rs_idmap_init(&m);
	static const int64_t raw[] = {7, 1 << 23, 3, 7, (int64_t)1 << 40, 0, 1 << 23};
	static const uint32_t want[] = {0, 1, 2, 0, 3, 4, 1};
	int bad = 0;
	for (int i = 0; i < 7; i++)
		bad += rs_idmap_add(&m, raw[i]) != want[i];
	ok(!bad && m.n == 5, "dense ids in order of first sight, small and large numbers alike (%u ids)", m.n);
	ok(rs_idmap_find(&m, 3) == 2 && rs_idmap_find(&m, (int64_t)1 << 40) == 3 &&
	   rs_idmap_find(&m, 4) == UINT32_MAX && rs_idmap_find(&m, (int64_t)1 << 41) == UINT32_MAX,
	   "find: present ids by both paths, absent ones UINT32_MAX");
	/* 100000 ids through growth of both tables */
	rs_idmap big;
	rs_idmap_init(&big);
	bad = 0;
	for (uint32_t i = 0; i < 100000; i++)
		bad += rs_idmap_add(&big, i % 2 ? (int64_t)i * 1000003 : (int64_t)i) != i;
	for (uint32_t i = 0; i < 100000; i++)
		bad += rs_idmap_find(&big, i % 2 ? (int64_t)i * 1000003 : (int64_t)i) != i;
	ok(!bad, "100000 ids through the tables' growth (%d wrong)", bad);
	/* a rehash after the ids changed in place (the k-core's renumbering) */
	for (uint32_t d = 0; d < big.n; d++)
		big.ids[d] = (int64_t)big.n - 1 - d;
	rs_idmap_rehash(&big);
	ok(rs_idmap_find(&big, 0) == big.n - 1 && rs_idmap_find(&big, (int64_t)big.n - 1) == 0 &&
	   rs_idmap_find(&big, 3 * 1000003) == UINT32_MAX, "a rehash indexes the ids as they are now");
	/* names: the key and the check */
	int64_t ka = rs_name_key("u17", 3);
	uint32_t ca = rs_name_check("u17", 3), cb = rs_name_check("u71", 3);
	ok(ka == rs_name_key("u17", 3) && ka != rs_name_key("u71", 3) && ka >= 0 && ca != cb && ca,
	   "a name's key is non-negative and its own; checks differ and are never 0");
	uint32_t d = rs_idmap_add_checked(&m, ka, ca);
	ok(rs_idmap_add_checked(&m, ka, ca) == d && rs_idmap_add_checked(&m, ka, cb) == RS_IDMAP_CLASH,
	   "the same name finds its id; another name of the same key is a clash");
	rs_idmap_free(&m);
	rs_idmap_free(&big);
	return tap_done();
}
