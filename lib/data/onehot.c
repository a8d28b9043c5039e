/* onehot.c: the feature layout of ml-onehot's fields, a record's active
 * features, and the layout rebuilt from a model's header. */
#include "onehot.h"
#include "featfile.h"
#include "cli.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_onehot_init(rs_onehot *oh, const int *kinds, int n, const rs_side *side, int window)
{
	memset(oh, 0, sizeof *oh);
	oh->side = side;
	oh->window = window;
	oh->now = RS_NO_DAY;
	uint32_t nbins = side->time_bin ? (side->time_days + side->time_bin - 1) / side->time_bin : 0;
	uint32_t off = 0;
	int g = 0;
	size_t most = 0;
	for (int i = 0; i < n; i++) {
		uint32_t size = 0;
		oh->feat[i] = -1;
		switch (kinds[i]) {
		case RS_F_USER: size = side->nusers; break;
		case RS_F_ITEM: size = side->nitems; break;
		case RS_F_AGE: size = RS_NAGES; break;
		case RS_F_GENDER: size = RS_NGENDERS; break;
		case RS_F_OCCUPATION: size = (uint32_t)side->noccupations; break;
		case RS_F_ZIP: size = RS_NZIPS; break;
		case RS_F_YEAR: size = RS_NYEARS; break;
		case RS_F_GENRE: size = RS_NGENRES; oh->multi = 1; break;
		case RS_F_HISTORY: size = side->nitems; oh->multi = 1; break;
		case RS_F_LAST: size = side->nitems; break;
		case RS_F_LONG:
		case RS_F_LONG_SQRT: size = side->nitems; oh->multi = 1; oh->has_long = 1; break;
		case RS_F_IMPLICIT: size = side->nitems; oh->multi = 1; break;
		case RS_F_RATERS: size = side->nusers; oh->multi = 1; break;
		case RS_F_USER_TIME:
		case RS_F_ITEM_TIME: {
			uint64_t n = (uint64_t)(kinds[i] == RS_F_USER_TIME ? side->nusers : side->nitems) * nbins;
			if (n > UINT32_MAX)
				rs_die("field '%s' would have %llu features", rs_field_name(kinds[i]),
				       (unsigned long long)n);
			size = (uint32_t)n;
			break;
		}
		case RS_F_DAY: size = side->time_days; break;
		case RS_F_UFEAT:
		case RS_F_IFEAT:
			if (g >= side->nfeat)
				rs_die("more generic fields than feature columns");
			oh->feat[i] = g;
			size = side->feat[g].size;
			most += side->feat[g].most;
			oh->multi = 1;
			g++;
			break;
		}
		oh->kind[i] = kinds[i];
		oh->offset[i] = off;
		oh->size[i] = size;
		off += size;
		oh->nfeedback += rs_field_is_feedback(kinds[i]);
		oh->timed |= rs_field_is_time(kinds[i]);
	}
	oh->nfields = n;
	for (int i = 0; i < n; i++)
		oh->seq |= kinds[i] == RS_F_HISTORY || kinds[i] == RS_F_LAST || rs_field_is_long(kinds[i]);
	oh->max_active = RS_MAX_ACTIVE + most;
	oh->base_active = oh->max_active;
}

int rs_onehot_select(const rs_onehot *oh, const uint8_t *keep, const uint32_t *x, const float *xv,
		     int n, uint32_t *ox, float *ov)
{
	int k = 0, f = 0;
	for (int j = 0; j < n; j++) {
		while (x[j] >= oh->offset[f] + oh->size[f])
			f++;
		if (keep[f]) {
			ox[k] = x[j];
			ov[k++] = xv ? xv[j] : 1.0f;
		}
	}
	return k;
}

void rs_onehot_room(rs_onehot *oh, size_t n)
{
	if (oh->long_max && n > (size_t)oh->long_max)
		n = (size_t)oh->long_max;
	if (oh->has_long && oh->max_active < oh->base_active + n)
		oh->max_active = oh->base_active + n;
}

static size_t longest(const rs_user_items *ui, uint32_t n)
{
	size_t most = 0;
	for (uint32_t u = 0; u < n; u++)
		most = ui->off[u + 1] - ui->off[u] > most ? ui->off[u + 1] - ui->off[u] : most;
	return most;
}

void rs_onehot_feedback(rs_onehot *oh, rs_side *side, size_t n, const uint32_t *user,
			const uint32_t *item, const uint8_t *train)
{
	if (!oh->nfeedback)
		return;
	rs_user_items_of(&side->byuser, n, user, item, train, side->nusers);
	rs_user_items_of(&side->byitem, n, item, user, train, side->nitems);
	oh->feedback = 1;
	oh->max_active += longest(&side->byuser, side->nusers) + longest(&side->byitem, side->nitems);
}

/* Append key's distinct list (a user's train items, an item's train users)
 * at off, each at 1/sqrt(their number). */
static int feedback_features(const rs_user_items *ui, uint32_t key, uint32_t off, uint32_t *x,
			     float *xv, int k)
{
	const uint32_t *it = ui->items;
	size_t a = ui->off[key], b = ui->off[key + 1], distinct = 0;
	for (size_t j = a; j < b; j++)   /* a pair rated twice counts once */
		distinct += j == a || it[j] != it[j - 1];
	float w = (float)(1.0 / sqrt((double)(distinct ? distinct : 1)));
	for (size_t j = a; j < b; j++)
		if (j == a || it[j] != it[j - 1]) {
			x[k] = off + it[j];
			xv[k++] = w;
		}
	return k;
}

static int parse_fields(const char *list, int *kinds)
{
	int n = 0;
	char *copy = rs_strdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = rs_field_kind(tok);
		if (k < 0)
			rs_usage_error("option --fields: unknown field '%s'", tok);
		for (int i = 0; i < n; i++)
			if (kinds[i] == k)
				rs_usage_error("option --fields: '%s' is named twice", tok);
		kinds[n++] = k;
	}
	free(copy);
	if (!n)
		rs_usage_error("option --fields: no field named");
	return n;
}

int rs_fields_choose(const char *list, int users, int items, int window, int last, int longw,
		     int time, int implicit, int *kinds)
{
	int n = 0, feedback = 0;
	if (list) {
		n = parse_fields(list, kinds);
		for (int i = 0; i < n; i++) {
			if (rs_field_from_users(kinds[i]) && !users)
				rs_usage_error("field '%s' needs --users", rs_field_name(kinds[i]));
			if (rs_field_from_items(kinds[i]) && !items)
				rs_usage_error("field '%s' needs --items", rs_field_name(kinds[i]));
			if (kinds[i] == RS_F_HISTORY && !window)
				rs_usage_error("field 'history' needs --history N");
			if (kinds[i] == RS_F_LAST && !last)
				rs_usage_error("field 'last' needs --last");
			if (rs_field_is_time(kinds[i]) && !time)
				rs_usage_error("field '%s' needs --time", rs_field_name(kinds[i]));
			if (rs_field_is_long(kinds[i]) && kinds[i] != longw)
				rs_usage_error("field '%s' needs --long %s", rs_field_name(kinds[i]),
					       kinds[i] == RS_F_LONG ? "mean" : "sqrt");
			if (i && rs_field_is_feedback(kinds[i - 1]) && !rs_field_is_feedback(kinds[i]))
				rs_usage_error("fields 'raters' and 'implicit' come after every other");
			feedback |= rs_field_is_feedback(kinds[i]);
		}
	} else {
		for (int k = 0; k < RS_F_COUNT; k++)
			if (k <= RS_F_ITEM || (rs_field_from_users(k) && users) ||
			    (rs_field_from_items(k) && items) || (k == RS_F_HISTORY && window) ||
			    (k == RS_F_LAST && last) || (k == longw && longw) || (k == RS_F_USER_TIME && time))
				kinds[n++] = k;
		if (implicit)
			kinds[n++] = RS_F_RATERS, kinds[n++] = RS_F_IMPLICIT;
	}
	/* --fields without the history or long field the options ask for:
	 * before the feedback fields */
	int wanted[3] = {window ? RS_F_HISTORY : -1, last ? RS_F_LAST : -1, longw ? longw : -1};
	for (int w = 0; w < 3; w++) {
		int named = 0;
		for (int i = 0; i < n; i++)
			named |= kinds[i] == wanted[w];
		if (wanted[w] < 0 || named)
			continue;
		int at = n;
		while (at > 0 && rs_field_is_feedback(kinds[at - 1]))
			at--;
		memmove(kinds + at + 1, kinds + at, (size_t)(n - at) * sizeof *kinds);
		kinds[at] = wanted[w];
		n++;
	}
	if (list && implicit && !feedback)
		rs_usage_error("--implicit with --fields: name raters and/or implicit in the list");
	return n;
}

/* The history field: its items sorted, a repeated item's weights summed. */
static int by_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The long field: items[0..n) sorted, at weight w each, a repeated item's
 * weights summed. */
static int long_features(uint32_t off, const uint32_t *items, int n, float w, uint32_t *x,
			 float *xv)
{
	for (int i = 0; i < n; i++)
		x[i] = off + items[i];
	qsort(x, (size_t)n, sizeof *x, by_id);
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (k && x[k - 1] == x[i]) {
			xv[k - 1] += w;
			continue;
		}
		x[k] = x[i];
		xv[k++] = w;
	}
	return k;
}

static int history_features(uint32_t off, const uint32_t *hist, int nhist, uint32_t *x,
			    float *xv)
{
	uint32_t sorted[RS_MAX_WINDOW];
	for (int i = 0; i < nhist; i++) {   /* insertion: a window is short */
		int j = i;
		for (; j > 0 && sorted[j - 1] > hist[i]; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = hist[i];
	}
	float w = 1.0f / (float)nhist;
	int k = 0;
	for (int i = 0; i < nhist; i++) {
		if (k && x[k - 1] == off + sorted[i]) {
			xv[k - 1] += w;
			continue;
		}
		x[k] = off + sorted[i];
		xv[k++] = w;
	}
	return k;
}

int rs_onehot_features(const rs_onehot *oh, uint32_t u, uint32_t it, const uint32_t *prev,
		       int nprev, uint32_t *x, float *xv)
{
	return rs_onehot_features_at(oh, u, it, oh->now, prev, nprev, x, xv);
}

/* The feature of a user side field (rs_field_from_users) for user u of s. */
static uint32_t user_side(const rs_side *s, int kind, uint32_t u)
{
	switch (kind) {
	case RS_F_AGE: return s->age[u];
	case RS_F_GENDER: return s->gender[u];
	case RS_F_OCCUPATION: return s->occupation[u];
	default: return s->zip[u];
	}
}

int rs_onehot_user_side(const rs_onehot *oh, const rs_side *s, uint32_t u, uint32_t *x, float *xv, int n)
{
	int f = 0, k = 0;
	for (int j = 0; j < n; j++) {
		while (x[j] >= oh->offset[f] + oh->size[f])
			f++;
		uint32_t v = x[j] - oh->offset[f];
		if (rs_field_from_users(oh->kind[f]) && (v = user_side(s, oh->kind[f], u)) >= oh->size[f])
			continue;   /* a value the model never had: no feature */
		x[k] = oh->offset[f] + v;
		xv[k++] = xv[j];
	}
	return k;
}

int rs_onehot_features_at(const rs_onehot *oh, uint32_t u, uint32_t it, int64_t day,
			  const uint32_t *prev, int nprev, uint32_t *x, float *xv)
{
	const rs_side *s = oh->side;
	int k = 0;
	/* a day before the first or after the last is in the first or last bin */
	uint32_t dd = 0, bin = 0, nbins = 0;
	if (oh->timed && day != RS_NO_DAY) {
		int64_t t = day - s->time_origin;
		dd = t < 0 ? 0 : t >= (int64_t)s->time_days ? s->time_days - 1 : (uint32_t)t;
		bin = dd / s->time_bin;
		nbins = (s->time_days + s->time_bin - 1) / s->time_bin;
	}
	/* the window is the last of the previous items, the long field the rest */
	int nhist = nprev < oh->window ? nprev : oh->window, nlong = nprev - nhist;
	const uint32_t *hist = nlong ? prev + nlong : prev, *lng = prev;   /* prev may be NULL */
	if (oh->long_max && nlong > oh->long_max)   /* the latest of them */
		lng += nlong - oh->long_max, nlong = oh->long_max;
	for (int f = 0; f < oh->nfields; f++) {
		uint32_t off = oh->offset[f], v = 0;
		switch (oh->kind[f]) {
		case RS_F_USER: v = u; break;
		case RS_F_ITEM: v = it; break;
		case RS_F_AGE:
		case RS_F_GENDER:
		case RS_F_OCCUPATION:
		case RS_F_ZIP: v = user_side(s, oh->kind[f], u); break;
		case RS_F_YEAR: v = s->year[it]; break;
		case RS_F_GENRE: {
			/* multi-hot, each genre weighted 1/count so the field sums to 1 */
			uint32_t g = s->genres[it];
			float w = 1.0f / (float)__builtin_popcount(g ? g : 1);
			for (int i = 0; i < RS_NGENRES; i++)
				if (g >> i & 1) {
					x[k] = off + (uint32_t)i;
					xv[k++] = w;
				}
			continue;
		}
		case RS_F_HISTORY:
			k += history_features(off, hist, nhist, x + k, xv + k);
			continue;
		case RS_F_LAST:
			if (!nprev)
				continue;
			v = prev[nprev - 1];
			break;
		case RS_F_LONG:
		case RS_F_LONG_SQRT:
			if (nlong)
				k += long_features(off, lng, nlong,
						   oh->kind[f] == RS_F_LONG ? 1.0f / (float)nlong
									   : 1.0f / sqrtf((float)nlong),
						   x + k, xv + k);
			continue;
		case RS_F_UFEAT:
		case RS_F_IFEAT: {
			const rs_feature_field *ff = &s->feat[oh->feat[f]];
			uint32_t id = oh->kind[f] == RS_F_UFEAT ? u : it;
			for (size_t j = ff->off[id]; j < ff->off[id + 1]; j++) {
				x[k] = off + ff->idx[j];
				xv[k++] = ff->val[j];
			}
			continue;
		}
		case RS_F_USER_TIME:
		case RS_F_ITEM_TIME:
		case RS_F_DAY:
			if (day == RS_NO_DAY)
				continue;
			v = oh->kind[f] == RS_F_DAY ? dd : (oh->kind[f] == RS_F_USER_TIME ? u : it) * nbins + bin;
			break;
		case RS_F_IMPLICIT:   /* last: x stays sorted */
			if (oh->feedback)
				k = feedback_features(&s->byuser, u, off, x, xv, k);
			continue;
		case RS_F_RATERS:
			if (oh->feedback)
				k = feedback_features(&s->byitem, it, off, x, xv, k);
			continue;
		}
		x[k] = off + v;
		xv[k++] = 1.0f;
	}
	return k;
}

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
