/* eval_rank.c: rs-eval --rank: ranking metrics of a model, or of the
 * popularity baseline, over a stream's test records (evaluate.h). */
#include "evaluate.h"
#include "cli.h"
#include "modelmap.h"
#include "ranking.h"
#include "report.h"

#include <stdio.h>

void rs_eval_rank(rs_model *m, rs_reader *in, const char *mp, const rs_rank_opts *o)
{
	int k = o->k, json = o->json;
	rs_ranking g;
	rs_ranking_open(&g, m, in, mp, o->users, o->items, o->threads);
	if (m)
		rs_model_count_trained(m, &g.d, mp);
	rs_user_items test;
	rs_user_items_build(&test, &g.d, RS_SPLITS(RS_SPLIT_TEST));
	if (!test.off[g.d.hdr.nusers])
		rs_die("%s: no test records to rank", in->name);
	rs_rank_metrics r;
	if (o->negatives)
		rs_rank_sampled(&g.rk, &g.train, &test, k, o->negatives, o->seed, &r);
	else
		rs_rank_full(&g.rk, &g.train, &test, k, &r);
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
	rs_user_items_free(&test);
	rs_ranking_free(&g);
}

