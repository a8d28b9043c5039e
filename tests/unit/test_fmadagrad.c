/* The FM's fused AdaGrad step (fmadagrad.h) against the batched path: one
 * record's gradient from fm's forward and backward (gradient-checked in
 * test_grad), the accumulators and the update worked out from it by
 * AdaGrad's closed form, for the squared and the logistic loss. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fm.h"
#include "fmadagrad.h"
#include "model.h"
#include "nn.h"
#include "tap.h"

enum { K = 11, W = K + 1, NF = 9 };   /* past one 8-lane vector, with a tail */

static void check(int click)
{
	rs_dataset d;
	memset(&d, 0, sizeof d);
	d.n = 1;
	/* user 1, item 2, a multi-hot field of two at 1/2 */
	uint32_t user = 1, item = 2, x[4] = {1, 3 + 2, 7, 8};
	float xv[4] = {1, 1, 0.5f, 0.5f}, y = click ? 1.0f : 4.0f;
	size_t xoff[2] = {0, 4};
	uint8_t split = 0;
	d.user = &user, d.item = &item, d.y = &y, d.split = &split;
	d.x = x, d.xv = xv, d.xoff = xoff, d.click = click, d.nfeatures = NF;
	rs_header_set_target(&d.hdr, click ? "click" : "rating");
	int64_t uids[3] = {1, 2, 3}, iids[4] = {1, 2, 3, 4};
	d.hdr.nusers = 3, d.hdr.nitems = 4;
	d.hdr.user_ids = uids, d.hdr.item_ids = iids;
	rs_header_add_field(&d.hdr, "user", 3);
	rs_header_add_field(&d.hdr, "item", 4);
	rs_header_add_field(&d.hdr, "genre", 2);
	rs_hparams hp = {.factors = K, .batch = 1, .epochs = 1, .init = RS_INIT_NORMAL,
			 .init_std = 0.3, .seed = 9, .l2 = 0.05, .lr = 0.1};
	rs_model m;
	rs_model_create(&m, &rs_fm_ops, &hp, &d);
	rs_w(&m.p, FM_W0)[0] = 0.7f;
	rs_params_alloc_training(&m.p);
	rs_model_reserve(&m, 1);
	float *V = rs_w(&m.p, FM_V), *V0 = malloc(NF * W * sizeof *V0), w00 = rs_w(&m.p, FM_W0)[0];
	memcpy(V0, V, NF * W * sizeof *V0);
	/* the batched path: d loss / d rows, with l2 per use */
	uint32_t idx = 0;
	float out, dout;
	m.ops->forward(&m, &d, &idx, 1, &out, NULL);
	double want = click ? bce_logits_forward(&out, &y, 1) : mse_forward(&out, &y, 1);
	(click ? bce_logits_backward : mse_backward)(&dout, &out, &y, 1);
	m.ops->backward(&m, &d, &idx, 1, &dout);
	const float *G = rs_g(&m.p, FM_V);
	float g0 = rs_g(&m.p, FM_W0)[0];
	/* the fused step */
	rs_fm_adagrad s;
	rs_fm_adagrad_init(&s, &m);
	double loss = rs_fm_adagrad_step(&s, &m, x, xv, 4, y);
	ok(fabs(loss - want) < 1e-6, "%s: the step's loss is the forward's: %g (batched %g)",
	   click ? "logistic" : "squared", loss, want);
	int bad = 0, badacc = 0;
	for (int j = 0; j < 4; j++) {
		const float *g = G + (size_t)x[j] * W;
		double sq = 0;
		for (int f = 0; f < W; f++)
			sq += (double)g[f] * g[f];
		double acc = 1 + sq / W;
		badacc += fabs(s.acc[x[j]] - acc) > 1e-6;
		for (int f = 0; f < W; f++)
			bad += fabs(V[x[j] * W + f] - (V0[x[j] * W + f] - hp.lr / sqrt(acc) * g[f])) > 1e-6;
	}
	ok(!badacc, "%s: each active row's accumulator gains its mean squared gradient (%d of 4 off)",
	   click ? "logistic" : "squared", badacc);
	ok(!bad, "%s: each active row, weight included, moves by lr / sqrt(acc) times the batched gradient (%d of %d off)",
	   click ? "logistic" : "squared", bad, 4 * W);
	double acc0 = 1 + (double)g0 * g0;
	ok(fabs(s.acc0 - acc0) < 1e-6 && fabs(rs_w(&m.p, FM_W0)[0] - (w00 - hp.lr / sqrt(acc0) * g0)) < 1e-6,
	   "%s: w0 steps by its own accumulator, without l2", click ? "logistic" : "squared");
	int untouched = 0;
	for (uint32_t j = 0; j < NF; j++)
		if (j != x[0] && j != x[1] && j != x[2] && j != x[3])
			untouched += !memcmp(V + j * W, V0 + j * W, W * sizeof *V) && s.acc[j] == 1.0f;
	ok(untouched == NF - 4, "%s: rows the record does not use stay as they were", click ? "logistic" : "squared");
	rs_fm_adagrad_free(&s);
	free(V0);
	rs_model_free(&m);
	d.hdr.user_ids = d.hdr.item_ids = NULL;   /* the stack's */
	rs_header_free(&d.hdr);
}

int main(void)
{
	check(0);
	check(1);
	return tap_done();
}
