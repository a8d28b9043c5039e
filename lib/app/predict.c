/* predict.c: scores of user-item pairs, in batches or one a request
 * (predict.h). */
#include "predict.h"
#include "cli.h"
#include "foldin.h"
#include "mem.h"
#include "modelmap.h"
#include "stream.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const rs_unknown_names[3] = {"fail", "skip", "cold"};

/* The dense id of a raw one, or UINT32_MAX. */
static uint32_t find(const rs_predictor *p, int users, const char *text)
{
	const rs_header *h = &p->s.m->hdr;
	int64_t key;
	int bad = users ? rs_user_key(h, text, &key) : rs_item_key(h, text, &key);
	return bad ? UINT32_MAX : rs_idmap_find(users ? &p->s.users : &p->s.items, key);
}

/* --liked's raw ids as the model's items; an unknown one is the tool's error. */
static void liked_items(rs_predictor *p, const char *list, const char *mp)
{
	if (!rs_ctx_applies(p->s.m))
		rs_die("a %s model scores a user through whole records: --liked takes a model of "
		       "mf-train, fm-train or als-train", p->s.m->ops->kind);
	char *copy = rs_strdup(list), *save = NULL;
	p->liked = rs_malloc((strlen(list) + 1) * sizeof *p->liked);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if ((p->liked[p->nliked++] = find(p, 0, tok)) == UINT32_MAX)
			rs_die("option --liked: item %s is not in the model %s", tok, mp);
	free(copy);
	if (!p->nliked)
		rs_usage_error("option --liked: no item named");
}

void rs_predictor_open(rs_predictor *p, rs_model *m, const rs_predict_opts *o)
{
	memset(p, 0, sizeof *p);
	p->o = *o;
	p->out = stdout;
	rs_scorer_init(&p->s, m, o->users, o->items);
	rs_scorer_features(&p->s, o->user_features, o->item_features);
	if (o->stream) {   /* a user's context as rs-recommend gives it: their train items */
		rs_reader in;
		rs_reader_open_operand(&in, o->stream);
		rs_model_read_data(m, o->model_path, &in, &p->data);
		rs_reader_close(&in);
		rs_scorer_history(&p->s, &p->data, RS_SPLITS(RS_SPLIT_TRAIN));
		rs_scorer_stream(&p->s, &p->data);
	}
	rs_scorer_check(&p->s, o->model_path);
	p->no_history = p->s.oh.seq && !o->stream;
	p->s.fit = o->fit;
	rs_scorer_guests(&p->s, o->users);
	p->vec = rs_malloc(((size_t)m->k + 1) * sizeof *p->vec);
	p->row = rs_malloc(((size_t)m->hdr.nitems + 1) * sizeof *p->row);
	if (o->liked)
		liked_items(p, o->liked, o->model_path);
	p->batch = rs_malloc(RS_PREDICT_BATCH * sizeof *p->batch);
}

void rs_predictor_free(rs_predictor *p)
{
	free(p->liked);
	free(p->row);
	free(p->vec);
	free(p->batch);
	rs_scorer_free(&p->s);
	if (p->o.stream)
		rs_dataset_free(&p->data);
	memset(p, 0, sizeof *p);
}

/* A pair scored: its line (with json, the object --serve answers), its
 * errors against its rating. */
static void scored(rs_predictor *p, const rs_pair *q, double score)
{
	if (p->o.json) {
		rs_request r = {.user = (char *)q->user, .item = (char *)q->item};
		rs_answer_open(p->out, &p->s.m->hdr, &r, r.item);
		fprintf(p->out, ", \"score\": %.9g}\n", score);
	} else {
		fprintf(p->out, "%s\t%s\t%.6g\n", q->user, q->item, score);
	}
	if (q->has_rating) {
		double e = score - q->rating;
		p->se += e * e;
		p->ae += fabs(e);
	}
	p->n++;
}

static void flush(rs_predictor *p)
{
	const float *score = rs_scorer_run(&p->s);
	for (size_t i = 0; i < p->s.d.n; i++)
		scored(p, &p->batch[i], score[i]);
	rs_scorer_clear(&p->s);
}

static uint32_t lookup(rs_predictor *p, int users, const char *text, unsigned long line)
{
	uint32_t d = find(p, users, text);
	if (d == UINT32_MAX && p->o.unknown == RS_UNKNOWN_FAIL)
		rs_die("%s:%lu: %s %s is not in the model (--unknown skip leaves it out, --unknown cold "
		       "scores it from the other side alone)", p->o.src, line, users ? "user" : "item", text);
	return d == UINT32_MAX ? RS_NONE : d;
}

/* --liked: the new user's scores of every item, made again only for
 * another guest (their side features). */
static const float *liked_row(rs_predictor *p, const char *user)
{
	uint32_t guest = rs_scorer_guest(&p->s, user);
	if (!p->row_made || guest != p->row_of) {
		rs_foldin_row(&p->s, p->liked, p->nliked, guest, p->vec, p->row);
		p->row_of = guest;
		p->row_made = 1;
	}
	return p->row;
}

void rs_predict_pair(void *ctx, const rs_pair *q)
{
	rs_predictor *p = ctx;
	p->rated = q->has_rating;
	if (p->liked) {   /* the line's user is a new user; its score is the row's */
		uint32_t i = lookup(p, 0, q->item, q->line);
		if (i == RS_NONE)
			p->skipped++;
		else
			scored(p, q, liked_row(p, q->user)[i]);
		return;
	}
	if (p->no_history)
		rs_die("%s:%lu: the model %s scores user %s from their previous items: --stream FILE "
		       "gives them (the user's train records, as rs-recommend takes them), or --liked names them",
		       p->o.src, q->line, p->o.model_path, q->user);
	uint32_t u = lookup(p, 1, q->user, q->line), i = lookup(p, 0, q->item, q->line);
	if (p->o.unknown == RS_UNKNOWN_SKIP && (u == RS_NONE || i == RS_NONE)) {
		p->skipped++;
		return;
	}
	p->batch[p->s.d.n] = *q;
	rs_scorer_add_at(&p->s, u, i, q->has_ts ? rs_day_of(q->ts) : RS_NO_DAY);
	if (p->s.d.n == RS_PREDICT_BATCH)
		flush(p);
}

void rs_predict_end(rs_predictor *p)
{
	flush(p);
	if (p->skipped)
		rs_summary("%lu pairs skipped: an id not in the model %s", p->skipped, p->o.model_path);
	/* a ranking model's scores are not ratings: no error against them */
	int rated = p->rated && rs_model_task(p->s.m) != RS_TASK_RANK;
	double n = (double)p->n, rmse = sqrt(p->se / n), mae = p->ae / n;
	if (rated && p->n)
		rs_dsv_summary(&p->lines, 1, "%lu pairs: rmse %.6f mae %.6f", p->n, rmse, mae);
	else
		rs_dsv_summary(&p->lines, 0, "%lu pairs", p->n);
}

static int refuse(char *err, size_t len, const char *what, const char *id)
{
	snprintf(err, len, "%s %s is not in the model", what, id);
	return 1;
}

int rs_predict(rs_predictor *p, const rs_request *q, FILE *out, char *err, size_t len)
{
	if (!q->item || !(q->user || q->liked) || q->similar || q->k) {
		snprintf(err, len, "a request names an item and the user, or the items a new user liked "
			 "(with an id for them or not)");
		return 1;
	}
	int cold = p->o.unknown == RS_UNKNOWN_COLD;
	uint32_t i = find(p, 0, q->item), u = RS_NONE;
	float score;
	if (i == UINT32_MAX && !(cold && !q->liked))
		return refuse(err, len, "item", q->item);
	if (!q->liked) {
		if (p->no_history) {
			snprintf(err, len, "the model scores a user from their previous items: rs-predict "
				 "--stream FILE gives them, or the request's \"liked\" names them");
			return 1;
		}
		if ((u = find(p, 1, q->user)) == UINT32_MAX && !cold)
			return refuse(err, len, "user", q->user);
		rs_scorer_clear(&p->s);
		rs_scorer_add(&p->s, u == UINT32_MAX ? RS_NONE : u, i == UINT32_MAX ? RS_NONE : i);
		score = rs_scorer_run(&p->s)[0];
	} else {
		if (!rs_ctx_applies(p->s.m)) {
			snprintf(err, len, "a %s model scores a user through whole records: liked takes a "
				 "model of mf-train, fm-train or als-train", p->s.m->ops->kind);
			return 1;
		}
		uint32_t *named = rs_malloc((size_t)q->nliked * sizeof *named);
		for (int j = 0; j < q->nliked; j++)
			if ((named[j] = find(p, 0, q->liked[j])) == UINT32_MAX) {
				free(named);
				return refuse(err, len, "item", q->liked[j]);
			}
		rs_foldin_row(&p->s, named, q->nliked, q->user ? rs_scorer_guest(&p->s, q->user) : RS_NONE,
			      p->vec, p->row);
		score = p->row[i];
		free(named);
	}
	rs_answer_open(out, &p->s.m->hdr, q, q->item);
	fprintf(out, ", \"score\": %.9g}\n", score);
	return 0;
}
