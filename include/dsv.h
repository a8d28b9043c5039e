/* dsv.h: delimited text (TSV, CSV, '|', '::') through libcsv, one row at a
 * time, with the physical line number of each row. */
#ifndef RS_DSV_H
#define RS_DSV_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Called for each row; fields are NUL-terminated and valid during the call.
 * Return 0 to go on, anything else to stop reading (that value is returned). */
typedef int (*rs_dsv_row_fn)(void *ctx, char **fields, int nfields, unsigned long line);

/* The lines a reading passed over: blank ones anywhere, '#' comments
 * before the data, and a header its reader recognised (the reader counts
 * that one). */
typedef struct rs_dsv_skipped {
	unsigned long blank, comment, header;
} rs_dsv_skipped;

/* Read in to the end. first_line, if not NULL, is a line the caller has
 * already read from in (to sniff the format); it is parsed first, as line
 * 1. Without it, '#' lines before the data are passed over; they and blank
 * lines are counted in *sk (NULL: not counted). A libcsv error dies with
 * "name:line: message", and so does a field holding a NUL byte, a line
 * break (a quoted one) or a tab (where tab is not the separator): each
 * would change an id or a value silently. A UTF-8 byte-order mark opening
 * the input is dropped. */
int rs_dsv_read(FILE *in, const char *name, unsigned char delim, const char *first_line,
		rs_dsv_skipped *sk, rs_dsv_row_fn row, void *ctx);

/* The first line of data of in, as a reader sniffs it: the byte-order mark
 * dropped, blank and '#' lines before it counted in *sk and passed over.
 * Its length, or -1 at the end of the input; *lineno is its line. */
ssize_t rs_dsv_head(FILE *in, const char *name, char **line, size_t *cap, unsigned long *lineno,
		    rs_dsv_skipped *sk);

/* rs_dsv_read from a first line rs_dsv_head gave (its line number
 * first_no), counting blank lines in *sk (NULL: not counted). */
int rs_dsv_read_at(FILE *in, const char *name, unsigned char delim, const char *first_line,
		   unsigned long first_no, rs_dsv_skipped *sk, rs_dsv_row_fn row, void *ctx);

/* The lines sk passed over, as a summary's clause ("; 3 lines skipped (1
 * blank, 1 comment, 1 header)"), or "" when none. */
const char *rs_skipped_text(const rs_dsv_skipped *sk, char *buf, size_t len);
/* A reader's summary line (rs_summary): fmt's text and sk's clause, when
 * always is set or sk counts a line, else nothing, so that a file without
 * a skipped line says what it said before lines were counted. A line said
 * once is not said again: a side file is read by more than one part of a
 * tool (its features, then its titles or its new users). */
void rs_dsv_summary(const rs_dsv_skipped *sk, int always, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The fields of a row read with sep as the delimiter, as the line meant
 * them: for ':' (standing for "::") the empty field between each two
 * values dropped, for ' ' the empty fields a run of spaces leaves; other
 * separators as they are. Returns how many are left, or -1 for a line that
 * is not '::'-separated. */
int rs_dsv_fields(char **f, int n, unsigned char sep);

/* The numbers in fields: the whole field must parse. 0, or -1 when it is
 * not a decimal integer in int64's range (ids, timestamps, ages), or not a
 * finite number. */
int rs_field_int(const char *s, int64_t *v);
/* A time: an integer (unix seconds, or any count), or an ISO-8601 date
 * or date and time, 2020-01-01, 2020-01-01T10:00[:00[.fraction]] (or a
 * space for the T), in UTC unless it ends with an offset (+02:00, -0500)
 * or Z: unix seconds. 0 or -1, as rs_field_int. */
int rs_field_time(const char *s, int64_t *v);
int rs_field_num(const char *s, double *v);

#endif
