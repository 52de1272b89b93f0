/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_hist: equal-width bins over a range, at any scale.
 *
 * The plain formulas (width = (hi - lo) / bins, bin = (x - lo) / width)
 * overflow when the range spans more than the largest double (data from
 * -1e308 to 1e308) and lose the width below the smallest; then every
 * value lands in one bin, or none, and the bin index is a cast of a NaN.
 * mc_hist works in a copy of the range scaled by a power of two where
 * neither happens (the scale is 1 for ordinary ranges, so the numbers are
 * the plain formulas' there), and puts each value in the bin whose printed
 * edges hold it.
 */
#ifndef MC_HIST_H
#define MC_HIST_H

#include <stdint.h>

typedef struct mc_hist {
	double lo, hi;		/* the range */
	uint64_t bins;
	double l, w;		/* lo and the width, both times 2^-s */
	int s;
} mc_hist;

/* Sets up bins over [lo, hi]: finite, lo < hi, bins >= 1. */
void mc_hist_init(mc_hist *h, double lo, double hi, uint64_t bins);

/*
 * A range around one value x, for data that has no spread: [x - 0.5,
 * x + 0.5] where that is a range, else about x * (1 +/- 2^-20), within
 * the double range.
 */
void mc_hist_around(double x, double *lo, double *hi);

/*
 * Returns the bin of x, 0 ... bins - 1: bin b holds [edge(b), edge(b+1)),
 * and the last holds hi as well.  Returns -1 for x outside [lo, hi] or
 * NaN.
 */
int64_t mc_hist_bin(const mc_hist *h, double x);

/* Edge b, 0 <= b <= bins: lo + b * width, and hi exactly at b = bins. */
double mc_hist_edge(const mc_hist *h, uint64_t b);

/* The width of a bin: inf for one bin over a range wider than a double. */
double mc_hist_width(const mc_hist *h);

/* The centre of bin b. */
double mc_hist_mid(const mc_hist *h, uint64_t b);

/* count / (total * width), computed where it cannot overflow. */
double mc_hist_density(const mc_hist *h, double count, double total);

#endif
