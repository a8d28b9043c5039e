/* model.c: a model's life in memory, whatever its kind: declared, created
 * for a dataset, its batched prediction, freed; the set of its train pairs. */
#include "model.h"
#include "gemm.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"

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

void rs_model_predict(rs_model *m, const rs_dataset *d, const uint32_t *idx, size_t n,
		      float *out, int prob)
{
	const int B = 4096;
	rs_model_reserve(m, B);
	for (size_t s = 0; s < n; s += B) {
		int b = n - s < (size_t)B ? (int)(n - s) : B;
		m->ops->forward(m, d, idx + s, b, out + s, NULL);
	}
	rs_model_output(m, out, n, prob);
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

