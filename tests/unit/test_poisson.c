/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_poisson: inversion against the Poisson CDF summed independently in
 * long double, for means from 0.5 to 1e9, across the switch from the
 * search from 0 to the table; the log-probabilities against lgammal; and
 * the extremes (the smallest and largest uniforms, mean 0, a mean too
 * large).
 */
#include <math.h>
#include <stdio.h>

#include "mc_philox.h"
#include "mc_poisson.h"
#include "unit.h"

#define N 100000

/*
 * The quantiles qs[0..nq) of the Poisson distribution of the given mean,
 * and the CDF there, into k[] and F[]: an independent sum in long double
 * from 15 sd below the mean, anchored by lgammal and carried up by the
 * recurrence p(j + 1) = p(j) mean / (j + 1).  (GSL's incomplete gamma
 * function is not a reference at 1e9: below the mean it stops with
 * GSL_EMAXITER and a value off by half.)
 */
static void
quantiles(double mean, const double *qs, size_t nq, double *k, double *F)
{
	long double m = mean, j, p, c = 0;
	size_t q = 0;

	j = floorl(m - 15 * sqrtl(m) - 10);
	j = j < 0 ? 0 : j;
	p = expl(j * logl(m) - m - lgammal(j + 1));
	for (; q < nq; j++) {
		c += p;
		while (q < nq && c >= qs[q]) {
			k[q] = (double)j;
			F[q++] = (double)c;
		}
		p *= m / (j + 1);
	}
}

/*
 * Inverts N stratified uniforms (i + 1/2) / N: the share at or below k
 * must be the CDF at k within 1 / N, at the quantiles 0.001 .. 0.999, and
 * the counts must not fall as u rises.  Returns 1 if so.
 */
static int
inversion_ok(double mean)
{
	static const double qs[] = { 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999 };
	mc_poisson p;
	mc_err err;
	double k, prev = 0, kq[7], F[7], share;
	size_t i, q, below;
	int ok = 1;

	if (mc_poisson_init(&p, mean, &err) != 0)
		return 0;
	quantiles(mean, qs, 7, kq, F);
	for (q = 0; q < 7; q++) {
		for (i = below = 0; i < N; i++)
			below += mc_poisson_inv(&p, (i + 0.5) / N) <= kq[q];
		share = (double)below / N;
		if (!(fabs(share - F[q]) <= 1.0 / N + 1e-9)) {
			fprintf(stderr, "mean %g: P(K <= %g) %.8f, inverted "
			    "%.8f\n", mean, kq[q], F[q], share);
			ok = 0;
		}
	}
	for (i = 0; i < N; i++) {
		k = mc_poisson_inv(&p, (i + 0.5) / N);
		ok &= k >= prev && k == floor(k);
		prev = k;
	}
	mc_poisson_free(&p);
	return ok;
}

/*
 * The smallest and largest uniforms give counts in the tails but within
 * 10 sd (the table reaches 12 sd; beyond 10 each tail holds less than
 * the smallest uniform, 2^-54, even at mean 700), and not where a sum
 * that rounding left short of 1 would put them.
 */
static int
ends_ok(double mean)
{
	mc_poisson p;
	mc_err err;
	double lo, hi, sd = sqrt(mean);

	if (mc_poisson_init(&p, mean, &err) != 0)
		return 0;
	lo = mc_poisson_inv(&p, 0x1p-54);
	hi = mc_poisson_inv(&p, MC_U53_MAX);
	mc_poisson_free(&p);
	if (mean < MC_POISSON_SMALL)
		return lo >= 0 && lo <= mean && hi > mean && hi < mean + 40 * sd + 40;
	return lo < mean - 5 * sd && lo >= mean - 10 * sd && hi > mean + 5 *
	    sd && hi <= mean + 10 * sd;
}

int
main(void)
{
	static const double means[] = { 0.5, 5, 650, 699.9, 700, 800, 1e4,
	    1e6, 1e9 };
	mc_poisson p;
	mc_err err;
	double k, worst = 0;
	size_t i;

	for (i = 0; i < sizeof(means) / sizeof(means[0]); i++) {
		CHECK(inversion_ok(means[i]));
		CHECK(ends_ok(means[i]));
	}
	/* log P(K = k) against k log m - m - log k! in long double. */
	for (k = 0; k < 3000; k += 7) {
		long double m = 900, want = k * logl(m) - m - lgammal(k + 1);
		double e = fabs(mc_poisson_log_pmf(k, 900) - (double)want);
		if (e > worst)
			worst = e;
	}
	CHECK(worst < 1e-10);
	/* At 1e9 the mode's probability is 1 / sqrt(2 pi mean) to within
	 * 1 / (12 mean). */
	CHECK(fabs(exp(mc_poisson_log_pmf(1e9, 1e9)) * sqrt(2 * M_PI * 1e9) -
	    1) < 1e-9);

	CHECK(mc_poisson_init(&p, 0, &err) == 0);
	CHECK(mc_poisson_inv(&p, 0.999) == 0);
	mc_poisson_free(&p);
	CHECK(mc_poisson_init(&p, 2 * MC_POISSON_MAX, &err) == EX_DATAERR);
	mc_poisson_free(&p);
	CHECK(mc_poisson_init(&p, NAN, &err) == EX_DATAERR);
	mc_poisson_free(&p);
	return unit_done("test_poisson");
}
