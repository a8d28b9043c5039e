/* predrows.h: rs-predict on a model of a click log's columns (rowenc.h):
 * rows of raw values, a delimited file whose first line names the columns
 * (a click log as ml-split --format click reads it), each printed as its
 * score (the click probability), with the AUC and logloss of the rows that
 * carry a label; or, with --serve, one JSON object of column values a
 * line, answered with {"score": P}. */
#ifndef RS_PREDROWS_H
#define RS_PREDROWS_H

#include <stdio.h>

#include "model.h"
#include "rowreq.h"

/* The rows of in (named src in messages) scored; bad input dies with
 * "src:line: message". json: no lines, the summary as JSON on stdout. */
void rs_predict_rows(rs_model *m, FILE *in, const char *src, int json);
/* The same for libFM's (ffm 0) or libffm's lines (libfm.h), read whole,
 * their fields named as ml-split --format libfm names them. */
void rs_predict_lines(rs_model *m, FILE *in, const char *src, int ffm, int json);
/* --serve's loop over in. */
void rs_predict_rows_serve(rs_model *m, FILE *in);

#endif
