/* itemlist.c: files of raw item ids through dsv (itemlist.h). */
#include "itemlist.h"
#include "cli.h"
#include "dsv.h"
#include "input.h"
#include "mem.h"
#include "names.h"

#include <stdlib.h>

typedef struct reader {
	const rs_header *h;
	const rs_idmap *iid;
	const char *name;
	uint8_t *mark;
	unsigned long n, unknown;
	rs_dsv_skipped skipped;
} reader;

static int on_row(void *p, char **f, int n, unsigned long line)
{
	reader *r = p;
	if (n < 1 || !f[0][0]) {
		r->skipped.blank++;   /* an empty field alone ("" or a quoted nothing); dsv counts the lines of spaces */
		return 0;
	}
	r->n++;
	rs_id_length(f[0], r->name, line, "item");
	int64_t key;
	uint32_t i;
	if (rs_item_key(r->h, f[0], &key) || (i = rs_idmap_find(r->iid, key)) == UINT32_MAX)
		r->unknown++;
	else
		r->mark[i] = 1;
	return 0;
}

unsigned long rs_item_list_read(FILE *in, const char *name, const rs_header *h, const rs_idmap *iid,
				uint8_t *mark)
{
	reader r = {.h = h, .iid = iid, .name = name, .mark = mark};
	rs_dsv_read(in, name, '\t', NULL, &r.skipped, on_row, &r);
	if (r.unknown)
		rs_dsv_summary(&r.skipped, 1, "%s: %lu items not in the model: ignored", name, r.unknown);
	else
		rs_dsv_summary(&r.skipped, 0, "%s: %lu items", name, r.n);
	return r.unknown;
}

uint32_t *rs_items_banned(const rs_header *h, const rs_idmap *iid, const char *exclude,
			  const char *candidates, size_t *n)
{
	*n = 0;
	if (!exclude && !candidates)
		return NULL;
	uint32_t I = h->nitems;
	uint8_t *mark[2] = {rs_calloc((size_t)I + 1, 1), rs_calloc((size_t)I + 1, 1)};
	rs_cleanup_push(free, mark[0]);   /* a bad file dies below */
	rs_cleanup_push(free, mark[1]);
	const char *path[2] = {exclude, candidates};
	for (int f = 0; f < 2; f++) {
		if (!path[f])
			continue;
		const char *name = rs_operand_name(path[f]);
		FILE *in = rs_input_operand(path[f]);
		rs_cleanup_push(rs_input_close, in);
		rs_item_list_read(in, name, h, iid, mark[f]);
		rs_cleanup_pop();
		fclose(in);
	}
	uint32_t *banned = rs_malloc(((size_t)I + 1) * sizeof *banned);
	for (uint32_t i = 0; i < I; i++)
		if (mark[0][i] || (candidates && !mark[1][i]))
			banned[(*n)++] = i;
	rs_cleanup_pop();
	rs_cleanup_pop();
	free(mark[0]);
	free(mark[1]);
	return banned;
}
