/* sasrec.c: the kind sasrec (sasrec.h): its layout, the forward and
 * backward of its blocks over packed sequences, and its parts for the
 * scorers. */
#include "sasrec.h"
#include "attn.h"
#include "diag.h"
#include "gemm.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

rs_sasrec_block rs_sasrec_block_of(int C)
{
	rs_sasrec_block b;
	size_t c = (size_t)C, at = 0;
	b.ln1g = at, at += c;
	b.ln1b = at, at += c;
	b.wqkv = at, at += c * 3 * c;
	b.bqkv = at, at += 3 * c;
	b.wo = at, at += c * c;
	b.bo = at, at += c;
	b.ln2g = at, at += c;
	b.ln2b = at, at += c;
	b.w1 = at, at += c * c;
	b.b1 = at, at += c;
	b.w2 = at, at += c * c;
	b.b2 = at, at += c;
	b.size = at;
	return b;
}

static void sasrec_layout(rs_model *m)
{
	uint32_t C = (uint32_t)m->hp.factors;
	rs_params_add(&m->p, "E", m->hdr.nitems, C, 1);
	rs_params_add(&m->p, "P", (uint32_t)m->hp.maxlen, C, 0);
	rs_params_add(&m->p, "blocks", (uint32_t)m->hp.blocks, (uint32_t)rs_sasrec_block_of((int)C).size, 0);
	rs_params_add(&m->p, "lnf", 2, C, 0);
	/* a record, never a parameter: sparse and never touched, so no step
	 * moves it */
	rs_params_add(&m->p, "seq", m->hdr.nusers, (uint32_t)m->hp.maxlen, 1);
}

/* Normal weights of --init-std; norms' gains 1 and every bias 0 */
static void sasrec_init(rs_model *m, rs_rng *rng)
{
	int C = m->hp.factors;
	rs_sasrec_block bl = rs_sasrec_block_of(C);
	rs_params *p = &m->p;
	rs_init_normal(rs_w(p, SR_E), (size_t)p->t[SR_E].rows * C, m->hp.init_std, rng);
	rs_init_normal(rs_w(p, SR_P), (size_t)p->t[SR_P].rows * C, m->hp.init_std, rng);
	for (int b = 0; b < m->hp.blocks; b++) {
		float *W = rs_w(p, SR_BLOCKS) + (size_t)b * bl.size;
		memset(W, 0, bl.size * sizeof *W);
		for (int c = 0; c < C; c++)
			W[bl.ln1g + c] = W[bl.ln2g + c] = 1.0f;
		rs_init_normal(W + bl.wqkv, (size_t)C * 3 * C, m->hp.init_std, rng);
		rs_init_normal(W + bl.wo, (size_t)C * C, m->hp.init_std, rng);
		rs_init_normal(W + bl.w1, (size_t)C * C, m->hp.init_std, rng);
		rs_init_normal(W + bl.w2, (size_t)C * C, m->hp.init_std, rng);
	}
	float *lnf = rs_w(p, SR_LNF);
	for (int c = 0; c < C; c++)
		lnf[c] = 1.0f, lnf[C + c] = 0.0f;
	memset(rs_w(p, SR_SEQ), 0, (size_t)p->t[SR_SEQ].rows * p->t[SR_SEQ].cols * sizeof(float));
}

static size_t sasrec_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;   /* a scorer's activations are its own (sasrec_part) */
}

void rs_sasrec_reserve(rs_sasrec_acts *a, const rs_model *m, size_t tokens, size_t seqs)
{
	if (tokens <= a->cap && seqs <= a->seqs)
		return;
	int threads = a->threads;
	rs_sasrec_acts_free(a);
	a->threads = threads;
	size_t C = (size_t)m->hp.factors, nb = (size_t)m->hp.blocks, N = tokens;
	/* sum of L^2 over sequences of sum L = N tokens, each L <= maxlen */
	size_t longest = (size_t)m->hp.maxlen < N ? (size_t)m->hp.maxlen : N;
	size_t att_floats = N * longest * (size_t)m->hp.heads;
	a->cap = N, a->att_cap = att_floats, a->seqs = seqs, a->nb = (int)nb;
	a->aoff = rs_malloc((seqs + 1) * sizeof *a->aoff);
	a->x = rs_malloc((nb + 1) * N * C * sizeof *a->x);
	a->mask0 = rs_malloc(N * C * sizeof *a->mask0);
	float **perC[] = {&a->ln1, &a->y, &a->ap, &a->maskA, &a->mid, &a->ln2, &a->f1, &a->f2, &a->maskF};
	for (size_t i = 0; i < sizeof perC / sizeof *perC; i++)
		*perC[i] = rs_malloc(nb * N * C * sizeof(float));
	float **perN[] = {&a->ln1m, &a->ln1r, &a->ln2m, &a->ln2r};
	for (size_t i = 0; i < sizeof perN / sizeof *perN; i++)
		*perN[i] = rs_malloc(nb * N * sizeof(float));
	a->qkv = rs_malloc(nb * N * 3 * C * sizeof *a->qkv);
	a->att = rs_malloc((nb * att_floats + 1) * sizeof *a->att);
	/* the gradients and h serve as a product's Bm, read past their end
	 * (gemm.h) */
	a->h = rs_malloc((N * C + RS_GEMM_SLACK) * sizeof *a->h);
	a->hm = rs_malloc(N * sizeof *a->hm);
	a->hr = rs_malloc(N * sizeof *a->hr);
	a->dx = rs_malloc(N * C * sizeof *a->dx);
	a->dt = rs_malloc((N * C + RS_GEMM_SLACK) * sizeof *a->dt);
	a->d2 = rs_malloc((N * C + RS_GEMM_SLACK) * sizeof *a->d2);
	a->dqkv = rs_malloc((N * 3 * C + RS_GEMM_SLACK) * sizeof *a->dqkv);
	a->wt = rs_malloc((3 * C * C + RS_GEMM_SLACK) * sizeof *a->wt);
}

void rs_sasrec_acts_free(rs_sasrec_acts *a)
{
	free(a->aoff);
	float *all[] = {a->x, a->mask0, a->ln1, a->y, a->ap, a->maskA, a->mid, a->ln2, a->f1, a->f2,
			a->maskF, a->ln1m, a->ln1r, a->ln2m, a->ln2r, a->qkv, a->att, a->h, a->hm, a->hr,
			a->dx, a->dt, a->d2, a->dqkv, a->wt};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(all[i]);
	memset(a, 0, sizeof *a);
}

void rs_sasrec_forward(const rs_model *m, rs_sasrec_acts *a, const uint32_t *items, const size_t *off,
		       int S, rs_rng *drop)
{
	int C = m->hp.factors, H = m->hp.heads, L = m->hp.maxlen, nb = m->hp.blocks;
	size_t N = off[S], NC = N * (size_t)C, cap = a->cap;
	float p = drop ? (float)m->hp.dropout : 0.0f, scale = sqrtf((float)C);
	const float *E = rs_w(&m->p, SR_E), *P = rs_w(&m->p, SR_P);
	rs_sasrec_block bl = rs_sasrec_block_of(C);
	int T = a->threads;
	attn_offsets(a->aoff, off, S, H);
	/* x0 (N, C) = E[item] sqrt(C) + P[position from the end], then dropout */
	float *x0 = a->dt;
	for (int s = 0; s < S; s++) {
		size_t len = off[s + 1] - off[s];
		for (size_t t = 0; t < len; t++) {
			const float *e = E + (size_t)items[off[s] + t] * C, *pp = P + (L - len + t) * (size_t)C;
			float *x = x0 + (off[s] + t) * C;
			for (int c = 0; c < C; c++)
				x[c] = e[c] * scale + pp[c];
		}
	}
	dropout_forward(a->x, a->mask0, x0, (int)NC, p, drop);
	for (int b = 0; b < nb; b++) {
		const float *W = rs_w(&m->p, SR_BLOCKS) + (size_t)b * bl.size;
		size_t o = (size_t)b * cap * C;
		float *xb = a->x + o, *xn = a->x + o + cap * C;
		float *ln1 = a->ln1 + o, *y = a->y + o, *ap = a->ap + o, *mid = a->mid + o;
		float *ln2 = a->ln2 + o, *f1 = a->f1 + o, *f2 = a->f2 + o;
		float *qkv = a->qkv + (size_t)b * cap * 3 * C, *att = a->att + (size_t)b * a->att_cap;
		layernorm_forward(ln1, a->ln1m + b * cap, a->ln1r + b * cap, xb, W + bl.ln1g, W + bl.ln1b, (int)N, C, T);
		dense_forward(qkv, ln1, W + bl.wqkv, W + bl.bqkv, (int)N, C, 3 * C, T);
		attention_forward(y, att, qkv, off, a->aoff, S, C, H, T);
		dense_forward(a->d2, y, W + bl.wo, W + bl.bo, (int)N, C, C, T);
		dropout_forward(ap, a->maskA + o, a->d2, (int)NC, p, drop);
		for (size_t i = 0; i < NC; i++)
			mid[i] = xb[i] + ap[i];
		layernorm_forward(ln2, a->ln2m + b * cap, a->ln2r + b * cap, mid, W + bl.ln2g, W + bl.ln2b, (int)N, C, T);
		dense_forward(f1, ln2, W + bl.w1, W + bl.b1, (int)N, C, C, T);
		relu_forward(f1, f1, (int)NC);
		dense_forward(a->d2, f1, W + bl.w2, W + bl.b2, (int)N, C, C, T);
		dropout_forward(f2, a->maskF + o, a->d2, (int)NC, p, drop);
		for (size_t i = 0; i < NC; i++)
			xn[i] = mid[i] + f2[i];
	}
	const float *lnf = rs_w(&m->p, SR_LNF);
	layernorm_forward(a->h, a->hm, a->hr, a->x + (size_t)nb * cap * C, lnf, lnf + C, (int)N, C, T);
}

void rs_sasrec_backward(rs_model *m, rs_sasrec_acts *a, float *dh, const uint32_t *items,
			const size_t *off, int S)
{
	int C = m->hp.factors, H = m->hp.heads, L = m->hp.maxlen, nb = m->hp.blocks;
	size_t N = off[S], NC = N * (size_t)C, cap = a->cap;
	rs_sasrec_block bl = rs_sasrec_block_of(C);
	rs_params *p = &m->p;
	float *dx = a->dx, *dt = a->dt, *d2 = a->d2;
	int T = a->threads;
	const float *lnf = rs_w(p, SR_LNF);
	float *glnf = rs_g(p, SR_LNF);
	memset(dx, 0, NC * sizeof *dx);
	layernorm_backward(dx, glnf, glnf + C, dh, a->x + (size_t)nb * cap * C, lnf, a->hm, a->hr, (int)N, C, T);
	for (int b = nb - 1; b >= 0; b--) {
		const float *W = rs_w(p, SR_BLOCKS) + (size_t)b * bl.size;
		float *G = rs_g(p, SR_BLOCKS) + (size_t)b * bl.size;
		size_t o = (size_t)b * cap * C;
		const float *xb = a->x + o, *ln1 = a->ln1 + o, *y = a->y + o, *mid = a->mid + o;
		const float *ln2 = a->ln2 + o, *f1 = a->f1 + o;
		const float *qkv = a->qkv + (size_t)b * cap * 3 * C, *att = a->att + (size_t)b * a->att_cap;
		/* xn = mid + dropout(W2 f1 + b2): dx reaches mid as it is */
		dropout_backward(dt, dx, a->maskF + o, (int)NC);
		dense_backward(d2, G + bl.w2, G + bl.b2, dt, f1, W + bl.w2, a->wt, (int)N, C, C, T);
		relu_backward(dt, d2, f1, (int)NC);
		dense_backward(d2, G + bl.w1, G + bl.b1, dt, ln2, W + bl.w1, a->wt, (int)N, C, C, T);
		layernorm_backward(dx, G + bl.ln2g, G + bl.ln2b, d2, mid, W + bl.ln2g, a->ln2m + b * cap,
				   a->ln2r + b * cap, (int)N, C, T);
		/* mid = xb + dropout(Wo y + bo) */
		dropout_backward(dt, dx, a->maskA + o, (int)NC);
		dense_backward(d2, G + bl.wo, G + bl.bo, dt, y, W + bl.wo, a->wt, (int)N, C, C, T);
		attention_backward(a->dqkv, d2, att, qkv, off, a->aoff, S, C, H, T);
		dense_backward(dt, G + bl.wqkv, G + bl.bqkv, a->dqkv, ln1, W + bl.wqkv, a->wt, (int)N, C, 3 * C, T);
		layernorm_backward(dx, G + bl.ln1g, G + bl.ln1b, dt, xb, W + bl.ln1g, a->ln1m + b * cap,
				   a->ln1r + b * cap, (int)N, C, T);
	}
	dropout_backward(dt, dx, a->mask0, (int)NC);
	float scale = sqrtf((float)C);
	float *gE = rs_g(p, SR_E), *gP = rs_g(p, SR_P);
	for (int s = 0; s < S; s++) {
		size_t len = off[s + 1] - off[s];
		for (size_t t = 0; t < len; t++) {
			uint32_t i = items[off[s] + t];
			const float *d = dt + (off[s] + t) * C;
			float *ge = gE + (size_t)i * C, *gp = gP + (L - len + t) * (size_t)C;
			for (int c = 0; c < C; c++) {
				ge[c] += d[c] * scale;
				gp[c] += d[c];
			}
			rs_touch(p, SR_E, i);
		}
	}
}

void rs_sasrec_context(const rs_model *m, rs_sasrec_acts *a, const uint32_t *items, int n, float *h)
{
	int C = m->hp.factors;
	if (n > m->hp.maxlen)
		items += n - m->hp.maxlen, n = m->hp.maxlen;
	if (n <= 0) {
		memset(h, 0, (size_t)C * sizeof *h);
		return;
	}
	size_t off[2] = {0, (size_t)n};
	rs_sasrec_reserve(a, m, (size_t)n, 1);
	rs_sasrec_forward(m, a, items, off, 1, NULL);
	memcpy(h, a->h + (size_t)(n - 1) * C, (size_t)C * sizeof *h);
}

int rs_sasrec_user_items(const rs_model *m, uint32_t u, uint32_t *items)
{
	int L = m->hp.maxlen, n = 0;
	const float *row = rs_w(&m->p, SR_SEQ) + (size_t)u * L;
	/* a file's record is outside input: only whole ids of the model's
	 * items are read (0 marks a short sequence's start) */
	for (int t = 0; t < L; t++)
		if (row[t] >= 1 && row[t] <= (float)m->hdr.nitems && row[t] == (float)(uint32_t)row[t])
			items[n++] = (uint32_t)row[t] - 1;
	return n;
}

void rs_sasrec_record(rs_model *m, const size_t *off, const uint32_t *items)
{
	int L = m->hp.maxlen;
	uint32_t I = m->hdr.nitems;
	if (I >= (1u << 24))   /* an id + 1 must be exact in a float */
		rs_die("sasrec: %u items; at most 2^24 - 1 can be recorded", I);
	for (uint32_t u = 0; u < m->hdr.nusers; u++) {
		float *row = rs_w(&m->p, SR_SEQ) + (size_t)u * L;
		size_t len = off[u + 1] - off[u], skip = len > (size_t)L ? len - L : 0;
		memset(row, 0, (size_t)L * sizeof *row);
		for (size_t t = skip; t < len; t++)   /* the latest last, as the forward reads them */
			row[L - (len - skip) + (t - skip)] = (float)items[off[u] + t] + 1.0f;
	}
}

/* out (B) = h_u . E[i] of each record, from the user's recorded sequence
 * (0 for a user or item the model does not know) */
static void sasrec_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			   rs_rng *rng)
{
	(void)rng;
	int C = m->hp.factors;
	rs_sasrec_acts a = {0};
	uint32_t *items = rs_malloc((size_t)m->hp.maxlen * sizeof *items);
	float *h = rs_malloc((size_t)C * sizeof *h);
	uint32_t last = RS_NONE;
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		if (u == RS_NONE || i == RS_NONE) {
			out[b] = 0.0f;
			continue;
		}
		if (u != last)
			rs_sasrec_context(m, &a, items, rs_sasrec_user_items(m, u, items), h);
		last = u;
		out[b] = rs_dot(h, rs_w(&m->p, SR_E) + (size_t)i * C, C);
	}
	rs_sasrec_acts_free(&a);
	free(items);
	free(h);
}

/* A user's part is the output at their sequence's end; an item's is its
 * row of E; no biases */
static void sasrec_part(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
			float *bias, float *s)
{
	(void)xv, (void)n;
	int C = m->hp.factors;
	*bias = 0.0f;
	if (side == RS_PART_ITEM) {
		memcpy(s, rs_w(&m->p, SR_E) + (size_t)x[0] * C, (size_t)C * sizeof *s);
		return;
	}
	rs_sasrec_acts a = {0};
	uint32_t *items = rs_malloc((size_t)m->hp.maxlen * sizeof *items);
	rs_sasrec_context(m, &a, items, rs_sasrec_user_items(m, x[0], items), s);
	rs_sasrec_acts_free(&a);
	free(items);
}

static void sasrec_sequence(const rs_model *m, const uint32_t *items, int n, float *bias, float *s)
{
	rs_sasrec_acts a = {0};
	*bias = 0.0f;
	rs_sasrec_context(m, &a, items, n, s);
	rs_sasrec_acts_free(&a);
}

/* fitted by its own method (fit_sasrec.c): no record-wise backward */
const rs_model_ops rs_sasrec_ops = {
	.kind = "sasrec",
	.layout = sasrec_layout,
	.init = sasrec_init,
	.scratch = sasrec_scratch,
	.forward = sasrec_forward,
	.caps = RS_CAP_STEPS | RS_CAP_DEEP | RS_CAP_ATTN,
	.part = sasrec_part,
	.sequence = sasrec_sequence,
};
