/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_lsm: the normal equations against a plain sum over paths in long
 * double, the rule against its definition path by path, and every
 * instruction set giving the same bits (calls and puts, p = 4 and 6,
 * lengths that leave a tail).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

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
test_rule(int put, unsigned p, int with_done)
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
	mc_lsm_rule(put, K, beta, p, x, v, N, d, Y, with_done ? D : NULL);
	for (j = 0; j < N; j++) {
		double e = put ? K - x[j] : x[j] - K, cont = 0;
		int ex;
		basis(x[j], v[j], K, b);
		for (k = 0; k < p; k++)
			cont += beta[k] * b[k];
		ex = e > 0 && e > cont && !(with_done && D0[j] != 0);
		bad += Y[j] != (ex ? d * e : Y0[j]);
		if (with_done)
			bad += D[j] != D0[j] + ex;
	}
	CHECK(bad == 0);
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		double Y1[N], D1[N];
		memcpy(Y1, Y0, sizeof(Y1));
		memcpy(D1, D0, sizeof(D1));
		if (mc_lsm_rule_isa(isa, put, K, beta, p, x, v, N, d, Y1,
		    with_done ? D1 : NULL) != 0)
			continue;
		CHECK(memcmp(Y1, Y, sizeof(Y)) == 0);
		CHECK(!with_done || memcmp(D1, D, sizeof(D)) == 0);
	}
}

int
main(void)
{
	static const size_t ns[] = { 0, 1, 7, 8, 9, 1003 };
	size_t k;
	int put;

	inputs();
	for (put = 0; put <= 1; put++) {
		for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
			test_gram(put, 4, ns[k]);
			test_gram(put, 6, ns[k]);
		}
		test_rule(put, 4, 0);
		test_rule(put, 4, 1);
		test_rule(put, 6, 0);
		test_rule(put, 6, 1);
	}
	return unit_done("test_lsm");
}
