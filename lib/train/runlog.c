/* runlog.c: what every trainer's run shares, whatever fits the model (the
 * shared SGD loop, ALS, the Gibbs sampler): its clock and its --log TSV. */
#include "runlog.h"
#include "diag.h"
#include "logcols.h"

#include <errno.h>
#include <string.h>
#include <time.h>

double rs_train_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check_log(const rs_train_opts *o)
{
	if (fflush(o->log) != 0 || ferror(o->log))
		rs_die("%s: write failed: %s", o->log_path, strerror(errno));
}

void rs_log_header(const rs_train_opts *o, const int *cols, int ncols)
{
	if (!o->log)
		return;
	for (int c = 0; c < ncols; c++)
		fprintf(o->log, "%s%c", rs_log_columns[cols[c]].name, c + 1 < ncols ? '\t' : '\n');
	check_log(o);
}

void rs_log_row(const rs_train_opts *o, const int *cols, int ncols, const double *v)
{
	if (!o->log)
		return;
	for (int c = 0; c < ncols; c++)
		fprintf(o->log, cols[c] == RS_LOG_EPOCH ? "%.0f%c" : "%.6f%c", v[cols[c]],
			c + 1 < ncols ? '\t' : '\n');
	check_log(o);
}

