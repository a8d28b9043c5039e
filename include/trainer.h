/* trainer.h: the command line shared by mf-train, fm-train and
 * deepfm-train. Each cmd/ file names its model, defaults and presets. */
#ifndef RS_TRAINER_H
#define RS_TRAINER_H

#include "model.h"

typedef struct rs_preset {
	const char *name;
	const char *about;       /* one line for --help */
	rs_hparams hp;
} rs_preset;

typedef struct rs_trainer {
	const char *tool;
	const rs_model_ops *ops;
	const char *about;       /* what the model is, for --help */
	const char *example;
	rs_hparams defaults;
	const rs_preset *presets;
	int npresets;
	int ratings_only;        /* refuse click streams (MF) */
	int deep;                /* --mlp and --dropout apply */
} rs_trainer;

int rs_trainer_main(const rs_trainer *t, int argc, char **argv);

#endif
