/* metrics.h: the evaluation metrics of rs-eval and the trainers' logs. */
#ifndef RS_METRICS_H
#define RS_METRICS_H

#include <stddef.h>
#include <stdint.h>

double rs_rmse(const float *pred, const float *y, size_t n);
double rs_mae(const float *pred, const float *y, size_t n);
/* Exact ROC AUC: sort by score, tied scores share their average rank. NaN
 * when one class is missing. work holds 2n uint64_t; scores are finite and
 * n < 2^32. */
double rs_auc(const float *score, const float *y, size_t n, uint64_t *work);
/* Mean logloss of probabilities clipped to [1e-7, 1 - 1e-7]. */
double rs_logloss(const float *prob, const float *y, size_t n);
/* Share of records where (prob >= 0.5) equals the label. */
double rs_accuracy(const float *prob, const float *y, size_t n);

#endif
