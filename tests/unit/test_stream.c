/* Unit tests of the stream library: round trip and every reading error. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "stream.h"
#include "tap.h"

static char path[] = "/tmp/rs-test-stream-XXXXXX";

static void sample_header(rs_header *h)
{
	memset(h, 0, sizeof *h);
	rs_header_add_column(h, "user");
	rs_header_add_column(h, "rating");
	rs_header_set_target(h, "rating");
	h->nusers = 2;
	h->user_ids = malloc(2 * sizeof *h->user_ids);
	h->user_ids[0] = 7, h->user_ids[1] = 3;
	h->nitems = 0;
	h->item_ids = malloc(1);
	rs_header_add_field(h, "user", 2);
	rs_header_add_history(h, "test");
}

/* Write a header and records with (user, rating) pairs, then bytes extra. */
static void write_stream(int nrec, const char *extra, size_t nextra, int version)
{
	int fd = mkstemp(path);
	rs_out o;
	rs_out_open(&o, path);   /* atomic write over the temp name */
	close(fd);
	rs_header h;
	sample_header(&h);
	if (version >= 1 && version <= RS_STREAM_VERSION) {
		rs_header_pack(&o.pk, &h);
	} else {
		msgpack_pack_map(&o.pk, 2);
		rs_pack_cstr(&o.pk, "format");
		rs_pack_cstr(&o.pk, "rs-stream");
		rs_pack_cstr(&o.pk, "version");
		msgpack_pack_int(&o.pk, version);
	}
	for (int i = 0; i < nrec; i++) {
		msgpack_pack_array(&o.pk, 2);
		msgpack_pack_uint32(&o.pk, (uint32_t)(i % 2));
		msgpack_pack_float(&o.pk, 0.5f * (float)i);
	}
	if (nextra)
		rs_out_write(&o, extra, nextra);
	rs_out_commit(&o);
	rs_header_free(&h);
}

/* Read it all back; returns records read, message in err: the reader's,
 * or what reading a record died with. */
static int read_stream(char *err, size_t n, rs_header *copy)
{
	rs_reader r;
	int fd = open(path, O_RDONLY);
	volatile int count = -1;
	err[0] = 0;
	if (rs_reader_open(&r, fd, "in") == 0) {
		if (copy)
			rs_header_copy(copy, &r.hdr);
		count = 0;
		tap_catch(while (rs_reader_next(&r)) count++);
		snprintf(err, n, "%s", tap_msg);
	} else {
		snprintf(err, n, "%s", r.err);
	}
	rs_reader_close(&r);
	close(fd);
	unlink(path);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	return count;
}

int main(void)
{
	char err[512];
	rs_header h;

	write_stream(100000, NULL, 0, 1);
	int n = read_stream(err, sizeof err, &h);
	ok(n == 100000 && !err[0], "round trip of 100000 records (%d, '%s')", n, err);
	ok(h.ncol == 2 && !strcmp(h.columns[1], "rating") && !strcmp(h.target, "rating"),
	   "columns and target survive");
	ok(h.nusers == 2 && h.user_ids[0] == 7 && h.user_ids[1] == 3, "raw ids survive in order");
	ok(h.nfields == 1 && h.fields[0].size == 2 && rs_header_nfeatures(&h) == 2, "fields survive");
	ok(h.nhistory == 1 && !strcmp(h.history[0], "test"), "history survives");
	ok(rs_header_col(&h, "rating") == 1 && rs_header_col(&h, "click") == -1, "columns by name");
	rs_header_free(&h);

	write_stream(3, "\x92\x01", 2, 1);
	n = read_stream(err, sizeof err, NULL);
	ok(n == 3 && !strcmp(err, "in:record 4: truncated input (stream ends inside a record)"),
	   "truncated record: %s", err);

	write_stream(3, "\xc1", 1, 1);
	read_stream(err, sizeof err, NULL);
	ok(!strcmp(err, "in:record 4: not valid msgpack"), "foreign byte: %s", err);

	write_stream(3, "\x93\x01\x02\x03", 4, 1);
	read_stream(err, sizeof err, NULL);
	ok(!strcmp(err, "in:record 4: record has 3 values, the header names 2 columns"),
	   "record length: %s", err);

	write_stream(3, "\x05", 1, 1);
	read_stream(err, sizeof err, NULL);
	ok(!strcmp(err, "in:record 4: record is not an array"), "not an array: %s", err);

	write_stream(0, NULL, 0, 3);
	n = read_stream(err, sizeof err, NULL);
	ok(n == -1 && !strcmp(err, "in:header: stream version 3 is not supported (this tool reads versions 1 to 2)"),
	   "version: %s", err);

	write_stream(0, NULL, 0, 1);
	n = read_stream(err, sizeof err, NULL);
	ok(n == 0 && !err[0], "a header with no records is a valid, empty stream");

	/* containers whose claimed counts the bytes cannot hold reach msgpack-c
	 * never: five bytes claiming a map of 10^9 entries are truncated input */
	write_stream(3, "\xdf\x3b\xa3\x3b\x3b", 5, 1);
	n = read_stream(err, sizeof err, NULL);
	ok(n == 3 && !strcmp(err, "in:record 4: truncated input (stream ends inside a record)"),
	   "a claimed 10^9-entry map: %s", err);
	write_stream(1, "\x92\xdd\xff\xff\xff\xff\xc0", 7, 1);
	n = read_stream(err, sizeof err, NULL);
	ok(n == 1 && !strcmp(err, "in:record 2: truncated input (stream ends inside a record)"),
	   "a claimed 2^32-element array inside a record: %s", err);
	/* payloads and long containers split across reads are framed whole */
	{
		static char big[240000];
		size_t k = 0;
		big[k++] = (char)0x92;
		big[k++] = (char)0xdc, big[k++] = 0x40, big[k++] = 0x00;   /* 16384 elements */
		for (int i = 0; i < 16384; i++)
			big[k++] = (char)0xcb, memset(big + k, 0, 8), k += 8;   /* float64 0 */
		big[k++] = (char)0xc6, big[k++] = 0, big[k++] = 1, big[k++] = 0, big[k++] = 0;
		memset(big + k, 'x', 65536), k += 65536;                 /* bin32 of 64 KiB */
		write_stream(2, big, k, 1);
		n = read_stream(err, sizeof err, NULL);
		ok(n == 3 && !err[0], "a record of 200 KB over several reads (%d, '%s')", n, err);
	}

	msgpack_object o = {.type = MSGPACK_OBJECT_FLOAT32, .via.f64 = 2.5};
	double d;
	uint64_t u;
	ok(rs_obj_num(&o, &d) == 0 && d == 2.5 && rs_obj_u64(&o, &u) == -1, "float32 reads as a number, not an id");
	o.type = MSGPACK_OBJECT_POSITIVE_INTEGER;
	o.via.u64 = 0;
	ok(rs_obj_u64(&o, &u) == 0 && u == 0 && rs_obj_num(&o, &d) == 0, "0 reads as an id and a number");
	return tap_done();
}
