/* fuzz_ratings: ml-split's parser of ratings text. The first byte picks the
 * format as --format would (auto, tab, dat, csv); the rest is the text. */
#include "fuzz.h"
#include "ratings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;   /* glibc refuses an empty buffer */
	rs_ratings r;
	rs_ratings_init(&r);
	rs_layout l;
	rs_format_layout((rs_format)(data[0] % 4), &l);
	FUZZ_GUARD(rs_ratings_read(&r, f, "fuzz", &l, 0));
	rs_ratings_free(&r);
	fclose(f);
	return 0;
}
