/* optim.c: Adam (lazy and dense), AdamW, SGD and the row-wise steps (AdaGrad,
 * Adam's row-wise second moment) over the parameter block. */
#include "optim.h"
#include "diag.h"
#include "compute.h"
#include "parallel.h"

#include <math.h>
#include <string.h>

void rs_optim_default(rs_optim *o, rs_optimizer kind, float lr, float weight_decay)
{
	*o = (rs_optim){kind, lr, weight_decay, 0.9f, 0.999f, 1e-8f};
}

const char *const rs_optimizer_names[6] = {"adam", "adam-dense", "sgd", "adagrad", "adam-row", "adamw"};

/* One Adam step on n floats starting at w/g/m/v, with wd the decay added
 * to the gradient (Adam's) and keep the factor on the weight (AdamW's
 * 1 - lr wd; Adam's 1, which leaves every bit as it was). Inlined into the
 * loop over rows below: the bias table's rows are one float, too short to
 * pay for a call. */
static inline __attribute__((always_inline)) void
adam_span(float *restrict w, float *restrict g, float *restrict m, float *restrict v, size_t n,
	  const rs_optim *o, float wd, float keep, float lr_t, float bc2_sqrt_inv)
{
	float b1 = o->beta1, b2 = o->beta2, eps = o->eps;
	for (size_t i = 0; i < n; i++) {
		float gi = g[i] + wd * w[i];
		m[i] = b1 * m[i] + (1.0f - b1) * gi;
		v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
		w[i] = w[i] * keep - lr_t * m[i] / (sqrtf(v[i]) * bc2_sqrt_inv + eps);
		g[i] = 0.0f;
	}
}

#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
#include <immintrin.h>
#define RS_ADAM16 1
/* The same step 16 floats at a time, the last ones under a mask, so that a
 * row of 31 (MF's 30 factors and bias) costs two vector steps, not one and
 * fifteen scalar ones: Adam's square root and division per weight were 37%
 * of mf-train. Multiplies and adds stay separate, in the order of
 * adam_span, and AVX-512's square root and division round as the scalar
 * ones do: both paths give the same bits. */
__attribute__((target("avx512f"))) static void
adam_span16(float *w, float *g, float *m, float *v, size_t n, const rs_optim *o, float wd_,
	    float keep_, float lr_t, float bc2_sqrt_inv)
{
	const __m512 b1 = _mm512_set1_ps(o->beta1), c1 = _mm512_set1_ps(1.0f - o->beta1);
	const __m512 b2 = _mm512_set1_ps(o->beta2), c2 = _mm512_set1_ps(1.0f - o->beta2);
	const __m512 wd = _mm512_set1_ps(wd_), keep = _mm512_set1_ps(keep_), eps = _mm512_set1_ps(o->eps);
	const __m512 lr = _mm512_set1_ps(lr_t), bc = _mm512_set1_ps(bc2_sqrt_inv);
	for (size_t i = 0; i < n; i += 16) {
		__mmask16 k = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
		__m512 wi = _mm512_maskz_loadu_ps(k, w + i), gi = _mm512_maskz_loadu_ps(k, g + i);
		__m512 mi = _mm512_maskz_loadu_ps(k, m + i), vi = _mm512_maskz_loadu_ps(k, v + i);
		gi = _mm512_add_ps(gi, _mm512_mul_ps(wd, wi));
		mi = _mm512_add_ps(_mm512_mul_ps(b1, mi), _mm512_mul_ps(c1, gi));
		vi = _mm512_add_ps(_mm512_mul_ps(b2, vi), _mm512_mul_ps(_mm512_mul_ps(c2, gi), gi));
		__m512 den = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(vi), bc), eps);
		wi = _mm512_sub_ps(_mm512_mul_ps(wi, keep), _mm512_div_ps(_mm512_mul_ps(lr, mi), den));
		_mm512_mask_storeu_ps(w + i, k, wi);
		_mm512_mask_storeu_ps(m + i, k, mi);
		_mm512_mask_storeu_ps(v + i, k, vi);
		_mm512_mask_storeu_ps(g + i, k, _mm512_setzero_ps());
	}
}
#endif

static inline __attribute__((always_inline)) void sgd_span(float *restrict w, float *restrict g,
							    size_t n, const rs_optim *o)
{
	for (size_t i = 0; i < n; i++) {
		w[i] -= o->lr * (g[i] + o->weight_decay * w[i]);
		g[i] = 0.0f;
	}
}

/* A row's mean square of gradient g (weight decay wd included), summed
 * in eight partial sums, rs_dot's order, so that every build gives the
 * same bits. */
static inline __attribute__((always_inline)) float row_mean_square(const float *restrict w,
								    const float *restrict g, float wd,
								    size_t c)
{
	float a[8] = {0}, sq;
	size_t f = 0;
	for (; f + 8 <= c; f += 8)
		for (int l = 0; l < 8; l++) {
			float gi = g[f + l] + wd * w[f + l];
			a[l] += gi * gi;
		}
	sq = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
	for (; f < c; f++) {
		float gi = g[f] + wd * w[f];
		sq += gi * gi;
	}
	return sq * (1.0f / (float)c);
}

/* RS_ADAGRAD's step of one row w (c floats) by gradient g, its
 * accumulator acc: one square root and one division. */
static inline __attribute__((always_inline)) void adagrad_row(const rs_optim *o, float *restrict w,
							       const float *restrict g, float *acc, size_t c)
{
	float wd = o->weight_decay;
	*acc += row_mean_square(w, g, wd, c);
	float scale = o->lr / (sqrtf(*acc) + o->eps);
	for (size_t f = 0; f < c; f++)
		w[f] -= scale * (g[f] + wd * w[f]);
}

/* The row-wise steps (optim.h) on rows [lo, hi) of T's list rows, or of
 * T itself (rows NULL). */
RS_SIMD_BODY void rowwise_body(const rs_optim *o, rs_params *p, const rs_tensor *T, const uint32_t *rows,
			       uint32_t lo, uint32_t hi, float lr_t, float bc2_sqrt_inv)
{
	size_t c = T->cols;
	float wd = o->weight_decay, b1 = o->beta1, b2 = o->beta2, eps = o->eps;
	int adam = o->kind == RS_ADAM_ROW;
	for (uint32_t j = lo; j < hi; j++) {
		uint32_t r = rows ? rows[j] : j;
		size_t off = T->off + (size_t)r * c;
		if (rows && j + 4 < hi) {   /* a row a few ahead: touched rows lie anywhere */
			size_t ahead = T->off + (size_t)rows[j + 4] * c;
			for (size_t x = 0; x < c; x += 16) {
				__builtin_prefetch(p->w + ahead + x, 1);
				__builtin_prefetch(p->g + ahead + x, 1);
				if (adam)
					__builtin_prefetch(p->m + ahead + x, 1);
			}
			__builtin_prefetch(p->v + T->off + rows[j + 4], 1);
		}
		float *restrict w = p->w + off, *restrict g = p->g + off, *restrict m = p->m + off;
		/* the rows' second moments side by side in the tensor's first
		 * floats of v: a row's is not a cache line of its own */
		float *acc = p->v + T->off + r;
		if (adam) {
			*acc = b2 * *acc + (1.0f - b2) * row_mean_square(w, g, wd, c);
			float scale = lr_t / (sqrtf(*acc) * bc2_sqrt_inv + eps);
			for (size_t f = 0; f < c; f++) {
				float gi = g[f] + wd * w[f];
				m[f] = b1 * m[f] + (1.0f - b1) * gi;
				w[f] -= scale * m[f];
			}
		} else {
			adagrad_row(o, w, g, acc, c);
		}
		memset(g, 0, c * sizeof *g);
	}
}

RS_SIMD_VOID(rowwise, (const rs_optim *o, rs_params *p, const rs_tensor *T, const uint32_t *rows, uint32_t lo,
		       uint32_t hi, float lr_t, float bc2_sqrt_inv),
	     (o, p, T, rows, lo, hi, lr_t, bc2_sqrt_inv))

/* Update rows [lo, hi) of T's list rows, or of T itself when rows is NULL
 * (one span: a dense tensor's rows lie end to end). */
static void update(const rs_optim *o, rs_params *p, const rs_tensor *T, const uint32_t *rows,
		   uint32_t lo, uint32_t hi, float lr_t, float bc2_sqrt_inv)
{
	if (o->kind == RS_ADAGRAD || o->kind == RS_ADAM_ROW) {
		rowwise(o, p, T, rows, lo, hi, lr_t, bc2_sqrt_inv);
		return;
	}
	size_t len = rows ? T->cols : (size_t)(hi - lo) * T->cols;
	size_t base = T->off + (rows ? 0 : (size_t)lo * T->cols);
	if (!rows)
		lo = 0, hi = 1;
	int decoupled = o->kind == RS_ADAMW;
	float wd = decoupled ? 0.0f : o->weight_decay, keep = decoupled ? 1.0f - o->lr * o->weight_decay : 1.0f;
	int wide = 0;
#ifdef RS_ADAM16
	wide = rs_compute_lanes() == 16 && o->kind != RS_SGD && len > 1;
#endif
	for (uint32_t j = lo; j < hi; j++) {
		size_t off = base + (rows ? (size_t)rows[j] * T->cols : 0);
		if (o->kind == RS_SGD)
			sgd_span(p->w + off, p->g + off, len, o);
#ifdef RS_ADAM16
		else if (wide)
			adam_span16(p->w + off, p->g + off, p->m + off, p->v + off, len, o, wd, keep,
				    lr_t, bc2_sqrt_inv);
#endif
		else
			adam_span(p->w + off, p->g + off, p->m + off, p->v + off, len, o, wd, keep, lr_t,
				  bc2_sqrt_inv);
	}
}

RS_SIMD_BODY void adagrad_rows_body(const rs_optim *o, rs_params *p, int t, const uint32_t *rows,
				     const float *g, int n)
{
	const rs_tensor *T = &p->t[t];
	size_t c = T->cols;
	for (int j = 0; j < n; j++)
		adagrad_row(o, p->w + T->off + (size_t)rows[j] * c, g + (size_t)j * c, p->v + T->off + rows[j],
			    c);
}

RS_SIMD_VOID(adagrad_rows, (const rs_optim *o, rs_params *p, int t, const uint32_t *rows, const float *g,
			    int n), (o, p, t, rows, g, n))

void rs_optim_rows(const rs_optim *o, rs_params *p, int t, const uint32_t *rows, const float *g, int n)
{
	if (o->kind != RS_ADAGRAD)
		rs_die("rs_optim_rows: %s does not step a row apart from the others", rs_optimizer_names[o->kind]);
	adagrad_rows(o, p, t, rows, g, n);
}

typedef struct step_job {
	const rs_optim *o;
	rs_params *p;
	int threads;
	float lr_t, bc2_sqrt_inv;
} step_job;

/* Thread t's share of every tensor's rows: each float's (each row's) step
 * depends on it alone, so any split gives the same bits. */
static void step_share(void *ctx, size_t t0, size_t t1, int t)
{
	(void)t;
	const step_job *j = ctx;
	rs_params *p = j->p;
	for (size_t share = t0; share < t1; share++)
		for (int k = 0; k < p->n; k++) {
			const rs_tensor *T = &p->t[k];
			int listed = T->sparse && j->o->kind != RS_ADAM_DENSE;
			uint64_t n = listed ? T->ntouched : T->rows;
			uint32_t lo = (uint32_t)(n * share / (size_t)j->threads);
			uint32_t hi = (uint32_t)(n * (share + 1) / (size_t)j->threads);
			if (lo < hi)
				update(j->o, p, T, listed ? T->touched : NULL, lo, hi, j->lr_t, j->bc2_sqrt_inv);
		}
}

void rs_optim_step_threads(const rs_optim *o, rs_params *p, int threads)
{
	p->step++;
	/* bias corrections once per step, not per parameter */
	double t = p->step;
	float bc1 = (float)(1.0 - pow(o->beta1, t));
	step_job j = {o, p, threads > 1 ? threads : 1, o->lr / bc1, (float)(1.0 / sqrt(1.0 - pow(o->beta2, t)))};
	if (j.threads == 1)
		step_share(&j, 0, 1, 0);
	else
		rs_parallel_for((size_t)j.threads, 1, j.threads, step_share, &j);
	for (int k = 0; k < p->n; k++)
		p->t[k].ntouched = 0;
}

void rs_optim_step(const rs_optim *o, rs_params *p) { rs_optim_step_threads(o, p, 1); }
