/* eval_pointwise.c: rs-eval's pointwise metrics of a model over a
 * stream's records: its own (RMSE and MAE, or AUC, logloss and accuracy),
 * or a rating model's as a classifier of rating > t (evaluate.h). */
#include "evaluate.h"
#include "cli.h"
#include "mem.h"
#include "metrics.h"
#include "modelmap.h"
#include "report.h"
#include "recmetrics.h"

#include <stdlib.h>

/* The records of the split scored (-1: all), as indices; dies when none. */
static size_t select_split(const rs_dataset *d, int split, const char *input, uint32_t **idx)
{
	*idx = rs_malloc((d->n + 1) * sizeof **idx);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (split < 0 || d->split[i] == split)
			(*idx)[n++] = (uint32_t)i;
	if (!n)
		rs_die("%s: no %s records to score", input, split < 0 ? "" : split == RS_SPLIT_TEST ? "test" : "train");
	return n;
}

/* an event log's records are all positives: no target to be near */
static void need_target(const rs_reader *in)
{
	if (rs_header_implicit(&in->hdr))
		rs_die("%s:header: the stream is an event log without ratings (every record a positive): "
		       "rank it (rs-eval --rank)", in->name);
}

void rs_eval_pointwise(rs_model *m, rs_reader *in, const char *mp, int split, int json, int threads)
{
	need_target(in);
	rs_dataset d;
	rs_model_read_data(m, mp, in, &d);
	if (split != RS_SPLIT_TRAIN)   /* scoring test records */
		rs_model_count_trained(m, &d, mp, 0);
	uint32_t *idx;
	size_t n = select_split(&d, split, in->name, &idx);
	float *scores = rs_malloc(n * sizeof *scores);
	uint64_t *work = rs_malloc(2 * n * sizeof *work);
	rs_metrics r;
	rs_evaluate(m, &d, idx, n, scores, work, threads, &r);
	rs_report rp;
	rs_report_begin(&rp, json, mp, NULL);
	if (m->click) {
		rs_report_metric(&rp, "auc", r.auc);
		rs_report_metric(&rp, "logloss", r.logloss);
		rs_report_metric(&rp, "accuracy", r.accuracy);
	} else {
		rs_report_metric(&rp, "rmse", r.rmse);
		rs_report_metric(&rp, "mae", r.mae);
	}
	rs_report_end(&rp, n);
	free(idx);
	free(scores);
	free(work);
	rs_dataset_free(&d);
}

/* A rating model as a classifier of rating > t: its predicted ratings rank
 * the records (AUC), and predict a click above t (accuracy). */
void rs_eval_threshold(rs_model *m, rs_reader *in, const char *mp, int split, double t, int json)
{
	need_target(in);
	if (m->click)
		rs_die("%s predicts clicks; --threshold scores a rating model", mp);
	rs_dataset d;
	rs_dataset_read(&d, in);
	rs_model_map_ids(m, &d, mp);
	if (split != RS_SPLIT_TRAIN)
		rs_model_count_trained(m, &d, mp, 0);
	uint32_t *idx;
	size_t n = select_split(&d, split, in->name, &idx);
	float *score = rs_malloc(n * sizeof *score), *label = rs_malloc(n * sizeof *label);
	uint64_t *work = rs_malloc(2 * n * sizeof *work);
	rs_model_predict(m, &d, idx, n, score, 0);
	size_t right = 0;
	for (size_t i = 0; i < n; i++) {
		float y = d.y[idx[i]];
		label[i] = d.click ? y : (float)(y > t);
		right += (score[i] > t) == (label[i] > 0.5f);
	}
	rs_report rp;
	rs_report_begin(&rp, json, mp, NULL);
	rs_report_metric(&rp, "auc", rs_auc(score, label, n, work));
	rs_report_metric(&rp, "accuracy", (double)right / (double)n);
	rs_report_end(&rp, n);
	free(idx);
	free(score);
	free(label);
	free(work);
	rs_dataset_free(&d);
}

