/* nn.h: layers as paired forward/backward functions over plain float arrays,
 * in the manner of llm.c. Outputs first, then inputs, then sizes. Backward
 * functions accumulate (+=) into parameter gradients, which callers zero,
 * and write (=) the gradient of their input. Shapes are given as (rows,
 * cols), row-major. W and every buffer passed as `in` or `dout` need
 * RS_GEMM_SLACK readable floats after their end (gemm.h). */
#ifndef RS_NN_H
#define RS_NN_H

#include <math.h>
#include <stdint.h>

#include "rng.h"

/* a . b over n floats with eight explicit partial sums: the compiler can
 * vectorize it without reassociating float additions (no -ffast-math). */
static inline float rs_dot(const float *a, const float *b, int n)
{
	float acc[8] = {0};
	int i = 0;
	for (; i + 8 <= n; i += 8)
		for (int l = 0; l < 8; l++)
			acc[l] += a[i + l] * b[i + l];
	float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
	for (; i < n; i++)
		s += a[i] * b[i];
	return s;
}

/* out (B, O) = in (B, I) W + bias; W (I, O), bias (O); the products on
 * threads (the same bits for any number: gemm.h). */
void dense_forward(float *out, const float *in, const float *W, const float *bias, int B, int I, int O,
		   int threads);
/* din (B, I) may be NULL (first layer); wt (O, I) is scratch for W^T. */
void dense_backward(float *din, float *dW, float *dbias, const float *dout, const float *in,
		    const float *W, float *wt, int B, int I, int O, int threads);

void relu_forward(float *out, const float *in, int N);
/* Gradient passes where the forward output was positive. */
void relu_backward(float *restrict din, const float *restrict dout, const float *restrict out, int N);

/* Inverted dropout: mask (N) holds 0 or 1/(1-p); p = 0 copies. */
void dropout_forward(float *out, float *mask, const float *in, int N, float p, rs_rng *rng);
void dropout_backward(float *restrict din, const float *restrict dout, const float *restrict mask, int N);

static inline float sigmoidf_(float x)
{
	return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
}

/* One prediction's loss, and its derivative in the prediction into *d:
 * the terms the batch losses below average (inline, for the fused
 * solvers' batches of one). Squared: 0.5 (pred - y)^2, in double. */
static inline double mse_term(float *d, float pred, float y)
{
	double e = (double)pred - y;
	*d = pred - y;
	return 0.5 * e * e;
}

/* Logistic, of a logit z against a label y of 0 or 1: log(1 + e^z) - y z,
 * without overflow for large |z|, in float, where log(1 + e) loses only
 * e < 6e-8 against log1p (double's exp and log1p, or log1pf, cost a tenth
 * of fm-train); *d = sigmoid(z) - y. */
static inline float bce_logits_term(float *d, float z, float y)
{
	*d = sigmoidf_(z) - y;
	return fmaxf(z, 0.0f) + logf(1.0f + expf(-fabsf(z))) - y * z;
}

/* Mean over B of 0.5 (pred - y)^2; the backward writes dpred = (pred - y) / B. */
double mse_forward(const float *pred, const float *y, int B);
void mse_backward(float *dpred, const float *pred, const float *y, int B);
/* Mean over B of the binary cross-entropy of logits against labels 0/1,
 * computed stably; the backward writes dlogit = (sigmoid(logit) - y) / B. */
double bce_logits_forward(const float *logit, const float *y, int B);
void bce_logits_backward(float *dlogit, const float *logit, const float *y, int B);

/* Bayesian personalized ranking (Rendle et al. 2009): a positive's score
 * pos[b] against each of its K negatives' neg[b*K + q], the mean over the
 * B*K pairs of -log sigmoid(pos - neg). The backward writes both
 * gradients: dpos[b] sums its K pairs', dneg one pair's each. */
double bpr_forward(const float *pos, const float *neg, int B, int K);
void bpr_backward(float *dpos, float *dneg, const float *pos, const float *neg, int B, int K);

/* Logistic ranking (SASRec's BCE; gSASRec's gBCE when beta != 1): row b of
 * s (B, 1 + K) holds a positive's score s[0] and its K negatives'; the mean
 * over the B rows of beta log(1 + e^-s[0]) + the sum of log(1 + e^s[k]).
 * The backward writes ds (B, 1 + K), which may be s. */
double rank_bce_forward(const float *s, int B, int K, float beta);
void rank_bce_backward(float *ds, const float *s, int B, int K, float beta);

/* Softmax cross-entropy: the mean over the B rows of logit (B, n), row b
 * at logit + b * n, of -log softmax(row)[target[b]]; a logit of -INFINITY
 * is left out of its row. The forward keeps each row's softmax in prob
 * (B, n), which may be logit itself; the backward writes
 * dlogit = (prob - onehot(target)) / B, and may write over prob. */
double softmax_xent_forward(float *prob, const float *logit, const uint32_t *target, int B, int n);
void softmax_xent_backward(float *dlogit, const float *prob, const uint32_t *target, int B, int n);
/* e^x for each of x[0..n) into y (which may be x), to a few ulps, in
 * vector lanes: the softmax's exponentials are most of its cost. */
void rs_exp(float *y, const float *x, int n);

#endif
