/* mcmc_draws.c: a sweep of the chain's draws (mcmc_chain.h): the probit
 * latent targets, the noise precision and priors, w0, then every
 * feature's weight and factors: jointly (mcmc_joint.c), or one at a time
 * (the reference scan, here), and the blocks' (mcmc_blocks.c). */
#include "mcmc_internal.h"
#include "mcmc_conjugate.h"

void rs_chain_draw_latent(rs_chain *c, rs_rng *rng)
{
	for (size_t r = 0; r < c->n; r++) {
		double yhat = c->y[r] - E(r);
		double z = rs_mcmc_latent(yhat, c->label[r] > 0.5f, rng);
		c->y[r] = (float)z;
		E(r) = (float)(z - yhat);
	}
}

void rs_chain_draw_hyper(rs_chain *c, int click, rs_rng *rng)
{
	if (!click) {   /* the noise precision ~ Gamma(1 + n/2, 1 + sum e^2 / 2) */
		double ss = 0;
		for (size_t r = 0; r < c->n; r++)
			ss += (double)E(r) * E(r);
		c->alpha = rs_rng_gamma(rng, 1.0 + 0.5 * (double)c->n, 1.0 + 0.5 * ss);
	}
	for (int g = 0; g < c->ngroups; g++) {   /* fields are contiguous */
		uint32_t off = c->goff[g], size = c->goff[g + 1] - off;
		rs_mcmc_prior(c->w + off, size, 1, &c->mu_w[g], &c->lam_w[g], rng);
		for (int f = 0; f < c->k; f++)
			rs_mcmc_prior(c->V + (size_t)off * c->k + f, size, (size_t)c->k,
				      &c->mu_v[(size_t)g * c->k + f], &c->lam_v[(size_t)g * c->k + f], rng);
	}
}

/* sum h^2 and sum e h over a column's records i in [a, b), h = x (q - v x),
 * in four independent sums each: one sum's add latency bounded the loop */
static void column_sums(const rs_chain *c, size_t a, size_t b, int f, float v, int ones, double *h2,
			double *eh)
{
	double s2[4] = {0}, se[4] = {0};
	size_t i = a;
	if (ones) {   /* x = 1: no value to read */
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = ROW(c->crow[i + t]), *q = p + f;
				double hh = *q - v;
				s2[t] += hh * hh;
				se[t] += p[c->Kp] * hh;
			}
		for (; i < b; i++) {
			const float *p = ROW(c->crow[i]), *q = p + f;
			double hh = *q - v;
			s2[0] += hh * hh;
			se[0] += p[c->Kp] * hh;
		}
	} else {
		for (; i + 4 <= b; i += 4)
			for (int t = 0; t < 4; t++) {
				const float *p = ROW(c->crow[i + t]), *q = p + f;
				double x = c->cval[i + t], hh = x * (*q - v * x);
				s2[t] += hh * hh;
				se[t] += p[c->Kp] * hh;
			}
		for (; i < b; i++) {
			const float *p = ROW(c->crow[i]), *q = p + f;
			double x = c->cval[i], hh = x * (*q - v * x);
			s2[0] += hh * hh;
			se[0] += p[c->Kp] * hh;
		}
	}
	*h2 = (s2[0] + s2[1]) + (s2[2] + s2[3]);
	*eh = (se[0] + se[1]) + (se[2] + se[3]);
}

/* The reference draws, one parameter at a time: w_j, then factor by
 * factor V[j,f]. */
static void draw_single(rs_chain *c, rs_rng *rng)
{
	int k = c->k;
	for (uint32_t j = 0; j < c->io; j++) {
		double h2 = 0, eh = 0;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++) {
			double x = c->cval[i];
			h2 += x * x;
			eh += E(c->crow[i]) * x;
		}
		int g = c->group[j];
		double w = rs_mcmc_draw(c->alpha, h2, eh, c->w[j], c->mu_w[g], c->lam_w[g], rng);
		float dw = (float)w - c->w[j];
		c->w[j] = (float)w;
		for (size_t i = c->coff[j]; i < c->coff[j + 1]; i++)
			E(c->crow[i]) -= dw * c->cval[i];
	}
	for (int b = 0; b < c->nblocks; b++)
		rs_chain_draw_block_w(c, &c->blk[b], rng);
	for (int f = 0; f < k; f++) {
		for (uint32_t j = 0; j < c->io; j++) {
			float *v = &c->V[(size_t)j * k + f];
			double h2 = 0, eh = 0;
			size_t a = c->coff[j], b = c->coff[j + 1];
			column_sums(c, a, b, f, *v, c->ones[j], &h2, &eh);
			size_t gf = (size_t)c->group[j] * k + f;
			double nv = rs_mcmc_draw(c->alpha, h2, eh, *v, c->mu_v[gf], c->lam_v[gf], rng);
			/* v in a local: the rows' stores might otherwise alias it */
			float v0 = *v, dv = (float)nv - v0;
			if (c->ones[j]) {
				for (size_t i = a; i < b; i++) {
					float *p = ROW(c->crow[i]), *q = p + f;
					p[c->Kp] -= dv * (*q - v0);
					*q += dv;
				}
			} else {
				for (size_t i = a; i < b; i++) {
					float *p = ROW(c->crow[i]), *q = p + f, x = c->cval[i];
					p[c->Kp] -= dv * x * (*q - v0 * x);
					*q += dv * x;
				}
			}
			*v = (float)nv;
		}
		for (int b = 0; b < c->nblocks; b++)
			rs_chain_draw_block_v(c, &c->blk[b], f, rng);
	}
}

void rs_chain_draw_params(rs_chain *c, rs_rng *rng)
{
	size_t n = c->n;
	int k = c->k;
	/* w0, under a flat prior */
	double se = 0;
	for (size_t r = 0; r < n; r++)
		se += E(r);
	double w0 = rs_mcmc_draw(c->alpha, (double)n, se, c->w0, 0, 0, rng);
	float dw0 = (float)(w0 - c->w0);
	c->w0 = w0;
	for (size_t r = 0; r < n; r++)
		E(r) -= dw0;
	if (!(c->scan & RS_CHAIN_JOINT)) {
		draw_single(c, rng);
		return;
	}
	rs_chain_draw_joint(c, rs_rng_u64(rng));
	for (int b = 0; b < c->nblocks; b++)
		rs_chain_draw_block_w(c, &c->blk[b], rng);
	for (int f = 0; f < k; f++)
		for (int b = 0; b < c->nblocks; b++)
			rs_chain_draw_block_v(c, &c->blk[b], f, rng);
}
