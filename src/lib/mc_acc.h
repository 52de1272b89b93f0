/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_acc: Monte Carlo estimates that merge exactly.
 *
 * An accumulator holds the count n and the exact sums of x and x^2.  It
 * becomes an estimate row (name,n,mean,stderr,ci_lo,ci_hi,sd) or, with
 * --partial, a partial row (n,sum,sumsq) whose text form is lossless, so
 * partial rows from any split of the same values merge into an accumulator
 * identical to the one a single process would hold, and print the same
 * bytes.
 */
#ifndef MC_ACC_H
#define MC_ACC_H

#include <stdint.h>
#include <stdio.h>

#include "mc_csv.h"
#include "mc_err.h"
#include "mc_xsum.h"

/* The estimate columns after the key, and the partial ones. */
#define MC_ACC_FINAL_COLS "n,mean,stderr,ci_lo,ci_hi,sd"
#define MC_ACC_PARTIAL_COLS "n,sum,sumsq"

typedef struct mc_acc {
	uint64_t n;
	mc_xsum sum;		/* exact sum of x */
	mc_xsum sumsq;		/* exact sum of x^2 */
} mc_acc;

typedef struct mc_est {
	uint64_t n;
	double mean;
	double se;		/* standard error of the mean, sd / sqrt(n) */
	double ci_lo, ci_hi;	/* Student-t interval at the chosen level */
	double sd;		/* sample standard deviation (n - 1) */
} mc_est;

/* Sets a to the empty accumulator. */
void mc_acc_init(mc_acc *a);

/* Adds one value, and its square, both exactly. */
void mc_acc_add(mc_acc *a, double x);

/*
 * Adds n values known only by their sum and sum of squares, as a kernel
 * that sums a fixed block of paths does.  The result is exact for those
 * two numbers; callers must fix the blocks by path index so that every
 * split of the work adds the same block sums.
 */
void mc_acc_add_sums(mc_acc *a, uint64_t n, double sum, double sumsq);

/* Adds src to dst. */
void mc_acc_merge(mc_acc *dst, const mc_acc *src);

/*
 * Computes the estimate at confidence level (0 < level < 1).  The mean is
 * the exact sum divided by n; the variance is taken from the exact sums in
 * double-double arithmetic, so it stays accurate when the mean is large
 * beside the spread, and both are scaled so that any finite values, from
 * subnormals to the largest doubles, give a finite, accurate mean and sd.
 * n = 0 gives NaN for all but n; n = 1 gives NaN for sd, se and the
 * interval.  Returns 0; EX_DATAERR when a NaN or an infinity was added,
 * or when sd or the interval lies beyond the double range (a spread near
 * 1e308), so that no such estimate is printed as a number; or
 * EX_SOFTWARE if GSL fails.
 */
int mc_acc_estimate(const mc_acc *a, double level, mc_est *e);

/* Writes the six estimate fields, comma-separated, without a newline. */
void mc_acc_write_est(FILE *fp, const mc_est *e);

/* Writes the three partial fields (n, sum and sumsq text forms). */
void mc_acc_write_partial(FILE *fp, const mc_acc *a);

/* The same as fields of a row that w is writing, with its separator. */
void mc_acc_out_est(mc_csv_out *w, const mc_est *e);
void mc_acc_out_partial(mc_csv_out *w, const mc_acc *a);

/*
 * Adds a partial row's three fields to a.  Returns 0, or EX_DATAERR with
 * *col set to the bad field ("n", "sum" or "sumsq") and err->msg to what
 * is wrong with it ("expected a count, got \"x\""), leaving a unchanged:
 * a field that is not a count or an exact sum, or sums that no n numbers
 * have (sums other than 0 with n = 0, a negative sumsq, sumsq below
 * sum^2/n by more than the rounding of block sums).  Sums that are NaN or
 * infinite pass, as the values they came from.
 */
int mc_acc_parse_partial(mc_acc *a, const char *n, const char *sum,
    const char *sumsq, const char **col, mc_err *err);

#endif
