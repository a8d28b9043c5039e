/* fuzz_ratings: ml-split's parser of event logs and ratings text. The
 * first byte picks the layout as the options would: 0-3 a --format (auto,
 * tab, dat, csv), 4 --columns item,user,-,ts --sep comma, 5 --sep space
 * --header, 6 --columns user,item,rating with '::', 7 --format seq; the
 * rest is the text. */
#include "fuzz.h"
#include "ratings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;   /* glibc refuses an empty buffer */
	rs_layout l;
	char err[160];
	int pick = data[0] % 8;
	rs_format_layout(pick < 4 ? (rs_format)pick : pick == 7 ? RS_FORMAT_SEQ : RS_FORMAT_AUTO, &l);
	if (pick == 4 && (rs_layout_columns(&l, "item,user,-,ts", err, sizeof err) || rs_layout_sep(&l, "comma", err, sizeof err)))
		abort();
	if (pick == 5 && rs_layout_sep(&l, "space", err, sizeof err))
		abort();
	l.header = pick == 5;
	if (pick == 6 && (rs_layout_columns(&l, "user,item,rating", err, sizeof err) || rs_layout_sep(&l, "::", err, sizeof err)))
		abort();
	rs_ratings r;
	rs_ratings_init(&r);
	FUZZ_GUARD(rs_ratings_read(&r, f, "fuzz", &l, 0));
	rs_ratings_free(&r);
	fclose(f);
	return 0;
}
