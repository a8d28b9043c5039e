/* Gradient checks: every backward against central finite differences of
 * its forward. Parameters are float32; the loss is summed in double, h is
 * 1e-3, and a gradient passes when |analytic - numeric| <= 2e-3 + 2e-2 *
 * max(|analytic|, |numeric|). A model's parameter is skipped where the
 * one-sided differences disagree by that bound (a ReLU kink within h), and
 * at most a tenth may be. The FM kernel (fm.h) is checked against the FM
 * written by its pairs in double, differenced there (h 1e-5, within 1e-4). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "fm.h"
#include "gemm.h"
#include "model.h"
#include "nn.h"
#include "tap.h"

#define H 1e-3f

static int close_enough(double a, double n)
{
	return fabs(a - n) <= 2e-3 + 2e-2 * fmax(fabs(a), fabs(n));
}

/* ---- kernels: loss = sum(out * r) for a fixed random r ---- */

static double dense_loss(const float *in, const float *W, const float *b, const float *r, int B,
			 int I, int O)
{
	float out[256];
	dense_forward(out, in, W, b, B, I, O, 1);
	double s = 0;
	for (int i = 0; i < B * O; i++)
		s += (double)out[i] * r[i];
	return s;
}

static void check_dense(rs_rng *rng)
{
	enum { B = 9, I = 13, O = 11 };   /* full 4 x 8 tiles and ragged edges */
	enum { S = RS_GEMM_SLACK };   /* W, r and wt serve as Bm of a product */
	float in[B * I], W[I * O + S] = {0}, b[O], r[B * O + S] = {0};
	float din[B * I], dW[I * O] = {0}, db[O] = {0}, wt[I * O + S] = {0};
	float *all[] = {in, W, b, r};
	int sizes[] = {B * I, I * O, O, B * O};
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < sizes[k]; i++)
			all[k][i] = (float)rs_rng_normal(rng);
	dense_backward(din, dW, db, r, in, W, wt, B, I, O, 1);
	int bad = 0;
	float *params[] = {in, W, b}, *grads[] = {din, dW, db};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < sizes[k]; i++) {
			float keep = params[k][i];
			params[k][i] = keep + H;
			double up = dense_loss(in, W, b, r, B, I, O);
			params[k][i] = keep - H;
			double down = dense_loss(in, W, b, r, B, I, O);
			params[k][i] = keep;
			bad += !close_enough(grads[k][i], (up - down) / (2 * H));
		}
	ok(!bad, "dense_backward matches finite differences (%d mismatches)", bad);
}

static void check_bpr(rs_rng *rng)
{
	enum { B = 5, K = 3 };
	float pos[B], neg[B * K], dpos[B], dneg[B * K];
	for (int i = 0; i < B; i++)
		pos[i] = (float)(2 * rs_rng_normal(rng));
	for (int i = 0; i < B * K; i++)
		neg[i] = (float)(2 * rs_rng_normal(rng));
	neg[0] = pos[0] + 30.0f;   /* far on either side: no overflow, no lost gradient */
	neg[K] = pos[1] - 30.0f;
	bpr_backward(dpos, dneg, pos, neg, B, K);
	int bad = 0;
	for (int i = 0; i < B + B * K; i++) {
		float *x = i < B ? &pos[i] : &neg[i - B], keep = *x;
		*x = keep + H;
		double up = bpr_forward(pos, neg, B, K);
		*x = keep - H;
		double down = bpr_forward(pos, neg, B, K);
		*x = keep;
		bad += !close_enough(i < B ? dpos[i] : dneg[i - B], (up - down) / (2 * H));
	}
	double l = bpr_forward(pos, neg, B, K);
	ok(!bad && isfinite(l), "bpr_backward matches finite differences (loss %.4f)", l);
	float p1 = 0, n1 = 0;
	ok(fabs(bpr_forward(&p1, &n1, 1, 1) - log(2.0)) < 1e-6, "bpr: equal scores cost log 2");
}

static void check_rank_bce(void)
{
	rs_rng own, *rng = &own;   /* its own stream: the draws of the other checks stay as they were */
	rs_rng_seed(rng, 33);
	enum { B = 4, K = 3, W = K + 1 };
	float s[B * W], ds[B * W];
	for (int i = 0; i < B * W; i++)
		s[i] = (float)(2 * rs_rng_normal(rng));
	s[0] = -30.0f;   /* far on either side: no overflow, no lost gradient */
	s[W + 1] = 30.0f;
	const float beta = 0.3f;
	rank_bce_backward(ds, s, B, K, beta);
	int bad = 0;
	for (int i = 0; i < B * W; i++) {
		float keep = s[i];
		s[i] = keep + H;
		double up = rank_bce_forward(s, B, K, beta);
		s[i] = keep - H;
		double down = rank_bce_forward(s, B, K, beta);
		s[i] = keep;
		bad += !close_enough(ds[i], (up - down) / (2 * H));
	}
	ok(!bad, "rank_bce_backward matches finite differences (%d mismatches)", bad);
	float zero[2] = {0, 0};
	ok(fabs(rank_bce_forward(zero, 1, 1, 0.5f) - 1.5 * log(2.0)) < 1e-6,
	   "logistic ranking: zero scores cost (beta + 1) log 2");
}

static void check_elementwise(rs_rng *rng)
{
	enum { N = 16 };
	float in[N], out[N], r[N], din[N] = {0}, mask[N];
	for (int i = 0; i < N; i++) {
		in[i] = (float)rs_rng_normal(rng);
		if (fabsf(in[i]) < 10 * H)
			in[i] = 0.5f;   /* away from ReLU's kink */
		r[i] = (float)rs_rng_normal(rng);
	}
	relu_forward(out, in, N);
	relu_backward(din, r, out, N);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		float o1, o2, x1 = in[i] + H, x2 = in[i] - H;
		relu_forward(&o1, &x1, 1);
		relu_forward(&o2, &x2, 1);
		bad += !close_enough(din[i], (o1 - o2) * r[i] / (2 * H));
	}
	ok(!bad, "relu_backward matches finite differences");

	memset(din, 0, sizeof din);
	dropout_forward(out, mask, in, N, 0.5f, rng);
	dropout_backward(din, r, mask, N);
	bad = 0;
	int dropped = 0;
	for (int i = 0; i < N; i++) {
		bad += !(mask[i] == 0.0f || mask[i] == 2.0f) || out[i] != in[i] * mask[i];
		bad += din[i] != r[i] * mask[i];
		dropped += mask[i] == 0.0f;
	}
	ok(!bad && dropped > 0 && dropped < N, "dropout scales kept units by 1/(1-p), passes the mask back");

	float y[N], pred[N], dp[N];
	for (int i = 0; i < N; i++) {
		pred[i] = (float)rs_rng_normal(rng);
		y[i] = (float)(rs_rng_uniform(rng) < 0.5);
	}
	for (int loss = 0; loss < 2; loss++) {
		(loss ? bce_logits_backward : mse_backward)(dp, pred, y, N);
		bad = 0;
		for (int i = 0; i < N; i++) {
			float keep = pred[i];
			pred[i] = keep + H;
			double up = loss ? bce_logits_forward(pred, y, N) : mse_forward(pred, y, N);
			pred[i] = keep - H;
			double down = loss ? bce_logits_forward(pred, y, N) : mse_forward(pred, y, N);
			pred[i] = keep;
			bad += !close_enough(dp[i], (up - down) / (2 * H));
		}
		ok(!bad, "%s backward matches finite differences", loss ? "BCE-with-logits" : "MSE");
	}
	float big[2] = {1000.0f, -1000.0f}, yy[2] = {0.0f, 1.0f};
	ok(fabs(bce_logits_forward(big, yy, 2) - 1000.0) < 1e-6, "BCE is finite and exact at |logit| = 1000");
}

/* ---- the FM kernel (fm.h) against the FM written by its pairs, in double ---- */

enum { FK = 11, FW = FK + 1, FN = 7, FJ = 4 };   /* past one 8-lane vector, with a tail */

/* lin0 + sum_j w_j v_j + sum_{i<j} <V_i, V_j> v_i v_j over the record's FJ
 * features, with q (FK) = sum_j V_j v_j */
static double fm_pairs(const double *V, const uint32_t *x, const float *xv, double lin0, double *q)
{
	double s = lin0;
	for (int f = 0; f < FK; f++)
		q[f] = 0;
	for (int i = 0; i < FJ; i++) {
		const double *a = V + x[i] * FW;
		double vi = xv ? xv[i] : 1;
		s += a[FK] * vi;
		for (int f = 0; f < FK; f++)
			q[f] += a[f] * vi;
		for (int j = i + 1; j < FJ; j++)
			for (int f = 0; f < FK; f++)
				s += a[f] * V[x[j] * FW + f] * vi * (xv ? xv[j] : 1);
	}
	return s;
}

/* what fm_row_backward is the gradient of: dout score + dq . q + l2/2 the
 * record's rows' squares */
static double fm_kernel_loss(const double *V, const uint32_t *x, const float *xv, double dout,
			     const float *dq, double l2)
{
	double q[FK], s = dout * fm_pairs(V, x, xv, 0.3, q);
	for (int f = 0; dq && f < FK; f++)
		s += dq[f] * q[f];
	for (int i = 0; i < FJ; i++)
		for (int f = 0; f < FW; f++)
			s += 0.5 * l2 * V[x[i] * FW + f] * V[x[i] * FW + f];
	return s;
}

static void check_fm_kernel(rs_rng *rng)
{
	uint32_t x[FJ] = {5, 0, 3, 6};
	float V[FN * FW], xv[FJ] = {1.0f, 0.5f, -1.5f, 0.25f}, dq[FK], q[FK];
	double Vd[FN * FW], qd[FK], l2 = 0.05, dout = -0.7, h = 1e-5;
	for (int i = 0; i < FN * FW; i++)
		Vd[i] = V[i] = (float)(0.5 * rs_rng_normal(rng));
	for (int f = 0; f < FK; f++)
		dq[f] = (float)rs_rng_normal(rng);
	for (int c = 0; c < 4; c++) {
		const float *v = c & 1 ? xv : NULL, *dqc = c & 2 ? dq : NULL;
		const char *vals = v ? "multi-hot" : "unit";
		float score = fm_record_forward(q, V, x, v, FJ, FK, 0.3f);
		double want = fm_pairs(Vd, x, v, 0.3, qd);
		int bad = fabs(score - want) > 1e-5 * (1 + fabs(want));
		for (int f = 0; f < FK; f++)
			bad += fabs(q[f] - qd[f]) > 1e-5 * (1 + fabs(qd[f]));
		if (!dqc)
			ok(!bad, "fm_record_forward is the FM's sum over pairs (%s values): %.7g against %.7g",
			   vals, score, want);

		float G[FN * FW] = {0}, g[FW], step[FW];
		for (int j = 0; j < FJ; j++) {
			float *d = G + x[j] * FW;
			fm_row_backward(d, d, V + x[j] * FW, q, dqc, (float)dout, v ? v[j] : 1.0f,
					(float)l2, 1.0f, FK);
		}
		bad = 0;
		int same = 1;
		for (int j = 0; j < FJ; j++) {
			const float *row = V + x[j] * FW, *d = G + x[j] * FW;
			for (int f = 0; f < FW; f++) {
				double keep = Vd[x[j] * FW + f];
				Vd[x[j] * FW + f] = keep + h;
				double up = fm_kernel_loss(Vd, x, v, dout, dqc, l2);
				Vd[x[j] * FW + f] = keep - h;
				double down = fm_kernel_loss(Vd, x, v, dout, dqc, l2);
				Vd[x[j] * FW + f] = keep;
				double num = (up - down) / (2 * h);
				bad += fabs(d[f] - num) > 1e-4 * fmax(1, fabs(num));
			}
			/* written, and stepped in place, from the same gradient */
			memcpy(step, row, sizeof step);
			fm_row_backward(g, NULL, row, q, dqc, (float)dout, v ? v[j] : 1.0f, (float)l2, 1.0f, FK);
			fm_row_backward(step, step, step, q, dqc, (float)dout, v ? v[j] : 1.0f, (float)l2,
					-0.1f, FK);
			for (int f = 0; f < FW; f++) {
				float moved = row[f] + -0.1f * d[f];
				same &= g[f] == d[f] && step[f] == moved;
			}
		}
		ok(!bad, "fm_row_backward (%s values%s) matches finite differences in double", vals,
		   dqc ? ", a gradient on q" : "");
		ok(same, "fm_row_backward (%s values%s) writes what it adds, and steps a row in place by alpha times it",
		   vals, dqc ? ", a gradient on q" : "");
	}
}

/* ---- whole models on a small problem with a multi-hot field ---- */

/* 8 records; fields user (4), item (5), genre (3, multi-hot with xv). */
static void small_dataset(rs_dataset *d, int click, rs_rng *rng)
{
	memset(d, 0, sizeof *d);
	enum { N = 8 };
	d->n = N;
	d->user = calloc(N, sizeof *d->user);
	d->item = calloc(N, sizeof *d->item);
	d->y = calloc(N, sizeof *d->y);
	d->split = calloc(N, 1);
	d->xoff = calloc(N + 1, sizeof *d->xoff);
	d->x = calloc(N * 5, sizeof *d->x);
	d->xv = calloc(N * 5, sizeof *d->xv);
	d->click = click;
	rs_header_add_column(&d->hdr, "user");
	rs_header_set_target(&d->hdr, click ? "click" : "rating");
	d->hdr.nusers = 4;
	d->hdr.nitems = 5;
	d->hdr.user_ids = calloc(4, sizeof(int64_t));
	d->hdr.item_ids = calloc(5, sizeof(int64_t));
	rs_header_add_field(&d->hdr, "user", 4);
	rs_header_add_field(&d->hdr, "item", 5);
	rs_header_add_field(&d->hdr, "genre", 3);
	d->nfeatures = 12;
	size_t nnz = 0;
	for (int r = 0; r < N; r++) {
		d->user[r] = rs_rng_below(rng, 4);
		d->item[r] = rs_rng_below(rng, 5);
		d->y[r] = click ? (float)(r % 2) : (float)(1 + rs_rng_below(rng, 5));
		d->x[nnz] = d->user[r], d->xv[nnz++] = 1;
		d->x[nnz] = 4 + d->item[r], d->xv[nnz++] = 1;
		int ng = 1 + (r % 3);   /* one to three genres, weighted 1/ng */
		for (int g = 0; g < ng; g++)
			d->x[nnz] = 9 + (uint32_t)g, d->xv[nnz++] = 1.0f / (float)ng;
		d->xoff[r + 1] = nnz;
	}
}

static double model_loss(rs_model *m, const rs_dataset *d, const uint32_t *idx, float *out)
{
	m->ops->forward(m, d, idx, (int)d->n, out, NULL);
	return m->click ? bce_logits_forward(out, d->y, (int)d->n) : mse_forward(out, d->y, (int)d->n);
}

static void check_model(const rs_model_ops *ops, int click, rs_rng *rng)
{
	rs_dataset d;
	small_dataset(&d, click, rng);
	rs_hparams hp = {.factors = 3, .batch = 8, .epochs = 1, .init = RS_INIT_NORMAL,
			 .init_std = 0.5, .seed = 3, .nmlp = 2, .mlp = {6, 4}};
	rs_model m;
	rs_model_create(&m, ops, &hp, &d);
	if (ops == &rs_deepfm_ops)   /* give the MLP weights some size as well */
		for (size_t i = 0; i < m.p.size; i++)
			m.p.w[i] += (float)(0.3 * rs_rng_normal(rng));
	rs_params_alloc_training(&m.p);
	rs_model_reserve(&m, 8);
	uint32_t idx[8];
	float out[8], dout[8];
	for (int i = 0; i < 8; i++)
		idx[i] = (uint32_t)i;
	model_loss(&m, &d, idx, out);
	(click ? bce_logits_backward : mse_backward)(dout, out, d.y, 8);
	m.ops->backward(&m, &d, idx, 8, dout);
	int bad = 0, checked = 0, kinked = 0;
	double base = model_loss(&m, &d, idx, out);
	for (size_t i = 0; i < m.p.size; i++) {
		float keep = m.p.w[i];
		m.p.w[i] = keep + H;
		double up = model_loss(&m, &d, idx, out);
		m.p.w[i] = keep - H;
		double down = model_loss(&m, &d, idx, out);
		m.p.w[i] = keep;
		/* a ReLU whose input crosses zero within h bends the loss, and the
		 * slopes on either side disagree: no derivative to compare there */
		if (!close_enough((up - base) / H, (base - down) / H)) {
			kinked++;
			continue;
		}
		double num = (up - down) / (2 * H);
		if (!close_enough(m.p.g[i], num)) {
			bad++;
			printf("#   param %zu: analytic %g numeric %g\n", i, m.p.g[i], num);
		}
		checked++;
	}
	ok(!bad && checked > 20 && kinked * 10 <= checked, "%s %s loss: %d gradients match finite differences (%d at a ReLU kink skipped)",
	   ops->kind, click ? "logistic" : "squared", checked, kinked);
	rs_model_free(&m);
	rs_dataset_free(&d);
}

int main(void)
{
	rs_rng rng;
	rs_rng_seed(&rng, 42);
	check_dense(&rng);
	check_elementwise(&rng);
	check_bpr(&rng);
	check_rank_bce();
	check_fm_kernel(&rng);
	check_model(&rs_mf_ops, 0, &rng);
	check_model(&rs_fm_ops, 0, &rng);
	check_model(&rs_fm_ops, 1, &rng);
	check_model(&rs_deepfm_ops, 0, &rng);
	check_model(&rs_deepfm_ops, 1, &rng);
	return tap_done();
}
