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
	memset(m, 0, sizeof *m);
}

static uint32_t *probe(const rs_idmap *m, int64_t raw)
{
	uint32_t mask = m->nslots - 1, i = hash(raw, mask);
	while (m->slots[i] && m->ids[m->slots[i] - 1] != raw)
		i = (i + 1) & mask;
	return &m->slots[i];
}

static void grow(rs_idmap *m)
{
	free(m->slots);
	m->nslots *= 2;
	m->slots = rs_calloc(m->nslots, sizeof *m->slots);
	for (uint32_t d = 0; d < m->n; d++)
		*probe(m, m->ids[d]) = d + 1;
}

uint32_t rs_idmap_add(rs_idmap *m, int64_t raw)
{
	uint32_t *s = probe(m, raw);
	if (*s)
		return *s - 1;
	if (m->n == UINT32_MAX - 1)
		rs_die("more than %u distinct ids", UINT32_MAX - 1);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->ids = rs_reallocarray(m->ids, m->cap, sizeof *m->ids);
	}
	m->ids[m->n] = raw;
	*s = ++m->n;
	if ((uint64_t)m->n * 2 > m->nslots)   /* keep the load under one half */
		grow(m);
	return m->n - 1;
}

uint32_t rs_idmap_find(const rs_idmap *m, int64_t raw)
{
	uint32_t s = *probe(m, raw);
	return s ? s - 1 : UINT32_MAX;
}

void rs_idmap_rehash(rs_idmap *m)
{
	memset(m->slots, 0, (size_t)m->nslots * sizeof *m->slots);
	for (uint32_t d = 0; d < m->n; d++)
		*probe(m, m->ids[d]) = d + 1;
}

void rs_idmap_from(rs_idmap *m, const int64_t *ids, uint32_t n)
{
	rs_idmap_init(m);
	for (uint32_t i = 0; i < n; i++)
		rs_idmap_add(m, ids[i]);
}
