/* rs-recommend: each user's k best items among those not rated in train. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "compute.h"
#include "dataset.h"
#include "foldin.h"
#include "itemlist.h"
#include "json.h"
#include "mem.h"
#include "model.h"
#include "modelfile.h"
#include "modelmap.h"
#include "parallel.h"
#include "ranking.h"
#include "scorer.h"
#include "titles.h"

static const rs_opt opts[] = {
	RS_OPT_MODEL,
	RS_OPT('b', "baseline", "B", "rank without a model: popularity (items by their share of the train records, the score printed)"),
	RS_OPT('k', "top", "K", "items per user (default 10); equal scores rank the lower item id first"),
	RS_OPT('U', "user", "ID", "a raw user id to recommend for; repeatable"),
	RS_LONG('L', "liked", "ITEMS", "instead, the k best items for a new user who names the items they liked, comma-separated raw ids, oldest first (a model of previous items takes them as the user's history, ALS solves the user's row, MF and FM fit it by a fixed 20 Adam steps: deterministic); the named items left out, the user column '-'"),
	RS_LONG('S', "similar", "ITEM", "instead, the k items most like a raw item id, by the cosine of the model's item vectors (mf-train, fm-train and als-train models; the item itself left out): 'item<TAB>rank<TAB>similar<TAB>cosine' lines; no stream is read unless the model's fields need one (STREAM)"),
	RS_LONG('E', "exclude", "WHAT", "the items never recommended to a user: all (default), every item of the user's records in the stream, whatever their split; train, those of their train records (what rs-eval --rank ranks among); none"),
	RS_LONG('X', "exclude-items", "FILE", "never recommend the items FILE names (one raw id a line; ids not in the model ignored, counted on stderr)"),
	RS_LONG('K', "candidates", "FILE", "recommend only among the items FILE names (the same format)"),
	RS_LONG('T', "threads", "N", "rank users on N threads (default: every core); the same lists for any N"),
	RS_OPT_USERS,
	RS_OPT('i', "items", "FILE", "u.item: titles (Latin-1, printed as UTF-8), and item side features when the model uses them"),
	RS_OPT('j', "json", NULL, "one JSON object a line per list instead: {\"user\": ID, \"items\": [{\"item\": ID, \"score\": S}, ...]} (\"title\" too with --items; \"item\" for --similar, \"liked\" for --liked, with the ids named)"),
	{0},
};

static const rs_tool tool = {
	.name = "rs-recommend",
	.summary = "the k best items for users, for new users or like an item",
	.usage = "-m MODEL [OPTION]... [STREAM]\n--baseline popularity [OPTION]... [STREAM]",
	.about = "For each user asked (every user without -U), print the k items with the\n"
		 "highest score among those the user has no record of in the stream (STREAM,\n"
		 "or stdin; --exclude), as 'user<TAB>rank<TAB>item<TAB>score' with raw ids\n"
		 "(and the title with --items).",
	.opts = opts,
	.examples = "ml-split < u.data | rs-recommend -m mf.bin -k 5 -U 196 -i u.item",
};

/* A scorer of m for --similar and --liked, with the stream read only when
 * the model's fields are built from one (rs_scorer_stream). */
typedef struct items_scorer {
	rs_scorer s;
	rs_reader in;
	rs_dataset d;
	int streamed;
	rs_idmap iid;
	char **title;
} items_scorer;

static void items_open(items_scorer *x, rs_model *m, const char *mp, const char *users,
		       const char *items, const char *input)
{
	memset(x, 0, sizeof *x);
	rs_scorer_init(&x->s, m, users, items);
	for (int f = 0; f < x->s.oh.nfields; f++)
		x->streamed |= rs_field_is_feedback(x->s.oh.kind[f]) || rs_field_is_generic(x->s.oh.kind[f]);
	if (x->streamed) {   /* the features a stream's records carry */
		rs_reader_open_operand(&x->in, input);
		rs_model_read_data(m, mp, &x->in, &x->d);
		rs_scorer_stream(&x->s, &x->d);
	}
	rs_idmap_from(&x->iid, m->hdr.item_ids, m->hdr.nitems);
	x->title = items ? rs_side_titles(&m->hdr, items) : NULL;
}

static void items_close(items_scorer *x)
{
	rs_titles_free(x->title, x->s.m->hdr.nitems);
	rs_idmap_free(&x->iid);
	if (x->streamed) {
		rs_dataset_free(&x->d);
		rs_reader_close(&x->in);
	}
	rs_scorer_free(&x->s);
}

static uint32_t item_of(const items_scorer *x, const char *item, const char *mp)
{
	int64_t key;
	uint32_t i;
	if (rs_item_key(&x->s.m->hdr, item, &key) || (i = rs_idmap_find(&x->iid, key)) == UINT32_MAX)
		rs_die("item %s is not in the model %s", item, mp);
	return i;
}

/* One list: 'first<TAB>rank<TAB>item<TAB>score[<TAB>title]' lines, or with
 * json one object {key: first, "items": [{"item", "score"[, "title"]}]}. */
static void print_list(const rs_header *h, char *const *title, int json, const char *key,
		       const char *first, const uint32_t *top, const float *score, int n)
{
	if (json) {
		printf("{\"%s\": ", key);
		rs_json_string(stdout, first, strlen(first));
		printf(", \"items\": [");
	}
	for (int r = 0; r < n; r++) {
		char b[RS_ID_TEXT];
		const char *item = rs_item_text(h, top[r], b), *t = title && title[top[r]] ? title[top[r]] : "";
		if (json) {
			printf("%s{\"item\": ", r ? ", " : "");
			rs_json_string(stdout, item, strlen(item));
			printf(", \"score\": %.9g", score[r]);
			if (title) {
				printf(", \"title\": ");
				rs_json_string(stdout, t, strlen(t));
			}
			putchar('}');
			continue;
		}
		printf("%s\t%d\t%s\t%.6g", first, r + 1, item, score[r]);
		if (title)
			printf("\t%s", t);
		putchar('\n');
	}
	if (json)
		printf("]}\n");
	rs_check_stdout();
}

/* The k best of score, skip[i] == 1 left out, as one list. */
static void print_top(const items_scorer *x, int json, const char *key, const char *first,
		      const float *score, const uint32_t *skip, int k)
{
	const rs_header *h = &x->s.m->hdr;
	uint32_t *top = rs_malloc(((size_t)k + 1) * sizeof *top);
	float *best = rs_malloc(((size_t)k + 1) * sizeof *best);
	int n = rs_topk(score, h->nitems, h->item_ids, skip, 1, k, top);
	for (int r = 0; r < n; r++)
		best[r] = score[top[r]];
	print_list(h, x->title, json, key, first, top, best, n);
	free(best);
	free(top);
}

/* A list's left-out items, skip[i] == 1: those of --exclude-items and
 * outside --candidates (lists), for --similar and --liked. */
static uint32_t *skip_of(const items_scorer *x, const char *const lists[2])
{
	const rs_header *h = &x->s.m->hdr;
	uint32_t *skip = rs_calloc((size_t)h->nitems + 1, sizeof *skip);
	size_t nb;
	uint32_t *banned = rs_items_banned(h, &x->iid, lists[0], lists[1], &nb);
	for (size_t b = 0; b < nb; b++)
		skip[banned[b]] = 1;
	free(banned);
	return skip;
}

/* --similar: the item's k nearest items by cosine. */
static void similar_items(rs_model *m, const char *mp, const char *item, int k, int json,
			  const char *users, const char *items, const char *input, const char *const lists[2])
{
	items_scorer x;
	items_open(&x, m, mp, users, items, input);
	uint32_t i = item_of(&x, item, mp);
	const float *cos = rs_scorer_similar(&x.s, i);
	uint32_t *skip = skip_of(&x, lists);
	skip[i] = 1;   /* not like itself */
	char a[RS_ID_TEXT];
	print_top(&x, json, "item", rs_item_text(&m->hdr, i, a), cos, skip, k);
	free(skip);
	items_close(&x);
}

/* --liked: a new user's k best items from the items they name
 * (foldin.h), those left out; the user column is '-'. */
static void liked_items(rs_model *m, const char *mp, const char *list, int k, int json,
			const char *users, const char *items, const char *input, const char *const lists[2])
{
	items_scorer x;
	items_open(&x, m, mp, users, items, input);
	uint32_t I = m->hdr.nitems, *named = rs_malloc((strlen(list) + 1) * sizeof *named);
	uint32_t *skip = skip_of(&x, lists);
	int n = 0;
	char *copy = rs_strdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		named[n] = item_of(&x, tok, mp);
		skip[named[n++]] = 1;
	}
	free(copy);
	if (!n)
		rs_usage_error("option --liked: no item named");
	float bias, *vec = rs_malloc(((size_t)m->k + 1) * sizeof *vec);
	float *score = rs_malloc(((size_t)I + 1) * sizeof *score);
	rs_foldin(&x.s, named, n, &bias, vec);
	rs_ctx_row(&x.s.ctx, bias, vec, score);
	rs_model_output(m, score, I, m->click);
	print_top(&x, json, "liked", json ? list : "-", score, skip, k);
	free(score);
	free(vec);
	free(skip);
	free(named);
	items_close(&x);
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
	const char *lists[2] = {NULL, NULL};   /* --exclude-items, --candidates */
	int k = 10, nask = 0, baseline = 0, json = 0, c, threads = rs_ncores();
	unsigned exclude = exclude_splits[0];
	const char **ask = rs_malloc((size_t)argc * sizeof *ask);
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
		case 'U': ask[nask++] = optarg; break;
		case 'S': similar = optarg; break;
		case 'L': liked = optarg; break;
		case 'E': exclude = exclude_splits[rs_opt_enum("--exclude", optarg, exclude_names, 3)]; break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'j': json = 1; break;
		case 'X': lists[0] = optarg; break;
		case 'K': lists[1] = optarg; break;
		}
	}
	if (!mp == !baseline)
		rs_usage_error("a model is needed (-m MODEL), or --baseline popularity");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (similar && (!mp || nask || liked))
		rs_usage_error("--similar ranks items for an item: it takes -m MODEL, and no -U, --liked or --baseline");
	if (liked && (!mp || nask))
		rs_usage_error("--liked ranks items for a new user: it takes -m MODEL, and no -U or --baseline");
	rs_model m = {0};
	int need = 0;
	if (mp) {
		rs_model_load(&m, mp);
		need = rs_scorer_side_needed(&m);
	}
	/* --items gives titles to any ranking */
	rs_check_side_options(need & RS_NEED_USERS, (need & RS_NEED_ITEMS) || items, users, items);
	if (similar || liked) {
		(similar ? similar_items : liked_items)(&m, mp, similar ? similar : liked, k, json, users,
							items, input, lists);
		free(ask);
		rs_model_free(&m);
		rs_close_stdout();
		return 0;
	}
	rs_reader in;
	rs_reader_open_operand(&in, input);
	rs_ranking g;
	rs_ranking_open(&g, mp ? &m : NULL, &in, mp, users, items, threads);
	rs_user_items seen;   /* what --exclude leaves out */
	rs_user_items_build(&seen, &g.d, exclude);
	const rs_header *h = &g.d.hdr;   /* the model's ids, checked equal */
	uint32_t U = h->nusers, I = h->nitems;
	rs_idmap uid, iid;
	rs_idmap_from(&uid, h->user_ids, U);
	rs_idmap_from(&iid, h->item_ids, I);
	size_t nbanned;
	uint32_t *banned = rs_items_banned(h, &iid, lists[0], lists[1], &nbanned);
	char **title = items ? rs_side_titles(h, items) : NULL;
	if (mp)   /* a stream whose test records were training pairs: a list to distrust */
		rs_model_count_trained(&m, &g.d, mp);
	uint32_t *dense = rs_malloc(((size_t)nask + U) * sizeof *dense);
	rs_cleanup_push(free, dense);   /* freed on an unknown user too (LeakSanitizer) */
	for (int a = 0; a < nask; a++) {
		int64_t key;
		if (rs_user_key(h, ask[a], &key) || (dense[a] = rs_idmap_find(&uid, key)) == UINT32_MAX)
			rs_die(mp ? "user %s is not in the model %s" : "user %s is not in the stream", ask[a],
			       mp);
	}
	rs_cleanup_pop();
	if (!nask)
		for (uint32_t u = 0; u < U; u++)
			dense[nask++] = u;
	size_t kk = (size_t)k < I ? (size_t)k : I;
	uint32_t *top = rs_malloc(((size_t)nask * kk + 1) * sizeof *top);
	float *score = rs_malloc(((size_t)nask * kk + 1) * sizeof *score);
	int *count = rs_malloc(((size_t)nask + 1) * sizeof *count);
	rs_rank_topk(&g.rk, &seen, banned, nbanned, dense, (size_t)nask, (int)kk, top, score, count);
	for (int a = 0; a < nask; a++) {
		char ut[RS_ID_TEXT];
		print_list(h, title, json, "user", rs_user_text(h, dense[a], ut), top + (size_t)a * kk,
			   score + (size_t)a * kk, count[a]);
	}
	free(score);
	free(count);
	rs_titles_free(title, I);
	free(top);
	free(dense);
	free(ask);
	rs_idmap_free(&uid);
	rs_idmap_free(&iid);
	free(banned);
	rs_user_items_free(&seen);
	rs_ranking_free(&g);
	if (mp)
		rs_model_free(&m);
	rs_reader_close(&in);
	rs_close_stdout();
	return 0;
}
