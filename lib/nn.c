/* nn.c: the dense kernels. */
#include "nn.h"

#include <math.h>
#include <string.h>

/* W is stored (I, O), the transpose of PyTorch's layout, so that the inner
 * loops run over O with unit stride. */
void dense_forward(float *out, const float *in, const float *W, const float *bias, int B, int I, int O)
{
	for (int b = 0; b < B; b++) {
		const float *x = in + (size_t)b * I;
		float *y = out + (size_t)b * O;
		for (int o = 0; o < O; o++)
			y[o] = bias ? bias[o] : 0.0f;
		for (int i = 0; i < I; i++) {
			float xi = x[i];
			const float *w = W + (size_t)i * O;
			for (int o = 0; o < O; o++)
				y[o] += xi * w[o];
		}
	}
}

void dense_backward(float *din, float *dW, float *dbias, const float *dout, const float *in,
		    const float *W, int B, int I, int O)
{
	for (int b = 0; b < B; b++) {
		const float *x = in + (size_t)b * I;
		const float *dy = dout + (size_t)b * O;
		float *dx = din ? din + (size_t)b * I : NULL;
		if (dbias)
			for (int o = 0; o < O; o++)
				dbias[o] += dy[o];
		for (int i = 0; i < I; i++) {
			float xi = x[i];
			const float *w = W + (size_t)i * O;
			float *dw = dW + (size_t)i * O;
			if (xi != 0.0f)   /* ReLU and dropout zero many inputs */
				for (int o = 0; o < O; o++)
					dw[o] += xi * dy[o];
			if (dx)
				dx[i] += rs_dot(w, dy, O);
		}
	}
}

void relu_forward(float *out, const float *in, int N)
{
	for (int i = 0; i < N; i++)
		out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

void relu_backward(float *din, const float *dout, const float *out, int N)
{
	for (int i = 0; i < N; i++)
		din[i] += dout[i] * (float)(out[i] > 0.0f);   /* branch-free: vectorizes */
}

void dropout_forward(float *out, float *mask, const float *in, int N, float p, rs_rng *rng)
{
	float keep = 1.0f / (1.0f - p);
	for (int i = 0; i < N; i++) {
		/* 24 random bits are plenty for a keep/drop decision */
		mask[i] = p > 0.0f && (float)(rs_rng_u64(rng) >> 40) < p * 16777216.0f
				  ? 0.0f : (p > 0.0f ? keep : 1.0f);
		out[i] = in[i] * mask[i];
	}
}

void dropout_backward(float *din, const float *dout, const float *mask, int N)
{
	for (int i = 0; i < N; i++)
		din[i] += dout[i] * mask[i];
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
