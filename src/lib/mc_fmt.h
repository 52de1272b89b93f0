/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fmt: numbers to text and back.
 *
 * Output always uses '.' as the decimal point (the programs never call
 * setlocale) and the shortest form that reads back to the same double.
 * Input parsing is strict: the whole field must be the number.
 */
#ifndef MC_FMT_H
#define MC_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Enough for "-1.2345678901234567e-308" and the NUL. */
#define MC_FMT_DBL 32

/*
 * Writes x into buf (at least MC_FMT_DBL bytes) in the shortest %g form
 * that strtod reads back to the same double; NaN is "nan", infinities are
 * "inf" and "-inf".  Returns the length written.
 */
int mc_fmt_double(char *buf, double x);

/*
 * Parses a whole field as a double.  Leading and trailing blanks are
 * allowed; "nan", "inf" and "-inf" are accepted (callers that need a finite
 * number check isfinite).  Returns NULL on success, or a reason to put in a
 * message: "expected a number" for an empty field or trailing junk, or
 * "number out of range" for an overflow such as 1e999.
 */
const char *mc_parse_double(const char *s, double *out);

/* The same for the len bytes at s, which a NUL follows (s[len] == 0),
 * without finding the length again. */
const char *mc_parse_double_n(const char *s, size_t len, double *out);

/*
 * Parses a non-negative whole count, written as digits ("1000000") or in
 * floating-point form ("1e6", "2.5e3") that is a whole number.  Counts
 * above 2^63 - 1 are refused.  Returns NULL or a reason, as above.
 */
const char *mc_parse_count(const char *s, uint64_t *out);

/*
 * Parses a 64-bit unsigned integer (a seed): decimal digits or 0x hex.
 * Returns NULL or a reason.
 */
const char *mc_parse_u64(const char *s, uint64_t *out);

#endif
