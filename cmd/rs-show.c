/* rs-show: an rs-stream (or an rs-model) as text for people and tests. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "stream.h"

static void usage(void)
{
	printf("Usage: rs-show [OPTION]... [FILE]\n"
	       "Print an rs-stream (FILE or stdin) as text: by default TSV with a line of\n"
	       "column names, then one line per record.\n\n"
	       "      --header     print the stream's header as JSON and stop\n"
	       "  -j, --json       one JSON array per record instead of TSV\n"
	       "  -n, --records N  only the first N records\n"
	       "  -h, --help       this help\n"
	       "      --version    version\n\n"
	       "Examples:\n"
	       "  ml-split < u.data | rs-show -n 5\n"
	       "  ml-split < u.data | ml-ctr | rs-show --header\n");
	rs_close_stdout();
	exit(0);
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-show");
	static const struct option opts[] = {
		{"header", no_argument, 0, 'H'},
		{"json", no_argument, 0, 'j'},
		{"records", required_argument, 0, 'n'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	int header = 0, json = 0;
	long limit = LONG_MAX;
	int c;
	while ((c = getopt_long(argc, argv, "jn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': header = 1; break;
		case 'j': json = 1; break;
		case 'n': limit = rs_opt_long("--records", optarg, 0, LONG_MAX); break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_usage_error("unknown option");
		}
	}
	if (argc - optind > 1)
		rs_usage_error("at most one input file");
	const char *name = "stdin";
	int fd = 0;
	if (optind < argc) {
		name = argv[optind];
		if ((fd = open(name, O_RDONLY)) < 0)
			rs_die("%s: %s", name, strerror(errno));
	}
	rs_reader in;
	msgpack_object first;
	if (rs_reader_start(&in, fd, name, &first))
		rs_die("%s", in.err);
	if (rs_obj_is(rs_map_get(&first, "format"), RS_MODEL_FORMAT)) {
		/* a model: its metadata, log and tensor shapes (blobs print as sizes) */
		rs_json_print(stdout, &first);
		putchar('\n');
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	if (rs_reader_header(&in, &first))
		rs_die("%s", in.err);
	if (header) {
		rs_json_header(stdout, &in.hdr);
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	if (!json)
		for (int i = 0; i < in.hdr.ncol; i++)
			printf("%s%c", in.hdr.columns[i], i + 1 < in.hdr.ncol ? '\t' : '\n');
	const msgpack_object *rec;
	for (long n = 0; n < limit && (rec = rs_reader_next(&in)); n++) {
		if (json)
			putchar('[');
		for (int i = 0; i < in.hdr.ncol; i++) {
			if (json) {
				if (i)
					fputs(", ", stdout);
				rs_json_print(stdout, &rec[i]);
			} else {
				if (i)
					putchar('\t');
				rs_tsv_print(stdout, &rec[i]);
			}
		}
		puts(json ? "]" : "");
		rs_check_stdout();
	}
	rs_reader_close(&in);
	rs_close_stdout();
	return 0;
}
