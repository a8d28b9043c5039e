/* hparams.h: every hyperparameter of every trainer, described once.
 *
 * One row of rs_hparam_table drives the trainers' option (--name), its line
 * in --help, its range check, its key in the model file's "hyper" map (the
 * name with '-' as '_') and the check of that key on load. A model states
 * only how its defaults and presets differ from the rows' defaults, as
 * option strings parsed by the same code (trainer.h). Adding a
 * hyperparameter: one field in rs_hparams, one row in lib/model/hparams.c. */
#ifndef RS_HPARAMS_H
#define RS_HPARAMS_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

#include "optim.h"

#define RS_MAX_MLP 8
#define RS_MAX_FACTORS 4096

typedef enum { RS_INIT_NORMAL, RS_INIT_XAVIER } rs_init;
typedef enum {
	RS_LOSS_POINTWISE, RS_LOSS_BPR, RS_LOSS_SOFTMAX, RS_LOSS_SAMPLED_SOFTMAX, RS_LOSS_BCE, RS_LOSS_GBCE,
	RS_LOSS_COUNT
} rs_loss;
/* Whether a loss ranks each train record's item above others (every one
 * but pointwise), rather than fitting its target. */
static inline int rs_loss_ranks(rs_loss l) { return l != RS_LOSS_POINTWISE; }
typedef enum { RS_SAMPLER_UNIFORM, RS_SAMPLER_POPULARITY } rs_sampler;
typedef enum { RS_SOLVER_CG, RS_SOLVER_CHOLESKY } rs_solver;
typedef enum { RS_CONFIDENCE_COUNT, RS_CONFIDENCE_BINARY } rs_confidence;
/* How options and model files spell each. */
extern const char *const rs_init_names[2];
extern const char *const rs_loss_names[RS_LOSS_COUNT];
extern const char *const rs_sampler_names[2];
extern const char *const rs_solver_names[2];
extern const char *const rs_confidence_names[2];

typedef struct rs_hparams {
	int factors;
	int epochs, batch;
	double lr, weight_decay, l2;
	rs_optimizer optimizer;
	rs_init init;
	double init_std;         /* normal init */
	uint64_t seed;
	double valid_ratio;
	int early_stop;          /* epochs without validation gain; 0 = off */
	int global_mean;         /* add the train mean as a fixed offset */
	int nmlp;
	int mlp[RS_MAX_MLP];     /* DeepFM hidden sizes */
	double dropout;
	rs_loss loss;
	int negatives;           /* BPR: negatives drawn per positive */
	rs_sampler sampler;      /* BPR: how negatives are drawn */
	int iters;               /* ALS: sweeps over users and items */
	double reg, alpha;       /* ALS: L2 penalty; confidence 1 + alpha of a pair */
	rs_solver solver;        /* ALS: conjugate gradient or exact Cholesky */
	int cg_steps;            /* ALS: CG steps per row and sweep */
	rs_confidence confidence;   /* ALS: a pair's events counted, or not */
	int burn_in;             /* MCMC: iterations before the samples kept */
	int thin;                /* MCMC: keep every thin-th sample after them */
	int blocks, heads;       /* attention: blocks, and heads a block */
	int maxlen;              /* attention: a user's last items read */
	double gbce_t;           /* gbce: the calibration t of the positive's power beta */
	/* train again on train and validation for the epochs kept: the
	 * skeleton's (fit.h) for any method that validates, a row of the
	 * attention kind alone so far, as every other kind's file would gain
	 * its key */
	int refit;
} rs_hparams;

/* What a model kind can do, so that a row applies to it (rs_model_ops.caps):
 * dropout in a deep part; training by gradient steps (RS_CAP_STEPS), by
 * the shared loop's pointwise and ranking methods over its backward
 * (RS_CAP_SGD), by alternating least squares, or by Gibbs sampling, the
 * last two counting iterations; an MLP's layers; self-attention blocks
 * over a user's sequence. */
enum {
	RS_CAP_DEEP = 1, RS_CAP_SGD = 2, RS_CAP_ALS = 4, RS_CAP_MCMC = 8, RS_CAP_ITERS = 16,
	RS_CAP_STEPS = 32, RS_CAP_MLP = 64, RS_CAP_ATTN = 128,
};

typedef enum { RS_HP_INT, RS_HP_U64, RS_HP_REAL, RS_HP_ENUM, RS_HP_FLAG, RS_HP_LIST } rs_hp_type;

typedef struct rs_hparam {
	const char *name;        /* the option --name */
	rs_hp_type type;
	size_t off;              /* offsetof(rs_hparams, the field) */
	double lo, hi;           /* the range of a value, or of each size of a list */
	int open_lo;             /* the value must be above lo, not equal */
	const char *const *names;   /* RS_HP_ENUM: the values' names, nnames of them */
	int nnames;
	const char *meta;        /* the option's argument in --help */
	const char *help;
	unsigned needs;          /* RS_CAP_* a model must have for the row to apply */
	const char *def;         /* the default, as an option argument */
} rs_hparam;

extern const rs_hparam rs_hparam_table[];
extern const int rs_nhparams;

/* Whether row r applies to a model with these capabilities. */
static inline int rs_hparam_applies(const rs_hparam *r, unsigned caps)
{
	return (r->needs & caps) == r->needs;
}

/* Set row r of hp from an option argument (NULL for a flag: set; the
 * --no- form passes "0"); a usage error names the option and its range. */
void rs_hparam_set(rs_hparams *hp, const rs_hparam *r, const char *arg);
/* hp from the rows' defaults, then the options of a string such as
 * "--factors 30 --global-mean" (every option must apply to caps). */
void rs_hparams_from(rs_hparams *hp, unsigned caps, const char *options);
/* The options that give hp, for --help: "--factors 30 --epochs 20 ...". */
void rs_hparams_describe(const rs_hparams *hp, unsigned caps, char *buf, size_t len);
/* The model file's "hyper" map: every row that applies to caps. */
void rs_hparams_pack(msgpack_packer *pk, const rs_hparams *hp, unsigned caps);
/* Read that map back with the options' range checks; a row the map lacks
 * takes its default. Returns 0, or -1 with a message in err. */
int rs_hparams_unpack(rs_hparams *hp, unsigned caps, const msgpack_object *map, char *err,
		      size_t errlen);

#endif
