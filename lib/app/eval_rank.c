/* eval_rank.c: rs-eval --rank: ranking metrics of a model, or of the
 * popularity baseline, over a stream's test records (evaluate.h). */
#include "evaluate.h"
#include "cli.h"
#include "mem.h"
#include "modelmap.h"
#include "ranking.h"
#include "report.h"

#include <stdio.h>

void rs_eval_rank(rs_model *m, rs_reader *in, const char *mp, const rs_rank_opts *o)
{
	rs_ranking g;
	rs_ranking_open(&g, m, in, mp, o->users, o->items, o->threads);
	if (m)
		rs_model_count_trained(m, &g.d, mp, o->repeats);
	rs_user_items test;
	rs_user_items_build(&test, &g.d, RS_SPLITS(RS_SPLIT_TEST));
	if (!test.off[g.d.hdr.nusers])
		rs_die("%s: no test records to rank", in->name);
	/* --repeats: no item left out, the user's earlier ones ranked too */
	rs_user_items none = {.off = rs_calloc((size_t)g.d.hdr.nusers + 1, sizeof *none.off),
			      .items = rs_malloc(sizeof *none.items)};
	const rs_user_items *known = o->repeats ? &none : &g.train;
	rs_rank_metrics r[RS_RANK_MAX_AT];
	if (o->negatives)
		rs_rank_sampled(&g.rk, known, &test, o->k, o->nk, o->negatives, o->seed, r);
	else
		rs_rank_full(&g.rk, known, &test, o->k, o->nk, r);
	rs_user_items_free(&none);
	rs_report rp;
	rs_report_begin(&rp, o->json, m ? mp : NULL, "popularity");
	for (int c = 0; c < o->nk; c++) {
		static const char *const metric[] = {"hr", "ndcg", "precision", "recall", "map"};
		const double v[] = {r[c].hr, r[c].ndcg, r[c].precision, r[c].recall, r[c].map};
		for (int j = 0; j < 5; j++) {
			char name[32];
			snprintf(name, sizeof name, "%s@%d", metric[j], r[c].k);
			rs_report_metric(&rp, name, v[j]);
		}
	}
	rs_report_metric(&rp, "mrr", r[0].mrr);
	rs_report_end(&rp, r[0].n);
	rs_user_items_free(&test);
	rs_ranking_free(&g);
}
