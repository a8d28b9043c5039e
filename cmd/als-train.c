/* als-train: implicit-feedback matrix factorization by alternating least squares. */
#include "als.h"
#include "trainer.h"

static const rs_trainer als = {
	.tool = "als-train",
	.summary = "train implicit-feedback matrix factorization by alternating least squares",
	.ops = &rs_als_ops,
	.about = "Read an rs-stream (FILE or stdin) and fit s(u,i) = P[u].Q[i] to implicit feedback\n"
		 "(Hu, Koren and Volinsky 2008): every train record is an observed pair with\n"
		 "confidence 1 + alpha, every other pair a 0 with confidence 1. Each sweep\n"
		 "solves every user's row, then every item's, by conjugate gradient (Takacs\n"
		 "et al. 2011) or Cholesky. Reports the objective and the test HR@10 per sweep.",
	.example = "ml-split --split seq-aware < u.data > s.mp && als-train -o als.bin < s.mp && rs-eval --rank -m als.bin < s.mp",
	/* chosen by HR@10 on a validation split of the train records (docs/tuning.md) */
	.defaults = "--factors 64 --reg 30 --alpha 5",
};

int main(int argc, char **argv)
{
	return rs_trainer_main(&als, argc, argv);
}
