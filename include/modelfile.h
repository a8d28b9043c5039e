/* modelfile.h: the model file (docs/model.md). */
#ifndef RS_MODELFILE_H
#define RS_MODELFILE_H

#include "model.h"
#include "out.h"

/* Write the model into an output opened before training (so that a path
 * that cannot be written fails before any work), and commit it. */
void rs_model_write(const rs_model *m, rs_out *o);
/* Load and validate; dies naming the file on any defect. */
void rs_model_load(rs_model *m, const char *path);
#endif
