/* The Gibbs sampler's draws against their closed forms: the mean and
 * variance of many draws within 5 standard errors (or the stated
 * tolerance) of the distribution's own. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fm.h"
#include "fit.h"
#include "mcmc.h"
#include "mcmc_chain.h"
#include "mcmc_conjugate.h"
#include "rank.h"
#include "rng.h"
#include "tap.h"

enum { DRAWS = 200000 };

typedef struct moments {
	double mean, var;
} moments;

static moments of(const double *x, int n)
{
	double s = 0, ss = 0;
	for (int i = 0; i < n; i++)
		s += x[i];
	double m = s / n;
	for (int i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	return (moments){m, ss / (n - 1)};
}

/* |mean - want| within 5 standard errors, the variance within 3% */
static int near(moments got, double mean, double var)
{
	return fabs(got.mean - mean) < 5 * sqrt(var / DRAWS) && fabs(got.var / var - 1) < 0.03;
}

static double phi(double x) { return exp(-0.5 * x * x) / sqrt(2 * M_PI); }
static double Phi(double x) { return 0.5 * erfc(-x / sqrt(2)); }

/* A random rating stream of U users and I items with the fields of
 * ml-onehot --implicit (raters: the item's train users, implicit: the
 * user's train items, each at 1/sqrt(n)); about a fifth of it test records. */
enum { U = 40, I = 30, N = 1200 };
static void implicit_stream(rs_dataset *d, rs_header *h)
{
	memset(h, 0, sizeof *h);
	h->nusers = U, h->nitems = I;
	h->user_ids = malloc(U * sizeof *h->user_ids);
	h->item_ids = malloc(I * sizeof *h->item_ids);
	for (int i = 0; i < U; i++)
		h->user_ids[i] = 100 + i;
	for (int i = 0; i < I; i++)
		h->item_ids[i] = 500 + i;
	rs_header_set_target(h, "rating");
	rs_header_add_field(h, "user", U);
	rs_header_add_field(h, "item", I);
	rs_header_add_field(h, "raters", U);
	rs_header_add_field(h, "implicit", I);
	rs_rng rng;
	rs_rng_seed(&rng, 3);
	uint32_t user[N], item[N];
	uint8_t train[N];
	for (int r = 0; r < N; r++) {
		user[r] = rs_rng_below(&rng, U);
		item[r] = (user[r] * 7 + rs_rng_below(&rng, 12)) % I;
		train[r] = rs_rng_uniform(&rng) < 0.8;
	}
	rs_user_items byuser, byitem;
	rs_user_items_of(&byuser, N, user, item, train, U);
	rs_user_items_of(&byitem, N, item, user, train, I);
	rs_dataset_like(d, h, 0, 1);
	for (int r = 0; r < N; r++) {
		uint32_t x[2 + U + I];
		float xv[2 + U + I];
		int k = 0;
		x[k] = user[r], xv[k++] = 1;
		x[k] = U + item[r], xv[k++] = 1;
		const rs_user_items *lists[2] = {&byitem, &byuser};
		uint32_t keys[2] = {item[r], user[r]}, offs[2] = {U + I, U + I + U};
		for (int t = 0; t < 2; t++) {
			const uint32_t *it = lists[t]->items;
			size_t a = lists[t]->off[keys[t]], b = lists[t]->off[keys[t] + 1], n = 0;
			for (size_t j = a; j < b; j++)
				n += j == a || it[j] != it[j - 1];
			for (size_t j = a; j < b; j++)
				if (j == a || it[j] != it[j - 1])
					x[k] = offs[t] + it[j], xv[k++] = (float)(1 / sqrt((double)n));
		}
		rs_dataset_push(d, user[r], item[r], x, xv, k);
		d->split[d->n - 1] = train[r] ? 0 : 1;
		d->y[d->n - 1] = (float)(1 + (user[r] + 2 * item[r]) % 5);
	}
	rs_user_items_free(&byuser);
	rs_user_items_free(&byitem);
}

static void fit(rs_model *m, rs_dataset *d, const char *options, int scan)
{
	rs_quiet = 1;
	rs_train_opts o = {.quiet = 1, .threads = 1};
	rs_hparams hp;
	rs_hparams_from(&hp, RS_CAP_MCMC | RS_CAP_ITERS, options);
	rs_model_create(m, &rs_fm_mcmc_ops, &hp, d);
	rs_fit_method by = rs_fit_mcmc;   /* the sampler with this scan */
	by.variant = scan;
	rs_fit_with(&by, m, d, &o);
}

/* The raters and implicit fields drawn by block and as plain features,
 * one parameter at a time: the same draws in the same order, so the same
 * chain up to float rounding. */
static void blocks_against_plain(rs_dataset *d)
{
	rs_model m[2];
	for (int blocks = 0; blocks < 2; blocks++)
		fit(&m[blocks], d, "--factors 4 --iters 6 --burn-in 2 --init-std 0.1",
		    blocks ? RS_CHAIN_BLOCKS : 0);
	double worst = 0;
	for (size_t i = 0; i < m[0].p.size; i++)
		worst = fmax(worst, fabs(m[0].p.w[i] - m[1].p.w[i]));
	double a = m[0].log[5].v[RS_LOG_TEST_RMSE], b = m[1].log[5].v[RS_LOG_TEST_RMSE];
	ok(worst < 1e-3 && fabs(a - b) < 1e-4,
	   "raters and implicit fields by block = as plain features: weights within %.2g, test RMSE %.6f and %.6f",
	   worst, a, b);
	rs_model_free(&m[0]);
	rs_model_free(&m[1]);
}

/* The joint draws of (w_j, V[j,:]) and the one-at-a-time draws are two
 * scans of one posterior: long chains of each give the same posterior
 * mean scores of the test records up to Monte Carlo error, which two
 * seeds of each scan measure (the one-at-a-time scan mixes slower, so
 * its seeds differ more and bound the test's power). */
static void joint_against_single(rs_dataset *d)
{
	uint32_t test[N];
	size_t nt = rs_dataset_select(d, RS_SPLIT_TEST, test);
	float *pred[2][2];
	for (int joint = 0; joint < 2; joint++)
		for (int seed = 0; seed < 2; seed++) {
			rs_model m;
			char options[128];
			snprintf(options, sizeof options,
				 "--factors 2 --iters 3000 --burn-in 200 --thin 1 --init-std 0.1 --seed %d", seed + 1);
			fit(&m, d, options, RS_CHAIN_BLOCKS | (joint ? RS_CHAIN_JOINT : 0));
			pred[joint][seed] = malloc(nt * sizeof **pred);
			rs_model_predict(&m, d, test, nt, pred[joint][seed], 0);
			rs_model_free(&m);
		}
	double seeds[2] = {0, 0}, across = 0;
	for (size_t i = 0; i < nt; i++) {
		for (int s = 0; s < 2; s++) {
			double dd = pred[s][0][i] - pred[s][1][i];
			seeds[s] += dd * dd;
		}
		double dd = (pred[1][0][i] + pred[1][1][i]) / 2 - (pred[0][0][i] + pred[0][1][i]) / 2;
		across += dd * dd;
	}
	for (int s = 0; s < 2; s++)
		seeds[s] = sqrt(seeds[s] / (double)nt);
	across = sqrt(across / (double)nt);
	/* with no bias, a side's mean of two seeds is off by its seeds' gap / 2,
	 * so the gap of the two means is sqrt(s0^2 + s1^2) / 2: twice that fails */
	double expect = sqrt(seeds[0] * seeds[0] + seeds[1] * seeds[1]) / 2;
	ok(nt > 100 && across < 2 * expect,
	   "joint draws' long-run test means = one at a time's: %zu test records, RMS gap %.4f "
	   "(%.4f expected by the gaps between seeds: %.4f one at a time, %.4f joint)", nt, across, expect,
	   seeds[0], seeds[1]);
	for (int j = 0; j < 2; j++)
		for (int s = 0; s < 2; s++)
			free(pred[j][s]);
}

/* The joint draw of D parameters against its closed form: mean
 * P^-1 (alpha (H theta + b) + lambda mu) and covariance P^-1 with
 * P = alpha H + diag(lambda), here for D = 3 by the adjugate. */
static void joint_closed_form(double *x)
{
	enum { D = 3 };
	double H[D * D] = {4.0, 1.2, -0.7, 1.2, 2.5, 0.4, -0.7, 0.4, 1.8};
	double b[D] = {0.9, -1.4, 0.3}, theta[D] = {0.2, -0.5, 1.1}, mu[D] = {0.1, 0.0, -0.3};
	double lambda[D] = {2.0, 0.5, 1.0}, alpha = 1.7, L[(D + 1) * D], out[D];
	double P[D * D], rhs[D], inv[D * D];
	for (int i = 0; i < D; i++) {
		rhs[i] = lambda[i] * mu[i];
		for (int j = 0; j < D; j++) {
			P[i * D + j] = alpha * H[i * D + j] + (i == j ? lambda[i] : 0);
			rhs[i] += alpha * H[i * D + j] * theta[j];
		}
		rhs[i] += alpha * b[i];
	}
#define A(i, j) P[(i) * D + (j)]
	double det = A(0, 0) * (A(1, 1) * A(2, 2) - A(1, 2) * A(2, 1)) -
		     A(0, 1) * (A(1, 0) * A(2, 2) - A(1, 2) * A(2, 0)) +
		     A(0, 2) * (A(1, 0) * A(2, 1) - A(1, 1) * A(2, 0));
	for (int i = 0; i < D; i++)
		for (int j = 0; j < D; j++) {   /* inv = adj / det, adj(i,j) = cofactor(j,i) */
			int r0 = (j + 1) % D, r1 = (j + 2) % D, c0 = (i + 1) % D, c1 = (i + 2) % D;
			inv[i * D + j] = (A(r0, c0) * A(r1, c1) - A(r0, c1) * A(r1, c0)) / det;
		}
#undef A
	double mean[D] = {0};
	for (int i = 0; i < D; i++)
		for (int j = 0; j < D; j++)
			mean[i] += inv[i * D + j] * rhs[j];
	rs_rng rng;
	rs_rng_seed(&rng, 11);
	int drawn = 1;
	for (int n = 0; n < DRAWS; n++) {
		drawn &= rs_mcmc_draw_joint(D, alpha, H, b, theta, mu, lambda, L, out, &rng);
		for (int i = 0; i < D; i++)
			x[(size_t)n * D + i] = out[i];
	}
	double worst_mean = 0, worst_cov = 0;   /* in standard errors; relative to the scale */
	for (int i = 0; i < D; i++) {
		double m = 0;
		for (int n = 0; n < DRAWS; n++)
			m += x[(size_t)n * D + i];
		m /= DRAWS;
		worst_mean = fmax(worst_mean, fabs(m - mean[i]) / sqrt(inv[i * D + i] / DRAWS));
		for (int j = 0; j < D; j++) {
			double c = 0;
			for (int n = 0; n < DRAWS; n++)
				c += (x[(size_t)n * D + i] - mean[i]) * (x[(size_t)n * D + j] - mean[j]);
			c /= DRAWS;
			worst_cov = fmax(worst_cov, fabs(c - inv[i * D + j]) / sqrt(inv[i * D + i] * inv[j * D + j]));
		}
	}
	ok(drawn && worst_mean < 5 && worst_cov < 0.03,
	   "a joint draw of 3: mean within %.2f standard errors, covariance within %.4f of the closed form's scale",
	   worst_mean, worst_cov);
	double bad[D * D] = {1, 2, 0, 2, 1, 0, 0, 0, 1}, zero[D] = {0, 0, 0}, tiny[D] = {1e-9, 1e-9, 1e-9};
	ok(!rs_mcmc_draw_joint(D, 1.0, bad, b, zero, zero, tiny, L, out, &rng),
	   "a joint draw refuses a precision that is not positive definite");
}

int main(void)
{
	rs_header h;
	rs_dataset d;
	implicit_stream(&d, &h);
	blocks_against_plain(&d);
	joint_against_single(&d);
	rs_dataset_free(&d);
	rs_header_free(&h);
	double *x = malloc(3 * (size_t)DRAWS * sizeof *x);
	joint_closed_form(x);
	rs_rng rng;
	rs_rng_seed(&rng, 7);

	/* normals drawn in pairs: each of the pair N(0, 1), the two uncorrelated
	 * (their product's mean 0, within 5 standard errors of 1/sqrt(n)) */
	{
		double pair[2], cross = 0, *y = x + DRAWS / 2;
		for (int i = 0; i < DRAWS / 2; i++) {
			rs_rng_normals(&rng, pair, 2);
			x[i] = pair[0], y[i] = pair[1];
			cross += pair[0] * pair[1];
		}
		moments a = of(x, DRAWS / 2), b = of(y, DRAWS / 2);
		cross /= DRAWS / 2;
		double se = 5 * sqrt(2.0 / DRAWS);
		ok(fabs(a.mean) < se && fabs(b.mean) < se && fabs(a.var - 1) < 0.03 && fabs(b.var - 1) < 0.03 &&
		   fabs(cross) < se, "normals in pairs: means %.4f, %.4f, variances %.4f, %.4f, E[xy] %.4f",
		   a.mean, b.mean, a.var, b.var, cross);
	}
	double shapes[] = {0.5, 3.5, 500}, rates[] = {2, 2, 10};
	for (int t = 0; t < 3; t++) {
		for (int i = 0; i < DRAWS; i++)
			x[i] = rs_rng_gamma(&rng, shapes[t], rates[t]);
		double a = shapes[t], b = rates[t];
		moments m = of(x, DRAWS);
		ok(near(m, a / b, a / (b * b)), "Gamma(%g, rate %g): mean %.4f (%.4f), var %.5f (%.5f)",
		   a, b, m.mean, a / b, m.var, a / (b * b));
	}

	double cuts[] = {-1.5, 0, 0.7, 3};
	for (int t = 0; t < 4; t++) {
		double a = cuts[t], below = 1;
		for (int i = 0; i < DRAWS; i++)
			below = fmin(below, (x[i] = rs_rng_normal_above(&rng, a)) - a);
		/* the normal cut below at a: mean l = phi(a) / (1 - Phi(a)), variance 1 + a l - l^2 */
		double l = phi(a) / (1 - Phi(a)), var = 1 + a * l - l * l;
		moments m = of(x, DRAWS);
		ok(below > 0 && near(m, l, var), "N(0,1) above %g: all above, mean %.4f (%.4f), var %.4f (%.4f)",
		   a, m.mean, l, m.var, var);
	}

	/* one weight: y_i = theta x_i + noise of precision alpha, prior
	 * N(mu, 1/lambda); its posterior is N(mean, 1/prec) with
	 * prec = alpha sum x^2 + lambda, mean = (alpha sum x y + lambda mu) / prec,
	 * whatever theta the residuals were taken at */
	double xs[] = {1, -0.5, 2, 0.25, 1.5}, ys[] = {2.1, -0.8, 3.9, 0.7, 2.8};
	double alpha = 2.5, mu = 0.4, lambda = 3, sx2 = 0, sxy = 0;
	for (int i = 0; i < 5; i++)
		sx2 += xs[i] * xs[i], sxy += xs[i] * ys[i];
	double prec = alpha * sx2 + lambda, mean = (alpha * sxy + lambda * mu) / prec;
	for (int at = 0; at < 2; at++) {
		double theta = at ? -3 : 0.9, seh = 0;
		for (int i = 0; i < 5; i++)
			seh += (ys[i] - theta * xs[i]) * xs[i];
		for (int i = 0; i < DRAWS; i++)
			x[i] = rs_mcmc_draw(alpha, sx2, seh, theta, mu, lambda, &rng);
		moments m = of(x, DRAWS);
		ok(near(m, mean, 1 / prec), "a weight's conditional from theta %g: mean %.4f (%.4f), var %.5f (%.5f)",
		   theta, m.mean, mean, m.var, 1 / prec);
	}

	/* the Normal-Gamma step over values v at mu = 0.3: lambda ~
	 * Gamma(1 + (n+1)/2, 1 + (mu^2 + sum (v - mu)^2) / 2), then mu | lambda ~
	 * N(sum v / (n + 1), 1 / ((n + 1) lambda)) */
	float v[] = {0.5f, -0.2f, 0.1f, 0.9f, 0.3f, -0.4f};
	int n = 6;
	double mu0 = 0.3, ss = mu0 * mu0, sv = 0;
	for (int i = 0; i < n; i++)
		ss += (v[i] - mu0) * (v[i] - mu0), sv += v[i];
	double shape = 1 + (n + 1) / 2.0, rate = 1 + ss / 2;
	double *mus = malloc(DRAWS * sizeof *mus);
	for (int i = 0; i < DRAWS; i++) {
		double m = mu0, l;
		rs_mcmc_prior(v, (size_t)n, 1, &m, &l, &rng);
		x[i] = l, mus[i] = m;
	}
	moments ml = of(x, DRAWS), mm = of(mus, DRAWS);
	ok(near(ml, shape / rate, shape / (rate * rate)), "a prior's precision: mean %.4f (%.4f)", ml.mean,
	   shape / rate);
	/* mu's marginal over lambda: mean sum v / (n+1), variance E[1/lambda] / (n+1)
	 * = rate / (shape - 1) / (n + 1) */
	double muvar = rate / (shape - 1) / (n + 1);
	ok(near(mm, sv / (n + 1), muvar), "a prior's mean: mean %.4f (%.4f), var %.5f (%.5f)", mm.mean,
	   sv / (n + 1), mm.var, muvar);

	/* probit: a click's latent target is above 0, a non-click's at or
	 * below, and each is N(yhat, 1) cut there */
	int wrong = 0;
	double yhats[] = {-2, -0.3, 0, 1.1};
	for (int t = 0; t < 4; t++)
		for (int click = 0; click < 2; click++) {
			double yh = yhats[t];
			for (int i = 0; i < DRAWS; i++) {
				x[i] = rs_mcmc_latent(yh, click, &rng);
				wrong += click ? x[i] <= 0 : x[i] > 0;
			}
			double a = click ? -yh : yh, l = phi(a) / (1 - Phi(a)), var = 1 + a * l - l * l;
			moments m = of(x, DRAWS);
			ok(near(m, click ? yh + l : yh - l, var), "latent of yhat %g, click %d: mean %.4f (%.4f)",
			   yh, click, m.mean, click ? yh + l : yh - l);
		}
	ok(wrong == 0, "every latent target has its label's sign (%d wrong)", wrong);
	free(x);
	free(mus);
	return tap_done();
}
