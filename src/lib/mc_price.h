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
#include "mc_lsm.h"
#include "mc_progress.h"
#include "mc_rng.h"
#include "mc_split.h"

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

/*
 * The fitted state of a contract's job under some options: what a run
 * computes before it prices a path of its own, alike in every shard of
 * the job (mc_price_fit_make), so that it can be computed once and
 * handed to every shard (mc_fit writes and reads it).  Contract 0 is the
 * contract itself, 1 .. nvar - 1 the bumped contracts of its Greeks.
 */
typedef struct mc_price_fit {
	unsigned nvar;		/* contracts */
	int cv;			/* 1: the european control, coefficient cv_b */
	double cv_b;
	uint64_t nslices;	/* exercise rules a contract (0: no early
				 * exercise): slice k prices paths from k
				 * MC_PRICE_RULE_PATHS on */
	mc_lsm_exercise *ex;	/* nvar * nslices, contract-major */
} mc_price_fit;

/* Paths that one exercise rule of an american or bermudan serves. */
#define MC_PRICE_RULE_PATHS (64 * (uint64_t)MC_BLOCK)

typedef struct mc_price_opts {
	uint64_t n;		/* paths, unless the contract says */
	uint64_t seed;
	const char *rng;	/* NULL or "philox", or a GSL name */
	int qmc, antithetic, greeks;
	unsigned threads;	/* 1 or more */
	uint64_t shard, nshards;	/* shard I of N; 0 of 1 is all */
	int split;		/* 1: the units [unit_lo, unit_hi) of a
				 * book's shard (mc_split), not shard I of
				 * N's range of the contract alone */
	uint64_t unit_lo, unit_hi;
	double tolerance;	/* > 0: add paths until stderr <= this */
	int general;		/* 1: never a fast path (tests compare) */
	mc_progress_count *count;	/* NULL, or where mc_price_run
					 * counts the paths it prices */
	const mc_price_fit *fit;	/* NULL, or the job's fitted state
					 * (mc_price_fit_make), used instead
					 * of fitting and pilot runs */
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

/* The number of those that o's shard prices (of every shard's: o->split,
 * or shard I of N, or all). */
uint64_t mc_price_shard_paths(const mc_contract *c, const mc_price_opts *o);

/*
 * The work of pricing c under o, for a book's shards of even cost
 * (mc_split), into *k: its units (blocks of MC_BLOCK paths, or Sobol
 * replicates), the cost of one, and the fixed work that a shard with
 * one of its units does first (the control's pilot, the first exercise
 * rules), in about nanoseconds of one core.  A model of the work, fitted
 * to the kernels' speed on a 200-row book: it decides how even the shards
 * are, never a number they print.  A shard that reads its fits from a
 * file does not do the fixed work, but counts it all the same, so that
 * it cuts the book as the shards without one do: mixed, they still
 * price every unit once.  The model is part of a row's job (mc_book_job),
 * so that shards cut by two models never merge.
 */
void mc_price_cost(const mc_contract *c, const mc_price_opts *o,
    mc_split_cost *k);

/*
 * Computes into f the fitted state of c's job under o, over o->threads
 * threads: the control variate's coefficient from its pilot run, and the
 * exercise rule of every slice of the run's paths (of all shards) for
 * the contract and each bumped one.  mc_price_run given f (o->fit)
 * prints the bytes it prints without it.  Not with o->tolerance, whose
 * count of paths a pilot decides.  Returns 0 or mc_price_run's errors;
 * f holds nothing then.
 */
int mc_price_fit_make(const mc_contract *c, const mc_price_opts *o,
    mc_price_fit *f, mc_err *err);

/* Frees what f holds; a zeroed f is fine. */
void mc_price_fit_free(mc_price_fit *f);

#endif
