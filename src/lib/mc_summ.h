/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_summ: the summary of one column of one group, and the statistics
 * that mcstat -s prints from it (datamash's operations).
 *
 * A summary always holds the count and the exact sums of the values and
 * of their squares, in a compact window (mc_xwin) until a value does not
 * fit it, then in a full mc_acc: either way exact, so the order of the
 * values never changes a digit.  What else it keeps is what the
 * statistics asked for need (MC_SUMM_*): the minimum and maximum, the
 * first and last value, the count of missing values, or every value (for
 * order statistics only).  A zeroed mc_summ is an empty one.
 *
 * Count, rows, sum, min, max, range and the moments merge exactly from
 * partial rows (n, sum, sumsq, and min, max, rows when asked for); first,
 * last and the order statistics do not, and mc_summ_ops_unmergeable says
 * which.
 */
#ifndef MC_SUMM_H
#define MC_SUMM_H

#include <stddef.h>
#include <stdint.h>

#include "mc_acc.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_xsum.h"

/* What a summary keeps beyond the count and sums. */
#define MC_SUMM_MINMAX 1u	/* the least and greatest value */
#define MC_SUMM_ENDS 2u		/* the first and last value */
#define MC_SUMM_VALUES 4u	/* every value */
#define MC_SUMM_ROWS 8u		/* the missing values, counted */

/* The statistics. */
enum mc_summ_kind {
	MC_SUMM_COUNT, MC_SUMM_ROWCOUNT, MC_SUMM_SUM, MC_SUMM_MIN,
	MC_SUMM_MAX, MC_SUMM_RANGE, MC_SUMM_MEAN, MC_SUMM_STDERR,
	MC_SUMM_CI_LO, MC_SUMM_CI_HI, MC_SUMM_SD, MC_SUMM_FIRST, MC_SUMM_LAST,
	MC_SUMM_MEDIAN, MC_SUMM_Q1, MC_SUMM_Q3, MC_SUMM_IQR, MC_SUMM_PERC,
	MC_SUMM_MODE, MC_SUMM_COUNTUNIQUE
};

typedef struct mc_summ_op {
	int kind;		/* an mc_summ_kind */
	double p;		/* MC_SUMM_PERC: the probability, 0 to 1 */
	char name[40];		/* its column in the output */
} mc_summ_op;

/* A list of statistics, and what summaries must keep for them. */
typedef struct mc_summ_ops {
	mc_summ_op *v;
	size_t n;
	unsigned need;		/* MC_SUMM_* bits */
} mc_summ_ops;

struct mc_summ_more;

/*
 * A summary that has taken this many values takes the next ones in
 * blocks of as many (mc_xwin_add_block), so that a small group needs no
 * block buffer.
 */
#define MC_SUMM_BLOCK 32
_Static_assert(MC_SUMM_BLOCK <= MC_XWIN_BLOCK, "a block fits mc_xwin_add_block");

typedef struct mc_summ {
	uint64_t n;		/* values, while the sums fit the windows */
	mc_xwin sum, sumsq;
	mc_acc *wide;		/* the sums, once they do not */
	struct mc_summ_more *more;	/* what MC_SUMM_* asks, or NULL */
	double *blk;		/* values not yet in the sums, or NULL */
	size_t nblk;
} mc_summ;

/*
 * Parses a comma-separated list of statistics: count (or n), rows, sum,
 * min, max, range, mean, sd (or sstdev), stderr (or sem), ci_lo, ci_hi,
 * first, last, median, q1, q3, iqr, pP (P from 0 to 100, also written
 * perc:P; perc alone is p95), mode, countunique.  Each becomes the column
 * of its first spelling ("sstdev" is column "sd", "perc:90" is "p90").
 * Returns 0, EX_OSERR, or EX_USAGE for an unknown word, an empty list or
 * a column given twice.  ops is replaced; free it with mc_summ_ops_free.
 */
int mc_summ_ops_parse(mc_summ_ops *ops, const char *list, mc_err *err);

/* Frees what ops holds and empties it. */
void mc_summ_ops_free(mc_summ_ops *ops);

/*
 * Returns the first statistic of ops that partial rows cannot give
 * exactly (first, last, and those of MC_SUMM_VALUES), or NULL.  *why is
 * set to the reason, a phrase ("it needs every value").
 */
const mc_summ_op *mc_summ_ops_unmergeable(const mc_summ_ops *ops,
    const char **why);

/* The columns of a partial row with what need keeps: "n,sum,sumsq", then
 * "min,max" for MC_SUMM_MINMAX and "rows" for MC_SUMM_ROWS. */
const char *mc_summ_partial_cols(unsigned need);

/*
 * Finds the partial columns in r's header: n, sum and sumsq, which must
 * be there, then min and max (both or neither) and rows, which may.  Sets
 * col[0] to col[5] to their indices (SIZE_MAX for one not there) and
 * *have to MC_SUMM_MINMAX and MC_SUMM_ROWS as found.  Returns 0 or
 * EX_DATAERR with a message that names the input.
 */
int mc_summ_find_partial(const mc_csv_reader *r, size_t col[6],
    unsigned *have, mc_err *err);

/*
 * Returns the first statistic of ops that needs a partial column that
 * rows with only have (MC_SUMM_MINMAX, MC_SUMM_ROWS) lack, with *col set
 * to that column ("min" or "rows"); or NULL.
 */
const mc_summ_op *mc_summ_ops_lacking(const mc_summ_ops *ops, unsigned have,
    const char **col);

/* Frees what s holds, and empties it. */
void mc_summ_free(mc_summ *s);

/* Adds x, keeping what need asks for.  Returns 0, or -1 when out of
 * memory. */
int mc_summ_add(mc_summ *s, double x, unsigned need);

/* Counts a missing value (with MC_SUMM_ROWS).  Returns 0, or -1 when out
 * of memory. */
int mc_summ_missing(mc_summ *s, unsigned need);

/* The count of values. */
uint64_t mc_summ_n(const mc_summ *s);

/* Sets *a to the exact count and sums of s. */
void mc_summ_acc(const mc_summ *s, mc_acc *a);

/* The values kept (MC_SUMM_VALUES), in no set order, and their count in
 * *n; NULL with *n = 0 when none were kept. */
const double *mc_summ_values(const mc_summ *s, size_t *n);

/*
 * The values kept (MC_SUMM_VALUES), sorted ascending (-0 before 0), and
 * their count in *n; NULL with *n = 0 when none were kept.
 */
const double *mc_summ_sorted(mc_summ *s, size_t *n);

/*
 * The quantile at p (0 to 1) of n > 0 sorted values, interpolated as R's
 * type 7 (as GNU datamash's median, q1, q3 and perc are).  The result
 * stays between its neighbours, whatever their size.
 */
double mc_summ_quantile(const double *v, size_t n, double p);

/*
 * Writes the partial fields of s through w: those of
 * mc_summ_partial_cols(need), min and max empty when s has no values.
 */
void mc_summ_out_partial(mc_csv_out *w, const mc_summ *s, unsigned need);

/*
 * Adds a partial row to s: f holds the fields n, sum and sumsq, then min
 * and max with MC_SUMM_MINMAX, then rows with MC_SUMM_ROWS.  Returns 0,
 * EX_OSERR, or EX_DATAERR with *col set to the bad field and err->msg to
 * what is wrong with it, leaving s unchanged: what mc_acc_parse_partial
 * refuses, a count above 2^63 - 1 with what s holds, a min or max that is
 * not a finite number (or not empty when n is 0), min above max, rows
 * below n.
 */
int mc_summ_merge_partial(mc_summ *s, const char *const *f, unsigned need,
    const char **col, mc_err *err);

/*
 * Writes the statistics of ops for s through w, one field each, at
 * confidence level (for ci_lo and ci_hi); with w NULL, only checks that
 * they can be written.  Statistics of no values are
 * NaN (counts are 0).  Nothing is written, and EX_DATAERR returned with a
 * message, when one of them lies beyond the double range (a sum, range
 * or iqr of values near 1.8e308, an sd of values of both signs there) or
 * the sums hold a NaN or infinity; EX_SOFTWARE when GSL fails.
 * Sorts the values kept.
 */
int mc_summ_out(mc_csv_out *w, mc_summ *s, const mc_summ_ops *ops,
    double level, mc_err *err);

#endif
