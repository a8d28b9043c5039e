/* mcmc_joint.c: the chain's joint draws of each feature's weight and
 * factors (RS_CHAIN_JOINT, mcmc_chain.h) on threads, by the plan of
 * mcmc_plan.c, over the sums of mcmc_kernels.c. */
#include "mcmc_internal.h"
#include "cli.h"
#include "mcmc_conjugate.h"
#include "parallel.h"

#include <string.h>

/* Feature j's draw from its sums H, b (in w): the normals of its own
 * stream (the sweep's key and j), so the same draw on any thread; the new
 * weight and factors in w->out, their steps in *dw and dth. */
static void draw_from_sums(rs_chain *c, uint32_t j, uint64_t key, struct joint_work *w,
			   const float *th, float *dw, float *dth)
{
	int k = c->k, D = k + 1, g = c->group[j];
	for (int p = 0; p < D; p++) {
		w->theta[p] = p ? th[p - 1] : c->w[j];
		w->mu[p] = p ? c->mu_v[(size_t)g * k + p - 1] : c->mu_w[g];
		w->lam[p] = p ? c->lam_v[(size_t)g * k + p - 1] : c->lam_w[g];
	}
	/* not key + j times splitmix64's own increment, which rs_rng_seed
	 * steps by: features side by side would share state words */
	rs_rng rng;
	rs_rng_seed(&rng, key ^ (0xD1B54A32D192ED03ull * (j + 1)));
	if (!rs_mcmc_draw_joint(D, c->alpha, w->H, w->b, w->theta, w->mu, w->lam, w->L, w->out, &rng))
		rs_die("sampling diverged at feature %u (try a lower --init-std); nothing written", j);
	*dw = (float)w->out[0] - c->w[j];
	for (int f = 0; f < k; f++)
		dth[f] = (float)w->out[1 + f] - th[f];
}

/* A feature of one piece, whole: its sums, its draw, its records' rows,
 * its new weight and factors. */
static void draw_whole(rs_chain *c, uint32_t j, uint64_t key, struct joint_work *w)
{
	int k = c->k, D = k + 1;
	float *v = c->V + (size_t)j * k, dw;
	memcpy(w->th, v, (size_t)k * sizeof *v);   /* padded with zeros to Kp */
	size_t a = c->coff[j], b = c->coff[j + 1];
	memset(w->H, 0, (size_t)(D * D + D) * sizeof *w->H);   /* H, then b */
	rs_chain_joint_sums(c->eq, c->S, c->crow, c->cval, a, b, w->th, k, w->H, w->Hf);
	draw_from_sums(c, j, key, w, w->th, &dw, w->dth);
	rs_chain_joint_apply(c->eq, c->S, c->crow, c->cval, a, b, w->th, w->dth, dw, k);
	c->w[j] = (float)w->out[0];
	for (int f = 0; f < k; f++)
		v[f] = (float)w->out[1 + f];
}

/* The joint draws' work, in the same pieces on any number of threads
 * (rs_chain_plan_init): each group of features no two of which share a record
 * (a one-hot field; one feature of any other) takes three steps: the
 * features of one piece whole, and the piece sums of the others; their
 * draws from their pieces' sums added in order; their pieces' rows. */
typedef struct joint_job {
	rs_chain *c;
	uint64_t key;
} joint_job;

static void sweep_step(void *ctx, size_t step, size_t lo, size_t hi, int t)
{
	joint_job *jb = ctx;
	rs_chain *c = jb->c;
	struct joint_plan *p = &c->plan;
	struct joint_work *w = &c->work[t];
	size_t g = step / 3, D = (size_t)c->k + 1, PS = D * D + D, SS = 2 * (size_t)c->Kp + 2;
	size_t s0 = p->soff[g], ns = p->soff[g + 1] - s0, l0 = p->loff[g], nl = p->loff[g + 1] - l0;
	size_t p0 = p->poff[g], np = p->poff[g + 1] - p0;
	size_t items = p->serial[g] ? ns > 0 : ns;   /* a serial group's smalls: one item, in order */
	for (size_t i = lo; i < hi; i++) {
		if (step % 3 == 0 && i < items) {
			for (size_t e = p->serial[g] ? 0 : i; e < (p->serial[g] ? ns : i + 1); e++)
				draw_whole(c, p->small[s0 + e], jb->key, w);
		} else if (step % 3 == 0 && i - items < np) {   /* a piece's sums, into its slot */
			size_t q = p0 + i - items;
			double *out = p->buf + (i - items) * PS;
			memcpy(w->th, c->V + (size_t)p->pfeat[q] * c->k, (size_t)c->k * sizeof *w->th);
			memset(out, 0, PS * sizeof *out);
			rs_chain_joint_sums(c->eq, c->S, c->crow, c->cval, p->pa[q], p->pb[q], w->th, c->k, out,
					    w->Hf);
		} else if (step % 3 == 1 && i < nl) {   /* a feature's draw from its pieces */
			uint32_t j = p->large[l0 + i];
			float *st = p->stage + (l0 + i) * SS;   /* new v, dv (Kp each), dw, new w */
			memset(w->H, 0, PS * sizeof *w->H);
			for (size_t q = p->lfirst[l0 + i]; q < p->lfirst[l0 + i + 1]; q++)
				for (size_t e = 0; e < PS; e++)
					w->H[e] += p->buf[(q - p0) * PS + e];
			draw_from_sums(c, j, jb->key, w, c->V + (size_t)j * c->k, &st[2 * c->Kp], st + c->Kp);
			st[2 * c->Kp + 1] = (float)w->out[0];
			for (int f = 0; f < c->k; f++)
				st[f] = (float)w->out[1 + f];
		} else if (step % 3 == 2 && i < np) {   /* a piece's rows */
			size_t q = p0 + i;
			const float *st = p->stage + (size_t)p->pslot[q] * SS;
			memcpy(w->th, c->V + (size_t)p->pfeat[q] * c->k, (size_t)c->k * sizeof *w->th);
			rs_chain_joint_apply(c->eq, c->S, c->crow, c->cval, p->pa[q], p->pb[q], w->th,
					     st + c->Kp, st[2 * c->Kp], c->k);
		}
	}
}

void rs_chain_draw_joint(rs_chain *c, uint64_t key)
{
	int k = c->k;
	joint_job jb = {.c = c, .key = key};
	struct joint_plan *p = &c->plan;
	rs_parallel_stepsv(3 * (size_t)p->ngroups, p->count, 1, c->threads, sweep_step, &jb);
	/* the drawn features' new weights and factors, read as they were until here */
	size_t SS = 2 * (size_t)c->Kp + 2;
	for (size_t i = 0; i < p->loff[p->ngroups]; i++) {
		const float *st = p->stage + i * SS;
		c->w[p->large[i]] = st[2 * c->Kp + 1];
		memcpy(c->V + (size_t)p->large[i] * k, st, (size_t)k * sizeof *st);
	}
}
