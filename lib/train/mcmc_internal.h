/* mcmc_internal.h: what the chain's files (lib/train/mcmc_chain.c,
 * mcmc_blocks.c, mcmc_plan.c, mcmc_draws.c, mcmc_joint.c, mcmc_kernels.c,
 * mcmc_score.c) share and nothing else includes: the rows' accessors,
 * the joint draws' sizes, scratch and vectors, and the functions one of
 * them calls in another. */
#ifndef RS_MCMC_INTERNAL_H
#define RS_MCMC_INTERNAL_H

#include <string.h>

#include "mcmc.h"
#include "mcmc_chain.h"

/* The joint draws' sums: floats over runs of JOINT_RUN records, and a
 * feature of more than JOINT_PIECE records in pieces of that many, whose
 * sums threads take apart and add in order (the same on any number). */
enum { JOINT_RUN = 256, JOINT_PIECE = 16 * JOINT_RUN };

/* Train record r's row of c->eq, its residual, and its q of factor f
 * (a chain c in scope). */
#define ROW(r) (c->eq + (size_t)(r) * c->S)
#define E(r) ROW(r)[c->Kp]
#define QF(r, f) ROW(r)[f]

/* The value of d's nonzero j. */
static inline float xval(const rs_dataset *d, size_t j) { return d->xv ? d->xv[j] : 1.0f; }

/* A thread's scratch for the joint draws of D = k + 1 parameters. */
struct joint_work {
	double *H, *b, *L, *theta, *mu, *lam, *out;   /* (D, D) and (D) side by side, (D + 1, D), (D) x 4 */
	float *Hf, *th, *dth;                         /* (k, Kp): sums past 16 factors; (Kp) x 2 */
};

/* The joint draws' kernels work on a row's q, and on the factors, as
 * vectors of 8 floats: GCC's vector extension, whose element-wise
 * arithmetic gives the same bits in the AVX2 build and the baseline's. */
typedef float v8 __attribute__((vector_size(32)));
enum { JOINT_MAX_CHUNKS = RS_MCMC_MAX_FACTORS / 8 };
/* (macros: a function taking or returning one changes the baseline's ABI) */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8))
/* a vector's lanes summed in one fixed order */
#define SUM8(v) ((((v)[0] + (v)[1]) + ((v)[2] + (v)[3])) + (((v)[4] + (v)[5]) + ((v)[6] + (v)[7])))

/* mcmc_blocks.c: a block's structures over the chain's records (name:
 * its field's, for the message when a key's records differ in it), made
 * and freed; the draws of its weights, and of its factor f's column. */
void rs_chain_block_init(rs_chain *c, struct block *bk, const rs_dataset *d, const char *name);
void rs_chain_block_free(struct block *bk);
void rs_chain_draw_block_w(rs_chain *c, struct block *bk, rs_rng *rng);
void rs_chain_draw_block_v(rs_chain *c, struct block *bk, int f, rs_rng *rng);

/* mcmc_plan.c: a thread's scratch, made and freed; the plan of the joint
 * draws over the chain's features, made (once the chain's transpose and
 * groups are) and freed. */
void rs_chain_work_init(struct joint_work *w, int k, int Kp);
void rs_chain_work_free(struct joint_work *w);
void rs_chain_plan_init(rs_chain *c);
void rs_chain_plan_free(struct joint_plan *p);

/* mcmc_joint.c: the joint draws of every feature before the blocks, each
 * from the normals of its own stream (key and the feature). */
void rs_chain_draw_joint(rs_chain *c, uint64_t key);

/* mcmc_kernels.c: a feature's joint sums over its column's records
 * [a, b) added into H ((k+1) x (k+1), then the k + 1 of b), at its
 * factors v (padded with zeros to Kp); scratch (k, Kp) past 16 factors.
 * Then the rows of those records moved by the draw's steps dv (Kp) and
 * dw, at the old v. */
void rs_chain_joint_sums(const float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			 size_t b, const float *v, int k, double *H, float *scratch);
void rs_chain_joint_apply(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			  size_t b, const float *v, const float *dv, float dw, int k);

#endif
