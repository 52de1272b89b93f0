/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_greeks: the Greeks as per-path values, whose means are the
 * estimates (mc_price accumulates them like the price).
 *
 *  - european and digital options under gbm: pathwise (european delta,
 *    vega, rho, theta), likelihood ratio (digital), and pathwise then
 *    likelihood ratio (european gamma), from the path's terminal price
 *    and payoff alone; unbiased.
 *  - every other contract: central differences with common random numbers
 *    (the bumped contracts, MC_GREEKS_NVAR in all, take the same path
 *    indices): spot and vol 1% relative (Heston: sqrt(v0) 1%, one-sided
 *    at v0 = 0; baskets: every spot 1% and every vol + 0.001), rate 0.001,
 *    maturity 1% relative.  Bias O(h^2); the standard errors are those of
 *    the per-path differences.
 * Theta is minus the derivative in maturity; all are per unit (DESIGN.md).
 */
#ifndef MC_GREEKS_H
#define MC_GREEKS_H

#include <stddef.h>

#include "mc_contract.h"

/* The base contract, then spot +-, vol +-, rate +-, maturity +-. */
#define MC_GREEKS_NVAR 9

/* Whether c's Greeks come from the pathwise and likelihood-ratio formulas. */
int mc_greeks_pathwise(const mc_contract *c);

/*
 * Makes v the i-th contract of the finite differences (0 the base; 1, 2
 * spot up and down, and so on) as a copy of c, and for the first of each
 * pair (odd i) sets *h to the bump of the differences.  Returns 0 or
 * EX_OSERR (out of memory); v needs mc_contract_free either way.
 */
int mc_greeks_bump(const mc_contract *c, int i, mc_contract *v, double *h);

/*
 * Writes the per-path values of Greek s (MC_STAT_DELTA .. MC_STAT_THETA of
 * mc_price.h) for cnt paths into out.  Pathwise: from the base contract
 * c, the terminal prices ST and payoffs Y[0].  Otherwise: from the
 * payoffs Y[i] of the bumped contracts and the bumps h[i] (h[1], h[3],
 * ...).
 */
void mc_greeks_paths(const mc_contract *c, int pathwise, int s,
    const double *const *Y, const double *ST, const double *h, size_t cnt,
    double *out);

#endif
