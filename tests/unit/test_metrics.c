/* The metrics on cases small enough to do on paper, and AUC against
 * counting every positive-negative pair. */
#include <math.h>
#include <stdint.h>

#include "metrics.h"
#include "rng.h"
#include "tap.h"

static int near(double a, double b) { return fabs(a - b) < 1e-6; }

int main(void)
{
	rs_rng a;
	float s[] = {0.1f, 0.4f, 0.35f, 0.8f}, y[] = {0, 0, 1, 1};
	uint64_t work[8];
	ok(near(rs_auc(s, y, 4, work), 0.75), "AUC of a textbook example is 0.75");
	float ts[] = {0.5f, 0.5f, 0.5f, 0.9f}, ty[] = {0, 1, 0, 1};
	ok(near(rs_auc(ts, ty, 4, work), 0.75), "tied scores share their average rank");
	{   /* against counting every positive-negative pair, on 500 scores of
	     * both signs with many ties */
		enum { N = 500 };
		float rs[N], ry[N];
		uint64_t rw[2 * N];
		rs_rng_seed(&a, 11);
		for (int i = 0; i < N; i++) {
			rs[i] = (float)((int)rs_rng_below(&a, 61) - 30) / 10.0f;
			ry[i] = (float)(rs_rng_uniform(&a) < 0.3 + 0.1 * rs[i]);
		}
		double wins = 0, pairs = 0;
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++)
				if (ry[i] > 0.5f && ry[j] < 0.5f) {
					pairs++;
					wins += rs[i] > rs[j] ? 1.0 : rs[i] == rs[j] ? 0.5 : 0.0;
				}
		ok(fabs(rs_auc(rs, ry, N, rw) - wins / pairs) < 1e-12,
		   "AUC equals the share of positive-negative pairs ranked right (%.6f)", wins / pairs);
	}
	float one[] = {1, 1};
	ok(isnan(rs_auc(s, one, 2, work)), "AUC is undefined with one class");
	float p2[] = {0.0f, 1.0f}, y2[] = {1, 0};
	ok(near(rs_logloss(p2, y2, 2), -log(1e-7)), "logloss clips probabilities to [1e-7, 1-1e-7]");
	ok(near(rs_accuracy(s, y, 4), 0.75), "accuracy at 0.5");
	float pr[] = {1, 2, 3}, yr[] = {2, 2, 5};
	ok(near(rs_rmse(pr, yr, 3), sqrt(5.0 / 3)) && near(rs_mae(pr, yr, 3), 1.0), "RMSE and MAE");
	return tap_done();
}
