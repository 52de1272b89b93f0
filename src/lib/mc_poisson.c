/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Poisson inversion and probabilities (see mc_poisson.h).  The
 * probabilities follow C. Loader, "Fast and accurate computation of
 * binomial probabilities" (2000): log P(K = k) = -log(2 pi k) / 2 -
 * stirlerr(k) - bd0(k, mean), where stirlerr is the error of Stirling's
 * formula for log k! and bd0(k, m) = k log(k / m) + m - k is summed as a
 * series where k is near m, so that nothing of size k is subtracted.
 */
#include "mc_poisson.h"

#include <math.h>
#include <stdlib.h>

#define SEGS 2048	/* segments of the table, at most */
#define TAIL 12.0	/* sds of the table on either side of the mean */

/* log k! - ((k + 1/2) log k - k + log(2 pi) / 2), for a whole k >= 1. */
static double
stirlerr(double k)
{
	double k2 = 1 / (k * k);

	if (k <= 15)
		return lgamma(k + 1) - ((k + 0.5) * log(k) - k +
		    0.5 * log(2 * M_PI));
	/* Stirling's series, 1/12k - 1/360k^3 + 1/1260k^5 - ... */
	return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 -
	    k2 / 1188) * k2) * k2) * k2) / k;
}

/* k log(k / m) + m - k, without cancellation where k is near m. */
static double
bd0(double k, double m)
{
	double v, s, t, term, s1;
	int j;

	if (fabs(k - m) >= 0.1 * (k + m))
		return k * log(k / m) + m - k;
	/* With v = (k - m) / (k + m): (k - m) v + 2 k (v^3/3 + v^5/5 +
	 * ...), every term positive. */
	v = (k - m) / (k + m);
	s = (k - m) * v;
	t = 2 * k * v;
	for (j = 1; j < 1000; j++) {
		t *= v * v;
		term = t / (2 * j + 1);
		s1 = s + term;
		if (s1 == s)
			break;
		s = s1;
	}
	return s;
}

double
mc_poisson_log_pmf(double k, double mean)
{
	if (k == 0)
		return -mean;
	return -0.5 * log(2 * M_PI * k) - stirlerr(k) - bd0(k, mean);
}

/*
 * One side of the table: segments of len counts from k0 in steps of dir
 * (1 up from the bottom, -1 down from the top) until past the mode, each
 * with the probability summed before it and its first count's (from
 * logarithms, so that the recurrence within a segment never drifts far),
 * with the additions that mc_poisson_inv repeats in a segment.  Returns
 * the number of segments; *split gets the sum up to and with count
 * mode + 1 going down.
 */
static size_t
side(const mc_poisson *p, double k0, int dir, struct mc_poisson_seg *seg,
    double *split)
{
	double mode = floor(p->mean), k = k0, sum = 0, q;
	size_t i, n;

	for (i = 0; dir > 0 ? k <= mode : k > mode; i++) {
		q = exp(mc_poisson_log_pmf(k, p->mean));
		seg[i].k = k;
		seg[i].sum = sum;
		seg[i].p = q;
		for (n = 0; n < p->len; n++) {
			sum += q;
			if (dir < 0 && k == mode + 1)
				*split = sum;
			if (dir > 0) {
				k++;
				q *= p->mean / k;
			} else {
				q *= k / p->mean;
				k--;
			}
		}
	}
	return i;
}

static int
build(mc_poisson *p, mc_err *err)
{
	double sd = sqrt(p->mean), lo, hi;
	size_t nmax;

	lo = floor(p->mean - TAIL * sd);
	lo = lo < 0 ? 0 : lo;
	hi = ceil(p->mean + TAIL * sd);
	p->len = ceil((hi - lo + 1) / SEGS);
	p->len = p->len < 8 ? 8 : p->len;
	nmax = (size_t)ceil((hi - lo + 1) / p->len) + 2;
	if ((p->lower = malloc(nmax * sizeof(*p->lower))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	p->nlower = side(p, lo, 1, p->lower, &p->split);
	p->upper = p->lower + p->nlower;
	p->nupper = side(p, hi, -1, p->upper, &p->split);
	return 0;
}

int
mc_poisson_init(mc_poisson *p, double mean, mc_err *err)
{
	p->mean = mean;
	p->p0 = exp(-mean);
	p->lower = p->upper = NULL;
	p->nlower = p->nupper = 0;
	if (!(mean >= 0 && mean <= MC_POISSON_MAX))
		return mc_err_set(err, EX_DATAERR, "a Poisson mean of %g; at "
		    "most %g", mean, MC_POISSON_MAX);
	return mean < MC_POISSON_SMALL ? 0 : build(p, err);
}

void
mc_poisson_free(mc_poisson *p)
{
	free(p->lower);
	p->lower = p->upper = NULL;
}

/*
 * The search from 0 for small means.  It stops where the terms no longer
 * change the sum (u above a CDF that rounding left short of 1): a count in
 * the far tail, not the count at which the terms underflow.
 */
static double
inv_small(double u, double lam, double p0)
{
	double p = p0, c = p0;
	unsigned k = 0;

	while (c < u && k < 10000) {
		k++;
		p *= lam / k;
		if (p == 0 || c + p == c)
			break;
		c += p;
	}
	return k;
}

/* The last of n segments whose sum is below x (the first always is). */
static const struct mc_poisson_seg *
find(const struct mc_poisson_seg *seg, size_t n, double x)
{
	size_t a = 0, b = n;

	while (b - a > 1) {
		size_t mid = a + (b - a) / 2;
		if (seg[mid].sum < x)
			a = mid;
		else
			b = mid;
	}
	return seg + a;
}

double
mc_poisson_inv(const mc_poisson *p, double u)
{
	const struct mc_poisson_seg *s;
	double k, q, c, t = 1 - u;
	size_t n;

	if (p->lower == NULL)
		return inv_small(u, p->mean, p->p0);
	if (t < p->split) {
		/* Above the mode: the k with P(K > k) <= 1 - u < P(K >= k),
		 * from the top down. */
		s = find(p->upper, p->nupper, nextafter(t, INFINITY));
		k = s->k;
		q = s->p;
		for (c = s->sum + q, n = 1; c <= t && n < p->len; n++) {
			q *= k / p->mean;
			k--;
			c += q;
		}
		return k;
	}
	/* At or below it: the k with P(K < k) < u <= P(K <= k). */
	s = find(p->lower, p->nlower, u);
	k = s->k;
	q = s->p;
	for (c = s->sum + q, n = 1; c < u && n < p->len; n++) {
		k++;
		q *= p->mean / k;
		c += q;
	}
	return k;
}
