/* fit_fused.c: the fused per-record solvers' methods (fit.h), under
 * --optimizer adagrad for a kind whose ops name one (model.h's fused):
 * MF's over a grid of blocks on --threads (mfadagrad.h), FM's on one
 * thread (fmadagrad.h), FFM's lock-free on --threads (ffmadagrad.h). None
 * keeps gradients or moments. */
#include "fit.h"
#include "ffmadagrad.h"
#include "fmadagrad.h"
#include "mfadagrad.h"

#include <stddef.h>

static int pointwise_adagrad(const rs_model_ops *ops, const rs_hparams *hp, int fused)
{
	return ops->fused == fused && hp->optimizer == RS_ADAGRAD && !rs_loss_ranks(hp->loss);
}

static int mf_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return pointwise_adagrad(ops, hp, RS_FUSED_MF);
}

static void mf_init(void *s, rs_fit_run *f)
{
	(void)s, (void)f;   /* laid out at the first epoch, once MPI's shares are drawn */
}

static double mf_epoch(void *s, rs_fit_run *f)
{
	if (f->epoch == 1)   /* this rank's share, laid out once */
		rs_mf_adagrad_init(s, f->m, f->d, f->train + f->lo, f->hi - f->lo, f->m->hp.seed);
	return rs_mf_adagrad_epoch(s, f->m, f->threads);
}

static void mf_free(void *s) { rs_mf_adagrad_free(s); }

/* MF's solver shuffles its own blocks: its records are shuffled once,
 * into the ranks' shares */
const rs_fit_method rs_fit_mf_adagrad = {
	.name = "mf-adagrad",
	.flags = RS_FIT_VALID | RS_FIT_SHARES | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_ANY_THREADS |
		 RS_FIT_RANGE,
	.remedy = "--lr",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = mf_applies,
	.state = sizeof(rs_mf_adagrad),
	.init = mf_init,
	.epoch = mf_epoch,
	.free = mf_free,
};

static int fm_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return pointwise_adagrad(ops, hp, RS_FUSED_FM);
}

static void fm_init(void *s, rs_fit_run *f) { rs_fm_adagrad_init(s, f->m); }

static double fm_epoch(void *s, rs_fit_run *f)
{
	return rs_fm_adagrad_epoch(s, f->m, f->d, f->train + f->lo, f->hi - f->lo);
}

static void fm_free(void *s) { rs_fm_adagrad_free(s); }

/* side fields make records share rows: one thread, the epoch's shuffle */
const rs_fit_method rs_fit_fm_adagrad = {
	.name = "fm-adagrad",
	.flags = RS_FIT_VALID | RS_FIT_SHUFFLE | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_RANGE,
	.remedy = "--lr",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = fm_applies,
	.state = sizeof(rs_fm_adagrad),
	.init = fm_init,
	.epoch = fm_epoch,
	.free = fm_free,
};

static int ffm_applies(const rs_model_ops *ops, const rs_hparams *hp)
{
	return pointwise_adagrad(ops, hp, RS_FUSED_FFM);
}

/* Divergence: an epoch's mean loss against the untrained model's on the
 * first train records (rs_fit_diverged) */
enum { FFM_FIRST = 1024 };

static void ffm_init(void *s, rs_fit_run *f)
{
	rs_ffm_adagrad *st = s;
	size_t n = f->ntrain < FFM_FIRST ? f->ntrain : FFM_FIRST;
	rs_ffm_adagrad_init(st, f->m, f->d, f->threads);
	st->first = n ? rs_ffm_adagrad_loss(st, f->m, f->d, f->train, n) / (double)n : 0;
}

static double ffm_epoch(void *s, rs_fit_run *f)
{
	rs_ffm_adagrad *st = s;
	size_t n = f->hi - f->lo;
	double loss = rs_ffm_adagrad_epoch(st, f->m, f->d, f->train + f->lo, n);
	if (n && rs_fit_diverged(loss / (double)n, st->first))
		f->diverged = 1, f->bad = loss / (double)n;
	return loss;
}

static void ffm_free(void *s) { rs_ffm_adagrad_free(s); }

/* the epoch's shuffle cut into --threads runs stepping one model with no
 * lock: the same model for a seed on one thread only */
const rs_fit_method rs_fit_ffm_adagrad = {
	.name = "ffm-adagrad",
	.flags = RS_FIT_VALID | RS_FIT_SHUFFLE | RS_FIT_AVERAGE | RS_FIT_MPI | RS_FIT_RANGE,
	.remedy = "--lr",
	.threads_help = "threads (default 1) stepping one model without locks, each on its runs of "
			"every epoch's records (libffm's scheme): the same model for the same seed on "
			"one thread only",
	.lower = 1,
	.remedy_at = offsetof(rs_hparams, lr),
	.applies = ffm_applies,
	.state = sizeof(rs_ffm_adagrad),
	.init = ffm_init,
	.epoch = ffm_epoch,
	.free = ffm_free,
};
