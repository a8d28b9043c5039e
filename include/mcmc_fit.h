/* mcmc_fit.h: the Gibbs sampler's iterations (lib/train/mcmc_fit.c), fitting a model of the kind
 * mcmc.h describes. */
#ifndef RS_MCMC_FIT_H
#define RS_MCMC_FIT_H

#include "mcmc.h"
#include "dataset.h"
#include "runlog.h"

void rs_mcmc_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o);

#endif
