/* model.h: a model is a small table of functions over its parameter block.
 * The training loop, the model file, rs-eval and the trainers speak only to
 * this table, so a new model is one new file in lib/ and one thin cmd/. */
#ifndef RS_MODEL_H
#define RS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "hparams.h"
#include "logcols.h"
#include "optim.h"
#include "pairset.h"
#include "out.h"
#include "params.h"
#include "rng.h"
#include "stream.h"

/* 2: hyperparameters keyed by option name (batch_size), every log column;
 * 3: the train pairs */
#define RS_MODEL_VERSION 3
_Static_assert(RS_MAX_TENSORS == 2 + 2 * (RS_MAX_MLP + 1), "DeepFM's tensors fill RS_MAX_TENSORS");

typedef struct rs_model rs_model;

typedef struct rs_model_ops {
	const char *kind;
	/* Declare the tensors for m->hp and the training data's layout. */
	void (*layout)(rs_model *m);
	void (*init)(rs_model *m, rs_rng *rng);
	/* Floats of scratch memory a batch of B needs (activations); 0 for
	 * a forward that keeps nothing in m, which may then run on several
	 * threads at once (rs_model_predict_threads). */
	size_t (*scratch)(const rs_model *m, int B);
	/* out (B): a rating, or a click logit. rng is NULL at evaluation (no
	 * dropout), the training stream otherwise. */
	void (*forward)(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			rs_rng *rng);
	/* Accumulate gradients of sum_b dout[b] * out[b] after a forward of the
	 * same batch; mark the embedding rows it touched. NULL for a kind
	 * fitted its own way (RS_CAP_ALS, RS_CAP_MCMC: no RS_CAP_SGD). */
	void (*backward)(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B,
			 const float *dout);
	int features;   /* reads the records' features x, xv (else user and item only) */
	int fused;      /* RS_FUSED_*: the fused per-record solver that fits it under
			   --optimizer adagrad (fit.h), if any */
	unsigned caps;  /* RS_CAP_*: which hyperparameters apply (hparams.h) */
	/* factor columns of the tensors when not hp.factors (NULL: those) */
	int (*width)(const rs_hparams *hp);
	/* Context-once scoring (ctxscore.h): a score is c + b_i + s . S_i, the
	 * context's part (c, s) from its features, a candidate's (b_i, S_i)
	 * from its own. part gives the bias and k-vector of one side's
	 * features x[0..n) at values xv (NULL: 1): a learnt constant (w0)
	 * goes to the context's bias, the fixed mu is added last. MF's context is a user id and its candidate
	 * an item id (x[0]). part_backward adds the gradient of
	 * dbias * bias + ds . s, and l2 * the row per feature; with rows
	 * set, feature j's row's gradient is rows' j-th row of k + 1 instead
	 * (its row is row's, below: a fused step takes it in hand), and only
	 * what is not a feature's row (FM's w0) goes to the gradient block.
	 * NULL for a kind whose score does not split (DeepFM's MLP reads the
	 * whole record). */
	void (*part)(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
		     float *bias, float *s);
	void (*part_backward)(rs_model *m, int side, const uint32_t *x, const float *xv, int n,
			      float dbias, const float *ds, float l2, float *rows);
	/* The part of a lone feature x at value 1 is a row of k + 1 floats,
	 * the vector then the bias (MF's row, FM's V row: its pairs within the
	 * side are none): that row, or with grad set the row of its gradient,
	 * marked touched. A candidate of one feature, as most are, is then a
	 * dot with the row, not a part computed and copied. */
	float *(*row)(rs_model *m, int side, uint32_t x, int grad);
	/* A kind whose user is the items they had, in order (sasrec): the
	 * context's part from items[0..n), oldest first, so that a new user's
	 * named items are their sequence (foldin.h). NULL for the others. */
	void (*sequence)(const rs_model *m, const uint32_t *items, int n, float *bias, float *s);
} rs_model_ops;

enum { RS_PART_CONTEXT, RS_PART_ITEM };
/* MF's solver reads a record's user and item rows (mfadagrad.h), FM's its
 * active features' rows (fmadagrad.h), FFM's their field blocks
 * (ffmadagrad.h) */
enum { RS_FUSED_NONE, RS_FUSED_MF, RS_FUSED_FM, RS_FUSED_FFM };

struct rs_model {
	const rs_model_ops *ops;
	rs_hparams hp;
	int click;               /* task: click (logistic) or rating (squared) */
	float mu;                /* MF's fixed global mean, 0 when off */
	float ymin, ymax;        /* range of the train targets: predicted ratings are
				    clipped to it (click models: 0, 0) */
	rs_header hdr;           /* the training stream's header, with its fields */
	int k;                   /* factor columns per row: hp.factors, or ops->width */
	uint32_t nfeatures;
	int nfields;
	rs_params p;
	rs_pairset pairs;        /* the train records' (user, item) pairs */
	rs_epoch *log;           /* (nlog) */
	int nlog, best_epoch;
	float *scratch;          /* activations for up to scratch_B records */
	int scratch_B;
};

extern const rs_model_ops rs_mf_ops, rs_fm_ops, rs_deepfm_ops, rs_als_ops, rs_fm_mcmc_ops, rs_sasrec_ops,
	rs_ffm_ops;

/* RS_TASK_RANK, RS_TASK_RATING or RS_TASK_CLICK, which picks the log's
 * columns. */
static inline unsigned rs_model_task(const rs_model *m)
{
	int ranks = (rs_loss_ranks(m->hp.loss) && (m->ops->caps & RS_CAP_SGD)) || (m->ops->caps & RS_CAP_ATTN) ||
		    (m->ops->caps & RS_CAP_ALS);
	return ranks ? RS_TASK_RANK : m->click ? RS_TASK_CLICK : RS_TASK_RATING;
}
/* The model file's task: "ranking" for a model trained to rank (files
 * before it said "rating" or "click" for those too, and still load),
 * else the stream's target. */
#define RS_MODEL_TASK_RANKING "ranking"
static inline const char *rs_model_task_name(const rs_model *m)
{
	unsigned t = rs_model_task(m);
	return t == RS_TASK_RANK ? RS_MODEL_TASK_RANKING : t == RS_TASK_CLICK ? RS_TARGET_CLICK : RS_TARGET_RATING;
}
/* Its tensors declared for m->ops, m->hp and m->hdr, nothing allocated
 * (loading checks the file against them first). */
void rs_model_declare(rs_model *m);
/* A model of this kind for the dataset's layout, parameters initialized. */
void rs_model_create(rs_model *m, const rs_model_ops *ops, const rs_hparams *hp,
		     const rs_dataset *d);
void rs_model_free(rs_model *m);
/* Scores for records idx (B of them), in batches: ratings, or click
 * probabilities when prob is set (the sigmoid of the logit; the normal
 * CDF of a sampled probit model's score, RS_CAP_MCMC). */
void rs_model_predict(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
		      float *out, int prob);
/* The same scores on up to threads threads, where the kind's forward
 * needs no scratch. */
void rs_model_predict_threads(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
			      float *out, int prob, int threads);
/* Raw scores out[0..n) made what rs_model_predict gives. */
void rs_model_output(const rs_model *m, float *out, size_t n, int prob);
/* Make sure m->scratch holds a batch of B. */
void rs_model_reserve(rs_model *m, int B);

#endif
