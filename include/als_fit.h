/* als_fit.h: implicit ALS's sweeps (lib/train/als_fit.c), fitting a model of the kind
 * als.h describes. */
#ifndef RS_ALS_FIT_H
#define RS_ALS_FIT_H

#include "als.h"
#include "dataset.h"
#include "runlog.h"

void rs_als_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o);

#endif
