/* scorer.c: scoring pairs that no stream carries. */
#include "scorer.h"
#include "featfile.h"
#include "cli.h"
#include "fields.h"
#include "input.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

int rs_scorer_side_needed(const rs_model *m)
{
	return m->ops->features ? rs_onehot_side_needed(&m->hdr) : 0;
}

static void alloc_features(rs_scorer *s)
{
	size_t n = 2 * (s->oh.max_active ? s->oh.max_active : 1);
	s->x = rs_malloc(n * sizeof *s->x);
	s->xv = rs_malloc(n * sizeof *s->xv);
}

static void init_rest(rs_scorer *s)
{
	rs_model *m = s->m;
	rs_dataset_like(&s->d, &m->hdr, m->click, s->oh.multi);
	rs_idmap_from(&s->users, m->hdr.user_ids, m->hdr.nusers);
	rs_idmap_from(&s->items, m->hdr.item_ids, m->hdr.nitems);
	alloc_features(s);
}

void rs_scorer_init(rs_scorer *s, rs_model *m, const char *users_path, const char *items_path)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	if (m->ops->features)   /* MF and ALS read the ids alone: no side file */
		rs_onehot_for_header(&s->oh, &s->side, &m->hdr, users_path, items_path);
	init_rest(s);
}

void rs_scorer_init_data(rs_scorer *s, rs_model *m, const rs_dataset *d)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	if (m->ops->features)
		rs_onehot_from_data(&s->oh, &s->side, &m->hdr, d);
	init_rest(s);
}

void rs_scorer_history(rs_scorer *s, const rs_dataset *d, unsigned splits)
{
	if (!s->oh.seq)
		return;
	rs_history_free(&s->own);
	rs_history_last(&s->own, d, splits);
	rs_scorer_use_history(s, &s->own);
}

void rs_scorer_use_history(rs_scorer *s, const rs_history *h)
{
	s->hist = h;
	size_t had = s->oh.max_active;
	rs_onehot_room(&s->oh, h ? h->longest : 0);
	if (s->oh.max_active != had) {   /* a long field holds more */
		free(s->x);
		free(s->xv);
		alloc_features(s);
	}
}

void rs_scorer_stream(rs_scorer *s, const rs_dataset *d)
{
	if (!s->m->ops->features)
		return;
	rs_onehot_from_stream(&s->oh, &s->side, &s->m->hdr, d);
	rs_ctx_free(&s->ctx);   /* the items' features may have grown fields */
	free(s->x);
	free(s->xv);
	alloc_features(s);
}

/* A model's declared feature-file fields (rs_features_declare) filled from
 * the file it was trained with, read again against its header: the same
 * file gives the same features. Dies when a field is not a column of the
 * file or its size differs; returns the most features one id has over the
 * fields filled. */
static size_t refill(rs_side *s, const rs_header *h, const char *path, int users)
{
	rs_side file;
	rs_side_init(&file, h);
	rs_features_read(&file, h, path, users);
	size_t most = 0;
	for (int g = 0; g < s->nfeat; g++) {
		rs_feature_field *ff = &s->feat[g];
		if (ff->users != users)
			continue;
		rs_feature_field *got = NULL;
		for (int j = 0; j < file.nfeat && !got; j++)
			if (!strcmp(file.feat[j].name, ff->name))
				got = &file.feat[j];
		if (!got)
			rs_die("%s: the model's field '%s' is not a column of this file", path, ff->name);
		if (got->size != ff->size)
			rs_die("%s: the field '%s' has %u features from this file, %u in the model", path,
			       ff->name, got->size, ff->size);
		free(ff->off);
		ff->off = got->off, ff->idx = got->idx, ff->val = got->val, ff->most = got->most;
		got->off = NULL, got->idx = NULL, got->val = NULL;
		most += ff->most;
	}
	rs_side_free(&file);
	return most;
}

void rs_scorer_features(rs_scorer *s, const char *user_features, const char *item_features)
{
	if (!s->m->ops->features || (!user_features && !item_features))
		return;
	size_t most = 0;
	if (user_features)
		most += refill(&s->side, &s->m->hdr, user_features, 1);
	if (item_features)
		most += refill(&s->side, &s->m->hdr, item_features, 0);
	for (int f = 0; f < s->oh.nfields; f++)
		if (rs_field_is_generic(s->oh.kind[f]) &&
		    !(s->oh.kind[f] == RS_F_UFEAT ? user_features : item_features))
			rs_die("the model's field '%s' comes from a feature file: give it as --%s-features",
			       s->m->hdr.fields[f].name, s->oh.kind[f] == RS_F_UFEAT ? "user" : "item");
	/* into the base too: rs_onehot_room, after this, sizes from it */
	s->oh.max_active += most, s->oh.base_active += most;
	free(s->x);
	free(s->xv);
	alloc_features(s);
	s->featfiles = 1;
}

void rs_scorer_check(const rs_scorer *s, const char *src)
{
	for (int f = 0; f < s->oh.nfields && !s->oh.streamed; f++) {
		const char *name = s->m->hdr.fields[f].name;
		if (rs_field_is_feedback(s->oh.kind[f]))
			rs_die("%s: the model's field '%s' is built by ml-onehot from a stream's train "
			       "records; score such a model from a stream (rs-eval, rs-recommend), "
			       "not from pairs", src, name);
		if (rs_field_is_generic(s->oh.kind[f]) && !s->featfiles)
			rs_die("%s: the model's field '%s' comes from a feature file; give the file "
			       "(--user-features, --item-features), or score such a model from a stream "
			       "(rs-eval, rs-recommend), whose records carry the features",
			       src, name);
	}
}

void rs_scorer_clone(rs_scorer *dst, const rs_scorer *src, rs_model *m)
{
	*dst = *src;   /* the side tables, layout, id maps and history: shared */
	dst->m = m;
	memset(&dst->d, 0, sizeof dst->d);
	memset(&dst->own, 0, sizeof dst->own);
	dst->idx = NULL;
	dst->out = NULL;
	dst->row = NULL;
	dst->gram = NULL;
	dst->cap = 0;
	dst->shared = 1;
	rs_dataset_like(&dst->d, &m->hdr, m->click, src->oh.multi);
	alloc_features(dst);
}

void rs_scorer_clone_free(rs_scorer *s)
{
	free(s->row);
	free(s->gram);
	rs_dataset_free(&s->d);
	free(s->idx);
	free(s->out);
	free(s->x);
	free(s->xv);
}

void rs_scorer_guests(rs_scorer *s, const char *users_path)
{
	int sided = 0;
	for (int f = 0; s->m->ops->features && f < s->oh.nfields; f++)
		sided |= rs_field_from_users(s->oh.kind[f]);
	if (!sided || !users_path)
		return;
	FILE *f = rs_input_open(users_path);
	rs_cleanup_push(rs_input_close, f);
	rs_side_read_every_user(&s->guests, &s->guest_ids, f, users_path);
	rs_cleanup_pop();
	fclose(f);
}

uint32_t rs_scorer_guest(const rs_scorer *s, const char *id)
{
	int64_t raw;
	uint32_t g;
	if (!s->guest_ids.n || rs_field_int(id, &raw) || (g = rs_idmap_find(&s->guest_ids, raw)) == UINT32_MAX)
		return RS_NONE;
	return g;
}

void rs_scorer_free(rs_scorer *s)
{
	rs_side_free(&s->guests);
	rs_idmap_free(&s->guest_ids);
	free(s->gram);
	rs_side_free(&s->side);
	rs_dataset_free(&s->d);
	rs_idmap_free(&s->users);
	rs_idmap_free(&s->items);
	rs_history_free(&s->own);
	rs_ctx_free(&s->ctx);
	free(s->row);
	free(s->idx);
	free(s->out);
	free(s->x);
	free(s->xv);
}

void rs_scorer_clear(rs_scorer *s)
{
	rs_dataset_clear(&s->d);
}

void rs_scorer_add(rs_scorer *s, uint32_t user, uint32_t item)
{
	rs_scorer_add_at(s, user, item, s->oh.now);
}

void rs_scorer_add_at(rs_scorer *s, uint32_t user, uint32_t item, int64_t day)
{
	uint32_t *x = s->x;
	float *xv = s->xv;
	int k = 0, nhist = 0;
	if (!s->m->ops->features) {   /* MF and ALS read the ids alone */
		rs_dataset_push(&s->d, user, item, NULL, NULL, 0);
		return;
	}
	const uint32_t *hist = s->hist && user != RS_NONE ? rs_history_of(s->hist, user, &nhist) : NULL;
	if (user != RS_NONE && item != RS_NONE) {
		k = rs_onehot_features_at(&s->oh, user, item, day, hist, nhist, x, xv);
	} else {
		/* the known side's features only: features of field f come in order */
		uint32_t *tx = s->x + s->oh.max_active;
		float *tv = s->xv + s->oh.max_active;
		int n = rs_onehot_features_at(&s->oh, user == RS_NONE ? 0 : user,
					      item == RS_NONE ? 0 : item, day, hist, nhist, tx, tv);
		uint8_t keep[RS_MAX_FIELDS];
		for (int f = 0; f < s->oh.nfields; f++)
			keep[f] = rs_field_of_item(s->oh.kind[f]) ? item != RS_NONE : user != RS_NONE;
		k = rs_onehot_select(&s->oh, keep, tx, tv, n, x, xv);
	}
	rs_dataset_push(&s->d, user, item, x, xv, k);
}

const float *rs_scorer_run(rs_scorer *s)
{
	size_t n = s->d.n;
	if (n > s->cap) {
		s->cap = n;
		s->idx = rs_reallocarray(s->idx, n, sizeof *s->idx);
		s->out = rs_reallocarray(s->out, n, sizeof *s->out);
		for (size_t i = 0; i < n; i++)
			s->idx[i] = (uint32_t)i;
	}
	rs_model_predict(s->m, &s->d, s->idx, n, s->out, s->m->click);
	return s->out;
}

void rs_scorer_refresh(rs_scorer *s)
{
	if (!rs_ctx_applies(s->m) || s->shared)
		return;
	if (!s->ctx.m)
		rs_ctx_init(&s->ctx, s->m, s->m->ops->features ? &s->oh : NULL);
	rs_ctx_refresh(&s->ctx);
	free(s->gram);   /* of the old table */
	s->gram = NULL;
}

/* A user's row of scores, then a context's vector. */
static float *row_buffer(rs_scorer *s)
{
	if (!s->row)
		s->row = rs_malloc(((size_t)s->m->hdr.nitems + (size_t)s->m->k + 1) * sizeof *s->row);
	return s->row;
}

const float *rs_scorer_similar(rs_scorer *s, uint32_t i)
{
	if (!rs_ctx_applies(s->m))
		rs_die("a %s model has no item vectors to compare: --similar takes a model of mf-train, "
		       "fm-train or als-train", s->m->ops->kind);
	if (!s->ctx.m)
		rs_scorer_refresh(s);
	rs_ctx_cosine(&s->ctx, i, row_buffer(s));
	return s->row;
}

const float *rs_scorer_user_row(rs_scorer *s, uint32_t u)
{
	if (s->ctx.m) {
		uint32_t I = s->m->hdr.nitems;
		float *vec = row_buffer(s) + I, bias;
		uint32_t *cx = s->x + s->oh.max_active;
		float *cv = s->xv + s->oh.max_active;
		int n = 0;
		if (s->m->ops->features) {
			int nhist = 0;
			const uint32_t *hist = s->hist ? rs_history_of(s->hist, u, &nhist) : NULL;
			int all = rs_onehot_features(&s->oh, u, 0, hist, nhist, s->x, s->xv);
			n = rs_ctx_context(&s->ctx, u, s->x, s->xv, all, cx, cv);
		} else {
			n = rs_ctx_context(&s->ctx, u, NULL, NULL, 0, cx, cv);
		}
		rs_ctx_forward(&s->ctx, cx, cv, n, &bias, vec);
		rs_ctx_row(&s->ctx, bias, vec, s->row);
		rs_model_output(s->m, s->row, I, s->m->click);
		return s->row;
	}
	rs_scorer_clear(s);
	for (uint32_t i = 0; i < s->m->hdr.nitems; i++)
		rs_scorer_add(s, u, i);
	return rs_scorer_run(s);
}
