/* metrics.c: RMSE, MAE, AUC, logloss, accuracy. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double rs_rmse(const float *pred, const float *y, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double e = (double)pred[i] - y[i];
		s += e * e;
	}
	return n ? sqrt(s / (double)n) : NAN;
}

double rs_mae(const float *pred, const float *y, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += fabs((double)pred[i] - y[i]);
	return n ? s / (double)n : NAN;
}

/* A float's bits as an unsigned key in the same order (finite floats). */
static uint32_t order_key(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u >> 31 ? ~u : u | 0x80000000u;
}

/* Sort (key << 32 | index) pairs by key: LSD radix, four passes of a byte,
 * between a and tmp (n each); the result ends in a. */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
	for (int shift = 32; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(a[i] >> shift) & 0xff]++] = a[i];
		uint64_t *t = a;
		a = tmp;
		tmp = t;
	}   /* an even number of passes: the sorted pairs are back in a */
}

double rs_auc(const float *score, const float *y, size_t n, uint64_t *work)
{
	uint64_t *pair = work;
	for (size_t i = 0; i < n; i++)
		pair[i] = (uint64_t)order_key(score[i]) << 32 | (uint64_t)i;
	radix_sort(pair, work + n, n);
	/* Mann-Whitney U: the sum of positive ranks, ties at their average rank */
	double pos_rank = 0, npos = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		float s = score[(uint32_t)pair[i]];
		while (j < n && score[(uint32_t)pair[j]] == s)
			j++;
		double rank = 0.5 * (double)(i + 1 + j);   /* mean of ranks i+1 .. j */
		for (size_t k = i; k < j; k++)
			if (y[(uint32_t)pair[k]] > 0.5f) {
				pos_rank += rank;
				npos++;
			}
		i = j;
	}
	double nneg = (double)n - npos;
	if (npos == 0 || nneg == 0)
		return NAN;
	return (pos_rank - npos * (npos + 1) / 2) / (npos * nneg);
}

double rs_logloss(const float *prob, const float *y, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double p = fmin(fmax(prob[i], 1e-7), 1 - 1e-7);
		s -= y[i] > 0.5f ? log(p) : log(1 - p);
	}
	return n ? s / (double)n : NAN;
}

double rs_accuracy(const float *prob, const float *y, size_t n)
{
	size_t right = 0;
	for (size_t i = 0; i < n; i++)
		right += (prob[i] >= 0.5f) == (y[i] > 0.5f);
	return n ? (double)right / (double)n : NAN;
}
