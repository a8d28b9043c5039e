/* fit.h: the one fitting skeleton behind every trainer. rs_fit owns, once:
 * the validation carve-out, the record lists of each split, the target's
 * range and mean, the epoch loop and each epoch's shuffle, the divergence
 * check and its message, the metrics of each epoch (the --log row, the
 * model file's log and the one stderr line), early stopping on validation
 * and the epoch kept, MPI's per-epoch averaging, and the summary.
 *
 * How an epoch fits the model is a method (rs_fit_method): the pointwise
 * minibatches, the ranking losses, the fused MF and FM solvers, ALS's
 * sweeps, the Gibbs sampler's iterations. The method is chosen from the
 * kind's ops (caps, fused) and the hyperparameters (loss, optimizer), never
 * by the kind's identity: a new method is one table in one file and its
 * line in the list of lib/train/fit.c (docs/extending.md). */
#ifndef RS_FIT_H
#define RS_FIT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "diag.h"
#include "model.h"
#include "rng.h"
#include "runlog.h"

/* One run, as the skeleton lays it out for the method. */
typedef struct rs_fit_run {
	rs_model *m;
	rs_dataset *d;
	const rs_train_opts *o;
	const struct rs_fit_method *method;
	uint32_t *train, *valid, *test;   /* the records of each split */
	size_t ntrain, nvalid, ntest;
	size_t lo, hi;           /* this MPI rank's share of train: train[lo, hi) */
	size_t positions;        /* what an epoch's summed loss is over (all ranks'):
				    ntrain, unless the method trains other positions */
	int epoch, epochs;       /* the epoch running (from 1), and the most run */
	int threads;             /* at least 1 */
	int tty;                 /* a progress line on stderr (rs_fit_progress) */
	double epoch_start;      /* rs_train_clock() as the epoch began: the line's rate */
	/* set by a method that met a diverged batch (rs_fit_diverged), with
	 * its loss, for the skeleton's one message; it returns at once */
	int diverged;
	double bad;
	/* set by an evaluate that ranks a sample of users: how many it ranked
	 * (validation, test) and its seconds, for the epoch line (0: none) */
	size_t ranked_valid, ranked_test;
	double ranked_seconds;
} rs_fit_run;

enum {
	RS_FIT_VALID = 1,        /* carves validation records: early stopping, the epoch kept */
	RS_FIT_SHUFFLE = 2,      /* train shuffled every epoch */
	RS_FIT_SHARES = 4,       /* train shuffled once into MPI ranks' shares (under mpirun) */
	RS_FIT_AVERAGE = 8,      /* under mpirun, parameters averaged and losses summed each epoch */
	RS_FIT_MPI = 16,         /* runs under mpirun (AVERAGE, or ranks kept in step its own way) */
	RS_FIT_ANY_THREADS = 32, /* the same model for any --threads: every core by default */
	RS_FIT_RANGE = 64,       /* a rating model's predictions clipped to the train range */
};

typedef struct rs_fit_method {
	const char *name;
	unsigned flags;          /* RS_FIT_* */
	/* the option to try when the loss diverges, and whether lower: the
	 * message prints its value (a double of rs_hparams at that offset) */
	const char *remedy;
	/* what --threads N does under it, for --help when a trainer's defaults
	 * choose it (NULL: the help's own line) */
	const char *threads_help;
	int lower;
	size_t remedy_at;
	/* the one setting a family of methods differs in, as the method reads
	 * it (the sampler's scan, mcmc_chain.h): a copy of a table with
	 * another is another member (rs_fit_with) */
	int variant;
	/* Does it fit this kind with these hyperparameters? */
	int (*applies)(const rs_model_ops *ops, const rs_hparams *hp);
	size_t state;            /* bytes of its state, zeroed before init */
	void (*init)(void *s, rs_fit_run *f);
	/* One epoch over train[f->lo, f->hi): the summed loss of this rank's
	 * records (the skeleton sums the ranks' and divides by f->positions);
	 * on a divergence f->diverged is set */
	double (*epoch)(void *s, rs_fit_run *f);
	/* The epoch's metrics into v (RS_LOG_*, NaN where none). NULL: the
	 * pointwise metrics of the validation and test records */
	void (*evaluate)(void *s, rs_fit_run *f, double *v);
	/* After the last epoch, the epoch kept restored (NULL: nothing) */
	void (*finish)(void *s, rs_fit_run *f);
	void (*free)(void *s);
} rs_fit_method;

/* The method that fits ops under hp, or NULL (--optimizer adagrad for a
 * kind without a fused solver, or for a ranking loss): those added, in
 * the order added, then the library's. */
const rs_fit_method *rs_fit_method_for(const rs_model_ops *ops, const rs_hparams *hp);
/* Add a method defined outside the library (as tests/unit/test_extending.c
 * does); at most 8. */
void rs_fit_method_add(const rs_fit_method *method);
/* Fit m to d's train records (d's split may gain validation records). */
void rs_fit(rs_model *m, rs_dataset *d, const rs_train_opts *o);
/* The same by the method given. */
void rs_fit_with(const rs_fit_method *method, rs_model *m, rs_dataset *d, const rs_train_opts *o);

/* For the methods (inline, so that no method depends on the skeleton that
 * lists it): has a batch's loss diverged, against the first batch's of the
 * run? NaN, inf or ten thousand times the untrained loss, from which no
 * run recovers. */
static inline int rs_fit_diverged(double loss, double first)
{
	return !isfinite(loss) || loss > 1e4 * (first + 1e-3);
}
/* A lane's account of its batches: their summed loss (each batch's mean
 * times its records), the run's first batch's mean, and a diverged one's. */
typedef struct rs_fit_tally {
	double loss, loss0, bad;
	int diverged;
} rs_fit_tally;
/* A batch of b records and mean loss, the run's first when first is set:
 * 0 when it diverged (the lane stops), else 1 with the loss summed. */
static inline int rs_fit_tally_add(rs_fit_tally *a, double loss, int b, int first)
{
	if (first)
		a->loss0 = loss;
	if (rs_fit_diverged(loss, a->loss0)) {
		a->diverged = 1, a->bad = loss;
		return 0;
	}
	a->loss += loss * b;
	return 1;
}
/* A lane's tally into the epoch's sum: 0 when it diverged, with f told. */
static inline int rs_fit_tally_join(rs_fit_run *f, const rs_fit_tally *a, double *sum)
{
	if (a->diverged) {
		f->diverged = 1, f->bad = a->bad;
		return 0;
	}
	*sum += a->loss;
	return 1;
}
/* The in-place progress line of batch k of n (f->tty only): the share of
 * the epoch done, this rank's train records a second so far, and the
 * epoch's time left at that rate; the epoch's own line replaces it. */
static inline void rs_fit_progress(const rs_fit_run *f, size_t k, size_t n)
{
	if (f->tty && k % 64 == 0 && k) {
		double t = rs_train_clock() - f->epoch_start, done = (double)k / (double)n;
		if (t <= 0)
			return;
		fprintf(stderr, "\r\033[K%s: epoch %d/%d %3d%% %.0f records/s %.0f s left", rs_prog,
			f->epoch, f->epochs, (int)(100 * done), done * (double)(f->hi - f->lo) / t,
			t * (1 - done) / done);
		fflush(stderr);
	}
}

extern const rs_fit_method rs_fit_pointwise, rs_fit_ranking, rs_fit_mf_adagrad,
	rs_fit_fm_adagrad, rs_fit_ffm_adagrad, rs_fit_als, rs_fit_mcmc, rs_fit_sasrec;

#endif
