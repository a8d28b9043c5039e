/* fuzz_libfm: ml-split --format libfm and libffm's reader, then the stream
 * it writes. The first byte picks: even libFM's lines, odd libffm's; the
 * rest is the text. */
#include "fuzz.h"
#include "libfm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;   /* glibc refuses an empty buffer */
	static rs_clicklog c;   /* static: still valid after a caught error */
	rs_clicklog_init(&c);
	FUZZ_GUARD({
		rs_libfm_read(&c, f, "fuzz", data[0] & 1);
		rs_out out;
		rs_out_fd(&out, fuzz_fd(NULL, 0), "fuzz");
		rs_clicklog_write(&c, &out, "fuzz");
		rs_out_commit(&out);
	});
	rs_clicklog_free(&c);
	fclose(f);
	return 0;
}
