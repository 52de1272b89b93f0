/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_lsm: Longstaff-Schwartz for american and bermudan contracts: the fit
 * of the exercise rule on calibration paths, the payoff under it, and
 * their kernels over rows of paths (one exercise date, paths contiguous):
 * the normal equations of the regression and the exercise rule, in plain
 * C that the compiler vectorises.
 *
 * The basis is 1, t, t^2, t^3 with t = S / K, and with p = 6 (Heston)
 * also v and v t.  Every path goes through the same fixed IEEE operations
 * and the regression's sums run in eight lanes (path j in lane j % 8)
 * added pairwise at the end, so the results depend on the inputs only,
 * not on the SIMD width: the x86-64 baseline and the AVX2 and AVX-512
 * builds, chosen at run time, give the same bits (tests/unit/test_lsm.c).
 */
#ifndef MC_LSM_H
#define MC_LSM_H

#include <stddef.h>
#include <stdint.h>

#include "mc_contract.h"
#include "mc_err.h"

#define MC_LSM_MAXBASIS 6

/*
 * A fitted exercise rule of F dates (the last is the maturity): at date
 * f < F, beta[(f - 1) p .. f p) are the coefficients of the continuation
 * value on the p basis functions, or NaN first when that date has no
 * rule (too few paths in the money, a singular fit): no exercise then.
 */
typedef struct mc_lsm_exercise {
	unsigned F, p;
	double *beta;
} mc_lsm_exercise;

/*
 * Fits the exercise rule of an american or bermudan contract c
 * (Longstaff and Schwartz) for a run of n paths: on min(max(n, 4096),
 * 65536) paths of the seed's calibration stream (MC_STREAM_CAL, Philox),
 * by least squares of the discounted continuation on the basis over the
 * in-the-money paths, date by date from the last.  The priced paths only
 * follow the fitted rule, so their price is low-biased (a suboptimal
 * rule), never high.  Exercise at time 0 is not considered.  Returns 0 or
 * an error status; free ex with mc_lsm_exercise_free either way.
 */
int mc_lsm_fit(const mc_contract *c, uint64_t seed, uint64_t n,
    mc_lsm_exercise *ex, mc_err *err);

/* Frees the rule's coefficients; a zeroed or freed ex is fine. */
void mc_lsm_exercise_free(mc_lsm_exercise *ex);

/*
 * The discounted payoffs Y[0..cnt) of paths S (V the Heston variances or
 * NULL, mc_path's layout) under the rule: exercise at the first date where
 * the intrinsic value is positive and above the continuation value, else
 * the intrinsic value at maturity.  done is scratch for cnt doubles.
 */
void mc_lsm_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const double *S, const double *V, size_t cnt, double *Y, double *done);

/*
 * The normal equations of one exercise date: G = sum b b^T (p x p, row
 * major) and r = sum b y over the in-the-money paths among x[0..n) (the
 * prices; v the Heston variances when p = 6, else unused), y their
 * discounted cash flows.  put: 1 for a put, 0 for a call; K the strike;
 * p is 4 or 6.  Returns the number of paths in the money.
 */
size_t mc_lsm_gram(int put, double K, unsigned p, const double *x,
    const double *v, const double *y, size_t n, double *G, double *r);

/*
 * The exercise rule at one date over paths s[0..n) (v as above): a path
 * exercises where its intrinsic value e is positive and above the
 * continuation value beta . b, and it has not exercised yet (done[j] ==
 * 0); then Y[j] = d e and done[j] becomes 1.  With done NULL (the
 * calibration's cash flows), every path may exercise and Y[j] = d e there.
 */
void mc_lsm_rule(int put, double K, const double *beta, unsigned p,
    const double *s, const double *v, size_t n, double d, double *Y,
    double *done);

/*
 * The same in a chosen instruction set (MC_ISA_* of mc_isa.h), for tests
 * that compare them.  Return 0, or -1 when this CPU or build lacks it.
 */
int mc_lsm_gram_isa(int isa, int put, double K, unsigned p, const double *x,
    const double *v, const double *y, size_t n, double *G, double *r,
    size_t *itm);
int mc_lsm_rule_isa(int isa, int put, double K, const double *beta,
    unsigned p, const double *s, const double *v, size_t n, double d,
    double *Y, double *done);

#endif
