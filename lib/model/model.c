/* model.c: a model's life in memory, whatever its kind: declared, created
 * for a dataset, its batched prediction, freed; the set of its train pairs. */
#include "model.h"
#include "gemm.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rs_model_declare(rs_model *m)
{
	m->nfeatures = rs_header_nfeatures(&m->hdr);
	m->nfields = m->hdr.nfields;
	m->k = m->ops->width ? m->ops->width(&m->hp) : m->hp.factors;
	m->ops->layout(m);
}

/* the pairs of the records the model learns from: the train split (with
 * what the trainer will carve out of it for validation) */
static void record_pairs(rs_model *m, const rs_dataset *d)
{
	uint64_t *keys = rs_malloc((d->n + 1) * sizeof *keys);
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++)
		if (d->split[r] != RS_SPLIT_TEST)
			keys[n++] = rs_pair_key(d->hdr.user_ids[d->user[r]], d->hdr.item_ids[d->item[r]]);
	rs_pairset_build(&m->pairs, keys, n);
	free(keys);
}

void rs_model_create(rs_model *m, const rs_model_ops *ops, const rs_hparams *hp,
		     const rs_dataset *d)
{
	memset(m, 0, sizeof *m);
	m->ops = ops;
	m->hp = *hp;
	m->click = d->click;
	rs_header_copy(&m->hdr, &d->hdr);
	rs_model_declare(m);
	record_pairs(m, d);
	rs_params_alloc(&m->p);
	rs_rng rng;
	rs_rng_seed(&rng, hp->seed);
	ops->init(m, &rng);
}

void rs_model_free(rs_model *m)
{
	rs_params_free(&m->p);
	rs_pairset_free(&m->pairs);
	rs_header_free(&m->hdr);
	free(m->log);
	free(m->scratch);
	memset(m, 0, sizeof *m);
}

void rs_model_reserve(rs_model *m, int B)
{
	if (B <= m->scratch_B)
		return;
	free(m->scratch);
	/* activations serve as Bm of the dense products */
	m->scratch = rs_calloc(m->ops->scratch(m, B) + RS_GEMM_SLACK, sizeof *m->scratch);
	m->scratch_B = B;
}

typedef struct predict_job {
	rs_model *m;
	const rs_dataset *d;
	const uint32_t *idx;
	float *out;
	size_t n;
} predict_job;

enum { PREDICT_BLOCK = 4096 };

static void predict_blocks(void *ctx, size_t lo, size_t hi, int t)
{
	(void)t;
	const predict_job *j = ctx;
	for (size_t s = lo * PREDICT_BLOCK; s < hi * PREDICT_BLOCK && s < j->n; s += PREDICT_BLOCK) {
		int b = j->n - s < PREDICT_BLOCK ? (int)(j->n - s) : PREDICT_BLOCK;
		j->m->ops->forward(j->m, j->d, j->idx + s, b, j->out + s, NULL);
	}
}

void rs_model_predict_threads(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n, float *out,
			      int prob, int threads)
{
	rs_model_reserve(m, PREDICT_BLOCK);
	predict_job j = {m, d, idx, out, n};
	size_t blocks = (n + PREDICT_BLOCK - 1) / PREDICT_BLOCK;
	/* a kind with no scratch keeps nothing of a batch in m: its blocks
	 * score on threads at once, each record as on one */
	rs_parallel_for(blocks, 1, m->ops->scratch(m, PREDICT_BLOCK) ? 1 : threads, predict_blocks, &j);
	rs_model_output(m, out, n, prob);
}

void rs_model_predict(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n, float *out,
		      int prob)
{
	rs_model_predict_threads(m, d, idx, n, out, prob, 1);
}

void rs_model_output(const rs_model *m, float *out, size_t n, int prob)
{
	if (prob && (m->ops->caps & RS_CAP_MCMC))
		for (size_t i = 0; i < n; i++)
			out[i] = (float)(0.5 * erfc(-out[i] * M_SQRT1_2));
	else if (prob)
		for (size_t i = 0; i < n; i++)
			out[i] = sigmoidf_(out[i]);
	else if (m->ymax > m->ymin)
		for (size_t i = 0; i < n; i++)
			out[i] = out[i] < m->ymin ? m->ymin : out[i] > m->ymax ? m->ymax : out[i];
}

