/* fuzz_colenc: ml-onehot's reading of a click stream's feature columns (a
 * header's attributes, each record's values) and their encodings; the
 * first byte picks them: 0 onehot and log2, 1 --min-count 2 and quantile,
 * 2 --hash-bits 3 and scale; the rest is the stream. */
#include "colenc.h"
#include "fuzz.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int pick = data[0] % 3;
	rs_colenc_opts o = {.min_count = pick == 1 ? 2 : 1, .hash_bits = pick == 2 ? 3 : 0,
			    .numbers = pick == 1 ? RS_ENC_QUANTILE : pick == 2 ? RS_ENC_SCALE : RS_ENC_LOG2,
			    .quantiles = 4};
	int fd = fuzz_fd(data + 1, size - 1);
	static rs_reader r;   /* static: still valid after a caught error */
	static rs_colenc c;
	static rs_header h;
	static rs_reader r2;
	static uint32_t *x;
	static float *xv;
	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	memset(&h, 0, sizeof h);
	memset(&r2, 0, sizeof r2);
	x = NULL, xv = NULL;
	FUZZ_GUARD({
		if (rs_reader_open(&r, fd, "fuzz") == 0) {
			rs_colenc_init(&c, &r.hdr, &o, NULL, "fuzz");
			const msgpack_object *rec;
			int cs = rs_header_col(&r.hdr, RS_COL_SPLIT);
			/* the values are checked by the count, then each
			 * record's features made, as ml-onehot makes them */
			while ((rec = rs_reader_next(&r)))
				rs_colenc_count(&c, &r, rec, cs < 0 || rec[cs].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
							     rec[cs].via.u64 == 0);
			rs_colenc_finish(&c);
			rs_header_copy(&h, &r.hdr);
			rs_colenc_layout(&c, &h);
			x = rs_malloc((c.most + 1) * sizeof *x);
			xv = rs_malloc((c.most + 1) * sizeof *xv);
			if (lseek(fd, 0, SEEK_SET) || rs_reader_open(&r2, fd, "fuzz"))
				abort();
			while ((rec = rs_reader_next(&r2)))
				rs_colenc_features(&c, &r2, rec, x, xv);
		}
	});
	rs_header_free(&h);
	free(x);
	free(xv);
	rs_colenc_free(&c);
	fuzz_close_reader(&r);
	fuzz_close_reader(&r2);
	close(fd);
	return 0;
}
