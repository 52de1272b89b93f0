/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Estimates at the extremes of the double range: every finite input gives
 * a finite mean and sd, checked against long double (64-bit mantissa,
 * exponents to 16383, so squares of any double are exact in range), and
 * the exact sums keep their text form and merge exactly there too.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mc_acc.h"
#include "mc_err.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_xsum.h"
#include "unit.h"

/* The reference: two passes in long double. */
static void
reference(const double *x, size_t n, long double *mean, long double *sd)
{
	long double s = 0, q = 0, d;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	*mean = s / n;
	for (i = 0; i < n; i++) {
		d = x[i] - *mean;
		q += d * d;
	}
	*sd = sqrtl(q / (n - 1));
}

/*
 * Whether got is want to 1e-14, relative, or to what a subnormal holds
 * (a few units of 2^-1074).
 */
static int
near(double got, long double want)
{
	return fabsl(got - want) <= 1e-14L * fabsl(want) + 0x1p-1072L;
}

static int
estimate(const double *x, size_t n, mc_est *e)
{
	mc_acc a;
	size_t i;

	mc_acc_init(&a);
	for (i = 0; i < n; i++)
		mc_acc_add(&a, x[i]);
	return mc_acc_estimate(&a, 0.95, e);
}

/* Checks mean and sd of x against the reference, to a few ulps. */
static int
close_to_reference(const double *x, size_t n)
{
	long double mean, sd;
	mc_est e;

	reference(x, n, &mean, &sd);
	if (estimate(x, n, &e) != 0 || !isfinite(e.mean) || !isfinite(e.sd)) {
		fprintf(stderr, "x[0] = %g, n = %zu: mean %g, sd %g\n", x[0],
		    n, e.mean, e.sd);
		return 0;
	}
	/* The mean is checked against the spread too: where values cancel,
	 * the mean's own size says nothing. */
	if (!(near(e.sd, sd) && (near(e.mean, mean) ||
	    fabsl(e.mean - mean) < 1e-14L * sd))) {
		fprintf(stderr, "x[0] = %g, n = %zu: mean %.17g (want %.17Lg), "
		    "sd %.17g (want %.17Lg)\n", x[0], n, e.mean, mean, e.sd,
		    sd);
		return 0;
	}
	return 1;
}

#define N 4000

int
main(void)
{
	static double x[N];
	uint32_t w[4];
	mc_stream st;
	char buf[4096], want[256];
	mc_xsum s, t;
	mc_est e;
	int i, k, bad;

	/* The cases. */
	{
		double big[3] = { 1e308, 1e308, 1e308 };
		CHECK(estimate(big, 3, &e) == 0);
		CHECK(e.mean == 1e308 && e.sd == 0);
	}
	{
		double h[4] = { 2e154, -3e154, 5e160, 7e200 };
		CHECK(close_to_reference(h, 4));
	}
	{
		double tiny[5] = { 1e-170, 1.5e-170, 2e-170, 1.2e-170,
			1.9e-170 };
		CHECK(close_to_reference(tiny, 5));
	}
	{
		double sub[3] = { 4.9406564584124654e-324, 1e-323, 1.5e-323 };
		CHECK(close_to_reference(sub, 3));
	}
	{
		/* The largest doubles and their spread. */
		double m[20];
		for (i = 0; i < 20; i++)
			m[i] = i % 2 ? DBL_MAX : DBL_MAX / 2;
		CHECK(close_to_reference(m, 20));
	}

	/* Values over the whole exponent range, many draws. */
	mc_stream_init(&st, 11, MC_STREAM_PATH);
	bad = 0;
	for (k = 0; k < 200; k++) {
		int lo = -1074 + (k * 37) % 2000, span = 1 + k % 60;
		size_t n = 2 + (size_t)(k % 7) * 13;
		for (i = 0; i < (int)n; i++) {
			mc_stream_words(&st, (uint64_t)k * N + i, 0, w);
			x[i] = ldexp(mc_u53(w[0], w[1]) + 0.5,
			    lo + (int)(w[2] % (uint32_t)span));
			if (w[3] & 1)
				x[i] = -x[i];
			if (!isfinite(x[i]))
				x[i] = DBL_MAX;
		}
		bad += !close_to_reference(x, n);
	}
	CHECK(bad == 0);

	/* A spread past the double range: refused, not inf. */
	{
		double m[2] = { DBL_MAX, -DBL_MAX };
		CHECK(estimate(m, 2, &e) == EX_DATAERR);
		/* One such value alone is fine. */
		CHECK(estimate(m, 1, &e) == 0 && e.mean == DBL_MAX);
	}
	/* NaN and infinities make no estimate. */
	{
		double m[2] = { 1, INFINITY };
		CHECK(estimate(m, 2, &e) == EX_DATAERR);
		m[1] = NAN;
		CHECK(estimate(m, 2, &e) == EX_DATAERR);
	}

	/* Sums beyond the double range keep their text, in hexadecimal. */
	mc_xsum_init(&s);
	for (i = 0; i < 3; i++)
		mc_xsum_add(&s, 1e308);
	CHECK(mc_xsum_format(&s, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "0x1.", 4) == 0 && strstr(buf, "p+1024") != NULL);
	mc_xsum_init(&t);
	CHECK(mc_xsum_parse_add(&t, buf) == 0);
	for (i = 0; i < 3; i++)
		mc_xsum_add(&t, -1e308);
	CHECK(mc_xsum_round(&t) == 0);
	/* Squares below it: 1e-170 squared is about 0x1.1p-1130. */
	mc_xsum_init(&s);
	mc_xsum_add_sq(&s, 1e-170);
	CHECK(mc_xsum_format(&s, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "0x1.", 4) == 0 && strstr(buf, "p-1130") != NULL);
	mc_xsum_init(&t);
	CHECK(mc_xsum_parse_add(&t, buf) == 0);
	CHECK_STR((mc_xsum_format(&t, want, sizeof(want)), want), buf);
	/* Hexadecimal terms: exact, or refused. */
	mc_xsum_init(&t);
	CHECK(mc_xsum_parse_add(&t, "0x1p-2149") == -1);
	CHECK(mc_xsum_parse_add(&t, "0x1p+2112") == -1);
	CHECK(mc_xsum_parse_add(&t, "0x1.0000000000000001p0") == -1);
	CHECK(mc_xsum_parse_add(&t, "0x1p") == -1);
	CHECK(mc_xsum_parse_add(&t, "1 0x") == -1);
	CHECK(mc_xsum_parse_add(&t, "0x1.8p1 -0x1p-1") == 0);
	CHECK(mc_xsum_round(&t) == 2.5);
	/* Ordinary sums keep their decimal text. */
	mc_xsum_init(&s);
	mc_xsum_add_sq(&s, 0.1);
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf),
	    "0.010000000000000002 -8.326672684688674e-19");
	/* The longest text form fits the documented 4096 bytes. */
	mc_xsum_init(&s);
	for (i = 0; i < 90; i++) {
		mc_xsum_add_sq(&s, ldexp(1 + 0x1p-52, 1023 - 12 * i));
		mc_xsum_add_sq(&s, ldexp(1 + 0x1p-52, -1074 + 12 * i));
	}
	CHECK(mc_xsum_format(&s, buf, sizeof(buf)) < (int)sizeof(buf));

	/*
	 * The compact window holds what the full accumulator holds, or
	 * says it cannot: values of every size, added until it refuses.
	 */
	bad = 0;
	for (k = 0; k < 300; k++) {
		mc_xwin ws, wq;
		mc_xsum fs, fq, back;
		char a1[4096], a2[4096];
		int span = 1 + (k % 10) * 25, fits = 1;
		memset(&ws, 0, sizeof(ws));
		memset(&wq, 0, sizeof(wq));
		mc_xsum_init(&fs);
		mc_xsum_init(&fq);
		for (i = 0; i < 200 && fits; i++) {
			double v;
			mc_stream_words(&st, (uint64_t)k * 1000 + i, 2, w);
			v = ldexp(mc_u53(w[0], w[1]) - 0.5,
			    (int)(w[2] % (uint32_t)span) - span / 2 +
			    (k % 3 ? 0 : 900 - 1000 * (k % 2)));
			fits = mc_xwin_add(&ws, v) == 0;
			if (fits)
				mc_xsum_add(&fs, v);
			if (mc_xwin_add_sq(&wq, v) == 0)
				mc_xsum_add_sq(&fq, v);
		}
		mc_xsum_init(&back);
		mc_xwin_to_xsum(&ws, &back);
		mc_xsum_format(&fs, a1, sizeof(a1));
		mc_xsum_format(&back, a2, sizeof(a2));
		bad += strcmp(a1, a2) != 0;
		mc_xsum_init(&back);
		mc_xwin_to_xsum(&wq, &back);
		mc_xsum_format(&fq, a1, sizeof(a1));
		mc_xsum_format(&back, a2, sizeof(a2));
		bad += strcmp(a1, a2) != 0;
		/* Ordinary spans always fit; whole sums move in whole. */
		if (span <= 51)
			bad += !fits;
		{
			mc_xwin m2;
			memset(&m2, 0, sizeof(m2));
			if (mc_xwin_add_xsum(&m2, &fq) == 0) {
				mc_xsum_init(&back);
				mc_xwin_to_xsum(&m2, &back);
				mc_xsum_format(&back, a2, sizeof(a2));
				bad += strcmp(a1, a2) != 0;
			}
		}
	}
	CHECK(bad == 0);
	/* Far apart values do not fit; the window is left as it was. */
	{
		mc_xwin ws;
		memset(&ws, 0, sizeof(ws));
		CHECK(mc_xwin_add(&ws, 1e100) == 0);
		CHECK(mc_xwin_add(&ws, 1e-100) == -1);
		CHECK(mc_xwin_add(&ws, -1e100) == 0);
		/* Empty again: anything fits. */
		CHECK(mc_xwin_add(&ws, 1e-100) == 0);
		CHECK(mc_xwin_add(&ws, NAN) == -1);
	}
	return unit_done("test_moments");
}
