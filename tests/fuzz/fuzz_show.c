/* fuzz_show: what rs-show prints: a model's map as JSON, or a stream's
 * header as JSON and its records as JSON and TSV. */
#include "fuzz.h"
#include "json.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	if (!out && !(out = fopen("/dev/null", "w")))
		abort();
	int fd = fuzz_fd(data, size);
	static rs_reader r;
	memset(&r, 0, sizeof r);
	msgpack_object first;
	FUZZ_GUARD({
		if (rs_reader_start(&r, fd, "fuzz", &first) == 0) {
			if (rs_obj_is(rs_map_get(&first, "format"), RS_MODEL_FORMAT)) {
				rs_json_print(out, &first);
			} else if (rs_reader_header(&r, &first) == 0) {
				rs_json_header(out, &r.hdr);
				const msgpack_object *rec;
				while ((rec = rs_reader_next(&r)))
					for (int i = 0; i < r.hdr.ncol; i++) {
						rs_json_print(out, &rec[i]);
						rs_tsv_print(out, &rec[i]);
					}
			}
		}
	});
	fuzz_close_reader(&r);
	close(fd);
	return 0;
}
