/* als_solve.c: the implicit-ALS model's arithmetic (als.h): one row's normal
 * equations solved by conjugate gradient or Cholesky (linalg.h), the Gram
 * matrix of a side's rows, and the objective. The sweeps (train/fit_als.c)
 * and a new user's fold-in (score/foldin.c) both solve rows with it. */
#include "als.h"
#include "compute.h"
#include "dist.h"
#include "linalg.h"
#include "mem.h"
#include "nn.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

enum { P, Q };

/* a . b with 32 explicit partial sums: four independent vector chains
 * where rs_dot's eight lanes make one, whose add latency bound the row
 * solves; a fixed order all the same, so the same bits at any width */
static inline float dot32(const float *a, const float *b, int n)
{
	float acc[32] = {0};
	int i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 32; l++)
			acc[l] += a[i + l] * b[i + l];
	for (int l = 0; l < 16; l++)
		acc[l] += acc[l + 16];
	for (int l = 0; l < 8; l++)
		acc[l] += acc[l + 8];
	float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
	for (; i < n; i++)
		s += a[i] * b[i];
	return s;
}

// Ax = G x + reg x + sum_j cw_j (Y[j] . x) Y[j], cw_j = c_j - 1 the pair's
// confidence above the unobserved pairs'; G x as a sum of G's columns
// (rows: G is symmetric), so that no lane sum is taken per element
static inline void apply(float *Ax, const float *x, const float *G, const float *Y, const uint32_t *obs,
		  const float *cw, size_t n, int k, float reg)
{
	for (int a = 0; a < k; a++)
		Ax[a] = reg * x[a];
	for (int c = 0; c < k; c++) {
		const float *g = G + (size_t)c * k;
		float xc = x[c];
		for (int a = 0; a < k; a++)
			Ax[a] += xc * g[a];
	}
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		float s = cw[j] * dot32(y, x, k);
		for (int a = 0; a < k; a++)
			Ax[a] += s * y[a];
	}
}

RS_SIMD_BODY void solve_cg_body(float *x, const float *G, const float *Y, const uint32_t *obs,
			       const float *cw, size_t n, int k, double reg, int steps, float *work)
{
	float *r = work, *p = work + k, *Ap = work + 2 * k;
	float fr = (float)reg;
	// r = b - A x with b = sum_j c_j Y[j]: the observed rows in one pass,
	// r += (c_j - cw_j Y[j] . x) Y[j]
	apply(r, x, G, Y, obs, cw, 0, k, fr);
	for (int a = 0; a < k; a++)
		r[a] = -r[a];
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		float w = (1.0f + cw[j]) - cw[j] * dot32(y, x, k);
		for (int a = 0; a < k; a++)
			r[a] += w * y[a];
	}
	memcpy(p, r, (size_t)k * sizeof *p);
	float rr = rs_dot(r, r, k);
	for (int s = 0; s < steps && rr > 1e-12f; s++) {
		apply(Ap, p, G, Y, obs, cw, n, k, fr);
		float pAp = rs_dot(p, Ap, k);
		if (!(pAp > 0))
			break;   /* A is positive definite; a zero step means converged */
		float step = rr / pAp;
		for (int a = 0; a < k; a++) {
			x[a] += step * p[a];
			r[a] -= step * Ap[a];
		}
		float rr_next = rs_dot(r, r, k);
		for (int a = 0; a < k; a++)
			p[a] = r[a] + rr_next / rr * p[a];
		rr = rr_next;
	}
}

RS_SIMD_VOID(solve_cg, (float *x, const float *G, const float *Y, const uint32_t *obs,
			const float *cw, size_t n, int k, double reg, int steps, float *work),
	     (x, G, Y, obs, cw, n, k, reg, steps, work))

void rs_als_solve_cg(float *x, const float *G, const float *Y, const uint32_t *obs,
		     const float *cw, size_t n, int k, double reg, int steps, float *work)
{
	solve_cg(x, G, Y, obs, cw, n, k, reg, steps, work);
}

void rs_als_solve_cholesky(float *x, const float *G, const float *Y, const uint32_t *obs,
			   const float *cw, size_t n, int k, double reg, double *work)
{
	double *A = work, *b = work + (size_t)k * k;
	for (int a = 0; a < k; a++) {
		for (int c = 0; c <= a; c++)
			A[(size_t)a * k + c] = G[(size_t)a * k + c];
		A[(size_t)a * k + a] += reg;
		b[a] = 0;
	}
	for (size_t j = 0; j < n; j++) {
		const float *y = Y + (size_t)obs[j] * k;
		double alpha = cw[j];
		for (int a = 0; a < k; a++) {
			double ya = alpha * y[a];
			for (int c = 0; c <= a; c++)
				A[(size_t)a * k + c] += ya * y[c];
			b[a] += (1 + alpha) * y[a];
		}
	}
	// A = L L' in place (lower triangle), then L z = b, L' x = z
	rs_chol_factor(A, k, RS_CHOL_PLAIN);
	rs_chol_forward(A, k, RS_CHOL_PLAIN, b);
	rs_chol_back(A, k, RS_CHOL_PLAIN, b);
	for (int a = 0; a < k; a++)
		x[a] = (float)b[a];
}

/* Partial Gram matrices over blocks of rows, summed in block order after:
 * the same sums for any number of threads. */
typedef struct gram {
	const float *Y;
	size_t rows;
	int k;
	double *part;            /* (blocks, k, k) */
} gram;

enum { GRAM_BLOCK = 256 };

static void gram_blocks(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const gram *g = ctx;
	int k = g->k;
	for (size_t blk = lo; blk < hi; blk++) {
		double *G = g->part + blk * (size_t)k * k;
		memset(G, 0, (size_t)k * k * sizeof *G);
		size_t first = blk * GRAM_BLOCK, end = first + GRAM_BLOCK < g->rows ? first + GRAM_BLOCK : g->rows;
		rs_gram_lower(G, g->Y + first * (size_t)k, end - first, k);
	}
}

/* Y'Y over rows [lo, hi) of Y, summed over the ranks (each its share):
 * in blocks, then in double across them, then rounded once. */
void rs_als_gram_rows(float *G, const float *Y, size_t lo, size_t hi, int k, int threads,
		      double *part)
{
	size_t rows = hi - lo, blocks = (rows + GRAM_BLOCK - 1) / GRAM_BLOCK, kk = (size_t)k * k;
	gram g = {Y + lo * (size_t)k, rows, k, part};
	rs_parallel_for(blocks, 1, threads, gram_blocks, &g);
	double *sum = part + blocks * kk;
	for (size_t a = 0; a < kk; a++) {
		double s = 0;
		for (size_t b = 0; b < blocks; b++)
			s += part[b * kk + a];
		sum[a] = s;
	}
	rs_dist_sum_array(sum, kk);
	for (int a = 0; a < k; a++)
		for (int c = 0; c <= a; c++)
			G[(size_t)a * k + c] = G[(size_t)c * k + a] = (float)sum[(size_t)a * k + c];
}

size_t rs_als_gram_scratch(size_t rows, int k)
{
	return ((rows + GRAM_BLOCK - 1) / GRAM_BLOCK + 2) * (size_t)k * k;
}

void rs_als_gram(float *G, const float *Y, size_t rows, int k)
{
	double *part = rs_malloc(rs_als_gram_scratch(rows, k) * sizeof *part);
	rs_als_gram_rows(G, Y, 0, rows, k, 1, part);
	free(part);
}

/* The objective: sum over every pair of its confidence times its squared
 * error, plus reg times the squared norms (the caller takes it per train
 * record). */
RS_SIMD_BODY double objective_body(const rs_model *m, const float *G, const rs_user_items *byuser,
				   const float *cw)
{
	int k = m->hp.factors;
	uint32_t U = m->hdr.nusers;
	const float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	double all = 0, norms = 0;
	float *Gp = rs_malloc((size_t)k * sizeof *Gp);
	for (uint32_t u = 0; u < U; u++) {
		const float *p = Pw + (size_t)u * k;
		apply(Gp, p, G, Qw, NULL, NULL, 0, k, 0.0f);
		all += rs_dot(p, Gp, k);
		for (size_t j = byuser->off[u]; j < byuser->off[u + 1]; j++) {
			double s = dot32(p, Qw + (size_t)byuser->items[j] * k, k);
			all += (1 + (double)cw[j]) * (1 - s) * (1 - s) - s * s;
		}
	}
	free(Gp);
	for (size_t i = 0; i < m->p.size; i++)
		norms += (double)m->p.w[i] * m->p.w[i];
	return all + m->hp.reg * norms;
}
RS_SIMD_RET(double, objective, (const rs_model *m, const float *G, const rs_user_items *byuser,
				const float *cw), (m, G, byuser, cw))

double rs_als_objective(const rs_model *m, const float *G, const rs_user_items *byuser, const float *cw)
{
	return objective(m, G, byuser, cw);
}
