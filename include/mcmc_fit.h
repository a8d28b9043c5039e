/* mcmc_fit.h: the Gibbs sampler's iterations (lib/train/mcmc_fit.c), fitting a model of the kind
 * mcmc.h describes. */
#ifndef RS_MCMC_FIT_H
#define RS_MCMC_FIT_H

#include "mcmc.h"
#include "dataset.h"
#include "mcmc_chain.h"
#include "runlog.h"

void rs_mcmc_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o);
/* The same with the chain's scan (RS_CHAIN_*, mcmc_chain.h): rs_mcmc_fit's
 * is RS_CHAIN_BLOCKS | RS_CHAIN_JOINT; the tests hold it to the others. */
void rs_mcmc_fit_scan(rs_model *m, rs_dataset *d, const rs_train_opts *o, int scan);

#endif
