/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_poisson: Poisson counts by inversion of one uniform, for any mean up
 * to MC_POISSON_MAX, and Poisson probabilities that neither underflow nor
 * cancel.
 *
 * Inversion (the count k with F(k - 1) < u <= F(k), F the CDF) keeps one
 * uniform per count, so Merton's jump counts take Sobol coordinates and
 * antithetic partners like any other uniform.  A search from 0 that starts
 * at e^-mean underflows once the mean passes about 745 (every count came
 * out 1, or 0, with exit 0): below MC_POISSON_SMALL the search from 0 is
 * kept (its numbers are mcprice's of old), and above it a table of the
 * distribution from mean - 12 sd to mean + 12 sd (beyond which each tail
 * holds less than 1e-20, below the smallest uniform) is built once and
 * searched: the CDF summed upwards below the mode, and the upper tail
 * summed downwards above it (compared with 1 - u, exact there), so that
 * both tails keep their relative accuracy.
 */
#ifndef MC_POISSON_H
#define MC_POISSON_H

#include <stddef.h>

#include "mc_err.h"

/* Means below this invert by the search from 0. */
#define MC_POISSON_SMALL 700.0

/* The largest mean: its table is a few MB and takes milliseconds. */
#define MC_POISSON_MAX 1e10

/*
 * A segment of the table: its first count k, and the probability beyond
 * it on the segment's side of the mode (the CDF before k below the mode,
 * the tail above k above it), and P(K = k).
 */
struct mc_poisson_seg {
	double k, sum, p;
};

typedef struct mc_poisson {
	double mean, p0;		/* p0 = e^-mean */
	struct mc_poisson_seg *lower;	/* NULL below MC_POISSON_SMALL */
	struct mc_poisson_seg *upper;	/* from the top down */
	size_t nlower, nupper;
	double len;			/* counts a segment */
	double split;			/* P(K > the mode) */
} mc_poisson;

/*
 * Sets p up for counts of the given mean (0 <= mean <= MC_POISSON_MAX).
 * Returns 0, EX_DATAERR for a mean out of range (a message giving the
 * limit), or EX_OSERR.  Free with mc_poisson_free either way.
 */
int mc_poisson_init(mc_poisson *p, double mean, mc_err *err);

/* Frees p's table; a zeroed or freed p is fine. */
void mc_poisson_free(mc_poisson *p);

/* The count whose CDF interval holds u, 0 < u < 1, as a double. */
double mc_poisson_inv(const mc_poisson *p, double u);

/*
 * log P(K = k) for K Poisson of the given mean > 0 and a whole k >= 0,
 * accurate near the mean for any size (Loader's saddle-point form:
 * -log(2 pi k) / 2 - stirlerr(k) - bd0(k, mean)).
 */
double mc_poisson_log_pmf(double k, double mean);

#endif
