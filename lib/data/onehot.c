/* onehot.c: the feature layout of ml-onehot's fields (onehot.h); which
 * fields, from its options and files, is onehot_plan.c, a record's
 * features onehot_record.c, the layout of a model's header
 * onehot_header.c. */
#include "onehot.h"
#include "featfile.h"
#include "cli.h"

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
