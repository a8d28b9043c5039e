/* ml-onehot: add the sparse one-hot features 'x' (and values 'xv') to every
 * record, optionally joining MovieLens-100K user and item side files. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "onehot.h"
#include "out.h"
#include "stream.h"

static void usage(void)
{
	printf("Usage: ml-onehot [OPTION]...\n"
	       "Read an rs-stream on stdin and add the column 'x': the sorted global indices\n"
	       "of each record's active features, laid out in the header's 'fields'. When a\n"
	       "multi-hot field (genre) is chosen, the column 'xv' carries each feature's\n"
	       "value: 1 for one-hot fields, 1/(number of genres) for genres.\n\n"
	       "  -u, --users FILE    MovieLens-100K u.user: adds age, gender, occupation, zip\n"
	       "  -i, --items FILE    MovieLens-100K u.item: adds year, genre\n"
	       "  -f, --fields LIST   comma-separated fields, in this order, chosen from\n"
	       "                      user,item,age,gender,occupation,zip,year,genre\n"
	       "                      (default: user,item and every field the files give)\n"
	       "  -q, --quiet         no summary line on stderr\n"
	       "  -h, --help          this help\n"
	       "      --version       version\n\n"
	       "Example:\n"
	       "  ml-split < u.data | ml-ctr | ml-onehot -u u.user -i u.item | fm-train > fm.bin\n");
	rs_close_stdout();
	exit(0);
}

static int parse_fields(char *list, int *kinds)
{
	int n = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		int k = rs_field_kind(tok);
		if (k < 0)
			rs_usage_error("option --fields: unknown field '%s'", tok);
		for (int i = 0; i < n; i++)
			if (kinds[i] == k)
				rs_usage_error("option --fields: '%s' is named twice", tok);
		kinds[n++] = k;
	}
	if (!n)
		rs_usage_error("option --fields: no field named");
	return n;
}

int main(int argc, char **argv)
{
	rs_cli_init("ml-onehot");
	static const struct option opts[] = {
		{"users", required_argument, 0, 'u'},
		{"items", required_argument, 0, 'i'},
		{"fields", required_argument, 0, 'f'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	const char *users = NULL, *items = NULL;
	char *fields = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":u:i:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'f': fields = optarg; break;
		case 'q': rs_quiet = 1; break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_bad_option(c, argv);
		}
	}
	if (optind < argc)
		rs_usage_error("unexpected operand '%s' (the stream comes on stdin)", argv[optind]);
	int kinds[RS_F_COUNT], n = 0;
	if (fields) {
		n = parse_fields(fields, kinds);
		for (int i = 0; i < n; i++) {
			if (rs_field_from_users(kinds[i]) && !users)
				rs_usage_error("field '%s' needs --users", rs_field_name(kinds[i]));
			if (rs_field_from_items(kinds[i]) && !items)
				rs_usage_error("field '%s' needs --items", rs_field_name(kinds[i]));
		}
	} else {
		for (int k = 0; k < RS_F_COUNT; k++)
			if (k <= RS_F_ITEM || (rs_field_from_users(k) && users) ||
			    (rs_field_from_items(k) && items))
				kinds[n++] = k;
	}
	rs_out out;
	rs_out_stdout(&out);
	rs_reader in;
	rs_reader_open_stdin(&in);
	int cu = rs_reader_need(&in, "user"), ci = rs_reader_need(&in, "item");
	if (rs_header_col(&in.hdr, "x") >= 0 || in.hdr.nfields)
		rs_die("stdin:header: the stream already has one-hot features");

	rs_side side;
	rs_side_init(&side, &in.hdr);
	if (users)
		rs_side_read(&side, &in.hdr, users, 1);
	if (items)
		rs_side_read(&side, &in.hdr, items, 0);
	rs_onehot oh;
	rs_onehot_init(&oh, kinds, n, &side);

	rs_header h;
	rs_header_copy(&h, &in.hdr);
	rs_header_add_column(&h, "x");
	if (oh.multi)
		rs_header_add_column(&h, "xv");
	for (int i = 0; i < oh.nfields; i++)
		rs_header_add_field(&h, rs_field_name(oh.kind[i]), oh.size[i]);
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);

	const msgpack_object *rec;
	unsigned long long nrec = 0, nnz = 0;
	int ncol = in.hdr.ncol;
	uint32_t x[RS_F_COUNT + RS_NGENRES];
	float xv[RS_F_COUNT + RS_NGENRES];
	while ((rec = rs_reader_next(&in))) {
		uint32_t u = rs_rec_id(&in, rec, cu, in.hdr.nusers);
		uint32_t it = rs_rec_id(&in, rec, ci, in.hdr.nitems);
		int k = rs_onehot_features(&oh, u, it, x, xv);
		msgpack_pack_array(&out.pk, ncol + 1 + oh.multi);
		for (int i = 0; i < ncol; i++)
			msgpack_pack_object(&out.pk, rec[i]);
		msgpack_pack_array(&out.pk, k);
		for (int i = 0; i < k; i++)
			msgpack_pack_uint32(&out.pk, x[i]);
		if (oh.multi) {
			msgpack_pack_array(&out.pk, k);
			for (int i = 0; i < k; i++)
				msgpack_pack_float(&out.pk, xv[i]);
		}
		nrec++;
		nnz += k;
	}
	rs_out_commit(&out);
	rs_summary("%llu records, %d fields, %u features, %.2f active per record", nrec,
		   oh.nfields, rs_header_nfeatures(&h), nrec ? (double)nnz / nrec : 0.0);
	rs_side_free(&side);
	rs_header_free(&h);
	rs_reader_close(&in);
	return 0;
}
