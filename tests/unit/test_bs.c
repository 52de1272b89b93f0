/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Closed forms against published values.  Sources:
 *  [H] E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd
 *      ed., McGraw-Hill 2007: the worked examples of sections 1.1.1 and
 *      1.1.6 (Black-Scholes), 4.19.2 (cash-or-nothing), 4.15.1
 *      (floating lookback, printed to 4 decimals), and the
 *      table of standard barrier values of section 4.17.1.
 *  [L] A. Lewis, "Option Valuation under Stochastic Volatility", Finance
 *      Press 2000: the Heston reference calls (S = 100, r = 0.01, q =
 *      0.02, v0 = 0.04, kappa = 4, theta = 0.25, xi = 1, rho = -0.5, T =
 *      1), also used by QuantLib's test suite.
 *  [FO] F. Fang and C. W. Oosterlee, "A novel pricing method for European
 *      options based on Fourier-cosine series expansions", SIAM J. Sci.
 *      Comput. 31 (2008): Heston call 5.785155450 (S = K = 100, r = q = 0,
 *      kappa = 1.5768, theta = 0.0398, xi = 0.5751, rho = -0.5711, v0 =
 *      0.0175, T = 1).
 *  [LS] F. Longstaff and E. Schwartz, "Valuing American options by
 *      simulation", Rev. Financial Studies 14 (2001), Table 1: the
 *      finite-difference values of the put with K = 40, r = 0.06, 50
 *      exercise dates a year.
 */
#include <math.h>

#include "mc_bs.h"
#include "unit.h"

int
main(void)
{
	static const double lewis[5][2] = {
		{ 80, 26.774758743998854 }, { 90, 20.933349000596710 },
		{ 100, 16.070154917028834 }, { 110, 12.132211516709845 },
		{ 120, 9.024913483457836 },
	};
	/* [H] barrier table: sigma 0.25, columns K = 90, 100, 110. */
	static const struct {
		int put, down, out;
		double H, v[3];
	} bar[] = {
		{ 0, 1, 1, 95, { 9.0246, 6.7924, 4.8759 } },
		{ 0, 0, 1, 105, { 2.6789, 2.3580, 2.3453 } },
		{ 0, 1, 0, 95, { 7.7627, 4.0109, 2.0576 } },
		{ 0, 0, 0, 105, { 14.1112, 8.4482, 4.5910 } },
		{ 1, 1, 1, 95, { 2.2798, 2.2947, 2.6252 } },
		{ 1, 0, 1, 105, { 3.7760, 5.4932, 7.5187 } },
		{ 1, 1, 0, 95, { 2.9586, 6.5677, 11.9752 } },
		{ 1, 0, 0, 105, { 1.4653, 3.3721, 7.0846 } },
	};
	/* [LS] S, vol, T, value. */
	static const double ls[][4] = {
		{ 36, 0.2, 1, 4.478 }, { 40, 0.2, 1, 2.314 },
		{ 44, 0.2, 1, 1.110 }, { 38, 0.4, 1, 6.148 },
		{ 42, 0.2, 2, 2.212 },
	};
	mc_greeks g;
	mc_err err;
	double p, h;
	size_t i, k;

	/* [H] 1.1.1 and 1.1.6. */
	CHECK(unit_near(mc_bs_price(0, 60, 65, 0.25, 0.08, 0, 0.3), 2.1334, 5e-5));
	CHECK(unit_near(mc_bs_price(1, 100, 95, 0.5, 0.10, 0.05, 0.2), 2.4648,
	    5e-5));
	/* Put-call parity. */
	CHECK(unit_near(mc_bs_price(0, 100, 95, 0.5, 0.1, 0.05, 0.2) -
	    mc_bs_price(1, 100, 95, 0.5, 0.1, 0.05, 0.2),
	    100 * exp(-0.025) - 95 * exp(-0.05), 1e-12));

	/* The Greeks are the derivatives of the price. */
	mc_bs_greeks(1, 100, 95, 0.5, 0.1, 0.05, 0.2, &g);
	h = 1e-4;
	CHECK(unit_near(g.delta, (mc_bs_price(1, 100 + h, 95, 0.5, 0.1, 0.05, 0.2) -
	    mc_bs_price(1, 100 - h, 95, 0.5, 0.1, 0.05, 0.2)) / (2 * h), 1e-7));
	h = 1e-2;
	CHECK(unit_near(g.gamma, (mc_bs_price(1, 100 + h, 95, 0.5, 0.1, 0.05, 0.2) -
	    2 * mc_bs_price(1, 100, 95, 0.5, 0.1, 0.05, 0.2) +
	    mc_bs_price(1, 100 - h, 95, 0.5, 0.1, 0.05, 0.2)) / (h * h), 1e-6));
	h = 1e-5;
	CHECK(unit_near(g.vega, (mc_bs_price(1, 100, 95, 0.5, 0.1, 0.05, 0.2 + h) -
	    mc_bs_price(1, 100, 95, 0.5, 0.1, 0.05, 0.2 - h)) / (2 * h), 1e-6));
	CHECK(unit_near(g.rho, (mc_bs_price(1, 100, 95, 0.5, 0.1 + h, 0.05, 0.2) -
	    mc_bs_price(1, 100, 95, 0.5, 0.1 - h, 0.05, 0.2)) / (2 * h), 1e-6));
	CHECK(unit_near(g.theta, -(mc_bs_price(1, 100, 95, 0.5 + h, 0.1, 0.05, 0.2) -
	    mc_bs_price(1, 100, 95, 0.5 - h, 0.1, 0.05, 0.2)) / (2 * h), 1e-6));

	/* [H] 4.19.2: cash-or-nothing put, b = 0. */
	CHECK(unit_near(mc_bs_digital(1, 100, 80, 0.75, 0.06, 0.06, 0.35, 10),
	    2.6710, 5e-5));

	/*
	 * Many fixings approach Kemna and Vorst's continuous average ([H]
	 * 4.20.1: Black-Scholes with b_A = (b - vol^2/6) / 2 and vol_A = vol
	 * / sqrt 3).
	 */
	{
		double bA = (0.05 - 0.04 / 6) / 2, vA = 0.2 / sqrt(3.0);
		double kv = mc_bs_price(1, 80, 85, 0.25, 0.08, 0.08 - bA, vA);
		CHECK(unit_near(mc_bs_geo_asian(1, 80, 85, 0.25, 0.08, 0.03, 0.2,
		    1000000), kv, 1e-5));
	}
	/* One fixing is a European option. */
	CHECK(unit_near(mc_bs_geo_asian(0, 100, 90, 1, 0.05, 0.01, 0.3, 1),
	    mc_bs_price(0, 100, 90, 1, 0.05, 0.01, 0.3), 1e-12));

	/* [H] 4.17.1: S = 100, rebate 3, T = 0.5, r = 0.08, b = 0.04. */
	for (i = 0; i < sizeof(bar) / sizeof(bar[0]); i++)
		for (k = 0; k < 3; k++)
			CHECK(unit_near(mc_bs_barrier(bar[i].put, bar[i].down,
			    bar[i].out, 100, 90 + 10.0 * k, bar[i].H, 3, 0.5,
			    0.08, 0.04, 0.25), bar[i].v[k], 5e-5));
	/* In + out = vanilla + the rebate's value, without a rebate. */
	CHECK(unit_near(mc_bs_barrier(0, 1, 0, 100, 100, 90, 0, 1, 0.05, 0, 0.2) +
	    mc_bs_barrier(0, 1, 1, 100, 100, 90, 0, 1, 0.05, 0, 0.2),
	    mc_bs_price(0, 100, 100, 1, 0.05, 0, 0.2), 1e-10));

	/* [H] 4.15.1: floating call, S = 120, min 100, b = 0.04. */
	CHECK(unit_near(mc_bs_lookback_float(0, 120, 100, 0.5, 0.1, 0.06, 0.3),
	    25.3533, 1e-4));
	/* b = 0 is the limit of b -> 0. */
	CHECK(unit_near(mc_bs_lookback_float(1, 100, 100, 1, 0.05, 0.05, 0.3),
	    0.5 * (mc_bs_lookback_float(1, 100, 100, 1, 0.05, 0.0501, 0.3) +
	    mc_bs_lookback_float(1, 100, 100, 1, 0.05, 0.0499, 0.3)), 1e-6));
	/*
	 * At inception a fixed-strike call struck at S is the floating put
	 * less the forward's discounted shortfall: max S - K = (max S - S_T)
	 * + (S_T - K), so C_fixed(K = S) = P_float + S e^{-qT} - K e^{-rT}.
	 */
	CHECK(unit_near(mc_bs_lookback_fixed(0, 100, 100, 100, 1, 0.05, 0.02, 0.3),
	    mc_bs_lookback_float(1, 100, 100, 1, 0.05, 0.02, 0.3) +
	    100 * exp(-0.02) - 100 * exp(-0.05), 1e-9));
	CHECK(unit_near(mc_bs_lookback_fixed(1, 100, 100, 100, 1, 0.05, 0.02, 0.3),
	    mc_bs_lookback_float(0, 100, 100, 1, 0.05, 0.02, 0.3) -
	    100 * exp(-0.02) + 100 * exp(-0.05), 1e-9));

	/* Merton without jumps, and with sure jumps of size 1. */
	CHECK(unit_near(mc_bs_merton(0, 100, 105, 1, 0.05, 0.01, 0.2, 0, -0.1, 0.3),
	    mc_bs_price(0, 100, 105, 1, 0.05, 0.01, 0.2), 1e-12));
	CHECK(unit_near(mc_bs_merton(1, 100, 105, 1, 0.05, 0.01, 0.2, 2, 0, 0),
	    mc_bs_price(1, 100, 105, 1, 0.05, 0.01, 0.2), 1e-10));
	/* Merton's parity holds too (the forward is kept). */
	CHECK(unit_near(mc_bs_merton(0, 100, 105, 1, 0.05, 0.01, 0.2, 1, -0.1, 0.3) -
	    mc_bs_merton(1, 100, 105, 1, 0.05, 0.01, 0.2, 1, -0.1, 0.3),
	    100 * exp(-0.01) - 105 * exp(-0.05), 1e-9));

	/* [L] and [FO]. */
	for (i = 0; i < 5; i++) {
		CHECK(mc_bs_heston(0, 100, lewis[i][0], 1, 0.01, 0.02, 0.04, 4,
		    0.25, 1, -0.5, &p, &err) == 0);
		CHECK(unit_near(p, lewis[i][1], 1e-8));
	}
	CHECK(mc_bs_heston(0, 100, 100, 1, 0, 0, 0.0175, 1.5768, 0.0398,
	    0.5751, -0.5711, &p, &err) == 0);
	CHECK(unit_near(p, 5.785155450, 5e-8));

	/* [LS] on a tree with 100 steps between exercise dates. */
	for (i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		unsigned dates = (unsigned)(50 * ls[i][2]);
		CHECK(unit_near(mc_bs_crr(1, ls[i][0], 40, ls[i][2], 0.06, 0,
		    ls[i][1], dates * 100, 100), ls[i][3], 1.5e-3));
	}
	return unit_done("test_bs");
}
