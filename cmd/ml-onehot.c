/* ml-onehot: add the sparse one-hot features 'x' (and values 'xv') to every
 * record, optionally joining MovieLens-100K user and item side files. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "history.h"
#include "rank.h"
#include "mem.h"
#include "onehot.h"
#include "out.h"
#include "stream.h"

static void usage(void)
{
	printf("Usage: ml-onehot [OPTION]...\n"
	       "Read an rs-stream on stdin and add the column 'x': the sorted global indices\n"
	       "of each record's active features, laid out in the header's 'fields'. When a\n"
	       "multi-hot field (genre, history, raters, implicit) is chosen, the column 'xv'\n"
	       "carries each feature's value: 1 for one-hot fields, 1/(number of genres) for\n"
	       "genres, 1/(number of previous items) for history.\n\n"
	       "  -u, --users FILE    MovieLens-100K u.user: adds age, gender, occupation, zip\n"
	       "  -i, --items FILE    MovieLens-100K u.item: adds year, genre\n"
	       "  -H, --history N     adds the field history: the items of the user's last N\n"
	       "                      (1..50) train records before the record, by 'ts' then\n"
	       "                      stream order (for a seq-aware split's test record: the\n"
	       "                      user's latest train items)\n"
	       "  -I, --implicit      adds the implicit-feedback fields, last: raters, the\n"
	       "                      users of the item's train records, and implicit, the\n"
	       "                      items of the user's train records (SVD++'s), each at\n"
	       "                      1/sqrt(their number); only train records feed them\n"
	       "  -f, --fields LIST   comma-separated fields, in this order, chosen from\n"
	       "                      user,item,age,gender,occupation,zip,year,genre,history,\n"
	       "                      raters,implicit (the last two after every other)\n"
	       "                      (default: user,item and every field the options give)\n"
	       "  -q, --quiet         no summary line on stderr\n"
	       "  -h, --help          this help\n"
	       "      --version       version\n\n"
	       "Example:\n"
	       "  ml-split < u.data | ml-ctr | ml-onehot -u u.user -i u.item | fm-train > fm.bin\n"
	       "  ml-split --split seq-aware < u.data | ml-onehot --history 3 | fm-train --loss bpr > seq.bin\n");
	rs_close_stdout();
	exit(0);
}

/* A record out: its columns as read, then x (and xv). */
static void emit(msgpack_packer *pk, const msgpack_object *rec, int ncol, const rs_onehot *oh,
		 const uint32_t *x, const float *xv, int k)
{
	msgpack_pack_array(pk, (size_t)(ncol + 1 + oh->multi));
	for (int i = 0; i < ncol; i++)
		msgpack_pack_object(pk, rec[i]);
	msgpack_pack_array(pk, (size_t)k);
	for (int i = 0; i < k; i++)
		msgpack_pack_uint32(pk, x[i]);
	if (oh->multi) {
		msgpack_pack_array(pk, (size_t)k);
		for (int i = 0; i < k; i++)
			msgpack_pack_float(pk, xv[i]);
	}
}

/* The records kept for --history. */
typedef struct held {
	size_t n, cap;
	uint32_t *user, *item;
	int64_t *ts;
	uint8_t *train;
	msgpack_sbuffer buf;     /* the records, packed one after another */
} held;

static void hold(held *h, const rs_reader *in, const msgpack_object *rec, int cu, int ci, int ct,
		 int cs)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 1024;
		h->user = rs_reallocarray(h->user, h->cap, sizeof *h->user);
		h->item = rs_reallocarray(h->item, h->cap, sizeof *h->item);
		h->ts = rs_reallocarray(h->ts, h->cap, sizeof *h->ts);
		h->train = rs_reallocarray(h->train, h->cap, sizeof *h->train);
	}
	h->user[h->n] = rs_rec_id(in, rec, cu, in->hdr.nusers);
	h->item[h->n] = rs_rec_id(in, rec, ci, in->hdr.nitems);
	h->train[h->n] = rs_rec_id(in, rec, cs, 2) == 0;
	if (rs_obj_i64(&rec[ct], &h->ts[h->n]))
		rs_reader_die(in, "column 'ts' is not an integer");
	h->n++;
}

static void held_free(held *h)
{
	free(h->user);
	free(h->item);
	free(h->ts);
	free(h->train);
	msgpack_sbuffer_destroy(&h->buf);
}

static size_t longest(const rs_user_items *ui, uint32_t n)
{
	size_t most = 0;
	for (uint32_t u = 0; u < n; u++)
		most = ui->off[u + 1] - ui->off[u] > most ? ui->off[u + 1] - ui->off[u] : most;
	return most;
}

/* Append key's distinct list (a user's train items, an item's train users)
 * at off, each at 1/sqrt(their number). */
static int feedback_features(const rs_user_items *ui, uint32_t key, uint32_t off, uint32_t *x,
			     float *xv, int k)
{
	const uint32_t *it = ui->items;
	size_t a = ui->off[key], b = ui->off[key + 1], distinct = 0;
	for (size_t j = a; j < b; j++)   /* a pair rated twice counts once */
		distinct += j == a || it[j] != it[j - 1];
	float w = (float)(1.0 / sqrt((double)(distinct ? distinct : 1)));
	for (size_t j = a; j < b; j++)
		if (j == a || it[j] != it[j - 1]) {
			x[k] = off + it[j];
			xv[k++] = w;
		}
	return k;
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
		{"history", required_argument, 0, 'H'},
		{"implicit", no_argument, 0, 'I'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	const char *users = NULL, *items = NULL;
	char *fields = NULL;
	int c, window = 0, implicit = 0, feedback = 0;
	while ((c = getopt_long(argc, argv, ":u:i:f:H:Iqh", opts, NULL)) != -1) {
		switch (c) {
		case 'I': implicit = 1; break;
		case 'H': window = (int)rs_opt_long("--history", optarg, 1, RS_MAX_WINDOW); break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'f': fields = optarg; break;
		case 'q': rs_quiet = 1; break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_bad_option(c, argv);
		}
	}
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	int kinds[RS_F_COUNT], n = 0;
	if (fields) {
		n = parse_fields(fields, kinds);
		for (int i = 0; i < n; i++) {
			if (rs_field_from_users(kinds[i]) && !users)
				rs_usage_error("field '%s' needs --users", rs_field_name(kinds[i]));
			if (rs_field_from_items(kinds[i]) && !items)
				rs_usage_error("field '%s' needs --items", rs_field_name(kinds[i]));
			if (kinds[i] == RS_F_HISTORY && !window)
				rs_usage_error("field 'history' needs --history N");
			if (i && rs_field_is_feedback(kinds[i - 1]) && !rs_field_is_feedback(kinds[i]))
				rs_usage_error("fields 'raters' and 'implicit' come after every other");
			feedback |= rs_field_is_feedback(kinds[i]);
		}
	} else {
		for (int k = 0; k < RS_F_COUNT; k++)
			if (k <= RS_F_ITEM || (rs_field_from_users(k) && users) ||
			    (rs_field_from_items(k) && items) || (k == RS_F_HISTORY && window))
				kinds[n++] = k;
		if (implicit)
			kinds[n++] = RS_F_RATERS, kinds[n++] = RS_F_IMPLICIT;
	}
	int named = 0;
	for (int i = 0; i < n; i++)
		named |= kinds[i] == RS_F_HISTORY;
	if (window && !named) {   /* --fields without it: before the feedback fields */
		int at = n;
		while (at > 0 && rs_field_is_feedback(kinds[at - 1]))
			at--;
		memmove(kinds + at + 1, kinds + at, (size_t)(n - at) * sizeof *kinds);
		kinds[at] = RS_F_HISTORY;
		n++;
	}
	if (fields && implicit && !feedback)
		rs_usage_error("--implicit with --fields: name raters and/or implicit in the list");
	int nfeedback = 0;
	for (int i = 0; i < n; i++)
		nfeedback += rs_field_is_feedback(kinds[i]);
	rs_out out;
	rs_out_stdout(&out);
	rs_reader in;
	rs_reader_open_operand(&in, input);
	int cu = rs_reader_need(&in, "user"), ci = rs_reader_need(&in, "item");
	if (rs_header_col(&in.hdr, "x") >= 0 || in.hdr.nfields)
		rs_die("%s:header: the stream already has one-hot features", in.name);

	rs_side side;
	rs_side_init(&side, &in.hdr);
	if (users)
		rs_side_read(&side, &in.hdr, users, 1);
	if (items)
		rs_side_read(&side, &in.hdr, items, 0);
	rs_onehot oh;
	rs_onehot_init(&oh, kinds, n, &side, window);

	rs_header h;
	rs_header_copy(&h, &in.hdr);
	rs_header_add_column(&h, "x");
	if (oh.multi)
		rs_header_add_column(&h, "xv");
	for (int i = 0; i < oh.nfields; i++) {
		rs_header_add_field(&h, rs_field_name(oh.kind[i]), oh.size[i]);
		if (oh.kind[i] == RS_F_HISTORY)
			h.fields[i].window = (uint32_t)window;
	}
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);

	const msgpack_object *rec;
	unsigned long long nrec = 0, nnz = 0;
	int ncol = in.hdr.ncol;
	uint32_t x[RS_MAX_ACTIVE];
	float xv[RS_MAX_ACTIVE];
	if (!window && !nfeedback) {   /* record at a time */
		while ((rec = rs_reader_next(&in))) {
			uint32_t u = rs_rec_id(&in, rec, cu, in.hdr.nusers);
			uint32_t it = rs_rec_id(&in, rec, ci, in.hdr.nitems);
			int k = rs_onehot_features(&oh, u, it, NULL, 0, x, xv);
			emit(&out.pk, rec, ncol, &oh, x, xv, k);
			nrec++;
			nnz += (unsigned long long)k;
		}
	} else {
		/* a record's history may come later in the stream: every record is
		 * kept (packed) with its user, item, time and split, then walked */
		int cs = rs_reader_need(&in, "split"), ct = rs_reader_need(&in, "ts");
		held recs = {0};
		msgpack_sbuffer_init(&recs.buf);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &recs.buf, msgpack_sbuffer_write);
		while ((rec = rs_reader_next(&in))) {
			hold(&recs, &in, rec, cu, ci, ct, cs);
			msgpack_pack_array(&pk, (size_t)ncol);
			for (int i = 0; i < ncol; i++)
				msgpack_pack_object(&pk, rec[i]);
		}
		uint32_t *hist = rs_reallocarray(NULL, recs.n * (size_t)window + 1, sizeof *hist);
		uint8_t *len = rs_calloc(recs.n + 1, 1);
		if (window)
			rs_history_walk(recs.n, recs.user, recs.item, recs.ts, recs.train, in.hdr.nusers,
					window, hist, len, NULL);
		/* the feedback fields: each user's train items, each item's train
		 * users; only train records */
		rs_user_items byuser = {0}, byitem = {0};
		size_t most = 0;
		if (nfeedback) {
			rs_user_items_of(&byuser, recs.n, recs.user, recs.item, recs.train, in.hdr.nusers);
			rs_user_items_of(&byitem, recs.n, recs.item, recs.user, recs.train, in.hdr.nitems);
			most = longest(&byuser, in.hdr.nusers) + longest(&byitem, in.hdr.nitems);
		}
		uint32_t *xa = rs_malloc((RS_MAX_ACTIVE + most) * sizeof *xa);
		float *xva = rs_malloc((RS_MAX_ACTIVE + most) * sizeof *xva);
		msgpack_unpacked up;
		msgpack_unpacked_init(&up);
		size_t off = 0;
		for (size_t r = 0; r < recs.n; r++) {
			if (msgpack_unpack_next(&up, recs.buf.data, recs.buf.size, &off) !=
			    MSGPACK_UNPACK_SUCCESS)
				rs_die("%s: record %zu could not be read back", in.name, r + 1);
			int k = rs_onehot_features(&oh, recs.user[r], recs.item[r],
						   hist + r * (size_t)window, len[r], xa, xva);
			for (int f = oh.nfields - nfeedback; f < oh.nfields; f++)   /* last: x stays sorted */
				k = feedback_features(oh.kind[f] == RS_F_IMPLICIT ? &byuser : &byitem,
						      oh.kind[f] == RS_F_IMPLICIT ? recs.user[r] : recs.item[r],
						      oh.offset[f], xa, xva, k);
			emit(&out.pk, up.data.via.array.ptr, ncol, &oh, xa, xva, k);
			nnz += (unsigned long long)k;
		}
		nrec = recs.n;
		msgpack_unpacked_destroy(&up);
		free(hist);
		free(len);
		free(xa);
		free(xva);
		if (nfeedback) {
			rs_user_items_free(&byuser);
			rs_user_items_free(&byitem);
		}
		held_free(&recs);
	}
	rs_out_commit(&out);
	rs_summary("%llu records, %d fields, %u features, %.2f active per record", nrec,
		   oh.nfields, rs_header_nfeatures(&h), nrec ? (double)nnz / nrec : 0.0);
	rs_side_free(&side);
	rs_header_free(&h);
	rs_reader_close(&in);
	return 0;
}
