/* mf-train: matrix factorization with biases for explicit ratings. */
#include "trainer.h"

static const rs_preset presets[] = {
	{.name = "d2l", .about = "the reference run of Dive into Deep Learning 16.3 (PyTorch port)",
	 .options = "--factors 30 --epochs 20 --batch-size 512 --lr 0.002 --weight-decay 1e-5"},
};

static const rs_trainer mf = {
	.tool = "mf-train",
	.summary = "train matrix factorization on an rs-stream of ratings or events",
	.ops = &rs_mf_ops,
	.about = "Read an rs-stream of ratings (FILE or stdin), fit r(u,i) = P[u].Q[i] + b[u] + b[i]\n"
		 "(+ the train mean with --global-mean) on its train records by minibatch\n"
		 "training of 0.5*(r - y)^2, report the test RMSE per epoch, write the model.",
	.example = "ml-split < u.data | mf-train -o mf.bin && ml-split < u.data | rs-eval -m mf.bin",
	.defaults = "--factors 50 --epochs 100 --batch-size 128 --lr 0.001 --l2 0.07 "
		    "--valid-ratio 0.02 --early-stop 5 --global-mean",
	/* BPR-MF, chosen by validation HR@10 on the seq-aware split (docs/tuning.md) */
	.bpr_defaults = RS_BPR_DEFAULTS " --negatives 4",
	/* the fused solver, chosen by validation RMSE on ML-100K and on 2.5M
	 * synthetic ratings (docs/tuning.md) */
	.adagrad_defaults = "--optimizer adagrad --factors 30 --epochs 100 --lr 0.05 --l2 0.05 "
			    "--valid-ratio 0.02 --early-stop 5 --global-mean",
	.presets = presets,
	.npresets = 1,
	.ratings_only = 1,
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&mf, argc, argv);
}
