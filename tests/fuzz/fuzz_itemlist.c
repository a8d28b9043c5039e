/* fuzz_itemlist: rs-recommend's --exclude-items / --candidates reader,
 * against items 1..5, or named a..e when the first byte is odd. */
#include "fuzz.h"
#include "itemlist.h"
#include "names.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const char *const name[5] = {"a", "b", "c", "d", "e"};
	int64_t ids[5] = {1, 2, 3, 4, 5};
	rs_header h = {.nitems = 5, .item_ids = ids};
	if (data[0] & 1) {
		for (int i = 0; i < 5; i++) {
			rs_names_add(&h.item_names, name[i], 1);
			ids[i] = rs_name_key(name[i], 1);
		}
	}
	rs_idmap iid;
	rs_idmap_from(&iid, ids, 5);
	uint8_t mark[5] = {0};
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (f) {
		FUZZ_GUARD(rs_item_list_read(f, "fuzz", &h, &iid, mark));
		fclose(f);
	}
	for (int i = 0; i < 5; i++)
		if (mark[i] > 1)
			abort();   /* a mark is 0 or 1 */
	rs_idmap_free(&iid);
	rs_names_free(&h.item_names);
	return 0;
}
