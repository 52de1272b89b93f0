/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_split: the cut of a book's units into shards (see mc_split.h).
 * A row has fewer than 2^64 units of at most 2^32 each, so its cost is
 * below 2^97, and a book of 2^29 such rows, far more than any book
 * holds, sums in 128 bits; the total saturates beyond, and the cut stays
 * a cut, only less even.
 */
#include "mc_split.h"

typedef unsigned __int128 u128;

#define TOTAL_MAX (((u128)1 << 126) - 1)

static u128
sat_add(u128 a, u128 b)
{
	return a > TOTAL_MAX - b ? TOTAL_MAX : a + b;
}

/* c with its costs clamped, as mc_split_cost says. */
static mc_split_cost
clamp(const mc_split_cost *c)
{
	mc_split_cost k = *c;

	if (k.unit < 1)
		k.unit = 1;
	if (k.unit > MC_SPLIT_MAX_UNIT)
		k.unit = MC_SPLIT_MAX_UNIT;
	if (k.fixed > MC_SPLIT_MAX_FIXED)
		k.fixed = MC_SPLIT_MAX_FIXED;
	return k;
}

/* The cost of a row, its fixed work and units. */
static u128
row_cost(const mc_split_cost *k)
{
	return (u128)k->fixed + (u128)k->units * k->unit;
}

void
mc_split_init(mc_split *s, uint64_t shard, uint64_t nshards)
{
	s->shard = shard;
	s->nshards = nshards ? nshards : 1;
	s->total = 0;
	s->at = 0;
}

void
mc_split_add(mc_split *s, const mc_split_cost *c)
{
	mc_split_cost k = clamp(c);

	s->total = sat_add(s->total, row_cost(&k));
}

/*
 * floor(i W / n) for i <= n, without the product: (W / n) i + (W % n) i
 * / n, whose second product is below n^2 <= 2^128.
 */
static u128
bound(u128 w, uint64_t i, uint64_t n)
{
	return w / n * i + w % n * i / n;
}

/*
 * The first unit of the row that ends past cost b: unit j ends at at +
 * fixed + (j + 1) unit, so it is floor((b - at - fixed) / unit), 0 when
 * b is below the first unit's start, at most the row's units.
 */
static uint64_t
first_past(u128 b, u128 start, const mc_split_cost *k)
{
	u128 j;

	if (b < start)
		return 0;
	j = (b - start) / k->unit;
	return j < k->units ? (uint64_t)j : k->units;
}

/*
 * A row of cost at most a quarter of a shard's, which starts at cost at,
 * whole to the shard whose interval holds its middle: [0, units) there,
 * empty before and after it.
 */
static void
whole(const mc_split *s, u128 at, const mc_split_cost *k, uint64_t *lo,
    uint64_t *hi)
{
	u128 m = sat_add(at, row_cost(k) / 2);

	if (s->shard + 1 < s->nshards &&
	    m > bound(s->total, s->shard + 1, s->nshards))
		*lo = *hi = 0;
	else if (s->shard > 0 && m <= bound(s->total, s->shard, s->nshards))
		*lo = *hi = k->units;
	else {
		*lo = 0;
		*hi = k->units;
	}
}

void
mc_split_next(mc_split *s, const mc_split_cost *c, uint64_t *lo,
    uint64_t *hi)
{
	mc_split_cost k = clamp(c);
	u128 start = sat_add(s->at, k.fixed);

	if (s->at >= s->total) {
		/* Past the book the first reading saw: the last shard's. */
		*lo = s->shard + 1 == s->nshards ? 0 : k.units;
		*hi = k.units;
	} else if (row_cost(&k) <= s->total / s->nshards / 4) {
		/* Cut, it would cost its fixed work twice, and another
		 * process's start for a few units: whole, it moves the
		 * shards' ends by at most an eighth of a shard. */
		whole(s, s->at, &k, lo, hi);
	} else {
		*lo = first_past(bound(s->total, s->shard, s->nshards), start,
		    &k);
		*hi = s->shard + 1 == s->nshards ? k.units :
		    first_past(bound(s->total, s->shard + 1, s->nshards),
		    start, &k);
	}
	s->at = sat_add(s->at, row_cost(&k));
}
