/* runlog.h: a trainer's run options and its --log TSV, written by the
 * fitting skeleton (fit.h) whatever the method. */
#ifndef RS_RUNLOG_H
#define RS_RUNLOG_H

#include <stdio.h>

typedef struct rs_train_opts {
	FILE *log;               /* TSV log, one row per epoch, closed by rs_fit; NULL for none */
	const char *log_path;    /* its name, for messages */
	int quiet;               /* no per-epoch lines on stderr */
	int threads;             /* worker threads, where the trainer has them */
} rs_train_opts;

/* What every trainer's run shares: a
 * monotonic clock, and the --log TSV, its column line then one row per
 * epoch (cols from rs_log_select). A log that cannot be written stops
 * training: a run whose curve is lost is not a success. */
double rs_train_clock(void);
void rs_log_header(const rs_train_opts *o, const int *cols, int ncols);
void rs_log_row(const rs_train_opts *o, const int *cols, int ncols, const double *v);

#endif
