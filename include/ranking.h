/* ranking.h: what ranks the users of a stream, for rs-eval --rank and
 * rs-recommend alike: the stream in the model's ids (as read, for the
 * popularity baseline), each user's train items, and a ranker over the
 * model's scorer, whose users have the stream's contexts (a history
 * field's last items, the feedback fields' lists), or over popularity. */
#ifndef RS_RANKING_H
#define RS_RANKING_H

#include "dataset.h"
#include "model.h"
#include "rank.h"
#include "scorer.h"
#include "stream.h"

typedef struct rs_ranking {
	rs_dataset d;
	rs_user_items train;
	rs_scorer s;             /* unused for the baseline */
	rs_ranker rk;
	int model;               /* ranks with a model */
} rs_ranking;

/* m NULL: the popularity baseline. users, items: the side files of a
 * model with side features (else NULL). Ranks users on threads threads. */
void rs_ranking_open(rs_ranking *g, rs_model *m, rs_reader *in, const char *mp, const char *users,
		     const char *items, int threads);
void rs_ranking_free(rs_ranking *g);

#endif
