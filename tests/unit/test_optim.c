/* Adam's first steps against values worked by hand; AdamW's decoupled
 * decay; lazy versus dense rows;
 * Adam bit for bit against its scalar formula; SGD's step; the row-wise
 * steps (AdaGrad, adam-row) against their closed forms. */
#include <math.h>
#include <string.h>

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

	/* AdamW takes the decay off the weight, apart from the adaptive step:
	 * w = 2, g = 1, wd = 0.5, lr 0.1 -> w = 2 (1 - 0.05) - 0.1 = 1.8, where
	 * Adam's g' = 2 moves by lr alone (1.9); a sparse row not touched
	 * does not decay (lazy, as Adam's rows do not move) */
	memset(&p, 0, sizeof p);
	t = rs_params_add(&p, "E", 2, 1, 1);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_w(&p, t)[0] = rs_w(&p, t)[1] = 2.0f;
	rs_optim_default(&o, RS_ADAMW, 0.1f, 0.5f);
	rs_g(&p, t)[0] = 1.0f;
	rs_touch(&p, t, 0);
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 1.8) && rs_w(&p, t)[1] == 2.0f,
	   "AdamW decays the weight apart from the step (%.7f), an untouched row not at all (%.7f)",
	   rs_w(&p, t)[0], rs_w(&p, t)[1]);
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
	for (int run = 0; run < 4; run++) {
		enum { ROWS = 4, STEPS = 3 };
		int cols = run % 2 ? 37 : 31, decoupled = run >= 2;   /* AdamW on the same rows */
		memset(&p, 0, sizeof p);
		t = rs_params_add(&p, "E", ROWS, (uint32_t)cols, 1);
		rs_params_alloc(&p);
		rs_params_alloc_training(&p);
		rs_optim_default(&o, decoupled ? RS_ADAMW : RS_ADAM, 0.01f, 0.001f);
		float wd = decoupled ? 0.0f : o.weight_decay, keep = decoupled ? 1.0f - o.lr * o.weight_decay : 1.0f;
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
					float gi = g + wd * w[i];
					m[i] = o.beta1 * m[i] + (1.0f - o.beta1) * gi;
					v[i] = o.beta2 * v[i] + (1.0f - o.beta2) * gi * gi;
					w[i] = w[i] * keep - lr_t * m[i] / (sqrtf(v[i]) * bc2 + o.eps);
				}
			}
			rs_optim_step(&o, &p);
			same &= !memcmp(w, rs_w(&p, t), (size_t)ROWS * cols * sizeof *w);
		}
		ok(same, "%s on rows of %d: every bit as the scalar formula, untouched rows unchanged",
		   decoupled ? "AdamW" : "Adam", cols);
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

	/* The row-wise steps under a constant gradient G on row 1 of a sparse
	 * table of rows of 11 (one past the eight partial sums), weight decay
	 * 0: with s the mean of G^2, AdaGrad's accumulator after t steps is
	 * t s and w_t = w_0 - lr G sum_{j<=t} 1 / (sqrt(j s) + eps); adam-row's
	 * moments are m_t = (1 - b1^t) G and v_t = (1 - b2^t) s, so every step
	 * moves w by lr G / (sqrt(s) + eps). Row 0, never touched, stays. */
	for (int kind = RS_ADAGRAD; kind <= RS_ADAM_ROW; kind++) {
		enum { COLS = 11, STEPS = 7 };
		memset(&p, 0, sizeof p);
		t = rs_params_add(&p, "E", 3, COLS, 1);
		rs_params_alloc(&p);
		rs_params_alloc_training(&p);
		rs_optim_default(&o, (rs_optimizer)kind, 0.05f, 0.0f);
		double G[COLS], s = 0, sum = 0;
		for (int f = 0; f < COLS; f++) {
			G[f] = 0.1 * (f - 4);
			s += G[f] * G[f] / COLS;
			rs_w(&p, t)[f] = rs_w(&p, t)[COLS + f] = 1.0f;
		}
		for (int j = 1; j <= STEPS; j++) {
			for (int f = 0; f < COLS; f++)
				rs_g(&p, t)[COLS + f] = (float)G[f];
			rs_touch(&p, t, 1);
			rs_optim_step(&o, &p);
			sum += kind == RS_ADAGRAD ? 1.0 / (sqrt(j * s) + o.eps) : 1.0 / (sqrt(s) + o.eps);
		}
		double worst = 0;
		int row0 = 1, zeroed = 1;
		for (int f = 0; f < COLS; f++) {
			double want = 1.0 - o.lr * G[f] * sum, got = rs_w(&p, t)[COLS + f];
			worst = fmax(worst, fabs(got - want));
			row0 &= rs_w(&p, t)[f] == 1.0f;
			zeroed &= rs_g(&p, t)[COLS + f] == 0.0f;
		}
		row0 &= p.v[p.t[t].off] == 0.0f && p.v[p.t[t].off + 2] == 0.0f;
		ok(worst < 1e-6 && row0 && zeroed, "%s: %d steps of a constant gradient as the closed form "
		   "(worst %.2g), an untouched row and its accumulator unchanged, the gradient zeroed",
		   rs_optimizer_names[kind], STEPS, worst);
		double acc = kind == RS_ADAGRAD ? STEPS * s : (1.0 - pow(o.beta2, STEPS)) * s;
		ok(fabs(p.v[p.t[t].off + 1] - acc) < 1e-7 * (1 + acc),
		   "%s: one second moment a row, at its row's index of v: %.9g (closed form %.9g)",
		   rs_optimizer_names[kind], p.v[p.t[t].off + 1], acc);
		rs_params_free(&p);
	}

	/* weight decay joins the row's gradient: w = 2, g = 0, wd = 0.5 ->
	 * g' = 1, s = 1: AdaGrad's first step is lr / (1 + eps) */
	memset(&p, 0, sizeof p);
	t = rs_params_add(&p, "w", 1, 1, 0);
	rs_params_alloc(&p);
	rs_params_alloc_training(&p);
	rs_w(&p, t)[0] = 2.0f;
	rs_optim_default(&o, RS_ADAGRAD, 0.1f, 0.5f);
	rs_optim_step(&o, &p);
	ok(near(rs_w(&p, t)[0], 1.9), "weight decay is added to the row-wise gradient: %.7f", rs_w(&p, t)[0]);
	rs_params_free(&p);

	/* rs_optim_step_threads: a dense tensor, a sparse one with listed rows
	 * and a bias column, 3 steps on 1, 2 and 3 threads: the same bits under
	 * every optimizer (each float's, each row's step is its own) */
	for (int kind = RS_ADAM; kind <= RS_ADAMW; kind++) {
		float first[3][1024];   /* the block's floats, padding included (checked) */
		for (int threads = 1; threads <= 3; threads++) {
			memset(&p, 0, sizeof p);
			int d = rs_params_add(&p, "W", 5, 7, 0), e = rs_params_add(&p, "E", 40, 7, 1);
			rs_params_alloc(&p);
			rs_params_alloc_training(&p);
			if (p.size > 1024) {
				ok(0, "the block's %zu floats fit the test's 1024", p.size);
				return tap_done();
			}
			rs_optim_default(&o, (rs_optimizer)kind, 0.01f, 0.01f);
			rs_rng r;
			rs_rng_seed(&r, 5);
			for (size_t i = 0; i < p.size; i++)
				p.w[i] = (float)rs_rng_normal(&r);
			int same = 1;
			for (int step = 0; step < 3; step++) {
				for (int i = 0; i < 35; i++)
					rs_g(&p, d)[i] = (float)rs_rng_normal(&r);
				for (uint32_t row = (uint32_t)step; row < 40; row += 3) {
					rs_touch(&p, e, row);
					for (int f = 0; f < 7; f++)
						rs_g(&p, e)[row * 7 + f] = (float)rs_rng_normal(&r);
				}
				rs_optim_step_threads(&o, &p, threads);
				if (threads == 1)
					memcpy(first[step], p.w, p.size * sizeof *p.w);
				else
					same &= !memcmp(first[step], p.w, p.size * sizeof *p.w);
			}
			if (threads > 1)
				ok(same, "%s on %d threads: every step the bits of one thread",
				   rs_optimizer_names[kind], threads);
			rs_params_free(&p);
		}
	}
	return tap_done();
}
