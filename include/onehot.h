/* onehot.h: the one-hot feature layout of ml-onehot: fields (user, item and
 * MovieLens-100K side information) and the active features of a pair. */
#ifndef RS_ONEHOT_H
#define RS_ONEHOT_H

#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "stream.h"

enum {
	RS_F_USER, RS_F_ITEM, RS_F_AGE, RS_F_GENDER, RS_F_OCCUPATION, RS_F_ZIP, RS_F_YEAR,
	RS_F_GENRE, RS_F_HISTORY, RS_F_IMPLICIT, RS_F_RATERS, RS_F_COUNT
};
/* The implicit-feedback fields: a user's train items (implicit), an
 * item's train users (raters). They end the layout, and their features are
 * the caller's to append (ml-onehot): they come from the stream's train
 * records, not from the pair. */
static inline int rs_field_is_feedback(int kind) { return kind == RS_F_IMPLICIT || kind == RS_F_RATERS; }

/* Which side file a field's features come from: u.user (age, gender,
 * occupation, zip) or u.item (year, genre). */
static inline int rs_field_from_users(int kind) { return kind >= RS_F_AGE && kind <= RS_F_ZIP; }
static inline int rs_field_from_items(int kind) { return kind == RS_F_YEAR || kind == RS_F_GENRE; }
/* Whether a field describes the item (and changes with it when the same
 * user is scored against another item), or the user and their context. */
static inline int rs_field_of_item(int kind) { return kind == RS_F_ITEM || rs_field_from_items(kind); }
#define RS_NGENRES 19
/* The most active features a record can have. */
#define RS_MAX_ACTIVE (RS_F_COUNT + RS_NGENRES + RS_MAX_WINDOW)

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
} rs_side;

typedef struct rs_onehot {
	int nfields;
	int kind[RS_F_COUNT];         /* which field, in stream order */
	uint32_t offset[RS_F_COUNT];
	uint32_t size[RS_F_COUNT];
	int multi;                    /* a multi-hot field is present: emit xv */
	int window;                   /* the history field's, 0 without one */
	const rs_side *side;
} rs_onehot;

const char *rs_field_name(int kind);
/* Field kind of a name, or -1. */
int rs_field_kind(const char *name);

void rs_side_init(rs_side *s, const rs_header *h);
void rs_side_free(rs_side *s);
/* Join u.user / u.item ('|'-separated) rows to the header's raw ids; an id
 * of the stream missing from the file dies naming it. */
void rs_side_read_users(rs_side *s, const rs_header *h, FILE *in, const char *name);
void rs_side_read_items(rs_side *s, const rs_header *h, FILE *in, const char *name);
/* The same from a path (users: u.user, else u.item). */
void rs_side_read(rs_side *s, const rs_header *h, const char *path, int users);

/* u.item's titles by the header's dense item ids, Latin-1 converted to
 * UTF-8, NULL for an item without a row; a file that is not u.item (u.user
 * given by mistake) dies naming it. */
char **rs_side_read_titles(const rs_header *h, FILE *in, const char *name);
char **rs_side_titles(const rs_header *h, const char *path);
void rs_titles_free(char **title, uint32_t n);

/* Lay out the chosen fields (kinds in order); window is the history
 * field's number of previous items (0 when there is none). The feedback
 * fields (above) come last and rs_onehot_features leaves them empty. */
void rs_onehot_init(rs_onehot *oh, const int *kinds, int n, const rs_side *side, int window);
/* Which side files a header's fields (a model's) are built from. */
enum { RS_NEED_USERS = 1, RS_NEED_ITEMS = 2 };
int rs_onehot_side_needed(const rs_header *h);
/* The layout of a header's fields (a model's), with side files read when a
 * field needs them; dies when a file is missing or the sizes differ. */
void rs_onehot_for_header(rs_onehot *oh, rs_side *side, const rs_header *h,
			  const char *users_path, const char *items_path);
/* The same with the side tables read back from the features of a
 * stream's records (d has h's fields), so that no side file is needed. */
void rs_onehot_from_data(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d);
/* Write the sorted active features of (user, item) into x and their values
 * into xv (RS_MAX_ACTIVE entries are enough); returns how many. hist[0..nhist)
 * are the user's previous items (history.h), weighted 1/nhist each so that
 * the field sums to 1 (none: the field is empty). */
int rs_onehot_features(const rs_onehot *oh, uint32_t user, uint32_t item, const uint32_t *hist,
		       int nhist, uint32_t *x, float *xv);

#endif
