/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_price: Monte Carlo values of one contract, with Greeks on request.
 *
 * Paths are simulated a block of MC_BLOCK at a time (mc_path), every
 * path's numbers depend on (seed, path index) only, and the statistics go
 * into exact accumulators (mc_acc), so any split of the paths over shards
 * and threads gives identical sums.
 */
#ifndef MC_PRICE_H
#define MC_PRICE_H

#include <stdint.h>

#include "mc_acc.h"
#include "mc_contract.h"
#include "mc_err.h"

enum {
	MC_STAT_PRICE, MC_STAT_DELTA, MC_STAT_GAMMA, MC_STAT_VEGA,
	MC_STAT_RHO, MC_STAT_THETA, MC_NSTAT
};

/* "price", "delta", ..., in the order above. */
extern const char *const mc_price_stat_names[MC_NSTAT];

typedef struct mc_price_opts {
	uint64_t n;		/* paths, unless the contract says */
	uint64_t seed;
	const char *rng;	/* NULL or "philox", or a GSL name */
	int qmc, antithetic, greeks;
	unsigned threads;	/* 1 or more */
	uint64_t shard, nshards;	/* shard I of N; 0 of 1 is all */
	double tolerance;	/* > 0: add paths until stderr <= this */
	int general;		/* 1: never a fast path (tests compare) */
} mc_price_opts;

typedef struct mc_price_result {
	mc_acc acc[MC_NSTAT];	/* per unit of paths; Greeks if asked */
	unsigned unit;		/* paths in one accumulated value */
} mc_price_result;

/*
 * Prices c with the options o: the shard's range of path indices, split
 * over o->threads threads.  Returns 0 or an error status (EX_USAGE for
 * options that do not fit the contract, EX_SOFTWARE when a regression or
 * integral fails, EX_OSERR).
 */
int mc_price_run(const mc_contract *c, const mc_price_opts *o,
    mc_price_result *res, mc_err *err);

/* The number of paths priced for c under o (all shards together). */
uint64_t mc_price_paths(const mc_contract *c, const mc_price_opts *o);

#endif
