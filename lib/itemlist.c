/* itemlist.c: a file of raw item ids through dsv (itemlist.h). */
#include "itemlist.h"
#include "cli.h"
#include "dsv.h"
#include "input.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const rs_header *h;
	const rs_idmap *iid;
	const char *name;
	uint8_t *mark;
	unsigned long unknown;
} reader;

static int on_row(void *p, char **f, int n, unsigned long line)
{
	reader *r = p;
	if (n < 1 || !f[0][0])
		return 0;   /* an empty line */
	rs_id_length(f[0], r->name, line, "item");
	int64_t key;
	uint32_t i;
	if (rs_item_key(r->h, f[0], &key) || (i = rs_idmap_find(r->iid, key)) == UINT32_MAX)
		r->unknown++;
	else
		r->mark[i] = 1;
	return 0;
}

static void free_ptr(void *p)
{
	free(*(char **)p);
}

unsigned long rs_item_list_mark(const rs_header *h, const rs_idmap *iid, const char *path,
				uint8_t *mark)
{
	reader r = {h, iid, path, mark, 0};
	FILE *in = rs_input_operand(path);
	rs_cleanup_push(rs_input_close, in);
	char *first = NULL;
	size_t cap = 0;
	if (getline(&first, &cap, in) >= 0) {
		rs_cleanup_push(free_ptr, &first);
		rs_dsv_read(in, path, '\t', first, on_row, &r);
		rs_cleanup_pop();
	} else if (ferror(in)) {
		rs_input_read_error(path);
	}
	free(first);
	rs_cleanup_pop();
	fclose(in);
	return r.unknown;
}
