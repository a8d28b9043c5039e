/* recmetrics.h: a model's pointwise metrics over records of a dataset:
 * RMSE and MAE of a rating model, AUC, logloss and accuracy of a click
 * model. Each epoch's validation and test (fit.h), and rs-eval's. */
#ifndef RS_RECMETRICS_H
#define RS_RECMETRICS_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"

typedef struct rs_metrics {
	double rmse, mae;                       /* rating */
	double auc, logloss, accuracy;          /* click */
} rs_metrics;
/* Metrics of m over the records idx (NaN for none), scored on up to
 * threads threads; scores (n) and work (2n) are scratch. */
void rs_evaluate(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
		 float *scores, uint64_t *work, int threads, rs_metrics *out);

#endif
