/* kinds.c: the registry of model kinds, by the name a model file gives.
 * Above every kind, so that no kind's module depends on another's. */
#include "kinds.h"
#include "cli.h"

#include <string.h>

enum { MAX_KINDS = 16 };

static const rs_model_ops *kinds[MAX_KINDS] = {&rs_mf_ops, &rs_fm_ops, &rs_deepfm_ops, &rs_als_ops,
					       &rs_fm_mcmc_ops, &rs_sasrec_ops, &rs_ffm_ops};
static int nkinds = 7;

const rs_model_ops *rs_model_kind(const char *kind)
{
	for (int i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->kind, kind))
			return kinds[i];
	return NULL;
}

const rs_model_ops *rs_model_kind_at(int i)
{
	return i >= 0 && i < nkinds ? kinds[i] : NULL;
}

const char *rs_model_ops_check(const rs_model_ops *ops)
{
	if (!ops->kind || !*ops->kind)
		return "a kind needs a name";
	if (!ops->layout || !ops->init || !ops->scratch || !ops->forward)
		return "a kind needs layout, init, scratch and forward";
	if (!(ops->caps & RS_CAP_SGD) != !ops->backward)
		return "a kind trained by the shared loop (RS_CAP_SGD) has a backward, and only it";
	if ((ops->caps & RS_CAP_SGD) && !(ops->caps & RS_CAP_STEPS))
		return "a kind trained by the shared loop takes gradient steps (RS_CAP_STEPS)";
	if (!(ops->caps & (RS_CAP_SGD | RS_CAP_ALS | RS_CAP_MCMC | RS_CAP_ATTN)))
		return "a kind is fitted by the shared loop, ALS, MCMC or attention's method (RS_CAP_*)";
	return NULL;
}

void rs_model_kind_add(const rs_model_ops *ops)
{
	const char *why = rs_model_ops_check(ops);
	if (why)
		rs_die("model kind '%s': %s", ops->kind ? ops->kind : "", why);
	if (rs_model_kind(ops->kind))
		rs_die("model kind '%s' is registered already", ops->kind);
	if (nkinds == MAX_KINDS)
		rs_die("model kind '%s': more than %d kinds", ops->kind, MAX_KINDS);
	kinds[nkinds++] = ops;
}
