/* mcmc_conjugate.h: the conditional draws of a Bayesian FM's Gibbs sampler
 * (mcmc.h), each in closed form: a parameter's normal, a prior's
 * Normal-Gamma, a probit latent target. */
#ifndef RS_MCMC_CONJUGATE_H
#define RS_MCMC_CONJUGATE_H

#include <stddef.h>

#include "rng.h"

/* The conditional of one parameter theta of the model, with h(x) the
 * derivative of yhat(x) by theta over the records that use it:
 * precision alpha sum h^2 + lambda, mean (alpha (theta sum h^2 + sum e h)
 * + mu lambda) / precision, where e are the residuals at theta. A draw. */
double rs_mcmc_draw(double alpha, double sum_h2, double sum_eh, double theta, double mu,
		    double lambda, rs_rng *rng);
/* The same for D parameters theta drawn jointly (a feature's weight and
 * its k factors, D = k + 1), with h (D) the derivatives over the records
 * that use them: H = sum h h^T and b = sum e h (D x D row-major, D) at
 * theta. Precision P = alpha H + diag(lambda), mean
 * P^-1 (alpha (H theta + b) + lambda mu); the draw is that mean plus
 * L^-T z for P = L L^T (linalg.h) and z ~ N(0, I) (D normals from rng).
 * L ((D + 1) x D) is scratch. Returns 0, drawing nothing, when P is not numerically
 * positive definite. */
int rs_mcmc_draw_joint(int D, double alpha, const double *H, const double *b, const double *theta,
		       const double *mu, const double *lambda, double *L, double *out, rs_rng *rng);
/* The Normal-Gamma step of one prior over values v[0..n) (stride apart):
 * lambda ~ Gamma(a0 + (n + 1) / 2, b0 + (gamma0 (mu - mu0)^2 + sum (v - mu)^2) / 2)
 * at the current mu, then mu ~ N((sum v + gamma0 mu0) / (n + gamma0),
 * 1 / ((n + gamma0) lambda)), with a0 = b0 = gamma0 = 1, mu0 = 0. */
void rs_mcmc_prior(const float *v, size_t n, size_t stride, double *mu, double *lambda,
		   rs_rng *rng);

/* Probit's latent target: z ~ N(yhat, 1) cut to z > 0 for a click, to
 * z <= 0 otherwise. */
double rs_mcmc_latent(double yhat, int click, rs_rng *rng);

#endif
