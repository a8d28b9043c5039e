/* fuzz_clicklog: ml-split --format click's reader of delimited click logs,
 * then the stream it writes. The first byte picks the options: 0 none, 1
 * --label none, 2 --numeric b, 3 --categorical b,c, 4 --sep comma; the rest
 * is the text. */
#include "clicklog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;   /* glibc refuses an empty buffer */
	int pick = data[0] % 5;
	rs_clicklog_opts o = {.label = pick == 1 ? "none" : NULL, .numeric = pick == 2 ? "b" : NULL,
			      .categorical = pick == 3 ? "b,c" : NULL, .sep = pick == 4 ? ',' : 0};
	static rs_clicklog c;   /* static: still valid after a caught error */
	rs_clicklog_init(&c);
	FUZZ_GUARD({
		rs_clicklog_read(&c, f, "fuzz", &o);
		char line[512];
		rs_clicklog_describe(&c, line, sizeof line);
		rs_out out;
		rs_out_fd(&out, fuzz_fd(NULL, 0), "fuzz");
		rs_clicklog_write(&c, &out, "fuzz");
		rs_out_commit(&out);
	});
	rs_clicklog_free(&c);
	fclose(f);
	return 0;
}
