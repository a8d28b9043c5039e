/* linalg.h: small dense linear algebra in double over plain row-major
 * arrays: a symmetric positive definite matrix's Cholesky factor, its
 * two triangular solves, and a Gram matrix. Sizes are small (a model's
 * factors, or a feature's weight and factors): no blocking, every sum in
 * one fixed order, so the same bits on any machine. ALS's exact row
 * solves (als.h) and the Gibbs sampler's joint draws (mcmc_conjugate.h)
 * use it. */
#ifndef RS_LINALG_H
#define RS_LINALG_H

#include <stddef.h>

/* How a factor keeps its diagonal, and meets a pivot that is not
 * positive. Each is its caller's arithmetic from before this module: the
 * other would round differently and change its models' bits.
 *   RS_CHOL_PLAIN  L_ii itself; the solves divide by it. A pivot below
 *                  1e-300 is taken as 1e-300: never fails (ALS, whose
 *                  matrix is positive definite by construction).
 *   RS_CHOL_RECIP  1 / L_ii, one division a row; the solves multiply by
 *                  it. A pivot not above 0 stops the factorization, which
 *                  returns 0 (the sampler, which then stops loudly). */
typedef enum { RS_CHOL_PLAIN, RS_CHOL_RECIP } rs_chol_form;

/* A (n, n) = L L^T in place: reads A's lower triangle (the diagonal
 * included), writes L there in the form's way; the upper triangle is
 * neither read nor written. Returns 1, or 0 as the form says. */
int rs_chol_factor(double *A, int n, rs_chol_form form);
/* x (n) = L^-1 x, then x (n) = L^-T x, in place: with both, x = A^-1 x.
 * L (n, n) from rs_chol_factor in the same form. */
void rs_chol_forward(const double *L, int n, rs_chol_form form, double *x);
void rs_chol_back(const double *L, int n, rs_chol_form form, double *x);

/* G (k, k) += Y^T Y over Y's rows (rows, k), in double, the lower
 * triangle only (the diagonal included); each element summed over the
 * rows in order. */
void rs_gram_lower(double *G, const float *Y, size_t rows, int k);

#endif
