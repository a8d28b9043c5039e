/* likedfile.c: new users' liked items, a file of 'user item [ts]' lines
 * (likedfile.h). */
#include "likedfile.h"
#include "cli.h"
#include "header.h"
#include "input.h"
#include "mem.h"
#include "ratings.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct event {
	int64_t ts;
	size_t i;            /* the line's place: ties of ts in file order */
} event;

static int by_time(const void *a, const void *b)
{
	const event *x = a, *y = b;
	return x->ts != y->ts ? (x->ts > y->ts) - (x->ts < y->ts) : (x->i > y->i) - (x->i < y->i);
}

static const char *event_id(const rs_names *names, const rs_idmap *ids, uint32_t d, char *buf)
{
	if (rs_names_on(names))
		return rs_names_at(names, d);
	snprintf(buf, RS_ID_TEXT, "%" PRId64, ids->ids[d]);
	return buf;
}

void rs_liked_file_read(const char *path, rs_liked_fn each, void *ctx)
{
	rs_ratings ev;
	rs_ratings_init(&ev);
	const char *name = rs_operand_name(path);
	FILE *in = rs_input_operand(path);
	rs_cleanup_push(rs_input_close, in);
	rs_ratings_read(&ev, in, name, NULL, RS_SPLIT_TRAIN);
	rs_cleanup_pop();
	fclose(in);
	rs_dsv_summary(&ev.skipped, 0, "%s: %zu %s", name, ev.n, ev.implicit ? "events" : "ratings");
	/* each user's events together (users in order of first appearance), oldest first */
	uint32_t U = ev.users.n;
	size_t *at = rs_calloc((size_t)U + 1, sizeof *at);
	for (size_t e = 0; e < ev.n; e++)
		at[ev.user[e] + 1]++;
	for (uint32_t u = 0; u < U; u++)
		at[u + 1] += at[u];
	event *byuser = rs_malloc((ev.n + 1) * sizeof *byuser);
	size_t *fill = rs_malloc(((size_t)U + 1) * sizeof *fill);
	memcpy(fill, at, (size_t)U * sizeof *fill);
	for (size_t e = 0; e < ev.n; e++)
		byuser[fill[ev.user[e]]++] = (event){ev.ts[e], e};
	free(fill);
	char (*text)[RS_ID_TEXT] = NULL, ut[RS_ID_TEXT];
	char **liked = NULL;
	size_t room = 0;
	for (uint32_t u = 0; u < U; u++) {
		size_t n = at[u + 1] - at[u];
		qsort(byuser + at[u], n, sizeof *byuser, by_time);
		if (n > room) {
			room = n;
			text = rs_reallocarray(text, room, sizeof *text);
			liked = rs_reallocarray(liked, room, sizeof *liked);
		}
		for (size_t j = 0; j < n; j++)
			liked[j] = (char *)event_id(&ev.item_names, &ev.items, ev.item[byuser[at[u] + j].i], text[j]);
		rs_request q = {.user = (char *)event_id(&ev.user_names, &ev.users, u, ut), .liked = liked,
				.nliked = (int)n};
		each(ctx, name, &q);
	}
	free(liked);
	free(text);
	free(byuser);
	free(at);
	rs_ratings_free(&ev);
}
