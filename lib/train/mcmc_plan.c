/* mcmc_plan.c: how the chain's joint draws (mcmc_joint.c) share their
 * work among threads, the same pieces on any number of them: the groups
 * and pieces of the plan (joint_plan, mcmc_chain.h), and each thread's
 * scratch. */
#include "mcmc_internal.h"
#include "mem.h"

#include <stdlib.h>

void rs_chain_work_init(struct joint_work *w, int k, int Kp)
{
	size_t D = (size_t)k + 1, dd = D * D;
	w->H = rs_malloc((2 * dd + 6 * D) * sizeof *w->H);
	w->b = w->H + dd, w->L = w->b + D, w->theta = w->L + dd + D, w->mu = w->theta + D;
	w->lam = w->mu + D, w->out = w->lam + D;
	w->Hf = rs_calloc_huge((size_t)(k + 2) * Kp, sizeof *w->Hf);
	w->th = w->Hf + (size_t)k * Kp, w->dth = w->th + Kp;
}

void rs_chain_work_free(struct joint_work *w)
{
	free(w->H), free(w->Hf);
}

/* The joint draws' groups and pieces (joint_plan, mcmc_chain.h): a one-hot
 * field's features in one group; in any other field each feature of more
 * than a piece a group of its own, and the runs of smaller ones between
 * them a serial group, drawn in order by one thread. */
void rs_chain_plan_init(rs_chain *c)
{
	struct joint_plan *p = &c->plan;
	size_t io = c->io, PS = (size_t)(c->k + 1) * (c->k + 1) + (size_t)c->k + 1, npieces = 0;
	for (uint32_t j = 0; j < io; j++) {
		size_t n = c->coff[j + 1] - c->coff[j];
		npieces += n > JOINT_PIECE ? (n + JOINT_PIECE - 1) / JOINT_PIECE : 0;
	}
	size_t cap = io + (size_t)c->ngroups + 1;
	p->soff = rs_calloc(cap + 1, sizeof *p->soff);
	p->loff = rs_calloc(cap + 1, sizeof *p->loff);
	p->poff = rs_calloc(cap + 1, sizeof *p->poff);
	p->serial = rs_calloc(cap + 1, 1);
	p->small = rs_malloc((io + 1) * sizeof *p->small);
	p->large = rs_malloc((io + 1) * sizeof *p->large);
	p->lfirst = rs_malloc((io + 2) * sizeof *p->lfirst);
	p->pfeat = rs_malloc((npieces + 1) * sizeof *p->pfeat);
	p->pslot = rs_malloc((npieces + 1) * sizeof *p->pslot);
	p->pa = rs_malloc((npieces + 1) * sizeof *p->pa);
	p->pb = rs_malloc((npieces + 1) * sizeof *p->pb);
	size_t G = 0, ns = 0, nl = 0, np = 0, most_pieces = 0;
	int serial_open = 0;   /* the last group is serial and takes small features */
#define OPEN(ser) (p->soff[G] = ns, p->loff[G] = nl, p->poff[G] = np, p->serial[G++] = (ser))
	p->lfirst[0] = 0;
	for (int g = 0; g < c->ngroups && c->goff[g] < io; g++) {
		uint32_t hi = c->goff[g + 1] < io ? c->goff[g + 1] : (uint32_t)io;
		if (c->single[g])
			OPEN(0);
		serial_open = 0;
		for (uint32_t j = c->goff[g]; j < hi; j++) {
			size_t a = c->coff[j], n = c->coff[j + 1] - a;
			if (n <= JOINT_PIECE) {
				if (!c->single[g] && !serial_open)
					OPEN(1), serial_open = 1;
				p->small[ns++] = j;
				continue;
			}
			if (!c->single[g])
				OPEN(0), serial_open = 0;
			for (size_t at = a; at < a + n; at += JOINT_PIECE) {
				p->pfeat[np] = j, p->pslot[np] = (uint32_t)nl;
				p->pa[np] = at, p->pb[np] = at + JOINT_PIECE < a + n ? at + JOINT_PIECE : a + n;
				np++;
			}
			p->large[nl++] = j;
			p->lfirst[nl] = np;
		}
	}
#undef OPEN
	p->ngroups = (uint32_t)G;
	p->soff[G] = ns, p->loff[G] = nl, p->poff[G] = np;
	p->count = rs_malloc((3 * (size_t)G + 1) * sizeof *p->count);
	for (uint32_t g = 0; g < p->ngroups; g++) {
		size_t s = p->serial[g] ? p->soff[g + 1] > p->soff[g] : p->soff[g + 1] - p->soff[g];
		size_t l = p->loff[g + 1] - p->loff[g], q = p->poff[g + 1] - p->poff[g];
		most_pieces = q > most_pieces ? q : most_pieces;
		p->count[3 * g] = s + q, p->count[3 * g + 1] = l, p->count[3 * g + 2] = q;
	}
	p->buf = rs_malloc((most_pieces * PS + 1) * sizeof *p->buf);
	p->stage = rs_calloc(nl * (2 * (size_t)c->Kp + 2) + 1, sizeof *p->stage);
}

void rs_chain_plan_free(struct joint_plan *p)
{
	free(p->soff), free(p->loff), free(p->poff), free(p->serial), free(p->small), free(p->large);
	free(p->lfirst), free(p->pfeat), free(p->pslot), free(p->pa), free(p->pb), free(p->buf);
	free(p->stage), free(p->count);
}
