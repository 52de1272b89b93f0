/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_xsum: an exact sum of doubles (a Kulisch-style long accumulator).
 *
 * Every finite double is a whole multiple of 2^-1074, so a wide enough
 * fixed-point integer holds any sum of them without rounding.  Additions
 * commute exactly, so a sum split over shards, threads or hosts and merged
 * in any order is the same number, and rounds to the same double.  The
 * text form is a list of doubles whose exact sum is the value, the first
 * being the value rounded, so it reads as the sum and merges losslessly.
 */
#ifndef MC_XSUM_H
#define MC_XSUM_H

#include <stdint.h>

/* 32-bit digits from 2^-1074 up past 2^1088, room for 2^64 additions. */
#define MC_XSUM_LIMBS 70

typedef struct mc_xsum {
	int64_t limb[MC_XSUM_LIMBS];	/* digit i weighs 2^(32 i - 1074) */
	uint32_t pending;		/* additions since the last carry */
	int special;			/* 1 if a NaN or infinity was added */
	double sval;			/* their sum: NaN, inf or -inf */
} mc_xsum;

/* Sets s to zero. */
void mc_xsum_init(mc_xsum *s);

/* Adds x exactly.  NaN and infinities make the sum NaN or infinite. */
void mc_xsum_add(mc_xsum *s, double x);

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
 * Writes the sum's text form into buf (size bytes): doubles separated by
 * single spaces, largest first, whose exact sum is the value ("0" for
 * zero; "nan", "inf" or "-inf" for the special sums; "inf" or "-inf" as
 * well for a finite sum beyond the double range).  Returns the length
 * needed, not counting the NUL, as snprintf does.
 */
int mc_xsum_format(const mc_xsum *s, char *buf, int size);

/*
 * Adds the value of a text form (as mc_xsum_format writes) to s.
 * Returns 0, or -1 if text is not such a list, leaving s unchanged.
 */
int mc_xsum_parse_add(mc_xsum *s, const char *text);

#endif
