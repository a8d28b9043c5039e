/* mcmc_conjugate.c: the closed-form conditional draws of the Gibbs
 * sampler (mcmc_conjugate.h). */
#include "mcmc_conjugate.h"
#include "linalg.h"

#include <math.h>

double rs_mcmc_draw(double alpha, double sum_h2, double sum_eh, double theta, double mu,
		    double lambda, rs_rng *rng)
{
	double prec = alpha * sum_h2 + lambda;
	double mean = (alpha * (theta * sum_h2 + sum_eh) + mu * lambda) / prec;
	return mean + rs_rng_normal(rng) / sqrt(prec);
}

int rs_mcmc_draw_joint(int D, double alpha, const double *H, const double *b, const double *theta,
		       const double *mu, const double *lambda, double *L, double *out, rs_rng *rng)
{
	/* P = alpha H + diag(lambda) into L, then P = L L^T there (L lower,
	 * its diagonal kept inverted: one division a row) */
	for (int i = 0; i < D; i++)
		for (int j = 0; j <= i; j++)
			L[i * D + j] = alpha * H[i * D + j] + (i == j ? lambda[i] : 0);
	if (!rs_chol_factor(L, D, RS_CHOL_RECIP))
		return 0;
	/* L y = rhs, then L^T out = y + z: the mean L^-T y plus the noise L^-T z */
	for (int i = 0; i < D; i++) {
		double s = b[i];
		for (int j = 0; j < D; j++)
			s += H[i * D + j] * theta[j];
		out[i] = alpha * s + lambda[i] * mu[i];
	}
	rs_chol_forward(L, D, RS_CHOL_RECIP, out);
	double *z = L + (size_t)D * D;
	rs_rng_normals(rng, z, D);
	for (int i = 0; i < D; i++)
		out[i] += z[i];
	rs_chol_back(L, D, RS_CHOL_RECIP, out);
	return 1;
}

void rs_mcmc_prior(const float *v, size_t n, size_t stride, double *mu, double *lambda,
		   rs_rng *rng)
{
	double sum = 0, ss = *mu * *mu;   /* gamma0 (mu - mu0)^2 */
	for (size_t i = 0; i < n; i++) {
		double x = v[i * stride];
		sum += x;
		ss += (x - *mu) * (x - *mu);
	}
	*lambda = rs_rng_gamma(rng, 1.0 + 0.5 * ((double)n + 1.0), 1.0 + 0.5 * ss);
	double prec = ((double)n + 1.0) * *lambda;
	*mu = sum / ((double)n + 1.0) + rs_rng_normal(rng) / sqrt(prec);
}

double rs_mcmc_latent(double yhat, int click, rs_rng *rng)
{
	return click ? yhat + rs_rng_normal_above(rng, -yhat) : yhat - rs_rng_normal_above(rng, yhat);
}

