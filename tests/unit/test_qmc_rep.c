/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_qmc's replicates of any size (mc_qmc_alloc_rep, what mcprice's 32
 * replicates of n / 32 paths take) and its coordinates past the Sobol
 * table (pseudo-random uniforms, issue 10 (7)).
 */
#include <math.h>
#include <stdlib.h>

#include "mc_qmc.h"
#include "mc_rng.h"
#include "unit.h"

/* mc_qmc_alloc_rep with its options spelt out. */
static mc_qmc *
alloc_rep(unsigned dim, uint64_t seed, uint64_t points, unsigned sobol,
    int rotate, mc_err *err)
{
	mc_qmc_opts o;

	o.points = points;
	o.sobol = sobol;
	o.rotate = rotate;
	return mc_qmc_alloc_rep(dim, seed, &o, err);
}

/*
 * Whether the count points of u (dimension-major, stride count) from
 * coordinate 0 to dim - 1 put one point in each interval
 * [m / count, (m + 1) / count); count a power of two.
 */
static int
stratified(const double *u, unsigned dim, size_t count)
{
	int *seen = calloc(count, sizeof(*seen)), ok = 1;
	size_t j, m;
	unsigned k;

	for (k = 0; k < dim; k++) {
		for (m = 0; m < count; m++)
			seen[m] = 0;
		for (j = 0; j < count; j++)
			seen[(size_t)(u[(size_t)k * count + j] * count)]++;
		for (m = 0; m < count; m++)
			ok &= seen[m] == 1;
	}
	free(seen);
	return ok;
}

/* Replicates of MC_BLOCK points are mc_qmc_alloc's, bit for bit. */
static void
test_default(void)
{
	enum { D = 7 };
	mc_qmc *a = mc_qmc_alloc(D, 3, NULL);
	mc_qmc *b = alloc_rep(D, 3, MC_BLOCK, 0, 0, NULL);
	double x[D], y[D];
	int j, k, same = 1;

	CHECK(mc_qmc_points(a) == MC_BLOCK && mc_qmc_points(b) == MC_BLOCK);
	for (j = 0; j < 40; j++) {
		uint64_t i = (uint64_t)j * 1543;
		mc_qmc_point(a, i, x);
		mc_qmc_point(b, i, y);
		for (k = 0; k < D; k++)
			same &= x[k] == y[k];
	}
	CHECK(same);
	mc_qmc_free(a);
	mc_qmc_free(b);
}

/*
 * A replicate larger than MC_BLOCK (its scramble needs columns past the
 * twelfth) and one of a size that is no power of two: replicate r starts
 * at r P, and its first 2^k points stratify every coordinate.
 */
static void
test_stratified(void)
{
	enum { D = 24 };
	static const uint64_t P[] = { 16384, 3000, 100000 };
	double *u = malloc((size_t)D * 16384 * sizeof(*u));
	int ok = 1;
	unsigned i, r, bits;

	for (i = 0; i < 3; i++) {
		mc_qmc *q = alloc_rep(D, 11 + i, P[i], 0, 0, NULL);
		for (r = 0; r < 3; r++)
			for (bits = 1; bits <= 14 && (1u << bits) <= P[i];
			    bits++) {
				mc_qmc_block(q, r * P[i], (size_t)1 << bits, u);
				ok &= stratified(u, D, (size_t)1 << bits);
			}
		mc_qmc_free(q);
	}
	CHECK(ok);
	free(u);
}

/*
 * mc_qmc_block and mc_qmc_point agree across replicate boundaries of
 * replicates of 10000 points, with pseudo-random coordinates past 9
 * Sobol ones.
 */
static void
test_direct(void)
{
	unsigned D = 14, k;
	enum { N = 2 * 10000 + 500 };
	mc_qmc *q = alloc_rep(D, 5, 10000, 9, 0, NULL);
	double *u = malloc((size_t)D * N * sizeof(*u));
	double *x = malloc(D * sizeof(*x));
	uint64_t first = 10000 - 250;
	int j, same = 1;

	mc_qmc_block(q, first, N, u);
	for (j = 0; j < N; j += 37) {
		mc_qmc_point(q, first + (uint64_t)j, x);
		for (k = 0; k < D; k++)
			same &= x[k] == u[(size_t)k * N + j];
	}
	CHECK(same);
	free(u);
	free(x);
	mc_qmc_free(q);
}

/*
 * Past the Sobol coordinates (30 here): those are the coordinates of a
 * generator without the extra ones, and the extra ones are uniform in
 * (0, 1) (mean 1/2, variance 1/12, within 4 standard errors over 2^16
 * points), vary with the seed, and are uncorrelated with the last Sobol
 * coordinate.
 */
static void
test_tail(void)
{
	unsigned S = 30, D = S + 5, k;
	enum { N = 65536 };
	mc_qmc *q = alloc_rep(D, 21, N, S, 0, NULL);
	mc_qmc *s = alloc_rep(S, 21, N, 0, 0, NULL);
	mc_qmc *o = alloc_rep(D, 22, N, S, 0, NULL);
	double *x = malloc(D * sizeof(*x)), *y = malloc(D * sizeof(*y));
	double m[5] = { 0 }, v[5] = { 0 }, c = 0;
	int j, same = 1, inside = 1, differ = 0;

	for (j = 0; j < N; j++) {
		mc_qmc_point(q, (uint64_t)j, x);
		if (j % 1000 == 0) {
			mc_qmc_point(s, (uint64_t)j, y);
			for (k = 0; k < S; k++)
				same &= x[k] == y[k];
			mc_qmc_point(o, (uint64_t)j, y);
			differ |= x[S] != y[S];
		}
		for (k = 0; k < 5; k++) {
			double t = x[S + k];
			inside &= t > 0 && t < 1;
			m[k] += t - 0.5;
			v[k] += (t - 0.5) * (t - 0.5) - 1.0 / 12;
		}
		c += (x[S - 1] - 0.5) * (x[S] - 0.5);
	}
	CHECK(same && inside && differ);
	for (k = 0; k < 5; k++) {
		/* sd of U - 1/2: sqrt(1/12); of (U - 1/2)^2: 1/sqrt(180). */
		CHECK(fabs(m[k] / N) < 4 * sqrt(1.0 / 12 / N));
		CHECK(fabs(v[k] / N) < 4 / sqrt(180.0 * N));
	}
	CHECK(fabs(c / N) < 4 / (12 * sqrt((double)N)));
	free(x);
	free(y);
	mc_qmc_free(q);
	mc_qmc_free(s);
	mc_qmc_free(o);
}

/*
 * At the table's end: a generator of mc_qmc_maxdim() + 2 coordinates has
 * the table's Sobol coordinates (the last one stratifies 2^4 points) and
 * two pseudo-random ones, the same ones as a generator whose Sobol part
 * is cut short gives past it.
 */
static void
test_table_end(void)
{
	unsigned S = mc_qmc_maxdim(), D = S + 2;
	mc_qmc *q = alloc_rep(D, 8, 16, 0, 0, NULL);
	mc_qmc *c = alloc_rep(D, 8, 16, S, 0, NULL);
	double *x = malloc(D * sizeof(*x)), *y = malloc(D * sizeof(*y));
	int seen[16] = { 0 }, j, ok = 1;

	CHECK(S == 21201);
	for (j = 0; j < 16; j++) {
		mc_qmc_point(q, (uint64_t)j, x);
		mc_qmc_point(c, (uint64_t)j, y);
		seen[(int)(x[S - 1] * 16)]++;
		ok &= x[S] == y[S] && x[S + 1] == y[S + 1];
		ok &= x[S] > 0 && x[S] < 1 && x[S] != x[S + 1];
	}
	for (j = 0; j < 16; j++)
		ok &= seen[j] == 1;
	CHECK(ok);
	free(x);
	free(y);
	mc_qmc_free(q);
	mc_qmc_free(c);
}

/*
 * Rotated replicates: every point is still inside (0, 1), mc_qmc_block
 * and mc_qmc_point agree, and a step function whose threshold t cuts the
 * strata of 512 points 1% of the way in (frac(512 t) = 0.01) counts 0 or
 * 1 extra points in unrotated replicates, nearly always the same, but
 * varies in rotated ones: over 64 replicates the counts of the points
 * below t take at most 2 values, mostly one, unrotated, and have a
 * variance above 0.1 rotated (about 1/3 expected: two cut strata).
 */
static void
test_rotate(void)
{
	enum { P = 512, R = 64, D = 3 };
	double t = (201 + 0.01) / P, u[D * P], x[D];
	mc_qmc *q[2];
	int rot, r, j, k, cnt[R], inside = 1, same = 1, differ = 0;

	for (rot = 0; rot < 2; rot++) {
		double m = 0, v = 0;
		int lo = P, hi = 0;
		q[rot] = alloc_rep(D, 17, P, 0, rot, NULL);
		for (r = 0; r < R; r++) {
			mc_qmc_block(q[rot], (uint64_t)r * P, P, u);
			cnt[r] = 0;
			for (j = 0; j < P; j++) {
				cnt[r] += u[j] < t;
				for (k = 0; k < D; k++)
					inside &= u[k * P + j] > 0 &&
					    u[k * P + j] < 1;
			}
			mc_qmc_point(q[rot], (uint64_t)r * P + 77, x);
			for (k = 0; k < D; k++)
				same &= x[k] == u[k * P + 77];
			lo = cnt[r] < lo ? cnt[r] : lo;
			hi = cnt[r] > hi ? cnt[r] : hi;
			m += cnt[r];
		}
		m /= R;
		for (r = 0; r < R; r++)
			v += (cnt[r] - m) * (cnt[r] - m) / (R - 1);
		if (rot == 0)
			CHECK(hi - lo <= 1 && v < 0.1);
		else
			CHECK(v > 0.1 && fabs(m - t * P) < 4 * sqrt(v / R));
	}
	mc_qmc_point(q[0], 5, x);
	mc_qmc_point(q[1], 5, u);
	for (k = 0; k < D; k++)
		differ |= x[k] != u[k];
	CHECK(inside && same && differ);
	mc_qmc_free(q[0]);
	mc_qmc_free(q[1]);
}

/* Bad sizes are usage errors, in words that name no option. */
static void
test_errors(void)
{
	mc_err err = {0};

	CHECK(alloc_rep(0, 1, 64, 0, 0, &err) == NULL &&
	    err.status == EX_USAGE);
	CHECK(strstr(err.msg, "--") == NULL);
	CHECK(alloc_rep(3, 1, 0, 0, 0, &err) == NULL &&
	    err.status == EX_USAGE);
	CHECK(alloc_rep(3, 1, (UINT64_C(1) << 32) + 1, 0, 0, &err) == NULL &&
	    err.status == EX_USAGE);
	CHECK(strstr(err.msg, "--") == NULL);
	mc_qmc_free(alloc_rep(3, 1, UINT64_C(1) << 32, 0, 0, &err));
}

int
main(void)
{
	test_default();
	test_stratified();
	test_direct();
	test_tail();
	test_table_end();
	test_rotate();
	test_errors();
	return unit_done("test_qmc_rep");
}
