/* deepfm-train: DeepFM for clicks (or ratings). */
#include "trainer.h"

static const rs_preset presets[] = {
	{.name = "d2l", .about = "the reference run of Dive into Deep Learning 16.10 (PyTorch port)",
	 .options = "--factors 10 --epochs 20 --batch-size 2048 --lr 0.01 --weight-decay 1e-5 --init xavier "
	 "--mlp 50,40,25,10 --dropout 0.1"},
};

static const rs_trainer deepfm = {
	.tool = "deepfm-train",
	.summary = "train a DeepFM model on an rs-stream",
	.ops = &rs_deepfm_ops,
	.about = "Read an rs-stream (FILE or stdin) and fit DeepFM: a factorization machine plus an\n"
		 "MLP over the same field embeddings, summed into one logit; logistic loss\n"
		 "for clicks (ml-ctr), squared loss for ratings.",
	.example = "ml-split < u.data | ml-ctr | ml-onehot | deepfm-train -o deepfm.bin",
	/* the d2l MLP (the table's --mlp), with dropout */
	.defaults = RS_FM_DEFAULTS " --dropout 0.1",
	.bpr_defaults = RS_BPR_DEFAULTS " --negatives 4 --init xavier --dropout 0.1",
	.presets = presets,
	.npresets = 1,
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&deepfm, argc, argv);
}
