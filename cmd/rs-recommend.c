/* rs-recommend: each user's k best items among those not rated in train. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collect.h"
#include "compute.h"
#include "foldin.h"
#include "mem.h"
#include "model.h"
#include "modelfile.h"
#include "opts.h"
#include "parallel.h"
#include "recommend.h"
#include "predict.h"
#include "request.h"
#include "scorer.h"

static const rs_opt opts[] = {
	RS_OPT_MODEL,
	RS_OPT('b', "baseline", "B", "rank without a model: popularity (items by their share of the train records, the score printed)"),
	RS_OPT('k', "top", "K", "items per user (default 10); equal scores rank the lower item id first"),
	RS_OPT('U', "user", "ID", "a raw user id to recommend for; repeatable; with --liked, once: the new user's id (their side features from --users)"),
	RS_LONG('L', "liked", "ITEMS", "instead, the k best items for a new user who names the items they liked, comma-separated raw ids, oldest first (a model of previous items takes them as the user's history; for ALS, MF and FM of ids, --fold-in); the named items left out, the user column '-' or -U's id; with --baseline popularity, the most popular of the others"),
	RS_LONG('F', "liked-file", "FILE", "the same for many new users: FILE's 'user item [ts]' lines (tab-, comma- or space-separated, as ml-split reads them) name each user's items, oldest first by ts (else in file order); the lists under the users' ids, in the order they first appear"),
	RS_LONG('N', "unknown", "WHAT", "an item of --liked or --liked-file that the model never saw: fail (default: one line naming it, exit 1, nothing printed) or skip (left out of the user's items, how many on stderr; a user left with none gets no list, counted)"),
	RS_LONG('S', "similar", "ITEM", "instead, the k items most like a raw item id, by the cosine of the model's item vectors (mf-train, fm-train and als-train models; the item itself left out): 'item<TAB>rank<TAB>similar<TAB>score' lines, the score the cosine; no stream is read unless the model's fields need one (STREAM)"),
	RS_LONG('E', "exclude", "WHAT", "the items never recommended to a user: all (default), every item of the user's records in the stream, whatever their split; train, those of their train records (what rs-eval --rank ranks among); none"),
	RS_LONG('X', "exclude-items", "FILE", "never recommend the items FILE names (one raw id a line; ids not in the model ignored, counted on stderr)"),
	RS_LONG('K', "candidates", "FILE", "recommend only among the items FILE names (the same format)"),
	RS_OPT_FOLDIN,
	RS_LONG('T', "threads", "N", "rank users on N threads (default: every core); the same lists for any N"),
	RS_OPT_USERS,
	RS_OPT('i', "items", "FILE", "u.item: titles (Latin-1, printed as UTF-8), and item side features when the model uses them"),
	RS_LONG('Q', "serve", NULL, "load the model and the stream (a file operand) once, then answer each line of stdin with one line of JSON, flushed: a raw user id, or an object {\"user\": ID} or {\"liked\": [ID, ...]} (a new user; with \"user\" to label it) or {\"similar\": ID}, with \"k\" optional; the lists are --json's, a bad line gets {\"error\": REASON, \"line\": N}"),
	RS_OPT('j', "json", NULL, "one JSON object a line per list instead: {\"user\": ID, \"items\": [{\"item\": ID, \"score\": S}, ...]} (\"title\" too with --items; \"item\" for --similar, \"liked\" for --liked, the array of the ids named)"),
	{0},
};

static const rs_tool tool = {
	.name = "rs-recommend",
	.summary = "the k best items for users, for new users or like an item",
	.usage = "-m MODEL [OPTION]... [STREAM]\n--baseline popularity [OPTION]... [STREAM]",
	.about = "For each user asked (every user without -U), print the k items with the\n"
		 "highest score among those the user has no record of in the stream (STREAM,\n"
		 "or stdin; --exclude), as 'user<TAB>rank<TAB>item<TAB>score' with raw ids\n"
		 "(and the title with --items), after a header line naming the columns,\n"
		 "'user<TAB>rank<TAB>item<TAB>score' (pandas.read_csv(f, sep='\\t') takes it;\n"
		 "to sort the lines below it, '(sed -u 1q; sort -t \"$(printf '\\t')\" -k4,4gr)').",
	.opts = opts,
	.examples = "ml-split < u.data | rs-recommend -m mf.bin -k 5 -U 196 -i u.item",
};

static int answer(void *r, const rs_request *q, FILE *out, char *err, size_t len)
{
	return rs_recommend(r, q, out, err, len);
}

/* One list asked on the command line; a refusal is the tool's error. */
static void ask(rs_recommender *r, const rs_request *q, FILE *out)
{
	char err[512];
	if (rs_recommend(r, q, out, err, sizeof err))
		rs_die("%s", err);
}

/* --exclude: the splits of a user's records whose items are left out */
static const char *const exclude_names[] = {"all", "train", "none"};
static const unsigned exclude_splits[] = {
	RS_SPLITS(RS_SPLIT_TRAIN) | RS_SPLITS(RS_SPLIT_TEST) | RS_SPLITS(RS_SPLIT_VALID),
	RS_SPLITS(RS_SPLIT_TRAIN), 0};

int main(int argc, char **argv)
{
	rs_cli_init("rs-recommend");
	rs_compute_init();
	const char *mp = NULL, *users = NULL, *items = NULL, *similar = NULL, *liked = NULL;
	const char *liked_file = NULL;
	const char *lists[2] = {NULL, NULL};   /* --exclude-items, --candidates */
	int k = 10, nask = 0, baseline = 0, json = 0, serve = 0, fit = 0, c, threads = rs_ncores();
	int unknown = RS_UNKNOWN_FAIL, unknown_set = 0;
	unsigned exclude = exclude_splits[0];
	const char **asked = rs_malloc((size_t)argc * sizeof *asked);
	rs_getopt opt;
	rs_getopt_init(&opt, &tool, argc, argv);
	while ((c = rs_getopt_next(&opt)) != -1) {
		switch (c) {
		case 'm': mp = optarg; break;
		case 'b':
			if (strcmp(optarg, "popularity"))
				rs_usage_error("option --baseline: '%s' is not popularity", optarg);
			baseline = 1;
			break;
		case 'k': k = (int)rs_opt_long("--top", optarg, 1, 100000); break;
		case 'T': threads = (int)rs_opt_long("--threads", optarg, 1, 256); break;
		case 'U': asked[nask++] = optarg; break;
		case 'S': similar = optarg; break;
		case 'L': liked = optarg; break;
		case 'F': liked_file = optarg; break;
		case 'N': unknown = rs_opt_enum("--unknown", optarg, rs_unknown_names, 2); unknown_set = 1; break;
		case 'G': fit = rs_opt_enum("--fold-in", optarg, rs_foldin_names, 2); break;
		case 'E': exclude = exclude_splits[rs_opt_enum("--exclude", optarg, exclude_names, 3)]; break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'j': json = 1; break;
		case 'Q': serve = 1; break;
		case 'X': lists[0] = optarg; break;
		case 'K': lists[1] = optarg; break;
		}
	}
	if (!mp == !baseline)
		rs_usage_error("a model is needed (-m MODEL), or --baseline popularity");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (liked_file && liked)
		rs_usage_error("--liked and --liked-file: one or the other");
	int new_users = liked || liked_file;
	if (unknown_set && !new_users)
		rs_usage_error("--unknown says what an unknown item of --liked or --liked-file does: it takes one of them");
	if (similar && (!mp || nask || new_users))
		rs_usage_error("--similar ranks items for an item: it takes -m MODEL, and no -U, --liked or --baseline");
	if ((liked && nask > 1) || (liked_file && nask))
		rs_usage_error("--liked ranks items for one new user: one -U at most, their id (--liked-file names its users)");
	/* --liked's items, checked before anything is loaded */
	rs_request named = {0};
	char *copy = liked ? rs_strdup(liked) : NULL, *save = NULL;
	if (liked) {
		named.user = nask ? (char *)asked[0] : NULL;
		named.liked = rs_malloc((strlen(liked) + 1) * sizeof *named.liked);
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			named.liked[named.nliked++] = tok;
		if (!named.nliked)
			rs_usage_error("option --liked: no item named");
	}
	if (serve && (similar || new_users || nask))
		rs_usage_error("--serve takes its requests on stdin: no -U, --liked or --similar");
	if (serve && (!input || !strcmp(input, "-")))
		rs_usage_error("--serve reads requests on stdin: the stream is a file operand");
	rs_model m = {0};
	int need = 0;
	if (mp) {
		rs_model_load(&m, mp);
		need = rs_scorer_side_needed(&m);
	}
	/* --items gives titles to any ranking */
	rs_check_side_options(need & RS_NEED_USERS, (need & RS_NEED_ITEMS) || items, users, items);
	rs_recommend_opts o = {.model_path = mp, .stream = input, .need_stream = !similar && !new_users,
			       .users = users, .items = items, .exclude_items = lists[0],
			       .candidates = lists[1], .exclude = exclude, .k = k, .json = json || serve,
			       .threads = threads, .fit = fit, .skip_unknown = unknown == RS_UNKNOWN_SKIP};
	if (liked_file && !strcmp(liked_file, "-") && (!input || !strcmp(input, "-")) &&
	    rs_recommend_streamed(mp ? &m : NULL, &o))
		rs_usage_error("--liked-file - and the stream would both be stdin: give the stream as a file operand");
	rs_recommender r;
	rs_recommender_open(&r, mp ? &m : NULL, &o);
	/* the lists asked for are printed once all are made: an unknown id
	 * among them fails with nothing written */
	rs_collect held;
	if (!serve && (similar || liked_file || liked || nask))
		rs_collect_open(&held);
	if (serve) {
		rs_serve(stdin, answer, &r);
	} else if (similar) {
		ask(&r, &(rs_request){.similar = (char *)similar}, held.f);
	} else if (liked_file) {
		rs_recommend_liked_file(&r, liked_file, held.f);
	} else if (liked) {
		ask(&r, &named, held.f);
	} else if (nask) {
		for (int a = 0; a < nask; a++)
			ask(&r, &(rs_request){.user = (char *)asked[a]}, held.f);
	} else {
		rs_recommend_all(&r, stdout);
	}
	if (!serve && (similar || liked_file || liked || nask)) {
		rs_collect_write(&held, stdout);
		rs_recommend_skipped(&r);
	}
	rs_recommender_free(&r);
	free(named.liked);
	free(copy);
	free(asked);
	if (mp)
		rs_model_free(&m);
	rs_close_stdout();
	return 0;
}
