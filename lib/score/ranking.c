/* ranking.c: a stream's users ready to be ranked (ranking.h). */
#include "ranking.h"
#include "modelmap.h"

#include <string.h>

void rs_ranking_open(rs_ranking *g, rs_model *m, rs_reader *in, const char *mp, const char *users,
		     const char *items, int threads)
{
	memset(g, 0, sizeof *g);
	g->model = m != NULL;
	if (m)
		rs_model_read_data(m, mp, in, &g->d);
	else
		rs_dataset_read(&g->d, in);
	rs_user_items_build(&g->train, &g->d, RS_SPLITS(RS_SPLIT_TRAIN));
	if (m) {
		rs_scorer_init(&g->s, m, users, items);
		rs_scorer_history(&g->s, &g->d, RS_SPLITS(RS_SPLIT_TRAIN));
		rs_scorer_stream(&g->s, &g->d);
		rs_ranker_model(&g->rk, &g->s);
	} else {
		rs_ranker_popularity(&g->rk, &g->d);
	}
	g->rk.threads = threads;
}

void rs_ranking_free(rs_ranking *g)
{
	rs_ranker_free(&g->rk);
	if (g->model)
		rs_scorer_free(&g->s);
	rs_user_items_free(&g->train);
	rs_dataset_free(&g->d);
}
