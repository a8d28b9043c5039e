/* conjugate.c: the closed-form conditional draws of the Gibbs sampler
 * (conjugate.h). */
#include "conjugate.h"

#include <math.h>

double rs_mcmc_draw(double alpha, double sum_h2, double sum_eh, double theta, double mu,
		    double lambda, rs_rng *rng)
{
	double prec = alpha * sum_h2 + lambda;
	double mean = (alpha * (theta * sum_h2 + sum_eh) + mu * lambda) / prec;
	return mean + rs_rng_normal(rng) / sqrt(prec);
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

