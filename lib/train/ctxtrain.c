/* ctxtrain.c: ranking steps by context-once scoring (ctxtrain.h). */
#include "ctxtrain.h"
#include "compute.h"
#include "gemm.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_ctxtrain_init(rs_ctxtrain *t, rs_model *m, const rs_onehot *oh, size_t most, rs_negs *negs)
{
	memset(t, 0, sizeof *t);
	t->m = m;
	rs_ctx_init(&t->ctx, m, oh);
	t->negs = negs;
	t->nitems = m->hdr.nitems;
	t->most = most ? most : 1;
	t->posc = rs_calloc((size_t)t->nitems + 1, sizeof *t->posc);
}

void rs_ctxtrain_free(rs_ctxtrain *t)
{
	rs_ctx_free(&t->ctx);
	free(t->cx), free(t->cv), free(t->cn);
	free(t->cb), free(t->cs), free(t->dcb), free(t->dcs);
	free(t->cand), free(t->jrow), free(t->jb), free(t->jS), free(t->jT), free(t->djb), free(t->djS);
	free(t->logit), free(t->target), free(t->user), free(t->zeros);
	free(t->posc);
	free(t->fg), free(t->frow);
	memset(t, 0, sizeof *t);
}

int rs_ctxtrain_fuse(rs_ctxtrain *t, const rs_optim *o)
{
	rs_model *m = t->m;
	rs_params *p = &m->p;
	size_t w = (size_t)t->ctx.k + 1;
	if (o->kind != RS_ADAGRAD || m->hp.loss != RS_LOSS_BPR || !m->ops->row)
		return 0;
	/* every plain candidate's row is row x of one tensor, x its feature,
	 * where its accumulator is too (optim.h) */
	int found = -1;
	for (uint32_t i = 0; i < t->nitems; i++) {
		if (!t->ctx.plain[i])
			continue;
		const uint32_t *x;
		const float *xv;
		rs_ctx_item(&t->ctx, i, &x, &xv);
		const float *row = m->ops->row(m, RS_PART_ITEM, x[0], 0);
		if (found < 0)
			for (int q = 0; q < p->n; q++)
				if (row >= rs_w(p, q) && row < rs_w(p, q) + (size_t)p->t[q].rows * p->t[q].cols)
					found = q;
		if (found < 0 || p->t[found].cols != w || row != rs_w(p, found) + x[0] * w)
			return 0;
	}
	/* and a context's rows, row x of theirs (model.h's part_backward) */
	const float *crow = m->ops->row(m, RS_PART_CONTEXT, 0, 0);
	int ctx_t = -1;
	for (int q = 0; q < p->n; q++)
		if (crow == rs_w(p, q) && p->t[q].cols == w)
			ctx_t = q;
	if (found < 0 || ctx_t < 0)
		return 0;
	size_t C = 1 + (size_t)m->hp.negatives;
	t->fg = rs_reallocarray(t->fg, C > t->most ? C : t->most, w * sizeof *t->fg);
	t->frow = rs_reallocarray(t->frow, C, sizeof *t->frow);
	t->item_t = found;
	t->ctx_t = ctx_t;
	t->fused = o;
	return 1;
}

/* Room for B positives, n candidates and nlogit logits. */
static void reserve(rs_ctxtrain *t, int B, int n, size_t nlogit)
{
	size_t k = (size_t)t->ctx.k, s = RS_GEMM_SLACK;
	if (B > t->B) {
		t->B = B;
		t->cx = rs_reallocarray(t->cx, (size_t)B, t->most * sizeof *t->cx);
		t->cv = rs_reallocarray(t->cv, (size_t)B, t->most * sizeof *t->cv);
		t->cn = rs_reallocarray(t->cn, (size_t)B, sizeof *t->cn);
		t->cb = rs_reallocarray(t->cb, (size_t)B, sizeof *t->cb);
		t->dcb = rs_reallocarray(t->dcb, (size_t)B, sizeof *t->dcb);
		t->cs = rs_reallocarray(t->cs, (size_t)B * k + s, sizeof *t->cs);
		t->dcs = rs_reallocarray(t->dcs, (size_t)B * k + s, sizeof *t->dcs);
		t->target = rs_reallocarray(t->target, (size_t)B, sizeof *t->target);
		t->user = rs_reallocarray(t->user, (size_t)B, sizeof *t->user);
		free(t->zeros);
		t->zeros = rs_calloc((size_t)B, sizeof *t->zeros);
	}
	if (n > t->ncand) {
		t->ncand = n;
		t->cand = rs_reallocarray(t->cand, (size_t)n, sizeof *t->cand);
		t->jrow = rs_reallocarray(t->jrow, (size_t)n, sizeof *t->jrow);
		t->jb = rs_reallocarray(t->jb, (size_t)n, sizeof *t->jb);
		t->djb = rs_reallocarray(t->djb, (size_t)n, sizeof *t->djb);
		t->jS = rs_reallocarray(t->jS, (size_t)n * k + s, sizeof *t->jS);
		t->djS = rs_reallocarray(t->djS, (size_t)n * k + s, sizeof *t->djS);
		t->jT = rs_reallocarray(t->jT, (size_t)n * k + s, sizeof *t->jT);
	}
	if (nlogit > t->nlogit) {
		t->nlogit = nlogit;
		t->logit = rs_reallocarray(t->logit, nlogit, sizeof *t->logit);
	}
}

/* The contexts of the positives: their features and parts. */
static void contexts(rs_ctxtrain *t, const rs_dataset *d, const uint32_t *idx, int B)
{
	size_t k = (size_t)t->ctx.k;
	rs_model *m = t->m;
	/* the positives are the epoch's shuffle: each record's user, item and
	 * features, then their rows (and their gradients' rows), asked for
	 * ahead */
	for (int b = 0; b < B; b++) {
		if (b + 8 < B) {
			__builtin_prefetch(d->user + idx[b + 8]);
			__builtin_prefetch(d->item + idx[b + 8]);
			if (d->x)
				__builtin_prefetch(d->xoff + idx[b + 8]);
		}
		if (d->x && b + 4 < B) {
			__builtin_prefetch(d->x + d->xoff[idx[b + 4]]);
			if (d->xv)
				__builtin_prefetch(d->xv + d->xoff[idx[b + 4]]);
		}
		t->target[b] = d->item[idx[b]];
		t->user[b] = d->user[idx[b]];
		uint32_t *cx = t->cx + (size_t)b * t->most;
		t->cn[b] = rs_ctx_record(&t->ctx, d, idx[b], cx, t->cv + (size_t)b * t->most);
		for (int j = 0; j < t->cn[b] && m->ops->row; j++) {
			const float *row = m->ops->row(m, RS_PART_CONTEXT, cx[j], 0);
			const float *grow = m->ops->row(m, RS_PART_CONTEXT, cx[j], 1);
			for (size_t f = 0; f <= k; f += 16) {
				__builtin_prefetch(row + f);
				__builtin_prefetch(grow + f, 1);
			}
		}
	}
	for (int b = 0; b < B; b++) {
		uint32_t *cx = t->cx + (size_t)b * t->most;
		float *cv = t->cv + (size_t)b * t->most;
		rs_ctx_forward(&t->ctx, cx, cv, t->cn[b], &t->cb[b], t->cs + (size_t)b * k);
	}
}

static void contexts_backward(rs_ctxtrain *t, int B, float l2)
{
	size_t k = (size_t)t->ctx.k;
	rs_model *m = t->m;
	for (int b = 0; b < B; b++)
		m->ops->part_backward(m, RS_PART_CONTEXT, t->cx + (size_t)b * t->most,
				      t->ctx.oh ? t->cv + (size_t)b * t->most : NULL, t->cn[b],
				      t->dcb[b], t->dcs + (size_t)b * k, l2, NULL);
}

static float *item_row(rs_ctxtrain *t, uint32_t i, int grad)
{
	const uint32_t *x;
	const float *xv;
	rs_ctx_item(&t->ctx, i, &x, &xv);
	return t->m->ops->row(t->m, RS_PART_ITEM, x[0], grad);
}

/* Candidate i's row asked for ahead of its dot, and its gradient's row
 * ahead of the backward's write when grad: the rows lie anywhere in the
 * tables. Its row, or NULL for an item of several features. */
static const float *ask_item(rs_ctxtrain *t, uint32_t i, int grad)
{
	if (!t->ctx.plain[i])
		return NULL;
	size_t k = (size_t)t->ctx.k;
	const float *row = item_row(t, i, 0);
	for (size_t f = 0; f <= k; f += 16)
		__builtin_prefetch(row + f, 1);
	if (grad) {
		const float *grow = item_row(t, i, 1);
		for (size_t f = 0; f <= k; f += 16)
			__builtin_prefetch(grow + f, 1);
	}
	return row;
}

static void item_part(rs_ctxtrain *t, uint32_t i, float *bias, float *s)
{
	const uint32_t *x;
	const float *xv;
	int n = rs_ctx_item(&t->ctx, i, &x, &xv);
	t->m->ops->part(t->m, RS_PART_ITEM, x, xv, n, bias, s);
}

static void item_backward(rs_ctxtrain *t, uint32_t i, float db, const float *ds, float l2)
{
	const uint32_t *x;
	const float *xv;
	int n = rs_ctx_item(&t->ctx, i, &x, &xv);
	t->m->ops->part_backward(t->m, RS_PART_ITEM, x, xv, n, db, ds, l2, NULL);
}

/* BPR: row b's candidates are its positive, then K negatives, at
 * cand[b (1+K) ..]; the logits laid out as bpr_forward reads them. */
RS_SIMD_BODY double bpr_step_body(rs_ctxtrain *t, int B, rs_rng *rng)
{
	int K = t->m->hp.negatives, C = 1 + K;
	size_t k = (size_t)t->ctx.k;
	reserve(t, B, B * C, (size_t)B * C);
	float *pos = t->logit, *neg = t->logit + B, *dpos = t->djb, *dneg = t->djb + B;
	/* the batch's draws first, each row (and its gradient's) asked for
	 * ahead of its dot: the rows lie anywhere in the tables */
	for (int b = 0; b < B; b++) {
		uint32_t *c = t->cand + (size_t)b * C;
		if (b + 1 < B)
			rs_negs_prefetch(t->negs, t->user[b + 1]);
		rs_negs_user(t->negs, t->user[b]);
		c[0] = t->target[b];
		for (int q = 1; q < C; q++)
			c[q] = rs_negs_unrated(t->negs, rng);
		for (int q = 0; q < C; q++)
			t->jrow[(size_t)b * C + q] = ask_item(t, c[q], !t->fused);
	}
	for (int b = 0; b < B; b++) {
		uint32_t *c = t->cand + (size_t)b * C;
		const float *s = t->cs + (size_t)b * k;
		for (int q = 0; q < C; q++) {
			float *S = t->jS + ((size_t)b * C + q) * k, jb;
			if (t->ctx.plain[c[q]]) {   /* its part is the row: no copy */
				S = (float *)t->jrow[(size_t)b * C + q];
				jb = S[k];
			} else {
				item_part(t, c[q], &jb, S);
				t->jrow[(size_t)b * C + q] = S;
			}
			float l = t->cb[b] + jb + rs_dot(s, S, (int)k);
			if (q)
				neg[(size_t)b * K + q - 1] = l;
			else
				pos[b] = l;
		}
	}
	double loss = bpr_forward(pos, neg, B, K);
	bpr_backward(dpos, dneg, pos, neg, B, K);
	float l2 = (float)t->m->hp.l2 / ((float)B * (float)C), ds[RS_MAX_FACTORS];
	float lctx = (float)t->m->hp.l2 / (float)B;   /* contexts_backward's */
	for (int b = 0; b < B; b++) {
		const float *s = t->cs + (size_t)b * k;
		float *dcs = t->dcs + (size_t)b * k;
		int nf = 0;
		t->dcb[b] = 0;
		memset(dcs, 0, k * sizeof *dcs);
		for (int q = 0; q < C; q++) {
			float g = q ? dneg[(size_t)b * K + q - 1] : dpos[b];
			const float *S = t->jrow[(size_t)b * C + q];
			uint32_t i = t->cand[(size_t)b * C + q];
			t->dcb[b] += g;
			if (t->ctx.plain[i]) {   /* the row's gradient: what part_backward adds, in the
						    gradient block or, fused, in hand */
				if (t->fused) {   /* written, not added: a row just zeroed and read back
						     stalls on its stores */
					float *grow = t->fg + (size_t)nf * (k + 1);
					const uint32_t *x;
					const float *xv;
					rs_ctx_item(&t->ctx, i, &x, &xv);
					t->frow[nf++] = x[0];
					for (size_t f = 0; f < k; f++) {
						dcs[f] += g * S[f];
						grow[f] = g * s[f] + l2 * S[f];
					}
					grow[k] = g + l2 * S[k];
					continue;
				}
				float *grow = item_row(t, i, 1);
				for (size_t f = 0; f < k; f++) {
					dcs[f] += g * S[f];
					grow[f] += g * s[f] + l2 * S[f];
				}
				grow[k] += g + l2 * S[k];
				continue;
			}
			for (size_t f = 0; f < k; f++)
				dcs[f] += g * S[f], ds[f] = g * s[f];
			item_backward(t, i, g, ds, l2);
		}
		if (nf)
			rs_optim_rows(t->fused, &t->m->p, t->item_t, t->frow, t->fg, nf);
		if (t->fused) {   /* the context's rows too, from its gradient in hand */
			const uint32_t *cx = t->cx + (size_t)b * t->most;
			t->m->ops->part_backward(t->m, RS_PART_CONTEXT, cx, t->ctx.oh ? t->cv + (size_t)b * t->most : NULL,
						 t->cn[b], t->dcb[b], dcs, lctx, t->fg);
			rs_optim_rows(t->fused, &t->m->p, t->ctx_t, cx, t->fg, t->cn[b]);
		}
	}
	return loss;
}

RS_SIMD_RET(double, bpr_step, (rs_ctxtrain *t, int B, rs_rng *rng), (t, B, rng))

/* S (n, k) into T (k, n), the layout the logits' product reads. */
static void transpose(float *T, const float *S, int n, int k)
{
	for (int j = 0; j < n; j++)
		for (int f = 0; f < k; f++)
			T[(size_t)f * n + j] = S[(size_t)j * k + f];
}

/* The full softmax: every item a column of the logits (B, I). */
static double softmax_step(rs_ctxtrain *t, int B)
{
	int I = (int)t->nitems, k = t->ctx.k;
	reserve(t, B, I, (size_t)B * I);
	rs_ctx *c = &t->ctx;
	rs_ctx_refresh(c);
	transpose(t->jT, c->S, I, k);
	float *L = t->logit;
	for (int b = 0; b < B; b++)
		memcpy(L + (size_t)b * I, c->b, (size_t)I * sizeof *L);
	rs_gemm_acc(L, I, t->cs, k, 1, t->jT, I, B, I, k);
	double loss = softmax_xent_forward(L, L, t->target, B, I);
	softmax_xent_backward(L, L, t->target, B, I);
	/* dcs = G S, dS = G^T cs, db = G's column sums */
	memset(t->dcs, 0, (size_t)B * k * sizeof *t->dcs);
	memset(t->djS, 0, (size_t)I * k * sizeof *t->djS);
	rs_gemm_acc(t->dcs, k, L, I, 1, c->S, k, B, k, I);
	rs_gemm_acc(t->djS, k, L, 1, I, t->cs, k, I, k, B);
	memset(t->djb, 0, (size_t)I * sizeof *t->djb);
	for (int b = 0; b < B; b++) {
		const float *g = L + (size_t)b * I;
		for (int j = 0; j < I; j++)
			t->djb[j] += g[j];
		t->posc[t->target[b]] += 1.0f;
		t->dcb[b] = 0;   /* a row's gradients sum to 0: its bias does not matter */
	}
	float l2 = (float)t->m->hp.l2 / (float)B;
	for (int j = 0; j < I; j++) {
		item_backward(t, (uint32_t)j, t->djb[j], t->djS + (size_t)j * k, l2 * t->posc[j]);
		t->posc[j] = 0;
	}
	return loss;
}

/* The sampled softmax: row b's columns are its positive, then the N
 * negatives shared by the batch. */
static double sampled_step(rs_ctxtrain *t, int B, rs_rng *rng)
{
	int N = t->m->hp.negatives, C = N + 1, k = t->ctx.k;
	reserve(t, B, N + B, (size_t)B * C);
	float logN = logf((float)N);
	uint32_t *neg = t->cand;
	float *nS = t->jS, *pS = t->jS + (size_t)N * k, *nb = t->jb, *pb = t->jb + N;
	/* the draws and the positives' rows asked for first: at a catalogue's
	 * size each row is a miss, and one at a time they wait in turn */
	for (int j = 0; j < N; j++) {
		neg[j] = rs_negs_draw(t->negs, rng);
		ask_item(t, neg[j], 1);
	}
	for (int b = 0; b < B; b++)
		ask_item(t, t->target[b], 1);
	for (int j = 0; j < N; j++)
		item_part(t, neg[j], &nb[j], nS + (size_t)j * k);
	transpose(t->jT, nS, N, k);
	float *L = t->logit;
	for (int b = 0; b < B; b++) {
		float *l = L + (size_t)b * C;
		const float *s = t->cs + (size_t)b * k;
		item_part(t, t->target[b], &pb[b], pS + (size_t)b * k);
		l[0] = pb[b] + rs_dot(s, pS + (size_t)b * k, k);
		for (int j = 0; j < N; j++)
			l[1 + j] = nb[j] - (t->negs->logq[neg[j]] + logN);
	}
	rs_gemm_acc(L + 1, C, t->cs, k, 1, t->jT, N, B, N, k);
	for (int b = 0; b < B; b++)   /* an accidental hit is not a negative */
		for (int j = 0; j < N; j++)
			if (neg[j] == t->target[b])
				L[(size_t)b * C + 1 + j] = -INFINITY;
	/* the positive is each row's column 0 */
	double loss = softmax_xent_forward(L, L, t->zeros, B, C);
	softmax_xent_backward(L, L, t->zeros, B, C);
	memset(t->dcs, 0, (size_t)B * k * sizeof *t->dcs);
	memset(t->djS, 0, (size_t)N * k * sizeof *t->djS);
	rs_gemm_acc(t->dcs, k, L + 1, C, 1, nS, k, B, k, N);
	rs_gemm_acc(t->djS, k, L + 1, 1, C, t->cs, k, N, k, B);
	float l2 = (float)t->m->hp.l2 / (float)B, ds[RS_MAX_FACTORS];
	for (int j = 0; j < N; j++) {
		float db = 0;
		for (int b = 0; b < B; b++)
			db += L[(size_t)b * C + 1 + j];
		item_backward(t, neg[j], db, t->djS + (size_t)j * k, 0.0f);
	}
	for (int b = 0; b < B; b++) {
		float g = L[(size_t)b * C];
		const float *s = t->cs + (size_t)b * k, *S = pS + (size_t)b * k;
		float *dcs = t->dcs + (size_t)b * k;
		for (int f = 0; f < k; f++)
			dcs[f] += g * S[f], ds[f] = g * s[f];
		item_backward(t, t->target[b], g, ds, l2);
		t->dcb[b] = 0;
	}
	return loss;
}

double rs_ctxtrain_step(rs_ctxtrain *t, const rs_dataset *d, const uint32_t *idx, int B,
			rs_rng *sample)
{
	rs_model *m = t->m;
	reserve(t, B, 1, 1);
	contexts(t, d, idx, B);
	double loss;
	if (m->hp.loss == RS_LOSS_BPR)
		loss = bpr_step(t, B, sample);
	else if (m->hp.loss == RS_LOSS_SOFTMAX) {
		loss = softmax_step(t, B);
	} else {
		loss = sampled_step(t, B, sample);
	}
	if (!t->fused)   /* else each positive's context stepped in bpr_step */
		contexts_backward(t, B, (float)m->hp.l2 / (float)B);
	return loss;
}
