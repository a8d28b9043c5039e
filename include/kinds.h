/* kinds.h: every model kind, found by its name (rs_model_ops.kind). The
 * library's kinds are in the table of lib/model/kinds.c; a kind defined outside
 * it registers itself (docs/extending.md). */
#ifndef RS_KINDS_H
#define RS_KINDS_H

#include "model.h"

/* The kind of that name, or NULL. */
const rs_model_ops *rs_model_kind(const char *kind);
/* The i-th kind registered, or NULL past the last. */
const rs_model_ops *rs_model_kind_at(int i);
/* What is wrong with an ops table (NULL when nothing): a kind has a name,
 * the four functions every kind has, a backward exactly when the shared
 * loop trains it, and one way to be fitted. */
const char *rs_model_ops_check(const rs_model_ops *ops);
/* Add a kind, so that models of it load; dies when the table is wrong or
 * its name is taken. */
void rs_model_kind_add(const rs_model_ops *ops);

#endif
