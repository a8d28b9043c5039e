/* idmap.c: open addressing with linear probing over a power-of-two table. */
#include "idmap.h"
#include "cli.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

static inline uint32_t hash(int64_t raw, uint32_t mask)
{
	uint64_t h = (uint64_t)raw * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(h >> 32) & mask;
}

void rs_idmap_init(rs_idmap *m)
{
	memset(m, 0, sizeof *m);
	m->nslots = 1024;
	m->slots = rs_calloc(m->nslots, sizeof *m->slots);
}

void rs_idmap_free(rs_idmap *m)
{
	free(m->ids);
	free(m->slots);
	free(m->direct);
	memset(m, 0, sizeof *m);
}

static rs_idslot *probe(const rs_idmap *m, int64_t raw)
{
	uint32_t mask = m->nslots - 1, i = hash(raw, mask);
	while (m->slots[i].dense1 && m->slots[i].raw != raw)
		i = (i + 1) & mask;
	return &m->slots[i];
}

static void grow(rs_idmap *m)
{
	rs_idslot *old = m->slots;
	uint32_t nold = m->nslots;
	m->nslots *= 2;
	m->slots = rs_calloc(m->nslots, sizeof *m->slots);
	for (uint32_t i = 0; i < nold; i++)
		if (old[i].dense1)
			*probe(m, old[i].raw) = old[i];
	free(old);
}

static inline int small(int64_t raw, uint32_t check)
{
	return !check && raw >= 0 && raw < RS_IDMAP_DIRECT;
}

static uint32_t append(rs_idmap *m, int64_t raw)
{
	if (m->n == UINT32_MAX - 1)
		rs_die("more than %u distinct ids", UINT32_MAX - 1);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->ids = rs_reallocarray(m->ids, m->cap, sizeof *m->ids);
	}
	m->ids[m->n] = raw;
	return ++m->n;
}

uint32_t rs_idmap_add_checked(rs_idmap *m, int64_t raw, uint32_t check)
{
	if (small(raw, check)) {
		if ((uint64_t)raw >= m->ndirect) {
			uint32_t n = m->ndirect ? m->ndirect : 1024;
			while (n <= (uint64_t)raw)
				n *= 2;
			m->direct = rs_reallocarray(m->direct, n, sizeof *m->direct);
			memset(m->direct + m->ndirect, 0, (size_t)(n - m->ndirect) * sizeof *m->direct);
			m->ndirect = n;
		}
		uint32_t *d = &m->direct[raw];
		if (!*d)
			*d = append(m, raw);
		return *d - 1;
	}
	rs_idslot *s = probe(m, raw);
	if (s->dense1)
		return s->check == check ? s->dense1 - 1 : RS_IDMAP_CLASH;
	*s = (rs_idslot){raw, append(m, raw), check};
	if ((uint64_t)m->n * 2 > m->nslots)   /* keep the load under one half */
		grow(m);
	return m->n - 1;
}

uint32_t rs_idmap_add(rs_idmap *m, int64_t raw)
{
	return rs_idmap_add_checked(m, raw, 0);
}

uint32_t rs_idmap_find(const rs_idmap *m, int64_t raw)
{
	if (small(raw, 0))
		return (uint64_t)raw < m->ndirect && m->direct[raw] ? m->direct[raw] - 1 : UINT32_MAX;
	const rs_idslot *s = probe(m, raw);
	return s->dense1 ? s->dense1 - 1 : UINT32_MAX;
}

void rs_idmap_rehash(rs_idmap *m)
{
	memset(m->slots, 0, (size_t)m->nslots * sizeof *m->slots);
	if (m->direct)
		memset(m->direct, 0, (size_t)m->ndirect * sizeof *m->direct);
	for (uint32_t d = 0; d < m->n; d++) {
		int64_t raw = m->ids[d];
		if (small(raw, 0)) {
			m->direct[raw] = d + 1;   /* below ndirect: it was added before */
			continue;
		}
		*probe(m, raw) = (rs_idslot){raw, d + 1, 0};
	}
}

void rs_idmap_from(rs_idmap *m, const int64_t *ids, uint32_t n)
{
	rs_idmap_init(m);
	for (uint32_t i = 0; i < n; i++)
		rs_idmap_add(m, ids[i]);
}
