/* side.h: side information of users (age, gender, occupation, zip) and
 * items (year, genres) from MovieLens side files, by a stream's dense ids. */
#ifndef RS_SIDE_H
#define RS_SIDE_H

#include <stdint.h>
#include <stdio.h>

#include "dsv.h"
#include "header.h"
#include "idmap.h"
#include "useritems.h"

#define RS_NGENRES 19
/* the sizes of the side fields: age buckets (MovieLens-1M's groups), the
 * genders, zip's first digit or other, release-year buckets */
#define RS_NAGES 7
#define RS_NGENDERS 2
#define RS_NZIPS 11
#define RS_NYEARS 12

/* Side information joined to a stream's dense ids. */
typedef struct rs_side {
	uint32_t nusers, nitems;
	uint8_t *age;         /* (nusers) age bucket */
	uint8_t *gender;      /* (nusers) 0 M, 1 F */
	uint8_t *occupation;  /* (nusers) index in order of first appearance in u.user */
	uint8_t *zip;         /* (nusers) first digit, 10 when not a digit */
	int noccupations;
	uint8_t *year;        /* (nitems) release-year bucket, 0 unknown */
	uint32_t *genres;     /* (nitems) bit g set when the item has genre g */
	/* the feedback fields' lists, from a stream's train records: each
	 * user's items (implicit) and each item's users (raters) */
	rs_user_items byuser, byitem;
	/* generic feature fields, in layout order (featfile.h) */
	struct rs_feature_field *feat;
	int nfeat;
	const char *categorical;   /* feature-file columns read as categories, comma-separated, or NULL */
	/* the time fields' days: from origin (days since 1970), days of them,
	 * bin to a bin of user-time and item-time */
	int64_t time_origin;
	uint32_t time_days, time_bin;
} rs_side;

/* The side files of every MovieLens size, told apart by their first line:
 * ML-100K's u.user and u.item ('|'), ML-1M's users.dat and movies.dat
 * ('::'), ML-10M/20M/25M/latest's movies.csv (a header, quoted titles). */
typedef enum { SIDE_PIPE, SIDE_DAT, SIDE_CSV } rs_side_fmt;
/* Each row of in as fields, to row(ctx, fields, n, line) with *fmt set
 * first; the CSV header is line 1 and not a row. */
void rs_side_rows(FILE *in, const char *name, rs_side_fmt *fmt, rs_dsv_row_fn row, void *ctx);

void rs_side_init(rs_side *s, const rs_header *h);
void rs_side_free(rs_side *s);
/* Join u.user / u.item ('|'-separated) rows to the header's raw ids; an id
 * of the stream missing from the file dies naming it. */
void rs_side_read_users(rs_side *s, const rs_header *h, FILE *in, const char *name);
void rs_side_read_items(rs_side *s, const rs_header *h, FILE *in, const char *name);
/* The same from a path (users: u.user, else u.item). */
void rs_side_read(rs_side *s, const rs_header *h, const char *path, int users);
/* Every user of a users file (u.user, users.dat), by the file's own ids
 * (ids: raw to s's dense ids): the side of users a model never saw, with
 * the occupations numbered as for any stream joined to the same file. */
void rs_side_read_every_user(rs_side *s, rs_idmap *ids, FILE *in, const char *name);

#endif
