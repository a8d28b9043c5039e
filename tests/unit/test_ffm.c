/* The field-aware FM (ffm.h): a tiny model's score worked out by hand;
 * the kernel's gradient against the FFM written by its pairs in double,
 * differenced there (h 1e-5, within 1e-4); and the fused AdaGrad step
 * (ffmadagrad.h) against the batched path's gradient (whose whole model
 * test_grad checks) by AdaGrad's closed form, for both losses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ffm.h"
#include "ffmadagrad.h"
#include "model.h"
#include "nn.h"
#include "tap.h"

/* Fields user (2), item (2) and genre (2, multi-hot); k = 2: rows of
 * 3 x 2 + 1 = 7 floats. One record: user 1, item 0 (feature 2) and both
 * genres (4, 5) at 1/2. */
enum { K = 2, F = 3, W = F * K + 1, NF = 6, N = 4 };
static const uint32_t X[N] = {1, 2, 4, 5};
static const float XV[N] = {1, 1, 0.5f, 0.5f};

static void tiny_dataset(rs_dataset *d, int click, float *y, uint32_t *ids, int64_t *raw,
			 size_t *xoff, uint8_t *split)
{
	memset(d, 0, sizeof *d);
	d->n = 1;
	ids[0] = 1, ids[1] = 0, raw[0] = 1, raw[1] = 2, xoff[0] = 0, xoff[1] = N, *split = 0;
	d->user = &ids[0], d->item = &ids[1], d->y = y, d->split = split;
	d->x = (uint32_t *)X, d->xv = (float *)XV, d->xoff = xoff, d->click = click, d->nfeatures = NF;
	rs_header_set_target(&d->hdr, click ? "click" : "rating");
	d->hdr.nusers = 2, d->hdr.nitems = 2;
	d->hdr.user_ids = d->hdr.item_ids = raw;
	rs_header_add_field(&d->hdr, "user", 2);
	rs_header_add_field(&d->hdr, "item", 2);
	rs_header_add_field(&d->hdr, "genre", 2);
}

static void untiny(rs_dataset *d)
{
	d->hdr.user_ids = d->hdr.item_ids = NULL;   /* the stack's */
	rs_header_free(&d->hdr);
}

/* The score of the hand-set model, pair by pair (block f of a feature is
 * its vector for field f; a feature's vector for its own field serves
 * only the other features of a multi-hot field):
 *   linear: 0.25 - 0.5 + 1 (0.5) + 0.5 (0.5)                   =  0.5
 *   (1,2) 1 x 1:     V1[item] . V2[user]   = (1,2).(2,1)     4  =  4
 *   (1,4) 1 x 1/2:   V1[genre] . V4[user]  = (0.5,-1).(1,0)  0.5 =  0.25
 *   (1,5) 1 x 1/2:   V1[genre] . V5[user]  = (0.5,-1).(-1,1) -1.5 = -0.75
 *   (2,4) 1 x 1/2:   V2[genre] . V4[item]  = (1,1).(0,2)     2  =  1
 *   (2,5) 1 x 1/2:   V2[genre] . V5[item]  = (1,1).(1,1)     2  =  1
 *   (4,5) 1/2 x 1/2: V4[genre] . V5[genre] = (2,0.5).(4,-2)  7  =  1.75
 * plus w0 0.125: 7.875, exact in float. */
static const float HAND[NF * W] = {
	/* feature 0 (user 0), never active */ 9, 9, 9, 9, 9, 9, 9,
	/* 1: user, item, genre blocks; w */ 9, 9, 1, 2, 0.5f, -1, 0.25f,
	/* 2 */ 2, 1, 9, 9, 1, 1, -0.5f,
	/* 3 (item 1), never active */ 9, 9, 9, 9, 9, 9, 9,
	/* 4 */ 1, 0, 0, 2, 2, 0.5f, 1,
	/* 5 */ -1, 1, 1, 1, 4, -2, 0.5f,
};

static void check_hand(void)
{
	rs_dataset d;
	float y = 1;
	uint32_t ids[2];
	int64_t raw[2];
	size_t xoff[2];
	uint8_t split;
	tiny_dataset(&d, 1, &y, ids, raw, xoff, &split);
	rs_hparams hp = {.factors = K, .batch = 1, .epochs = 1, .init = RS_INIT_NORMAL, .init_std = 0.1, .seed = 1};
	rs_model m;
	rs_model_create(&m, &rs_ffm_ops, &hp, &d);
	ok(m.p.t[FFM_V].rows == NF && m.p.t[FFM_V].cols == W && m.p.n == FFM_NTENSORS,
	   "ffm's V is (features, fields x k + 1): %u x %u", m.p.t[FFM_V].rows, m.p.t[FFM_V].cols);
	memcpy(rs_w(&m.p, FFM_V), HAND, sizeof HAND);
	rs_w(&m.p, FFM_W0)[0] = 0.125f;
	uint32_t idx = 0;
	float out, prob;
	rs_model_reserve(&m, 1);
	m.ops->forward(&m, &d, &idx, 1, &out, NULL);
	ok(out == 7.875f, "the hand-set model scores 7.875: %.9g", out);
	rs_model_predict(&m, &d, &idx, 1, &prob, 1);
	ok(fabs(prob - 1 / (1 + exp(-7.875))) < 1e-7, "its click probability is the sigmoid of 7.875: %.9g", prob);
	rs_model_free(&m);
	untiny(&d);
}

/* ---- the kernel against the FFM by its pairs, in double ---- */

enum { GK = 11, GF = 4, GW = GF * GK + 1, GN = 9, GJ = 5 };   /* k past one 8-lane vector */
static const uint32_t GX[GJ] = {0, 3, 5, 6, 8};
static const uint8_t GFLD[GJ] = {0, 1, 2, 2, 3};   /* field 2 multi-hot */

/* dout score + (l2/2) (sum over pairs of both blocks' squares + the
 * weights' squares), the loss ffm_record_backward is the gradient of */
static double ffm_pairs_loss(const double *V, const float *xv, double dout, double l2)
{
	double s = 0.3, reg = 0;
	for (int a = 0; a < GJ; a++) {
		const double *ra = V + GX[a] * GW;
		double va = xv ? xv[a] : 1;
		s += ra[GW - 1] * va;
		reg += ra[GW - 1] * ra[GW - 1];
		for (int b = a + 1; b < GJ; b++) {
			const double *pa = ra + GFLD[b] * GK, *pb = V + GX[b] * GW + GFLD[a] * GK;
			for (int f = 0; f < GK; f++) {
				s += pa[f] * pb[f] * va * (xv ? xv[b] : 1);
				reg += pa[f] * pa[f] + pb[f] * pb[f];
			}
		}
	}
	return dout * s + 0.5 * l2 * reg;
}

static void check_kernel(rs_rng *rng)
{
	float V[GN * GW], xv[GJ] = {1.0f, 0.5f, -1.5f, 0.25f, 2.0f};
	double Vd[GN * GW], l2 = 0.05, dout = -0.7, h = 1e-5;
	for (int i = 0; i < GN * GW; i++)
		Vd[i] = V[i] = (float)(0.5 * rs_rng_normal(rng));
	for (int c = 0; c < 2; c++) {
		const float *v = c ? xv : NULL;
		const char *vals = v ? "weighted" : "unit";
		float score = ffm_record_forward(V, GW, GX, GFLD, v, GJ, GK, GF, 0.3f);
		double want = ffm_pairs_loss(Vd, v, 1, 0);
		ok(fabs(score - want) <= 1e-5 * (1 + fabs(want)),
		   "ffm_record_forward is the FFM's sum over pairs (%s values): %.7g against %.7g", vals, score, want);
		float G[GJ * GW] = {0}, *rows[GJ];
		for (int a = 0; a < GJ; a++)
			rows[a] = G + a * GW;
		ffm_record_backward(rows, V, GW, GX, GFLD, v, GJ, GK, GF, (float)dout, (float)l2);
		int bad = 0, checked = 0;
		for (int a = 0; a < GJ; a++)
			for (int i = 0; i < GW; i++) {
				size_t at = GX[a] * GW + (size_t)i;
				double keep = Vd[at];
				Vd[at] = keep + h;
				double up = ffm_pairs_loss(Vd, v, dout, l2);
				Vd[at] = keep - h;
				double down = ffm_pairs_loss(Vd, v, dout, l2);
				Vd[at] = keep;
				double num = (up - down) / (2 * h);
				bad += fabs(rows[a][i] - num) > 1e-4 * fmax(1, fabs(num));
				checked += num != 0;
			}
		/* a lone feature's own-field block has no pair: 0; field 2's
		 * two features meet through theirs */
		ok(!bad && checked > 100, "ffm_record_backward (%s values) matches finite differences in double (%d nonzero of %d)",
		   vals, checked, GJ * GW);
		ok(G[0 * GW + 0] == 0 && G[2 * GW + 2 * GK] != 0 && G[3 * GW + 2 * GK] != 0,
		   "(%s values) a one-hot field's own block gets no gradient, a multi-hot field's does", vals);
	}
}

/* ---- the fused step against the batched gradient ---- */

/* n 4: the record above (the general path, field genre multi-hot); n 3:
 * its first three features, every field one-hot (the pairwise path) */
static void check_step(int click, int n)
{
	static const int FLD[N] = {0, 1, 2, 2};
	char what[64];
	snprintf(what, sizeof what, "%s, %s", click ? "logistic" : "squared", n == N ? "multi-hot" : "one-hot");
	rs_dataset d;
	float y = click ? 1.0f : 4.0f;
	uint32_t ids[2];
	int64_t raw[2];
	size_t xoff[2];
	uint8_t split;
	tiny_dataset(&d, click, &y, ids, raw, xoff, &split);
	xoff[1] = (size_t)n;
	rs_hparams hp = {.factors = K, .batch = 1, .epochs = 1, .init = RS_INIT_NORMAL, .init_std = 0.3,
			 .seed = 9, .l2 = 0.05, .lr = 0.1};
	rs_model m;
	rs_model_create(&m, &rs_ffm_ops, &hp, &d);
	rs_w(&m.p, FFM_W0)[0] = 0.2f;
	rs_params_alloc_training(&m.p);
	rs_model_reserve(&m, 1);
	float *V = rs_w(&m.p, FFM_V), V0[NF * W], w00 = rs_w(&m.p, FFM_W0)[0];
	memcpy(V0, V, sizeof V0);
	uint32_t idx = 0;
	float out, dout;
	m.ops->forward(&m, &d, &idx, 1, &out, NULL);
	double want = click ? bce_logits_forward(&out, &y, 1) : mse_forward(&out, &y, 1);
	(click ? bce_logits_backward : mse_backward)(&dout, &out, &y, 1);
	m.ops->backward(&m, &d, &idx, 1, &dout);
	const float *G = rs_g(&m.p, FFM_V);
	float g0 = rs_g(&m.p, FFM_W0)[0];
	rs_ffm_adagrad s;
	rs_ffm_adagrad_init(&s, &m, NULL, 1);
	double loss = rs_ffm_adagrad_step(&s, &m, X, XV, n, y);
	ok(fabs(loss - want) < 1e-6, "%s: the step's loss is the forward's: %g (batched %g)", what, loss, want);
	/* blocks used: every other feature's field's (genre's own for 4 and 5
	 * when both are there), and the weight */
	int bad = 0, badacc = 0, still = 0;
	for (int a = 0; a < n; a++)
		for (int f = 0; f <= F; f++) {
			int used = f == F;
			for (int b = 0; b < n; b++)
				used |= b != a && FLD[b] == f;
			size_t at = X[a] * W + (size_t)f * K;
			int width = f == F ? 1 : K;
			double sq = 0;
			for (int i = 0; i < width; i++)
				sq += (double)G[at + i] * G[at + i];
			double acc = used ? 1 + sq / width : 1;
			badacc += fabs(s.acc[X[a] * s.A + f] - acc) > 1e-6;
			for (int i = 0; i < width; i++) {
				double moved = V0[at + i] - (used ? hp.lr / sqrt(acc) * G[at + i] : 0);
				bad += fabs(V[at + i] - moved) > 1e-6;
				still += !used && V[at + i] == V0[at + i];
			}
		}
	ok(!badacc, "%s: each used block's accumulator gains its mean squared gradient, the others stay 1 (%d off)",
	   what, badacc);
	ok(!bad && still == (n == N ? 2 : 3) * K,
	   "%s: each used block and weight moves by lr / sqrt(acc) times the batched gradient, the unused ones (a feature's own field's) not at all (%d off)",
	   what, bad);
	double acc0 = 1 + (double)g0 * g0;
	ok(fabs(s.acc0 - acc0) < 1e-6 && fabs(rs_w(&m.p, FFM_W0)[0] - (w00 - hp.lr / sqrt(acc0) * g0)) < 1e-6,
	   "%s: w0 steps by its own accumulator, without l2", what);
	ok(!memcmp(V, V0, W * sizeof *V) && !memcmp(V + 3 * W, V0 + 3 * W, W * sizeof *V),
	   "%s: rows the record does not use stay as they were", what);
	rs_ffm_adagrad_free(&s);
	rs_model_free(&m);
	untiny(&d);
}

/* --threads 2's hot rows (ffmadagrad.h): R records of user, item and
 * genre, one-hot, every feature hot (R < RS_FFM_HOT). R 1000 is one
 * chunk of records, so one lane steps them all, in order: its copies are
 * the model one thread makes, and the other lane's, stepped by no record,
 * count for nothing. R 20000 is several chunks shared as the threads
 * come: each hot row is its copies' mean weighted by their steps, which
 * sum to the feature's records, and its accumulators gain both copies'
 * gains. */
static void check_hot(int R)
{
	rs_dataset d;
	float y0;
	uint32_t ids[2];
	int64_t raw[2];
	size_t xoff0[2];
	uint8_t split0;
	tiny_dataset(&d, 1, &y0, ids, raw, xoff0, &split0);
	d.n = (size_t)R;
	d.user = calloc((size_t)R, sizeof *d.user), d.item = calloc((size_t)R, sizeof *d.item);
	d.y = calloc((size_t)R, sizeof *d.y), d.split = calloc((size_t)R, 1);
	d.xoff = calloc((size_t)R + 1, sizeof *d.xoff), d.x = calloc((size_t)R * 3, sizeof *d.x), d.xv = NULL;
	d.nnz = 3 * (size_t)R;
	uint32_t *idx = calloc((size_t)R, sizeof *idx);
	for (int r = 0; r < R; r++) {
		uint32_t u = (uint32_t)r % 2, i = (uint32_t)(r / 2) % 2, g = (uint32_t)(r / 4) % 2;
		d.user[r] = u, d.item[r] = i, d.y[r] = (float)((u + i + g) % 2);
		d.x[3 * r] = u, d.x[3 * r + 1] = 2 + i, d.x[3 * r + 2] = 4 + g;
		d.xoff[r + 1] = 3 * ((size_t)r + 1);
		idx[r] = (uint32_t)r;
	}
	rs_hparams hp = {.factors = K, .batch = 1, .epochs = 1, .init = RS_INIT_NORMAL, .init_std = 0.3,
			 .seed = 9, .l2 = 0.01, .lr = 0.1};
	rs_model one, two;
	rs_model_create(&one, &rs_ffm_ops, &hp, &d);
	rs_model_create(&two, &rs_ffm_ops, &hp, &d);
	rs_ffm_adagrad s1, s2;
	rs_ffm_adagrad_init(&s1, &one, &d, 1);
	rs_ffm_adagrad_init(&s2, &two, &d, 2);
	rs_ffm_adagrad_epoch(&s1, &one, &d, idx, (size_t)R);
	rs_ffm_adagrad_epoch(&s2, &two, &d, idx, (size_t)R);
	const float *V1 = rs_w(&one.p, FFM_V), *V2 = rs_w(&two.p, FFM_V);
	int hot = s2.nhot == NF, bad = 0, badacc = 0, badhits = 0;
	for (uint32_t h = 0; h < s2.nhot && hot; h++) {
		size_t x = s2.hot[h];
		uint32_t hits = s2.lane[0].hits[h] + s2.lane[1].hits[h];
		badhits += hits != (uint32_t)R / 2;   /* each of a field's two values in half the records */
		for (int c = 0; c < W; c++) {
			double want = 0;
			for (int t = 0; t < 2; t++)
				want += (double)s2.lane[t].hits[h] / hits * s2.V[(NF + (size_t)t * NF + h) * s2.W + c];
			bad += fabs(V2[x * W + c] - want) > 1e-6;
		}
		for (int c = 0; c <= F; c++) {
			double gain = 0;
			for (int t = 0; t < 2; t++)
				gain += s2.acc[(NF + (size_t)t * NF + h) * s2.A + c] - 1.0;
			badacc += fabs(s2.acc[x * s2.A + c] - (1.0 + gain)) > 1e-5 * (1.0 + gain);   /* summed in float */
		}
	}
	if (R < 4096)
		ok(hot && !memcmp(V1, V2, NF * W * sizeof *V1) && !memcmp(s1.acc, s2.acc, NF * s1.A * sizeof *s1.acc),
		   "2 threads, %d records, one chunk: every feature hot, and the model and accumulators are one thread's bits", R);
	ok(hot && !bad && !badacc && !badhits,
	   "2 threads, %d records: each hot row the mean of its copies weighted by their steps (%d off), its accumulators the sum of their gains (%d off), the steps the feature's records (%d off)",
	   R, bad, badacc, badhits);
	rs_ffm_adagrad_free(&s1);
	rs_ffm_adagrad_free(&s2);
	rs_model_free(&one);
	rs_model_free(&two);
	free(d.user), free(d.item), free(d.y), free(d.split), free(d.xoff), free(d.x), free(idx);
	untiny(&d);
}

int main(void)
{
	rs_rng rng;
	rs_rng_seed(&rng, 7);
	check_hand();
	check_kernel(&rng);
	for (int n = N - 1; n <= N; n++) {
		check_step(0, n);
		check_step(1, n);
	}
	check_hot(1000);
	check_hot(20000);
	return tap_done();
}
