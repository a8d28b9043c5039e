/* als.h: implicit-feedback matrix factorization by alternating least
 * squares (Hu, Koren and Volinsky 2008). Every train pair is observed, with
 * confidence 1 + alpha times its events (--confidence count: a log's
 * repeated events weigh more) or 1 + alpha (binary); every other pair is a 0
 * with confidence 1;
 * each sweep solves every user's row for the items' fixed rows, then every
 * item's, each row by conjugate gradient warm-started from the last sweep
 * (Takacs, Pilaszy and Tikk 2011) or exactly by Cholesky. The unobserved
 * pairs enter through the Gram matrix Q'Q, so a sweep costs
 * O((users + items) k^2 + records k) per CG step. Rows are solved on
 * `threads` threads; the result does not depend on their number. */
#ifndef RS_ALS_H
#define RS_ALS_H

#include "dataset.h"
#include "model.h"
#include "useritems.h"


/* The model's arithmetic (lib/model/als_solve.c), shared by the sweeps and
 * a new user's fold-in. */

/* G (k, k) = Y' Y over Y's rows (rows, k), summed in double as a sweep
 * sums it. */
void rs_als_gram(float *G, const float *Y, size_t rows, int k);
/* The same over rows [lo, hi) of Y on threads, summed over MPI's ranks
 * (each its share); part holds rs_als_gram_scratch(rows, k) doubles. The
 * same sums for any number of threads. */
void rs_als_gram_rows(float *G, const float *Y, size_t lo, size_t hi, int k, int threads,
		      double *part);
size_t rs_als_gram_scratch(size_t rows, int k);
/* The objective at m's rows: every pair's confidence times its squared
 * error plus reg times the squared norms (G = Q'Q; cw as below). */
double rs_als_objective(const rs_model *m, const float *G, const rs_user_items *byuser,
			const float *cw);
/* One row's normal equations (the unit tests', and a new user's in
 * foldin.h): x = argmin of
 * sum_j c_j (x . Y[j] - 1)^2 over the observed rows obs[0..n) with c_j = 1 +
 * cw[j] (alpha, or alpha times the pair's events), plus x' G x (G = Y'Y,
 * every row at target 0 with confidence 1) and reg |x|^2. work holds 4k
 * floats (CG) or k(k+1) doubles (Cholesky). */
void rs_als_solve_cg(float *x, const float *G, const float *Y, const uint32_t *obs,
		     const float *cw, size_t n, int k, double reg, int steps, float *work);
void rs_als_solve_cholesky(float *x, const float *G, const float *Y, const uint32_t *obs,
			   const float *cw, size_t n, int k, double reg, double *work);

#endif
