/* rs-predict: the score a model gives to user/item pairs read as text. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "collect.h"
#include "compute.h"
#include "foldin.h"
#include "input.h"
#include "model.h"
#include "modelfile.h"
#include "opts.h"
#include "pairs.h"
#include "predict.h"
#include "predrows.h"
#include "rowenc.h"
#include "request.h"
#include "scorer.h"

static const rs_opt opts[] = {
	RS_OPT_MODEL,
	RS_OPT_USERS,
	RS_OPT_ITEMS,
	RS_LONG('U', "user-features", "FILE", "the feature file of the users a model was trained with (ml-onehot --user-features): its fields' features for the pairs' users"),
	RS_LONG('J', "item-features", "FILE", "the same for items (ml-onehot --item-features)"),
	RS_LONG('N', "unknown", "WHAT", "a pair with an id the model never saw: fail (default: one line naming it, exit 1), skip (not printed; how many on stderr), or cold (scored from the other side alone: biases only for MF, the known features for FM and DeepFM)"),
	RS_LONG('C', "cold", NULL, "the same as --unknown cold"),
	RS_LONG('L', "liked", "ITEMS", "score the pairs for new users who name the items they liked, comma-separated raw ids, oldest first (as rs-recommend --liked): every line's user is such a user, its id only a label (and the key to their side features in --users)"),
	RS_LONG('s', "stream", "FILE", "the stream the model's users come from (a file): a model of previous items (ml-onehot --history, --seq) scores a user from their train items in it, the context rs-recommend and rs-eval --rank give them, and a model with fields only a stream gives (--implicit, feature files) takes them from it; without it such a model scores only --liked's new users (SASRec scores a user from the model's own record of their items, with or without it)"),
	RS_OPT_FOLDIN,
	RS_LONG('Q', "serve", NULL, "load the model once, then answer each line of stdin with one line of JSON, flushed: bare ids 'USER ITEM', or {\"user\": ID, \"item\": ID}, or a new user's {\"liked\": [ID, ...], \"item\": ID} (as rs-recommend --liked); the answer is the request's object with \"score\", a bad line's {\"error\": REASON, \"line\": N}"),
	RS_OPT('f', "format", "F", "a model of a click log's columns: its rows as libfm or libffm lines (as ml-split --format libfm, libffm read them) rather than a delimited file with a header"),
	RS_OPT('j', "json", NULL, "one JSON object a pair instead, as --serve answers: {\"user\": ID, \"item\": ID, \"score\": S} (ids strings where the model's ids are names, else numbers); the summary stays on stderr"),
	{0},
};

static const rs_tool tool = {
	.name = "rs-predict",
	.summary = "score user-item pairs read as text with a model",
	.usage = "-m MODEL [OPTION]... [FILE]",
	.about = "Read pairs of raw ids (FILE or stdin), one a line: 'user item [rating\n"
		 "[timestamp]]', separated by tabs, commas or spaces, an optional header line\n"
		 "first (so the lines of u.data, ratings.csv or a split file read as they are).\n"
		 "Print 'user<TAB>item<TAB>score': the predicted rating, or the click\n"
		 "probability. When the lines carry ratings, the RMSE and MAE of the scores\n"
		 "against them follow on stderr. A model with time fields (ml-onehot --time)\n"
		 "scores a pair at its line's timestamp; a line without one, without them.\n"
		 "A timestamp is unix seconds or an ISO-8601 date and time (docs/stream.md).\n"
		 "A model of a click log's columns (ml-split --format click) reads rows of\n"
		 "them instead: a delimited file whose first line names the columns, as the\n"
		 "log came; each row's score is printed, a line each, and the AUC and logloss\n"
		 "of the rows with a label on stderr. A value the model never had takes its\n"
		 "field's rare feature, an unknown user or item no feature (counted on stderr).\n"
		 "With --serve, each line is a JSON object of column values (a multi-valued\n"
		 "column's an array), answered with {\"score\": P}.",
	.opts = opts,
	.quiet = "no summary on stderr",
	.examples = "printf '196\\t242\\n' | rs-predict -m mf.bin",
};

static int answer(void *p, const rs_request *q, FILE *out, char *err, size_t len)
{
	return rs_predict(p, q, out, err, len);
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-predict");
	rs_compute_init();
	const char *mp = NULL, *users = NULL, *items = NULL, *liked = NULL, *ufeat = NULL, *ifeat = NULL;
	const char *stream = NULL;
	int opt, serve = 0, fit = 0, unknown = RS_UNKNOWN_FAIL, json = 0, lines = -1;
	static const char *const formats[] = {"libfm", "libffm"};
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((opt = rs_getopt_next(&g)) != -1) {
		switch (opt) {
		case 'm': mp = optarg; break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'U': ufeat = optarg; break;
		case 'J': ifeat = optarg; break;
		case 'C': unknown = RS_UNKNOWN_COLD; break;
		case 'N': unknown = rs_opt_enum("--unknown", optarg, rs_unknown_names, 3); break;
		case 'j': json = 1; break;
		case 'f': lines = rs_opt_enum("--format", optarg, formats, 2); break;
		case 'Q': serve = 1; break;
		case 'L': liked = optarg; break;
		case 's': stream = optarg; break;
		case 'G': fit = rs_opt_enum("--fold-in", optarg, rs_foldin_names, 2); break;
		}
	}
	if (!mp)
		rs_usage_error("a model is needed (-m MODEL)");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (serve && (input || json || liked))
		rs_usage_error("--serve reads its requests on stdin: no FILE, no --json, no --liked");
	if (stream && !strcmp(stream, "-") && (serve || !input || !strcmp(input, "-")))
		rs_usage_error("--stream - and the pairs would both be stdin: give the stream as a file");
	if (liked && unknown == RS_UNKNOWN_COLD)
		rs_usage_error("--liked scores new users: --unknown cold has no user to fall back on");
	rs_model m;
	rs_model_load(&m, mp);
	if (lines >= 0 && !rs_rowenc_applies(&m.hdr))
		rs_usage_error("--format: the model %s is not one of a click log's columns", mp);
	if (rs_rowenc_applies(&m.hdr)) {   /* a click log's columns: rows of them */
		if (users || items || liked || ufeat || ifeat || unknown != RS_UNKNOWN_FAIL || fit)
			rs_usage_error("a model of a click log's columns scores rows: not with --users, --items, --user-features, --item-features, --liked, --unknown or --fold-in");
		if (serve && lines >= 0)
			rs_usage_error("--serve reads JSON objects: not with --format");
		if (serve) {
			rs_predict_rows_serve(&m, stdin);
		} else {
			FILE *in = rs_input_operand(input);
			rs_cleanup_push(rs_input_close, in);
			if (lines >= 0)
				rs_predict_lines(&m, in, rs_operand_name(input), lines, json);
			else
				rs_predict_rows(&m, in, rs_operand_name(input), json);
			rs_cleanup_pop();
			fclose(in);
		}
		rs_model_free(&m);
		rs_close_stdout();
		return 0;
	}
	int need = rs_scorer_side_needed(&m);
	rs_check_side_options(need & RS_NEED_USERS, need & RS_NEED_ITEMS, users, items);
	rs_predict_opts o = {.model_path = mp, .users = users, .items = items,
			     .user_features = ufeat, .item_features = ifeat,
			     .src = rs_operand_name(input), .unknown = unknown, .json = json, .fit = fit,
			     .liked = liked, .stream = stream};
	rs_predictor p;
	rs_predictor_open(&p, &m, &o);
	if (serve) {
		rs_serve(stdin, answer, &p);
	} else {
		/* every pair scored before any is printed: a bad line fails
		 * with nothing written */
		rs_collect held;
		rs_collect_open(&held);
		p.out = held.f;
		FILE *in = rs_input_operand(input);
		rs_cleanup_push(rs_input_close, in);
		rs_pairs_read(in, o.src, &p.lines, rs_predict_pair, &p);
		rs_cleanup_pop();
		fclose(in);
		rs_predict_end(&p);
		rs_collect_write(&held, stdout);
	}
	rs_predictor_free(&p);
	rs_model_free(&m);
	rs_close_stdout();
	return 0;
}
