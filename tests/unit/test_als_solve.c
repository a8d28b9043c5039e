/* Unit tests of ALS's row solvers against the normal equations they solve. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "als.h"
#include "rng.h"
#include "tap.h"

enum { ROWS = 30, K = 6, NOBS = 7 };

/* A x and b in double: A = G + reg I + sum_j cw_j y_j y_j',
 * b = sum_j (1 + cw_j) y_j over the observed rows, cw_j = c_j - 1 */
static void normal_eq(const float *x, const float *G, const float *Y, const uint32_t *obs,
		      double reg, const float *cw, double *Ax, double *b)
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
			Ax[a] += cw[j] * yx * y[a];
			b[a] += (1 + (double)cw[j]) * y[a];
		}
	}
}

/* ||A x - b|| / ||b|| */
static double residual(const float *x, const float *G, const float *Y, const uint32_t *obs,
		       double reg, const float *cw)
{
	double Ax[K], b[K], r2 = 0, b2 = 0;
	normal_eq(x, G, Y, obs, reg, cw, Ax, b);
	for (int a = 0; a < K; a++)
		r2 += (Ax[a] - b[a]) * (Ax[a] - b[a]), b2 += b[a] * b[a];
	return sqrt(r2 / b2);
}

/* CG's guarantee: each step lowers x'Ax/2 - b'x (the A-norm of the error) */
static double energy(const float *x, const float *G, const float *Y, const uint32_t *obs,
		     double reg, const float *cw)
{
	double Ax[K], b[K], e = 0;
	normal_eq(x, G, Y, obs, reg, cw, Ax, b);
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
	float cw[NOBS], counted[NOBS];
	for (int j = 0; j < NOBS; j++) {
		cw[j] = (float)alpha;
		counted[j] = (float)(alpha * (1 + j % 3));   /* pairs seen once, twice, three times */
	}

	memset(xc, 0, sizeof xc);
	rs_als_solve_cholesky(xc, G, Y, obs, cw, NOBS, K, reg, dwork);
	double rc = residual(xc, G, Y, obs, reg, cw);
	ok(rc < 1e-5, "Cholesky solves the normal equations: relative residual %.2g", rc);

	/* CG from zero: exact in K steps in exact arithmetic, near it in float */
	memset(x, 0, sizeof x);
	rs_als_solve_cg(x, G, Y, obs, cw, NOBS, K, reg, 2 * K, work);
	double rg = residual(x, G, Y, obs, reg, cw), d = 0;
	for (int a = 0; a < K; a++)
		d = fmax(d, fabs(x[a] - xc[a]));
	ok(rg < 1e-4 && d < 1e-4, "CG with 2K steps reaches Cholesky's row: residual %.2g, max diff %.2g",
	   rg, d);

	/* a few steps warm-started at the answer stay there; from zero each
	 * lowers the energy */
	memcpy(x, xc, sizeof x);
	rs_als_solve_cg(x, G, Y, obs, cw, NOBS, K, reg, 3, work);
	ok(residual(x, G, Y, obs, reg, cw) < 1e-5, "CG warm-started at the solution stays on it");
	double last = INFINITY;
	int down = 1;
	for (int steps = 1; steps <= 4; steps++) {
		memset(x, 0, sizeof x);
		rs_als_solve_cg(x, G, Y, obs, cw, NOBS, K, reg, steps, work);
		double e = energy(x, G, Y, obs, reg, cw);
		down &= e < last;
		last = e;
	}
	ok(down && last > energy(xc, G, Y, obs, reg, cw) - 1e-9,
	   "each CG step lowers x'Ax/2 - b'x, never below the solution's (4 steps: %.6g)", last);

	/* confidence by count: the normal equations of c_j = 1 + alpha n_j */
	memset(xc, 0, sizeof xc);
	rs_als_solve_cholesky(xc, G, Y, obs, counted, NOBS, K, reg, dwork);
	memset(x, 0, sizeof x);
	rs_als_solve_cg(x, G, Y, obs, counted, NOBS, K, reg, 2 * K, work);
	double rn = residual(xc, G, Y, obs, reg, counted), dn = 0;
	for (int a = 0; a < K; a++)
		dn = fmax(dn, fabs(x[a] - xc[a]));
	ok(rn < 1e-5 && dn < 1e-4, "confidence by count (1 to 3 events a pair): Cholesky's residual %.2g, CG within %.2g",
	   rn, dn);

	/* a row that observes nothing: A = G + reg I, b = 0, so x = 0 */
	float z[K];
	memcpy(z, xc, sizeof z);
	rs_als_solve_cholesky(z, G, Y, obs, cw, 0, K, reg, dwork);
	double zmax = 0;
	for (int a = 0; a < K; a++)
		zmax = fmax(zmax, fabs(z[a]));
	ok(zmax < 1e-6, "a row without observations solves to zero (max %.2g)", zmax);
	return tap_done();
}
