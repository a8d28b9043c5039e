/* nn.c: the dense kernels. */
#include "nn.h"

#include <math.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif
#include <string.h>

/* C (M, N) += A (M, K) Bm (K, N), with A read through strides (sam, sak) so
 * that the same kernel serves A and its transpose. The output is computed in
 * 4 x 8 tiles held in four vector accumulators: each loaded row of Bm feeds
 * four rows of C, and C is written once per tile, not once per k. */
typedef float v4 __attribute__((vector_size(16)));   /* GCC/Clang vector extension */

static inline v4 load4(const float *p)
{
	v4 v;
	memcpy(&v, p, sizeof v);   /* an unaligned load */
	return v;
}

static inline void add4(float *p, v4 v)
{
	v4 t = load4(p) + v;
	memcpy(p, &t, sizeof t);
}

/* One tile of C: `rows` (1-4) rows by `w` (4 or 8) columns, accumulated in
 * vector registers over all K, then added to C once. Inlined with constant
 * sizes in the common case so that the accumulators stay in registers. */
static inline __attribute__((always_inline)) void tile(float *C, int ldc, const float *A, int sam,
						       int sak, const float *Bm, int ldb, int K,
						       int rows, int w)
{
	v4 acc[4][2] = {{{0}}};
	const float *a = A;
	for (int k = 0; k < K; k++, a += sak) {
		const float *bk = Bm + (size_t)k * ldb;
		v4 b0 = load4(bk), b1 = w == 8 ? load4(bk + 4) : b0;
		for (int r = 0; r < rows; r++) {
			float ar = a[(size_t)r * sam];
			acc[r][0] += ar * b0;
			if (w == 8)
				acc[r][1] += ar * b1;
		}
	}
	for (int r = 0; r < rows; r++) {
		add4(C + (size_t)r * ldc, acc[r][0]);
		if (w == 8)
			add4(C + (size_t)r * ldc + 4, acc[r][1]);
	}
}

static void gemm_acc(float *C, int ldc, const float *A, int sam, int sak, const float *Bm,
		     int ldb, int M, int N, int K)
{
	for (int m = 0; m < M; m += 4) {
		int rows = M - m < 4 ? M - m : 4;
		float *c = C + (size_t)m * ldc;
		const float *a = A + (size_t)m * sam;
		int n = 0;
		for (; n + 8 <= N; n += 8)
			if (rows == 4)
				tile(c + n, ldc, a, sam, sak, Bm + n, ldb, K, 4, 8);
			else
				tile(c + n, ldc, a, sam, sak, Bm + n, ldb, K, rows, 8);
		if (n + 4 <= N) {
			if (rows == 4)
				tile(c + n, ldc, a, sam, sak, Bm + n, ldb, K, 4, 4);
			else
				tile(c + n, ldc, a, sam, sak, Bm + n, ldb, K, rows, 4);
			n += 4;
		}
		for (; n < N; n++)   /* the last columns, fewer than 4 */
			for (int r = 0; r < rows; r++) {
				float acc = 0.0f;
				for (int k = 0; k < K; k++)
					acc += a[(size_t)r * sam + (size_t)k * sak] * Bm[(size_t)k * ldb + n];
				c[(size_t)r * ldc + n] += acc;
			}
	}
}

/* W is stored (I, O), the transpose of PyTorch's layout, so that rows of W
 * are the contiguous operand of every product. */
void dense_forward(float *out, const float *in, const float *W, const float *bias, int B, int I, int O)
{
	for (int b = 0; b < B; b++)
		for (int o = 0; o < O; o++)
			out[(size_t)b * O + o] = bias ? bias[o] : 0.0f;
	gemm_acc(out, O, in, I, 1, W, O, B, O, I);
}

void dense_backward(float *din, float *dW, float *dbias, const float *dout, const float *in,
		    const float *W, float *wt, int B, int I, int O)
{
	if (dbias)
		for (int b = 0; b < B; b++)
			for (int o = 0; o < O; o++)
				dbias[o] += dout[(size_t)b * O + o];
	gemm_acc(dW, O, in, 1, I, dout, O, I, O, B);   /* dW += in^T dout */
	if (din) {   /* din += dout W^T, through W^T laid out in wt */
		for (int i = 0; i < I; i++)
			for (int o = 0; o < O; o++)
				wt[(size_t)o * I + i] = W[(size_t)i * O + o];
		gemm_acc(din, I, dout, O, 1, wt, I, B, I, O);
	}
}

void relu_forward(float *out, const float *in, int N)
{
	for (int i = 0; i < N; i++)
		out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

typedef int v4i __attribute__((vector_size(16)));

void relu_backward(float *restrict din, const float *restrict dout, const float *restrict out, int N)
{
	/* the mask of out > 0 ANDed onto dout: the compiler will not if-convert
	 * the plain loop, and a branch per element costs a quarter of DeepFM */
	const v4 zero = {0};
	int i = 0;
	for (; i + 4 <= N; i += 4) {
		v4i keep = load4(out + i) > zero;
		v4 g = (v4)(keep & (v4i)load4(dout + i));
		add4(din + i, g);
	}
	for (; i < N; i++)
		din[i] += out[i] > 0.0f ? dout[i] : 0.0f;
}

void dropout_forward(float *out, float *mask, const float *in, int N, float p, rs_rng *rng)
{
	if (p <= 0.0f) {
		for (int i = 0; i < N; i++)
			mask[i] = 1.0f, out[i] = in[i];
		return;
	}
	float keep = 1.0f / (1.0f - p);
	/* 32 random bits per decision, two decisions per draw */
	uint32_t cut = (uint32_t)((double)p * 4294967296.0);
	for (int i = 0; i < N; i += 2) {
		uint64_t r = rs_rng_u64(rng);
		mask[i] = (uint32_t)r < cut ? 0.0f : keep;
		if (i + 1 < N)
			mask[i + 1] = (uint32_t)(r >> 32) < cut ? 0.0f : keep;
	}
	for (int i = 0; i < N; i++)
		out[i] = in[i] * mask[i];
}

void dropout_backward(float *restrict din, const float *restrict dout, const float *restrict mask, int N)
{
	for (int i = 0; i < N; i++)
		din[i] += dout[i] * mask[i];
}

void rs_flush_denormals(void)
{
#ifdef __SSE__
	_mm_setcsr(_mm_getcsr() | 0x8040);   /* FTZ and DAZ */
#endif
}

float sigmoidf_(float x)
{
	return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
}

double mse_forward(const float *pred, const float *y, int B)
{
	double s = 0;
	for (int b = 0; b < B; b++) {
		double e = (double)pred[b] - y[b];
		s += 0.5 * e * e;
	}
	return s / B;
}

void mse_backward(float *dpred, const float *pred, const float *y, int B)
{
	for (int b = 0; b < B; b++)
		dpred[b] = (pred[b] - y[b]) / (float)B;
}

double bce_logits_forward(const float *logit, const float *y, int B)
{
	double s = 0;
	for (int b = 0; b < B; b++) {
		double z = logit[b];
		/* log(1 + e^z) - y z, without overflow for large |z| */
		s += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - y[b] * z;
	}
	return s / B;
}

void bce_logits_backward(float *dlogit, const float *logit, const float *y, int B)
{
	for (int b = 0; b < B; b++)
		dlogit[b] = (sigmoidf_(logit[b]) - y[b]) / (float)B;
}
