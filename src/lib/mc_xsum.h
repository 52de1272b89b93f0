/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_xsum: an exact sum of doubles and of their squares (a Kulisch-style
 * long accumulator).
 *
 * Every finite double is a whole multiple of 2^-1074 and every square of
 * one a multiple of 2^-2148, so a wide enough fixed-point integer holds
 * any sum of them without rounding, from the square of the smallest
 * subnormal to 2^64 squares of the largest double.  Additions commute
 * exactly, so a sum split over shards, threads or hosts and merged in any
 * order is the same number, and rounds to the same double.  The text form
 * is a list of numbers whose exact sum is the value, the first being the
 * value rounded, so it reads as the sum and merges losslessly.
 */
#ifndef MC_XSUM_H
#define MC_XSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * 32-bit digits from 2^-2148 (the least square of a double) up past
 * 2^2112 (2^64 squares of the largest), and the sign.
 */
#define MC_XSUM_LIMBS 134

/* The longest term of the text form, with its sign and NUL. */
#define MC_XSUM_TERM 32

typedef struct mc_xsum {
	int64_t limb[MC_XSUM_LIMBS];	/* digit i weighs 2^(32 i - 2148) */
	uint32_t pending;		/* additions since the last carry */
	int special;			/* 1 if a NaN or infinity was added */
	double sval;			/* their sum: NaN, inf or -inf */
} mc_xsum;

/* Sets s to zero. */
void mc_xsum_init(mc_xsum *s);

/* Adds x exactly.  NaN and infinities make the sum NaN or infinite. */
void mc_xsum_add(mc_xsum *s, double x);

/*
 * Adds x * x exactly, for any finite x (no overflow, no underflow).  NaN
 * and infinities make the sum NaN or infinite.
 */
void mc_xsum_add_sq(mc_xsum *s, double x);

/* Adds the exact value of src to dst. */
void mc_xsum_merge(mc_xsum *dst, const mc_xsum *src);

/* Returns the sum rounded to the nearest double (ties to even). */
double mc_xsum_round(const mc_xsum *s);

/*
 * Returns the sum as a double-double: *hi is the rounded sum and *lo the
 * rounded remainder, so hi + lo carries about 106 bits of the sum.
 */
void mc_xsum_round2(const mc_xsum *s, double *hi, double *lo);

/*
 * Returns e and sets *hi and *lo so that (*hi + *lo) * 2^e is the sum to
 * about 106 bits, with 1 <= |*hi| <= 2, whatever the sum's size: beyond
 * the double range, or below it, where mc_xsum_round2 would give an
 * infinity or lose bits.  A zero sum gives 0, 0 and e = 0; a NaN or
 * infinite one gives *hi = the sum, *lo = 0, e = 0.
 */
int mc_xsum_round2s(const mc_xsum *s, double *hi, double *lo);

/*
 * Writes the sum's text form into buf (size bytes): numbers separated by
 * single spaces, largest first, whose exact sum is the value ("0" for
 * zero; "nan", "inf" or "-inf" for the special sums).  Each term is the
 * remainder rounded to the nearest double, written as mc_fmt_double does;
 * a remainder beyond the double range, or one that rounds to zero, is
 * rounded to 53 bits instead and written in C99 hexadecimal form
 * ("0x1.8p+1025", "-0x1.2p-1100"), which has room for any exponent.  So
 * sums of ordinary values read as plain numbers, and no sum is lost.  At
 * most 82 terms (MC_XSUM_TERM bytes each, with the space): a buffer of
 * 4096 bytes always holds the whole form.  Returns the length needed, not
 * counting the NUL, as snprintf does.
 */
int mc_xsum_format(const mc_xsum *s, char *buf, int size);

/*
 * Adds the value of a text form (as mc_xsum_format writes) to s: decimal
 * or hexadecimal terms (a hexadecimal one exact, with at most 60
 * significant bits, of any exponent the accumulator holds).  Returns 0,
 * or -1 if text is not such a list, leaving s unchanged.
 */
int mc_xsum_parse_add(mc_xsum *s, const char *text);

/*
 * A compact exact sum: a 256-bit window of the accumulator, 40 bytes
 * instead of mc_xsum's kilobyte, for tables of many sums (mcstat's groups
 * times columns).  It holds the sum as long as the sum's bits fit 250
 * bits wherever they lie, as sums of ordinary values do (a price, a
 * count, a uniform variate and their squares, over billions of rows).
 * Zeroed memory is an empty window.
 */
typedef struct mc_xwin {
	uint64_t w[4];		/* W in two's complement, low word first */
	int32_t base;		/* the sum is W * 2^(base - 2148) */
	int32_t used;		/* 0 while nothing was added */
} mc_xwin;

/*
 * Adds x, or x * x, to w exactly.  Returns 0, or -1 leaving w unchanged
 * when the sum would not fit the window (or x is a NaN or an infinity):
 * the caller then moves to an mc_xsum.
 */
int mc_xwin_add(mc_xwin *w, double x);
int mc_xwin_add_sq(mc_xwin *w, double x);

/* The most values mc_xwin_add_block takes at once. */
#define MC_XWIN_BLOCK 64

/*
 * Adds the n values x[0..n) (n <= MC_XWIN_BLOCK) to sum and their squares
 * to sumsq, exactly, as mc_xwin_add and mc_xwin_add_sq would one by one,
 * but faster: values within a range of the block's largest are summed in
 * a 128-bit integer first, others one by one.  Returns 0, or -1 leaving
 * both unchanged when a sum would not fit its window (or a value is a NaN
 * or an infinity).
 */
int mc_xwin_add_block(mc_xwin *sum, mc_xwin *sumsq, const double *x,
    size_t n);

/* Adds the value of s to w, as mc_xwin_add does: 0, or -1 unchanged. */
int mc_xwin_add_xsum(mc_xwin *w, const mc_xsum *s);

/* Adds the value of w to s exactly. */
void mc_xwin_to_xsum(const mc_xwin *w, mc_xsum *s);

#endif
