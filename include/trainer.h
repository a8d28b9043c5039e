/* trainer.h: the command line shared by mf-train, fm-train and
 * deepfm-train. Each cmd/ file names its model, defaults and presets. */
#ifndef RS_TRAINER_H
#define RS_TRAINER_H

#include "model.h"
#include "runlog.h"

/* Defaults and presets are options over the table's defaults (hparams.h),
 * checked by the same code as the command line. What several trainers
 * share is written once here; each trainer's string adds what differs.
 * The factorization machines' defaults (fm-train, deepfm-train), chosen by
 * validation AUC (docs/tuning.md): */
#define RS_FM_DEFAULTS "--factors 16 --epochs 100 --batch-size 512 --lr 0.005 --l2 0.05 " \
		       "--init xavier --valid-ratio 0.05 --early-stop 3"
/* Every SGD trainer's shape under a ranking loss, before its own step
 * and negatives (and init), chosen by validation HR@10 on the seq-aware
 * split: */
#define RS_BPR_SHAPE "--loss bpr --factors 64 --epochs 100 --batch-size 128 --valid-ratio 0.05 --early-stop 5"
/* Adam's step there, chosen on ML-100K (mf-train's and deepfm-train's) */
#define RS_BPR_DEFAULTS RS_BPR_SHAPE " --lr 0.005 --l2 0.01"
/* Options a preset takes over its own on a stream of its shape, known once
 * the stream is read: more than items items and at least events records an
 * item (0: any) */
typedef struct rs_preset_rule {
	uint32_t items, events;
	const char *options;
} rs_preset_rule;

#define RS_PRESET_RULES 4
typedef struct rs_preset {
	const char *name;
	const char *about;       /* one line for --help */
	const char *options;
	/* each rule the stream meets, in order, over the options and the
	 * rules before it; the list ends at the first without options */
	rs_preset_rule rules[RS_PRESET_RULES];
} rs_preset;

typedef struct rs_trainer {
	const char *tool;
	const rs_model_ops *ops;
	const char *summary;     /* one line: help's first after the usage, the man page's NAME */
	const char *about;       /* what the model is, for --help */
	const char *example;
	const char *defaults;
	const char *bpr_defaults;   /* the defaults under --loss bpr, which ranks
				       rather than fits a target */
	const char *adagrad_defaults;   /* under --optimizer adagrad (the fused solvers) */
	const rs_preset *presets;
	int npresets;
	int ratings_only;        /* refuse click streams (MF) */
	/* the same tool under --method mcmc (NULL: it trains by sgd only) */
	const struct rs_trainer *mcmc;
} rs_trainer;

int rs_trainer_main(const rs_trainer *t, int argc, char **argv);

#endif
