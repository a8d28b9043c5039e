/* Adam's first steps against values worked by hand; lazy versus dense rows;
 * the RNG's reproducibility; metrics on cases small enough to do on paper. */
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "optim.h"
#include "params.h"
#include "rng.h"
#include "tap.h"

#include <stdint.h>

static int near(double a, double b) { return fabs(a - b) < 1e-6; }

int main(void)
{
	/* One weight at 1, lr 0.1, gradient +1 then -1:
	 * step 1: m = 0.1, v = 0.001, mhat = 1, vhat = 1 -> w = 0.9
	 * step 2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999,
	 *         mhat = -0.01 / 0.19, vhat = 1 -> w = 0.9 + 0.1 * 0.0526316 */
	rs_params p = {0};
	int t = rs_params_add(&p, "w", 1, 1, 0);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_w(&p, t)[0] = 1.0f;
	rs_optim o;
	rs_optim_default(&o, RS_ADAM, 0.1f, 0.0f);
	rs_g(&p, t)[0] = 1.0f;
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 0.9), "Adam step 1 moves by lr: %.7f", rs_w(&p, t)[0]);
	ok(rs_g(&p, t)[0] == 0.0f, "the step zeroes the gradient");
	rs_g(&p, t)[0] = -1.0f;
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 0.9 + 0.1 * 0.01 / 0.19), "Adam step 2 with bias correction: %.7f",
	   rs_w(&p, t)[0]);
	rs_params_free(&p);

	/* weight decay joins the gradient: w = 2, g = 0, wd = 0.5 -> g' = 1 */
	memset(&p, 0, sizeof p);
	t = rs_params_add(&p, "w", 1, 1, 0);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_w(&p, t)[0] = 2.0f;
	rs_optim_default(&o, RS_ADAM, 0.1f, 0.5f);
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 1.9), "weight decay is added to the gradient (PyTorch's Adam)");
	rs_params_free(&p);

	/* lazy rows: a row the batch did not touch keeps its value and moments */
	for (int dense = 0; dense < 2; dense++) {
		memset(&p, 0, sizeof p);
		t = rs_params_add(&p, "E", 2, 2, 1);
		rs_params_alloc(&p);
		rs_params_alloc_training(&p);
		rs_optim_default(&o, dense ? RS_ADAM_DENSE : RS_ADAM, 0.1f, 0.0f);
		for (int i = 0; i < 4; i++)
			rs_w(&p, t)[i] = 1.0f;
		rs_g(&p, t)[0] = rs_g(&p, t)[1] = 1.0f;   /* row 0 used in step 1 */
		rs_touch(&p, t, 0);
		rs_optim_step(&o, &p);
		rs_g(&p, t)[2] = 1.0f;                    /* only row 1 in step 2 */
		rs_touch(&p, t, 1);
		rs_optim_step(&o, &p);
		float row0 = rs_w(&p, t)[0];
		if (dense)
			ok(row0 < 0.9f - 1e-3f, "dense Adam keeps moving row 0 by momentum: %.6f", row0);
		else
			/* row 1's first update uses the global step t = 2 for bias correction */
			ok(near(row0, 0.9) && near(rs_w(&p, t)[2], 1.0 - 0.1 * (0.1 / 0.19) / sqrt(0.001 / 0.001999)) &&
			   near(rs_w(&p, t)[3], 1.0),
			   "lazy Adam moves only touched rows (row 0 %.6f, row 1 %.6f)", row0, rs_w(&p, t)[2]);
		rs_params_free(&p);
	}

	/* Rows of 31 (MF's 30 factors and bias) and 37, several steps: every
	 * weight equals PyTorch's formula in float, bit for bit, whichever
	 * vector path the CPU takes (the test is built without wide vectors) */
	for (int cols = 31; cols <= 37; cols += 6) {
		enum { ROWS = 4, STEPS = 3 };
		memset(&p, 0, sizeof p);
		t = rs_params_add(&p, "E", ROWS, (uint32_t)cols, 1);
		rs_params_alloc(&p);
		rs_params_alloc_training(&p);
		rs_optim_default(&o, RS_ADAM, 0.01f, 0.001f);
		rs_rng r;
		rs_rng_seed(&r, 3);
		float w[ROWS * 37], m[ROWS * 37] = {0}, v[ROWS * 37] = {0};
		for (int i = 0; i < ROWS * cols; i++)
			w[i] = rs_w(&p, t)[i] = (float)rs_rng_normal(&r);
		int same = 1;
		for (int step = 1; step <= STEPS; step++) {
			float bc1 = (float)(1.0 - pow(o.beta1, step));
			float bc2 = (float)(1.0 / sqrt(1.0 - pow(o.beta2, step)));
			float lr_t = o.lr / bc1;
			for (int row = 1; row < ROWS; row += 2) {   /* rows 1 and 3 */
				rs_touch(&p, t, (uint32_t)row);
				for (int f = 0; f < cols; f++) {
					int i = row * cols + f;
					float g = (float)rs_rng_normal(&r);
					rs_g(&p, t)[i] = g;
					float gi = g + o.weight_decay * w[i];
					m[i] = o.beta1 * m[i] + (1.0f - o.beta1) * gi;
					v[i] = o.beta2 * v[i] + (1.0f - o.beta2) * gi * gi;
					w[i] -= lr_t * m[i] / (sqrtf(v[i]) * bc2 + o.eps);
				}
			}
			rs_optim_step(&o, &p);
			same &= !memcmp(w, rs_w(&p, t), (size_t)ROWS * cols * sizeof *w);
		}
		ok(same, "Adam on rows of %d: every bit as the scalar formula, untouched rows unchanged", cols);
		rs_params_free(&p);
	}

	/* SGD: w -= lr (g + wd w) */
	memset(&p, 0, sizeof p);
	t = rs_params_add(&p, "w", 1, 1, 0);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_w(&p, t)[0] = 1.0f;
	rs_g(&p, t)[0] = 0.5f;
	rs_optim_default(&o, RS_SGD, 0.1f, 0.1f);
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 1.0 - 0.1 * 0.6), "SGD step");
	rs_params_free(&p);

	/* RNG */
	rs_rng a, b, c;
	rs_rng_seed(&a, 7);
	rs_rng_seed(&b, 7);
	rs_rng_seed(&c, 8);
	int same = 1, differ = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rs_rng_u64(&a);
		same &= x == rs_rng_u64(&b);
		differ |= x != rs_rng_u64(&c);
	}
	ok(same && differ, "the same seed gives the same sequence, another seed another");
	double sum = 0, sq = 0;
	int inrange = 1;
	for (int i = 0; i < 100000; i++) {
		double z = rs_rng_normal(&a);
		sum += z, sq += z * z;
		inrange &= rs_rng_below(&a, 7) < 7;
	}
	ok(fabs(sum / 1e5) < 0.02 && fabs(sq / 1e5 - 1) < 0.02 && inrange,
	   "normal draws have mean 0 and variance 1; below(n) stays below n");
	rs_rng_seed(&a, 1);
	ok(rs_rng_u64(&a) == 0xb3f2af6d0fc710c5ULL, "xoshiro256** seeded by splitmix64(1) is stable across builds");

	/* metrics */
	float s[] = {0.1f, 0.4f, 0.35f, 0.8f}, y[] = {0, 0, 1, 1};
	uint64_t work[8];
	ok(near(rs_auc(s, y, 4, work), 0.75), "AUC of a textbook example is 0.75");
	float ts[] = {0.5f, 0.5f, 0.5f, 0.9f}, ty[] = {0, 1, 0, 1};
	ok(near(rs_auc(ts, ty, 4, work), 0.75), "tied scores share their average rank");
	{   /* against counting every positive-negative pair, on 500 scores of
	     * both signs with many ties */
		enum { N = 500 };
		float rs[N], ry[N];
		uint64_t rw[2 * N];
		rs_rng_seed(&a, 11);
		for (int i = 0; i < N; i++) {
			rs[i] = (float)((int)rs_rng_below(&a, 61) - 30) / 10.0f;
			ry[i] = (float)(rs_rng_uniform(&a) < 0.3 + 0.1 * rs[i]);
		}
		double wins = 0, pairs = 0;
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++)
				if (ry[i] > 0.5f && ry[j] < 0.5f) {
					pairs++;
					wins += rs[i] > rs[j] ? 1.0 : rs[i] == rs[j] ? 0.5 : 0.0;
				}
		ok(fabs(rs_auc(rs, ry, N, rw) - wins / pairs) < 1e-12,
		   "AUC equals the share of positive-negative pairs ranked right (%.6f)", wins / pairs);
	}
	float one[] = {1, 1};
	ok(isnan(rs_auc(s, one, 2, work)), "AUC is undefined with one class");
	float p2[] = {0.0f, 1.0f}, y2[] = {1, 0};
	ok(near(rs_logloss(p2, y2, 2), -log(1e-7)), "logloss clips probabilities to [1e-7, 1-1e-7]");
	ok(near(rs_accuracy(s, y, 4), 0.75), "accuracy at 0.5");
	float pr[] = {1, 2, 3}, yr[] = {2, 2, 5};
	ok(near(rs_rmse(pr, yr, 3), sqrt(5.0 / 3)) && near(rs_mae(pr, yr, 3), 1.0), "RMSE and MAE");
	return tap_done();
}
