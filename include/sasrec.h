/* sasrec.h: the kind sasrec, a self-attention sequential recommender (Kang
 * and McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018) with
 * pre-layer-norm blocks. A user's last maxlen items, oldest first, are
 * tokens: item embedding E[i] * sqrt(C) plus a learnt position (counted
 * from the end, so the latest item always has the last one), dropout; then
 * --blocks blocks of
 *     x = x + dropout(Wo attention(LN1(x)) + bo)       (causal, --heads)
 *     x = x + dropout(W2 relu(W1 LN2(x) + b1) + b2)
 * and a last layer norm: token t's output h_t scores item i as h_t . E[i]
 * (one table for input and output), the next item's score. C is
 * --factors.
 *
 * A user is scored from the model's own record of their sequence: the
 * tensor "seq" holds each train user's last maxlen items (item id + 1, 0
 * before a short sequence's first), written when training ends, so every
 * scorer asks for a user's row as for any kind (model.h's part). A new
 * user's named items are their sequence (rs_sasrec_context). */
#ifndef RS_SASREC_H
#define RS_SASREC_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "rng.h"

enum { SR_E, SR_P, SR_BLOCKS, SR_LNF, SR_SEQ };

/* Offsets of each parameter inside one block's floats, for C factors. */
typedef struct rs_sasrec_block {
	size_t ln1g, ln1b, wqkv, bqkv, wo, bo, ln2g, ln2b, w1, b1, w2, b2, size;
} rs_sasrec_block;
rs_sasrec_block rs_sasrec_block_of(int C);

/* The activations of a forward over up to cap tokens, kept for the
 * backward; sized on first use (rs_sasrec_reserve), reused after. */
typedef struct rs_sasrec_acts {
	size_t cap, att_cap, seqs;   /* tokens, attention floats, sequences it holds */
	int nb;                  /* blocks */
	int threads;             /* the layers' (attn.h: the same bits for any number) */
	size_t *aoff;            /* (seqs + 1) each sequence's attention probabilities */
	float *x;                /* (nb + 1, N, C) the residual stream: each block's input, then its output */
	float *mask0;            /* (N, C) the embeddings' dropout */
	float *ln1, *ln1m, *ln1r, *qkv, *y, *att;   /* per block: (N,C) (N) (N) (N,3C) (N,C) (H L L...) */
	float *ap, *maskA, *mid; /* per block (N, C): Wo y + bo after dropout; its mask; x + ap */
	float *ln2, *ln2m, *ln2r, *f1, *f2, *maskF;  /* per block */
	float *h, *hm, *hr;      /* (N, C) the last norm's output; its means and rstd */
	/* the backward's scratch */
	float *dx, *dt, *d2;     /* (N, C) */
	float *dqkv;             /* (N, 3C) */
	float *wt;               /* (3C, C) a weight's transpose */
} rs_sasrec_acts;

void rs_sasrec_reserve(rs_sasrec_acts *a, const rs_model *m, size_t tokens, size_t seqs);
void rs_sasrec_acts_free(rs_sasrec_acts *a);

/* The forward over S sequences of items (item ids, oldest first, rows
 * off[s] .. off[s+1] of items, each at most maxlen long): a->h (N, C) the
 * outputs. drop is NULL at scoring (no dropout). */
void rs_sasrec_forward(const rs_model *m, rs_sasrec_acts *a, const uint32_t *items, const size_t *off,
		       int S, rs_rng *drop);
/* Accumulate the gradient of sum dh . h into m->p.g after the forward of
 * the same sequences (dh (N, C)); E's rows of the input items are marked
 * touched. dh is overwritten. */
void rs_sasrec_backward(rs_model *m, rs_sasrec_acts *a, float *dh, const uint32_t *items,
			const size_t *off, int S);
/* h (C): the output at the last of items[0..n) (the latest n <= maxlen
 * of a user's), the vector that scores the user's next item. */
void rs_sasrec_context(const rs_model *m, rs_sasrec_acts *a, const uint32_t *items, int n, float *h);
/* User u's recorded sequence (seq's row) into items; returns its length. */
int rs_sasrec_user_items(const rs_model *m, uint32_t u, uint32_t *items);
/* Record each user's latest items (of sequences off / items over users
 * 0 .. U-1) as the model's seq. */
void rs_sasrec_record(rs_model *m, const size_t *off, const uint32_t *items);

extern const rs_model_ops rs_sasrec_ops;

#endif
