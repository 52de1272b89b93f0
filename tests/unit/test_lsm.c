/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_lsm: the normal equations against a plain sum over paths in long
 * double, the rule against its definition path by path, and every
 * instruction set giving the same bits (calls and puts, p = 4 and 6,
 * lengths that leave a tail; the rule also in a zone that cuts the
 * money side on both sides).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mc_bs.h"
#include "mc_lsm.h"
#include "mc_isa.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "unit.h"

#define N 1003

static double x[N], v[N], y[N];

/* Prices around the strike 40, variances and cash flows, from Philox. */
static void
inputs(void)
{
	uint32_t w[4];
	mc_stream st;
	size_t j;

	mc_stream_init(&st, 9, MC_STREAM_PATH);
	for (j = 0; j < N; j++) {
		mc_stream_words(&st, j, 0, w);
		x[j] = 40 * exp(0.3 * (mc_u53(w[0], w[1]) - 0.5));
		v[j] = 0.01 + 0.08 * mc_u53(w[2], w[3]);
		y[j] = 10 * mc_u53(w[1], w[2]);
	}
	x[5] = 40;		/* at the strike: out of the money */
}

static void
basis(double s, double vv, double K, double *b)
{
	double t = s / K;

	b[0] = 1;
	b[1] = t;
	b[2] = t * t;
	b[3] = t * t * t;
	b[4] = vv;
	b[5] = vv * t;
}

/* Whether s is inside the zone z. */
static int
inside(mc_lsm_zone z, double s)
{
	return s > z.lo && s < z.hi;
}

static void
test_gram(int put, unsigned p, size_t n)
{
	double G[36], r[6], G0[36], r0[6], b[6], K = 40;
	long double g[36] = { 0 }, rr[6] = { 0 };
	size_t itm, itm0, want = 0, j;
	unsigned k, l;
	int isa, bad = 0;

	itm = mc_lsm_gram(put, K, p, x, v, y, n, G, r);
	for (j = 0; j < n; j++) {
		if (!(put ? K - x[j] > 0 : x[j] - K > 0))
			continue;
		want++;
		basis(x[j], v[j], K, b);
		for (k = 0; k < p; k++) {
			for (l = 0; l < p; l++)
				g[k * p + l] += (long double)b[k] * b[l];
			rr[k] += (long double)b[k] * y[j];
		}
	}
	CHECK(itm == want);
	for (k = 0; k < p * p; k++)
		bad += !(fabsl(G[k] - g[k]) <= 1e-12L * fabsl(g[k]) + 1e-300L);
	for (k = 0; k < p; k++)
		bad += !(fabsl(r[k] - rr[k]) <= 1e-12L * fabsl(rr[k]) + 1e-300L);
	CHECK(bad == 0);
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (mc_lsm_gram_isa(isa, put, K, p, x, v, y, n, G0, r0,
		    &itm0) != 0)
			continue;
		CHECK(itm0 == itm && memcmp(G0, G, p * p * sizeof(*G)) == 0 &&
		    memcmp(r0, r, p * sizeof(*r)) == 0);
	}
}

static void
test_rule(int put, mc_lsm_zone z, unsigned p, int with_done)
{
	static const double beta[6] = { 2.5, -1.5, 0.25, 0.125, 3, -2 };
	double Y[N], D[N], Y0[N], D0[N], b[6], K = 40, d = 0.97;
	size_t j;
	unsigned k;
	int isa, bad = 0;

	for (j = 0; j < N; j++) {
		Y[j] = y[j];
		D[j] = j % 3 == 0;
	}
	memcpy(Y0, Y, sizeof(Y));
	memcpy(D0, D, sizeof(D));
	mc_lsm_rule(put, K, z, beta, p, x, v, N, d, Y, with_done ? D : NULL);
	for (j = 0; j < N; j++) {
		double e = put ? K - x[j] : x[j] - K, cont = 0;
		int ex;
		basis(x[j], v[j], K, b);
		for (k = 0; k < p; k++)
			cont += beta[k] * b[k];
		ex = e > 0 && e > cont && inside(z, x[j]) &&
		    !(with_done && D0[j] != 0);
		bad += Y[j] != (ex ? d * e : Y0[j]);
		if (with_done)
			bad += D[j] != D0[j] + ex;
	}
	CHECK(bad == 0);
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		double Y1[N], D1[N];
		memcpy(Y1, Y0, sizeof(Y1));
		memcpy(D1, D0, sizeof(D1));
		if (mc_lsm_rule_isa(isa, put, K, z, beta, p, x, v, N, d, Y1,
		    with_done ? D1 : NULL) != 0)
			continue;
		CHECK(memcmp(Y1, Y, sizeof(Y)) == 0);
		CHECK(!with_done || memcmp(D1, D, sizeof(D)) == 0);
	}
}

/* The gain of exercise at s over the european (vol > 0) or forward bound. */
static double
gain(int put, double K, double tau, double r, double q, double vol, double s)
{
	double e = put ? K - s : s - K;
	double f = put ? K * exp(-r * tau) - s * exp(-q * tau) :
	    s * exp(-q * tau) - K * exp(-r * tau);
	double c = vol > 0 ? mc_bs_price(put, s, K, tau, r, q, vol) : 0;

	c = c > f ? c : f;
	return (e > 0 ? e : 0) - (c > 0 ? c : 0);
}

/* An edge e of a zone: the gain changes sign across it (inside above or
 * below), and is near 0 on it. */
static int
edge_ok(int put, double K, double tau, double r, double q, double vol,
    double e, int inside_above)
{
	double in = inside_above ? e * (1 + 1e-6) : e * (1 - 1e-6);
	double out = inside_above ? e * (1 - 1e-6) : e * (1 + 1e-6);

	return gain(put, K, tau, r, q, vol, in) > 0 &&
	    gain(put, K, tau, r, q, vol, out) <= 0 &&
	    fabs(gain(put, K, tau, r, q, vol, e)) < 1e-9 * K;
}

static void
test_zone(void)
{
	mc_lsm_zone z;
	double tau = 0.25, want;

	/* Early exercise never pays: no zone, whatever the bound. */
	CHECK(mc_lsm_zone_at(0, 100, 0.98, 0.05, 0, 0.25, &z) == 0);
	CHECK(mc_lsm_zone_at(0, 100, 0.98, 0.05, -0.01, 0, &z) == 0);
	CHECK(mc_lsm_zone_at(0, 100, 0.98, 0, 0, 0.25, &z) == 0);
	CHECK(mc_lsm_zone_at(1, 100, 0.98, -0.02, 0, 0.2, &z) == 0);
	CHECK(mc_lsm_zone_at(1, 100, 0.98, 0, 0.03, 0, &z) == 0);
	/* The Longstaff-Schwartz put: from 0 up to where K - s meets the
	 * european put, near 36.3 with a year left. */
	CHECK(mc_lsm_zone_at(1, 40, 0.98, 0.06, 0, 0.2, &z) == 1);
	CHECK(z.lo == 0 && z.hi > 36 && z.hi < 36.5);
	CHECK(edge_ok(1, 40, 0.98, 0.06, 0, 0.2, z.hi, 0));
	/* A call with a dividend: from its edge to infinity. */
	CHECK(mc_lsm_zone_at(0, 100, tau, 0.03, 0.07, 0.3, &z) == 1);
	CHECK(isinf(z.hi) && z.lo > 100);
	CHECK(edge_ok(0, 100, tau, 0.03, 0.07, 0.3, z.lo, 1));
	/* The forward bound: s (1 - e^-q tau) > K (1 - e^-r tau). */
	CHECK(mc_lsm_zone_at(0, 100, tau, 0.05, 0.02, 0, &z) == 1);
	want = 100 * expm1(-0.05 * tau) / expm1(-0.02 * tau);
	CHECK(isinf(z.hi) && fabs(z.lo - want) < 1e-9 * want);
	/* A put under the forward bound: with r > q, all of the money side;
	 * with q > r, from 0 to where K (1 - e^-r tau) = s (1 - e^-q tau). */
	CHECK(mc_lsm_zone_at(1, 100, tau, 0.05, 0.02, 0, &z) == 1);
	CHECK(z.lo == 0 && fabs(z.hi - 100) < 1e-9 * 100);
	CHECK(mc_lsm_zone_at(1, 100, tau, 0.02, 0.05, 0, &z) == 1);
	want = 100 * expm1(-0.02 * tau) / expm1(-0.05 * tau);
	CHECK(z.lo == 0 && fabs(z.hi - want) < 1e-9 * want);
	/* A call at r < 0 without dividends: deep in the money, exercise
	 * (paying K early) can pay. */
	CHECK(mc_lsm_zone_at(0, 100, tau, -0.03, 0, 0.2, &z) == 1);
	CHECK(isinf(z.hi) && edge_ok(0, 100, tau, -0.03, 0, 0.2, z.lo, 1));
}

/* mc_lsm_cal_paths: the calibration count within 2^24 values. */
static void
test_cal_paths(void)
{
	mc_contract c;
	mc_err err;
	uint64_t ncal = 0;

	memset(&c, 0, sizeof(c));
	c.m.model = MC_MODEL_GBM;
	c.fixings = 50;
	CHECK(mc_lsm_cal_paths(&c, 100, &ncal, &err) == 0 && ncal == 4096);
	CHECK(mc_lsm_cal_paths(&c, 20000, &ncal, &err) == 0 && ncal == 20000);
	CHECK(mc_lsm_cal_paths(&c, 1000000, &ncal, &err) == 0 &&
	    ncal == 65536);
	c.fixings = 1000;
	CHECK(mc_lsm_cal_paths(&c, 1000000, &ncal, &err) == 0 &&
	    ncal == 16777);
	c.fixings = 4096;
	CHECK(mc_lsm_cal_paths(&c, 1000000, &ncal, &err) == 0 &&
	    ncal == 4096);
	c.fixings = 4097;
	CHECK(mc_lsm_cal_paths(&c, 100, &ncal, &err) == EX_DATAERR);
	CHECK(strcmp(err.msg, "4097 exercise dates: an exercise rule is "
	    "fitted on at most 4096 (4096 calibration paths at each date, "
	    "2^24 values in memory)") == 0);
	c.m.model = MC_MODEL_HESTON;
	c.fixings = 2048;
	CHECK(mc_lsm_cal_paths(&c, 1000000, &ncal, &err) == 0 &&
	    ncal == 4096);
	c.fixings = 2049;
	CHECK(mc_lsm_cal_paths(&c, 100, &ncal, &err) == EX_DATAERR);
}

/*
 * Longstaff and Schwartz's put, S = 36, K = 40, T = 1, r = 0.06, vol
 * 0.2 (Heston: v0 = vbar = 0.04, kappa 1.5, xi 0.5, rho -0.7), into *c.
 */
static void
put36(mc_contract *c, int style, int model)
{
	memset(c, 0, sizeof(*c));
	c->style = style;
	c->put = 1;
	c->strike = 40;
	c->m.model = model;
	c->m.spot = 36;
	c->m.rate = 0.06;
	c->m.vol = 0.2;
	c->m.maturity = 1;
	c->m.v0 = c->m.theta = 0.04;
	c->m.kappa = 1.5;
	c->m.xi = 0.5;
	c->m.rho = -0.7;
}

/*
 * mc_lsm_fit: a slice's rule depends on the slice (its own calibration
 * paths) and on nothing else (the same bits fitted twice); an american
 * has its rule on every other date, a bermudan none; with one date the
 * extrapolation 2 Y - Y is the payoff itself.
 */
static void
test_fit(void)
{
	mc_contract c;
	mc_lsm_exercise a = { 0 }, b = { 0 }, d = { 0 };
	mc_err err;
	double S[2 * 3], Y[3], done[3], tmp[3];
	unsigned f;
	int odd_nan = 1;

	put36(&c, MC_AMERICAN, MC_MODEL_GBM);
	c.fixings = c.steps = 8;
	CHECK(mc_lsm_fit(&c, 7, 4096, 0, &a, &err) == 0);
	CHECK(mc_lsm_fit(&c, 7, 4096, 0, &b, &err) == 0);
	CHECK(mc_lsm_fit(&c, 7, 4096, 1, &d, &err) == 0);
	CHECK(a.beta2 != NULL && memcmp(a.beta, b.beta, 8 * a.p *
	    sizeof(double)) == 0 && memcmp(a.beta2, b.beta2, 8 * a.p *
	    sizeof(double)) == 0);
	CHECK(memcmp(a.beta, d.beta, 7 * a.p * sizeof(double)) != 0);
	/* Dates 1, 3, 5, 7 (8 - f odd) have no rule on the coarse grid. */
	for (f = 1; f < 8; f += 2)
		odd_nan &= isnan(a.beta2[(f - 1) * a.p]);
	CHECK(odd_nan && !isnan(a.beta2[(6 - 1) * a.p]));
	mc_lsm_exercise_free(&a);
	mc_lsm_exercise_free(&b);
	mc_lsm_exercise_free(&d);
	c.style = MC_BERMUDAN;
	CHECK(mc_lsm_fit(&c, 7, 4096, 0, &a, &err) == 0 && a.beta2 == NULL);
	mc_lsm_exercise_free(&a);
	c.style = MC_AMERICAN;
	c.fixings = c.steps = 1;
	CHECK(mc_lsm_fit(&c, 7, 4096, 0, &a, &err) == 0);
	S[0] = S[1] = S[2] = 36;
	S[3] = 30;
	S[4] = 40;
	S[5] = 45.5;
	mc_lsm_payoff(&c, &a, S, NULL, 3, 3, Y, done, tmp);
	CHECK(Y[0] == exp(-0.06) * 10 && Y[1] == 0 && Y[2] == 0);
	mc_lsm_exercise_free(&a);
	mc_lsm_exercise_free(&a);
}

/*
 * One contract of test_keep: the kept calibration values of a fit give
 * the payoffs and terminal prices of mc_path_block's paths of the
 * calibration stream bit for bit, inside the kept range, and refuse a
 * range that leaves it.
 */
static void
keep_case(int style, int model, unsigned F, unsigned steps)
{
	enum { NCAL = 4096, CNT = 100, FIRST = 4096 + 1000 };
	mc_contract c;
	mc_lsm_exercise a = { 0 }, b = { 0 };
	mc_lsm_cal cal = { 0 }, none = { 0 };
	mc_path_opts po = { 0 };
	mc_path_gen *g;
	mc_err err;
	static double S[4097 * CNT], V[4097 * CNT];
	double Y[CNT], Y2[CNT], ST[CNT], d[CNT], t[CNT];
	int heston = model == MC_MODEL_HESTON;

	put36(&c, style, model);
	c.fixings = F;
	c.steps = steps;
	/* Slice 1: calibration paths [4096, 8192). */
	CHECK(mc_lsm_fit_keep(&c, 7, NCAL, 1, &a, &cal, &err) == 0);
	CHECK(mc_lsm_fit(&c, 7, NCAL, 1, &b, &err) == 0);
	CHECK(memcmp(a.beta, b.beta, F * a.p * sizeof(double)) == 0);
	CHECK(cal.first == NCAL && cal.n == NCAL && cal.X != NULL &&
	    (cal.VV != NULL) == heston);
	po.steps = steps;
	po.seed = 7;
	po.stream = MC_STREAM_CAL;
	g = mc_path_alloc(&c.m, &po, &err);
	CHECK(g != NULL && mc_path_block(g, FIRST, CNT, S, heston ? V : NULL,
	    &err) == 0);
	mc_lsm_payoff(&c, &a, S, heston ? V : NULL, CNT, CNT, Y, d, t);
	CHECK(mc_lsm_cal_payoff(&c, &a, &cal, FIRST, CNT, Y2, ST, d, t) == 0);
	CHECK(memcmp(Y, Y2, sizeof(Y)) == 0);
	CHECK(memcmp(ST, S + (size_t)steps * CNT, sizeof(ST)) == 0);
	CHECK(mc_lsm_cal_payoff(&c, &a, &cal, 2 * NCAL - 10, 11, Y2, ST, d,
	    t) == -1);
	CHECK(mc_lsm_cal_payoff(&c, &a, &cal, NCAL - 1, 2, Y2, ST, d, t) ==
	    -1);
	CHECK(mc_lsm_cal_payoff(&c, &a, &none, FIRST, CNT, Y2, ST, d, t) ==
	    -1);
	mc_path_free(g);
	mc_lsm_cal_free(&cal);
	CHECK(cal.X == NULL && cal.VV == NULL && cal.n == 0);
	mc_lsm_cal_free(&cal);
	mc_lsm_exercise_free(&a);
	mc_lsm_exercise_free(&b);
}

/* mc_lsm_fit_keep and mc_lsm_cal_payoff over styles, models and grids. */
static void
test_keep(void)
{
	keep_case(MC_AMERICAN, MC_MODEL_GBM, 10, 10);
	keep_case(MC_BERMUDAN, MC_MODEL_GBM, 10, 10);
	keep_case(MC_BERMUDAN, MC_MODEL_GBM, 5, 15);
	keep_case(MC_AMERICAN, MC_MODEL_HESTON, 6, 12);
	keep_case(MC_BERMUDAN, MC_MODEL_MERTON, 4, 4);
}

int
main(void)
{
	static const size_t ns[] = { 0, 1, 7, 8, 9, 1003 };
	/* All of the money side, and 36 < s < 44: a cut on each side of
	 * the money, whose paths the kernels must leave out. */
	static const mc_lsm_zone zs[] = { { 0, INFINITY }, { 36, 44 } };
	size_t k, iz;
	int put;

	inputs();
	test_zone();
	test_cal_paths();
	test_fit();
	test_keep();
	for (iz = 0; iz < 2; iz++)
		for (put = 0; put <= 1; put++) {
			mc_lsm_zone z = zs[iz];
			for (k = 0; iz == 0 && k < sizeof(ns) / sizeof(ns[0]);
			    k++) {
				test_gram(put, 4, ns[k]);
				test_gram(put, 6, ns[k]);
			}
			test_rule(put, z, 4, 0);
			test_rule(put, z, 4, 1);
			test_rule(put, z, 6, 0);
			test_rule(put, z, 6, 1);
		}
	return unit_done("test_lsm");
}
