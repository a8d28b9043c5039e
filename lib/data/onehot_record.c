/* onehot_record.c: a record's active features under a layout, and the
 * features of some of its fields (onehot.h). */
#include "onehot.h"
#include "featfile.h"

#include <math.h>
#include <stdlib.h>

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
