/* onehot_header.c: the layout of a header's fields (a model's) rebuilt,
 * from side files or from a stream's records, and what a stream gives it
 * (onehot.h). */
#include "onehot.h"
#include "featfile.h"
#include "cli.h"
#include "mem.h"

#include <stdlib.h>

int rs_onehot_side_needed(const rs_header *h)
{
	int need = 0;
	for (int f = 0; f < h->nfields; f++) {
		int kind = rs_field_kind(h->fields[f].name);
		need |= (rs_field_from_users(kind) ? RS_NEED_USERS : 0) |
			(rs_field_from_items(kind) ? RS_NEED_ITEMS : 0);
	}
	return need;
}

/* The kinds of a header's fields and its history window; dies on a field
 * ml-onehot does not make. */
static int kinds_of(const rs_header *h, int *kinds)
{
	int window = 0;
	if (h->nfields > RS_MAX_FIELDS)
		rs_die("the model has %d fields, more than %d", h->nfields, RS_MAX_FIELDS);
	for (int f = 0; f < h->nfields; f++) {
		if ((kinds[f] = rs_field_kind(h->fields[f].name)) < 0)
			rs_die("the model's field '%s' is not one ml-onehot makes", h->fields[f].name);
		if (kinds[f] == RS_F_HISTORY && !(window = (int)h->fields[f].window))
			rs_die("the field 'history' has no window");
	}
	return window;
}

/* The time fields' days from a header's (a model's): their origin, the
 * bin of user-time and item-time, the days the day field (or their bins)
 * span; check_sizes then holds the sizes to them. */
static void time_of(rs_side *side, const rs_header *h, const int *kinds)
{
	for (int f = 0; f < h->nfields; f++) {
		const rs_field *fd = &h->fields[f];
		if (!rs_field_is_time(kinds[f]))
			continue;
		if (!fd->bin)
			rs_die("the field '%s' has no bin and origin (ml-onehot --time writes them)", fd->name);
		side->time_origin = fd->origin;
		if (kinds[f] == RS_F_DAY) {
			side->time_days = fd->size;
			continue;
		}
		uint32_t n = kinds[f] == RS_F_USER_TIME ? h->nusers : h->nitems;
		side->time_bin = fd->bin;
		if (!side->time_days && n && fd->size % n == 0)
			side->time_days = fd->size / n * fd->bin;
	}
	if (side->time_days && !side->time_bin)
		side->time_bin = 1;
}

/* A long field's cap: its window in the header (none: all its items). */
static int long_max_of(const rs_header *h, const int *kinds)
{
	for (int f = 0; f < h->nfields; f++)
		if (rs_field_is_long(kinds[f]))
			return (int)h->fields[f].window;
	return 0;
}

static void check_sizes(const rs_onehot *oh, const rs_header *h, const char *from)
{
	for (int f = 0; f < h->nfields; f++)
		if (oh->size[f] != h->fields[f].size)
			rs_die("field '%s' has %u features from %s, %u in the model",
			       h->fields[f].name, oh->size[f], from, h->fields[f].size);
}

void rs_onehot_for_header(rs_onehot *oh, rs_side *side, const rs_header *h,
			  const char *users_path, const char *items_path)
{
	int kinds[RS_MAX_FIELDS], window = kinds_of(h, kinds), need = rs_onehot_side_needed(h);
	int need_users = need & RS_NEED_USERS, need_items = need & RS_NEED_ITEMS;
	rs_side_init(side, h);
	if ((need_users && !users_path) || (need_items && !items_path))
		rs_die("the model uses %s side features and no %s file was given",
		       need_users && !users_path ? "user" : "item", need_users && !users_path ? "user" : "item");
	if (need_users)
		rs_side_read(side, h, users_path, 1);
	if (need_items)
		rs_side_read(side, h, items_path, 0);
	rs_features_declare(side, h);
	time_of(side, h, kinds);
	rs_onehot_init(oh, kinds, h->nfields, side, window);
	oh->long_max = long_max_of(h, kinds);
	check_sizes(oh, h, "the side file");
}

void rs_onehot_from_data(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d)
{
	int kinds[RS_MAX_FIELDS], window = kinds_of(h, kinds);
	rs_side_init(side, h);
	rs_features_declare(side, h);
	side->age = rs_calloc(h->nusers + 1, 1);
	side->gender = rs_calloc(h->nusers + 1, 1);
	side->occupation = rs_calloc(h->nusers + 1, 1);
	side->zip = rs_calloc(h->nusers + 1, 1);
	side->year = rs_calloc(h->nitems + 1, 1);
	side->genres = rs_calloc(h->nitems + 1, sizeof *side->genres);
	for (int f = 0; f < h->nfields; f++)
		if (kinds[f] == RS_F_OCCUPATION && (side->noccupations = (int)h->fields[f].size) > 256)
			rs_die("field 'occupation' has %d features, more than u.user can give",
			       side->noccupations);
	/* the sizes first: every value below is then in its table's range */
	time_of(side, h, kinds);
	rs_onehot_init(oh, kinds, h->nfields, side, window);
	oh->long_max = long_max_of(h, kinds);
	check_sizes(oh, h, "the stream");
	for (size_t r = 0; r < d->n; r++) {
		uint32_t u = d->user[r], it = d->item[r];
		int f = 0;
		for (size_t j = d->xoff[r]; j < d->xoff[r + 1]; j++) {
			while (d->x[j] >= h->fields[f].offset + h->fields[f].size)
				f++;   /* x is sorted and the fields tile it */
			uint32_t v = d->x[j] - h->fields[f].offset;
			switch (kinds[f]) {
			case RS_F_AGE: side->age[u] = (uint8_t)v; break;
			case RS_F_GENDER: side->gender[u] = (uint8_t)v; break;
			case RS_F_OCCUPATION: side->occupation[u] = (uint8_t)v; break;
			case RS_F_ZIP: side->zip[u] = (uint8_t)v; break;
			case RS_F_YEAR: side->year[it] = (uint8_t)v; break;
			case RS_F_GENRE: side->genres[it] |= 1u << v; break;
			}
		}
	}
	rs_onehot_from_stream(oh, side, h, d);
}

void rs_onehot_from_stream(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d)
{
	if (oh->streamed)
		return;   /* once: the lists and features it builds are the side's */
	int generic = 0;
	for (int f = 0; f < oh->nfields; f++)
		generic |= rs_field_is_generic(oh->kind[f]);
	if (generic) {
		rs_features_from_data(side, h, d);
		for (int f = 0; f < oh->nfields; f++)
			if (oh->feat[f] >= 0)
				oh->max_active += side->feat[oh->feat[f]].most;
	}
	if (oh->has_long) {   /* a record's long field: at most its user's records */
		uint32_t *count = rs_calloc((size_t)h->nusers + 1, sizeof *count), most = 0;
		for (size_t r = 0; r < d->n; r++)
			if (d->user[r] < h->nusers && ++count[d->user[r]] > most)
				most = count[d->user[r]];
		rs_onehot_room(oh, most);
		free(count);
	}
	if (oh->timed) {   /* a pair scored from the stream is scored at its last day */
		if (!d->ts)
			rs_die("%s: the model has time fields (ml-onehot --time) and the stream no 'ts'", d->src);
		for (size_t r = 0; r < d->n; r++)
			if (oh->now == RS_NO_DAY || rs_day_of(d->ts[r]) > oh->now)
				oh->now = rs_day_of(d->ts[r]);
	}
	if (oh->nfeedback) {
		uint8_t *train = rs_malloc(d->n + 1);   /* as ml-onehot read them */
		for (size_t r = 0; r < d->n; r++)
			train[r] = d->split[r] == RS_SPLIT_TRAIN && d->user[r] != RS_NONE && d->item[r] != RS_NONE;
		rs_onehot_feedback(oh, side, d->n, d->user, d->item, train);
		free(train);
	}
	oh->streamed = 1;
}
