/* onehot.h: the one-hot feature layout of ml-onehot's fields (fields.h)
 * over side information (side.h), and the active features of a pair. */
#ifndef RS_ONEHOT_H
#define RS_ONEHOT_H

#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "fields.h"
#include "side.h"
#include "stream.h"

/* ml-onehot --seq: the recommended sequential fields (chosen by validation
 * HR@10 of fm-train --preset seq on ML-100K and a 1M-event log,
 * docs/tuning.md), as numbers and as the text of --help. */
#define RS_SEQ_WINDOW 3
#define RS_SEQ_LAST 1
#define RS_SEQ_LONG mean
#define RS_SEQ_LONG_MAX 50
/* ml-onehot --time's bins of user-time and item-time, in days. --time
 * alone adds user-time: item-time and day, named by --fields, lost
 * validation RMSE beside it (fm-train --method mcmc on ML-100K,
 * docs/tuning.md). */
#define RS_TIME_BIN 30
#define RS_STR_(x) #x
#define RS_STR(x) RS_STR_(x)

/* The most active features a record can have. */
#define RS_MAX_ACTIVE (RS_F_COUNT + RS_NGENRES + RS_MAX_WINDOW)

typedef struct rs_onehot {
	int nfields;
	int kind[RS_MAX_FIELDS];      /* which field, in stream order */
	uint32_t offset[RS_MAX_FIELDS];
	uint32_t size[RS_MAX_FIELDS];
	int feat[RS_MAX_FIELDS];      /* a generic field's side->feat, else -1 */
	int multi;                    /* a multi-hot field is present: emit xv */
	int window;                   /* the history field's, 0 without one */
	int has_long;                 /* a long-term field is laid out */
	int long_max;                 /* the most items it holds, the latest (0: all) */
	int seq;                      /* a field of previous items (history, last, long) */
	int nfeedback;                /* feedback fields, the last ones */
	int feedback;                 /* their lists are in side (rs_onehot_feedback) */
	int streamed;                 /* rs_onehot_from_stream filled what a stream gives */
	int timed;                    /* a time field is laid out */
	int64_t now;                  /* the day a pair scored without its own takes
					 (the stream's last), RS_NO_DAY before a stream */
	size_t max_active;            /* the most features a record can have */
	size_t base_active;           /* the same without a long field's */
	const rs_side *side;
} rs_onehot;


/* No day: a record's time fields stay empty. */
#define RS_NO_DAY INT64_MIN
/* The day of unix time ts (days since 1970-01-01, rounded down). */
static inline int64_t rs_day_of(int64_t ts) { return ts / 86400 - (ts % 86400 < 0); }

/* Lay out the chosen fields (kinds in order: the generic kinds take
 * side->feat's fields in order); window is the history
 * field's number of previous items (0 when there is none). The feedback
 * fields (fields.h) come last and rs_onehot_features leaves them empty
 * until rs_onehot_feedback gives their lists. */
void rs_onehot_init(rs_onehot *oh, const int *kinds, int n, const rs_side *side, int window);
/* The feedback fields' lists from records r < n with train[r] set, into
 * side (oh's own): a user's distinct items, an item's distinct users, each
 * at 1/sqrt(their number), as ml-onehot --implicit writes them. */
void rs_onehot_feedback(rs_onehot *oh, rs_side *side, size_t n, const uint32_t *user,
			const uint32_t *item, const uint8_t *train);
/* What a layout takes from a stream (d, in the model's ids, with h's
 * fields), not from side files: the feedback fields' lists from its train
 * records, and the generic feature fields read back from its records. */
void rs_onehot_from_stream(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d);
/* Which side files a header's fields (a model's) are built from. */
enum { RS_NEED_USERS = 1, RS_NEED_ITEMS = 2 };
int rs_onehot_side_needed(const rs_header *h);
/* The layout of a header's fields (a model's), with side files read when a
 * field needs them; dies when a file is missing or the sizes differ. The
 * feedback and generic fields stay empty: rs_onehot_from_stream fills them. */
void rs_onehot_for_header(rs_onehot *oh, rs_side *side, const rs_header *h,
			  const char *users_path, const char *items_path);
/* The same with the side tables read back from the features of a
 * stream's records (d has h's fields), so that no side file is needed, and
 * the feedback fields' lists from d's train records. */
void rs_onehot_from_data(rs_onehot *oh, rs_side *side, const rs_header *h, const rs_dataset *d);
/* Write the sorted active features of (user, item) into x and their values
 * into xv (oh->max_active entries are enough); returns how many. prev[0..nprev)
 * are the user's previous items, oldest first (history.h): the history
 * field has the last window of them, weighted 1/(their number) each so that
 * it sums to 1, the last field the latest, the long field the ones before
 * the window (none: a field is empty). */
int rs_onehot_features(const rs_onehot *oh, uint32_t user, uint32_t item, const uint32_t *prev,
		       int nprev, uint32_t *x, float *xv);
/* The same at a day of the record's own (rs_day_of its ts; RS_NO_DAY:
 * none), which the time fields take (rs_onehot_features takes oh->now). */
int rs_onehot_features_at(const rs_onehot *oh, uint32_t user, uint32_t item, int64_t day,
			  const uint32_t *prev, int nprev, uint32_t *x, float *xv);
/* Of a record's sorted features x[0..n) (values xv, NULL: 1), those of
 * the fields f with keep[f] set, into ox, ov; returns how many. The one
 * walk over the tiled fields that splits a record by field. */
int rs_onehot_select(const rs_onehot *oh, const uint8_t *keep, const uint32_t *x, const float *xv,
		     int n, uint32_t *ox, float *ov);
/* Among a selection x[0..n), xv of rs_onehot_select, the user side
 * fields' features (age, gender, occupation, zip: one a field) made those
 * of user u of side s, a user the layout's side lacks
 * (rs_side_read_every_user); a value the field has no feature for is left
 * out. Returns how many remain. */
int rs_onehot_user_side(const rs_onehot *oh, const rs_side *s, uint32_t u, uint32_t *x, float *xv, int n);
/* Make max_active hold a long field of up to n previous items. */
void rs_onehot_room(rs_onehot *oh, size_t n);

/* ml-onehot's options, as given (-1: not given). */
typedef struct rs_onehot_opts {
	const char *fields;                 /* --fields, or NULL */
	const char *users, *items;          /* side files, or NULL */
	const char *user_features, *item_features;   /* feature files (featfile.h), or NULL */
	const char *categorical;            /* --categorical, or NULL */
	int seq;                            /* --seq: the RS_SEQ_* fields, unless given */
	int window, last, longw, long_max;  /* --history N, --last, --long's kind, --long-max */
	int time, implicit;
	uint32_t bin;                       /* --time-bin */
} rs_onehot_opts;

/* What ml-onehot adds to a stream: its fields, their side tables, their
 * layout and the stream's new header, planned in three steps: from the
 * options alone (their usage errors before any input is read), then the
 * input's header and the files, then the records' days. */
typedef struct rs_onehot_plan {
	rs_onehot_opts o;                   /* with --seq's defaults */
	int kinds[RS_MAX_FIELDS], n;        /* the fields, in stream order */
	rs_side side;
	int keep;                           /* every record is held before any is
					       written: history, feedback or time fields */
	rs_onehot oh;                       /* over side (after rs_onehot_plan_layout) */
	rs_header h;                        /* the stream's header with x, xv and the fields */
} rs_onehot_plan;

/* --long W's kind (mean: RS_F_LONG, sqrt: RS_F_LONG_SQRT); a usage error
 * for another W. */
int rs_onehot_long_kind(const char *w);
/* Which of ml-onehot's fields a comma-separated list names, checked
 * against what the options give (side files, a history window, --implicit);
 * without a list, user, item and every field the options give. Usage errors
 * name the field. Returns how many, into kinds (RS_MAX_FIELDS). */
int rs_fields_choose(const char *list, int users, int items, int window, int last, int longw,
		     int time, int implicit, int *kinds);
/* The fields the options choose (rs_fields_choose), --seq's defaults
 * applied; usage errors name the option. */
void rs_onehot_plan_init(rs_onehot_plan *p, const rs_onehot_opts *o);
/* The side and feature files read against the input's header (its name
 * in messages), their fields placed after the side files' (before the
 * history and feedback fields); dies when the stream has features
 * already. Then p->keep says whether the records are to be held. */
void rs_onehot_plan_files(rs_onehot_plan *p, const rs_header *in, const char *name);
/* The layout and the new header (command added to its history); the time
 * fields' days are those of the records' ts[0..n) (held, as p->keep
 * says). */
void rs_onehot_plan_layout(rs_onehot_plan *p, const rs_header *in, const char *name,
			   const int64_t *ts, size_t n, const char *command);
void rs_onehot_plan_free(rs_onehot_plan *p);

#endif
