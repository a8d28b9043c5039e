/* nn.c: the dense kernels. */
#include "nn.h"
#include "compute.h"
#include "gemm.h"

#include <math.h>
#include <string.h>

typedef float v4 __attribute__((vector_size(16)));   /* GCC/Clang vector extensions */
typedef int v4i __attribute__((vector_size(16)));

static inline v4 load4(const float *p)
{
	v4 v;
	memcpy(&v, p, sizeof v);   /* an unaligned load */
	return v;
}

/* W is stored (I, O), the transpose of PyTorch's layout, so that rows of W
 * are the contiguous operand of every product. */
void dense_forward(float *out, const float *in, const float *W, const float *bias, int B, int I, int O,
		   int threads)
{
	for (int b = 0; b < B; b++)
		for (int o = 0; o < O; o++)
			out[(size_t)b * O + o] = bias ? bias[o] : 0.0f;
	rs_gemm_acc_threads(threads, out, O, in, I, 1, W, O, B, O, I);
}

void dense_backward(float *din, float *dW, float *dbias, const float *dout, const float *in,
		    const float *W, float *wt, int B, int I, int O, int threads)
{
	if (dbias)
		for (int b = 0; b < B; b++)
			for (int o = 0; o < O; o++)
				dbias[o] += dout[(size_t)b * O + o];
	rs_gemm_acc_threads(threads, dW, O, in, 1, I, dout, O, I, O, B);   /* dW += in^T dout */
	if (din) {   /* din = dout W^T, through W^T laid out in wt */
		for (int i = 0; i < I; i++)
			for (int o = 0; o < O; o++)
				wt[(size_t)o * I + i] = W[(size_t)i * O + o];
		memset(din, 0, (size_t)B * I * sizeof *din);
		rs_gemm_acc_threads(threads, din, I, dout, O, 1, wt, I, B, I, O);
	}
}

void relu_forward(float *out, const float *in, int N)
{
	for (int i = 0; i < N; i++)
		out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

void relu_backward(float *restrict din, const float *restrict dout, const float *restrict out, int N)
{
	/* the mask of out > 0 ANDed onto dout: the compiler will not if-convert
	 * the plain loop, and a branch per element costs a quarter of DeepFM */
	const v4 zero = {0};
	int i = 0;
	for (; i + 4 <= N; i += 4) {
		v4i keep = load4(out + i) > zero;
		v4 g = (v4)(keep & (v4i)load4(dout + i));
		memcpy(din + i, &g, sizeof g);
	}
	for (; i < N; i++)
		din[i] = out[i] > 0.0f ? dout[i] : 0.0f;
}

/* murmur3's 32-bit finalizer: a bijection in which every input bit flips
 * each output bit with probability near 1/2 */
static inline uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* Unit i's draw is a hash of i under a key taken from rng once per call, not
 * the i-th output of a sequential generator: no draw waits on another, so
 * the loop vectorizes (it was an eighth of deepfm-train). Integer arithmetic
 * only, so every vector width draws the same masks: an AVX-512 build too. */
RS_SIMD_BODY void dropout_mask_body(float *out, float *mask, const float *in, int N, uint32_t cut,
				   float keep, uint64_t key)
{
	uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
	for (int i = 0; i < N; i++) {
		uint32_t h = mix32(mix32((uint32_t)i + k0) ^ k1);
		mask[i] = h < cut ? 0.0f : keep;
		out[i] = in[i] * mask[i];
	}
}
RS_TARGET_AVX512 static void dropout_draw_avx512(float *out, float *mask, const float *in, int N,
						uint32_t cut, float keep, uint64_t key)
{
	dropout_mask_body(out, mask, in, N, cut, keep, key);
}
RS_SIMD_VOID(dropout_mask, (float *out, float *mask, const float *in, int N, uint32_t cut,
				   float keep, uint64_t key), (out, mask, in, N, cut, keep, key))
static void dropout_draw(float *out, float *mask, const float *in, int N, uint32_t cut, float keep,
			 uint64_t key)
{
	if (rs_compute_lanes() >= 16)
		dropout_draw_avx512(out, mask, in, N, cut, keep, key);
	else
		dropout_mask(out, mask, in, N, cut, keep, key);
}

void dropout_forward(float *out, float *mask, const float *in, int N, float p, rs_rng *rng)
{
	if (p <= 0.0f) {
		for (int i = 0; i < N; i++)
			mask[i] = 1.0f, out[i] = in[i];
		return;
	}
	/* 32 random bits per decision: p is rounded to a multiple of 2^-32 */
	double c = (double)p * 4294967296.0;
	uint32_t cut = c >= 4294967295.0 ? UINT32_MAX : (uint32_t)c;
	dropout_draw(out, mask, in, N, cut, 1.0f / (1.0f - p), rs_rng_u64(rng));
}

void dropout_backward(float *restrict din, const float *restrict dout, const float *restrict mask, int N)
{
	for (int i = 0; i < N; i++)
		din[i] = dout[i] * mask[i];
}

double mse_forward(const float *pred, const float *y, int B)
{
	double s = 0;
	float d;
	for (int b = 0; b < B; b++)
		s += mse_term(&d, pred[b], y[b]);
	return s / B;
}

void mse_backward(float *dpred, const float *pred, const float *y, int B)
{
	for (int b = 0; b < B; b++) {
		mse_term(&dpred[b], pred[b], y[b]);
		dpred[b] /= (float)B;
	}
}

double bce_logits_forward(const float *logit, const float *y, int B)
{
	double s = 0;   /* each term in float, the sum in double */
	float d;
	for (int b = 0; b < B; b++)
		s += (double)bce_logits_term(&d, logit[b], y[b]);
	return s / B;
}

void bce_logits_backward(float *dlogit, const float *logit, const float *y, int B)
{
	for (int b = 0; b < B; b++) {
		bce_logits_term(&dlogit[b], logit[b], y[b]);
		dlogit[b] /= (float)B;
	}
}

/* -log sigmoid(d) = log(1 + e^-d), without overflow for large |d| */
static float softplus_neg(float d)
{
	return fmaxf(-d, 0.0f) + logf(1.0f + expf(-fabsf(d)));
}

double bpr_forward(const float *pos, const float *neg, int B, int K)
{
	double s = 0;
	for (int b = 0; b < B; b++)
		for (int q = 0; q < K; q++)
			s += (double)softplus_neg(pos[b] - neg[(size_t)b * K + q]);
	return s / ((double)B * K);
}

/* d/dd log(1 + e^-d) = -sigmoid(-d) */
void bpr_backward(float *dpos, float *dneg, const float *pos, const float *neg, int B, int K)
{
	float scale = 1.0f / ((float)B * (float)K);
	for (int b = 0; b < B; b++) {
		float g = 0.0f;
		for (int q = 0; q < K; q++) {
			float d = pos[b] - neg[(size_t)b * K + q];
			float s = sigmoidf_(-d) * scale;
			dneg[(size_t)b * K + q] = s;
			g -= s;
		}
		dpos[b] = g;
	}
}

double rank_bce_forward(const float *s, int B, int K, float beta)
{
	double sum = 0;
	for (int b = 0; b < B; b++) {
		const float *r = s + (size_t)b * (K + 1);
		sum += beta * (double)softplus_neg(r[0]);
		for (int k = 1; k <= K; k++)
			sum += (double)softplus_neg(-r[k]);
	}
	return sum / B;
}

/* d/ds log(1 + e^-s) = -sigmoid(-s); d/ds log(1 + e^s) = sigmoid(s) */
void rank_bce_backward(float *ds, const float *s, int B, int K, float beta)
{
	float scale = 1.0f / (float)B;
	for (size_t j = 0; j < (size_t)B * (K + 1); j++)
		ds[j] = (j % (size_t)(K + 1) ? sigmoidf_(s[j]) : -beta * sigmoidf_(-s[j])) * scale;
}

/* e^x = 2^j e^r with j = round(x log2 e) (by the 1.5 * 2^23 trick, which
 * rounds in float) and |r| <= ln2 / 2, r taken in two parts of ln 2 so
 * that it stays exact; e^r by its Taylor polynomial to degree 7 (error
 * under 2e-8 on that range). No branch and no library call, so the loop
 * runs in vector lanes. x below -87 (and -INFINITY) gives 0. */
RS_SIMD_BODY void exp_lanes_body(float *y, const float *x, int n)
{
	for (int i = 0; i < n; i++) {
		float v = x[i] > 88.0f ? 88.0f : x[i];
		float under = v < -87.0f ? 0.0f : 1.0f;
		v = v < -87.0f ? -87.0f : v;
		float j = (v * 1.44269504f + 12582912.0f) - 12582912.0f;
		float r = (v - j * 0.693145751953125f) - j * 1.428606765330187e-06f;
		float p = 1.0f / 5040.0f;
		p = p * r + 1.0f / 720.0f;
		p = p * r + 1.0f / 120.0f;
		p = p * r + 1.0f / 24.0f;
		p = p * r + 1.0f / 6.0f;
		p = p * r + 0.5f;
		p = p * r + 1.0f;
		p = p * r + 1.0f;
		union { int32_t i; float f; } scale = {.i = ((int32_t)j + 127) << 23};
		y[i] = p * scale.f * under;
	}
}

RS_SIMD_VOID(exp_lanes, (float *y, const float *x, int n), (y, x, n))

void rs_exp(float *y, const float *x, int n)
{
	exp_lanes(y, x, n);
}

/* The max and sum of a row in 16 partial lanes: in order, so vectorized
 * without reassociating. */
RS_SIMD_BODY float row_max_body(const float *l, int n)
{
	float acc[16];
	for (int q = 0; q < 16; q++)
		acc[q] = -INFINITY;
	int j = 0;
	for (; j + 16 <= n; j += 16)
		for (int q = 0; q < 16; q++)
			acc[q] = l[j + q] > acc[q] ? l[j + q] : acc[q];
	float top = -INFINITY;
	for (int q = 0; q < 16; q++)
		top = acc[q] > top ? acc[q] : top;
	for (; j < n; j++)
		top = l[j] > top ? l[j] : top;
	return top;
}

RS_SIMD_RET(float, row_max, (const float *l, int n), (l, n))

/* p = e^(l - top), returning the sum of p */
RS_SIMD_BODY float shifted_exp_body(float *p, const float *l, float top, int n)
{
	for (int j = 0; j < n; j++)
		p[j] = l[j] - top;
	exp_lanes_body(p, p, n);
	float acc[16] = {0};
	int j = 0;
	for (; j + 16 <= n; j += 16)
		for (int q = 0; q < 16; q++)
			acc[q] += p[j + q];
	float sum = 0;
	for (int q = 0; q < 16; q++)
		sum += acc[q];
	for (; j < n; j++)
		sum += p[j];
	return sum;
}

RS_SIMD_RET(float, shifted_exp, (float *p, const float *l, float top, int n), (p, l, top, n))

double softmax_xent_forward(float *prob, const float *logit, const uint32_t *target, int B, int n)
{
	double loss = 0;
	for (int b = 0; b < B; b++) {
		const float *l = logit + (size_t)b * n;
		float *p = prob + (size_t)b * n, top = row_max(l, n), lt = l[target[b]];
		float sum = shifted_exp(p, l, top, n), inv = 1.0f / sum;
		for (int j = 0; j < n; j++)
			p[j] *= inv;
		loss += log((double)sum) - (double)(lt - top);
	}
	return loss / B;
}

void softmax_xent_backward(float *dlogit, const float *prob, const uint32_t *target, int B, int n)
{
	float scale = 1.0f / (float)B;
	for (int b = 0; b < B; b++) {
		const float *p = prob + (size_t)b * n;
		float *d = dlogit + (size_t)b * n;
		for (int j = 0; j < n; j++)
			d[j] = p[j] * scale;
		d[target[b]] -= scale;
	}
}
