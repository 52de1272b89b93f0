/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Merton's jump diffusion at many jumps (lambda T from 1 to 1e4): the
 * series of mc_bs_merton and the Monte Carlo price of mc_price against an
 * independent reference, the same Poisson mixture of Black-Scholes values
 * written here in long double (whose exponent does not underflow at
 * e^-10000) from lgammal and erfcl, summed over every count whose weight
 * exceeds 1e-40, with its total weight checked to be 1; and against the
 * Black-Scholes limit for small jumps of mean 0, vol^2 + lambda jv^2.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mc_bs.h"
#include "mc_price.h"
#include "unit.h"

struct mj {
	int put;
	double S, K, T, r, q, vol, lambda, jm, jv;
};

static long double
bs_ld(int put, long double S, long double K, long double T, long double r,
    long double q, long double v)
{
	long double sq = v * sqrtl(T), d1, d2, c;

	d1 = (logl(S / K) + (r - q + v * v / 2) * T) / sq;
	d2 = d1 - sq;
	c = S * expl(-q * T) * erfcl(-d1 / sqrtl(2)) / 2 -
	    K * expl(-r * T) * erfcl(-d2 / sqrtl(2)) / 2;
	return put ? c - S * expl(-q * T) + K * expl(-r * T) : c;
}

/* The series, or NaN when its weights do not add up to 1. */
static double
series(const struct mj *p)
{
	long double k = expm1l(p->jm + p->jv * (long double)p->jv / 2);
	long double lt = p->lambda * (1 + k) * p->T, sum = 0, wsum = 0, w;
	long double n, lo = floorl(lt - 40 * sqrtl(lt) - 40);

	for (n = lo < 0 ? 0 : lo; n <= lt + 40 * sqrtl(lt) + 40; n++) {
		w = expl(n * logl(lt) - lt - lgammal(n + 1));
		wsum += w;
		sum += w * bs_ld(p->put, p->S, p->K, p->T, p->r - p->lambda * k +
		    n * (p->jm + p->jv * (long double)p->jv / 2) / p->T, p->q,
		    sqrtl(p->vol * (long double)p->vol + n * p->jv *
		    (long double)p->jv / p->T));
	}
	if (fabsl(wsum - 1) > 1e-12)
		return NAN;
	return (double)sum;
}

/* mc_price on n paths within 4 se of the series. */
static int
mc_within(const struct mj *p, uint64_t n)
{
	mc_contract c;
	mc_price_opts o;
	mc_price_result res;
	mc_err err;
	mc_est e;
	double want = series(p);

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	c.put = p->put;
	c.style = MC_EUROPEAN;
	c.m.model = MC_MODEL_MERTON;
	c.m.spot = p->S;
	c.strike = p->K;
	c.m.maturity = p->T;
	c.m.rate = p->r;
	c.m.dividend = p->q;
	c.m.vol = p->vol;
	c.m.lambda = p->lambda;
	c.m.jump_mean = p->jm;
	c.m.jump_vol = p->jv;
	c.steps = 1;
	o.n = n;
	o.seed = 11;
	o.threads = 2;
	if (mc_price_run(&c, &o, &res, &err) != 0) {
		fprintf(stderr, "mc_price_run: %s\n", err.msg);
		return 0;
	}
	mc_acc_estimate(&res.acc[0], 0.95, &e);
	if (fabs(e.mean - want) < 4 * e.se)
		return 1;
	fprintf(stderr, "lambda %g T %g: price %.8g se %.3g, series %.8g\n",
	    p->lambda, p->T, e.mean, e.se, want);
	return 0;
}

int
main(void)
{
	static const struct mj cases[] = {
		{ 0, 100, 100, 10, 0.05, 0, 0.2, 80, 0, 0.05 },
		{ 0, 100, 100, 10, 0.05, 0, 0.2, 100, 0, 0.05 },
		{ 0, 100, 100, 1, 0.05, 0, 0.2, 1000, 0, 0.05 },
		{ 1, 100, 110, 3, 0.03, 0.01, 0.25, 300, -0.02, 0.08 },
		{ 0, 100, 105, 1, 0.05, 0.01, 0.2, 1, -0.1, 0.3 },
		{ 1, 100, 90, 2, 0.02, 0, 0.1, 5000, 0.001, 0.01 },
		/* Big negative jumps: the terms of a put peak at lambda T,
		 * far beyond the weights' peak at lambda (1 + k) T. */
		{ 1, 100, 100, 1, 0.02, 0, 0.2, 100, -2, 0.3 },
		{ 1, 100, 100, 1, 0.02, 0, 0.2, 30, -4, 0.3 },
	};
	size_t i;
	double S, L, ref;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mj *p = &cases[i];
		ref = series(p);
		CHECK(!isnan(ref));
		CHECK(unit_near(mc_bs_merton(p->put, p->S, p->K, p->T, p->r, p->q,
		    p->vol, p->lambda, p->jm, p->jv), ref, 1e-9 * ref));
	}
	/* Small jumps of mean 0: Black-Scholes with vol^2 + lambda jv^2,
	 * up to the spread of the count (relative 1/sqrt(lambda T)) in
	 * the variance's second order: 1e-6 here. */
	L = mc_bs_merton(0, 100, 100, 1, 0.05, 0, 0.2, 1000, 0, 0.001);
	S = mc_bs_price(0, 100, 100, 1, 0.05, 0, sqrt(0.04 + 1000 * 1e-6));
	CHECK(unit_near(L, S, 1e-6));

	/* A jump mean of 50.1 makes lambda (1 + k) T about 6.6e21, where
	 * n + 1 == n: the series cannot be summed, and says so (it looped
	 * for ever; a fuzz find).  So does an infinite or NaN one. */
	CHECK(isnan(mc_bs_merton(0, 100, 105, 1, 0.05, 0, 0.2, 1, 50.1, 0.3)));
	CHECK(isnan(mc_bs_merton(0, 100, 105, 1, 0.05, 0, 0.2, 1, 800, 0.3)));
	CHECK(isnan(mc_bs_merton(1, 100, 105, 1, 0.05, 0, 0.2, 1e300, 0, 0.3)));

	/* The jump counts of the paths, at lambda dt from 1 to 10000 (not
	 * the big negative jumps: their put hangs on paths too rare for 4 se
	 * of 40000 paths to mean anything). */
	CHECK(mc_within(&cases[0], 40000));
	CHECK(mc_within(&cases[2], 40000));
	CHECK(mc_within(&cases[3], 40000));
	CHECK(mc_within(&cases[4], 40000));
	CHECK(mc_within(&cases[5], 40000));
	return unit_done("test_merton");
}
