/* rs-eval: score a stream's records with a trained model and print metrics,
 * or pass the stream through with each record's score (--predict). */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compute.h"
#include "dataset.h"
#include "mem.h"
#include "metrics.h"
#include "model.h"
#include "modelfile.h"
#include "modelmap.h"
#include "onehot.h"
#include "parallel.h"
#include "rank.h"
#include "out.h"
#include "stream.h"
#include "train.h"

static void usage(void)
{
	printf("Usage: rs-eval -m MODEL [OPTION]...\n"
	       "  or:  rs-eval --rank --baseline popularity [OPTION]...\n"
	       "Read an rs-stream on stdin, score its records with MODEL and print metrics\n"
	       "as 'metric<TAB>value' lines: rmse and mae for rating models, auc, logloss\n"
	       "and accuracy for click models, and the number of records n.\n\n"
	       "  -m, --model FILE   a model written by mf-train, fm-train or deepfm-train\n"
	       "  -s, --split S      records to score: test (default), train or all\n"
	       "  -j, --json         print one JSON object instead\n"
	       "  -p, --predict      write the stream to stdout with a 'score' column (the\n"
	       "                     rating, or the click probability) on every record\n"
	       "  -r, --rank         ranking metrics instead: each user's test items ranked\n"
	       "                     among all items the user did not rate in train:\n"
	       "                     hr@K, ndcg@K, recall@K and mrr, averaged over users\n"
	       "  -k, --top K        the list length of --rank (default 10)\n"
	       "      --negatives N  rank each test item against N sampled unrated items\n"
	       "                     instead (the NCF / d2l protocol), averaged over records\n"
	       "      --seed N       seed of the negative samples (default 1)\n"
	       "      --threads N    rank users on N threads (default: every core); the\n"
	       "                     metrics are the same for any N\n"
	       "  -t, --threshold T  score a rating model as a classifier of rating > T: auc\n"
	       "                     and accuracy (predicted rating > T), against a rating\n"
	       "                     stream's ratings or a click stream's clicks\n"
	       "  -b, --baseline B   rank without a model: popularity (items by their number\n"
	       "                     of train records), to see what a model must beat\n"
	       "  -u, --users FILE   u.user, for models trained with user side features\n"
	       "  -i, --items FILE   u.item, for models trained with item side features\n"
	       "  -h, --help         this help\n"
	       "      --version      version\n\n"
	       "Example:\n"
	       "  ml-split < u.data | ml-ctr | rs-eval -m fm.bin\n");
	rs_close_stdout();
	exit(0);
}

static void predict(rs_model *m, rs_reader *in, const char *mp, int argc, char **argv)
{
	rs_out out;
	rs_out_stdout(&out);
	rs_dataset d;
	rs_dataset_begin(&d, in);
	rs_model_check_target(m, &d, mp);
	rs_id_map im;   /* the stream's ids to the model's, record by record */
	rs_id_map_init(&im, m, &d, mp);
	if (rs_header_col(&in->hdr, "score") >= 0)
		rs_die("%s:header: the stream already has a 'score' column", in->name);
	rs_header h;
	rs_header_copy(&h, &in->hdr);
	rs_header_add_column(&h, "score");
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&h, cmd);
	free(cmd);
	rs_header_pack(&out.pk, &h);
	const msgpack_object *rec;
	uint32_t zero = 0;
	float score;
	size_t unseen = 0, ntest = 0, cap = 0;
	uint64_t *test = NULL;   /* the test records' pairs */
	while ((rec = rs_reader_next(in))) {
		rs_dataset_clear(&d);
		rs_dataset_add(&d, in, rec);
		size_t o = 0;
		unseen += rs_id_map_record(&im, &d, 0, &o);
		d.xoff[1] = d.nnz = o;
		if (d.split[0] == 1 && d.user[0] != RS_NONE && d.item[0] != RS_NONE) {
			if (ntest == cap)
				test = rs_reallocarray(test, cap = 2 * cap + 1024, sizeof *test);
			test[ntest++] = rs_pair_key(m->hdr.user_ids[d.user[0]], m->hdr.item_ids[d.item[0]]);
		}
		rs_model_predict(m, &d, &zero, 1, &score, m->click);
		msgpack_pack_array(&out.pk, h.ncol);
		for (int i = 0; i < in->hdr.ncol; i++)
			msgpack_pack_object(&out.pk, rec[i]);
		msgpack_pack_float(&out.pk, score);
	}
	rs_id_map_warn(&im, in->name, unseen, mp);
	rs_model_warn_trained(m, test, ntest, in->name, mp);
	rs_out_commit(&out);
	free(test);
	rs_id_map_free(&im);
	rs_header_free(&h);
	rs_dataset_free(&d);
}

static void metric(int json, int *first, const char *name, double v);
static void last_metric(int json, size_t n);

/* m is NULL for the popularity baseline */
static void rank_metrics(rs_model *m, rs_reader *in, const char *mp, int k, int negatives,
			 uint64_t seed, const char *users, const char *items, int json, int threads)
{
	rs_dataset d;
	if (m) {
		rs_model_read_data(m, mp, in, &d);
		rs_model_count_trained(m, &d, mp);
	} else
		rs_dataset_read(&d, in);
	rs_user_items train, test;
	rs_user_items_build(&train, &d, RS_SPLITS(0));
	rs_user_items_build(&test, &d, RS_SPLITS(1));
	if (!test.off[d.hdr.nusers])
		rs_die("%s: no test records to rank", in->name);
	rs_scorer s = {0};
	rs_ranker rk;
	if (m) {
		rs_scorer_init(&s, m, users, items);
		rs_scorer_history(&s, &d, RS_SPLITS(0));   /* a history field's context */
		rs_ranker_model(&rk, &s);
	} else {
		rs_ranker_popularity(&rk, &d);
	}
	rk.threads = threads;
	rs_rank_metrics r;
	if (negatives)
		rs_rank_sampled(&rk, &train, &test, k, negatives, seed, &r);
	else
		rs_rank_full(&rk, &train, &test, k, &r);
	char name[32];
	int first = 1;
	snprintf(name, sizeof name, "hr@%d", k);
	metric(json, &first, name, r.hr);
	snprintf(name, sizeof name, "ndcg@%d", k);
	metric(json, &first, name, r.ndcg);
	snprintf(name, sizeof name, "recall@%d", k);
	metric(json, &first, name, r.recall);
	metric(json, &first, "mrr", r.mrr);
	last_metric(json, r.n);
	rs_ranker_free(&rk);
	if (m)
		rs_scorer_free(&s);
	rs_user_items_free(&train);
	rs_user_items_free(&test);
	rs_dataset_free(&d);
}

/* A metric that does not exist for these records (AUC over one class)
 * prints as JSON's null or TSV's nan, with the reason on stderr. */
static void metric(int json, int *first, const char *name, double v)
{
	if (!isfinite(v))
		fprintf(stderr, "%s: %s is undefined: the records scored are all of one class\n",
			rs_prog, name);
	if (json && !isfinite(v))
		printf("%s\"%s\": null", *first ? "{" : ", ", name);
	else if (json)
		printf("%s\"%s\": %.9g", *first ? "{" : ", ", name, v);
	else
		printf("%s\t%.6f\n", name, v);
	*first = 0;
}

/* The count of records or users the metrics averaged over, closing the
 * JSON object or the TSV lines. */
static void last_metric(int json, size_t n)
{
	if (json)
		printf(", \"n\": %zu}\n", n);
	else
		printf("n\t%zu\n", n);
}

/* The records of the split scored (-1: all), as indices; dies when none. */
static size_t select_split(const rs_dataset *d, int split, const char *input, uint32_t **idx)
{
	*idx = rs_malloc((d->n + 1) * sizeof **idx);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (split < 0 || d->split[i] == split)
			(*idx)[n++] = (uint32_t)i;
	if (!n)
		rs_die("%s: no %s records to score", input, split < 0 ? "" : split ? "test" : "train");
	return n;
}

/* A rating model as a classifier of rating > t: its predicted ratings rank
 * the records (AUC), and predict a click above t (accuracy). */
static void classify(rs_model *m, rs_reader *in, const char *mp, int split, double t, int json)
{
	if (m->click)
		rs_die("%s predicts clicks; --threshold scores a rating model", mp);
	rs_dataset d;
	rs_dataset_read(&d, in);
	rs_model_map_ids(m, &d, mp);
	if (split != 0)
		rs_model_count_trained(m, &d, mp);
	uint32_t *idx;
	size_t n = select_split(&d, split, in->name, &idx);
	float *score = rs_malloc(n * sizeof *score), *label = rs_malloc(n * sizeof *label);
	uint64_t *work = rs_malloc(2 * n * sizeof *work);
	rs_model_predict(m, &d, idx, n, score, 0);
	size_t right = 0;
	for (size_t i = 0; i < n; i++) {
		float y = d.y[idx[i]];
		label[i] = d.click ? y : (float)(y > t);
		right += (score[i] > t) == (label[i] > 0.5f);
	}
	int first = 1;
	metric(json, &first, "auc", rs_auc(score, label, n, work));
	metric(json, &first, "accuracy", (double)right / (double)n);
	last_metric(json, n);
	free(idx);
	free(score);
	free(label);
	free(work);
	rs_dataset_free(&d);
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-eval");
	rs_compute_init();
	static const struct option opts[] = {
		{"model", required_argument, 0, 'm'},
		{"split", required_argument, 0, 's'},
		{"json", no_argument, 0, 'j'},
		{"predict", no_argument, 0, 'p'},
		{"rank", no_argument, 0, 'r'},
		{"top", required_argument, 0, 'k'},
		{"negatives", required_argument, 0, 'N'},
		{"seed", required_argument, 0, 'S'},
		{"users", required_argument, 0, 'u'},
		{"items", required_argument, 0, 'i'},
		{"baseline", required_argument, 0, 'b'},
		{"threshold", required_argument, 0, 't'},
		{"threads", required_argument, 0, 'T'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	const char *mp = NULL;
	int json = 0, pred = 0, split = 1;   /* 0 train, 1 test, -1 all */
	int rank = 0, top = 10, negatives = 0, baseline = 0, thresholded = 0;
	double threshold = 0;
	long seed = 1;
	int threads = rs_ncores();
	const char *users = NULL, *items = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":m:s:jprk:u:i:b:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mp = optarg; break;
		case 'T': threads = (int)rs_opt_long("--threads", optarg, 1, 256); break;
		case 's':
			if (!strcmp(optarg, "train")) split = 0;
			else if (!strcmp(optarg, "test")) split = 1;
			else if (!strcmp(optarg, "all")) split = -1;
			else rs_usage_error("option --split: '%s' is not one of train, test, all", optarg);
			break;
		case 'j': json = 1; break;
		case 'p': pred = 1; break;
		case 'r': rank = 1; break;
		case 'k': top = (int)rs_opt_long("--top", optarg, 1, 100000); break;
		case 'N': negatives = (int)rs_opt_long("--negatives", optarg, 1, 1000000); break;
		case 'S': seed = rs_opt_long("--seed", optarg, 0, LONG_MAX); break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 't': threshold = rs_opt_double("--threshold", optarg, -1e9, 1e9), thresholded = 1; break;
		case 'b':
			if (strcmp(optarg, "popularity"))
				rs_usage_error("option --baseline: '%s' is not popularity", optarg);
			baseline = 1;
			break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_bad_option(c, argv);
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
	if (thresholded && (rank || pred))
		rs_usage_error("--threshold does not go with --rank or --predict");
	if ((users || items) && (!rank || baseline))
		rs_usage_error("--users and --items go with a model's --rank");
	if (baseline) {
		rs_reader in;
		rs_reader_open_operand(&in, input);
		rank_metrics(NULL, &in, NULL, top, negatives, (uint64_t)seed, NULL, NULL, json, threads);
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	rs_model m;
	rs_model_load(&m, mp);
	if (rank) {
		int need = rs_scorer_side_needed(&m);
		rs_check_side_options(need & RS_NEED_USERS, need & RS_NEED_ITEMS, users, items);
	}
	rs_reader in;
	rs_reader_open_operand(&in, input);
	if (pred) {
		predict(&m, &in, mp, argc, argv);
	} else if (rank) {
		rank_metrics(&m, &in, mp, top, negatives, (uint64_t)seed, users, items, json, threads);
	} else if (thresholded) {
		classify(&m, &in, mp, split, threshold, json);
	} else {
		rs_dataset d;
		rs_model_read_data(&m, mp, &in, &d);
		if (split != 0)   /* scoring test records */
			rs_model_count_trained(&m, &d, mp);
		uint32_t *idx;
		size_t n = select_split(&d, split, in.name, &idx);
		float *scores = rs_malloc(n * sizeof *scores);
		uint64_t *work = rs_malloc(2 * n * sizeof *work);
		rs_metrics r;
		rs_evaluate(&m, &d, idx, n, scores, work, &r);
		int first = 1;
		if (m.click) {
			metric(json, &first, "auc", r.auc);
			metric(json, &first, "logloss", r.logloss);
			metric(json, &first, "accuracy", r.accuracy);
		} else {
			metric(json, &first, "rmse", r.rmse);
			metric(json, &first, "mae", r.mae);
		}
		last_metric(json, n);
		free(idx);
		free(scores);
		free(work);
		rs_dataset_free(&d);
	}
	rs_reader_close(&in);
	rs_model_free(&m);
	if (!pred)
		rs_close_stdout();
	return 0;
}
