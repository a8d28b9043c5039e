/* mcmc_chain.h: the chain of the Gibbs sampler of Bayesian FMs (mcmc.h)
 * over a stream's train records: the parameters, residuals e = y - yhat
 * and per factor q = sum_j V[j,f] x_j, kept up to date by each draw.
 * Its files are lib/train/mcmc_*.c: the state (mcmc_chain.c), a sweep's
 * draws (mcmc_draws.c), the joint draws (mcmc_joint.c) on threads
 * (mcmc_plan.c) and their kernels (mcmc_kernels.c), the blocks
 * (mcmc_blocks.c), the score (mcmc_score.c). */
#ifndef RS_MCMC_CHAIN_H
#define RS_MCMC_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "model.h"
#include "rng.h"

/* How a chain draws (rs_chain_init's scan): fm-train's chain is
 * RS_CHAIN_BLOCKS | RS_CHAIN_JOINT; without either, the reference the
 * tests hold it to.
 *   RS_CHAIN_BLOCKS  The fields ml-onehot --implicit ends the layout with,
 *                    implicit (the user's train items) and raters (the
 *                    item's train users), are drawn by block: their
 *                    features are the same for every record of a user (an
 *                    item), so their sums over records come from per-user
 *                    (per-item) sums kept up to date, and a sweep costs
 *                    O(their nonzeros per user or item), not per record.
 *                    Without it they are drawn as plain features.
 *   RS_CHAIN_JOINT   The features before the blocks draw their weight and
 *                    k factors jointly (rs_mcmc_draw_joint: one pass over
 *                    a feature's records for all k + 1, each record's
 *                    residual and q's side by side), on threads: a field's
 *                    features when no two of them share a record, and a
 *                    large feature's pieces of records (joint_plan).
 *                    Without it they are drawn one parameter at a time
 *                    (w_j, then V[j,f] factor by factor) on one thread. */
enum { RS_CHAIN_BLOCKS = 1, RS_CHAIN_JOINT = 2 };

/* The sampler's state over the train records r = 0..n-1 (rec[r] in d,
 * ordered by user). */
typedef struct rs_chain {
	const rs_dataset *d;
	size_t n;
	uint32_t *rec;
	float *label;        /* (n) the rating, or the click 0/1 */
	float *y;            /* (n) the target: the rating, or the latent z */
	float *eq;           /* (n, S) each record's q = sum_j V[j,f] x_j of every
				factor, padded with zeros to Kp, then its residual
				e = y - yhat: a draw reads a record's row, one
				cache line for k <= 8 */
	int Kp, S;           /* k rounded up to 8; Kp + 1 rounded up to 16 */
	int threads;
	int scan;            /* RS_CHAIN_BLOCKS, RS_CHAIN_JOINT */
	struct joint_work *work;   /* (threads) the joint draws' scratch */
	uint8_t *single;     /* (G) no two of the field's features share a record */
	struct joint_plan {  /* the joint draws' work in groups of three steps */
		uint32_t ngroups;
		size_t *count;            /* (3 ngroups) the work items of each step */
		size_t *soff, *loff, *poff;   /* (ngroups + 1) each group's first small
					     feature, large feature and piece */
		uint8_t *serial;          /* (ngroups) its small features share records:
					     one thread draws them in order */
		uint32_t *small, *large;  /* features drawn whole; from pieces */
		size_t *lfirst;           /* (large + 1) each large feature's first piece */
		uint32_t *pfeat, *pslot;  /* (pieces) a piece's feature, and its index in large */
		size_t *pa, *pb;          /* the piece's records [pa, pb) of the feature's column */
		double *buf;              /* (a group's pieces, (k+1)^2 + k + 1) their sums */
		float *stage;             /* (large, 2 Kp + 2) their draws: new v, dv, dw, new w */
	} plan;
	uint8_t *ones;       /* (N) the feature's train values are all 1 */
	size_t *coff;        /* (N + 1) each feature's train records: */
	uint32_t *crow;      /* (nnz) their r */
	float *cval;         /* (nnz) and x value */
	int *group;          /* (N) the feature's field */
	uint32_t *goff;      /* (G + 1) each field's first feature */
	int ngroups, k;
	uint32_t N;
	double w0, alpha;
	float *w, *V;        /* (N), (N, k) */
	double *mu_w, *lam_w, *mu_v, *lam_v;   /* (G), (G), (G, k), (G, k) */
	uint32_t io;         /* features from here on are the blocks' (below), drawn
				by user or item; N when there are none */
	int nblocks;
	struct block {       /* a field that is a function of the user (implicit) or of
				the item (raters): every record of a key has the same
				features in it */
		uint32_t lo, hi;     /* its features [lo, hi) */
		const uint32_t *key; /* (d->n) each record's key: d->user or d->item */
		uint32_t U;          /* keys */
		size_t *roff;        /* (U + 1) each key's train records r: */
		uint32_t *rrec;      /* (n) */
		size_t *noff;        /* (U + 1) the features of the key's field: */
		uint32_t *nfeat;     /* their indices */
		float *x;            /* (U) and their value, 1/sqrt(n) */
		size_t *loff;        /* (hi - lo + 1) each feature's keys: */
		uint32_t *lkey;
		double *A, *B, *C, *D, *P, *Q;   /* (U) sums over the key's records */
		double *lin, *s, *sq;  /* (U), (U, k), (U): the field's share of a score */
	} blk[2];
} rs_chain;

/* mcmc_chain.c: the chain for m's layout over d's train records,
 * parameters drawn from their priors, drawing as scan says. */
void rs_chain_init(rs_chain *c, const rs_model *m, const rs_dataset *d, const uint32_t *train,
		   size_t ntrain, int threads, int scan, rs_rng *rng);
void rs_chain_free(rs_chain *c);
/* Train record r's residual. */
static inline float rs_chain_residual(const rs_chain *c, size_t r)
{
	return c->eq[r * (size_t)c->S + (size_t)c->Kp];
}
/* mcmc_blocks.c: the blocks' per-key shares of a score, for rs_chain_score. */
void rs_chain_block_terms(rs_chain *c);
/* mcmc_score.c: yhat of record r of d under the current parameters; s
 * (k) is scratch. */
double rs_chain_score(const rs_chain *c, const rs_dataset *d, size_t r, double *s);
/* mcmc_chain.c: every residual and every factor's q recomputed from the
 * parameters; the draws keep them up to date after. */
void rs_chain_residuals(rs_chain *c, double *s);
/* mcmc_draws.c: one sweep's draws: the probit latent targets (clicks),
 * the noise precision and priors, then w0, every w_j and every V[j,f]. */
void rs_chain_draw_latent(rs_chain *c, rs_rng *rng);
void rs_chain_draw_hyper(rs_chain *c, int click, rs_rng *rng);
void rs_chain_draw_params(rs_chain *c, rs_rng *rng);

#endif
