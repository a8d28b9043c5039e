/* onehot_plan.c: ml-onehot's plan: which fields, from its options and
 * files, their side tables, layout and the stream's new header (onehot.h). */
#include "onehot.h"
#include "featfile.h"
#include "cli.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

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

int rs_onehot_long_kind(const char *w)
{
	if (strcmp(w, "mean") && strcmp(w, "sqrt"))
		rs_usage_error("option --long: '%s' is neither mean nor sqrt", w);
	return !strcmp(w, "mean") ? RS_F_LONG : RS_F_LONG_SQRT;
}

void rs_onehot_plan_init(rs_onehot_plan *p, const rs_onehot_opts *o)
{
	memset(p, 0, sizeof *p);
	p->o = *o;
	rs_onehot_opts *q = &p->o;
	if (q->window < 0)
		q->window = q->seq ? RS_SEQ_WINDOW : 0;
	if (q->last < 0)
		q->last = q->seq ? RS_SEQ_LAST : 0;
	if (q->longw < 0)
		q->longw = q->seq ? rs_onehot_long_kind(RS_STR(RS_SEQ_LONG)) : 0;
	if (q->long_max < 0)
		q->long_max = q->seq ? RS_SEQ_LONG_MAX : 0;
	if (q->long_max && !q->longw)
		rs_usage_error("--long-max needs --long");
	p->n = rs_fields_choose(q->fields, q->users != NULL, q->items != NULL, q->window, q->last,
				q->longw, q->time, q->implicit, p->kinds);
}

void rs_onehot_plan_files(rs_onehot_plan *p, const rs_header *in, const char *name)
{
	const rs_onehot_opts *o = &p->o;
	rs_side *side = &p->side;
	int *kinds = p->kinds, n = p->n;
	if (rs_header_col(in, RS_COL_X) >= 0 || in->nfields)
		rs_die("%s:header: the stream already has one-hot features", name);
	rs_side_init(side, in);
	side->categorical = o->categorical;
	if (o->users)
		rs_side_read(side, in, o->users, 1);
	if (o->items)
		rs_side_read(side, in, o->items, 0);
	if (o->user_features)
		rs_features_read(side, in, o->user_features, 1);
	if (o->item_features)
		rs_features_read(side, in, o->item_features, 0);
	rs_features_check_categorical(side);
	if (n + side->nfeat > RS_MAX_FIELDS)
		rs_die("%d fields, more than %d", n + side->nfeat, RS_MAX_FIELDS);
	/* the feature files' fields after the side files', before the history
	 * and the feedback fields */
	int at = 0;
	while (at < n && kinds[at] != RS_F_HISTORY && kinds[at] != RS_F_LAST &&
	       !rs_field_is_long(kinds[at]) && !rs_field_is_feedback(kinds[at]))
		at++;
	memmove(kinds + at + side->nfeat, kinds + at, (size_t)(n - at) * sizeof *kinds);
	for (int g = 0; g < side->nfeat; g++)
		kinds[at + g] = side->feat[g].users ? RS_F_UFEAT : RS_F_IFEAT;
	n += side->nfeat;
	p->n = n;
	/* fields that need records other than their own, or the stream's days */
	for (int i = 0; i < n; i++)
		p->keep |= kinds[i] == RS_F_HISTORY || kinds[i] == RS_F_LAST || rs_field_is_long(kinds[i]) ||
			   rs_field_is_feedback(kinds[i]) || rs_field_is_time(kinds[i]);
}

/* The time fields' days: the records' (ts[0..n)) first to last, in bins
 * of --time-bin; with no record, one day. */
static void plan_days(rs_onehot_plan *p, const char *name, const int64_t *ts, size_t n)
{
	rs_side *side = &p->side;
	uint32_t bin = p->o.bin;
	if (!n) {
		side->time_days = 1, side->time_bin = bin;
		return;
	}
	int64_t first = rs_day_of(ts[0]), lastday = first;
	for (size_t r = 1; r < n; r++) {
		int64_t d = rs_day_of(ts[r]);
		first = d < first ? d : first;
		lastday = d > lastday ? d : lastday;
	}
	if (lastday - first >= (int64_t)RS_MAX_BINS * RS_MAX_BIN_DAYS)
		rs_die("%s: the records span %lld days, more than time fields hold", name,
		       (long long)(lastday - first + 1));
	side->time_origin = first;
	side->time_days = (uint32_t)(lastday - first + 1);
	side->time_bin = bin;
	if ((side->time_days + bin - 1) / bin > RS_MAX_BINS)
		rs_usage_error("option --time-bin: %u days make %u bins of the stream's %u days, more than %d",
			       bin, (side->time_days + bin - 1) / bin, side->time_days, RS_MAX_BINS);
}

void rs_onehot_plan_layout(rs_onehot_plan *p, const rs_header *in, const char *name,
			   const int64_t *ts, size_t n, const char *command)
{
	const rs_onehot_opts *o = &p->o;
	rs_side *side = &p->side;
	rs_onehot *oh = &p->oh;
	int timed = 0;
	for (int i = 0; i < p->n; i++)
		timed |= rs_field_is_time(p->kinds[i]);
	if (timed)
		plan_days(p, name, ts, n);
	rs_onehot_init(oh, p->kinds, p->n, side, o->window);
	oh->long_max = o->long_max;
	rs_header *h = &p->h;
	rs_header_copy(h, in);
	rs_header_add_column(h, RS_COL_X);
	if (oh->multi)
		rs_header_add_column(h, RS_COL_XV);
	for (int i = 0; i < oh->nfields; i++) {
		const char *field = oh->feat[i] >= 0 ? side->feat[oh->feat[i]].name : rs_field_name(oh->kind[i]);
		if (rs_field_is_time(oh->kind[i]))
			rs_header_add_time_field(h, field, oh->size[i], oh->kind[i] == RS_F_DAY ? 1 : o->bin,
						 side->time_origin);
		else
			rs_header_add_field(h, field, oh->size[i]);
		if (oh->kind[i] == RS_F_HISTORY)
			h->fields[i].window = (uint32_t)o->window;
		if (rs_field_is_long(oh->kind[i]))   /* a long field's window: its cap */
			h->fields[i].window = (uint32_t)o->long_max;
	}
	rs_header_add_history(h, command);
}

void rs_onehot_plan_free(rs_onehot_plan *p)
{
	rs_side_free(&p->side);
	rs_header_free(&p->h);
	memset(p, 0, sizeof *p);
}
