/* fuzz_request: --serve's request lines (request.h), read from the input
 * as a stream of lines and each parsed. */
#include "fuzz.h"
#include "names.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>

static void check_id(const char *id)
{
	if (id && (!*id || strlen(id) > RS_MAX_ID_LEN))
		abort();   /* an id is 1 to RS_MAX_ID_LEN bytes */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rs_request_reader rd = {.in = f};
	size_t len;
	int got;
	while ((got = rs_request_next(&rd, &len))) {
		rs_request q;
		char err[512];
		if (got < 0 || rs_request_parse(rd.buf, len, &q, err, sizeof err))
			continue;
		check_id(q.user);
		check_id(q.item);
		check_id(q.similar);
		for (int j = 0; j < q.nliked; j++)
			check_id(q.liked[j]);
		if ((q.liked && !q.nliked) || q.k < 0 || q.k > RS_REQUEST_MAX_K)
			abort();
		rs_request_free(&q);
	}
	rs_request_reader_free(&rd);
	fclose(f);
	return 0;
}
