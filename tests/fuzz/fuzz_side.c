/* fuzz_side: the u.user and u.item parsers of ml-onehot and the scorers,
 * and rs-recommend's title reader, joined to a stream of users and items
 * 1..5, and every user of a users file (a new user's side features). The
 * first byte picks which. */
#include "fuzz.h"
#include "onehot.h"
#include "titles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static int64_t ids[5] = {1, 2, 3, 4, 5};
	rs_header h = {.nusers = 5, .nitems = 5, .user_ids = ids, .item_ids = ids};
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	rs_side s;
	rs_side_init(&s, &h);
	rs_idmap every = {0};
	FUZZ_GUARD({
		if (data[0] % 4 == 3)
			rs_side_read_every_user(&s, &every, f, "fuzz");
		else if (data[0] % 4 == 2)
			rs_titles_free(rs_side_read_titles(&h, f, "fuzz"), h.nitems);
		else if (data[0] % 4 == 1)
			rs_side_read_items(&s, &h, f, "fuzz");
		else
			rs_side_read_users(&s, &h, f, "fuzz");
	});
	rs_side_free(&s);
	rs_idmap_free(&every);
	fclose(f);
	return 0;
}
