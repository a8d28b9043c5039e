/* jsonid.h: a raw id as JSON, of one type in each id space wherever it is
 * printed (rs-show -j, rs-recommend --json, rs-predict --json, --serve):
 * a string where the space has names (string ids), a number where it has
 * none. */
#ifndef RS_JSONID_H
#define RS_JSONID_H

#include <stdio.h>

#include "names.h"

/* text as names' space prints it; a text that is no integer (a new user's
 * label in a space of numbers) stays a string. */
void rs_json_id(FILE *f, const rs_names *names, const char *text);

#endif
