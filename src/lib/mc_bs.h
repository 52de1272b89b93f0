/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_bs: closed-form and semi-analytic option values, the references that
 * mcprice prints in its ref column and that the tests check against.
 *
 * Conventions: put is 0 for a call and 1 for a put; S spot, K strike, T
 * maturity in years, r and q continuous rate and dividend yield, vol the
 * Black-Scholes sigma.  Callers check ranges (S, K, T, vol > 0); the
 * functions return NaN where a formula does not apply.
 */
#ifndef MC_BS_H
#define MC_BS_H

#include "mc_err.h"

typedef struct mc_greeks {
	double delta, gamma, vega, rho, theta;	/* theta = -dV/dT */
} mc_greeks;

/*
 * Mills' ratio of the standard normal, Q(x) / phi(x) (the upper tail over
 * the density), for x >= 0, to a few ulps: 1/x - 1/x^3 + ... for a large
 * x, where both tail and density underflow.
 */
double mc_bs_mills(double x);

/* Black-Scholes-Merton with a continuous dividend yield. */
double mc_bs_price(int put, double S, double K, double T, double r,
    double q, double vol);

/* Its Greeks, as plain derivatives (vega per unit of vol, and so on). */
void mc_bs_greeks(int put, double S, double K, double T, double r, double q,
    double vol, mc_greeks *g);

/* A cash-or-nothing digital paying payout when S_T ends beyond K. */
double mc_bs_digital(int put, double S, double K, double T, double r,
    double q, double vol, double payout);

/*
 * A geometric-average Asian option on n fixings at T/n, 2T/n, ..., T
 * (the discrete version of Kemna and Vorst's formula).
 */
double mc_bs_geo_asian(int put, double S, double K, double T, double r,
    double q, double vol, unsigned n);

/*
 * A single barrier H monitored continuously, by Reiner and Rubinstein's
 * formulas as given by Haug: down is 1 for a down barrier, out is 1 for a
 * knock-out.  The rebate is paid at the hit for a knock-out and at expiry
 * for a knock-in that never knocks in.
 */
double mc_bs_barrier(int put, int down, int out, double S, double K,
    double H, double rebate, double T, double r, double q, double vol);

/*
 * Floating-strike lookback (Goldman, Sosin and Gatto): a call pays S_T -
 * min S, a put max S - S_T.  m is the extreme observed so far (S at
 * inception).
 */
double mc_bs_lookback_float(int put, double S, double m, double T, double r,
    double q, double vol);

/*
 * Fixed-strike lookback (Conze and Viswanathan): a call pays (max S - K)+,
 * a put (K - min S)+.  m is the extreme observed so far (S at inception).
 */
double mc_bs_lookback_fixed(int put, double S, double m, double K, double T,
    double r, double q, double vol);

/*
 * Merton's jump diffusion by his series: lambda jumps a year, log jump
 * sizes normal with mean jm and sd jv.  The series is summed until it has
 * converged (over every count of jumps that matters, for any lambda T);
 * NaN when it would take more than 1e6 terms on a side of the mode
 * (lambda T beyond about 1e10).
 */
double mc_bs_merton(int put, double S, double K, double T, double r,
    double q, double vol, double lambda, double jm, double jv);

/*
 * Heston's model by Fourier inversion of P1 and P2, in the "little trap"
 * form of Albrecher, Mayer, Schoutens and Tistaert (2007), integrated with
 * GSL's QAGIU.  Returns 0 and sets *price, or EX_SOFTWARE when the
 * integration fails to converge.
 */
int mc_bs_heston(int put, double S, double K, double T, double r, double q,
    double v0, double kappa, double theta, double xi, double rho,
    double *price, mc_err *err);

/*
 * An early-exercise option on a Cox-Ross-Rubinstein tree of n steps,
 * exercisable every every-th step after 0 (every = 1: American; n = 50 *
 * 100 and every = 100: a Bermudan with 50 dates).  Returns NaN when out of
 * memory.  For the tests, not printed as a reference.
 */
double mc_bs_crr(int put, double S, double K, double T, double r, double q,
    double vol, unsigned n, unsigned every);

#endif
