/* fm-train: factorization machines for clicks (logistic) or ratings. */
#include "mcmc.h"
#include "trainer.h"

/* one tool, two trainers (--method picks): one summary */
#define FM_SUMMARY "train a factorization machine (SGD, Adam or MCMC) on an rs-stream"

static const rs_trainer fm_mcmc = {
	.tool = "fm-train",
	.summary = FM_SUMMARY,
	.ops = &rs_fm_mcmc_ops,
	.about = "Read an rs-stream (FILE or stdin) and sample a Bayesian factorization machine over\n"
		 "its features by Gibbs sampling (Rendle 2012, as libFM's MCMC): a normal prior\n"
		 "per field and factor whose mean and precision are sampled too, so there is\n"
		 "no learning rate or L2 to tune; a Gaussian likelihood for ratings, a probit\n"
		 "one for clicks. A feature's weight and factors are drawn jointly, the\n"
		 "features of a field that no two records share on --threads (the same chain\n"
		 "on any number). Predictions average the samples after --burn-in; the model\n"
		 "keeps them all (every --thin-th). Reports the test RMSE or AUC of that\n"
		 "running average per iteration.",
	.example = "ml-split < u.data | ml-onehot -u u.user -i u.item --implicit | fm-train --method mcmc -o bfm.bin",
	/* 300 iterations: the running average still gains over 100-250 on
	 * ml-onehot --implicit streams; every second sample after 20 keeps
	 * nearly all of it at half the model's size (docs/tuning.md) */
	.defaults = "--factors 8 --iters 300 --burn-in 20 --thin 2 --init-std 0.1",
};

static const rs_preset presets[] = {
	{.name = "d2l", .about = "the reference run of Dive into Deep Learning 16.9 (PyTorch port)",
	 .options = "--factors 10 --epochs 20 --batch-size 2048 --lr 0.002 --init xavier"},
	/* the sequential recommender on ml-onehot --seq streams, chosen by
	 * validation HR@10 on ML-100K's seq-aware split, Beauty and a
	 * 1M-event synthlog (docs/tuning.md): the full softmax, or past 2,048
	 * items the sampled one, whose 256 shared negatives cost a batch an
	 * eighth of its columns or less; and on such a catalogue with 30
	 * records an item or more (synthlog 1M's 200, a 20,000-item log's 50;
	 * Beauty has 16) four times the rate, which reaches the 1M log's HR@10
	 * in half the epochs and the 20,000-item log's in a third, where it
	 * costs Beauty's and ML-100K's NDCG@10 (1,682 items), and a patience
	 * of 6 epochs, where the 1M log's validation peaks 14 epochs in and has
	 * not been passed in the 10 after; past 65,536 items, where 256 uniform
	 * negatives are under 0.4% of the catalogue and the full ranking falls
	 * as the sampled loss does (synthlog 25M's 200,000 items: HR@10 0.375,
	 * falling from the second epoch), negatives drawn by popularity,
	 * whose logQ correction keeps the loss the full softmax's (0.469, 0.94
	 * of a Markov chain's); level at 40,000 items, and at 20,000 uniform
	 * ranks better */
	{.name = "seq",
	 .about = "the sequential recommender, on ml-onehot --seq streams, with the sampled softmax for a catalogue of "
		  "more than 2,048 items, a faster rate there on 30 records an item or more, and negatives drawn by "
		  "popularity past 65,536 items",
	 .options = "--loss softmax --factors 64 --epochs 80 --batch-size 256 --optimizer adam --lr 0.001 --l2 0.1 "
		    "--init xavier --valid-ratio 0.05 --early-stop 10",
	 .rules = {{.items = 2048, .options = "--loss sampled-softmax --negatives 256"},
		   {.items = 2048, .events = 30, .options = "--lr 0.004 --early-stop 6"},
		   {.items = 65536, .options = "--sampler popularity"}}},
};

static const rs_trainer fm = {
	.tool = "fm-train",
	.summary = FM_SUMMARY,
	.ops = &rs_fm_ops,
	.about = "Read an rs-stream (FILE or stdin) and fit a second-order factorization machine\n"
		 "over its features ('x'/'xv' from ml-onehot, else the fields user and item)\n"
		 "on its train records: logistic loss when the target is 'click' (ml-ctr),\n"
		 "squared loss when it is 'rating'. Reports the test AUC or RMSE per epoch.",
	.example = "ml-split < u.data | ml-ctr | fm-train -o fm.bin && ml-split < u.data | ml-ctr | rs-eval -m fm.bin",
	.defaults = RS_FM_DEFAULTS,
	/* the sequential FM on ml-onehot --history streams, chosen by validation
	 * HR@10 on the seq-aware splits of ML-100K, Beauty and synthlog 1M
	 * (docs/tuning.md): AdaGrad's one square root a row, with the lower L2
	 * the large log asks for */
	.bpr_defaults = RS_BPR_SHAPE " --optimizer adagrad --lr 0.05 --l2 0.001 --negatives 16 --init xavier",
	/* the fused solver, chosen by validation RMSE and AUC on ML-100K's
	 * side features (docs/tuning.md) */
	.adagrad_defaults = "--optimizer adagrad --factors 16 --epochs 100 --lr 0.1 --l2 0.05 "
			    "--init xavier --valid-ratio 0.05 --early-stop 5",
	.presets = presets,
	.npresets = 2,
	.mcmc = &fm_mcmc,
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&fm, argc, argv);
}
