/* als.c: implicit ALS (als.h). */
#include "als.h"
#include "cli.h"
#include "mem.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P, Q };

static void als_layout(rs_model *m)
{
	uint32_t k = (uint32_t)m->hp.factors;
	rs_params_add(&m->p, "P", m->hdr.nusers, k, 0);
	rs_params_add(&m->p, "Q", m->hdr.nitems, k, 0);
}

static void als_init(rs_model *m, rs_rng *rng)
{
	rs_init_normal(m->p.w, m->p.size, m->hp.init_std, rng);
}

static size_t als_scratch(const rs_model *m, int B)
{
	(void)m, (void)B;
	return 0;
}

// out (B) = P[u] . Q[i]; a pair with an unknown side scores 0 (nothing known)
static void als_forward(rs_model *m, const rs_dataset *d, const uint32_t *idx, int B, float *out,
			rs_rng *rng)
{
	(void)rng;
	int k = m->hp.factors;
	const float *Pw = rs_w(&m->p, P), *Qw = rs_w(&m->p, Q);
	for (int b = 0; b < B; b++) {
		uint32_t u = d->user[idx[b]], i = d->item[idx[b]];
		out[b] = u == RS_NONE || i == RS_NONE
				 ? 0.0f
				 : rs_dot(Pw + (size_t)u * k, Qw + (size_t)i * k, k);
	}
}

/* One side's part (model.h): the user's row or the item's, no bias: the
 * ranking's item table then scores as als_forward does, to the bit. */
static void part(const rs_model *m, int side, const uint32_t *x, const float *xv, int n,
		 float *bias, float *s)
{
	(void)xv, (void)n;
	int k = m->hp.factors;
	memcpy(s, rs_w(&m->p, side == RS_PART_CONTEXT ? P : Q) + (size_t)x[0] * k, (size_t)k * sizeof *s);
	*bias = 0.0f;
}

/* ALS has no gradient step: the shared loop never trains it. */
/* fitted by its own sweeps (.fit): no gradient */
const rs_model_ops rs_als_ops = {
	.kind = "als",
	.layout = als_layout,
	.init = als_init,
	.scratch = als_scratch,
	.forward = als_forward,
	.caps = RS_CAP_ALS | RS_CAP_ITERS,
	.part = part,
};

