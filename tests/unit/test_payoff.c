/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The barrier's helpers: Mills' ratio against its values to 16 digits
 * (the normal tail over the density, from the tables' Q(1), Q(2) and
 * Q(10)) and its asymptotic series, the discount of a rebate from the hit
 * inside a step against a quadrature of the hit time's law, and merton
 * jumps placed inside a lookback's step.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "mc_bs.h"
#include "mc_payoff.h"
#include "unit.h"

/* 1/x - 1/x^3 + 3/x^5 - ..., to its tenth term (for x >= 25). */
static double
mills_series(double x)
{
	double t = 1 / x, s = 0;
	int k;

	for (k = 0; k < 10; k++) {
		s += t;
		t *= -(2 * k + 1) / (x * x);
	}
	return s;
}

static void
mills(void)
{
	double x;

	CHECK(unit_near(mc_bs_mills(0), 1.2533141373155003, 4e-16));
	CHECK(unit_near(mc_bs_mills(1), 0.65567954241879847, 4e-16));
	CHECK(unit_near(mc_bs_mills(2), 0.42136922928805447, 4e-16));
	/* Q(10) = 7.619853024160526e-24 over phi(10). */
	CHECK(unit_near(mc_bs_mills(10), 0.099028596471731921, 4e-17));
	for (x = 25; x < 1e6; x *= 1.7)
		CHECK(unit_near(mc_bs_mills(x), mills_series(x),
		    4e-16 * mills_series(x)));
	/* The two branches meet at 8. */
	CHECK(unit_near(mc_bs_mills(nextafter(8, 0)), mc_bs_mills(8),
	    1e-14 * mc_bs_mills(8)));
	for (x = 0; x < 60; x += 0.37)
		CHECK(mc_bs_mills(x) < mc_bs_mills(x - 0.37 < 0 ? 0 : x - 0.37) ||
		    x == 0);
}

/* The hit time's law: S inverse Gaussian (mean a / b, shape a^2), U. */
struct law {
	double a, b, eps;
	int moment;		/* 0: E exp(-eps U); 1: E U */
};

static double
integrand(double s, void *p)
{
	const struct law *l = p;
	double m = l->a / l->b, lam = l->a * l->a, u = s / (1 + s);
	double f = sqrt(lam / (2 * M_PI * s * s * s)) *
	    exp(-lam * (s - m) * (s - m) / (2 * m * m * s));

	return f * (l->moment ? u : exp(-l->eps * u));
}

static double
quad(double a, double b, double eps, int moment)
{
	struct law l = { a, b, eps, moment };
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
	gsl_function f = { integrand, &l };
	double v = NAN, e;

	if (w != NULL && gsl_integration_qagiu(&f, 0, 1e-15, 1e-13, 1000, w,
	    &v, &e) != 0)
		v = NAN;
	gsl_integration_workspace_free(w);
	return v;
}

static void
hit_discount(void)
{
	static const double ab[][2] = {
		{ 0.3, 0.5 }, { 1, 0.2 }, { 0.1, 2 }, { 2, 0.3 }, { 0.05, 0.05 },
		{ 3, 3 }, { 4, 0.1 }, { 0.7, 0.7 },
	};
	static const double eps[] = { 2e-4, -0.01, 0.05, 0.2, 1 };
	size_t i, k;

	for (i = 0; i < sizeof(ab) / sizeof(ab[0]); i++) {
		double a = ab[i][0], b = ab[i][1];
		/* E U = a M(a + b), the law's own mean. */
		CHECK(unit_near(a * mc_bs_mills(a + b), quad(a, b, 0, 1), 1e-10));
		for (k = 0; k < sizeof(eps) / sizeof(eps[0]); k++) {
			double e = eps[k], tol = fabs(e * e * e) / 60 + 1e-12;
			CHECK(unit_near(mc_payoff_hit_discount(e, a, b),
			    quad(a, b, e, 0), tol));
		}
		/* At eps = 0 nothing is discounted. */
		CHECK(mc_payoff_hit_discount(0, a, b) == 1);
	}
	/* The end of the step's discount is the bound it improves on. */
	CHECK(mc_payoff_hit_discount(0.05, 1, 0.2) > exp(-0.05));
}

#define NJ 8192

/* E[exp(max) - 1] of two jumps of 0.1 at sorted uniform times over a
 * drift of -0.2 (the max of 0.1 - 0.2 t1, 0.2 - 0.2 t2 and 0), by the
 * midpoint rule over the triangle t1 < t2. */
static double
two_jumps(void)
{
	int i, j, m = 1500;
	double s = 0, h = 1.0 / m;

	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++) {
			double x = fmax(0.1 - 0.2 * (i + 0.5) * h,
			    0.2 - 0.2 * (j + 0.5) * h);
			s += expm1(fmax(x, 0));
		}
	/* The diagonal's cells, half inside. */
	for (i = 0; i < m; i++)
		s += 0.5 * expm1(fmax(0.2 - 0.2 * (i + 0.5) * h, 0));
	return 2 * s * h * h;
}

/*
 * A merton lookback's step bridged between its jumps: with no diffusion
 * to speak of, a step from log 0 to 0 with one jump of 0.1 at a uniform
 * time t has the max 0.1 (1 - t), so a call struck at 1 pays e^0.1 - 1)
 * / 0.1 - 1 on average; with two of 0.1 each (jump_vol 0: each is half
 * the sum), what two_jumps() integrates.  Over NJ paths, within 4 se.
 */
static void
lookback_jumps(void)
{
	static double S[2 * NJ], Y[NJ], cnt[NJ], sum[NJ], a[NJ], b[NJ], c[NJ];
	mc_payoff_scratch t = { a, b, c };
	mc_payoff_jumps jp = { cnt, sum, NULL, 0 };
	mc_contract k;
	mc_stream st;
	double want[2], m, v;
	int n, j;

	memset(&k, 0, sizeof(k));
	k.style = MC_LOOKBACK;
	k.strike = 1;
	k.steps = 1;
	k.m.model = MC_MODEL_MERTON;
	k.m.spot = k.m.maturity = 1;
	k.m.vol = 1e-9;
	mc_stream_init(&st, 42, MC_STREAM_BRIDGE);
	jp.bridge = &st;
	want[0] = expm1(0.1) / 0.1 - 1;
	want[1] = two_jumps();
	for (n = 1; n <= 2; n++) {
		for (j = 0; j < NJ; j++) {
			S[j] = S[NJ + j] = 1;
			cnt[j] = n;
			sum[j] = 0.1 * n;
		}
		mc_payoff_lookback(&k, &st, 0, S, NULL, &jp, NJ, Y, &t);
		m = v = 0;
		for (j = 0; j < NJ; j++) {
			double d = Y[j] - m;
			m += d / (j + 1);
			v += d * (Y[j] - m);
		}
		CHECK(fabs(m - want[n - 1]) < 4 * sqrt(v / (NJ - 1) / NJ));
	}
}

int
main(void)
{
	gsl_set_error_handler_off();
	mills();
	hit_discount();
	lookback_jumps();
	return unit_done("test_payoff");
}
