/* ml-ctr: add a click label (rating > threshold) to every record. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "opts.h"
#include "out.h"
#include "stream.h"

static const rs_opt opts[] = {
	RS_OPT('t', "threshold", "T", "a rating above T is a click (default 3)"),
	{0},
};

static const rs_tool tool = {
	.name = "ml-ctr",
	.summary = "add a click column (a rating above a threshold) to an rs-stream",
	.usage = "[OPTION]... [FILE]",
	.about = "Read an rs-stream (FILE or stdin), add the column 'click' (1 when rating >\n"
		 "threshold, else 0), make it the stream's target, and write the stream to\n"
		 "stdout.",
	.opts = opts,
	.examples = "ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin",
};

int main(int argc, char **argv)
{
	rs_cli_init("ml-ctr");
	double threshold = 3;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	for (int c; (c = rs_getopt_next(&g)) != -1;)
		if (c == 't')
			threshold = rs_opt_double("--threshold", optarg, -1e9, 1e9);
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	rs_out out;
	rs_out_stdout(&out);
	rs_reader in;
	rs_reader_open_operand(&in, input);
	int rating = rs_reader_need(&in, RS_COL_RATING);
	if (rs_header_col(&in.hdr, RS_COL_CLICK) >= 0)
		rs_die("%s:header: the stream already has a 'click' column", in.name);

	rs_header h;
	rs_header_copy(&h, &in.hdr);
	rs_header_add_column(&h, RS_COL_CLICK);
	rs_header_set_target(&h, RS_TARGET_CLICK);
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);

	const msgpack_object *rec;
	unsigned long long n = 0, clicks = 0;
	int ncol = in.hdr.ncol;
	while ((rec = rs_reader_next(&in))) {
		int click = rs_rec_num(&in, rec, rating) > threshold;
		msgpack_pack_array(&out.pk, ncol + 1);
		for (int i = 0; i < ncol; i++)
			msgpack_pack_object(&out.pk, rec[i]);
		msgpack_pack_uint8(&out.pk, (uint8_t)click);
		n++;
		clicks += click;
	}
	rs_out_commit(&out);
	rs_summary("%llu records, %llu clicks (rating > %g)", n, clicks, threshold);
	rs_reader_close(&in);
	rs_header_free(&h);
	return 0;
}
