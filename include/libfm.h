/* libfm.h: libFM's and libffm's text (ml-split --format libfm, libffm):
 * 'label idx:val ...' and 'label field:idx:val ...' lines, space-separated,
 * read as a click log (clicklog.h) whose feature columns are the fields,
 * categorical, each value an index (a line's indices of one field are one
 * multi-valued value). libffm's fields are its own (columns f0, f1, ... by
 * field number); libFM's are the k-th feature of a line when every line has
 * the same number of features, each place in an index range of its own
 * (as a one-hot encoding has), else one field f0. Only one-hot features
 * are read: a value other than 1 is refused. */
#ifndef RS_LIBFM_H
#define RS_LIBFM_H

#include <stdio.h>

#include "clicklog.h"

/* The largest index and field a line may name. */
#define RS_LIBFM_MAX_INDEX 2147483647

/* Read in (named name) into c; ffm: libffm's lines, else libFM's. Bad
 * input dies with "name:line: message". */
void rs_libfm_read(rs_clicklog *c, FILE *in, const char *name, int ffm);

#endif
