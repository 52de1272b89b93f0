/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct key {
	char *s;
	size_t len;
	uint64_t hash;
};

struct mc_map {
	struct key *keys;	/* in order of first sight */
	size_t n, cap;
	long *slot;		/* open addressing: index into keys, or -1 */
	size_t nslot;		/* a power of two, at least twice n */
};

/* FNV-1a: short keys, no adversary to speak of. */
static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}

mc_map *
mc_map_alloc(void)
{
	return calloc(1, sizeof(mc_map));
}

void
mc_map_free(mc_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->keys[i].s);
	free(m->keys);
	free(m->slot);
	free(m);
}

static int
rehash(mc_map *m, size_t nslot)
{
	long *slot = malloc(nslot * sizeof(long));
	size_t i, j;

	if (slot == NULL)
		return -1;
	for (i = 0; i < nslot; i++)
		slot[i] = -1;
	for (i = 0; i < m->n; i++) {
		for (j = m->keys[i].hash & (nslot - 1); slot[j] >= 0;
		    j = (j + 1) & (nslot - 1))
			;
		slot[j] = (long)i;
	}
	free(m->slot);
	m->slot = slot;
	m->nslot = nslot;
	return 0;
}

/*
 * The slot of key: the one holding it, or the empty one where it would
 * go.  The table is never full, so the probe ends.
 */
static size_t
probe(const mc_map *m, const char *key, size_t len, uint64_t h)
{
	const struct key *k;
	size_t j;

	for (j = h & (m->nslot - 1); m->slot[j] >= 0;
	    j = (j + 1) & (m->nslot - 1)) {
		k = &m->keys[m->slot[j]];
		if (k->hash == h && k->len == len &&
		    memcmp(k->s, key, len) == 0)
			break;
	}
	return j;
}

long
mc_map_intern(mc_map *m, const char *key, size_t len)
{
	uint64_t h = hash(key, len);
	struct key *k;
	size_t j;

	if (2 * (m->n + 1) > m->nslot &&
	    rehash(m, m->nslot ? 2 * m->nslot : 16) != 0)
		return -1;
	j = probe(m, key, len, h);
	if (m->slot[j] >= 0)
		return m->slot[j];
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct key *q = realloc(m->keys, cap * sizeof(*q));
		if (q == NULL)
			return -1;
		m->keys = q;
		m->cap = cap;
	}
	k = &m->keys[m->n];
	if ((k->s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(k->s, key, len);
	k->s[len] = '\0';
	k->len = len;
	k->hash = h;
	m->slot[j] = (long)m->n;
	return (long)m->n++;
}

long
mc_map_find(const mc_map *m, const char *key, size_t len)
{
	if (m->n == 0)
		return -1;
	return m->slot[probe(m, key, len, hash(key, len))];
}

size_t
mc_map_count(const mc_map *m)
{
	return m->n;
}

const char *
mc_map_key(const mc_map *m, size_t i, size_t *len)
{
	if (len != NULL)
		*len = m->keys[i].len;
	return m->keys[i].s;
}
