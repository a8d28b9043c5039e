/* attn.c: layer norm and causal attention over packed sequences (attn.h). */
#include "attn.h"
#include "nn.h"
#include "parallel.h"

#include <math.h>
#include <string.h>

typedef struct ln_job {
	float *out, *mean, *rstd, *dx, *dg, *db;
	const float *x, *g, *b, *dout;
	size_t N;
	int C;
} ln_job;

static void ln_rows(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const ln_job *j = ctx;
	int C = j->C;
	for (size_t n = lo; n < hi; n++) {
		const float *xr = j->x + n * C;
		float *o = j->out + n * C;
		double m = 0, v = 0;
		for (int c = 0; c < C; c++)
			m += xr[c];
		m /= C;
		for (int c = 0; c < C; c++)
			v += ((double)xr[c] - m) * ((double)xr[c] - m);
		v /= C;
		float r = (float)(1.0 / sqrt(v + 1e-5));
		for (int c = 0; c < C; c++)
			o[c] = ((xr[c] - (float)m) * r) * j->g[c] + j->b[c];
		j->mean[n] = (float)m;
		j->rstd[n] = r;
	}
}

void layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *g,
		       const float *b, int N, int C, int threads)
{
	ln_job j = {.out = out, .mean = mean, .rstd = rstd, .x = x, .g = g, .b = b, .C = C};
	rs_parallel_for((size_t)N, 64, threads, ln_rows, &j);
}

/* with xh = (x - m) r and dxh = dout g: dx = r (dxh - mean(dxh) - xh
 * mean(dxh xh)), row by row */
static void ln_back_rows(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const ln_job *j = ctx;
	int C = j->C;
	for (size_t n = lo; n < hi; n++) {
		const float *xr = j->x + n * C, *d = j->dout + n * C;
		float *dxr = j->dx + n * C;
		float m = j->mean[n], r = j->rstd[n];
		double sd = 0, sdx = 0;
		for (int c = 0; c < C; c++) {
			float xh = (xr[c] - m) * r, dxh = d[c] * j->g[c];
			sd += dxh;
			sdx += (double)dxh * xh;
		}
		float md = (float)(sd / C), mdx = (float)(sdx / C);
		for (int c = 0; c < C; c++) {
			float xh = (xr[c] - m) * r;
			dxr[c] += r * (d[c] * j->g[c] - md - xh * mdx);
		}
	}
}

/* dg and db: each channel summed over the rows in order */
static void ln_back_params(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const ln_job *j = ctx;
	int C = j->C;
	for (size_t c = lo; c < hi; c++) {
		float sg = j->dg[c], sb = j->db[c];
		for (size_t n = 0; n < j->N; n++) {
			float d = j->dout[n * C + c];
			sg += d * ((j->x[n * C + c] - j->mean[n]) * j->rstd[n]);
			sb += d;
		}
		j->dg[c] = sg, j->db[c] = sb;
	}
}

void layernorm_backward(float *dx, float *dg, float *db, const float *dout, const float *x,
			const float *g, const float *mean, const float *rstd, int N, int C, int threads)
{
	ln_job j = {.mean = (float *)mean, .rstd = (float *)rstd, .dx = dx, .dg = dg, .db = db,
		    .x = x, .g = g, .dout = dout, .N = (size_t)N, .C = C};
	rs_parallel_for((size_t)N, 64, threads, ln_back_rows, &j);
	rs_parallel_for((size_t)C, 8, threads, ln_back_params, &j);
}

size_t attn_offsets(size_t *aoff, const size_t *off, int S, int H)
{
	size_t n = 0;
	for (int s = 0; s < S; s++) {
		if (aoff)
			aoff[s] = n;
		size_t L = off[s + 1] - off[s];
		n += (size_t)H * L * L;
	}
	if (aoff)
		aoff[S] = n;
	return n;
}

typedef struct attn_job {
	float *out, *att, *dqkv;
	const float *qkv, *dout, *catt;
	const size_t *off, *aoff;
	int C, H;
} attn_job;

static void attn_seqs(void *ctx, size_t lo, size_t hi, int thread)
{
	(void)thread;
	const attn_job *j = ctx;
	int C = j->C, H = j->H, hs = C / H, C3 = 3 * C;
	float scale = 1.0f / sqrtf((float)hs);
	for (size_t s = lo; s < hi; s++) {
		size_t base = j->off[s];
		int L = (int)(j->off[s + 1] - base);
		for (int h = 0; h < H; h++) {
			float *a = j->att + j->aoff[s] + (size_t)h * L * L;
			for (int t = 0; t < L; t++) {
				const float *q = j->qkv + (base + t) * C3 + h * hs;
				float *p = a + (size_t)t * L, mx = -INFINITY;
				for (int u = 0; u <= t; u++) {
					p[u] = rs_dot(q, j->qkv + (base + u) * C3 + C + h * hs, hs) * scale;
					mx = p[u] > mx ? p[u] : mx;
				}
				float sum = 0;
				for (int u = 0; u <= t; u++) {
					p[u] = expf(p[u] - mx);
					sum += p[u];
				}
				float inv = 1.0f / sum;
				float *o = j->out + (base + t) * C + h * hs;
				memset(o, 0, (size_t)hs * sizeof *o);
				for (int u = 0; u <= t; u++) {
					p[u] *= inv;
					const float *v = j->qkv + (base + u) * C3 + 2 * C + h * hs;
					for (int i = 0; i < hs; i++)
						o[i] += p[u] * v[i];
				}
			}
		}
	}
}

void attention_forward(float *out, float *att, const float *qkv, const size_t *off, const size_t *aoff,
		       int S, int C, int H, int threads)
{
	attn_job j = {.out = out, .att = att, .qkv = qkv, .off = off, .aoff = aoff, .C = C, .H = H};
	rs_parallel_for((size_t)S, 8, threads, attn_seqs, &j);
}

/* dp_u = d . v_u; ds_u = p_u (dp_u - sum_w p_w dp_w); a sequence's rows of
 * dqkv are its own */
static void attn_back_seqs(void *ctx, size_t lo, size_t hi, int thread)
{
	(void)thread;
	const attn_job *j = ctx;
	int C = j->C, H = j->H, hs = C / H, C3 = 3 * C;
	float scale = 1.0f / sqrtf((float)hs);
	for (size_t s = lo; s < hi; s++) {
		size_t base = j->off[s];
		int L = (int)(j->off[s + 1] - base);
		memset(j->dqkv + base * C3, 0, (size_t)L * C3 * sizeof *j->dqkv);
		for (int h = 0; h < H; h++) {
			const float *a = j->catt + j->aoff[s] + (size_t)h * L * L;
			for (int t = 0; t < L; t++) {
				const float *p = a + (size_t)t * L, *d = j->dout + (base + t) * C + h * hs;
				const float *q = j->qkv + (base + t) * C3 + h * hs;
				float *dq = j->dqkv + (base + t) * C3 + h * hs;
				float dp[t + 1], pdp = 0;
				for (int u = 0; u <= t; u++) {
					const float *v = j->qkv + (base + u) * C3 + 2 * C + h * hs;
					float *dv = j->dqkv + (base + u) * C3 + 2 * C + h * hs;
					dp[u] = rs_dot(d, v, hs);
					pdp += p[u] * dp[u];
					for (int i = 0; i < hs; i++)
						dv[i] += p[u] * d[i];
				}
				for (int u = 0; u <= t; u++) {
					float ds = p[u] * (dp[u] - pdp) * scale;
					const float *k = j->qkv + (base + u) * C3 + C + h * hs;
					float *dk = j->dqkv + (base + u) * C3 + C + h * hs;
					for (int i = 0; i < hs; i++) {
						dq[i] += ds * k[i];
						dk[i] += ds * q[i];
					}
				}
			}
		}
	}
}

void attention_backward(float *dqkv, const float *dout, const float *att, const float *qkv,
			const size_t *off, const size_t *aoff, int S, int C, int H, int threads)
{
	attn_job j = {.dqkv = dqkv, .dout = dout, .catt = att, .qkv = qkv, .off = off, .aoff = aoff,
		      .C = C, .H = H};
	rs_parallel_for((size_t)S, 8, threads, attn_back_seqs, &j);
}
