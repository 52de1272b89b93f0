/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_dual: the Andersen-Broadie (2004) duality upper bound of a Bermudan
 * under a fitted Longstaff-Schwartz rule (mc_lsm), and the interval that
 * brackets the value.
 *
 * A rule's value L_0 (mc_price's low-biased price) is a lower bound of
 * the Bermudan's; for any martingale M with M_0 = 0, E[max_k (Z_k -
 * M_k)] is an upper bound (Z_k the discounted exercise value at date k).
 * The martingale here is the rule's own: L_k is the value of following
 * the rule from date k, and M_{k+1} - M_k = L_{k+1} - E_k[L_{k+1}], so
 * that M_k = L_k - L_0 - sum over the dates j < k where the rule
 * exercises of (Q_j - Z_j), Q_j = E_j[L_{j+1}] the rule's continuation.
 * The bound is U = L_0 + D with D = E[max_k (Z_k - L_k + A_k)], A_k that
 * sum: with L_0 the price, only D is simulated.
 *
 * Outer paths come from their own stream (MC_STREAM_DUAL); at each date
 * where D needs Q_k, inner paths (nested, antithetic pairs) start from the
 * outer path's price there and follow the rule.  The noise of the inner
 * estimates is independent of the outer path with mean zero, so by
 * Jensen it only raises D: a looser bound, never a false one.  The max
 * only runs over the dates where exercise may be optimal (inside the
 * rule's zone, mc_lsm_zone_at: elsewhere the continuation beats the
 * exercise value for sure) and over the maturity, where Z - L = 0; the
 * optimal stopping time stops nowhere else, so the bound still holds,
 * and no nested work is done outside the zone.
 *
 * Under gbm only: the paths step exactly at the exercise dates.  Every
 * number depends on (seed, outer path, date, inner path) only and goes
 * into an exact accumulator, so the result is the same whatever the
 * threads.
 */
#ifndef MC_DUAL_H
#define MC_DUAL_H

#include <stdint.h>

#include "mc_acc.h"
#include "mc_contract.h"
#include "mc_err.h"

/* The most inner paths a date, and the most outer paths. */
#define MC_DUAL_MAX_INNER 65536
#define MC_DUAL_MAX_OUTER (UINT64_C(1) << 34)

typedef struct mc_dual_opts {
	uint64_t outer;		/* outer paths, 1 .. MC_DUAL_MAX_OUTER */
	unsigned inner;		/* inner paths a date, even, 2 .. MAX_INNER */
	uint64_t seed;
	uint64_t ncal;		/* calibration paths of a rule (mc_lsm_fit) */
	uint64_t nslices;	/* the priced paths' rules: k < nslices */
	unsigned threads;	/* 1 or more */
} mc_dual_opts;

/*
 * Whether c has a duality bound here: an american or bermudan under gbm.
 */
int mc_dual_applies(const mc_contract *c);

/*
 * The duality gap of contract c (mc_dual_applies) into *gap, one value
 * per outer path: max_k (Z_k - L_k + A_k) under the rule of slice k =
 * i nslices / outer of outer path i (mc_lsm_fit(c, seed, ncal, k), the
 * rules mc_price's paths follow, so that the price plus the mean gap is
 * the bound of the rules the price averages).  For an american contract
 * (two rules, mc_lsm_exercise's beta2), 2 g_F - g_F/2 of the gaps of the
 * Bermudans on the F dates and on every other date, on the same outer
 * path: the extrapolation mc_lsm_payoff makes of the price, applied to
 * the bound.  Returns 0, EX_DATAERR for a contract without a bound here,
 * EX_OSERR, or a fit's status.
 */
int mc_dual_run(const mc_contract *c, const mc_dual_opts *o, mc_acc *gap,
    mc_err *err);

/* The columns mcprice adds: the bound, its stderr and the bracket. */
typedef struct mc_dual_bracket {
	double upper, upper_se, lo, hi;
} mc_dual_bracket;

/*
 * The bracket at level (0 < level < 1) into *b: upper = price->mean +
 * the gap's mean, upper_se their standard errors added in quadrature
 * (independent streams), lo = lower->mean - z lower->se and hi = upper +
 * z upper_se, z the normal quantile of 1 - (1 - level) / 2, so each end
 * misses with probability at most (1 - level) / 2.  lower is the price
 * of a true lower bound (a bermudan: price itself; an american: the
 * Bermudan rule's on its dates).  Returns 0, or EX_DATAERR when the
 * gap's estimate is not finite.
 */
int mc_dual_bracket_of(const mc_est *price, const mc_est *lower,
    const mc_acc *gap, double level, mc_dual_bracket *b, mc_err *err);

#endif
