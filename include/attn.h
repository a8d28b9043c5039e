/* attn.h: the layers of a self-attention block over sequences of tokens,
 * each a forward and a backward over plain float arrays (the backward
 * accumulates into its parameters' gradients and writes or adds its input's,
 * as each says). Tokens of several sequences lie one after another: rows
 * off[s] .. off[s+1] of a (N, C) array are sequence s, in order, so the
 * token-wise layers (dense_* of nn.h, layer norm) run over all N rows at
 * once and only attention looks at the boundaries. No padding is stored or
 * computed. Each runs on `threads` threads and gives the same bits for any
 * number: a row, a sequence or a parameter's sum is one thread's work, in
 * the order one thread would do it. */
#ifndef RS_ATTN_H
#define RS_ATTN_H

#include <stddef.h>

/* Layer norm of each row: out (N, C) = (x - mean) * rstd * g + b, with each
 * row's mean and 1/sqrt(var + 1e-5) kept in mean (N), rstd (N). */
void layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *g,
		       const float *b, int N, int C, int threads);
/* dx (N, C) += the gradient through the norm; dg, db (C) +=. */
void layernorm_backward(float *dx, float *dg, float *db, const float *dout, const float *x,
			const float *g, const float *mean, const float *rstd, int N, int C, int threads);

/* Causal multi-head attention. qkv (N, 3C): each token's query, key and
 * value, C = H heads of C / H. Token t of a sequence attends to the tokens
 * up to itself: out (N, C) is, per head, sum_u softmax_u(q_t . k_u /
 * sqrt(C / H)) v_u. att keeps the probabilities for the backward: H L x L
 * floats for each sequence of L tokens, sequence s's from aoff[s]
 * (attn_offsets; the lower triangles used). */
void attention_forward(float *out, float *att, const float *qkv, const size_t *off, const size_t *aoff,
		       int S, int C, int H, int threads);
/* dqkv (N, 3C) = the gradient through attention (written, not added). */
void attention_backward(float *dqkv, const float *dout, const float *att, const float *qkv,
			const size_t *off, const size_t *aoff, int S, int C, int H, int threads);
/* aoff (S + 1): where each sequence's probabilities start in att, when
 * aoff is not NULL; returns the floats of att for all S. */
size_t attn_offsets(size_t *aoff, const size_t *off, int S, int H);

#endif
