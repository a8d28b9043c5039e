/* ml-split: an event log or ratings text -> rs-stream with dense ids and a
 * train/test tag on every record. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clicklog.h"
#include "libfm.h"
#include "mem.h"
#include "filters.h"
#include "input.h"
#include "opts.h"
#include "out.h"
#include "ratings.h"
#include "split.h"
#include "stream.h"

enum { OPT_SEED = 256, OPT_FOLD, OPT_FOLDS, OPT_TRAIN, OPT_TEST, OPT_COLUMNS, OPT_SEP, OPT_HEADER,
       OPT_DEDUPE, OPT_MIN_USER, OPT_MIN_ITEM, OPT_LABEL, OPT_CATEGORICAL, OPT_NUMERIC };

static const rs_opt opts[] = {
	RS_LONG(OPT_COLUMNS, "columns", "LIST", "what each field of a line is: user, item, rating, ts, in any order, any subset with user and item, - for a field to skip (default: read off line 1: a header's names, or 4 fields user,item,rating,ts, 3 user,item,ts or user,item,rating, 2 user,item). Without rating every event is a positive (an implicit stream); without ts an event's place in the input is its time. A ts is an integer (unix seconds) or an ISO-8601 date or date and time (2020-01-01, 2020-01-01T10:00:00, with Z or an offset such as +02:00; UTC without one), read as unix seconds"),
	RS_LONG(OPT_SEP, "sep", "S", "the separator: tab, comma, space (a run of spaces), '::' or one character (default: read off line 1)"),
	RS_LONG(OPT_HEADER, "header", NULL, "line 1 names the columns (default: it does when its fields are column names, as user,item,ts or ratings.csv's userId,movieId,rating,timestamp, or when they are all names over a line with numbers; a name that is no column's is then refused: --columns names the fields)"),
	RS_OPT('f', "format", "F", "tab (u.data), dat (ratings.dat), csv (ratings.csv), seq (a line a user: 'user item item ...', the items in time order, as the Amazon files of sequential recommenders), click (a click log: a header of any columns, see --label), libfm ('label idx:val ...' lines: the k-th feature of a line is field k when every line has its features in index ranges of their own, as one-hot files have, else all are one field), libffm ('label field:idx:val ...'; both: values 1 only, fields f0, f1, ...) or auto (default: from the first line; more than 4 space-separated ids is seq)"),
	RS_LONG(OPT_LABEL, "label", "COL", "--format click: the label column (default: the one named click, label, y, target or rating), or none; 0/1 or -1/1 labels are clicks, other numbers ratings. user, item and ts are found by name (as ratings.csv's); every other column is a feature column, categorical ('a|b': two values) or numeric (empty: missing), numeric when every value is a number"),
	RS_LONG(OPT_CATEGORICAL, "categorical", "COLS", "--format click: these comma-separated columns are categorical, numbers or not (repeated: every one named)"),
	RS_LONG(OPT_NUMERIC, "numeric", "COLS", "--format click: these comma-separated columns are numeric (a value that is not a number is an error; repeated: every one named)"),
	RS_LONG(OPT_DEDUPE, "dedupe", "K", "keep one event per (user, item) pair: first or last in time"),
	RS_LONG(OPT_MIN_USER, "min-user", "N", "drop users with fewer than N events, and items with fewer than --min-item, until both hold (the k-core)"),
	RS_LONG(OPT_MIN_ITEM, "min-item", "N", "see --min-user"),
	RS_OPT('s', "split", "S", "random (default), seq-aware (each user's latest event is test; a user with one event stays in train), time (the latest --test-ratio of all events, by ts, are test) or fold (contiguous fifths, as u1..u5)"),
	RS_OPT('r', "test-ratio", "R", "test share of the random and time splits (default 0.1)"),
	RS_LONG(OPT_SEED, "seed", "N", "seed of the random split (default 1)"),
	RS_LONG(OPT_FOLD, "fold", "K", "the fold to hold out, 1..N (default 1)"),
	RS_LONG(OPT_FOLDS, "folds", "N", "number of folds (default 5)"),
	RS_LONG(OPT_TRAIN, "train", "FILE", "pre-split input: FILE's events are train..."),
	RS_LONG(OPT_TEST, "test", "FILE", "...and these are test (ids shared by both)"),
	{0},
};

static const rs_tool tool = {
	.name = "ml-split",
	.summary = "split an event log or ratings into an rs-stream of train and test records",
	.usage = "[OPTION]... [FILE]",
	.about = "Read an event log or ratings (FILE, or stdin when FILE is - or absent): "
		 "MovieLens's u.data, ratings.dat and ratings.csv as they come, or any delimited "
		 "'user item [rating] [ts]' lines, ids numbers or strings. Give users and items "
		 "dense ids in order of first appearance, tag each event train (0) or test (1), "
		 "and write an rs-stream to stdout. A UTF-8 byte-order mark is dropped; '#' lines "
		 "before the data, blank lines and a header are skipped and counted in the summary; "
		 "a field holding a NUL byte, a tab (but in TSV) or a quoted line break is refused "
		 "with its line. --split, --test-ratio, --seed, --fold and --folds do not apply to "
		 "--train and --test.",
	.opts = opts,
	.examples = "ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin\n"
		    "ml-split --split seq-aware --min-user 3 events.tsv > events.mp",
};

/* path NULL or "-": stdin. Either may be gzip-compressed. Closed on an
 * error too: zlib's state behind libc's FILE is where LeakSanitizer does not
 * look. */
static void read_file(rs_ratings *r, const char *path, const rs_layout *l, uint8_t split)
{
	FILE *f = rs_input_operand(path);
	rs_cleanup_push(rs_input_close, f);
	rs_ratings_read(r, f, rs_operand_name(path), l, split);
	rs_cleanup_pop();
	fclose(f);
}

static const char *const split_names[] = {"random", "seq-aware", "time", "fold"};

static void split_records(rs_ratings *r, const char *split, double ratio, long seed, long fold, long folds)
{
	if (!strcmp(split, "random")) {
		rs_split_random(r, ratio, (uint64_t)seed);
	} else if (!strcmp(split, "seq-aware")) {
		uint32_t single = rs_split_seq_aware(r);
		if (single)
			rs_summary("%u users with a single event: kept in train, none of it test", single);
	} else if (!strcmp(split, "time")) {
		long long cut = (long long)rs_split_time(r, ratio);
		rs_summary("--split time: test from ts %lld on", cut);
	} else {
		rs_split_fold(r, (int)fold, (int)folds);
	}
}

/* COLS of a repeated --categorical or --numeric joined to the earlier
 * ones': `--categorical hour --categorical weekday` names both */
static char *more_cols(char *have, const char *cols)
{
	if (!have)
		return rs_strdup(cols);
	size_t n = strlen(have) + strlen(cols) + 2;
	char *s = rs_malloc(n);
	snprintf(s, n, "%s,%s", have, cols);
	free(have);
	return s;
}

/* --format click: the log read whole, split as any log, then written with
 * its feature columns. */
static int click_main(int format, const rs_clicklog_opts *o, const char *path, const char *split,
		      double ratio, long seed, long fold, long folds, int argc, char **argv)
{
	rs_out out;
	rs_out_stdout(&out);
	rs_clicklog c;
	rs_clicklog_init(&c);
	FILE *f = rs_input_operand(path);
	rs_cleanup_push(rs_input_close, f);
	if (format == 1)
		rs_clicklog_read(&c, f, rs_operand_name(path), o);
	else
		rs_libfm_read(&c, f, rs_operand_name(path), format == 3);
	rs_cleanup_pop();
	fclose(f);
	split_records(&c.r, split, ratio, seed, fold, folds);
	char line[1024];
	rs_clicklog_describe(&c, line, sizeof line);
	rs_summary("%s", line);
	char *cmd = rs_join_argv(argc, argv);
	rs_clicklog_write(&c, &out, cmd);
	free(cmd);
	rs_out_commit(&out);
	size_t ntest = 0;
	for (size_t i = 0; i < c.r.n; i++)
		ntest += c.r.split[i] == RS_SPLIT_TEST;
	rs_dsv_summary(&c.r.skipped, 1, "%zu records, %u users, %u items, %d feature columns: %zu train, %zu test",
		       c.r.n, c.r.users.n, c.r.items.n, c.ncols, c.r.n - ntest, ntest);
	rs_clicklog_free(&c);
	return 0;
}

int main(int argc, char **argv)
{
	rs_cli_init("ml-split");
	rs_format fmt = RS_FORMAT_AUTO;
	const char *split = "random", *train = NULL, *test = NULL, *columns = NULL, *sep = NULL;
	double ratio = 0.1;
	int click = 0;
	rs_clicklog_opts co = {0};
	char *categorical = NULL, *numeric = NULL;
	long seed = 1, fold = 1, folds = 5, min_user = 0, min_item = 0;
	int c, fold_given = 0, ratio_given = 0, header = 0, dedupe = -1;
	const char *split_opt = NULL;   /* the first option of a split, for the message */
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((c = rs_getopt_next(&g)) != -1) {
		switch (c) {
		case 'f':
			if ((click = !strcmp(optarg, "click") ? 1 : !strcmp(optarg, "libfm") ? 2
				     : !strcmp(optarg, "libffm") ? 3 : 0))
				break;
			if ((int)(fmt = rs_format_parse(optarg)) < 0)
				rs_usage_error("option --format: '%s' is not one of auto, tab, dat, csv, seq, click, libfm, libffm", optarg);
			break;
		case OPT_LABEL: co.label = optarg; break;
		case OPT_CATEGORICAL: co.categorical = categorical = more_cols(categorical, optarg); break;
		case OPT_NUMERIC: co.numeric = numeric = more_cols(numeric, optarg); break;
		case 's': split = split_names[rs_opt_enum("--split", optarg, split_names, 4)], split_opt = "--split"; break;
		case 'r': ratio = rs_opt_double("--test-ratio", optarg, 0, 1), ratio_given = 1, split_opt = "--test-ratio"; break;
		case OPT_SEED: seed = rs_opt_long("--seed", optarg, 0, LONG_MAX), split_opt = "--seed"; break;
		case OPT_FOLD: fold = rs_opt_long("--fold", optarg, 1, 1000), fold_given = 1, split_opt = "--fold"; break;
		case OPT_FOLDS: folds = rs_opt_long("--folds", optarg, 2, 1000), fold_given = 1, split_opt = "--folds"; break;
		case OPT_TRAIN: train = optarg; break;
		case OPT_TEST: test = optarg; break;
		case OPT_COLUMNS: columns = optarg; break;
		case OPT_SEP: sep = optarg; break;
		case OPT_HEADER: header = 1; break;
		case OPT_DEDUPE:
			if (strcmp(optarg, "first") && strcmp(optarg, "last"))
				rs_usage_error("option --dedupe: '%s' is neither first nor last", optarg);
			dedupe = !strcmp(optarg, "last");
			break;
		case OPT_MIN_USER: min_user = rs_opt_long("--min-user", optarg, 1, LONG_MAX); break;
		case OPT_MIN_ITEM: min_item = rs_opt_long("--min-item", optarg, 1, LONG_MAX); break;
		}
	}
	if (fold > folds)
		rs_usage_error("option --fold: %ld is more than --folds %ld", fold, folds);
	if (fold_given && strcmp(split, "fold"))
		rs_usage_error("--fold and --folds go with --split fold");
	if (ratio_given && strcmp(split, "random") && strcmp(split, "time"))
		rs_usage_error("--test-ratio goes with --split random or time");
	if (!train != !test)
		rs_usage_error("--train and --test go together");
	if (train && split_opt)
		rs_usage_error("%s does not apply to --train and --test: their events are split already", split_opt);
	if (train && optind < argc)
		rs_usage_error("with --train/--test, no input file operand");
	if (argc - optind > 1)
		rs_usage_error("at most one input file");
	if (fmt == RS_FORMAT_SEQ && columns)
		rs_usage_error("--format seq lays a line out as a user and their items: not with --columns");
	if (fmt != RS_FORMAT_AUTO && fmt != RS_FORMAT_SEQ && (columns || sep))
		rs_usage_error("--format names a MovieLens layout: not with --columns or --sep");
	if (click != 1 && (co.label || co.categorical || co.numeric))
		rs_usage_error("--label, --categorical and --numeric go with --format click");
	if (click && (columns || header || dedupe >= 0 || min_user || min_item))
		rs_usage_error("--format click, libfm and libffm read their columns off the input: not with --columns, --header, --dedupe, --min-user or --min-item");
	if (click && train)
		rs_usage_error("--format click, libfm and libffm read one file: not with --train and --test");
	rs_layout lay;
	rs_format_layout(fmt, &lay);
	char why[160];
	if (columns && rs_layout_columns(&lay, columns, why, sizeof why))
		rs_usage_error("option --columns: %s", why);
	if (sep && rs_layout_sep(&lay, sep, why, sizeof why))
		rs_usage_error("option --sep: %s", why);
	lay.header = header;
	if (click) {
		co.sep = lay.sep;
		int rc = click_main(click, &co, optind < argc ? argv[optind] : NULL, split, ratio, seed, fold, folds,
				    argc, argv);
		free(categorical), free(numeric);
		return rc;
	}
	rs_out out;
	rs_out_stdout(&out);

	rs_ratings r;
	rs_ratings_init(&r);
	if (train) {
		read_file(&r, train, &lay, RS_SPLIT_TRAIN);
		read_file(&r, test, &lay, RS_SPLIT_TEST);
	} else {
		read_file(&r, optind < argc ? argv[optind] : NULL, &lay, RS_SPLIT_TRAIN);
	}
	size_t read = r.n;
	if (r.read_off[0])
		rs_summary("%s", r.read_off);
	if (dedupe >= 0) {
		size_t d = rs_dedupe(&r, dedupe);
		rs_summary("--dedupe %s: %zu repeated events dropped", dedupe ? "last" : "first", d);
	}
	if (min_user || min_item) {
		int rounds;
		uint32_t users = r.users.n, items = r.items.n;
		size_t d = rs_kcore(&r, (size_t)min_user, (size_t)min_item, &rounds);
		rs_summary("--min-user %ld --min-item %ld: %zu events, %u users and %u items dropped in %d rounds",
			   min_user, min_item, d, users - r.users.n, items - r.items.n, rounds);
		if (!r.n)
			rs_die("%s: no events left after --min-user %ld --min-item %ld",
			       rs_operand_name(optind < argc ? argv[optind] : train), min_user, min_item);
	}
	if (!train)
		split_records(&r, split, ratio, seed, fold, folds);

	rs_header h = {0};
	rs_header_add_column(&h, RS_COL_SPLIT);
	rs_header_add_column(&h, RS_COL_USER);
	rs_header_add_column(&h, RS_COL_ITEM);
	if (!r.implicit)
		rs_header_add_column(&h, RS_COL_RATING);
	rs_header_add_column(&h, RS_COL_TS);
	rs_header_set_target(&h, r.implicit ? RS_TARGET_IMPLICIT : RS_TARGET_RATING);
	h.nusers = r.users.n;
	h.user_ids = r.users.ids;
	h.user_names = r.user_names;
	h.nitems = r.items.n;
	h.item_ids = r.items.ids;
	h.item_names = r.item_names;
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);
	h.user_ids = h.item_ids = NULL;   /* owned by the ratings */
	memset(&h.user_names, 0, sizeof h.user_names);
	memset(&h.item_names, 0, sizeof h.item_names);
	rs_header_free(&h);

	size_t ntest = 0;
	for (size_t i = 0; i < r.n; i++) {
		msgpack_pack_array(&out.pk, r.implicit ? 4 : 5);
		msgpack_pack_uint8(&out.pk, r.split[i]);
		msgpack_pack_uint32(&out.pk, r.user[i]);
		msgpack_pack_uint32(&out.pk, r.item[i]);
		if (!r.implicit)
			msgpack_pack_float(&out.pk, r.rating[i]);
		msgpack_pack_int64(&out.pk, r.ts[i]);
		ntest += r.split[i] == RS_SPLIT_TEST;
	}
	rs_out_commit(&out);
	if (r.n == read)
		rs_dsv_summary(&r.skipped, 1, "%zu %s, %u users, %u items: %zu train, %zu test", r.n,
			       r.implicit ? "events" : "ratings", r.users.n, r.items.n, r.n - ntest, ntest);
	else
		rs_dsv_summary(&r.skipped, 1, "%zu %s read, %zu kept, %u users, %u items: %zu train, %zu test",
			       read, r.implicit ? "events" : "ratings", r.n, r.users.n, r.items.n, r.n - ntest, ntest);
	rs_ratings_free(&r);
	return 0;
}
