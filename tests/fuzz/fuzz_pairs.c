/* fuzz_pairs: rs-predict's reader of 'user item [rating [ts]]' lines. */
#include "fuzz.h"
#include "pairs.h"

static void sink(void *ctx, const rs_pair *p)
{
	(void)ctx;
	if (p->has_rating && p->rating != p->rating)
		abort();   /* a NaN rating must have been refused */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	FUZZ_GUARD(rs_pairs_read(f, "fuzz", NULL, sink, NULL));
	fclose(f);
	return 0;
}
