/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

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
	uint64_t k[2];		/* the hash key */
};

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void
sipround(uint64_t *v)
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13) ^ v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17) ^ v[2];
	v[2] = ROTL(v[2], 32);
}

/*
 * SipHash-1-3 (Aumasson and Bernstein) keyed per map: keys come from the
 * input (header names, group values), and an unkeyed hash would let a
 * crafted input put them all in one chain, which is quadratic time.
 */
static uint64_t
hash(const mc_map *m, const char *s, size_t len)
{
	uint64_t v[4] = {
		m->k[0] ^ UINT64_C(0x736f6d6570736575),
		m->k[1] ^ UINT64_C(0x646f72616e646f6d),
		m->k[0] ^ UINT64_C(0x6c7967656e657261),
		m->k[1] ^ UINT64_C(0x7465646279746573)
	};
	uint64_t w;
	size_t i, j;
	int r;

	for (i = 0; i + 8 <= len + 8; i += 8) {
		w = i + 8 > len ? (uint64_t)len << 56 : 0;
		for (j = 0; j < 8 && i + j < len; j++)
			w |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
		v[3] ^= w;
		sipround(v);
		v[0] ^= w;
		if (i + 8 > len)
			break;
	}
	v[2] ^= 0xff;
	for (r = 0; r < 3; r++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

mc_map *
mc_map_alloc(void)
{
	mc_map *m = calloc(1, sizeof(mc_map));

	/* Only the time a lookup takes depends on the key: without
	 * randomness, any fixed key still hashes correctly. */
	if (m != NULL && getrandom(m->k, sizeof(m->k), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(m->k)) {
		m->k[0] = (uint64_t)(uintptr_t)m;
		m->k[1] = (uint64_t)(uintptr_t)&m;
	}
	return m;
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
	uint64_t h = hash(m, key, len);
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
	return m->slot[probe(m, key, len, hash(m, key, len))];
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
