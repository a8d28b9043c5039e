/* MF's fused AdaGrad step (mfadagrad.h) against the batched path: one
 * rating's gradient from mf's forward and backward, the accumulators and
 * the update worked out from it by AdaGrad's closed form. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mfadagrad.h"
#include "model.h"
#include "nn.h"
#include "tap.h"

int main(void)
{
	enum { K = 11, W = K + 1 };   /* past one 8-lane vector, with a tail */
	rs_dataset d;
	memset(&d, 0, sizeof d);
	d.n = 1;
	uint32_t user = 1, item = 2;
	float y = 4.0f;
	uint8_t split = 0;
	d.user = &user, d.item = &item, d.y = &y, d.split = &split;
	rs_header_set_target(&d.hdr, "rating");
	int64_t uids[3] = {1, 2, 3}, iids[4] = {1, 2, 3, 4};
	d.hdr.nusers = 3, d.hdr.nitems = 4;
	d.hdr.user_ids = uids, d.hdr.item_ids = iids;
	rs_hparams hp = {.factors = K, .batch = 1, .epochs = 1, .init = RS_INIT_NORMAL,
			 .init_std = 0.4, .seed = 9, .l2 = 0.05};
	rs_model m;
	rs_model_create(&m, &rs_mf_ops, &hp, &d);
	m.mu = 3.5f;
	rs_params_alloc_training(&m.p);
	rs_model_reserve(&m, 1);
	float *P = rs_w(&m.p, 0), *Q = rs_w(&m.p, 1);
	float p[W], q[W], out, dout;
	memcpy(p, P + user * W, sizeof p);
	memcpy(q, Q + item * W, sizeof q);
	/* the batched path: d(0.5 e^2)/d rows, with l2 per rating */
	uint32_t idx = 0;
	m.ops->forward(&m, &d, &idx, 1, &out, NULL);
	mse_backward(&dout, &out, &y, 1);
	m.ops->backward(&m, &d, &idx, 1, &dout);
	const float *gp = rs_g(&m.p, 0) + user * W, *gq = rs_g(&m.p, 1) + item * W;
	double sp = 0, sq = 0;
	for (int f = 0; f < W; f++)
		sp += (double)gp[f] * gp[f], sq += (double)gq[f] * gq[f];
	double accp = 1 + sp / W, accq = 1 + sq / W, lr = 0.1;
	/* the fused step on copies of the rows */
	float ap = 1.0f, aq = 1.0f;
	float loss = rs_mf_adagrad_step(p, q, &ap, &aq, K, y, m.mu, (float)lr, (float)hp.l2);
	ok(fabs(loss - 0.5 * (out - y) * (out - y)) < 1e-6, "the step's loss is 0.5 e^2 of the forward's score: %g", loss);
	ok(fabs(ap - accp) < 1e-6 && fabs(aq - accq) < 1e-6,
	   "each accumulator gains its row's mean squared gradient: %.7f %.7f (closed form %.7f %.7f)", ap, aq, accp, accq);
	int bad = 0;
	for (int f = 0; f < W; f++) {
		double wp = P[user * W + f] - lr / sqrt(accp) * gp[f];
		double wq = Q[item * W + f] - lr / sqrt(accq) * gq[f];
		bad += fabs(p[f] - wp) > 1e-6 || fabs(q[f] - wq) > 1e-6;
	}
	ok(bad == 0, "both rows, bias included, move by lr / sqrt(acc) times the batched gradient (%d of %d off)", bad, 2 * W);
	/* a second rating: the accumulator keeps growing, the step shrinks */
	float p2[W];
	memcpy(p2, p, sizeof p2);
	float before = ap;
	rs_mf_adagrad_step(p, q, &ap, &aq, K, y, m.mu, (float)lr, (float)hp.l2);
	ok(ap > before, "the accumulator only grows: %.7f > %.7f", ap, before);
	rs_model_free(&m);
	free(d.hdr.target);
	return tap_done();
}
