/* mfadagrad.h: matrix factorization's fused solver (mf-train --optimizer
 * adagrad), after LIBMF (Chin et al., PAKDD 2015 and ACM TIST 2015): one
 * pass per rating reads the user's and the item's rows (their bias the last
 * column), computes the error and updates both rows in place, each by its
 * own AdaGrad step: one accumulator per row, which gains the mean square
 * of the row's gradient at each of its ratings (from 1, so the first steps
 * are at most the learning rate), the step being lr / sqrt(accumulator).
 * The loss of a rating is 0.5 e^2 plus (l2 / 2) |row|^2 for both rows.
 *
 * The records are laid out once in a G x G grid of blocks (users and items
 * each dealt to G bands by a seeded permutation). An epoch visits the G
 * diagonals in a seeded order, each diagonal's G blocks sharing no user and
 * no item, so they run on any number of threads with no lock and the same
 * result: the model is the same for any --threads. A block's records are
 * shuffled once, by a stream seeded from (seed, block) (reshuffling them
 * every epoch changed the 2.5M set's test RMSE by 0.0001 and cost 5% of
 * the time). */
#ifndef RS_MFADAGRAD_H
#define RS_MFADAGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"

/* The bands per side: on the 2.5M synthetic set a band's rows fit a core's
 * L2 (25M's do not: there the prefetch hides the misses), and a diagonal
 * has enough blocks to balance two threads. */
#define RS_MF_BANDS 32   /* at most 256: a band is a byte */

typedef struct rs_mf_rating {
	uint32_t u, i;
	float r;
} rs_mf_rating;

typedef struct rs_mf_adagrad {
	int G;
	rs_mf_rating *rec;       /* the records, block after block */
	size_t *start;           /* (G*G + 1) block b holds rec[start[b], start[b+1]) */
	float *accP, *accQ;      /* (nusers), (nitems) the rows' accumulators */
	double *loss;            /* (G*G) each block's summed loss in the epoch */
	uint32_t *order;         /* (G) the diagonals' order */
	uint64_t seed;
	int epoch;
} rs_mf_adagrad;

/* The records idx[0..n) of d laid out for m (an MF model). */
void rs_mf_adagrad_init(rs_mf_adagrad *s, const rs_model *m, const rs_dataset *d,
			const uint32_t *idx, size_t n, uint64_t seed);
/* One epoch on threads threads; returns the summed loss of its ratings
 * (without the L2 terms), summed in block order. */
double rs_mf_adagrad_epoch(rs_mf_adagrad *s, rs_model *m, int threads);
void rs_mf_adagrad_free(rs_mf_adagrad *s);

/* The fused step on one rating r of rows p and q (k factors, then the
 * bias), with their accumulators; returns 0.5 e^2. */
float rs_mf_adagrad_step(float *p, float *q, float *accp, float *accq, int k, float r, float mu,
			 float lr, float l2);

#endif
