/* rs-predict: the score a model gives to user/item pairs read as text. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "input.h"
#include "compute.h"
#include "foldin.h"
#include "json.h"
#include "mem.h"
#include "model.h"
#include "modelfile.h"
#include "modelmap.h"
#include "pairs.h"
#include "request.h"
#include "scorer.h"

static const rs_opt opts[] = {
	RS_OPT_MODEL,
	RS_OPT_USERS,
	RS_OPT_ITEMS,
	RS_LONG('N', "unknown", "WHAT", "a pair with an id the model never saw: fail (default: one line naming it, exit 1), skip (not printed; how many on stderr), or cold (scored from the other side alone: biases only for MF, the known features for FM and DeepFM)"),
	RS_LONG('C', "cold", NULL, "the same as --unknown cold"),
	RS_LONG('L', "liked", "ITEMS", "score the pairs for new users who name the items they liked, comma-separated raw ids, oldest first (as rs-recommend --liked): every line's user is such a user, its id only a label (and the key to their side features in --users)"),
	RS_OPT_FOLDIN,
	RS_LONG('Q', "serve", NULL, "load the model once, then answer each line of stdin with one line of JSON, flushed: bare ids 'USER ITEM', or {\"user\": ID, \"item\": ID}, or a new user's {\"liked\": [ID, ...], \"item\": ID} (as rs-recommend --liked); the answer is the request's object with \"score\", a bad line's {\"error\": REASON, \"line\": N}"),
	RS_OPT('j', "json", NULL, "print only a JSON summary: n, and rmse and mae when the lines carry ratings"),
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
		 "scores a pair at its line's timestamp; a line without one, without them.",
	.opts = opts,
	.quiet = "no summary on stderr",
	.examples = "printf '196\\t242\\n' | rs-predict -m mf.bin",
};

#define BATCH 4096

enum { UNKNOWN_FAIL, UNKNOWN_SKIP, UNKNOWN_COLD };
static const char *const unknown_names[] = {"fail", "skip", "cold"};

typedef struct ctx {
	rs_scorer s;
	int unknown;         /* what an id the model never saw does: UNKNOWN_* */
	int json;
	unsigned long skipped;   /* pairs with an unknown id, under --unknown skip */
	const char *src;     /* the pairs' name in messages */
	int rated;           /* the lines carry ratings (all or none do) */
	rs_pair *batch;      /* (BATCH) the pairs of the batch as read */
	float *vec, *row;    /* (k), (nitems): a new user's context and scores */
	uint32_t *liked;     /* --liked's items, dense */
	int nliked;
	uint32_t row_of;     /* --liked: the guest row[] was made for, once row_made */
	int row_made;
	unsigned long n;     /* pairs scored */
	double se, ae;       /* squared and absolute errors against the ratings */
} ctx;

static void flush(ctx *c)
{
	const float *score = rs_scorer_run(&c->s);
	for (size_t i = 0; i < c->s.d.n; i++) {
		const rs_pair *p = &c->batch[i];
		if (!c->json)
			printf("%s\t%s\t%.6g\n", p->user, p->item, score[i]);
		if (p->has_rating) {
			double e = score[i] - p->rating;
			c->se += e * e;
			c->ae += fabs(e);
		}
	}
	c->n += c->s.d.n;
	rs_check_stdout();
	rs_scorer_clear(&c->s);
}

/* The dense id of a raw one, or UINT32_MAX. */
static uint32_t find(const ctx *c, int users, const char *text)
{
	const rs_header *h = &c->s.m->hdr;
	int64_t key;
	int bad = users ? rs_user_key(h, text, &key) : rs_item_key(h, text, &key);
	return bad ? UINT32_MAX : rs_idmap_find(users ? &c->s.users : &c->s.items, key);
}

static uint32_t lookup(ctx *c, int users, const char *text, unsigned long line)
{
	uint32_t d = find(c, users, text);
	if (d == UINT32_MAX && c->unknown == UNKNOWN_FAIL)
		rs_die("%s:%lu: %s %s is not in the model (--unknown skip leaves it out, --unknown cold "
		       "scores it from the other side alone)", c->src, line, users ? "user" : "item", text);
	return d == UINT32_MAX ? RS_NONE : d;
}

/* --liked: the new user's scores of every item, made again only for
 * another guest (their side features). */
static const float *liked_row(ctx *c, const char *user)
{
	uint32_t guest = rs_scorer_guest(&c->s, user);
	if (!c->row_made || guest != c->row_of) {
		rs_foldin_row(&c->s, c->liked, c->nliked, guest, c->vec, c->row);
		c->row_of = guest;
		c->row_made = 1;
	}
	return c->row;
}

/* --liked: the line's user is a new user; its score is the row's. */
static void on_new_user_pair(ctx *c, const rs_pair *q)
{
	uint32_t i = lookup(c, 0, q->item, q->line);
	if (i == RS_NONE) {
		c->skipped++;
		return;
	}
	double score = liked_row(c, q->user)[i];
	if (!c->json)
		printf("%s\t%s\t%.6g\n", q->user, q->item, score);
	if (q->has_rating) {
		double e = score - q->rating;
		c->se += e * e;
		c->ae += fabs(e);
	}
	c->n++;
}

static void on_pair(void *p, const rs_pair *q)
{
	ctx *c = p;
	c->rated = q->has_rating;
	if (c->liked) {
		on_new_user_pair(c, q);
		return;
	}
	uint32_t u = lookup(c, 1, q->user, q->line), i = lookup(c, 0, q->item, q->line);
	if (c->unknown == UNKNOWN_SKIP && (u == RS_NONE || i == RS_NONE)) {
		c->skipped++;
		return;
	}
	c->batch[c->s.d.n] = *q;
	rs_scorer_add_at(&c->s, u, i, q->has_ts ? rs_day_of(q->ts) : RS_NO_DAY);
	if (c->s.d.n == BATCH)
		flush(c);
}

static int refuse(char *err, size_t len, const char *what, const char *id)
{
	snprintf(err, len, "%s %s is not in the model", what, id);
	return 1;
}

/* --serve: one pair, {"user": U, "item": I} (or bare ids), or a new user's
 * {"liked": [...], "item": I} (foldin.h); an unknown id is an error line
 * unless --unknown cold. */
static int answer(void *p, const rs_request *q, FILE *out, char *err, size_t len)
{
	ctx *c = p;
	if (!q->item || !(q->user || q->liked) || q->similar || q->k) {
		snprintf(err, len, "a request names an item and the user, or the items a new user liked "
			 "(with an id for them or not)");
		return 1;
	}
	int cold = c->unknown == UNKNOWN_COLD;
	uint32_t i = find(c, 0, q->item), u = RS_NONE;
	float score;
	if (i == UINT32_MAX && !(cold && !q->liked))
		return refuse(err, len, "item", q->item);
	if (!q->liked) {
		if ((u = find(c, 1, q->user)) == UINT32_MAX && !cold)
			return refuse(err, len, "user", q->user);
		rs_scorer_clear(&c->s);
		rs_scorer_add(&c->s, u == UINT32_MAX ? RS_NONE : u, i == UINT32_MAX ? RS_NONE : i);
		score = rs_scorer_run(&c->s)[0];
	} else {
		if (!rs_ctx_applies(c->s.m)) {
			snprintf(err, len, "a %s model scores a user through whole records: liked takes a "
				 "model of mf-train, fm-train or als-train", c->s.m->ops->kind);
			return 1;
		}
		uint32_t *named = rs_malloc((size_t)q->nliked * sizeof *named);
		for (int j = 0; j < q->nliked; j++)
			if ((named[j] = find(c, 0, q->liked[j])) == UINT32_MAX) {
				free(named);
				return refuse(err, len, "item", q->liked[j]);
			}
		rs_foldin_row(&c->s, named, q->nliked, q->user ? rs_scorer_guest(&c->s, q->user) : RS_NONE,
			      c->vec, c->row);
		score = c->row[i];
		free(named);
	}
	const char *lead = "{";
	if (q->user) {
		fputs("{\"user\": ", out);
		rs_json_string(out, q->user, strlen(q->user));
		lead = ", ";
	}
	for (int j = 0; j < q->nliked; j++) {
		fputs(j ? ", " : lead, out);
		fputs(j ? "" : "\"liked\": [", out);
		rs_json_string(out, q->liked[j], strlen(q->liked[j]));
		fputs(j + 1 == q->nliked ? "]" : "", out);
		lead = ", ";
	}
	fputs(lead, out);
	fputs("\"item\": ", out);
	rs_json_string(out, q->item, strlen(q->item));
	fprintf(out, ", \"score\": %.9g}\n", score);
	return 0;
}

/* --liked's raw ids as the model's items; an unknown one is the tool's error. */
static void liked_items(ctx *c, const char *list, const char *mp)
{
	if (!rs_ctx_applies(c->s.m))
		rs_die("a %s model scores a user through whole records: --liked takes a model of "
		       "mf-train, fm-train or als-train", c->s.m->ops->kind);
	char *copy = rs_strdup(list), *save = NULL;
	c->liked = rs_malloc((strlen(list) + 1) * sizeof *c->liked);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if ((c->liked[c->nliked++] = find(c, 0, tok)) == UINT32_MAX)
			rs_die("option --liked: item %s is not in the model %s", tok, mp);
	free(copy);
	if (!c->nliked)
		rs_usage_error("option --liked: no item named");
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-predict");
	rs_compute_init();
	const char *mp = NULL, *users = NULL, *items = NULL;
	ctx c = {0};
	const char *liked = NULL;
	int opt, serve = 0, fit = 0;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((opt = rs_getopt_next(&g)) != -1) {
		switch (opt) {
		case 'm': mp = optarg; break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'C': c.unknown = UNKNOWN_COLD; break;
		case 'N': c.unknown = rs_opt_enum("--unknown", optarg, unknown_names, 3); break;
		case 'j': c.json = 1; break;
		case 'Q': serve = 1; break;
		case 'L': liked = optarg; break;
		case 'G': fit = rs_opt_enum("--fold-in", optarg, rs_foldin_names, 2); break;
		}
	}
	if (!mp)
		rs_usage_error("a model is needed (-m MODEL)");
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (serve && (input || c.json || liked))
		rs_usage_error("--serve reads its requests on stdin: no FILE, no --json, no --liked");
	if (liked && c.unknown == UNKNOWN_COLD)
		rs_usage_error("--liked scores new users: --unknown cold has no user to fall back on");
	rs_model m;
	rs_model_load(&m, mp);
	int need = rs_scorer_side_needed(&m);
	rs_check_side_options(need & RS_NEED_USERS, need & RS_NEED_ITEMS, users, items);
	rs_scorer_init(&c.s, &m, users, items);
	rs_scorer_check(&c.s, mp);
	c.s.fit = fit;
	rs_scorer_guests(&c.s, users);
	c.vec = rs_malloc(((size_t)m.k + 1) * sizeof *c.vec);
	c.row = rs_malloc(((size_t)m.hdr.nitems + 1) * sizeof *c.row);
	if (liked)
		liked_items(&c, liked, mp);
	if (serve) {
		rs_serve(stdin, answer, &c);
		free(c.row);
		free(c.vec);
		rs_scorer_free(&c.s);
		rs_model_free(&m);
		rs_close_stdout();
		return 0;
	}
	c.batch = rs_malloc(BATCH * sizeof *c.batch);
	c.src = rs_operand_name(input);
	FILE *in = rs_input_operand(input);
	rs_cleanup_push(rs_input_close, in);
	rs_pairs_read(in, c.src, on_pair, &c);
	rs_cleanup_pop();
	fclose(in);
	flush(&c);
	if (c.skipped)
		rs_summary("%lu pairs skipped: an id not in the model %s", c.skipped, mp);
	/* a ranking model's scores are not ratings: no error against them */
	int rated = c.rated && rs_model_task(&m) != RS_TASK_RANK;
	double n = (double)c.n, rmse = sqrt(c.se / n), mae = c.ae / n;
	if (c.json) {
		printf("{\"n\": %lu", c.n);
		if (rated && c.n)
			printf(", \"rmse\": %.9g, \"mae\": %.9g", rmse, mae);
		printf("}\n");
	} else if (rated && c.n) {
		rs_summary("%lu pairs: rmse %.6f mae %.6f", c.n, rmse, mae);
	}
	free(c.liked);
	free(c.row);
	free(c.vec);
	free(c.batch);
	rs_scorer_free(&c.s);
	rs_model_free(&m);
	rs_close_stdout();
	return 0;
}
