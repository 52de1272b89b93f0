/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_payoff: discounted payoffs per style, a block of paths at a time.
 *
 * Each function reads the step-major arrays of mc_path (S[k * cnt + j] is
 * path j at date k T / steps, V the Heston variance beside it, or NULL
 * for the constant vol^2) and writes the discounted payoff of path j to
 * Y[j].  The estimators and their bias:
 *  - european, digital, geometric asian, basket: the plain payoff, so the
 *    mean is unbiased.
 *  - arithmetic asian under gbm: the geometric average as control variate
 *    with coefficient 1 (Kemna and Vorst), Y - Y_geo + geo_ref, with
 *    geo_ref from mc_cv_asian_ref; unbiased.
 *  - barrier, continuous: the Brownian-bridge probability of crossing
 *    between grid dates, exp(-2 ln(S_k/H) ln(S_k+1/H) / (v dt)), replaces
 *    the indicator (a conditional expectation, so variance only falls);
 *    exact under gbm, an approximation under heston (v = the variance at
 *    the step's start) and merton (jumps fall on grid dates).  The rebate
 *    of a knock-out is discounted from the hit, whose time in the step
 *    the bridge gives (mc_payoff_hit_discount).
 *  - lookback, continuous: the extreme of the Brownian bridge between grid
 *    dates is drawn exactly (min = (a + b - sqrt((b - a)^2 - 2 v dt ln U))
 *    / 2 in log price), so gbm is exact with any grid.
 * American and bermudan payoffs follow an exercise rule: mc_lsm.
 */
#ifndef MC_PAYOFF_H
#define MC_PAYOFF_H

#include <stddef.h>
#include <stdint.h>

#include "mc_contract.h"
#include "mc_stream.h"

/* Three arrays of MC_BLOCK doubles that the payoffs may overwrite. */
typedef struct mc_payoff_scratch {
	double *a, *b, *c;
} mc_payoff_scratch;

/* The intrinsic value of a put (put = 1) or call at price s, strike k. */
static inline double
mc_payoff_intrinsic(int put, double s, double k)
{
	double x = put ? k - s : s - k;

	return x > 0 ? x : 0;
}

/*
 * European (put or call) and digital payoffs from the terminal prices
 * ST[0..cnt), discounted by df.  The style comes from c, or european
 * whatever c says when european is set (the control variate of mc_cv).
 */
void mc_payoff_terminal(const mc_contract *c, int european, double df,
    const double *ST, size_t cnt, double *Y);

/*
 * Asian payoffs over the contract's fixings; with geo_ref not NaN (an
 * arithmetic average under gbm, mc_cv_asian_ref), the geometric control.
 * The geometric average takes the log prices from L (mc_path_block_log's
 * layout) or, with L NULL, the logs of S.
 */
void mc_payoff_asian(const mc_contract *c, double geo_ref, const double *S,
    const double *L, size_t cnt, double *Y, mc_payoff_scratch *t);

/*
 * The Merton jumps of a block's paths first .. first + cnt - 1, for the
 * bridges of continuous monitoring: each step's count of jumps and their
 * sum of log jumps (mc_path_jumps), and the paths' bridge streams, which
 * place the jumps in the step.  A step with jumps is bridged segment by
 * segment between them; one with more than MC_PAYOFF_JUMPS_MAX (once in
 * 4e19 steps where lambda dt is at most MC_CONTRACT_JUMPS_STEP, as
 * mc_contract keeps it) is bridged over their sum, as a step without
 * jumps.
 */
#define MC_PAYOFF_JUMPS_MAX 64

typedef struct mc_payoff_jumps {
	const double *count, *sum;
	const mc_stream *bridge;
	uint64_t first;
} mc_payoff_jumps;

/*
 * Barrier payoffs, knocked in or out on the grid or continuously.  Under
 * continuous monitoring a knock-out's rebate is discounted from the hit,
 * by mc_payoff_hit_discount over each step of the grid (or segment of a
 * step between jumps: jp, NULL when the model has none).
 */
/*
 * E[exp(-eps U)], where U is the time of the first hit of a barrier, as a
 * fraction of the step, by a Brownian bridge over the step that starts a
 * standard deviations (of the step) from the barrier, ends b from it on
 * either side, and hits it; eps is the rate times the step.  The hit
 * time is an inverse Gaussian time, changed: U = S / (1 + S), with S of
 * mean a / b and shape a^2, so that E U = a M(a + b) and E (1 - U)^2 =
 * (2 + a^2 - a b - a M(a + b) (3 + a^2 - b^2)) / 2, M Mills' ratio.
 * Returns exp(-eps E U + eps^2 var U / 2), within about eps^3 / 60 of
 * the expectation (the third cumulant of U on [0, 1]).
 */
double mc_payoff_hit_discount(double eps, double a, double b);

void mc_payoff_barrier(const mc_contract *c, const double *S, const double *V,
    const mc_payoff_jumps *jp, size_t cnt, double *Y, mc_payoff_scratch *t);

/*
 * Lookback payoffs of paths first .. first + cnt - 1; continuous
 * monitoring draws the bridge's extremes from the paths' bridge streams
 * (and bridges between jumps: jp, NULL when the model has none).
 */
void mc_payoff_lookback(const mc_contract *c, const mc_stream *bridge,
    uint64_t first, const double *S, const double *V,
    const mc_payoff_jumps *jp, size_t cnt, double *Y, mc_payoff_scratch *t);

/*
 * Basket payoffs from Z, the nassets rows of independent standard normals
 * (Z[a * cnt + j]), correlated by the contract's Cholesky factor, with
 * the Greeks' bumps smul and vadd applied.
 */
void mc_payoff_basket(const mc_contract *c, const double *Z, size_t cnt,
    double *Y, mc_payoff_scratch *t);

#endif
