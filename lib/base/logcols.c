/* logcols.c: the table of log columns. */
#include "logcols.h"

#define ALL (RS_TASK_RATING | RS_TASK_CLICK | RS_TASK_RANK)

const rs_log_column rs_log_columns[RS_LOG_NCOLS] = {
	[RS_LOG_EPOCH] = {"epoch", ALL, 1},
	[RS_LOG_TRAIN_LOSS] = {"train_loss", ALL, 1},
	[RS_LOG_TRAIN_RMSE] = {"train_rmse", RS_TASK_RATING, 1},
	[RS_LOG_VALID_RMSE] = {"valid_rmse", RS_TASK_RATING, 1},
	[RS_LOG_TEST_RMSE] = {"test_rmse", RS_TASK_RATING, 1},
	[RS_LOG_VALID_AUC] = {"valid_auc", RS_TASK_CLICK, 1},
	[RS_LOG_VALID_LOGLOSS] = {"valid_logloss", RS_TASK_CLICK, 1},
	[RS_LOG_TEST_AUC] = {"test_auc", RS_TASK_CLICK, 1},
	[RS_LOG_TEST_LOGLOSS] = {"test_logloss", RS_TASK_CLICK, 1},
	[RS_LOG_TEST_ACCURACY] = {"test_accuracy", RS_TASK_CLICK, 1},
	[RS_LOG_VALID_HR] = {"valid_hr" RS_LOG_AT, RS_TASK_RANK, 1},
	[RS_LOG_VALID_NDCG] = {"valid_ndcg" RS_LOG_AT, RS_TASK_RANK, 1},
	[RS_LOG_TEST_HR] = {"test_hr" RS_LOG_AT, RS_TASK_RANK, 1},
	[RS_LOG_TEST_NDCG] = {"test_ndcg" RS_LOG_AT, RS_TASK_RANK, 1},
	[RS_LOG_SECONDS] = {"seconds", ALL, 0},
};

int rs_log_select(unsigned task, int saved_only, int *cols)
{
	int n = 0;
	for (int c = 0; c < RS_LOG_NCOLS; c++)
		if ((rs_log_columns[c].tasks & task) && (rs_log_columns[c].saved || !saved_only))
			cols[n++] = c;
	return n;
}
