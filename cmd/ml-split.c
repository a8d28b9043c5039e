/* ml-split: MovieLens ratings text -> rs-stream with dense ids and a
 * train/test tag on every record. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "mem.h"
#include "out.h"
#include "ratings.h"
#include "split.h"
#include "stream.h"

static void usage(void)
{
	printf("Usage: ml-split [OPTION]... [FILE]\n"
	       "Read MovieLens ratings (FILE or stdin), give users and items dense ids in\n"
	       "order of first appearance, tag each rating train (0) or test (1), and write\n"
	       "an rs-stream to stdout.\n\n"
	       "  -f, --format F       tab (u.data), dat (ratings.dat), csv (ratings.csv) or\n"
	       "                       auto (default: from the first line)\n"
	       "  -s, --split S        random (default), seq-aware (each user's latest rating\n"
	       "                       is test) or fold (contiguous fifths, as u1..u5)\n"
	       "  -r, --test-ratio R   test share of the random split (default 0.1)\n"
	       "      --seed N         seed of the random split (default 1)\n"
	       "      --fold K         the fold to hold out, 1..N (default 1)\n"
	       "      --folds N        number of folds (default 5)\n"
	       "      --train FILE     pre-split input: FILE's ratings are train...\n"
	       "      --test FILE      ...and these are test (ids shared by both)\n"
	       "  -q, --quiet          no summary line on stderr\n"
	       "  -h, --help           this help\n"
	       "      --version        version\n\n"
	       "Example:\n"
	       "  ml-split < ml-100k/u.data | ml-ctr | fm-train > fm.bin\n");
	rs_close_stdout();
	exit(0);
}

enum { OPT_SEED = 256, OPT_FOLD, OPT_FOLDS, OPT_TRAIN, OPT_TEST, OPT_VERSION };

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
	static const struct option opts[] = {
		{"format", required_argument, 0, 'f'},
		{"split", required_argument, 0, 's'},
		{"test-ratio", required_argument, 0, 'r'},
		{"seed", required_argument, 0, OPT_SEED},
		{"fold", required_argument, 0, OPT_FOLD},
		{"folds", required_argument, 0, OPT_FOLDS},
		{"train", required_argument, 0, OPT_TRAIN},
		{"test", required_argument, 0, OPT_TEST},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, OPT_VERSION},
		{0, 0, 0, 0},
	};
	rs_format fmt = RS_FORMAT_AUTO;
	const char *split = "random", *train = NULL, *test = NULL;
	double ratio = 0.1;
	long seed = 1, fold = 1, folds = 5;
	int c, fold_given = 0, ratio_given = 0;
	while ((c = getopt_long(argc, argv, ":f:s:r:qh", opts, NULL)) != -1) {
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
		case 'q': rs_quiet = 1; break;
		case 'h': usage(); break;
		case OPT_VERSION: rs_print_version(); break;
		default: rs_bad_option(c, argv);
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
		read_file(&r, train, fmt, 0);
		read_file(&r, test, fmt, 1);
	} else {
		read_file(&r, optind < argc ? argv[optind] : NULL, fmt, 0);
		if (!strcmp(split, "random"))
			rs_split_random(&r, ratio, (uint64_t)seed);
		else if (!strcmp(split, "seq-aware"))
			rs_split_seq_aware(&r);
		else
			rs_split_fold(&r, (int)fold, (int)folds);
	}

	rs_header h = {0};
	static const char *cols[] = {"split", "user", "item", "rating", "ts"};
	for (int i = 0; i < 5; i++)
		rs_header_add_column(&h, cols[i]);
	rs_header_set_target(&h, "rating");
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
