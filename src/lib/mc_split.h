/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_split: a book's shards of about equal cost.
 *
 * A row's paths are priced in units (blocks of MC_BLOCK paths, or Sobol
 * replicates) that every split must keep whole, so that the sums do not
 * depend on it.  Shard I of N of a book takes a contiguous run of the
 * book's units in book order, row 1's units, then row 2's, and so on:
 * each row costs its fixed work (a pilot, exercise rules), paid before
 * its first unit by every shard that prices one of its units, then its
 * units.  A row that costs at most a quarter of a shard, W / 4N with W
 * the book's total, is priced whole by the shard whose cost interval
 * (I W / N, (I + 1) W / N] holds the row's middle.  Of a larger row,
 * unit j belongs to the shard whose interval holds the cost at the end
 * of that unit.  So every row's units are cut into N contiguous ranges,
 * one a shard, some empty, that cover them exactly; at most N - 1 rows
 * are cut; a shard prices few rows, and pays the fixed work of only
 * those; and a book of one row is cut as mc_shard_range cuts its
 * blocks.
 *
 * Costs are integers (any unit; mc_price_cost's is about a nanosecond),
 * so that every shard, on every host, computes the same cut.
 */
#ifndef MC_SPLIT_H
#define MC_SPLIT_H

#include <stdint.h>

/* The largest cost of a unit, and of a row's fixed work. */
#define MC_SPLIT_MAX_UNIT (UINT64_C(1) << 32)
#define MC_SPLIT_MAX_FIXED (UINT64_C(1) << 40)

typedef struct mc_split_cost {
	uint64_t units;		/* the row's units */
	uint64_t unit;		/* the cost of one, 1 to MC_SPLIT_MAX_UNIT */
	uint64_t fixed;		/* its fixed work, up to MC_SPLIT_MAX_FIXED */
} mc_split_cost;

typedef struct mc_split {
	uint64_t shard, nshards;
	unsigned __int128 total;	/* the book's cost */
	unsigned __int128 at;	/* the cost of the rows before the next */
} mc_split;

/* Sets s to shard shard of nshards of a book whose cost is 0 so far. */
void mc_split_init(mc_split *s, uint64_t shard, uint64_t nshards);

/*
 * Adds a row of cost c to the book's total: the first reading of the
 * book, before mc_split_next reads it again.  Out-of-range costs are
 * clamped as mc_split_cost says.
 */
void mc_split_add(mc_split *s, const mc_split_cost *c);

/*
 * The units [*lo, *hi) of the next row, of cost c, that shard s prices,
 * its rows given in book order, as mc_split_add was given them; a row
 * that mc_split_add did not see (past the first reading's end) goes to
 * the last shard.
 */
void mc_split_next(mc_split *s, const mc_split_cost *c, uint64_t *lo,
    uint64_t *hi);

#endif
