/* mcmc.c: the kind fm-mcmc (mcmc.h): its options, the samples it keeps,
 * and its ops. */
#include "mcmc.h"
#include "cli.h"
#include "fm.h"

void rs_mcmc_check_options(const rs_hparams *hp)
{
	if (hp->burn_in >= hp->iters)
		rs_usage_error("--burn-in %d leaves no sample of --iters %d", hp->burn_in, hp->iters);
	if (hp->factors > RS_MCMC_MAX_FACTORS)
		rs_usage_error("option --factors: at most %d with --method mcmc", RS_MCMC_MAX_FACTORS);
}

/* Every thin-th iteration after the burn-in, counted back from the last,
 * so that the last is always one: at least one sample. */
int rs_mcmc_samples(const rs_hparams *hp)
{
	return (hp->iters - hp->burn_in + hp->thin - 1) / hp->thin;
}

static int mcmc_width(const rs_hparams *hp) { return hp->factors * rs_mcmc_samples(hp); }

static void mcmc_layout(rs_model *m) { fm_layout_part(m); }
static void mcmc_init(rs_model *m, rs_rng *rng) { (void)m, (void)rng; }   /* the sampler fills it */

/* sampled, never stepped: no gradient */
const rs_model_ops rs_fm_mcmc_ops = {
	.kind = "fm-mcmc",
	.layout = mcmc_layout,
	.init = mcmc_init,
	.scratch = fm_scratch,
	.forward = fm_forward,
	.features = 1,
	.caps = RS_CAP_MCMC | RS_CAP_ITERS,
	.width = mcmc_width,
};
