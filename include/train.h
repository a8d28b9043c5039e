/* train.h: the one training loop behind mf-train, fm-train and deepfm-train:
 * epochs of shuffled minibatches, validation carved from the train records,
 * early stopping that keeps the best epoch's parameters, a per-epoch log,
 * and a divergence check. Test records are evaluated, never used to choose. */
#ifndef RS_TRAIN_H
#define RS_TRAIN_H

#include <stdio.h>

#include "dataset.h"
#include "model.h"
#include "runlog.h"

/* Train m on d's train records (d's split may gain validation records). */
void rs_train(rs_model *m, rs_dataset *d, const rs_train_opts *o);

/* Metrics of m over the records idx; scores (n) and work (2n) are scratch. */
typedef struct rs_metrics {
	double rmse, mae;                       /* rating */
	double auc, logloss, accuracy;          /* click */
} rs_metrics;
void rs_evaluate(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
		 float *scores, uint64_t *work, rs_metrics *out);

#endif
