/* params.h: every trainable tensor of a model in one block. Gradients and
 * Adam's moments are parallel blocks with the same layout, so the optimizer
 * is one walk over a table of named slices. */
#ifndef RS_PARAMS_H
#define RS_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* The most a model declares: DeepFM's w0 and V, then a weight and a bias
 * for each of RS_MAX_MLP hidden layers and the output (model.h checks). */
#define RS_MAX_TENSORS 20

typedef struct rs_tensor {
	char name[24];
	size_t off;          /* first float of the tensor in the block */
	uint32_t rows, cols;
	int sparse;          /* embedding table: only rows a batch touches are updated */
	uint32_t *touched;   /* (rows) rows touched by the current batch */
	uint32_t ntouched;
	uint32_t *stamp;     /* (rows) step + 1 of the last touch */
} rs_tensor;

typedef struct rs_params {
	rs_tensor t[RS_MAX_TENSORS];
	int n;
	size_t size;         /* floats in the block */
	float *w;            /* (size) weights */
	float *g;            /* (size) gradients; NULL until training */
	float *m, *v;        /* (size) Adam's moments; NULL until training */
	uint32_t step;       /* optimizer steps taken */
} rs_params;

/* Declare a tensor; returns its index. Call before rs_params_alloc. */
int rs_params_add(rs_params *p, const char *name, uint32_t rows, uint32_t cols, int sparse);
void rs_params_alloc(rs_params *p);
/* Training memory (gradients, moments, touch lists), allocated on first use. */
void rs_params_alloc_training(rs_params *p);
/* Gradients, moments and touched rows back to their state before any step. */
void rs_params_reset_training(rs_params *p);
void rs_params_free(rs_params *p);
static inline float *rs_w(const rs_params *p, int t) { return p->w + p->t[t].off; }
static inline float *rs_g(const rs_params *p, int t) { return p->g + p->t[t].off; }
/* Record that the batch touched row r of sparse tensor t. */
static inline void rs_touch(rs_params *p, int t, uint32_t r)
{
	rs_tensor *x = &p->t[t];
	if (x->stamp[r] != p->step + 1) {
		x->stamp[r] = p->step + 1;
		x->touched[x->ntouched++] = r;
	}
}

/* Initializers. */
void rs_init_normal(float *w, size_t n, double std, rs_rng *rng);
/* Glorot/Xavier: uniform in +-sqrt(6/(fan_in+fan_out)), or normal with std
 * sqrt(2/(fan_in+fan_out)). */
void rs_init_xavier_uniform(float *w, size_t n, int fan_in, int fan_out, rs_rng *rng);
void rs_init_xavier_normal(float *w, size_t n, int fan_in, int fan_out, rs_rng *rng);

#endif
