/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_cv: which contracts take which control, the coefficient of a pilot
 * (b = cov(Y, C) / var(C), exact for Y linear in C, also far from the
 * origin), and its application.
 */
#include <math.h>
#include <string.h>

#include "mc_bs.h"
#include "mc_cv.h"
#include "unit.h"

int
main(void)
{
	double Y[4], C[4] = { 1, 2, 3, 4 }, Y2[4], C2[4], b = 0, ref = 0;
	mc_cv_pilot p;
	mc_contract c;
	int j;

	/* Y = 3 + 2 C: b is 2. */
	memset(&p, 0, sizeof(p));
	for (j = 0; j < 4; j++)
		Y[j] = 3 + 2 * C[j];
	mc_cv_pilot_add(&p, Y, C, 4);
	CHECK(mc_cv_coef(&p, &b) == 1 && fabs(b - 2) < 1e-12);
	/* Y - 2 (C - 2.5) is the constant 8. */
	mc_cv_apply(2, 2.5, C, 4, Y);
	CHECK(Y[0] == 8 && Y[3] == 8);
	/* A constant control has no coefficient. */
	memset(&p, 0, sizeof(p));
	mc_cv_pilot_add(&p, C, Y, 4);
	CHECK(mc_cv_coef(&p, &b) == 0);
	/* Far from the origin: a naive cc / n - (c / n)^2 cancels to noise
	 * at 1e9 (its terms are 1e18, the variance 1.25). */
	memset(&p, 0, sizeof(p));
	for (j = 0; j < 4; j++) {
		C2[j] = 1e9 + j + 1;
		Y2[j] = 3 + 2 * (C2[j] - 1e9);
	}
	mc_cv_pilot_add(&p, Y2, C2, 2);
	mc_cv_pilot_add(&p, Y2 + 2, C2 + 2, 2);
	CHECK(mc_cv_coef(&p, &b) == 1 && unit_near(b, 2, 1e-9));

	memset(&c, 0, sizeof(c));
	c.m.model = MC_MODEL_GBM;
	c.m.spot = 100;
	c.m.maturity = 1;
	c.m.rate = 0.05;
	c.m.vol = 0.2;
	c.strike = 100;
	c.put = 1;
	c.steps = c.fixings = 12;
	c.barrier = 90;
	c.down = c.out = 1;
	/* The european control for american, bermudan and barrier only. */
	c.style = MC_AMERICAN;
	CHECK(mc_cv_european_ref(&c, &ref) == 1);
	CHECK(ref == mc_bs_price(1, 100, 100, 1, 0.05, 0, 0.2));
	c.style = MC_BARRIER;
	CHECK(mc_cv_european_ref(&c, &ref) == 1);
	c.style = MC_EUROPEAN;
	CHECK(mc_cv_european_ref(&c, &ref) == 0);
	c.style = MC_ASIAN;
	CHECK(mc_cv_european_ref(&c, &ref) == 0);
	/* The geometric control for arithmetic asians under gbm only. */
	CHECK(mc_cv_asian_ref(&c) == mc_bs_geo_asian(1, 100, 100, 1, 0.05,
	    0, 0.2, 12));
	c.geometric = 1;
	CHECK(isnan(mc_cv_asian_ref(&c)));
	c.geometric = 0;
	c.m.model = MC_MODEL_MERTON;
	CHECK(isnan(mc_cv_asian_ref(&c)));
	/* Merton's american has the series as its european value. */
	c.style = MC_AMERICAN;
	c.m.lambda = 1;
	c.m.jump_vol = 0.1;
	CHECK(mc_cv_european_ref(&c, &ref) == 1 && ref > 0);
	return unit_done("test_cv");
}
