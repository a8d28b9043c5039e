/* kinds.h: every model kind, found by its name (rs_model_ops.kind). A new
 * kind adds its ops to the table in lib/kinds.c (docs/extending.md). */
#ifndef RS_KINDS_H
#define RS_KINDS_H

#include "model.h"

/* The kind of that name, or NULL. */
const rs_model_ops *rs_model_kind(const char *kind);

#endif
