/* fmadagrad.h: the factorization machine's fused solver (fm-train
 * --optimizer adagrad), mfadagrad.h's scheme on a record of a few active
 * features: one pass per record sums its features' factors s = sum_j x_j
 * v_j, computes the score and the error, then steps each active feature's
 * row (its k factors, then its weight) and w0 in place, each by its own
 * AdaGrad accumulator (from 1; it gains the mean square of the row's
 * gradient; the step is lr / sqrt(accumulator)), all from the record's
 * forward values. Squared loss 0.5 e^2 for ratings, the logistic loss for
 * clicks, plus (l2 / 2) |row|^2 for each row the record uses (not w0).
 * Side fields make every record share rows (a gender has two), so there is
 * no grid of disjoint blocks as for MF: the records run on one thread, in
 * the epoch's seeded shuffle. */
#ifndef RS_FMADAGRAD_H
#define RS_FMADAGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"

typedef struct rs_fm_adagrad {
	float *acc;              /* (nfeatures) the rows' accumulators */
	float acc0;              /* w0's */
	float *g;                /* (k + 1) a row's gradient */
	float *s;                /* (k) a record's sums */
	float *step;             /* (cap) a record's rows' steps */
	size_t cap;
} rs_fm_adagrad;

void rs_fm_adagrad_init(rs_fm_adagrad *s, const rs_model *m);
void rs_fm_adagrad_free(rs_fm_adagrad *s);
/* The records idx[0..n) of d in turn; returns their summed loss (without
 * the L2 terms). */
double rs_fm_adagrad_epoch(rs_fm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			   size_t n);
/* The fused step on one record of features x[0..n) at values xv (NULL:
 * 1) and target y; returns its loss. */
double rs_fm_adagrad_step(rs_fm_adagrad *s, rs_model *m, const uint32_t *x, const float *xv, int n,
			  float y);

#endif
