/* kinds.c: the registry of model kinds, by the name a model file gives.
 * Above every kind, so that no kind's module depends on another's. */
#include "kinds.h"

#include <string.h>

static const rs_model_ops *kinds[] = {&rs_mf_ops, &rs_fm_ops, &rs_deepfm_ops, &rs_als_ops,
				      &rs_fm_mcmc_ops};

const rs_model_ops *rs_model_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i]->kind, kind))
			return kinds[i];
	return NULL;
}

