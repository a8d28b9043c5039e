/* modelmap.c: a stream applied to a model: its target checked, and its
 * users, items and id features put in the model's ids by raw id. */
#include "modelmap.h"
#include "cli.h"
#include "fields.h"
#include "idmap.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* The keys of d's records of one split whose ids the model knows, into
 * keys; how many. */
static size_t split_keys(const rs_model *m, const rs_dataset *d, int split, uint64_t *keys)
{
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] == split && d->user[r] != RS_NONE && d->item[r] != RS_NONE)
			keys[n++] = rs_pair_key(m->hdr.user_ids[d->user[r]], m->hdr.item_ids[d->item[r]]);
	return n;
}

size_t rs_model_count_trained(const rs_model *m, const rs_dataset *d, const char *mp, int repeats)
{
	uint64_t *keys = rs_malloc((d->n + 1) * sizeof *keys);
	/* a test record whose pair the stream's own train records have is a
	 * repeated event (a re-play, a re-buy), not another split's record */
	rs_pairset train;
	rs_pairset_build(&train, keys, split_keys(m, d, RS_SPLIT_TRAIN, keys));
	size_t n = split_keys(m, d, RS_SPLIT_TEST, keys);
	uint64_t *copy = rs_malloc((n + 1) * sizeof *copy);   /* a count reorders and recodes its keys */
	memcpy(copy, keys, n * sizeof *keys);
	size_t again = rs_pairset_count(&train, copy, n);
	rs_pairset_free(&train);
	free(copy);
	size_t hits;
	if (again) {
		hits = rs_pairset_count(&m->pairs, keys, n);
		if (!repeats)
			rs_warn("%s: %zu of its test records repeat a (user, item) pair of its train records "
				"(the log repeats events): a ranking among the items a user has not had counts "
				"them as misses; ml-split --dedupe first|last keeps one event a pair, and rs-eval "
				"--rank --repeats ranks every item", d->src, again);
	} else {
		hits = rs_model_warn_trained(m, keys, n, d->src, mp);
	}
	free(keys);
	return hits;
}

size_t rs_model_warn_trained(const rs_model *m, uint64_t *keys, size_t n, const char *src,
			     const char *mp)
{
	size_t hits = rs_pairset_count(&m->pairs, keys, n);
	if (hits)
		rs_warn("%s: %zu of its test records are (user, item) pairs the model %s was trained on: "
			"a metric over them is not a test (split the same file the same way as for training)",
			src, hits, mp);
	return hits;
}

void rs_model_check_target(const rs_model *m, const rs_dataset *d, const char *mp)
{
	/* a model trained to rank ranks any stream's items */
	if (rs_model_task(m) != RS_TASK_RANK && d->click != m->click)
		rs_die("%s:header: the stream's target is '%s', the model %s predicts '%s'",
		       d->src, d->hdr.target, mp, m->click ? "click" : "rating");
}

void rs_model_read_data(const rs_model *m, const char *mp, rs_reader *in, rs_dataset *d)
{
	rs_dataset_read(d, in);
	rs_model_check_target(m, d, mp);
	rs_model_map_ids(m, d, mp);
}

/* The fields of the stream and the model, in order: the same names, and
 * the same sizes but for the fields of ids (user, item, history), which
 * follow each side's id table. */
static void check_fields(const rs_model *m, const rs_dataset *d, const char *mp)
{
	const rs_header *a = &d->hdr, *b = &m->hdr;
	for (int f = 0; f < a->nfields || f < b->nfields; f++) {
		const rs_field *x = f < a->nfields ? &a->fields[f] : NULL;
		const rs_field *y = f < b->nfields ? &b->fields[f] : NULL;
		int kind = x ? rs_field_kind(x->name) : -1;
		int ids = rs_field_is_user_ids(kind) || rs_field_is_item_ids(kind);
		if (!x || !y || strcmp(x->name, y->name) || (!ids && x->size != y->size) ||
		    x->bin != y->bin || x->origin != y->origin)
			rs_die("%s:header: field %d is %s%s (size %u) in the stream, %s%s (size %u) in the model %s",
			       d->src, f + 1, x ? "" : "absent", x ? x->name : "", x ? x->size : 0,
			       y ? "" : "absent", y ? y->name : "", y ? y->size : 0, mp);
	}
}

static int same_ids(const rs_header *a, const rs_header *b)
{
	return a->nusers == b->nusers && a->nitems == b->nitems &&
	       !memcmp(a->user_ids, b->user_ids, a->nusers * sizeof *a->user_ids) &&
	       !memcmp(a->item_ids, b->item_ids, a->nitems * sizeof *a->item_ids);
}

/* map[i]: the model's dense id of the stream's id i, RS_NONE if unseen */
static uint32_t *id_map(const int64_t *from, uint32_t n, const int64_t *to, uint32_t nto,
			size_t *unseen)
{
	rs_idmap ids;
	rs_idmap_from(&ids, to, nto);
	uint32_t *map = rs_malloc(((size_t)n + 1) * sizeof *map);
	for (uint32_t i = 0; i < n; i++)
		*unseen += (map[i] = rs_idmap_find(&ids, from[i])) == RS_NONE;
	rs_idmap_free(&ids);
	return map;
}

void rs_id_map_init(rs_id_map *im, const rs_model *m, const rs_dataset *d, const char *mp)
{
	check_fields(m, d, mp);
	memset(im, 0, sizeof *im);
	im->from = &d->hdr;
	im->to = &m->hdr;
	for (int f = 0; f < d->hdr.nfields; f++)
		im->kind[f] = rs_field_kind(d->hdr.fields[f].name);
	if (same_ids(im->from, im->to))
		return;
	for (int f = 0; f < d->hdr.nfields; f++)
		if (im->kind[f] == RS_F_USER_TIME || im->kind[f] == RS_F_ITEM_TIME)
			rs_die("%s:header: the stream's users or items are not the model %s's, and its field "
			       "'%s' numbers them: make the stream with ml-onehot --time from the split "
			       "the model was trained on", d->src, mp, d->hdr.fields[f].name);
	im->user = id_map(im->from->user_ids, im->from->nusers, im->to->user_ids, im->to->nusers,
			  &im->new_users);
	im->item = id_map(im->from->item_ids, im->from->nitems, im->to->item_ids, im->to->nitems,
			  &im->new_items);
	/* a stream of another data set scores as noise: its metrics near 0,
	 * its user 1 answered as the model's user 1 */
	size_t U = im->from->nusers, I = im->from->nitems;
	size_t su = U - im->new_users, si = I - im->new_items;
	if (!su && !si) {
		uint32_t mu = im->to->nusers, mi = im->to->nitems;
		rs_id_map_free(im);
		rs_die("%s:header: no user and no item in common with the model %s (%zu users and %zu items "
		       "in the stream, %u and %u in the model): not the data set it was trained on",
		       d->src, mp, U, I, mu, mi);
	}
	if (2 * su < U || 2 * si < I)
		rs_warn("%s: %zu of its %zu users and %zu of its %zu items are the model %s's: "
			"is it the data set the model was trained on?", d->src, su, U, si, I, mp);
}

void rs_id_map_free(rs_id_map *im)
{
	free(im->user);
	free(im->item);
	memset(im, 0, sizeof *im);
}

int rs_id_map_record(const rs_id_map *im, rs_dataset *d, size_t r, size_t *o)
{
	if (!im->user) {   /* the same ids: nothing moves */
		*o = d->xoff[r + 1];
		return 0;
	}
	const rs_header *a = im->from, *b = im->to;
	/* each feature to the model's layout; one of an unseen id is left out,
	 * as rs-predict --cold leaves it */
	size_t j = d->xoff[r], end = d->xoff[r + 1], first = *o;
	int f = 0;
	d->xoff[r] = *o;
	for (; j < end; j++) {
		while (d->x[j] >= a->fields[f].offset + a->fields[f].size)
			f++;
		uint32_t v = d->x[j] - a->fields[f].offset;
		int kind = im->kind[f];
		if (rs_field_is_user_ids(kind))
			v = im->user[v];
		else if (rs_field_is_item_ids(kind))
			v = im->item[v];
		if (v == RS_NONE)
			continue;
		float xv = d->xv ? d->xv[j] : 1.0f;
		size_t q = (*o)++;   /* a history field's items may leave their order */
		for (; q > first && d->x[q - 1] > b->fields[f].offset + v; q--) {
			d->x[q] = d->x[q - 1];
			if (d->xv)
				d->xv[q] = d->xv[q - 1];
		}
		d->x[q] = b->fields[f].offset + v;
		if (d->xv)
			d->xv[q] = xv;
	}
	d->user[r] = im->user[d->user[r]];
	d->item[r] = im->item[d->item[r]];
	return d->user[r] == RS_NONE || d->item[r] == RS_NONE;
}

void rs_id_map_warn(const rs_id_map *im, const char *src, size_t records, const char *mp)
{
	if (records)
		rs_warn("%s: %zu records have a user or item that the model %s never saw (%zu new users, %zu new items): "
			"scored from what it knows of the other side, and left out of a ranking",
			src, records, mp, im->new_users, im->new_items);
}

void rs_model_map_ids(const rs_model *m, rs_dataset *d, const char *mp)
{
	rs_id_map im;
	rs_id_map_init(&im, m, d, mp);
	if (im.user) {
		size_t records = 0, o = 0;
		for (size_t r = 0; r < d->n; r++)
			records += rs_id_map_record(&im, d, r, &o);
		d->xoff[d->n] = d->nnz = o;
		/* the model's ids and layout from here on: every id of d is one
		 * of them, or RS_NONE */
		rs_header *a = &d->hdr;
		rs_header t;
		rs_header_copy(&t, &m->hdr);
		free(a->user_ids);
		free(a->item_ids);
		rs_names_free(&a->user_names);
		rs_names_free(&a->item_names);
		for (int f = 0; f < a->nfields; f++)
			free(a->fields[f].name);
		free(a->fields);
		a->nusers = t.nusers, a->user_ids = t.user_ids, t.user_ids = NULL;
		a->nitems = t.nitems, a->item_ids = t.item_ids, t.item_ids = NULL;
		a->user_names = t.user_names, memset(&t.user_names, 0, sizeof t.user_names);
		a->item_names = t.item_names, memset(&t.item_names, 0, sizeof t.item_names);
		a->nfields = t.nfields, a->fields = t.fields, t.fields = NULL, t.nfields = 0;
		rs_header_free(&t);
		d->nfeatures = rs_header_nfeatures(a);
		rs_id_map_warn(&im, d->src, records, mp);
	}
	rs_id_map_free(&im);
}
