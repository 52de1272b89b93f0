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
 * Where exercise may happen at one date: the prices s with lo < s < hi
 * (lo = 0 and hi = INFINITY: anywhere in the money).  Outside it the
 * continuation is known to be worth more than the exercise value (see
 * mc_lsm_zone_at), so the rule never exercises there.
 */
typedef struct mc_lsm_zone {
	double lo, hi;
} mc_lsm_zone;

/*
 * The zone of one exercise date with tau years left, into *z: the prices
 * at which the intrinsic value beats a lower bound on the continuation,
 * the european of the rest (Black-Scholes with vol, r and q when vol > 0;
 * with vol 0, for any model, the model-free bound max(0, +-(s e^-q tau -
 * K e^-r tau))).  Returns 0 when there are none (a call with q <= 0 and
 * r >= 0, a put with r <= 0 and q >= 0, and wherever the bound wins at
 * every price), then the rule must not exercise that date; else 1.
 */
int mc_lsm_zone_at(int put, double K, double tau, double r, double q,
    double vol, mc_lsm_zone *z);

/*
 * A fitted exercise rule of F dates (the last is the maturity): at date
 * f < F, beta[(f - 1) p .. f p) are the coefficients of the continuation
 * value on the p basis functions, or NaN first when that date has no
 * rule (too few paths in the money, a singular fit): no exercise then.
 * An american contract has a second rule, beta2, fitted on every other
 * date only (the dates f with F - f even, so that its grid, spaced twice
 * as wide, ends at the maturity), for the extrapolation of
 * mc_lsm_payoff; a bermudan has none (beta2 NULL).
 */
typedef struct mc_lsm_exercise {
	unsigned F, p;
	double *beta;
	double *beta2;		/* american: the rule on every other date */
	mc_lsm_zone *zone;	/* F - 1: where each date may exercise */
} mc_lsm_exercise;

/* Calibration paths a fit may hold, prices (and Heston variances) at
 * every exercise date counted: 2^24 doubles, 128 MiB. */
#define MC_LSM_MAX_CAL_VALUES (UINT64_C(1) << 24)

/*
 * The calibration paths of each fit of c's exercise rule in a run of n
 * paths, into *ncal: min(max(n, 4096), 65536), fewer where the fit would
 * hold more than MC_LSM_MAX_CAL_VALUES values (F dates of ncal paths,
 * twice that under heston), but never fewer than 4096.  Depends on c and
 * n only, so every shard and thread fits the same rules.  Returns 0, or
 * EX_DATAERR when c has more exercise dates than 4096 paths a date fit in
 * ("5000 exercise dates: an exercise rule is fitted on at most 4096 (4096
 * calibration paths at each date, 2^24 values in memory)"), which
 * mc_contract_parse refuses first (MC_CONTRACT_MAX_DATES).
 */
int mc_lsm_cal_paths(const mc_contract *c, uint64_t n, uint64_t *ncal,
    mc_err *err);

/*
 * Fits the exercise rule of an american or bermudan contract c
 * (Longstaff and Schwartz) on calibration paths [k ncal, (k + 1) ncal)
 * of the seed's calibration stream (MC_STREAM_CAL, Philox; ncal from
 * mc_lsm_cal_paths), k a slice of the priced paths (mc_price: each slice
 * of priced paths follows a rule of its own), by least squares of the
 * discounted continuation on the basis over the in-the-money paths, date
 * by date from the last; a date exercises only inside its zone
 * (mc_lsm_zone_at: under gbm the european of the rest, under heston and
 * merton the model-free forward bound).  An american contract's rule on
 * every other date (beta2) is fitted on the same paths.  The priced paths
 * only follow the fitted rule, so their price is low-biased (a suboptimal
 * rule), never high.  Exercise at time 0 is not considered.  Holds F ncal
 * doubles (twice that under heston) while it runs.  Returns 0 or an error
 * status; free ex with mc_lsm_exercise_free either way.
 */
int mc_lsm_fit(const mc_contract *c, uint64_t seed, uint64_t ncal,
    uint64_t k, mc_lsm_exercise *ex, mc_err *err);

/*
 * The calibration values of one fit, kept for a pilot run on the same
 * paths (mc_price's control: its pilot paths are the first calibration
 * paths of slice 0), so that they are simulated once: paths [first,
 * first + n) of the calibration stream, their prices at the F exercise
 * dates in X (date-major, X[(f - 1) n + j]) and the Heston variances
 * there in VV (NULL for the other models).  Zeroed when nothing is kept.
 */
typedef struct mc_lsm_cal {
	uint64_t first, n;
	double *X, *VV;
} mc_lsm_cal;

/*
 * mc_lsm_fit, which also hands its calibration values over to *keep
 * (freed by mc_lsm_cal_free) when keep is not NULL and the fit succeeds.
 */
int mc_lsm_fit_keep(const mc_contract *c, uint64_t seed, uint64_t ncal,
    uint64_t k, mc_lsm_exercise *ex, mc_lsm_cal *keep, mc_err *err);

/* Frees kept calibration values and zeroes *cal; a zeroed cal is fine. */
void mc_lsm_cal_free(mc_lsm_cal *cal);

/*
 * From kept calibration values: for paths first .. first + cnt - 1 of
 * the calibration stream, their payoffs under ex into Y (as
 * mc_lsm_payoff; done and tmp scratch for cnt doubles each) and their
 * prices at maturity into ST, bit for bit what mc_path_block's paths
 * would give.  Returns 0, or -1 (nothing written) when cal does not hold
 * all of those paths.
 */
int mc_lsm_cal_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const mc_lsm_cal *cal, uint64_t first, size_t cnt, double *Y,
    double *ST, double *done, double *tmp);

/* Frees the rule's coefficients; a zeroed or freed ex is fine. */
void mc_lsm_exercise_free(mc_lsm_exercise *ex);

/*
 * The discounted payoffs Y[0..cnt) of paths S (V the Heston variances or
 * NULL, mc_path's layout with ld paths a row: path j of step i at S[i ld
 * + j]) under the rule: exercise at the first date where the intrinsic
 * value is positive and above the continuation value, else the intrinsic
 * value at maturity.  With a rule on every other date too (beta2, an
 * american contract), Y is Richardson's extrapolation 2 Y_F - Y_F/2 of
 * the payoffs under the two rules: a Bermudan's value falls short of the
 * American's by c / F to first order in the spacing of its dates, so the
 * difference cancels that term (see mcprice(1) for what remains).  done
 * and tmp are scratch for cnt doubles each.
 */
void mc_lsm_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const double *S, const double *V, size_t ld, size_t cnt, double *Y,
    double *done, double *tmp);

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
 * exercises where its price is inside the zone z, its intrinsic value e
 * is positive and above the continuation value beta . b, and it has not
 * exercised yet (done[j] == 0); then Y[j] = d e and done[j] becomes 1.
 * With done NULL (the calibration's cash flows), every path may exercise
 * and Y[j] = d e there.
 */
void mc_lsm_rule(int put, double K, mc_lsm_zone z, const double *beta,
    unsigned p, const double *s, const double *v, size_t n, double d,
    double *Y, double *done);

/*
 * The same in a chosen instruction set (MC_ISA_* of mc_isa.h), for tests
 * that compare them.  Return 0, or -1 when this CPU or build lacks it.
 */
int mc_lsm_gram_isa(int isa, int put, double K, unsigned p, const double *x,
    const double *v, const double *y, size_t n, double *G, double *r,
    size_t *itm);
int mc_lsm_rule_isa(int isa, int put, double K, mc_lsm_zone z,
    const double *beta, unsigned p, const double *s, const double *v,
    size_t n, double d, double *Y, double *done);

#endif
