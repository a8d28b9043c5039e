/* ffm-train: field-aware factorization machines for clicks or ratings. */
#include "trainer.h"

static const rs_trainer ffm = {
	.tool = "ffm-train",
	.summary = "train a field-aware factorization machine (AdaGrad, SGD or Adam) on an rs-stream",
	.ops = &rs_ffm_ops,
	.about = "Read an rs-stream (FILE or stdin) and fit a field-aware factorization machine\n"
		 "(Juan et al. 2016, as libffm) over its features ('x'/'xv' from ml-onehot, else\n"
		 "the fields user and item): each feature keeps one vector of --factors per\n"
		 "field of the stream, and two active features meet through the vectors each\n"
		 "keeps for the other's field (the features of a multi-hot field meet too,\n"
		 "through their own field's vectors, as libffm's do), plus a weight per feature\n"
		 "and a bias. Logistic loss when the target is 'click', squared loss when it is\n"
		 "'rating'. By default the fused per-record AdaGrad solver (--threads N runs it\n"
		 "lock-free, as libffm does); --optimizer sgd or adam trains by minibatches.\n"
		 "Reports the test AUC or RMSE per epoch.",
	.example = "ml-split < u.data | ml-ctr | ml-onehot -u u.user -i u.item | ffm-train -o ffm.bin",
	/* chosen by validation AUC on ML-100K's clicks with side fields and
	 * synthctr's 2M-line click log together (docs/tuning.md) */
	.defaults = "--optimizer adagrad --factors 4 --epochs 100 --lr 0.2 --l2 0.01 "
		    "--init normal --init-std 0.01 --valid-ratio 0.05 --early-stop 3",
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&ffm, argc, argv);
}
