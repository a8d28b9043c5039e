/* mcmc.h: Bayesian factorization machines by Gibbs sampling (Rendle,
 * "Factorization Machines with libFM", ACM TIST 2012), the kind fm-mcmc.
 *
 * Every parameter theta (w0, each w_j, each V[j,f]) has a normal prior
 * N(mu, 1/lambda) whose mu and lambda belong to its feature's field (one
 * per factor for V) and carry Normal-Gamma hyperpriors; ratings have a
 * Gaussian likelihood with a sampled precision alpha, clicks a probit one
 * through latent targets. A sweep draws alpha, the hyperparameters, w0,
 * then each feature's (w_j, V[j,:]) jointly from their conditional (a
 * (k+1)-variate normal: one pass over the feature's records, where
 * drawing V[j,f] factor by factor took k), keeping the residuals
 * e = y - yhat and every factor's q = sum_j V[j,f] x_j up to date, so a
 * sweep costs O(nonzeros x factors^2) arithmetic over O(nonzeros) rows
 * read (mcmc_chain.h).
 *
 * The model file keeps the posterior exactly as the predictions average
 * it: the mean of S kept samples' scores is an FM whose w0 and w are the
 * samples' means and whose V stacks the samples' V side by side, each
 * scaled by 1/sqrt(S) (sum_s <v_s, v'_s> / S is a dot product of length
 * S k). rs-eval and every scorer read it as an FM of S k factors. */
#ifndef RS_MCMC_H
#define RS_MCMC_H

#include "model.h"
#include "rng.h"

/* --factors of the sampler, whose per-record sums live on the stack. */
#define RS_MCMC_MAX_FACTORS 512

/* The options that only make sense together, checked before any input is
 * read: a burn-in that leaves a sample, factors that fit the sampler. */
void rs_mcmc_check_options(const rs_hparams *hp);

/* Samples the model keeps: (iters - burn_in) / thin, at least 1. */
int rs_mcmc_samples(const rs_hparams *hp);

#endif
