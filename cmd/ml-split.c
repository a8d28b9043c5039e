/* ml-split: MovieLens ratings text -> rs-stream with dense ids and a
 * train/test tag on every record. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "input.h"
#include "mem.h"
#include "out.h"
#include "ratings.h"
#include "split.h"
#include "stream.h"

enum { OPT_SEED = 256, OPT_FOLD, OPT_FOLDS, OPT_TRAIN, OPT_TEST };

static const rs_opt opts[] = {
	RS_OPT('f', "format", "F", "tab (u.data), dat (ratings.dat), csv (ratings.csv) or auto (default: from the first line)"),
	RS_OPT('s', "split", "S", "random (default), seq-aware (each user's latest rating is test) or fold (contiguous fifths, as u1..u5)"),
	RS_OPT('r', "test-ratio", "R", "test share of the random split (default 0.1)"),
	RS_LONG(OPT_SEED, "seed", "N", "seed of the random split (default 1)"),
	RS_LONG(OPT_FOLD, "fold", "K", "the fold to hold out, 1..N (default 1)"),
	RS_LONG(OPT_FOLDS, "folds", "N", "number of folds (default 5)"),
	RS_LONG(OPT_TRAIN, "train", "FILE", "pre-split input: FILE's ratings are train..."),
	RS_LONG(OPT_TEST, "test", "FILE", "...and these are test (ids shared by both)"),
	{0},
};

static const rs_tool tool = {
	.name = "ml-split",
	.usage = "[OPTION]... [FILE]",
	.about = "Read MovieLens ratings (FILE, or stdin when FILE is - or absent), give users\n"
		 "and items dense ids in order of first appearance, tag each rating train (0)\n"
		 "or test (1), and write an rs-stream to stdout.",
	.opts = opts,
	.examples = "ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin",
};

/* path NULL or "-": stdin. Either may be gzip-compressed. */
static void read_file(rs_ratings *r, const char *path, rs_format fmt, uint8_t split)
{
	FILE *f = rs_input_operand(path);
	rs_ratings_read(r, f, rs_operand_name(path), fmt, split);
	fclose(f);
}

int main(int argc, char **argv)
{
	rs_cli_init("ml-split");
	rs_format fmt = RS_FORMAT_AUTO;
	const char *split = "random", *train = NULL, *test = NULL;
	double ratio = 0.1;
	long seed = 1, fold = 1, folds = 5;
	int c, fold_given = 0, ratio_given = 0;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((c = rs_getopt_next(&g)) != -1) {
		switch (c) {
		case 'f':
			if ((int)(fmt = rs_format_parse(optarg)) < 0)
				rs_usage_error("option --format: '%s' is not one of auto, tab, dat, csv", optarg);
			break;
		case 's':
			if (strcmp(optarg, "random") && strcmp(optarg, "seq-aware") && strcmp(optarg, "fold"))
				rs_usage_error("option --split: '%s' is not one of random, seq-aware, fold", optarg);
			split = optarg;
			break;
		case 'r': ratio = rs_opt_double("--test-ratio", optarg, 0, 1), ratio_given = 1; break;
		case OPT_SEED: seed = rs_opt_long("--seed", optarg, 0, LONG_MAX); break;
		case OPT_FOLD: fold = rs_opt_long("--fold", optarg, 1, 1000), fold_given = 1; break;
		case OPT_FOLDS: folds = rs_opt_long("--folds", optarg, 2, 1000), fold_given = 1; break;
		case OPT_TRAIN: train = optarg; break;
		case OPT_TEST: test = optarg; break;
		}
	}
	if (fold > folds)
		rs_usage_error("option --fold: %ld is more than --folds %ld", fold, folds);
	if (fold_given && strcmp(split, "fold"))
		rs_usage_error("--fold and --folds go with --split fold");
	if (ratio_given && strcmp(split, "random"))
		rs_usage_error("--test-ratio goes with --split random");
	if (!train != !test)
		rs_usage_error("--train and --test go together");
	if (train && optind < argc)
		rs_usage_error("with --train/--test, no input file operand");
	if (argc - optind > 1)
		rs_usage_error("at most one input file");
	rs_out out;
	rs_out_stdout(&out);

	rs_ratings r;
	rs_ratings_init(&r);
	if (train) {
		read_file(&r, train, fmt, RS_SPLIT_TRAIN);
		read_file(&r, test, fmt, RS_SPLIT_TEST);
	} else {
		read_file(&r, optind < argc ? argv[optind] : NULL, fmt, RS_SPLIT_TRAIN);
		if (!strcmp(split, "random"))
			rs_split_random(&r, ratio, (uint64_t)seed);
		else if (!strcmp(split, "seq-aware"))
			rs_split_seq_aware(&r);
		else
			rs_split_fold(&r, (int)fold, (int)folds);
	}

	rs_header h = {0};
	static const char *cols[] = {RS_COL_SPLIT, RS_COL_USER, RS_COL_ITEM, RS_COL_RATING, RS_COL_TS};
	for (int i = 0; i < 5; i++)
		rs_header_add_column(&h, cols[i]);
	rs_header_set_target(&h, RS_TARGET_RATING);
	h.nusers = r.users.n;
	h.user_ids = r.users.ids;
	h.nitems = r.items.n;
	h.item_ids = r.items.ids;
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);
	h.user_ids = h.item_ids = NULL;   /* owned by the id maps */
	rs_header_free(&h);

	size_t ntest = 0;
	for (size_t i = 0; i < r.n; i++) {
		msgpack_pack_array(&out.pk, 5);
		msgpack_pack_uint8(&out.pk, r.split[i]);
		msgpack_pack_uint32(&out.pk, r.user[i]);
		msgpack_pack_uint32(&out.pk, r.item[i]);
		msgpack_pack_float(&out.pk, r.rating[i]);
		msgpack_pack_int64(&out.pk, r.ts[i]);
		ntest += r.split[i];
	}
	rs_out_commit(&out);
	rs_summary("%zu ratings, %u users, %u items: %zu train, %zu test", r.n, r.users.n,
		   r.items.n, r.n - ntest, ntest);
	rs_ratings_free(&r);
	return 0;
}
