/* metrics.c: RMSE, MAE, AUC, logloss, accuracy. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>

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

static const float *sort_key;

static int by_score(const void *a, const void *b)
{
	float x = sort_key[*(const size_t *)a], y = sort_key[*(const size_t *)b];
	return (x > y) - (x < y);
}

double rs_auc(const float *score, const float *y, size_t n, size_t *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_key = score;
	qsort(idx, n, sizeof *idx, by_score);
	/* Mann-Whitney U: the sum of positive ranks, ties at their average rank */
	double pos_rank = 0, npos = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && score[idx[j]] == score[idx[i]])
			j++;
		double rank = 0.5 * (double)(i + 1 + j);   /* mean of ranks i+1 .. j */
		for (size_t k = i; k < j; k++)
			if (y[idx[k]] > 0.5f) {
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
