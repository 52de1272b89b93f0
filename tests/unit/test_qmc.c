/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_qmc: the plain Sobol points against published values, and the
 * randomised points for uniformity, stratification and agreement of the
 * direct and sequential ways of computing them.
 */
#include <math.h>
#include <stdlib.h>

#include "mc_qmc.h"
#include "mc_rng.h"
#include "unit.h"

/*
 * The first ten points in three dimensions of the Sobol sequence from
 * new-joe-kuo-6.21201, as printed on Joe and Kuo's Sobol page (the
 * "UNSW example" reproduced by several implementations).
 */
static const double unsw[10][3] = {
	{0.0, 0.0, 0.0},
	{0.5, 0.5, 0.5},
	{0.75, 0.25, 0.25},
	{0.25, 0.75, 0.75},
	{0.375, 0.375, 0.625},
	{0.875, 0.875, 0.125},
	{0.625, 0.125, 0.875},
	{0.125, 0.625, 0.375},
	{0.1875, 0.3125, 0.9375},
	{0.6875, 0.8125, 0.4375},
};

/*
 * Points 1 to 8 in dimensions 4 to 8, from the same direction numbers
 * (dimension 4: s = 3, a = 1, m = 1 3 1; ... dimension 8: s = 5, a = 2,
 * m = 1 1 5 5 17), as tabulated by an independent implementation.
 */
static const double dims48[8][5] = {
	{0.5, 0.5, 0.5, 0.5, 0.5},
	{0.25, 0.75, 0.75, 0.25, 0.75},
	{0.75, 0.25, 0.25, 0.75, 0.25},
	{0.875, 0.375, 0.125, 0.375, 0.875},
	{0.375, 0.875, 0.625, 0.875, 0.375},
	{0.625, 0.625, 0.875, 0.125, 0.125},
	{0.125, 0.125, 0.375, 0.625, 0.625},
	{0.4375, 0.5625, 0.3125, 0.4375, 0.9375},
};

static void
test_plain(void)
{
	mc_qmc *q = mc_qmc_alloc(8, 1, NULL);
	double u[8];
	int n, k;

	CHECK(q != NULL);
	for (n = 0; n < 10; n++) {
		mc_qmc_sobol(q, (uint64_t)n, u);
		for (k = 0; k < 3; k++)
			CHECK(u[k] == unsw[n][k]);
	}
	for (n = 1; n <= 8; n++) {
		mc_qmc_sobol(q, (uint64_t)n, u);
		for (k = 0; k < 5; k++)
			CHECK(u[3 + k] == dims48[n - 1][k]);
	}
	mc_qmc_free(q);
}

/*
 * Dimension 21201 is the last of the table: its plain points must still
 * form a net, one point in each interval of 2^-10 among the first 1024.
 */
static void
test_table_end(void)
{
	unsigned d = mc_qmc_maxdim();
	mc_qmc *q = mc_qmc_alloc(d, 1, NULL);
	double *u = malloc(d * sizeof(*u));
	int seen[1024] = {0}, n, ok = 1;

	CHECK(d == 21201);
	for (n = 0; n < 1024; n++) {
		mc_qmc_sobol(q, (uint64_t)n, u);
		seen[(int)(u[d - 1] * 1024)]++;
	}
	for (n = 0; n < 1024; n++)
		ok &= seen[n] == 1;
	CHECK(ok);
	free(u);
	mc_qmc_free(q);
}

static void
test_alloc_errors(void)
{
	mc_err err = {0};
	mc_qmc *q;

	CHECK(mc_qmc_alloc(0, 1, &err) == NULL && err.status == EX_USAGE);
	CHECK_STR(err.msg, "sobol points: dimension 0, expected 1 or more");
	/* Past the table is fine: pseudo-random coordinates (test_qmc_rep). */
	CHECK((q = mc_qmc_alloc(mc_qmc_maxdim() + 1, 1, &err)) != NULL);
	mc_qmc_free(q);
	mc_qmc_free(NULL);
}

/*
 * Over 64 replicates of 4096 points, each coordinate's mean lies within
 * 4 standard errors of 1/2.  The standard error is that of the 64
 * replicate means (sample sd / 8), the honest one; every point is also
 * strictly inside (0, 1).
 */
static void
test_uniform(void)
{
	enum { D = 16, R = 64 };
	mc_qmc *q = mc_qmc_alloc(D, 42, NULL);
	double *u = malloc((size_t)D * MC_BLOCK * sizeof(*u));
	double mean[R][D];
	int r, k, j, inside = 1;

	for (r = 0; r < R; r++) {
		mc_qmc_block(q, (uint64_t)r * MC_BLOCK, MC_BLOCK, u);
		for (k = 0; k < D; k++) {
			double s = 0;
			for (j = 0; j < MC_BLOCK; j++) {
				double x = u[(size_t)k * MC_BLOCK + j];
				inside &= x > 0 && x < 1;
				s += x;
			}
			mean[r][k] = s / MC_BLOCK;
		}
	}
	CHECK(inside);
	for (k = 0; k < D; k++) {
		double m = 0, ss = 0, se;
		for (r = 0; r < R; r++)
			m += mean[r][k];
		m /= R;
		for (r = 0; r < R; r++)
			ss += (mean[r][k] - m) * (mean[r][k] - m);
		se = sqrt(ss / (R - 1) / R);
		CHECK(se > 0 && fabs(m - 0.5) < 4 * se);
	}
	/* A single point's coordinate is uniform too: its replicates. */
	{
		double m = 0, v = 0;
		int n = 20000;
		double x[D];
		for (r = 0; r < n; r++) {
			mc_qmc_point(q, (uint64_t)r * MC_BLOCK + 5, x);
			m += x[7];
		}
		m /= n;
		v = 1.0 / 12 / n;
		CHECK(fabs(m - 0.5) < 4 * sqrt(v));
	}
	free(u);
	mc_qmc_free(q);
}

/*
 * The first 2^k points of a randomised replicate still put one point in
 * each interval [m 2^-k, (m+1) 2^-k) of every coordinate.
 */
static void
test_stratified(void)
{
	enum { D = 40 };
	mc_qmc *q = mc_qmc_alloc(D, 7, NULL);
	double *u = malloc((size_t)D * MC_BLOCK * sizeof(*u));
	int *seen = malloc(MC_BLOCK * sizeof(*seen));
	int k, r, ok = 1;
	unsigned bits, m, j;

	for (r = 0; r < 3; r++) {
		uint64_t first = (uint64_t)(r * 5 + 2) * MC_BLOCK;
		for (bits = 1; bits <= 12; bits++) {
			unsigned n = 1u << bits;
			mc_qmc_block(q, first, n, u);
			for (k = 0; k < D; k++) {
				for (m = 0; m < n; m++)
					seen[m] = 0;
				for (j = 0; j < n; j++)
					seen[(int)(u[(size_t)k * n + j] * n)]++;
				for (m = 0; m < n; m++)
					ok &= seen[m] == 1;
			}
		}
	}
	CHECK(ok);
	free(seen);
	free(u);
	mc_qmc_free(q);
}

/*
 * mc_qmc_block (Gray-code steps, a cached scramble) and mc_qmc_point
 * (everything from the index) give the same bits, across replicate
 * boundaries and for blocks that start anywhere.
 */
static void
test_direct(void)
{
	enum { D = 5, N = 3 * MC_BLOCK + 100 };
	mc_qmc *q = mc_qmc_alloc(D, 99, NULL), *q2;
	double *u = malloc((size_t)D * N * sizeof(*u)), x[D], y[D];
	uint64_t first = 2 * MC_BLOCK - 77;
	int j, k, same = 1, differ = 0;

	mc_qmc_block(q, first, N, u);
	for (j = 0; j < N; j++) {
		mc_qmc_point(q, first + (uint64_t)j, x);
		for (k = 0; k < D; k++)
			same &= x[k] == u[(size_t)k * N + j];
	}
	CHECK(same);
	/* A jump back, then single points: the cache must follow. */
	for (j = 0; j < 50; j++) {
		uint64_t i = (uint64_t)(j * 7919) % (5 * MC_BLOCK);
		mc_qmc_block(q, i, 1, y);
		mc_qmc_point(q, i, x);
		for (k = 0; k < D; k++)
			same &= x[k] == y[k];
	}
	CHECK(same);
	/* Another seed gives other points; the same seed the same ones. */
	q2 = mc_qmc_alloc(D, 100, NULL);
	mc_qmc_point(q, 12345, x);
	mc_qmc_point(q2, 12345, y);
	for (k = 0; k < D; k++)
		differ |= x[k] != y[k];
	CHECK(differ);
	mc_qmc_free(q2);
	q2 = mc_qmc_alloc(D, 99, NULL);
	mc_qmc_point(q2, 12345, y);
	for (k = 0; k < D; k++)
		same &= x[k] == y[k];
	CHECK(same);
	mc_qmc_free(q2);
	free(u);
	mc_qmc_free(q);
}

int
main(void)
{
	test_plain();
	test_table_end();
	test_alloc_errors();
	test_uniform();
	test_stratified();
	test_direct();
	return unit_done("test_qmc");
}
