/* dsv.h: delimited text (TSV, CSV, '|', '::') through libcsv, one row at a
 * time, with the physical line number of each row. */
#ifndef RS_DSV_H
#define RS_DSV_H

#include <stdint.h>
#include <stdio.h>

/* Called for each row; fields are NUL-terminated and valid during the call.
 * Return 0 to go on, anything else to stop reading (that value is returned). */
typedef int (*rs_dsv_row_fn)(void *ctx, char **fields, int nfields, unsigned long line);

/* Read in to the end. first_line, if not NULL, is a line the caller has
 * already read from in (to sniff the format); it is parsed first. A libcsv
 * error dies with "name:line: message". */
int rs_dsv_read(FILE *in, const char *name, unsigned char delim, const char *first_line,
		rs_dsv_row_fn row, void *ctx);

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
int rs_field_num(const char *s, double *v);

#endif
