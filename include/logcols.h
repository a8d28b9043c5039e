/* logcols.h: the columns of the per-epoch training log, described once.
 * The table serves the trainers' TSV log (--log: every column of the
 * model's task), the model file's "log" and "log_columns" (those saved:
 * not the seconds, so that a seed gives the same bytes), the stderr line of
 * each epoch, and the learning curves, which read the TSV by column name. */
#ifndef RS_LOGCOLS_H
#define RS_LOGCOLS_H

enum {
	RS_LOG_EPOCH, RS_LOG_TRAIN_LOSS, RS_LOG_TRAIN_RMSE, RS_LOG_VALID_RMSE, RS_LOG_TEST_RMSE,
	RS_LOG_VALID_AUC, RS_LOG_VALID_LOGLOSS, RS_LOG_TEST_AUC, RS_LOG_TEST_LOGLOSS,
	RS_LOG_TEST_ACCURACY, RS_LOG_VALID_HR, RS_LOG_VALID_NDCG, RS_LOG_TEST_HR, RS_LOG_TEST_NDCG,
	RS_LOG_SECONDS, RS_LOG_NCOLS
};

/* Which models log a column: those fitting ratings or clicks pointwise, or
 * ranking (--loss bpr). */
enum { RS_TASK_RATING = 1, RS_TASK_CLICK = 2, RS_TASK_RANK = 4 };

/* The cut-off of the rankings that trainers log and select epochs by, and
 * its spelling in the columns' names ("@10"). */
#define RS_LOG_TOP 10
#define RS_STR_(x) #x
#define RS_STR(x) RS_STR_(x)
#define RS_LOG_AT "@" RS_STR(RS_LOG_TOP)

typedef struct rs_log_column {
	const char *name;
	unsigned tasks;
	int saved;           /* in the model file, not only the TSV */
} rs_log_column;

extern const rs_log_column rs_log_columns[RS_LOG_NCOLS];

/* One row of the log: NaN where a metric does not apply (no validation). */
typedef struct rs_epoch {
	double v[RS_LOG_NCOLS];
} rs_epoch;

/* The columns of a task, in table order; saved_only leaves out the TSV's
 * extras. Returns how many, their indices in cols (RS_LOG_NCOLS fit). */
int rs_log_select(unsigned task, int saved_only, int *cols);

#endif
