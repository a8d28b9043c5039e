/* mcmc_kernels.c: the joint draws' two passes over a feature's records
 * (mcmc_joint.c), built per SIMD width: their sums, and the rows moved
 * by the draw. */
#include "mcmc_internal.h"
#include "compute.h"

#include <string.h>

/* A feature's joint sums over its records i in [a, b), added into H
 * ((k+1) x (k+1)) and the k + 1 after it, b: with h = (x, hv),
 * hv = x (q - v x) (v padded with zeros to Kp = 8 C, as the rows' q are),
 * H += sum h h^T and b += sum e h. Floats over runs of records, in
 * registers when k is a constant (8), added into doubles after each run: a
 * run's rounding stays that of a short sum. */
RS_SIMD_BODY void joint_sums_k(const float *eq, int S, const uint32_t *crow, const float *cval,
			       size_t a, size_t b, const float *v, int k, double *H, float *scratch)
{
	double *bs = H + (size_t)(k + 1) * (k + 1);
	int C = (k + 7) / 8, Kp = 8 * C, D = k + 1;
	/* (k, C) vectors: sum hv[p] hv over the run; a local array up to 16
	 * factors, which the compiler keeps in registers at 8 */
	v8 local[32], *M = k <= 16 ? local : (v8 *)(void *)scratch;
	v8 vv[JOINT_MAX_CHUNKS], sxh[JOINT_MAX_CHUNKS], bv[JOINT_MAX_CHUNKS], hv[JOINT_MAX_CHUNKS];
	for (int c = 0; c < C; c++)
		LOAD8(vv[c], v + 8 * c);
	for (size_t lo = a; lo < b; lo += JOINT_RUN) {
		size_t hi = b - lo < JOINT_RUN ? b : lo + JOINT_RUN;
		float sxx = 0, be = 0;
		v8 zero = {0};
		for (int c = 0; c < C; c++)
			sxh[c] = bv[c] = zero;
		for (int p = 0; p < k * C; p++)
			M[p] = zero;
		for (size_t i = lo; i < hi; i++) {
			if (i + 16 < b)
				__builtin_prefetch(eq + (size_t)crow[i + 16] * S);
			const float *row = eq + (size_t)crow[i] * S;
			float x = cval[i], e = row[Kp];
			for (int c = 0; c < C; c++) {
				v8 q;
				LOAD8(q, row + 8 * c);
				hv[c] = x * (q - vv[c] * x);
				sxh[c] += x * hv[c];
				bv[c] += e * hv[c];
			}
			sxx += x * x;
			be += e * x;
			for (int p = 0; p < k; p++) {
				float hp = hv[p / 8][p % 8];
				for (int c = 0; c < C; c++)
					M[(size_t)p * C + c] += hp * hv[c];
			}
		}
		H[0] += sxx;
		bs[0] += be;
		for (int f = 0; f < k; f++) {
			H[1 + f] += sxh[f / 8][f % 8];
			H[(1 + f) * D] += sxh[f / 8][f % 8];
			bs[1 + f] += bv[f / 8][f % 8];
			for (int g = 0; g < k; g++)
				H[(1 + f) * D + 1 + g] += M[(size_t)f * C + g / 8][g % 8];
		}
	}
}
/* k = 8 (the sampler's default) as a constant, so that its sums stay in registers */
RS_SIMD_BODY void joint_sums_body(const float *eq, int S, const uint32_t *crow, const float *cval,
				  size_t a, size_t b, const float *v, int k, double *H, float *scratch)
{
	if (k == 8)
		joint_sums_k(eq, S, crow, cval, a, b, v, 8, H, scratch);
	else
		joint_sums_k(eq, S, crow, cval, a, b, v, k, H, scratch);
}
RS_SIMD_VOID(joint_sums, (const float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			  size_t b, const float *v, int k, double *H, float *scratch),
	     (eq, S, crow, cval, a, b, v, k, H, scratch))

/* The records' rows after the draw moved w by dw and v by dv: at the old
 * v, e -= dw x + dv . hv and q += dv x. */
RS_SIMD_BODY void joint_apply_k(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
				size_t b, const float *v, const float *dv, float dw, int k)
{
	int C = (k + 7) / 8, Kp = 8 * C;
	v8 vv[JOINT_MAX_CHUNKS], dd[JOINT_MAX_CHUNKS];
	for (int c = 0; c < C; c++) {
		LOAD8(vv[c], v + 8 * c);
		LOAD8(dd[c], dv + 8 * c);
	}
	for (size_t i = a; i < b; i++) {
		if (i + 16 < b)
			__builtin_prefetch(eq + (size_t)crow[i + 16] * S);
		float *row = eq + (size_t)crow[i] * S, x = cval[i], de = dw * x;
		for (int c = 0; c < C; c++) {
			v8 q, t;
			LOAD8(q, row + 8 * c);
			t = dd[c] * (x * (q - vv[c] * x));
			de += SUM8(t);
			q += dd[c] * x;
			STORE8(row + 8 * c, q);
		}
		row[Kp] -= de;
	}
}
RS_SIMD_BODY void joint_apply_body(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
				   size_t b, const float *v, const float *dv, float dw, int k)
{
	if (k == 8)
		joint_apply_k(eq, S, crow, cval, a, b, v, dv, dw, 8);
	else
		joint_apply_k(eq, S, crow, cval, a, b, v, dv, dw, k);
}
RS_SIMD_VOID(joint_apply, (float *eq, int S, const uint32_t *crow, const float *cval, size_t a, size_t b,
			   const float *v, const float *dv, float dw, int k),
	     (eq, S, crow, cval, a, b, v, dv, dw, k))

void rs_chain_joint_sums(const float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			 size_t b, const float *v, int k, double *H, float *scratch)
{
	joint_sums(eq, S, crow, cval, a, b, v, k, H, scratch);
}

void rs_chain_joint_apply(float *eq, int S, const uint32_t *crow, const float *cval, size_t a,
			  size_t b, const float *v, const float *dv, float dw, int k)
{
	joint_apply(eq, S, crow, cval, a, b, v, dv, dw, k);
}
