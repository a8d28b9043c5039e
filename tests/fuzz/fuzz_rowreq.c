/* fuzz_rowreq: rs-predict --serve's rows of column values (rowreq.h), read
 * from the input as request lines and each parsed. */
#include "fuzz.h"
#include "request.h"
#include "rowreq.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rs_request_reader rd = {.in = f};
	size_t len;
	int got;
	while ((got = rs_request_next(&rd, &len))) {
		rs_rowreq q;
		char err[512];
		if (got < 0 || rs_rowreq_parse(rd.buf, len, &q, err, sizeof err)) {
			if (got >= 0 && (q.n || q.names || q.values))
				abort();   /* a refused row leaves q empty */
			continue;
		}
		for (int i = 0; i < q.n; i++)
			if (!q.names[i])
				abort();   /* every key named */
		rs_rowreq_free(&q);
	}
	rs_request_reader_free(&rd);
	fclose(f);
	return 0;
}
