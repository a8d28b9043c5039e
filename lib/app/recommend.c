/* recommend.c: lists for users, new users and items (recommend.h); their
 * printing is recommend_print.c. */
#include "recommend.h"
#include "cli.h"
#include "fields.h"
#include "foldin.h"
#include "itemlist.h"
#include "likedfile.h"
#include "mem.h"
#include "modelmap.h"
#include "titles.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int rs_recommend_streamed(const rs_model *m, const rs_recommend_opts *o)
{
	int streamed = !m || o->need_stream;
	for (int f = 0; m && m->ops->features && f < m->hdr.nfields; f++) {
		int kind = rs_field_kind(m->hdr.fields[f].name);
		streamed |= rs_field_is_feedback(kind) || rs_field_is_generic(kind) || rs_field_is_time(kind);
	}
	return streamed;
}

void rs_recommender_open(rs_recommender *r, rs_model *m, const rs_recommend_opts *o)
{
	memset(r, 0, sizeof *r);
	r->o = *o;
	r->m = m;
	int streamed = rs_recommend_streamed(m, o);
	r->streamed = streamed;
	if (streamed) {
		rs_reader_open_operand(&r->in, o->stream);
		rs_ranking_open(&r->g, m, &r->in, o->model_path, o->users, o->items, o->threads);
		rs_user_items_build(&r->seen, &r->g.d, o->exclude);
		r->h = &r->g.d.hdr;
		r->s = m ? &r->g.s : NULL;
		rs_idmap_from(&r->uid, r->h->user_ids, r->h->nusers);
	} else {
		rs_scorer_init(&r->own, m, o->users, o->items);
		r->h = &m->hdr;
		r->s = &r->own;
	}
	uint32_t I = r->h->nitems;
	rs_idmap_from(&r->iid, r->h->item_ids, I);
	r->banned = rs_items_banned(r->h, &r->iid, o->exclude_items, o->candidates, &r->nbanned);
	r->title = o->items ? rs_side_titles(r->h, o->items) : NULL;
	if (m && streamed)   /* a stream whose test records were training pairs: lists to distrust */
		rs_model_count_trained(m, &r->g.d, o->model_path, 0);
	r->skip = rs_calloc((size_t)I + 1, sizeof *r->skip);
	r->top = rs_malloc(((size_t)I + 1) * sizeof *r->top);
	r->best = rs_malloc(((size_t)I + 1) * sizeof *r->best);
	r->score = rs_malloc(((size_t)I + 1) * sizeof *r->score);
	r->vec = rs_malloc(((size_t)(m ? m->k : 0) + 1) * sizeof *r->vec);
	if (r->s) {   /* the item table once, for every request */
		rs_scorer_refresh(r->s);
		r->s->fit = o->fit;
		rs_scorer_guests(r->s, o->users);
	}
}

void rs_recommender_free(rs_recommender *r)
{
	free(r->vec);
	free(r->score);
	free(r->best);
	free(r->top);
	free(r->skip);
	rs_titles_free(r->title, r->h->nitems);
	free(r->banned);
	rs_idmap_free(&r->iid);
	if (r->streamed) {
		rs_idmap_free(&r->uid);
		rs_user_items_free(&r->seen);
		rs_ranking_free(&r->g);
		rs_reader_close(&r->in);
	} else {
		rs_scorer_free(&r->own);
	}
	memset(r, 0, sizeof *r);
}

/* A fresh stamp for r->skip: a value no earlier list left there. */
static uint32_t next_stamp(rs_recommender *r)
{
	if (++r->stamp == 0) {
		memset(r->skip, 0, (size_t)r->h->nitems * sizeof *r->skip);
		r->stamp = 1;
	}
	return r->stamp;
}

static int failed(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return 1;
}

static int item_of(const rs_recommender *r, const char *id, uint32_t *i, char *err, size_t len)
{
	int64_t key;
	if (rs_item_key(r->h, id, &key) || (*i = rs_idmap_find(&r->iid, key)) == UINT32_MAX)
		return r->m ? failed(err, len, "item %s is not in the model %s", id, r->o.model_path)
			    : failed(err, len, "item %s is not in the stream", id);
	return 0;
}

/* The k best of score without skip's stamped items, into r->top and r->best. */
static int top_of(rs_recommender *r, const float *score, uint32_t stamp, int k)
{
	int n = rs_topk(score, r->h->nitems, r->h->item_ids, r->skip, stamp, k, r->top);
	for (int j = 0; j < n; j++)
		r->best[j] = score[r->top[j]];
	return n;
}

static uint32_t banned_stamp(rs_recommender *r)
{
	uint32_t stamp = next_stamp(r);
	for (size_t b = 0; b < r->nbanned; b++)
		r->skip[r->banned[b]] = stamp;
	return stamp;
}

static int known_user(rs_recommender *r, const rs_request *q, int k, FILE *out, char *err,
		      size_t len)
{
	int64_t key;
	uint32_t u;
	if (!r->streamed)
		return failed(err, len, "a user's list needs the stream their records are in");
	if (rs_user_key(r->h, q->user, &key) || (u = rs_idmap_find(&r->uid, key)) == UINT32_MAX)
		return r->m ? failed(err, len, "user %s is not in the model %s", q->user, r->o.model_path)
			    : failed(err, len, "user %s is not in the stream", q->user);
	int n = rs_rank_user_topk(&r->g.rk, &r->seen, r->banned, r->nbanned, u, r->skip,
				  next_stamp(r), k, r->top, r->best);
	rs_recommend_print(r, out, q, n);
	return 0;
}

/* A new user (foldin.h); the popularity baseline gives its own list. An
 * unknown item fails, or under skip_unknown is left out (a user left with
 * none gets no list). */
static int new_user(rs_recommender *r, const rs_request *q, int k, FILE *out, char *err, size_t len)
{
	uint32_t *named = rs_malloc((size_t)q->nliked * sizeof *named);
	int nnamed = 0;
	for (int j = 0; j < q->nliked; j++) {
		if (!item_of(r, q->liked[j], &named[nnamed], err, len))
			nnamed++;
		else if (r->o.skip_unknown)
			r->skipped++;
		else {
			free(named);
			return 1;
		}
	}
	if (!nnamed) {
		free(named);
		r->bare++;
		return 0;
	}
	const float *score = r->g.rk.pop;
	if (r->m) {
		if (!r->s->ctx.m) {
			free(named);
			return failed(err, len, "a %s model scores a user through whole records: --liked "
				      "takes a model of mf-train, fm-train or als-train", r->m->ops->kind);
		}
		uint32_t guest = q->user ? rs_scorer_guest(r->s, q->user) : RS_NONE;
		rs_foldin_row(r->s, named, nnamed, guest, r->vec, r->score);
		score = r->score;
	}
	uint32_t stamp = banned_stamp(r);
	for (int j = 0; j < nnamed; j++)
		r->skip[named[j]] = stamp;
	free(named);
	rs_recommend_print(r, out, q, top_of(r, score, stamp, k));
	return 0;
}

static int similar_items(rs_recommender *r, const rs_request *q, int k, FILE *out, char *err,
			 size_t len)
{
	uint32_t i;
	if (item_of(r, q->similar, &i, err, len))
		return 1;
	if (!r->m || !r->s->ctx.m)
		return failed(err, len, "a %s model has no item vectors to compare: --similar takes a "
			      "model of mf-train, fm-train or als-train", r->m ? r->m->ops->kind : "popularity");
	const float *cos = rs_scorer_similar(r->s, i);
	uint32_t stamp = banned_stamp(r);
	r->skip[i] = stamp;   /* not like itself */
	rs_recommend_print(r, out, q, top_of(r, cos, stamp, k));
	return 0;
}

int rs_recommend(rs_recommender *r, const rs_request *q, FILE *out, char *err, size_t len)
{
	if (q->item || (q->similar && (q->user || q->liked)) || !(q->user || q->liked || q->similar))
		return failed(err, len, "a request names a user, the items a new user liked (with an id "
			      "for them or not) or an item to match (similar), and k");
	int k = q->k ? q->k : r->o.k;
	if (q->liked)
		return new_user(r, q, k, out, err, len);
	if (q->user)
		return known_user(r, q, k, out, err, len);
	return similar_items(r, q, k, out, err, len);
}

void rs_recommend_all(rs_recommender *r, FILE *out)
{
	uint32_t U = r->h->nusers, I = r->h->nitems;
	size_t k = (size_t)r->o.k < I ? (size_t)r->o.k : I;
	uint32_t *dense = rs_malloc(((size_t)U + 1) * sizeof *dense);
	for (uint32_t u = 0; u < U; u++)
		dense[u] = u;
	uint32_t *top = rs_malloc(((size_t)U * k + 1) * sizeof *top);
	float *score = rs_malloc(((size_t)U * k + 1) * sizeof *score);
	int *count = rs_malloc(((size_t)U + 1) * sizeof *count);
	rs_rank_topk(&r->g.rk, &r->seen, r->banned, r->nbanned, dense, U, (int)k, top, score, count);
	for (uint32_t u = 0; u < U; u++) {
		char b[RS_ID_TEXT];
		rs_request q = {.user = (char *)rs_user_text(r->h, u, b)};
		memcpy(r->top, top + u * k, (size_t)count[u] * sizeof *top);
		memcpy(r->best, score + u * k, (size_t)count[u] * sizeof *score);
		rs_recommend_print(r, out, &q, count[u]);
		rs_check_stdout();
	}
	free(count);
	free(score);
	free(top);
	free(dense);
}

/* --liked-file: one user's list, a refusal the tool's error naming them */
typedef struct liked_file {
	rs_recommender *r;
	FILE *out;
} liked_file;

static void liked_user(void *ctx, const char *name, const rs_request *q)
{
	liked_file *c = ctx;
	char err[512];
	if (rs_recommend(c->r, q, c->out, err, sizeof err))
		rs_die("%s: user %s: %s", name, q->user, err);
	rs_check_stdout();
}

void rs_recommend_liked_file(rs_recommender *r, const char *path, FILE *out)
{
	rs_liked_file_read(path, liked_user, &(liked_file){r, out});
}

void rs_recommend_skipped(const rs_recommender *r)
{
	if (r->skipped)
		rs_summary("%lu liked items skipped: not in the %s%s; %lu users left with none, not listed",
			   r->skipped, r->m ? "model " : "stream", r->m ? r->o.model_path : "", r->bare);
}
