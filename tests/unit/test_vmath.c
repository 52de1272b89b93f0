/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_vexp, mc_vlog and mc_vninv: accuracy against libm and GSL over
 * millions of points, the tails and the special values; and every
 * instruction-set build (baseline, AVX2, AVX-512, as this CPU has them)
 * giving bit-identical results on the same inputs, in place or not, at
 * any length and offset.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "mc_rng.h"
#include "mc_vmath.h"
#include "mc_xsum.h"
#include "mc_stream.h"
#include "unit.h"

#define N (1 << 20)

static const char *isa_names[] = { "scalar", "sse2", "avx2", "avx512" };

/* Uniforms in (0, 1) from Philox stream (seed, i). */
static void
uniforms(uint64_t seed, double *u, size_t n)
{
	uint32_t w[4];
	mc_stream st;
	size_t i;

	mc_stream_init(&st, seed, MC_STREAM_PATH);
	for (i = 0; i < n; i++) {
		mc_stream_words(&st, i, 0, w);
		u[i] = mc_u53(w[0], w[1]);
	}
}

/* The distance in units in the last place between two finite doubles
 * of the same sign (their bit patterns are ordered like their values). */
static double
ulps(double a, double b)
{
	int64_t ia, ib;

	if (a == b || (isnan(a) && isnan(b)))
		return 0;
	if (!isfinite(a) || !isfinite(b) || (a < 0) != (b < 0))
		return INFINITY;
	memcpy(&ia, &a, 8);
	memcpy(&ib, &b, 8);
	return fabs((double)(ia - ib));
}

typedef int kernel(int, const double *, double *, size_t);

/* Every build against the baseline on x[0..n): identical bits. */
static void
same_bits(const char *what, kernel *k, const double *x, size_t n)
{
	double *base = malloc(n * sizeof(double));
	double *y = malloc((n + 8) * sizeof(double));
	size_t off, len;
	int isa;

	CHECK(k(MC_ISA_SSE2, x, base, n) == 0);
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (k(isa, x, y, 0) != 0) {
			printf("test_vmath: %s %s: not on this CPU\n", what,
			    isa_names[isa]);
			continue;
		}
		CHECK(k(isa, x, y, n) == 0);
		CHECK(memcmp(y, base, n * sizeof(double)) == 0);
		/* Ragged lengths and odd offsets, in place. */
		for (off = 0; off < 3; off++)
			for (len = 0; len < 70 && off + len <= n; len += 7) {
				memcpy(y + 1, x + off, len * sizeof(double));
				k(isa, y + 1, y + 1, len);
				CHECK(memcmp(y + 1, base + off,
				    len * sizeof(double)) == 0);
			}
	}
	free(base);
	free(y);
}

static void
test_exp(double *x, double *y)
{
	static const double sp[] = { 0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300,
	    709.782712893384, 709.79, 710.0, 1000.0, -708.39, -709.0,
	    -744.0, -745.13321910194110, -745.2, -746.0, -1000.0, INFINITY,
	    -INFINITY, 0.5 * M_LN2, -0.5 * M_LN2, 0.34657359027997264 };
	double worst = 0, e;
	size_t i;

	uniforms(1, x, N);
	for (i = 0; i < N; i++)
		x[i] = i % 2 ? -745.2 + 1455.0 * x[i] : 2 * x[i] - 1;
	memcpy(x, sp, sizeof(sp));
	mc_vexp(x, y, N);
	for (i = 0; i < N; i++)
		if ((e = ulps(y[i], exp(x[i]))) > worst) {
			worst = e;
			if (e > 2)
				fprintf(stderr, "exp(%.17g): %.17g, libm "
				    "%.17g\n", x[i], y[i], exp(x[i]));
		}
	printf("test_vmath: exp: worst %.0f ulp over %d points\n", worst, N);
	CHECK(worst <= 1);
	same_bits("exp", mc_vexp_isa, x, N);
	/* Subnormal and near-overflow results, and the midpoints between
	 * table entries (x = (k + 1/2) ln2 / 16, one ulp either side),
	 * where the reduction is at its widest. */
	uniforms(7, x, N);
	for (i = 0; i < N; i++) {
		double m = ((double)(i / 3 % 32768) - 16384.0 + 0.5) *
		    M_LN2 / 16;
		if (i % 3 == 0)
			x[i] = -745.2 + 36.8 * x[i];
		else if (i % 3 == 1)
			x[i] = 700.0 + 9.782712893384 * x[i];
		else
			x[i] = nextafter(m, i % 2 ? INFINITY : -INFINITY);
	}
	mc_vexp(x, y, N);
	for (i = worst = 0; i < N; i++)
		if ((e = ulps(y[i], exp(x[i]))) > worst) {
			worst = e;
			if (e > 1)
				fprintf(stderr, "exp(%.17g): %.17g, libm "
				    "%.17g\n", x[i], y[i], exp(x[i]));
		}
	printf("test_vmath: exp: worst %.0f ulp over %d points at the "
	    "edges\n", worst, N);
	CHECK(worst <= 1);
	same_bits("exp edges", mc_vexp_isa, x, N);
	/* Across the ends, where the result is taken as 0 or infinity
	 * (below -746, above 710) rather than computed: the ends
	 * themselves, a few ulps either side, and the ranges around. */
	uniforms(9, x, N);
	for (i = 0; i < N; i++) {
		double end = i % 2 ? 710.0 : -746.0;
		x[i] = i % 4 < 2 ? end + 8.0 * (2 * x[i] - 1) :
		    end + (double)((int)(i % 64) - 32) * 0x1p-42;
	}
	mc_vexp(x, y, N);
	for (i = worst = 0; i < N; i++)
		if ((e = ulps(y[i], exp(x[i]))) > worst)
			worst = e;
	CHECK(worst <= 1);
	same_bits("exp ends", mc_vexp_isa, x, N);
	x[0] = NAN;
	x[1] = -NAN;
	x[2] = INFINITY;
	x[3] = -INFINITY;
	x[4] = 0.0;
	x[5] = -0.0;
	x[6] = 709.782712893384;	/* the largest finite result */
	x[7] = 709.7827128933841;	/* the first overflow */
	x[8] = -745.1332191019411;	/* the smallest subnormal */
	x[9] = -745.1332191019412;	/* 0 */
	x[10] = DBL_MAX;
	x[11] = -DBL_MAX;
	mc_vexp(x, y, 12);
	CHECK(isnan(y[0]) && isnan(y[1]));
	CHECK(y[2] == INFINITY && y[3] == 0 && y[4] == 1 && y[5] == 1);
	CHECK(y[6] == 0x1.fffffffffff2ap+1023 && y[7] == INFINITY);
	CHECK(y[8] == 0x1p-1074 && y[9] == 0);
	CHECK(y[10] == INFINITY && y[11] == 0);
	same_bits("exp specials", mc_vexp_isa, x, 12);
}

static void
test_log(double *x, double *y)
{
	static const double sp[] = { 1.0, 2.0, 0.5, M_E, 1.4142135623730951,
	    1.4142135623730949, 0.70710678118654757, 0.7071067811865475,
	    1 + 0x1p-52, 1 - 0x1p-53, 0x1p-1022, 0x1p-1074, 0x1.8p-1070,
	    DBL_MAX, 1e308, 4.9e-324 };
	double worst = 0, e;
	size_t i;

	uniforms(2, x, N);
	for (i = 0; i < N; i++) {
		if (i % 3 == 0)
			x[i] = exp(-744.0 + 1453.0 * x[i]);
		else if (i % 3 == 1)
			x[i] = 0.5 + 1.5 * x[i];
		else
			x[i] = 1 + (x[i] - 0.5) * 0x1p-20;
	}
	memcpy(x, sp, sizeof(sp));
	mc_vlog(x, y, N);
	for (i = 0; i < N; i++)
		if ((e = ulps(y[i], log(x[i]))) > worst) {
			worst = e;
			if (e > 2)
				fprintf(stderr, "log(%.17g): %.17g, libm "
				    "%.17g\n", x[i], y[i], log(x[i]));
		}
	printf("test_vmath: log: worst %.0f ulp over %d points\n", worst, N);
	CHECK(worst <= 2);
	x[0] = 0.0;
	x[1] = -0.0;
	x[2] = INFINITY;
	x[3] = -1.0;
	x[4] = NAN;
	x[5] = -INFINITY;
	mc_vlog(x, y, 6);
	CHECK(y[0] == -INFINITY && y[1] == -INFINITY && y[2] == INFINITY);
	CHECK(isnan(y[3]) && isnan(y[4]) && isnan(y[5]));
	same_bits("log", mc_vlog_isa, x, N);
}

static void
test_ninv(double *u, double *z)
{
	double worst = 0, e, ref;
	size_t i, k;

	uniforms(3, u, N);
	/* The deep tails: 2^-k and 1 - 2^-k, and near the branch points. */
	for (k = 0, i = 0; k < 1074; k++) {
		u[i++] = ldexp(1.0, -(int)k - 1);
		u[i++] = ldexp(1.0, -(int)k - 1) * 1.37;
	}
	for (k = 1; k <= 53; k++)
		u[i++] = 1 - ldexp(1.0, -(int)k);
	u[i++] = 0.075;
	u[i++] = 0.925;
	u[i++] = 0.07499999999999999;
	u[i++] = 0.9250000000000000;
	u[i++] = 0.5;
	u[i++] = 1.3887943864964021e-11;	/* r = 5 */
	mc_vninv(u, z, N);
	for (i = 0; i < N; i++) {
		ref = gsl_cdf_ugaussian_Pinv(u[i]);
		e = ref == 0 ? fabs(z[i]) : fabs(z[i] - ref) / fabs(ref);
		if (e > worst) {
			worst = e;
			if (e > 1e-15)
				fprintf(stderr, "ninv(%.17g): %.17g, GSL "
				    "%.17g\n", u[i], z[i], ref);
		}
	}
	printf("test_vmath: ninv: worst %.3g relative over %d points\n",
	    worst, N);
	CHECK(worst <= 1e-15);
	/* Published quantiles. */
	u[0] = 0.975;
	u[1] = 1e-10;
	u[2] = 0.5;
	u[3] = 0.0;
	u[4] = 1.0;
	u[5] = -0.1;
	u[6] = 1.5;
	u[7] = NAN;
	u[8] = 0.8413447460685429;	/* Phi(1) */
	mc_vninv(u, z, 9);
	CHECK(fabs(z[0] - 1.959963984540054) < 1e-15);
	CHECK(fabs(z[1] + 6.361340902404056) < 1e-14);
	CHECK(z[2] == 0);
	CHECK(z[3] == -INFINITY && z[4] == INFINITY);
	CHECK(isnan(z[5]) && isnan(z[6]) && isnan(z[7]));
	CHECK(fabs(z[8] - 1) < 1e-15);
	same_bits("ninv", mc_vninv_isa, u, N);
}

/* mc_vu53 against mc_u53, in every build. */
static void
test_u53(void)
{
	static uint32_t hi[1000], lo[1000];
	double u[1000];
	uint32_t w[4];
	mc_stream st;
	size_t i, bad;
	int isa;

	mc_stream_init(&st, 4, MC_STREAM_PATH);
	for (i = 0; i < 1000; i++) {
		mc_stream_words(&st, i, 0, w);
		hi[i] = w[0];
		lo[i] = w[1];
	}
	hi[0] = lo[0] = 0;
	hi[1] = lo[1] = UINT32_MAX;
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (mc_vu53_isa(isa, hi, lo, u, 1000) != 0)
			continue;
		for (i = bad = 0; i < 1000; i++)
			bad += u[i] != mc_u53(hi[i], lo[i]);
		CHECK(bad == 0);
	}
	/* Never 1: (2^53 - 1/2) 2^-53 would round to it. */
	CHECK(u[0] == 0x1p-54 && u[1] < 1 && u[1] == MC_U53_MAX);
}

/*
 * Sums x[0..n) as mc_price's blocks do: power-of-two pieces, largest
 * first, each by mc_vsum3_isa, added exactly.  Returns -1 when the build
 * lacks isa.
 */
static int
sum3_pieces(int isa, const double *x, size_t n, mc_xsum *s, mc_xsum *q)
{
	double t[3];
	size_t m;

	mc_xsum_init(s);
	mc_xsum_init(q);
	while (n > 0) {
		for (m = 1; m <= n / 2; m *= 2)
			;
		if (mc_vsum3_isa(isa, x, m, t) != 0)
			return -1;
		mc_xsum_add(s, t[0]);
		mc_xsum_add(q, t[1]);
		mc_xsum_add(q, t[2]);
		x += m;
		n -= m;
	}
	return 0;
}

/* Whether two exact sums hold the same value (to 2^-106 at least). */
static int
same(const mc_xsum *a, const mc_xsum *b)
{
	double ah, al, bh, bl;

	mc_xsum_round2(a, &ah, &al);
	mc_xsum_round2(b, &bh, &bl);
	return ah == bh && al == bl;
}

/*
 * mc_vsum3 on power-of-two lengths and, by pieces, ragged ones: within
 * the pairwise tree's bound ((log2 m + 1) roundings of the sum of |x|, or
 * of x^2) of the exact sums (mc_xsum, squares split by fma); every build
 * giving the same three numbers; n equal values summing to exactly n x
 * and n x^2; other lengths refused.
 */
static void
test_sum3(double *x)
{
	static const size_t ns[] = { 1, 2, 3, 7, 8, 9, 64, 100, 511, 512,
	    513, 1000, 2048, 3616, 4095, 4096, 8192, 20000 };
	double t[3], t0[3], abs_s, sq, lg;
	mc_xsum ex, eq, gs, gq, hs, hq;
	size_t k, i, m;
	int isa, bad = 0, far = 0;

	uniforms(5, x, 20000);
	for (i = 0; i < 20000; i++)
		x[i] = ldexp(x[i] - 0.5, (int)(i % 61) - 30);
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		mc_xsum_init(&ex);
		mc_xsum_init(&eq);
		abs_s = sq = 0;
		for (i = 0; i < ns[k]; i++) {
			mc_xsum_add(&ex, x[i]);
			mc_xsum_add(&eq, x[i] * x[i]);
			mc_xsum_add(&eq, fma(x[i], x[i], -(x[i] * x[i])));
			abs_s += fabs(x[i]);
			sq += x[i] * x[i];
		}
		sum3_pieces(MC_ISA_SCALAR, x, ns[k], &gs, &gq);
		lg = ceil(log2((double)ns[k])) + 2;
		/* The error, exactly: (got + exact) - 2 x. */
		mc_xsum_merge(&gs, &ex);
		for (i = 0; i < ns[k]; i++)
			mc_xsum_add(&gs, -2 * x[i]);
		far += !(fabs(mc_xsum_round(&gs)) <= lg * 0x1p-53 * abs_s);
		mc_xsum_merge(&gq, &eq);
		for (i = 0; i < ns[k]; i++) {
			mc_xsum_add(&gq, -2 * (x[i] * x[i]));
			mc_xsum_add(&gq, -2 * fma(x[i], x[i], -(x[i] * x[i])));
		}
		far += !(fabs(mc_xsum_round(&gq)) <= lg * 0x1p-53 * sq);
		/* Every build gives the same sums, piece by piece. */
		sum3_pieces(MC_ISA_SCALAR, x, ns[k], &gs, &gq);
		for (isa = MC_ISA_SSE2; isa <= MC_ISA_AVX512; isa++) {
			if (sum3_pieces(isa, x, ns[k], &hs, &hq) != 0)
				continue;
			bad += !same(&gs, &hs) || !same(&gq, &hq);
		}
		for (m = 1; m <= ns[k]; m *= 2) {
			mc_vsum3_isa(MC_ISA_SCALAR, x + ns[k] - m, m, t0);
			for (isa = MC_ISA_SSE2; isa <= MC_ISA_AVX512; isa++) {
				if (mc_vsum3_isa(isa, x + ns[k] - m, m, t) != 0)
					continue;
				bad += memcmp(t, t0, sizeof(t)) != 0;
			}
		}
	}
	CHECK(far == 0);
	CHECK(bad == 0);
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++)
		CHECK(mc_vsum3_isa(isa, x, 0, t) == -1 &&
		    mc_vsum3_isa(isa, x, 3, t) == -1 &&
		    mc_vsum3_isa(isa, x, 4095, t) == -1);
	/* Equal values (a control variate that is the whole payoff) sum
	 * to exactly n x, and their squares to exactly n x^2, so the
	 * variance is exactly 0. */
	for (i = 0; i < 20000; i++)
		x[i] = 10.335276064844855;
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		sum3_pieces(MC_ISA_SCALAR, x, ns[k], &gs, &gq);
		for (i = 0; i < ns[k]; i++) {
			mc_xsum_add(&gs, -x[i]);
			mc_xsum_add(&gq, -(x[i] * x[i]));
			mc_xsum_add(&gq, -fma(x[i], x[i], -(x[i] * x[i])));
		}
		bad += mc_xsum_round(&gs) != 0 || mc_xsum_round(&gq) != 0;
	}
	CHECK(bad == 0);
	/* Infinities stay infinite, not NaN. */
	x[3] = INFINITY;
	mc_vsum3(x, 16, t);
	CHECK(t[0] == INFINITY && t[1] == INFINITY && t[2] == 0);
}

/*
 * The words (*hi, *lo) of a y on the rim for the x of words (xh, xl):
 * the 53-bit k of y = sqrt(1 - x^2), moved by d, with noise in the
 * eleven bits mc_u53 drops.
 */
static void
rim(uint32_t xh, uint32_t xl, int d, uint32_t noise, uint32_t *hi,
    uint32_t *lo)
{
	double x = mc_u53(xh, xl), y = sqrt(1.0 - x * x);
	int64_t k = (int64_t)(y * 0x1p53) + d;

	k = k < 0 ? 0 : k >= (INT64_C(1) << 53) ? (INT64_C(1) << 53) - 1 : k;
	*hi = (uint32_t)(k >> 21);
	*lo = (uint32_t)((k & 0x1FFFFF) << 11) | (noise & 0x7FF);
}

/* The one-dart test on the uniforms of dart i's words. */
static int
dart_in(uint32_t w[][4099], size_t i)
{
	double x = mc_u53(w[0][i], w[1][i]), y = mc_u53(w[2][i], w[3][i]);

	return x * x + y * y <= 1.0;
}

/* mc_vhits against mc_u53 and the one-dart test, in every build. */
static void
test_hits(void)
{
	static uint32_t w[4][4099];
	uint32_t out[4];
	mc_stream st;
	uint64_t want = 0, got, rim_in = 0;
	size_t i;
	int isa, k;

	mc_stream_init(&st, 6, MC_STREAM_PATH);
	for (i = 0; i < 4099; i++) {
		mc_stream_words(&st, i, 0, out);
		for (k = 0; k < 4; k++)
			w[k][i] = out[k];
		/* x = y = 1/sqrt(2) - tiny: on the rim, to the last bit. */
		if (i == 7) {
			w[0][i] = w[2][i] = 0xB504F333;
			w[1][i] = w[3][i] = 0xF9DE6484;
		}
		/* x the largest uniform, y the smallest. */
		if (i == 9) {
			w[0][i] = w[1][i] = UINT32_MAX;
			w[2][i] = w[3][i] = 0;
		}
		/* Every fifth dart on the rim: y within a few of its last
		 * bits of sqrt(1 - x^2), inside or out, where mc_vhits's
		 * single-precision filter cannot tell. */
		if (i % 5 == 3)
			rim(w[0][i], w[1][i], (int)(out[2] % 7) - 3, out[3],
			    &w[2][i], &w[3][i]);
		want += dart_in(w, i);
		if (i % 5 == 3)
			rim_in += dart_in(w, i);
	}
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (mc_vhits_isa(isa, w[0], w[1], w[2], w[3], 4099, &got) != 0)
			continue;
		CHECK(got == want);
		/* Ragged lengths and a start off the chunks' grid. */
		for (k = 0; k < 3; k++) {
			size_t off = (size_t)k * 333, len = 4099 - off - 7 * k;
			uint64_t want1 = 0, got1;
			for (i = off; i < off + len; i++)
				want1 += dart_in(w, i);
			mc_vhits_isa(isa, w[0] + off, w[1] + off, w[2] + off,
			    w[3] + off, len, &got1);
			CHECK(got1 == want1);
		}
	}
	CHECK(want > 2800 && want < 3500);
	/* The rim's darts fall on both sides, and not evenly. */
	CHECK(rim_in > 200 && rim_in < 620);
}

/*
 * mc_vcount2 in every build against a plain count: payoffs at the ends
 * of their range, -0 beside 0, infinite ends, NaN, ragged lengths.
 */
static void
test_count2(void)
{
	static double x[1003];
	const double ends[][2] = { { 0, 40 }, { -INFINITY, INFINITY },
	    { -0.0, 7.5 }, { 3, 3 } };
	uint64_t a, b, wa, wb;
	size_t i, n;
	unsigned e;
	int isa;

	for (i = 0; i < 1003; i++)
		x[i] = i % 3 == 0 ? 0 : i % 5 == 0 ? 40 : i % 7 == 0 ? -0.0 :
		    i % 11 == 0 ? NAN : i % 13 == 0 ? INFINITY : i % 17 == 0 ?
		    7.5 : i % 19 == 0 ? 3 : i * 0.25;
	for (e = 0; e < sizeof(ends) / sizeof(ends[0]); e++)
		for (n = 0; n <= 1003; n += n < 40 ? 1 : 97) {
			wa = wb = 0;
			for (i = 0; i < n; i++) {
				wa += x[i] == ends[e][0];
				wb += x[i] == ends[e][1];
			}
			for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
				if (mc_vcount2_isa(isa, x, n, ends[e][0],
				    ends[e][1], &a, &b) != 0)
					continue;
				CHECK(a == wa && b == wb);
			}
			mc_vcount2(x, n, ends[e][0], ends[e][1], &a, &b);
			CHECK(a == wa && b == wb);
		}
	/* The counts of the fixture itself: 0 and -0 are one value. */
	mc_vcount2(x, 1003, 0, 40, &a, &b);
	CHECK(a > 400 && b > 100);
}

int
main(void)
{
	double *x = malloc(N * sizeof(double)), *y = malloc(N *
	    sizeof(double));

	test_exp(x, y);
	test_log(x, y);
	test_ninv(x, y);
	test_u53();
	test_sum3(x);
	test_hits();
	test_count2();
	free(x);
	free(y);
	return unit_done("test_vmath");
}
