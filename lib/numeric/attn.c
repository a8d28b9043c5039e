/* attn.c: layer norm and causal attention over packed sequences (attn.h). */
#include "attn.h"
#include "nn.h"

#include <math.h>
#include <string.h>

void layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *g,
		       const float *b, int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *xr = x + (size_t)n * C;
		float *o = out + (size_t)n * C;
		double m = 0, v = 0;
		for (int c = 0; c < C; c++)
			m += xr[c];
		m /= C;
		for (int c = 0; c < C; c++)
			v += ((double)xr[c] - m) * ((double)xr[c] - m);
		v /= C;
		float r = (float)(1.0 / sqrt(v + 1e-5));
		for (int c = 0; c < C; c++)
			o[c] = ((xr[c] - (float)m) * r) * g[c] + b[c];
		mean[n] = (float)m;
		rstd[n] = r;
	}
}

void layernorm_backward(float *dx, float *dg, float *db, const float *dout, const float *x,
			const float *g, const float *mean, const float *rstd, int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *xr = x + (size_t)n * C, *d = dout + (size_t)n * C;
		float *dxr = dx + (size_t)n * C;
		float m = mean[n], r = rstd[n];
		/* with xh = (x - m) r and dxh = dout g: dx = r (dxh - mean(dxh) -
		 * xh mean(dxh xh)) */
		double sd = 0, sdx = 0;
		for (int c = 0; c < C; c++) {
			float xh = (xr[c] - m) * r, dxh = d[c] * g[c];
			sd += dxh;
			sdx += (double)dxh * xh;
			dg[c] += d[c] * xh;
			db[c] += d[c];
		}
		float md = (float)(sd / C), mdx = (float)(sdx / C);
		for (int c = 0; c < C; c++) {
			float xh = (xr[c] - m) * r;
			dxr[c] += r * (d[c] * g[c] - md - xh * mdx);
		}
	}
}

size_t attn_floats(const size_t *off, int S, int H)
{
	size_t n = 0;
	for (int s = 0; s < S; s++) {
		size_t L = off[s + 1] - off[s];
		n += (size_t)H * L * L;
	}
	return n;
}

void attention_forward(float *out, float *att, const float *qkv, const size_t *off, int S, int C, int H)
{
	int hs = C / H, C3 = 3 * C;
	float scale = 1.0f / sqrtf((float)hs);
	for (int s = 0; s < S; s++) {
		size_t base = off[s];
		int L = (int)(off[s + 1] - base);
		for (int h = 0; h < H; h++) {
			float *a = att + (size_t)h * L * L;
			for (int t = 0; t < L; t++) {
				const float *q = qkv + (base + t) * C3 + h * hs;
				float *p = a + (size_t)t * L, mx = -INFINITY;
				for (int u = 0; u <= t; u++) {
					p[u] = rs_dot(q, qkv + (base + u) * C3 + C + h * hs, hs) * scale;
					mx = p[u] > mx ? p[u] : mx;
				}
				float sum = 0;
				for (int u = 0; u <= t; u++) {
					p[u] = expf(p[u] - mx);
					sum += p[u];
				}
				float inv = 1.0f / sum;
				float *o = out + (base + t) * C + h * hs;
				memset(o, 0, (size_t)hs * sizeof *o);
				for (int u = 0; u <= t; u++) {
					p[u] *= inv;
					const float *v = qkv + (base + u) * C3 + 2 * C + h * hs;
					for (int i = 0; i < hs; i++)
						o[i] += p[u] * v[i];
				}
			}
		}
		att += (size_t)H * L * L;
	}
}

void attention_backward(float *dqkv, const float *dout, const float *att, const float *qkv,
			const size_t *off, int S, int C, int H)
{
	int hs = C / H, C3 = 3 * C;
	float scale = 1.0f / sqrtf((float)hs);
	memset(dqkv, 0, off[S] * (size_t)C3 * sizeof *dqkv);
	for (int s = 0; s < S; s++) {
		size_t base = off[s];
		int L = (int)(off[s + 1] - base);
		for (int h = 0; h < H; h++) {
			const float *a = att + (size_t)h * L * L;
			for (int t = 0; t < L; t++) {
				const float *p = a + (size_t)t * L, *d = dout + (base + t) * C + h * hs;
				const float *q = qkv + (base + t) * C3 + h * hs;
				float *dq = dqkv + (base + t) * C3 + h * hs;
				/* dp_u = d . v_u; ds_u = p_u (dp_u - sum_w p_w dp_w) */
				float dp[t + 1], pdp = 0;
				for (int u = 0; u <= t; u++) {
					const float *v = qkv + (base + u) * C3 + 2 * C + h * hs;
					float *dv = dqkv + (base + u) * C3 + 2 * C + h * hs;
					dp[u] = rs_dot(d, v, hs);
					pdp += p[u] * dp[u];
					for (int i = 0; i < hs; i++)
						dv[i] += p[u] * d[i];
				}
				for (int u = 0; u <= t; u++) {
					float ds = p[u] * (dp[u] - pdp) * scale;
					const float *k = qkv + (base + u) * C3 + C + h * hs;
					float *dk = dqkv + (base + u) * C3 + C + h * hs;
					for (int i = 0; i < hs; i++) {
						dq[i] += ds * k[i];
						dk[i] += ds * q[i];
					}
				}
			}
		}
		att += (size_t)H * L * L;
	}
}
