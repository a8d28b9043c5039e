/* fm.h: the factorization-machine part, shared by FM and DeepFM.
 * y = w0 + sum_j w[x_j] v_j + 1/2 sum_f ((sum_j V[x_j,f] v_j)^2 - sum_j V[x_j,f]^2 v_j^2),
 * in O(k * nnz) by the sum-square identity. A feature's linear weight w is
 * the last column of its row of V, (N, k+1), as MF keeps its biases: a
 * touched feature is one row for the optimizer, not two. */
#ifndef RS_FM_H
#define RS_FM_H

#include "model.h"

enum { FM_W0, FM_V, FM_NTENSORS };   /* the first tensors of both models */

void fm_layout_part(rs_model *m);
void fm_init_part(rs_model *m, rs_rng *rng);
/* out (B) = the FM score; sums (B, k) keeps sum_j V[x_j] v_j for backward. */
void fm_forward_part(const rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		     float *out, float *sums);
void fm_backward_part(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
		      const float *dout, const float *sums);

/* The FM kind's own (fm-mcmc scores as an FM whose rows are its samples). */
size_t fm_scratch(const rs_model *m, int B);
void fm_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
		rs_rng *rng);

#endif
