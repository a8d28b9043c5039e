/* ffmadagrad.h: the field-aware FM's fused solver (ffm-train's
 * --optimizer adagrad), fmadagrad.h's scheme on a record's pairs: one
 * pass computes the score (ffm.h) and the error, a second the gradient of
 * every block the record uses (feature a's vector for the field of each
 * other active feature, and its weight) from those forward values, then
 * each block steps in place by its own AdaGrad accumulator (one per
 * feature and field, and one per feature's weight; from 1, each gains the
 * mean square of its gradient; the step is lr / sqrt(accumulator)); w0 by
 * its own, without l2. Squared loss 0.5 e^2 for ratings, the logistic loss
 * for clicks, plus ffm.h's l2 terms.
 *
 * On --threads N the epoch's shuffled records are cut into N runs, one a
 * thread, all stepping the same parameters with no lock (libffm's scheme,
 * Hogwild: Niu et al. 2011): two threads may step a shared row at once,
 * and which write lands depends on the scheduling, so only one thread
 * gives the same model for the same seed. The rows of the features in at
 * least one record in RS_FFM_HOT of the first epoch (a few-valued field's,
 * in nearly every record) are not shared: each thread steps its own copy
 * of them through the epoch, and when it ends a hot row is the mean of
 * the copies weighted by the records that stepped each, and its
 * accumulators gain the sum of theirs' gains; w0, in every record, the
 * same way. Shared, those rows' cache lines went from one thread's core to
 * the other's record after record, and two threads ran from 1.4x faster to
 * 2x slower than one. */
#ifndef RS_FFMADAGRAD_H
#define RS_FFMADAGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"

#define RS_FFM_HOT 1000
/* The solver's own table (ffmadagrad.c) doubles the memory of the
 * model's rows: past this many bytes of it the model's rows are stepped in
 * place, on threads shared as libffm's are. */
#define RS_FFM_COPY_MAX ((size_t)1 << 30)

/* One thread's scratch for a record of up to cap active features. */
typedef struct rs_ffm_lane {
	float *G;                /* (cap, F k + 1) the active features' gradients */
	float **row;             /* (cap) G's rows */
	uint32_t *x;             /* (cap) the record's rows: a hot feature's copy of this lane's */
	uint32_t *hits;          /* (nhot) the epoch's steps of each hot copy */
	float *w0, *acc0;        /* the bias and its accumulator the lane steps: the shared ones,
				    or on threads its own copies */
	float own_w0, own_acc0;
	size_t records;          /* the records the lane stepped in the epoch */
	double loss;             /* the lane's summed loss in the epoch */
} __attribute__((aligned(64))) rs_ffm_lane;   /* its thread writes it every record: a line its own */

typedef struct rs_ffm_adagrad {
	float *acc;              /* (nfeatures + threads nhot, A) each block's accumulator, the
				    weight's at F; past nfeatures, each lane's hot copies' */
	float *V;                /* (nfeatures + threads nhot, W) the rows an epoch on threads
				    steps: the model's, copied in and out, then each lane's hot
				    copies; NULL on one thread or past RS_FFM_COPY_MAX, where
				    the model's are stepped in place */
	size_t A, W;             /* acc's and V's row strides: F + 1 and F k + 1 fitted to cache
				    lines (ffmadagrad.c) */
	uint32_t *hot, nhot;     /* (nhot) the hot features, once the first epoch has counted */
	int32_t *hot_of;         /* (nfeatures) a feature's index in hot, or -1 */
	float acc0;              /* w0's */
	uint8_t *fld;            /* (nnz) the field of each of d's features, or NULL (a lone step's) */
	rs_ffm_lane *lane;       /* (threads) */
	int threads;
	size_t cap;
	double first;            /* the untrained model's mean loss (fit_fused.c's divergence check) */
} rs_ffm_adagrad;

/* For m, and d's records (d NULL: steps given their fields) on threads. */
void rs_ffm_adagrad_init(rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d, int threads);
void rs_ffm_adagrad_free(rs_ffm_adagrad *s);
/* The records idx[0..n) of d (the dataset of init) in turn, on the
 * threads of init; returns their summed loss (without the L2 terms). */
double rs_ffm_adagrad_epoch(rs_ffm_adagrad *s, rs_model *m, const rs_dataset *d, const uint32_t *idx,
			    size_t n);
/* The summed loss of the records idx[0..n) of d, stepping nothing. */
double rs_ffm_adagrad_loss(const rs_ffm_adagrad *s, const rs_model *m, const rs_dataset *d,
			   const uint32_t *idx, size_t n);
/* The fused step on one record of features x[0..n) (sorted) at values xv
 * (NULL: 1) and target y; returns its loss. */
double rs_ffm_adagrad_step(rs_ffm_adagrad *s, rs_model *m, const uint32_t *x, const float *xv, int n,
			   float y);

#endif
