/* clicklog.h: a delimited click log with a header of any columns (ml-split
 * --format click): a label column (0/1, -1/1, a rating, or none), optional
 * user, item and ts, and any number of feature columns, each categorical
 * (a feature per value; 'a|b' is two) or numeric (empty: missing), typed
 * from the data unless named. Read into columns, then written as an
 * rs-stream whose header carries each categorical column's dictionary
 * (docs/stream.md). */
#ifndef RS_CLICKLOG_H
#define RS_CLICKLOG_H

#include <stdint.h>
#include <stdio.h>

#include "attrs.h"
#include "idmap.h"
#include "out.h"
#include "ratings.h"

/* What the label column holds. */
enum { RS_LABEL_NONE, RS_LABEL_CLICK, RS_LABEL_RATING };

/* The names a label column goes by (any case), beside the rating's. */
int rs_clicklog_is_label(const char *name);

/* The options of a click log's columns: the label's name ("none": no
 * label; NULL: found by name), and the columns forced categorical or
 * numeric, comma-separated (NULL: none). */
typedef struct rs_clicklog_opts {
	const char *label;
	const char *categorical, *numeric;
	unsigned char sep;       /* 0: read off the header line */
} rs_clicklog_opts;

/* One feature column while read: each record's whole value by id + 1 (0:
 * empty), the whole values' dictionary and the line each first came on. */
typedef struct rs_clickcol {
	char *name;              /* as the header names it */
	uint32_t *val;           /* (n) */
	rs_idmap ids;
	rs_names text;
	unsigned long *line;     /* (text.n) */
	int type;                /* RS_ATTR_*, once read */
	int forced;              /* named by --categorical (1) or --numeric (2) */
	/* categorical: the parts of each whole value, as ids of attr.values */
	size_t *poff;            /* (text.n + 1) */
	uint32_t *part;
	/* numeric: each whole value's number */
	double *num;             /* (text.n) */
} rs_clickcol;

typedef struct rs_clicklog {
	rs_ratings r;            /* split, user, item, label (as rating), ts */
	int label;               /* RS_LABEL_* */
	int has_user, has_item;
	int ncols;
	rs_clickcol *cols;       /* (ncols) the feature columns, in the header's order */
	rs_attr *attrs;          /* (ncols) their attributes, once read */
	const char *name;
	int *field_col;          /* (nfields) while read: each field's feature column, -1 */
	char **field_names;      /* (nfields) while read: the header's names */
	int nfields;
	void *parse;             /* while read: the reader's state */
} rs_clicklog;

/* The separator of a header line: a tab, a comma, else runs of spaces. */
unsigned char rs_clicklog_sep(const char *line);
void rs_clicklog_init(rs_clicklog *c);
void rs_clicklog_free(rs_clicklog *c);
/* Read the whole log; bad input dies with "name:line: message". */
void rs_clicklog_read(rs_clicklog *c, FILE *in, const char *name, const rs_clicklog_opts *o);
/* The same fed a row at a time by a reader of another format (libfm.h):
 * begin, each row (the first names the columns) with its line, end. */
void rs_clicklog_begin(rs_clicklog *c, const char *name, const rs_clicklog_opts *o);
void rs_clicklog_row(rs_clicklog *c, char **f, int n, unsigned long line);
void rs_clicklog_end(rs_clicklog *c);
/* A line for stderr: how the columns were read. */
void rs_clicklog_describe(const rs_clicklog *c, char *buf, size_t len);
/* Write the stream: header (history: command) and every record. */
void rs_clicklog_write(const rs_clicklog *c, rs_out *out, const char *command);

#endif
