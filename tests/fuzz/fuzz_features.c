/* fuzz_features: ml-onehot's generic feature files (--user-features,
 * --item-features), joined to a stream of users and items: numeric ids 1..5,
 * or names a..e. The first byte picks users or items, numbers or names. */
#include "featfile.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static int64_t ids[5] = {1, 2, 3, 4, 5};
	rs_header h = {.nusers = 5, .nitems = 5, .user_ids = ids, .item_ids = ids};
	int names = data[0] & 2;
	int64_t keys[5];
	if (names) {   /* string ids: the names a..e, known by their keys */
		for (int i = 0; i < 5; i++) {
			char c = (char)('a' + i);
			rs_names_add(&h.user_names, &c, 1);
			keys[i] = rs_name_key(&c, 1);
		}
		h.item_names = h.user_names;
		h.user_ids = h.item_ids = keys;
	}
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	rs_side s;
	rs_side_init(&s, &h);
	FUZZ_GUARD(rs_features_read_file(&s, &h, f, "fuzz", data[0] & 1));
	rs_side_free(&s);
	fclose(f);
	if (names)
		rs_names_free(&h.user_names);
	return 0;
}
