/* titles.c: an item side file's titles, by a stream's dense item ids. */
#include "titles.h"
#include "side.h"
#include "cli.h"
#include "dsv.h"
#include "idmap.h"
#include "input.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct titles {
	const char *name;
	rs_idmap ids;
	char **title;
	uint32_t n;
	rs_side_fmt fmt;
} titles;

/* Whether s is valid UTF-8 (ML-25M's titles are; ML-100K's are Latin-1). */
static int is_utf8(const unsigned char *s)
{
	while (*s) {
		int k = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 : (*s & 0xf8) == 0xf0 ? 3 : -1;
		if (k < 0)
			return 0;
		for (s++; k > 0; k--, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static int title_row(void *p, char **f, int n, unsigned long line)
{
	titles *t = p;
	if (t->fmt == SIDE_CSV && !strcmp(f[0], "movieId"))
		return 0;   /* the header */
	if (t->fmt != SIDE_PIPE && n != 3)   /* users.dat, given by mistake, has 5 */
		rs_die("%s:%lu: expected %s's 3 fields (id, title, genres), found %d", t->name, line,
		       t->fmt == SIDE_DAT ? "movies.dat" : "movies.csv", n);
	if (t->fmt == SIDE_PIPE && n != 5 + RS_NGENRES)   /* u.item's; u.user has 5 */
		rs_die("%s:%lu: expected u.item's %d '|'-separated fields (id|title|date|...), found %d",
		       t->name, line, 5 + RS_NGENRES, n);
	int64_t raw;
	uint32_t d = rs_field_int(f[0], &raw) ? UINT32_MAX : rs_idmap_find(&t->ids, raw);
	if (d == UINT32_MAX || t->title[d])
		return 0;   /* an item not in the stream, or a second row for one */
	const unsigned char *s = (const unsigned char *)f[1];
	if (is_utf8(s)) {
		t->title[d] = rs_strdup(f[1]);
		return 0;
	}
	char *o = t->title[d] = rs_malloc(2 * strlen(f[1]) + 1);
	for (; *s; s++) {
		if (*s < 0x80) {
			*o++ = (char)*s;
		} else {   /* Latin-1 byte c is U+00c: two UTF-8 bytes */
			*o++ = (char)(0xc0 | *s >> 6);
			*o++ = (char)(0x80 | (*s & 0x3f));
		}
	}
	*o = 0;
	return 0;
}

void rs_titles_free(char **title, uint32_t n)
{
	for (uint32_t i = 0; title && i < n; i++)
		free(title[i]);
	free(title);
}

static void release_titles(void *p)
{
	titles *t = p;
	rs_titles_free(t->title, t->n);
	rs_idmap_free(&t->ids);
}

char **rs_side_read_titles(const rs_header *h, FILE *in, const char *name)
{
	titles t = {name, {0}, rs_calloc(h->nitems, sizeof(char *)), h->nitems, SIDE_PIPE};
	rs_idmap_from(&t.ids, h->item_ids, h->nitems);
	rs_cleanup_push(release_titles, &t);
	rs_side_rows(in, name, &t.fmt, title_row, &t);
	rs_cleanup_pop();
	rs_idmap_free(&t.ids);
	return t.title;
}

char **rs_side_titles(const rs_header *h, const char *path)
{
	FILE *f = rs_input_open(path);
	rs_cleanup_push(rs_input_close, f);
	char **title = rs_side_read_titles(h, f, path);
	rs_cleanup_pop();
	fclose(f);
	return title;
}

