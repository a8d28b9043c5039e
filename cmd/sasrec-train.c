/* sasrec-train: a self-attention sequential recommender. */
#include "trainer.h"

/* SASRec's shape (d 64, 2 blocks, 1 head, maxlen 50); the full softmax
 * and dropout 0.5 chosen by validation HR@10 on Amazon Beauty; AdamW, a
 * transformer's optimizer (with no decay, Adam's very steps); then
 * retrained with the validation item, as the published protocol does
 * (docs/tuning.md) */
#define SASREC_DEFAULTS "--factors 64 --blocks 2 --heads 1 --maxlen 50 --dropout 0.5 --lr 0.001 " \
			"--optimizer adamw " \
			"--batch-size 128 --epochs 200 --loss softmax --negatives 256 --init-std 0.02 " \
			"--valid-ratio 0.05 --early-stop 10 --refit"

static const rs_preset presets[] = {
	/* past 20,000 items the sampled softmax, whose 256 shared negatives
	 * cost a batch a small share of a full softmax's columns; on logs of
	 * 30 records an item or more (ML-100K's 59, synthlog 1M's 200;
	 * Beauty has 16) dropout 0.2, chosen by their validation HR@10
	 * (docs/tuning.md) */
	{.name = "seq",
	 .about = "the defaults, with the sampled softmax for a catalogue of more than 20,000 items and dropout 0.2 on "
		  "30 records an item or more",
	 .options = SASREC_DEFAULTS,
	 .rules = {{.items = 20000, .options = "--loss sampled-softmax --negatives 256"},
		   {.events = 30, .options = "--dropout 0.2"}}},
};

static const rs_trainer sasrec = {
	.tool = "sasrec-train",
	.summary = "train a self-attention sequential recommender (SASRec) on an rs-stream",
	.ops = &rs_sasrec_ops,
	.about = "Read an rs-stream (FILE or stdin) of each user's items in time order (a\n"
		 "seq-aware split) and fit SASRec (Kang and McAuley 2018) with pre-layer-norm\n"
		 "blocks: each of a user's latest --maxlen items attends to those before it,\n"
		 "and its output scores the next item against every item's embedding (one\n"
		 "table for input and output). Every position of every user trains at once;\n"
		 "loss: softmax cross-entropy over every item, sampled-softmax over\n"
		 "--negatives items drawn for the batch (--batch-size counts users), or bce and\n"
		 "gbce against --negatives items drawn for each position. Early\n"
		 "stopping on the validation item (each user's latest train item); --refit then\n"
		 "trains again from the start with it for the epochs chosen.",
	.example = "ml-split --split seq-aware < log.tsv > s.mp && sasrec-train --preset seq -o sasrec.bin s.mp && rs-eval --rank -m sasrec.bin s.mp",
	.defaults = SASREC_DEFAULTS,
	.presets = presets,
	.npresets = 1,
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&sasrec, argc, argv);
}
