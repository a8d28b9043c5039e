/* ml-ctr: add a click label (rating > threshold) to every record. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "out.h"
#include "stream.h"

static void usage(void)
{
	printf("Usage: ml-ctr [OPTION]...\n"
	       "Read an rs-stream on stdin, add the column 'click' (1 when rating > threshold,\n"
	       "else 0), make it the stream's target, and write the stream to stdout.\n\n"
	       "  -t, --threshold T   a rating above T is a click (default 3)\n"
	       "  -q, --quiet         no summary line on stderr\n"
	       "  -h, --help          this help\n"
	       "      --version       version\n\n"
	       "Example:\n"
	       "  ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin\n");
	rs_close_stdout();
	exit(0);
}

int main(int argc, char **argv)
{
	rs_cli_init("ml-ctr");
	static const struct option opts[] = {
		{"threshold", required_argument, 0, 't'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	double threshold = 3;
	int c;
	while ((c = getopt_long(argc, argv, ":t:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': threshold = rs_opt_double("--threshold", optarg, -1e9, 1e9); break;
		case 'q': rs_quiet = 1; break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_bad_option(c, argv);
		}
	}
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	rs_out out;
	rs_out_stdout(&out);
	rs_reader in;
	rs_reader_open_operand(&in, input);
	int rating = rs_reader_need(&in, "rating");
	if (rs_header_col(&in.hdr, "click") >= 0)
		rs_die("%s:header: the stream already has a 'click' column", in.name);

	rs_header h;
	rs_header_copy(&h, &in.hdr);
	rs_header_add_column(&h, "click");
	rs_header_set_target(&h, "click");
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
