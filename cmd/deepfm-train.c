/* deepfm-train: DeepFM for clicks (or ratings). */
#include "trainer.h"

static const rs_preset presets[] = {
	{"d2l", "the reference run of Dive into Deep Learning 16.10 (PyTorch port)",
	 "--factors 10 --epochs 20 --batch-size 2048 --lr 0.01 --weight-decay 1e-5 --init xavier "
	 "--mlp 50,40,25,10 --dropout 0.1"},
};

static const rs_trainer deepfm = {
	.tool = "deepfm-train",
	.ops = &rs_deepfm_ops,
	.about = "Read an rs-stream on stdin and fit DeepFM: a factorization machine plus an\n"
		 "MLP over the same field embeddings, summed into one logit; logistic loss\n"
		 "for clicks (ml-ctr), squared loss for ratings.",
	.example = "ml-split < u.data | ml-ctr | ml-onehot | deepfm-train -o deepfm.bin",
	.defaults = "--factors 16 --epochs 100 --batch-size 512 --lr 0.005 --l2 0.05 --init xavier "
		    "--valid-ratio 0.05 --early-stop 3 --mlp 50,40,25,10 --dropout 0.1",
	.bpr_defaults = "--loss bpr --negatives 4 --factors 64 --epochs 100 --batch-size 128 --lr 0.005 "
			"--l2 0.01 --init xavier --valid-ratio 0.05 --early-stop 5 --mlp 50,40,25,10 "
			"--dropout 0.1",
	.presets = presets,
	.npresets = 1,
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&deepfm, argc, argv);
}
