/* ml-onehot: add the sparse one-hot features 'x' (and values 'xv') to every
 * record, optionally joining MovieLens-100K user and item side files. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "colenc.h"
#include "opts.h"
#include "history.h"
#include "mem.h"
#include "featfile.h"
#include "onehot.h"
#include "out.h"
#include "stream.h"

static const rs_opt opts[] = {
	RS_OPT('u', "users", "FILE", "user side features from MovieLens u.user or users.dat: adds age, gender, occupation, zip"),
	RS_OPT('i', "items", "FILE", "item side features from MovieLens u.item, movies.dat or movies.csv: adds year, genre"),
	RS_OPT('H', "history", "N", "adds the field history: the items of the user's last N (1..50) train records before the record, by 'ts' then stream order (for a seq-aware split's test record: the user's latest train items)"),
	RS_LONG('T', "last", NULL, "adds the field last: the item of the user's latest train record before the record (the history window's last item, as a field of its own)"),
	RS_LONG('L', "long", "W", "adds the field long (W mean) or long-sqrt (W sqrt): the items of the user's train records before the record and before its history window, each weighted 1/n (mean) or 1/sqrt(n) over the n of them"),
	RS_LONG('M', "long-max", "N", "the long field holds the latest N (1..50) of those items, weighted over the N (default: all of them; a record's field then grows with its user's length)"),
	RS_LONG('S', "seq", NULL, "the recommended sequential fields: --history " RS_STR(RS_SEQ_WINDOW) " --last --long " RS_STR(RS_SEQ_LONG) " --long-max " RS_STR(RS_SEQ_LONG_MAX) " (what fm-train --preset seq trains on); an explicit --history or --long overrides its part"),
	RS_LONG('t', "time", NULL, "adds the field user-time (timeSVD++'s user drift): the user in a bin of --time-bin days counted from the stream's first day (UTC, from the 'ts' column; a day before the first or after the last in the first or last bin); --fields can name the other time fields, item-time (the item in such a bin) and day (the record's day), which lost accuracy beside it on ML-100K"),
	RS_LONG('B', "time-bin", "DAYS", "the bins of user-time and item-time, in days (1.." RS_STR(RS_MAX_BIN_DAYS) "; default " RS_STR(RS_TIME_BIN) ", at most " RS_STR(RS_MAX_BINS) " bins over the stream)"),
	RS_OPT('I', "implicit", NULL, "adds the implicit-feedback fields, last: raters, the users of the item's train records, and implicit, the items of the user's train records (SVD++'s), each at 1/sqrt(their number); only train records feed them"),
	RS_LONG('U', "user-features", "FILE", "a feature file of the users: CSV or TSV with a header whose first column is the user id; each other column a field u:NAME, numbers one feature scaled to [0, 1] by the column's range, anything else a feature per value, 'a|b' values each at 1/(number of parts); '#' lines before the header and blank lines are skipped, and rows of ids the stream lacks passed over, both counted on stderr"),
	RS_LONG('J', "item-features", "FILE", "the same for items, fields i:NAME"),
	RS_LONG('C', "categorical", "LIST", "feature-file columns (comma-separated names) whose values are categories, a feature per value, though they are numbers (codes such as 3, 7, 12)"),
	RS_LONG('m', "min-count", "N", "a click log's categorical columns (ml-split --format click): a value seen fewer than N times in train shares its field's feature 0 with the others as rare and with values unseen in train (default " RS_STR(RS_COLENC_MIN_COUNT) ")"),
	RS_LONG('b', "hash-bits", "B", "a click log's categorical columns: each value's feature is its 64-bit key (FNV-1a) mod 2^B (1.." RS_STR(RS_MAX_HASH_BITS) "), for vocabularies too large to keep; not with --min-count"),
	RS_LONG('n', "numbers", "HOW", "a click log's numeric columns: log2 (default: a bucket a power of two, one for values not above 0), quantile (buckets between the train values' --quantiles) or scale (one feature at (v - min) / (max - min) of train, clipped to [0, 1]); a missing value is its field's feature 0"),
	RS_LONG('Q', "quantiles", "Q", "the buckets of --numbers quantile (2.." RS_STR(RS_MAX_QUANTILES) ", default " RS_STR(RS_COLENC_QUANTILES) ")"),
	RS_OPT('f', "fields", "LIST", "comma-separated fields, in this order, chosen from user,item,age,gender,occupation,zip,year,genre,history,last,long,long-sqrt,user-time,item-time,day,raters,implicit (the last two after every other) and a click log's feature columns as c:NAME, after the others (default: user,item and every field the options give, and every feature column; a log without a user or item column has no such field)"),
	{0},
};

static const rs_tool tool = {
	.name = "ml-onehot",
	.summary = "add one-hot features (ids, side, history fields) to an rs-stream",
	.usage = "[OPTION]... [FILE]",
	.about = "Read an rs-stream (FILE or stdin) and add the column 'x': the sorted global\n"
		 "indices of each record's active features, laid out in the header's 'fields'.\n"
		 "When a multi-hot field (genre, history, long, raters, implicit) is chosen, the\n"
		 "column 'xv' carries each feature's value: 1 for one-hot fields, 1/(number of\n"
		 "genres) for genres, 1/(number of previous items) for history.",
	.opts = opts,
	.examples = "ml-split < u.data | ml-ctr | ml-onehot -u u.user -i u.item | fm-train > fm.bin\n"
		    "ml-split --split seq-aware < u.data | ml-onehot --seq | fm-train --preset seq > seq.bin",
};

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

/* The records held, each with its user, item, time and split, when the
 * plan keeps them (history, feedback and time fields). */
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
	h->train[h->n] = rs_rec_id(in, rec, cs, 2) == RS_SPLIT_TRAIN;
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

int main(int argc, char **argv)
{
	rs_cli_init("ml-onehot");
	rs_onehot_opts o = {.window = -1, .last = -1, .longw = -1, .long_max = -1, .bin = RS_TIME_BIN};
	rs_colenc_opts co = {.min_count = RS_COLENC_MIN_COUNT, .numbers = RS_ENC_LOG2,
			     .quantiles = RS_COLENC_QUANTILES};
	static const char *const numbers[] = {"scale", "log2", "quantile"};
	int min_count_given = 0;
	const char *fields = NULL;
	int c;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((c = rs_getopt_next(&g)) != -1) {
		switch (c) {
		case 'I': o.implicit = 1; break;
		case 't': o.time = 1; break;
		case 'B': o.bin = (uint32_t)rs_opt_long("--time-bin", optarg, 1, RS_MAX_BIN_DAYS); break;
		case 'H': o.window = (int)rs_opt_long("--history", optarg, 1, RS_MAX_WINDOW); break;
		case 'L': o.longw = rs_onehot_long_kind(optarg); break;
		case 'S': o.seq = 1; break;
		case 'M': o.long_max = (int)rs_opt_long("--long-max", optarg, 1, RS_MAX_WINDOW); break;
		case 'T': o.last = 1; break;
		case 'u': o.users = optarg; break;
		case 'i': o.items = optarg; break;
		case 'f': fields = optarg; break;
		case 'm': co.min_count = (uint32_t)rs_opt_long("--min-count", optarg, 1, UINT32_MAX), min_count_given = 1; break;
		case 'b': co.hash_bits = (uint32_t)rs_opt_long("--hash-bits", optarg, 1, RS_MAX_HASH_BITS); break;
		case 'n': co.numbers = RS_ENC_SCALE + rs_opt_enum("--numbers", optarg, numbers, 3); break;
		case 'Q': co.quantiles = (uint32_t)rs_opt_long("--quantiles", optarg, 2, RS_MAX_QUANTILES); break;
		case 'U': o.user_features = optarg; break;
		case 'J': o.item_features = optarg; break;
		case 'C': o.categorical = optarg; break;
		}
	}
	if (o.categorical && !o.user_features && !o.item_features)
		rs_usage_error("--categorical names columns of --user-features or --item-features");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	if (co.hash_bits && min_count_given)
		rs_usage_error("--hash-bits hashes every value: not with --min-count");
	const char *input = optind < argc ? argv[optind] : NULL;
	/* --fields: a click log's columns (c:NAME) apart from ml-onehot's own */
	char *own = fields ? rs_strdup(fields) : NULL;
	if (own) {
		char *w = own, *save = NULL;
		for (char *t = strtok_r(own, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (strncmp(t, RS_ATTR_PREFIX, 2)) {   /* t is at or past w: memmove */
				size_t n = strlen(t);
				if (w > own)
					*w++ = ',';
				memmove(w, t, n);
				w += n;
			}
		*w = 0;
		o.fields = *own ? own : NULL;
	}
	rs_onehot_plan p;
	rs_onehot_plan_init(&p, &o);
	rs_out out;
	rs_out_stdout(&out);
	rs_reader in;
	rs_reader_open_operand(&in, input);
	int cu = rs_reader_need(&in, RS_COL_USER), ci = rs_reader_need(&in, RS_COL_ITEM);
	rs_onehot_plan_files(&p, &in.hdr, in.name);
	/* a click log's columns: their encodings need the train records' values */
	rs_colenc ce;
	rs_colenc_init(&ce, &in.hdr, &co, fields, in.name);
	if (ce.n) {
		p.keep = 1;
		int k = 0;
		for (int i = 0; i < p.n; i++)   /* a log without a user (item) column has one */
			if (o.fields || !((p.kinds[i] == RS_F_USER && in.hdr.nusers < 2) ||
					  (p.kinds[i] == RS_F_ITEM && in.hdr.nitems < 2)))
				p.kinds[k++] = p.kinds[i];
		p.n = fields && !o.fields ? 0 : k;   /* --fields of columns alone */
	}
	/* a record's history may come later in the stream, the feedback lists
	 * need every train record, the time fields the stream's days: then
	 * every record is held (packed), then walked */
	held recs = {0};
	msgpack_sbuffer_init(&recs.buf);
	const msgpack_object *rec;
	int ncol = in.hdr.ncol;
	if (p.keep) {
		int cs = rs_reader_need(&in, RS_COL_SPLIT), ct = rs_reader_need(&in, RS_COL_TS);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &recs.buf, msgpack_sbuffer_write);
		while ((rec = rs_reader_next(&in))) {
			hold(&recs, &in, rec, cu, ci, ct, cs);
			rs_colenc_count(&ce, &in, rec, recs.train[recs.n - 1]);
			msgpack_pack_array(&pk, (size_t)ncol);
			for (int i = 0; i < ncol; i++)
				msgpack_pack_object(&pk, rec[i]);
		}
	}
	char *cmd = rs_join_argv(argc, argv);
	rs_onehot_plan_layout(&p, &in.hdr, in.name, recs.ts, recs.n, cmd);
	free(cmd);
	rs_onehot *oh = &p.oh;
	if (ce.n) {
		rs_colenc_finish(&ce);
		rs_colenc_layout(&ce, &p.h);
		if (!oh->multi)   /* a multi-valued or scaled column's values */
			rs_header_add_column(&p.h, RS_COL_XV), oh->multi = 1;
		/* into the base too: rs_onehot_room sizes the long field's
		 * records from the base, after this */
		oh->max_active += ce.most, oh->base_active += ce.most;
	}
	rs_header_pack(&out.pk, &p.h);

	unsigned long long nrec = 0, nnz = 0;
	if (!p.keep) {   /* record at a time */
		uint32_t *x = rs_malloc(oh->max_active * sizeof *x);
		float *xv = rs_malloc(oh->max_active * sizeof *xv);
		while ((rec = rs_reader_next(&in))) {
			uint32_t u = rs_rec_id(&in, rec, cu, in.hdr.nusers);
			uint32_t it = rs_rec_id(&in, rec, ci, in.hdr.nitems);
			int k = rs_onehot_features(oh, u, it, NULL, 0, x, xv);
			emit(&out.pk, rec, ncol, oh, x, xv, k);
			nrec++;
			nnz += (unsigned long long)k;
		}
		free(x);
		free(xv);
	} else {
		/* record r's previous items: the first before[r] of its user's */
		size_t *before = rs_malloc((recs.n + 1) * sizeof *before);
		rs_history seqs;
		rs_history_walk(&seqs, recs.n, recs.user, recs.item, recs.ts, recs.train, in.hdr.nusers,
				before);
		rs_onehot_room(oh, seqs.longest);
		rs_onehot_feedback(oh, &p.side, recs.n, recs.user, recs.item, recs.train);
		uint32_t *xa = rs_malloc(oh->max_active * sizeof *xa);
		float *xva = rs_malloc(oh->max_active * sizeof *xva);
		msgpack_unpacked up;
		msgpack_unpacked_init(&up);
		size_t off = 0;
		for (size_t r = 0; r < recs.n; r++) {
			if (msgpack_unpack_next(&up, recs.buf.data, recs.buf.size, &off) !=
			    MSGPACK_UNPACK_SUCCESS)
				rs_die("%s: record %zu could not be read back", in.name, r + 1);
			int nprev = 0;
			const uint32_t *prev = recs.user[r] < in.hdr.nusers
						       ? rs_history_of(&seqs, recs.user[r], &nprev) : NULL;
			int k = rs_onehot_features_at(oh, recs.user[r], recs.item[r],
						      oh->timed ? rs_day_of(recs.ts[r]) : RS_NO_DAY, prev,
						      prev ? (int)before[r] : 0, xa, xva);
			if (ce.n)
				k += rs_colenc_features(&ce, &in, up.data.via.array.ptr, xa + k, xva + k);
			emit(&out.pk, up.data.via.array.ptr, ncol, oh, xa, xva, k);
			nnz += (unsigned long long)k;
		}
		nrec = recs.n;
		msgpack_unpacked_destroy(&up);
		free(before);
		rs_history_free(&seqs);
		free(xa);
		free(xva);
	}
	held_free(&recs);
	rs_out_commit(&out);
	rs_summary("%llu records, %d fields, %u features, %.2f active per record", nrec,
		   p.h.nfields, rs_header_nfeatures(&p.h), nrec ? (double)nnz / nrec : 0.0);
	if (ce.rare)
		rs_summary("%lu values took their field's rare feature (seen fewer than --min-count %u times in train, or not in train)",
			   ce.rare, co.min_count);
	rs_colenc_free(&ce);
	free(own);
	rs_onehot_plan_free(&p);
	rs_reader_close(&in);
	return 0;
}
