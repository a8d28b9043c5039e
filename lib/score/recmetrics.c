/* recmetrics.c: a model's pointwise metrics over records (recmetrics.h). */
#include "recmetrics.h"
#include "mem.h"
#include "metrics.h"

#include <math.h>
#include <stdlib.h>

void rs_evaluate(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n, float *scores,
		 uint64_t *work, int threads, rs_metrics *out)
{
	*out = (rs_metrics){NAN, NAN, NAN, NAN, NAN};
	if (!n)
		return;
	rs_model_predict_threads(m, d, idx, n, scores, m->click, threads);
	float *labels = rs_malloc(n * sizeof *labels);
	for (size_t i = 0; i < n; i++)
		labels[i] = d->y[idx[i]];
	if (m->click) {
		out->auc = rs_auc(scores, labels, n, work);
		out->logloss = rs_logloss(scores, labels, n);
		out->accuracy = rs_accuracy(scores, labels, n);
	} else {
		out->rmse = rs_rmse(scores, labels, n);
		out->mae = rs_mae(scores, labels, n);
	}
	free(labels);
}
