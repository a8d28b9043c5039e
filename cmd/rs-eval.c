/* rs-eval: score a stream's records with a trained model and print metrics,
 * or pass the stream through with each record's score (--predict). */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compute.h"
#include "evaluate.h"
#include "modelfile.h"
#include "opts.h"
#include "parallel.h"
#include "scorer.h"

static const rs_opt opts[] = {
	RS_OPT_MODEL,
	RS_OPT('s', "split", "S", "records to score: test (default), train or all"),
	RS_OPT('j', "json", NULL, "print one JSON object instead"),
	RS_OPT('p', "predict", NULL, "write the stream to stdout with a 'score' column (the rating, or the click probability) on every record"),
	RS_OPT('r', "rank", NULL, "ranking metrics instead: each user's test items ranked among all items the user did not rate in train: hr@K (a test item in the top K), ndcg@K, precision@K, recall@K, map@K and mrr, averaged over users"),
	RS_OPT('k', "top", "K", "the list length of --rank (default 10)"),
	RS_LONG('A', "at", "K,K,...", "several list lengths at once (at most 8), the metrics of each in turn"),
	RS_LONG('N', "negatives", "N", "rank each test item against N sampled unrated items instead (the NCF / d2l protocol), averaged over records"),
	RS_LONG('R', "repeats", NULL, "for a log whose events repeat (plays, re-buys): rank each user's test items among every item, their train items included, so a test item the user had before can be a hit (without it, a candidate is an item the user has no train record of)"),
	RS_LONG('S', "seed", "N", "seed of the negative samples (default 1)"),
	RS_LONG('T', "threads", "N", "rank users, or score records, on N threads (default: every core); the metrics are the same for any N"),
	RS_OPT('t', "threshold", "T", "score a rating model as a classifier of rating > T: auc and accuracy (predicted rating > T), against a rating stream's ratings or a click stream's clicks"),
	RS_OPT('b', "baseline", "B", "rank without a model: popularity (items by their number of train records), to see what a model must beat"),
	RS_OPT_USERS,
	RS_OPT_ITEMS,
	{0},
};

static const rs_tool tool = {
	.name = "rs-eval",
	.summary = "score an rs-stream with a model: rating, click or ranking metrics",
	.usage = "-m MODEL [OPTION]... [FILE]\n--rank --baseline popularity [OPTION]... [FILE]",
	.about = "Read an rs-stream (FILE or stdin), score its records with MODEL and print\n"
		 "metrics as 'metric<TAB>value' lines after one naming what was scored\n"
		 "('model<TAB>PATH' or 'baseline<TAB>popularity'): rmse and mae for rating\n"
		 "models, auc, logloss and accuracy for click models, and the number of\n"
		 "records n; a model trained to rank (als-train, --loss bpr, softmax or\n"
		 "sampled-softmax) is ranked as with --rank.",
	.opts = opts,
	.examples = "ml-split < u.data | ml-ctr | rs-eval -m fm.bin",
};

static const char *const split_names[] = {"train", "test", "all"};
static const int split_of[] = {RS_SPLIT_TRAIN, RS_SPLIT_TEST, -1};

int main(int argc, char **argv)
{
	rs_cli_init("rs-eval");
	rs_compute_init();
	const char *mp = NULL;
	int json = 0, pred = 0, split = RS_SPLIT_TEST;   /* or -1: all */
	int rank = 0, top[RS_RANK_MAX_AT] = {10}, ntop = 1, negatives = 0, baseline = 0, thresholded = 0;
	int repeats = 0;
	double threshold = 0;
	long seed = 1;
	int threads = rs_ncores();
	const char *users = NULL, *items = NULL;
	int c;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((c = rs_getopt_next(&g)) != -1) {
		switch (c) {
		case 'm': mp = optarg; break;
		case 'T': threads = (int)rs_opt_long("--threads", optarg, 1, 256); break;
		case 's': split = split_of[rs_opt_enum("--split", optarg, split_names, 3)]; break;
		case 'j': json = 1; break;
		case 'p': pred = 1; break;
		case 'r': rank = 1; break;
		case 'R': repeats = 1; break;
		case 'k': top[0] = (int)rs_opt_long("--top", optarg, 1, 100000), ntop = 1; break;
		case 'A': ntop = rs_opt_ints("--at", optarg, 1, 100000, top, RS_RANK_MAX_AT); break;
		case 'N': negatives = (int)rs_opt_long("--negatives", optarg, 1, 1000000); break;
		case 'S': seed = rs_opt_long("--seed", optarg, 0, LONG_MAX); break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 't':
			threshold = rs_opt_double("--threshold", optarg, -1e9, 1e9);
			thresholded = 1;
			break;
		case 'b':
			if (strcmp(optarg, "popularity"))
				rs_usage_error("option --baseline: '%s' is not popularity", optarg);
			baseline = 1;
			break;
		}
	}
	if (baseline && (mp || !rank))
		rs_usage_error("--baseline goes with --rank and takes the place of -m");
	if (!mp && !baseline)
		rs_usage_error("a model is needed (-m MODEL)");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (pred && rank)
		rs_usage_error("--predict and --rank do not go together");
	if (negatives && !rank)
		rs_usage_error("--negatives goes with --rank");
	if (repeats && (!rank || negatives))
		rs_usage_error("--repeats goes with --rank, and ranks every item: not with --negatives");
	if (thresholded && (rank || pred))
		rs_usage_error("--threshold does not go with --rank or --predict");
	if ((users || items) && baseline)
		rs_usage_error("--users and --items go with a model's --rank");
	rs_rank_opts ro = {.nk = ntop, .negatives = negatives, .seed = (uint64_t)seed, .users = users,
			   .items = items, .json = json, .threads = threads, .repeats = repeats};
	memcpy(ro.k, top, sizeof top);
	if (baseline) {
		rs_reader in;
		rs_reader_open_operand(&in, input);
		rs_eval_rank(NULL, &in, NULL, &ro);
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	rs_model m;
	rs_model_load(&m, mp);
	/* a model trained to rank (als-train, --loss bpr or a softmax) has no
	 * target to be near: it is ranked, and pointwise metrics refused */
	if (rs_model_task(&m) == RS_TASK_RANK && !pred) {
		if (thresholded || split != RS_SPLIT_TEST)
			rs_usage_error("%s is a ranking model (%s): its scores are not ratings or clicks, "
				       "so --threshold and --split do not apply; it is ranked", mp, m.ops->kind);
		rank = 1;
	}
	if ((users || items) && !rank)
		rs_usage_error("--users and --items go with a model's --rank");
	if (rank) {
		int need = rs_scorer_side_needed(&m);
		rs_check_side_options(need & RS_NEED_USERS, need & RS_NEED_ITEMS, users, items);
	}
	rs_reader in;
	rs_reader_open_operand(&in, input);
	if (pred) {
		char *cmd = rs_join_argv(argc, argv);
		rs_eval_predict(&m, &in, mp, cmd);
		free(cmd);
	} else if (rank) {
		rs_eval_rank(&m, &in, mp, &ro);
	} else if (thresholded) {
		rs_eval_threshold(&m, &in, mp, split, threshold, json);
	} else {
		rs_eval_pointwise(&m, &in, mp, split, json, threads);
	}
	rs_reader_close(&in);
	rs_model_free(&m);
	if (!pred)
		rs_close_stdout();
	return 0;
}
