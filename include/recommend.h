/* recommend.h: rs-recommend's lists, one request at a time or every user
 * of a stream at once: a known user's k best items (their records in the
 * stream left out as --exclude says), a new user's from the items they
 * name (foldin.h), or the items most like one item; each list without the
 * banned items (itemlist.h), printed as TSV lines or one JSON object. A
 * request's list is the one the batch gives the same user (rs_rank_topk's
 * per-user step). */
#ifndef RS_RECOMMEND_H
#define RS_RECOMMEND_H

#include <stdio.h>

#include "idmap.h"
#include "model.h"
#include "ranking.h"
#include "request.h"
#include "stream.h"
#include "useritems.h"

typedef struct rs_recommend_opts {
	const char *model_path;       /* of the model; NULL for the popularity baseline */
	const char *stream;           /* the stream's operand (NULL, "-": stdin) */
	int need_stream;              /* read it even when the model's fields do not need it */
	const char *users, *items;    /* side files (items: titles too), or NULL */
	const char *exclude_items, *candidates;   /* item lists (itemlist.h), or NULL */
	unsigned exclude;             /* RS_SPLITS of a user's records left out */
	int k, json, threads;
	int fit;                      /* new users fitted, not the items' mean (foldin.h) */
	int skip_unknown;             /* a new user's unknown item left out, not an error */
} rs_recommend_opts;

typedef struct rs_recommender {
	rs_recommend_opts o;
	rs_model *m;                  /* NULL: the baseline */
	const rs_header *h;           /* the model's ids (the stream's, checked equal) */
	rs_reader in;
	int streamed;                 /* the stream was read: g holds it */
	rs_ranking g;
	rs_scorer own;                /* the scorer without a stream */
	rs_scorer *s;                 /* g's or own; NULL for the baseline */
	rs_user_items seen;           /* what --exclude leaves out */
	rs_idmap uid, iid;
	uint32_t *banned;
	size_t nbanned;
	char **title;
	uint32_t *skip, stamp;        /* (nitems) a list's left-out items */
	uint32_t *top;                /* (nitems) a list */
	float *best;                  /* (nitems) its scores */
	float *score;                 /* (nitems) a new user's row */
	float *vec;                   /* (k) their context */
	int headed;                   /* the TSV header line is out */
	unsigned long skipped, bare;  /* skip_unknown: items left out, users left with none */
} rs_recommender;

/* Load what the lists need: m's scorer (m NULL: popularity over the
 * stream), the stream when the model's fields or o->need_stream ask for
 * it, the item lists, titles. Dies on bad input, naming it. */
void rs_recommender_open(rs_recommender *r, rs_model *m, const rs_recommend_opts *o);
/* Whether it reads the stream: a baseline, a ranking of the stream's
 * users, or a model whose fields only a stream gives (feedback, feature
 * file and time fields). */
int rs_recommend_streamed(const rs_model *m, const rs_recommend_opts *o);
void rs_recommender_free(rs_recommender *r);

/* Every user of the stream, their lists ranked on o->threads threads,
 * printed in the users' order. */
void rs_recommend_all(rs_recommender *r, FILE *out);

/* Each user of a file of 'user item [ts]' lines (likedfile.h) a new user
 * named by the items of their lines, oldest first (by ts, else in file
 * order), their lists printed in the order users first appear, under
 * their ids. Dies on bad input or an item the model lacks, naming the file
 * and the user. */
void rs_recommend_liked_file(rs_recommender *r, const char *path, FILE *out);
/* Under o.skip_unknown, the items left out and the users left with none,
 * one line on stderr when there were any. */
void rs_recommend_skipped(const rs_recommender *r);

/* One request's list printed to out; or 1 with the reason in err (an id
 * the model lacks, a request the model cannot answer) and nothing
 * printed. */
int rs_recommend(rs_recommender *r, const rs_request *q, FILE *out, char *err, size_t len);

/* The list r->top[0..n) (scores r->best) asked by q, printed to f: in
 * JSON one object, q's user, liked and similar ("item") as asked, then
 * "items": [{"item", "score"[, "title"]}]; in TSV
 * 'first<TAB>rank<TAB>item<TAB>score[<TAB>title]' lines, first being the
 * user (a new user without an id: '-') or the item, after a line naming
 * the columns (once, before the first list). */
void rs_recommend_print(rs_recommender *r, FILE *f, const rs_request *q, int n);

#endif
