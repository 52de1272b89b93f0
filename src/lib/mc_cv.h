/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_cv: control variates, the references and coefficients they use.
 *
 * Two controls, both leaving the estimate unbiased:
 *  - an arithmetic asian under gbm takes the geometric asian with
 *    coefficient 1 (Kemna and Vorst): Y - Y_geo + geo_ref, with geo_ref
 *    the closed form (mc_cv_asian_ref); mc_payoff_asian applies it.
 *  - american, bermudan and barrier contracts take the european option
 *    with the same strike and maturity where its value C_ref is known:
 *    Y - b (C - C_ref), with b = cov(Y, C) / var(C) from a pilot run of
 *    MC_CV_NPILOT paths on the calibration stream (mc_stream), so that b
 *    is independent of the priced paths.  The Greeks' bumped contracts
 *    share the base contract's b, each with its own C_ref.
 *  - a european call whose right tail is heavy (high vol) is priced
 *    through put-call parity (mc_cv_parity): the put's payoff plus the
 *    known S e^-qT - K e^-rT.  That is the discounted terminal price as
 *    control with coefficient 1; the put's payoff is bounded, so its
 *    variance is finite and its sample variance trustworthy.
 */
#ifndef MC_CV_H
#define MC_CV_H

#include <stddef.h>

#include "mc_contract.h"

/* Paths in the pilot run that estimates b. */
#define MC_CV_NPILOT 16384

/*
 * A pilot run's moments (Welford's updates, so that a control far from
 * the origin keeps its variance): count, the means of the payoff Y and of
 * the control C, and the sums of (C - mean C)^2 and of (Y - mean Y)
 * (C - mean C).  All zero is the empty pilot.
 */
typedef struct mc_cv_pilot {
	double n, my, mc, scc, syc;
} mc_cv_pilot;

/*
 * The geometric control's reference for an arithmetic asian under gbm
 * (the discrete geometric asian's closed form), NaN for any other
 * contract (no control).
 */
double mc_cv_asian_ref(const mc_contract *c);

/*
 * Whether c's style takes the european control (american, bermudan,
 * barrier), and if so its reference: returns 1 and sets *ref to the
 * european's value, or 0 when the style takes none or no value is known
 * (another model, or an integral that fails at extreme parameters).
 */
int mc_cv_european_ref(const mc_contract *c, double *ref);

/* Adds cnt paths' payoffs Y and controls C to a pilot's sums. */
void mc_cv_pilot_add(mc_cv_pilot *p, const double *Y, const double *C,
    size_t cnt);

/*
 * The coefficient b = cov(Y, C) / var(C) of a pilot.  Returns 1 and sets
 * *b, or 0 when var(C) is not positive (no control then).
 */
int mc_cv_coef(const mc_cv_pilot *p, double *b);

/*
 * Whether the european call c is priced as the put with the same strike
 * plus *shift = S e^-qT - K e^-rT (every model here keeps E[S_T] = S
 * e^(r-q)T exact, so the estimate stays unbiased).  Returns 1 when the
 * put's payoff has the smaller variance under a lognormal law with the
 * model's total variance (exact under gbm; under heston the expected
 * integrated variance, under merton the diffusion's plus the jumps'),
 * and 0 for every other contract: the choice depends on the contract
 * only, so shards, threads and merges agree.
 */
int mc_cv_parity(const mc_contract *c, double *shift);

/*
 * The derivative of the parity shift S e^-qT - K e^-rT for statistic s of
 * mc_price.h (1 delta, 2 gamma, 3 vega, 4 rho, 5 theta = -d/dT), the
 * shift itself for s = 0: what a call priced through the put adds to the
 * put's Greeks.
 */
double mc_cv_parity_greek(const mc_contract *c, int s);

/* Y[j] -= b (C[j] - ref) for j < cnt. */
void mc_cv_apply(double b, double ref, const double *C, size_t cnt,
    double *Y);

#endif
