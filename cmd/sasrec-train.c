/* sasrec-train: a self-attention sequential recommender. */
#include "trainer.h"

static const rs_trainer sasrec = {
	.tool = "sasrec-train",
	.summary = "train a self-attention sequential recommender (SASRec) on an rs-stream",
	.ops = &rs_sasrec_ops,
	.about = "Read an rs-stream (FILE or stdin) of each user's items in time order (a\n"
		 "seq-aware split) and fit SASRec (Kang and McAuley 2018) with pre-layer-norm\n"
		 "blocks: each of a user's latest --maxlen items attends to those before it,\n"
		 "and its output scores the next item against every item's embedding (one\n"
		 "table for input and output). Every position of every user trains at once;\n"
		 "loss: softmax cross-entropy over every item, or sampled-softmax over\n"
		 "--negatives items drawn for the batch. Early stopping on the validation\n"
		 "item (each user's latest train item).",
	.example = "ml-split --split seq-aware < log.tsv > s.mp && sasrec-train -o sasrec.bin s.mp && rs-eval --rank -m sasrec.bin s.mp",
	.defaults = "--factors 64 --blocks 2 --heads 1 --maxlen 50 --dropout 0.2 --lr 0.001 --batch-size 128 "
		    "--epochs 200 --loss sampled-softmax --negatives 256 --init-std 0.02 --valid-ratio 0.05 "
		    "--early-stop 10",
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&sasrec, argc, argv);
}
