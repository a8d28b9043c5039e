/* Unit tests of ALS's row solvers against the normal equations they solve. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "als.h"
#include "rng.h"
#include "tap.h"

enum { ROWS = 30, K = 6, NOBS = 7 };

/* A x and b in double: A = G + reg I + alpha sum_j y_j y_j',
 * b = (1 + alpha) sum_j y_j over the observed rows */
static void normal_eq(const float *x, const float *G, const float *Y, const uint32_t *obs,
		      double reg, double alpha, double *Ax, double *b)
{
	for (int a = 0; a < K; a++) {
		Ax[a] = reg * x[a];
		b[a] = 0;
		for (int c = 0; c < K; c++)
			Ax[a] += (double)G[a * K + c] * x[c];
		for (int j = 0; j < NOBS; j++) {
			const float *y = Y + obs[j] * K;
			double yx = 0;
			for (int c = 0; c < K; c++)
				yx += (double)y[c] * x[c];
			Ax[a] += alpha * yx * y[a];
			b[a] += (1 + alpha) * y[a];
		}
	}
}

/* ||A x - b|| / ||b|| */
static double residual(const float *x, const float *G, const float *Y, const uint32_t *obs,
		       double reg, double alpha)
{
	double Ax[K], b[K], r2 = 0, b2 = 0;
	normal_eq(x, G, Y, obs, reg, alpha, Ax, b);
	for (int a = 0; a < K; a++)
		r2 += (Ax[a] - b[a]) * (Ax[a] - b[a]), b2 += b[a] * b[a];
	return sqrt(r2 / b2);
}

/* CG's guarantee: each step lowers x'Ax/2 - b'x (the A-norm of the error) */
static double energy(const float *x, const float *G, const float *Y, const uint32_t *obs,
		     double reg, double alpha)
{
	double Ax[K], b[K], e = 0;
	normal_eq(x, G, Y, obs, reg, alpha, Ax, b);
	for (int a = 0; a < K; a++)
		e += 0.5 * x[a] * Ax[a] - b[a] * x[a];
	return e;
}

int main(void)
{
	float Y[ROWS * K], G[K * K], x[K], xc[K], work[4 * K];
	double dwork[K * (K + 1)];
	static const uint32_t obs[NOBS] = {0, 3, 4, 9, 17, 22, 29};
	rs_rng rng;
	rs_rng_seed(&rng, 5);
	for (int i = 0; i < ROWS * K; i++)
		Y[i] = (float)(rs_rng_uniform(&rng) - 0.5);
	for (int a = 0; a < K; a++)
		for (int c = 0; c < K; c++) {
			double s = 0;
			for (int i = 0; i < ROWS; i++)
				s += (double)Y[i * K + a] * Y[i * K + c];
			G[a * K + c] = (float)s;
		}
	double reg = 0.5, alpha = 4;

	memset(xc, 0, sizeof xc);
	rs_als_solve_cholesky(xc, G, Y, obs, NOBS, K, reg, alpha, dwork);
	double rc = residual(xc, G, Y, obs, reg, alpha);
	ok(rc < 1e-5, "Cholesky solves the normal equations: relative residual %.2g", rc);

	/* CG from zero: exact in K steps in exact arithmetic, near it in float */
	memset(x, 0, sizeof x);
	rs_als_solve_cg(x, G, Y, obs, NOBS, K, reg, alpha, 2 * K, work);
	double rg = residual(x, G, Y, obs, reg, alpha), d = 0;
	for (int a = 0; a < K; a++)
		d = fmax(d, fabs(x[a] - xc[a]));
	ok(rg < 1e-4 && d < 1e-4, "CG with 2K steps reaches Cholesky's row: residual %.2g, max diff %.2g",
	   rg, d);

	/* a few steps warm-started at the answer stay there; from zero each
	 * lowers the energy */
	memcpy(x, xc, sizeof x);
	rs_als_solve_cg(x, G, Y, obs, NOBS, K, reg, alpha, 3, work);
	ok(residual(x, G, Y, obs, reg, alpha) < 1e-5, "CG warm-started at the solution stays on it");
	double last = INFINITY;
	int down = 1;
	for (int steps = 1; steps <= 4; steps++) {
		memset(x, 0, sizeof x);
		rs_als_solve_cg(x, G, Y, obs, NOBS, K, reg, alpha, steps, work);
		double e = energy(x, G, Y, obs, reg, alpha);
		down &= e < last;
		last = e;
	}
	ok(down && last > energy(xc, G, Y, obs, reg, alpha) - 1e-9,
	   "each CG step lowers x'Ax/2 - b'x, never below the solution's (4 steps: %.6g)", last);

	/* a row that observes nothing: A = G + reg I, b = 0, so x = 0 */
	float z[K];
	memcpy(z, xc, sizeof z);
	rs_als_solve_cholesky(z, G, Y, obs, 0, K, reg, alpha, dwork);
	double zmax = 0;
	for (int a = 0; a < K; a++)
		zmax = fmax(zmax, fabs(z[a]));
	ok(zmax < 1e-6, "a row without observations solves to zero (max %.2g)", zmax);
	return tap_done();
}
