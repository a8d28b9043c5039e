/* eval_rank.c: rs-eval --rank: ranking metrics of a model, or of the
 * popularity baseline, over a stream's test records (evaluate.h). */
#include "evaluate.h"
#include "cli.h"
#include "modelmap.h"
#include "rank.h"
#include "report.h"

#include <stdio.h>

void rs_eval_rank(rs_model *m, rs_reader *in, const char *mp, const rs_rank_opts *o)
{
	int k = o->k, json = o->json;
	rs_dataset d;
	if (m) {
		rs_model_read_data(m, mp, in, &d);
		rs_model_count_trained(m, &d, mp);
	} else
		rs_dataset_read(&d, in);
	rs_user_items train, test;
	rs_user_items_build(&train, &d, RS_SPLITS(RS_SPLIT_TRAIN));
	rs_user_items_build(&test, &d, RS_SPLITS(RS_SPLIT_TEST));
	if (!test.off[d.hdr.nusers])
		rs_die("%s: no test records to rank", in->name);
	rs_scorer s = {0};
	rs_ranker rk;
	if (m) {
		rs_scorer_init(&s, m, o->users, o->items);
		rs_scorer_history(&s, &d, RS_SPLITS(RS_SPLIT_TRAIN));   /* a history field's context */
		rs_scorer_feedback(&s, &d);   /* and the feedback fields' */
		rs_ranker_model(&rk, &s);
	} else {
		rs_ranker_popularity(&rk, &d);
	}
	rk.threads = o->threads;
	rs_rank_metrics r;
	if (o->negatives)
		rs_rank_sampled(&rk, &train, &test, k, o->negatives, o->seed, &r);
	else
		rs_rank_full(&rk, &train, &test, k, &r);
	char name[32];
	rs_report rp = {json, 1};
	snprintf(name, sizeof name, "hr@%d", k);
	rs_report_metric(&rp, name, r.hr);
	snprintf(name, sizeof name, "ndcg@%d", k);
	rs_report_metric(&rp, name, r.ndcg);
	snprintf(name, sizeof name, "recall@%d", k);
	rs_report_metric(&rp, name, r.recall);
	rs_report_metric(&rp, "mrr", r.mrr);
	rs_report_end(&rp, r.n);
	rs_ranker_free(&rk);
	if (m)
		rs_scorer_free(&s);
	rs_user_items_free(&train);
	rs_user_items_free(&test);
	rs_dataset_free(&d);
}

