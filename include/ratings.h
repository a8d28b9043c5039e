/* ratings.h: an event log or ratings text (MovieLens's u.data, ratings.dat
 * and ratings.csv among them) read into columns, with dense ids given in
 * order of first appearance. */
#ifndef RS_RATINGS_H
#define RS_RATINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dsv.h"
#include "idmap.h"
#include "names.h"

typedef enum rs_format {
	RS_FORMAT_AUTO,
	RS_FORMAT_TAB,   /* ML-100K u.data: user \t item \t rating \t ts */
	RS_FORMAT_DAT,   /* ML-1M/10M ratings.dat: user::item::rating::ts */
	RS_FORMAT_CSV,   /* ML-20M/25M/latest ratings.csv: header line, commas */
	RS_FORMAT_SEQ,   /* one line a user: user item item ..., the items in time order */
} rs_format;

/* The columns a line may carry, by role. */
enum { RS_ROLE_USER, RS_ROLE_ITEM, RS_ROLE_RATING, RS_ROLE_TS, RS_NROLES };

/* How lines are laid out: which field holds each role (-1: none), how
 * many fields a line has (0: not said), the separator, and whether line 1
 * names the columns. What is not said is read off the first line. */
typedef struct rs_layout {
	int col[RS_NROLES];
	int nfields;
	unsigned char sep;       /* 0: not said; ':' stands for "::"; ' ' for runs of spaces */
	int header;              /* 1: line 1 names the columns; 0: when its fields are names */
	int seq;                 /* a line is a user, then their items in time order */
} rs_layout;

/* The layout of --columns (user,item,rating,ts in any order, any subset
 * with user and item, '-' for a field to skip) and --sep (tab, comma,
 * space, '::' or one character). 0, or -1 with the reason in err. */
void rs_layout_init(rs_layout *l);
int rs_layout_columns(rs_layout *l, const char *spec, char *err, size_t errlen);
int rs_layout_sep(rs_layout *l, const char *sep, char *err, size_t errlen);

/* The role a column name gives its field (user, userId, movieId, ts,
 * timestamp, ...: any case), or -1. */
int rs_column_role(const char *name);

/* 21 bytes an event plus the id maps (and names, for string ids). */
typedef struct rs_ratings {
	size_t n, cap;
	uint32_t *user;      /* (n) dense user id */
	uint32_t *item;      /* (n) dense item id */
	float *rating;       /* (n) 1 where the log has no rating */
	int64_t *ts;         /* (n) unix seconds, or the event's place in the input */
	uint8_t *split;      /* (n) RS_SPLIT_* */
	rs_idmap users, items;           /* raw ids: numbers, or names' keys */
	rs_names user_names, item_names; /* string ids' names (names.h) */
	int implicit;        /* no rating column: every event a positive */
	int has_ts;          /* a timestamp column */
	int layout_said;     /* the layout came from the first input: the next (--test) keeps it */
	char read_off[256];  /* how line 1 laid the columns out, when it did, for stderr */
	rs_dsv_skipped skipped;  /* lines that were not events, over every input read */
	rs_layout layout;
} rs_ratings;

void rs_ratings_init(rs_ratings *r);
void rs_ratings_free(rs_ratings *r);
/* Parse a format name ("auto", "tab", "dat", "csv", "seq"); -1 if unknown. */
int rs_format_parse(const char *s);
/* The layout of one of the MovieLens formats, or of one line a user. */
void rs_format_layout(rs_format fmt, rs_layout *l);
/* Append every event of in, tagged with split, laid out as l says (NULL:
 * all read off the first line). Bad input dies with "name:line: message".
 * Blank lines, '#' lines before the data and a header are passed over and
 * counted in skipped; a first line of names where the second has numbers
 * is a header, and a name no role knows is refused (--columns names them). */
void rs_ratings_read(rs_ratings *r, FILE *in, const char *name, const rs_layout *l, uint8_t split);
/* The dense id of a user's or item's (role's) text s, read at name:line,
 * added if new, as rs_ratings_read gives them (click logs share it). */
/* Room for half as many events again (at least 65,536). */
void rs_ratings_grow(rs_ratings *r);
uint32_t rs_ratings_add_id(rs_ratings *r, int role, const char *s, const char *name, unsigned long line);

#endif
