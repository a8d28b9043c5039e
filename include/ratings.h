/* ratings.h: MovieLens ratings text (u.data, ratings.dat, ratings.csv) read
 * into columns, with dense ids given in order of first appearance. */
#ifndef RS_RATINGS_H
#define RS_RATINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "idmap.h"

typedef enum rs_format {
	RS_FORMAT_AUTO,
	RS_FORMAT_TAB,   /* ML-100K u.data: user \t item \t rating \t ts */
	RS_FORMAT_DAT,   /* ML-1M/10M ratings.dat: user::item::rating::ts */
	RS_FORMAT_CSV,   /* ML-20M/25M/latest ratings.csv: header line, commas */
} rs_format;

/* 21 bytes a rating plus the id maps. */
typedef struct rs_ratings {
	size_t n, cap;
	uint32_t *user;      /* (n) dense user id */
	uint32_t *item;      /* (n) dense item id */
	float *rating;       /* (n) */
	int64_t *ts;         /* (n) unix seconds */
	uint8_t *split;      /* (n) 0 train, 1 test */
	rs_idmap users, items;
} rs_ratings;

void rs_ratings_init(rs_ratings *r);
void rs_ratings_free(rs_ratings *r);
/* Parse a format name ("auto", "tab", "dat", "csv"); -1 if unknown. */
int rs_format_parse(const char *s);
/* Append every rating of in, tagged with split. Bad input dies with
 * "name:line: message". Returns the format used. */
rs_format rs_ratings_read(rs_ratings *r, FILE *in, const char *name, rs_format fmt,
			  uint8_t split);

#endif
