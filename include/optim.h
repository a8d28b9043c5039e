/* optim.h: one step over the whole parameter block.
 * Adam follows PyTorch (bias correction; weight decay added to the gradient);
 * RS_ADAMW is PyTorch's AdamW (Loshchilov and Hutter 2019): the decay is
 * taken off the weight, w *= 1 - lr wd, apart from the adaptive step, so
 * that it does not shrink with a row's second moment. Lazy as RS_ADAM: an
 * untouched row of a sparse tensor does not decay.
 * RS_ADAM updates sparse tensors lazily: only rows the batch touched move,
 * and their moments decay only when touched (PyTorch's dense Adam moves every
 * row on every step through its momentum and decay). RS_ADAM_DENSE is
 * PyTorch's semantics exactly, at the cost of a walk over every row. */
#ifndef RS_OPTIM_H
#define RS_OPTIM_H

#include "params.h"

/* The row-wise steps give each row of a tensor (an embedding's row, a
 * bias table's one float) one adaptive scale a step, from the mean square
 * of the row's gradient g (weight decay included), kept as one float a row
 * (row r's at float r of the tensor's v): one square root and one division a row where
 * Adam pays one a float.
 *   RS_ADAGRAD: a += mean(g^2); w -= lr g / (sqrt(a) + eps), a from 0, as
 *     the fused solvers' per-row AdaGrad (mfadagrad.h, fmadagrad.h; under
 *     the pointwise loss the option names those solvers, fit.h);
 *   RS_ADAM_ROW: Adam's first moment a float, its second one a row:
 *     v = b2 v + (1 - b2) mean(g^2); w -= lr_t m / (sqrt(v / bc2) + eps),
 *     lazy as RS_ADAM (only touched rows of a sparse tensor move). */
typedef enum { RS_ADAM, RS_ADAM_DENSE, RS_SGD, RS_ADAGRAD, RS_ADAM_ROW, RS_ADAMW } rs_optimizer;

typedef struct rs_optim {
	rs_optimizer kind;
	float lr, weight_decay;
	float beta1, beta2, eps;
} rs_optim;

void rs_optim_default(rs_optim *o, rs_optimizer kind, float lr, float weight_decay);
/* Apply the gradients, then zero them (only the rows that were used). */
void rs_optim_step(const rs_optim *o, rs_params *p);
/* The same step, each tensor's rows shared among threads: the same bits
 * for any number. For a step over a whole table (a full softmax's item
 * table, a transformer's blocks), which one thread would take alone. */
void rs_optim_step_threads(const rs_optim *o, rs_params *p, int threads);
/* RS_ADAGRAD's step of rows[0..n) of tensor t, each by its gradient in
 * hand (g: n rows of the tensor's width) rather than in the gradient
 * block: a fused kernel's (ctxtrain.h), which steps a row while it is in
 * cache. The bits of rs_optim_step for a row one gradient moved. */
void rs_optim_rows(const rs_optim *o, rs_params *p, int t, const uint32_t *rows, const float *g, int n);
/* How options and model files spell each rs_optimizer. */
extern const char *const rs_optimizer_names[6];

#endif
