/* pairs.h: user-item pairs as text, the input of rs-predict: one pair a
 * line, `user item [rating [timestamp]]` with raw ids (numbers or names),
 * separated by tabs, '::', commas or runs of spaces (the first line tells
 * which), so the lines of u.data, ratings.dat, ratings.csv and the split
 * files all read as they are. A first line that names its columns (user,
 * item, ...: ratings.h) is a header, skipped. */
#ifndef RS_PAIRS_H
#define RS_PAIRS_H

#include <stdint.h>
#include <stdio.h>

#include "dsv.h"
#include "names.h"

typedef struct rs_pair {
	char user[RS_ID_TEXT], item[RS_ID_TEXT];   /* the raw ids as written */
	int has_rating;      /* the line has a third field */
	double rating;       /* finite, when has_rating */
	int has_ts;          /* the line has a fourth field */
	int64_t ts;          /* unix seconds, when has_ts: a time field's day */
	unsigned long line;
} rs_pair;

/* Called for each pair, in order. */
typedef void (*rs_pair_fn)(void *ctx, const rs_pair *p);

/* Read in to the end; bad input dies with "name:line: message". Every line
 * must have as many fields as the first pair's line. Blank lines, '#'
 * lines before the first pair and a header are passed over and counted in
 * *sk (NULL: not counted). Returns the pairs read. */
unsigned long rs_pairs_read(FILE *in, const char *name, rs_dsv_skipped *sk, rs_pair_fn fn, void *ctx);

#endif
