/* optim.h: one step over the whole parameter block.
 * Adam follows PyTorch (bias correction; weight decay added to the gradient).
 * RS_ADAM updates sparse tensors lazily: only rows the batch touched move,
 * and their moments decay only when touched (PyTorch's dense Adam moves every
 * row on every step through its momentum and decay). RS_ADAM_DENSE is
 * PyTorch's semantics exactly, at the cost of a walk over every row. */
#ifndef RS_OPTIM_H
#define RS_OPTIM_H

#include "params.h"

/* RS_ADAGRAD is not a step over the block: it names the fused per-record
 * solvers (mfadagrad.h, fmadagrad.h), which update rows in place record by
 * record; rs_optim_default refuses it. */
typedef enum { RS_ADAM, RS_ADAM_DENSE, RS_SGD, RS_ADAGRAD } rs_optimizer;

typedef struct rs_optim {
	rs_optimizer kind;
	float lr, weight_decay;
	float beta1, beta2, eps;
} rs_optim;

void rs_optim_default(rs_optim *o, rs_optimizer kind, float lr, float weight_decay);
/* Apply the gradients, then zero them (only the rows that were used). */
void rs_optim_step(const rs_optim *o, rs_params *p);
/* How options and model files spell each rs_optimizer. */
extern const char *const rs_optimizer_names[4];

#endif
