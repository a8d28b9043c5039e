/* json.h: msgpack objects printed as JSON or as TSV cells, for people and
 * for tests. Floats keep full precision (%.9g for float32, %.17g for float64). */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <msgpack.h>
#include <stdio.h>

#include "stream.h"

/* BIN payloads print as {"bytes": N}: a model's tensors are not for reading. */
void rs_json_print(FILE *f, const msgpack_object *o);
void rs_json_string(FILE *f, const char *s, size_t n);
/* A stream header as one JSON object, in the keys' documented order. */
void rs_json_header(FILE *f, const rs_header *h);
/* A TSV cell: arrays comma-joined, strings as they are. */
void rs_tsv_print(FILE *f, const msgpack_object *o);

#endif
