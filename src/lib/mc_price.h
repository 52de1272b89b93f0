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
#include "mc_progress.h"

/* The paths off the commoner end of the range a --tolerance pilot needs. */
#define MC_PRICE_MIN_EVENTS 100
/* The most paths a --tolerance run may take. */
#define MC_PRICE_MAX_PATHS (UINT64_C(1) << 40)

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
	mc_progress_count *count;	/* NULL, or where mc_price_run
					 * counts the paths it prices */
} mc_price_opts;

typedef struct mc_price_result {
	mc_acc acc[MC_NSTAT];	/* per unit of paths; Greeks if asked */
	unsigned unit;		/* paths in one accumulated value */
	uint64_t nlo, nhi;	/* paths whose value is at the low or high end
				 * of mc_price_range (a payoff of 0, or a
				 * digital's full payout) */
	double lo, hi;		/* mc_price_range of the contract */
} mc_price_result;

/*
 * Prices c with the options o: the shard's range of path indices, split
 * over o->threads threads.  With o->tolerance, a two-stage run instead
 * (see mc_price.c's run_tolerance): a pilot on the calibration stream
 * that goes on until MC_PRICE_MIN_EVENTS paths have left the commoner
 * end of the payoff's range, then the count of paths its variance asks
 * for, priced afresh, so that the interval holds as at a fixed count.
 * With o->count, it sets the count's total to the paths of the run
 * (0 while a --tolerance pilot runs: the count is not known yet) and
 * adds each block's paths to its done as the threads finish it, with a
 * relaxed atomic add that neither orders nor changes any number.
 * Returns 0 or an error status (EX_USAGE for options that do not fit the
 * contract, EX_SOFTWARE when a regression or integral fails, EX_DATAERR
 * when a tolerance would need more than 2^40 paths, EX_OSERR).
 */
int mc_price_run(const mc_contract *c, const mc_price_opts *o,
    mc_price_result *res, mc_err *err);

/*
 * The range [*lo, *hi] that every discounted payoff of c's estimator lies
 * in, from the contract alone: [0, K e^-rT] for a european put, [0, payout
 * e^-rT] for a digital, [shift, shift + K e^-rT] for a call priced through
 * parity (mc_cv_parity), and so on; -inf or inf where the payoff has no
 * bound (a call) or the estimator none that is known in advance (a
 * control variate whose coefficient a pilot sets).
 */
void mc_price_range(const mc_contract *c, double *lo, double *hi);

/*
 * The estimate of the price from res (its accumulator, units of unit
 * paths, and the range lo, hi of mc_price_range) at the level.  When every unit had the same value the sample shows no
 * spread, and a stderr of 0 with the interval [x, x] would claim what it
 * cannot know: the stderr is NaN then, and the interval, when x is at an
 * end of mc_price_range, the exact one-sided bound from the count (no
 * unit in n beyond x: the probability of one is at most 1 - (1 -
 * level)^(1/n), about 3 / n at 95%, the rule of three, and a unit is
 * at most the range's width from x), or NaN when the range has no other
 * end (a call that never paid).  note->msg says which, one line for the
 * user.  A constant inside the range (a control that is the whole
 * payoff, no randomness at all) is exact and keeps its zero width;
 * note->msg is "" then, and whenever the sample has a spread.  Returns
 * 0, or EX_SOFTWARE if the estimate fails.
 */
int mc_price_estimate(const mc_price_result *res, double level, mc_est *e,
    mc_err *note);

/*
 * The exercise rules that the paths [0, n) of an american or bermudan
 * follow: slices 0 .. mc_price_rule_slices(n) - 1, each fitted by
 * mc_lsm_fit with its index (mc_dual follows the same rules).
 */
uint64_t mc_price_rule_slices(uint64_t n);

/* The number of paths priced for c under o (all shards together). */
uint64_t mc_price_paths(const mc_contract *c, const mc_price_opts *o);

#endif
