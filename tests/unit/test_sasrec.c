/* The sasrec kind's layers and whole model against finite differences
 * (the loss sum_t h_t . R_t for a fixed random R, so dh = R), layer by
 * layer (layer norm, causal attention) and for every parameter tensor of
 * a two-block, two-head model over three packed sequences; and the causal
 * mask: a position's output does not change when a later item does. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn.h"
#include "sasrec.h"
#include "tap.h"

static float urand(rs_rng *r) { return (float)(rs_rng_u64(r) >> 40) / (float)(1 << 24) * 2.0f - 1.0f; }

/* the largest |numeric - analytic| / max(floor, |numeric| + |analytic|):
 * relative, but absolute below floor, where the float forward's rounding
 * over a step of eps is as large as a small gradient */
static double worst, floor_ = 1e-2;
static void check(double num, double ana)
{
	double e = fabs(num - ana) / fmax(floor_, fabs(num) + fabs(ana));
	worst = e > worst ? e : worst;
}

enum { N = 9, S = 3, C = 8, H = 2, I = 7, L = 5 };
static const size_t off[S + 1] = {0, 5, 8, 9};

static double ln_loss(const float *x, const float *g, const float *b, const float *R)
{
	float out[N * C], mean[N], rstd[N];
	layernorm_forward(out, mean, rstd, x, g, b, N, C, 1);
	double s = 0;
	for (int i = 0; i < N * C; i++)
		s += (double)out[i] * R[i];
	return s;
}

static double attn_loss(const float *qkv, const float *R)
{
	float out[N * C], att[H * (5 * 5 + 3 * 3 + 1)];
	size_t aoff[S + 1];
	attn_offsets(aoff, off, S, H);
	attention_forward(out, att, qkv, off, aoff, S, C, H, 1);
	double s = 0;
	for (int i = 0; i < N * C; i++)
		s += (double)out[i] * R[i];
	return s;
}

static const uint32_t items[N] = {1, 4, 2, 6, 3, 0, 5, 5, 2};

static double model_loss(rs_model *m, rs_sasrec_acts *a, const float *R)
{
	rs_sasrec_forward(m, a, items, off, S, NULL);
	double s = 0;
	for (int i = 0; i < N * C; i++)
		s += (double)a->h[i] * R[i];
	return s;
}

int main(void)
{
	rs_rng r;
	rs_rng_seed(&r, 7);
	float R[N * 3 * C];
	for (int i = 0; i < N * 3 * C; i++)
		R[i] = urand(&r);
	const float eps = 1e-2f, meps = 1e-3f;   /* the model's: a smaller step, for ReLU's kinks */

	/* layer norm */
	float x[N * C], g[C], b[C], dx[N * C] = {0}, dg[C] = {0}, db[C] = {0}, out[N * C], mean[N], rstd[N];
	for (int i = 0; i < N * C; i++)
		x[i] = 2 * urand(&r);
	for (int c = 0; c < C; c++)
		g[c] = 1 + urand(&r), b[c] = urand(&r);
	layernorm_forward(out, mean, rstd, x, g, b, N, C, 1);
	layernorm_backward(dx, dg, db, R, x, g, mean, rstd, N, C, 1);
	worst = 0;
	for (int i = 0; i < N * C; i++) {
		float k = x[i];
		x[i] = k + eps;
		double up = ln_loss(x, g, b, R);
		x[i] = k - eps;
		double dn = ln_loss(x, g, b, R);
		x[i] = k;
		check((up - dn) / (2 * eps), dx[i]);
	}
	for (int c = 0; c < C; c++) {
		float k = g[c];
		g[c] = k + eps;
		double up = ln_loss(x, g, b, R);
		g[c] = k - eps;
		double dn = ln_loss(x, g, b, R);
		g[c] = k;
		check((up - dn) / (2 * eps), dg[c]);
		k = b[c];
		b[c] = k + eps;
		up = ln_loss(x, g, b, R);
		b[c] = k - eps;
		dn = ln_loss(x, g, b, R);
		b[c] = k;
		check((up - dn) / (2 * eps), db[c]);
	}
	ok(worst < 2e-3, "layer norm: input, gain and bias gradients against finite differences (worst %.1e)", worst);

	/* causal attention */
	float qkv[N * 3 * C], dqkv[N * 3 * C], att[H * (25 + 9 + 1)];
	size_t aoff[S + 1];
	attn_offsets(aoff, off, S, H);
	for (int i = 0; i < N * 3 * C; i++)
		qkv[i] = urand(&r);
	attention_forward(out, att, qkv, off, aoff, S, C, H, 1);
	attention_backward(dqkv, R, att, qkv, off, aoff, S, C, H, 1);
	worst = 0;
	for (int i = 0; i < N * 3 * C; i++) {
		float k = qkv[i];
		qkv[i] = k + eps;
		double up = attn_loss(qkv, R);
		qkv[i] = k - eps;
		double dn = attn_loss(qkv, R);
		qkv[i] = k;
		check((up - dn) / (2 * eps), dqkv[i]);
	}
	ok(worst < 2e-3, "causal attention: query, key and value gradients against finite differences (worst %.1e)",
	   worst);

	/* the whole model, every tensor that trains */
	rs_model m = {0};
	m.ops = &rs_sasrec_ops;
	rs_hparams_from(&m.hp, rs_sasrec_ops.caps, "--factors 8 --blocks 2 --heads 2 --maxlen 5 --dropout 0 --init-std 0.3");
	m.hdr.nusers = 3;
	m.hdr.nitems = I;
	rs_model_declare(&m);
	rs_params_alloc(&m.p);
	m.ops->init(&m, &r);
	rs_params_alloc_training(&m.p);
	/* norms and biases off their starting values, so their gradients count */
	for (int t = SR_BLOCKS; t <= SR_LNF; t++) {
		float *w = rs_w(&m.p, t);
		for (size_t i = 0; i < (size_t)m.p.t[t].rows * m.p.t[t].cols; i++)
			w[i] += 0.3f * urand(&r);
	}
	rs_sasrec_acts a = {0};
	rs_sasrec_reserve(&a, &m, N, S);
	model_loss(&m, &a, R);
	float dh[N * C];
	memcpy(dh, R, sizeof dh);
	rs_sasrec_backward(&m, &a, dh, items, off, S);
	const char *names[] = {"E", "P", "blocks", "lnf"};
	/* the float forward's rounding: each output carries ~ FLT_EPSILON of
	 * itself through every layer (4: a few roundings that add up), so a
	 * difference over 2 meps is that uncertain, absolutely */
	model_loss(&m, &a, R);
	double mass = 0;
	for (int i = 0; i < N * C; i++)
		mass += fabs((double)a.h[i] * R[i]);
	double noise = 4 * FLT_EPSILON * mass / (2 * meps);
	floor_ = fmax(5e-2, noise / 2e-2);
	for (int t = SR_E; t <= SR_LNF; t++) {
		worst = 0;
		size_t n = (size_t)m.p.t[t].rows * m.p.t[t].cols;
		float *w = rs_w(&m.p, t), *gr = rs_g(&m.p, t);
		int kinks = 0;
		for (size_t i = 0; i < n; i++) {
			/* central differences at two steps: where they disagree the
			 * step crossed a ReLU's kink, where no derivative holds */
			double fd[2];
			for (int h = 0; h < 2; h++) {
				float k = w[i], e = h ? 2 * meps : meps;
				w[i] = k + e;
				double up = model_loss(&m, &a, R);
				w[i] = k - e;
				double dn = model_loss(&m, &a, R);
				w[i] = k;
				fd[h] = (up - dn) / (2 * e);
			}
			if (fabs(fd[0] - fd[1]) > 0.1 * (fabs(fd[0]) + fabs(fd[1])) + 1e-3) {
				kinks++;
				continue;
			}
			check(fd[0], gr[i]);
		}
		ok(worst < 2e-2 && kinks * 50 < (int)n,
		   "whole model: %s's %zu gradients against finite differences (worst %.1e, below %.1e absolute; %d at a ReLU kink skipped)",
		   names[t], n, worst, 2e-2 * floor_, kinks);
	}

	/* the causal mask: a later item changes no earlier output */
	uint32_t changed[N];
	memcpy(changed, items, sizeof changed);
	changed[4] = 5;   /* the first sequence's last */
	rs_sasrec_forward(&m, &a, items, off, S, NULL);
	float before[N * C];
	memcpy(before, a.h, sizeof before);
	rs_sasrec_forward(&m, &a, changed, off, S, NULL);
	ok(!memcmp(before, a.h, 4 * C * sizeof *before) && memcmp(before + 4 * C, a.h + 4 * C, C * sizeof *before),
	   "causal mask: changing position 5 of a sequence leaves positions 1-4 to the bit, and moves 5");
	ok(!memcmp(before + 5 * C, a.h + 5 * C, 4 * C * sizeof *before),
	   "and the other sequences packed beside it do not move");

	rs_sasrec_acts_free(&a);
	rs_params_free(&m.p);
	return tap_done();
}
