/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_fmt.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt_table.h"

/*
 * The old way, kept for the doubles the fast way does not cover: %.15g,
 * %.16g or %.17g, whichever is the first that reads back to x.  It is
 * also what the fast way must reproduce byte for byte.
 */
static int
fmt_slow(char *buf, double x)
{
	int prec, len = 0;

	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, MC_FMT_DBL, "%.*g", prec, x);
		if (prec == 17 || strtod(buf, NULL) == x)
			break;
	}
	return len;
}

/* ceil(log2(5^e)) for 1 <= e <= 3528, and 1 at e = 0. */
static inline int
pow5bits(int e)
{
	return (int)(((uint32_t)e * 1217359) >> 19) + 1;
}

/* floor(log10(2^e)) for 0 <= e <= 1650. */
static inline int
log10_pow2(int e)
{
	return (int)(((uint32_t)e * 78913) >> 18);
}

/* floor(log10(5^e)) for 0 <= e <= 2620. */
static inline int
log10_pow5(int e)
{
	return (int)(((uint32_t)e * 732923) >> 20);
}

/* Whether 5^p divides v. */
static inline int
multiple_of_pow5(uint64_t v, int p)
{
	int n = 0;

	while (v % 5 == 0 && v != 0) {
		v /= 5;
		n++;
	}
	return n >= p;
}

/* (m * mul) >> j for a 128-bit mul and j >= 64: the top of the product. */
static inline uint64_t
mul_shift(uint64_t m, const uint64_t mul[2], int j)
{
	unsigned __int128 b0 = (unsigned __int128)m * mul[0];
	unsigned __int128 b2 = (unsigned __int128)m * mul[1];

	return (uint64_t)(((b0 >> 64) + b2) >> (j - 64));
}

/*
 * Ryu's interval (U. Adams, PLDI 2018, steps 2-3): the value and its
 * bounds, vr inside [vm, vp], scaled by 10^-e10, and whether the
 * divisions that made vm and vr were exact.
 */
struct ryu {
	uint64_t vr, vp, vm;
	int e10, even, vm_zeros, vr_zeros;
};

/*
 * Fills r for the positive finite double with fields (mant, bexp).  The
 * value lies strictly inside [mm, mp] = [4m - 1 - mmshift, 4m + 2] 2^e2,
 * with the bounds in when m is even (strtod rounds ties to even).
 */
static void
ryu_interval(uint64_t mant, int bexp, struct ryu *r)
{
	uint64_t m2, mv;
	int e2, q, i, k, mmshift;

	e2 = (bexp == 0 ? 1 : bexp) - 1023 - 52 - 2;
	m2 = bexp == 0 ? mant : (UINT64_C(1) << 52) | mant;
	r->even = (m2 & 1) == 0;
	r->vm_zeros = r->vr_zeros = 0;
	mv = 4 * m2;
	/* The gap below is half the one above at a power of two. */
	mmshift = mant != 0 || bexp <= 1;
	if (e2 >= 0) {
		q = log10_pow2(e2) - (e2 > 3);
		r->e10 = q;
		k = MC_POW5_BITS + pow5bits(q) - 1;
		i = -e2 + q + k;
		r->vr = mul_shift(4 * m2, mc_pow5_inv[q], i);
		r->vp = mul_shift(4 * m2 + 2, mc_pow5_inv[q], i);
		r->vm = mul_shift(4 * m2 - 1 - (uint64_t)mmshift,
		    mc_pow5_inv[q], i);
		/* Whether the divisions by 10^q above were exact. */
		if (q <= 21) {
			if (mv % 5 == 0)
				r->vr_zeros = multiple_of_pow5(mv, q);
			else if (r->even)
				r->vm_zeros = multiple_of_pow5(mv - 1 -
				    (uint64_t)mmshift, q);
			else
				r->vp -= (uint64_t)multiple_of_pow5(mv + 2, q);
		}
		return;
	}
	q = log10_pow5(-e2) - (-e2 > 1);
	r->e10 = q + e2;
	i = -e2 - q;
	k = pow5bits(i) - MC_POW5_BITS;
	r->vr = mul_shift(4 * m2, mc_pow5[i], q - k);
	r->vp = mul_shift(4 * m2 + 2, mc_pow5[i], q - k);
	r->vm = mul_shift(4 * m2 - 1 - (uint64_t)mmshift, mc_pow5[i], q - k);
	if (q <= 1) {
		/* mv has two trailing zero bits, mp one. */
		r->vr_zeros = 1;
		if (r->even)
			r->vm_zeros = mmshift == 1;
		else
			r->vp--;
	} else if (q < 63) {
		r->vr_zeros = (mv & ((UINT64_C(1) << q) - 1)) == 0;
	}
}

/*
 * Ryu's step 4 for exact values, where ties and the bounds matter: drops
 * digits while the interval holds a shorter decimal, then while the lower
 * bound (which is in) drops zeros.  Returns the digits; *removed counts
 * the digits dropped.
 */
static uint64_t
ryu_exact(struct ryu *r, int *removed)
{
	int last = 0;

	while (r->vp / 10 > r->vm / 10 || (r->vm_zeros && r->vm % 10 == 0)) {
		r->vm_zeros &= r->vm % 10 == 0;
		r->vr_zeros &= last == 0;
		last = (int)(r->vr % 10);
		r->vr /= 10;
		r->vp /= 10;
		r->vm /= 10;
		(*removed)++;
	}
	if (r->vr_zeros && last == 5 && r->vr % 2 == 0)
		last = 4;	/* a tie: to even */
	return r->vr + ((r->vr == r->vm && (!r->even || !r->vm_zeros)) ||
	    last >= 5);
}

/*
 * The shortest decimal d * 10^e10 that reads back to the positive finite
 * double with fields (mant, bexp), and among the shortest the nearest to
 * it, ties to an even last digit: Ryu, steps 2-4.
 */
static uint64_t
shortest(uint64_t mant, int bexp, int *e10out)
{
	struct ryu r;
	uint64_t out;
	int removed = 0, up = 0;

	ryu_interval(mant, bexp, &r);
	if (r.vm_zeros || r.vr_zeros)
		out = ryu_exact(&r, &removed);
	else {
		/* The common case: two digits at a time first. */
		if (r.vp / 100 > r.vm / 100) {
			up = r.vr % 100 >= 50;
			r.vr /= 100;
			r.vp /= 100;
			r.vm /= 100;
			removed += 2;
		}
		while (r.vp / 10 > r.vm / 10) {
			up = r.vr % 10 >= 5;
			r.vr /= 10;
			r.vp /= 10;
			r.vm /= 10;
			removed++;
		}
		out = r.vr + (r.vr == r.vm || up);
	}
	*e10out = r.e10 + removed;
	return out;
}

/*
 * The shortest digits written as glibc's %.Pg would write them, where P is
 * the first of 15, 16, 17 whose %.Pg reads back: the digits are the same
 * (see mc_fmt_double), and so is the choice between 123.45 and 1.2345e+02.
 */
int
mc_fmt_double(char *buf, double x)
{
	union { double d; uint64_t u; } b = { x };
	uint64_t mant = b.u & ((UINT64_C(1) << 52) - 1), d;
	int bexp = (int)(b.u >> 52) & 0x7ff, neg = (int)(b.u >> 63);
	char dig[20], *p = buf;
	int nd, e10, X, prec, i;

	if (bexp == 0x7ff)
		return mant ? (int)(memcpy(buf, "nan", 4), 3) : neg ?
		    (int)(memcpy(buf, "-inf", 5), 4) :
		    (int)(memcpy(buf, "inf", 4), 3);
	if (bexp == 0 && mant == 0) {
		if (neg)
			*p++ = '-';
		memcpy(p, "0", 2);
		return (int)(p - buf) + 1;
	}
	/*
	 * %.15g writes the one 15-digit decimal in x's rounding interval
	 * when there is one (15-digit decimals are >= 4.5 ulp apart), and so
	 * do the shortest digits padded with zeros.  With 16 and 17 digits the
	 * nearest decimal of that length is in the interval whenever any is,
	 * and the shortest digits are that nearest one, except where the
	 * interval is lopsided: below a power of two, where 16 digits may
	 * round-trip only on the far side.  Subnormals have fewer bits than
	 * %.15g's digits.  Those two go the slow way.
	 */
	if (bexp == 0)
		return fmt_slow(buf, x);
	d = shortest(mant, bexp, &e10);
	for (nd = 0; d > 0; d /= 10)
		dig[nd++] = (char)('0' + d % 10);
	if (mant == 0 && nd == 16)
		return fmt_slow(buf, x);
	prec = nd < 15 ? 15 : nd;
	X = e10 + nd - 1;
	if (neg)
		*p++ = '-';
	if (X < -4 || X >= prec) {
		*p++ = dig[nd - 1];
		if (nd > 1) {
			*p++ = '.';
			for (i = nd - 2; i >= 0; i--)
				*p++ = dig[i];
		}
		*p++ = 'e';
		*p++ = X < 0 ? '-' : '+';
		if (X < 0)
			X = -X;
		if (X >= 100)
			*p++ = (char)('0' + X / 100);
		*p++ = (char)('0' + X / 10 % 10);
		*p++ = (char)('0' + X % 10);
	} else if (X < 0) {
		*p++ = '0';
		*p++ = '.';
		for (i = -1; i > X; i--)
			*p++ = '0';
		for (i = nd - 1; i >= 0; i--)
			*p++ = dig[i];
	} else {
		for (i = nd - 1; i >= 0; i--) {
			*p++ = dig[i];
			if (i == nd - 1 - X && i > 0)
				*p++ = '.';
		}
		for (i = nd - 1; i < X; i++)
			*p++ = '0';
	}
	*p = '\0';
	return (int)(p - buf);
}

/* Returns the end of s without trailing blanks. */
static const char *
trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* The powers of ten that a double holds exactly. */
static const double exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * w 10^e for 0 < w < 2^64, correctly rounded to a normal double, from a
 * product by a power of five of mc_fmt_table.h, or 0 when this cannot
 * tell (the caller falls back to strtod): e beyond the tables, a result
 * that is subnormal or overflows, or a value within the product's error
 * of a midpoint between two doubles.
 *
 * With W = w 2^lz in [2^63, 2^64), X = W P is formed exactly in 192 bits
 * (in [2^187, 2^189)), where P is 5^e to 125 bits (floor; exact for e <=
 * 53) or, for e < 0, floor(2^k / 5^-e) + 1 (a strict upper bound).  The
 * true value scaled as X is T = W 5^e 2^-s: T = X when P is exact, T in
 * (X, X + 2^64) when P was floored, T in (X - 2^64, X) for the inverse.
 * The 53 bits of X from its top and the bit below them (the half) round
 * T as they round X, unless T may lie across the midpoint from X, or on
 * it: only then, with a chance of about 2^-70, does this give up.
 * Crossing a power of two instead is harmless: T is then far nearer the
 * power of two (2^64 against half an ulp of at least 2^134) than a
 * midpoint, and so is X.
 */
static int
parse_exact(uint64_t w, int e, double *out)
{
	int lz = __builtin_clzll(w), sh, E, half, up;
	uint64_t W = w << lz, x0, x1, x2, rx, mant, bits;
	const uint64_t *P;
	unsigned __int128 p1, p2;

	if (e > 325 || e < -341)
		return 0;
	if (e >= 0) {
		P = mc_pow5[e];
		E = e + pow5bits(e) - MC_POW5_BITS - lz;
	} else {
		P = mc_pow5_inv[-e];
		E = e - (pow5bits(-e) - 1 + MC_POW5_BITS) - lz;
	}
	p1 = (unsigned __int128)W * P[0];
	p2 = (unsigned __int128)W * P[1] + (p1 >> 64);
	x0 = (uint64_t)p1;
	x1 = (uint64_t)p2;
	x2 = (uint64_t)(p2 >> 64);
	/* The half is bit sh of x2, the 53 bits above it the mantissa. */
	sh = 63 - __builtin_clzll(x2) - 53;
	rx = x2 & ((UINT64_C(1) << sh) - 1);
	half = (int)(x2 >> sh & 1);
	mant = x2 >> (sh + 1);
	/* X = (mant + ...) 2^(sh + 129), a double 1.f 2^E. */
	E += 52 + sh + 129;
	if (E < -1022 || E > 1023)
		return 0;
	if (e >= 0 && e <= 53)
		up = half && ((rx | x1 | x0) != 0 || (mant & 1));
	else if (e >= 0) {
		if (!half && rx == (UINT64_C(1) << sh) - 1 && x1 == UINT64_MAX)
			return 0;
		up = half;
	} else {
		if (half && rx == 0 && x1 <= 1)
			return 0;
		up = half;
	}
	mant += (uint64_t)up;
	if (mant >> 53) {
		mant >>= 1;
		if (++E > 1023)
			return 0;
	}
	bits = (uint64_t)(E + 1023) << 52 | (mant & ((UINT64_C(1) << 52) - 1));
	memcpy(out, &bits, sizeof(*out));
	return 1;
}

/*
 * The value of eight decimal digits at once, as a little-endian word x
 * of the digits' values (0 to 9, the first in the lowest byte).
 */
static inline uint64_t
eight_digits(uint64_t x)
{
	/* Pairs 10 d0 + d1 in bytes 0, 2, 4 and 6 (no carries: <= 99). */
	x = x * 10 + (x >> 8);
	/* Then the four pairs times 10^6, 10^4, 10^2 and 1, in bits 32-63. */
	return ((x & UINT64_C(0x000000ff000000ff)) * (100 + (UINT64_C(1000000)
	    << 32)) + ((x >> 16) & UINT64_C(0x000000ff000000ff)) * (1 +
	    (UINT64_C(10000) << 32))) >> 32;
}

/* The same for eight ASCII digits. */
static inline uint64_t
eight_value(uint64_t x)
{
	return eight_digits(x - UINT64_C(0x3030303030303030));
}

/*
 * Reads the digits from p (before end) into *w, counting them in *nd.
 * Returns where they end, or NULL when there are more than 19 of them in
 * all (*w is then not to be used).
 */
static const char *
digits(const char *p, const char *end, uint64_t *w, int *nd)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t hi = UINT64_C(0xf0f0f0f0f0f0f0f0);
	uint64_t x;

	/* Eight at a time while eight digits follow: each byte is 0x30 to
	 * 0x39, its high nibble 3 and still 3 after adding 6 (a carry out
	 * of a byte spoils its own nibble first). */
	while (end - p >= 8 && *nd <= 11) {
		memcpy(&x, p, 8);
		if (((x & hi) | (((x + UINT64_C(0x0606060606060606)) & hi) >>
		    4)) != UINT64_C(0x3333333333333333))
			break;
		*w = *w * 100000000 + eight_value(x);
		*nd += 8;
		p += 8;
	}
#endif
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (*nd == 19)
			return NULL;
		*w = *w * 10 + (uint64_t)(*p - '0');
		++*nd;
	}
	return p;
}

/*
 * Reads digits [. digits] at *p (before end) as w 10^e with at
 * most 19 digits in w, moving *p past them.  With skip, leading zeros
 * are not counted: they only scale.  Returns 1, 0 when there are no
 * digits, or -1 when there are more than 19.
 */
static int
mantissa(const char **p, const char *end, uint64_t *w, int *e, int skip)
{
	const char *q = *p, *d0 = q, *f;
	int nd = 0, ndig;

	*w = 0;
	*e = 0;
	if (skip)
		for (; q < end && *q == '0'; q++)
			;
	if ((q = digits(q, end, w, &nd)) == NULL)
		return -1;
	ndig = (int)(q - d0);
	if (q < end && *q == '.') {
		f = ++q;
		if (skip && nd == 0)
			while (q < end && *q == '0')
				q++;
		*e = -(int)(q - f);
		if ((d0 = digits(q, end, w, &nd)) == NULL)
			return -1;
		*e -= (int)(d0 - q);
		ndig += (int)(d0 - f);
		q = d0;
	}
	*p = q;
	return ndig > 0;
}

/*
 * Reads [sign] digits [. digits] [e [sign] digits] and trailing blanks,
 * the whole of [p, end), a subset of what strtod takes, as w 10^e with at
 * most 19 significant digits in w (leading zeros are not).  Returns 1,
 * or 0 when the text is not of that form.
 */
static int
decimal(const char *p, const char *end, uint64_t *w, int *e, int *neg)
{
	const char *m;
	int ev = 0, eneg = 0, rc;

	/* No branch on the sign: in a column of random signs it would be
	 * guessed wrong half the time. */
	*neg = p < end && *p == '-';
	p += p < end && (*p == '-' || *p == '+');
	/* Leading zeros counted as digits first, which costs no branch on
	 * how many there are (0.5, 0.05, 1.5); only a number of more than
	 * 19 digits in all is read again without them. */
	m = p;
	if ((rc = mantissa(&p, end, w, e, 0)) < 0)
		rc = mantissa(&m, end, w, e, 1), p = m;
	if (rc <= 0)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		if (!(p < end && *p >= '0' && *p <= '9'))
			return 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((ev = ev * 10 + (*p - '0')) > 1000)
				return 0;
		*e += eneg ? -ev : ev;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end;
}

/*
 * A decimal w 10^e of at most 19 digits: parse_exact, with no division
 * and no branch on the value's digits; where it gives up (a subnormal,
 * or within its error of a midpoint), Clinger's fast path ("How to read
 * floating point numbers accurately", PLDI 1990) for w <= 2^53 and |e|
 * <= 22, w * 10^e or w / 10^-e, one IEEE operation on two exact
 * operands, so correctly rounded as strtod's result is.  Returns 1 with
 * *out set, or 0 to leave the text to strtod.
 */
static int
parse_fast(const char *p, const char *end, double *out)
{
	uint64_t w, bits;
	int neg, e;
	double v;

#if FLT_EVAL_METHOD != 0
	return 0;	/* x87: an operation may round twice */
#endif
	if (!decimal(p, end, &w, &e, &neg))
		return 0;
	if (w == 0)
		v = 0;
	else if (parse_exact(w, e, &v))
		;
	else if (w <= (UINT64_C(1) << 53) && e >= -22 && e <= 22)
		v = e < 0 ? (double)w / exact_pow10[-e] :
		    (double)w * exact_pow10[e];
	else
		return 0;
	/* v >= 0: the sign bit set without a branch (see decimal). */
	memcpy(&bits, &v, sizeof(bits));
	bits |= (uint64_t)neg << 63;
	memcpy(out, &bits, sizeof(bits));
	return 1;
}

const char *
mc_parse_double_n(const char *s, size_t len, double *out)
{
	const char *end = s + len;
	char *stop;
	double v;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (parse_fast(s, end, out))
		return NULL;
	end = trim_end(s, end);
	/* strtod would take hex floats and "infinity"; they are fine. */
	if (s == end || !(isdigit((unsigned char)*s) || strchr("+-.nNiI", *s)))
		return "expected a number";
	errno = 0;
	v = strtod(s, &stop);
	if (stop == s || stop != end)
		return "expected a number";
	if (errno == ERANGE && fabs(v) > 1.0)
		return "number out of range";
	*out = v;
	return NULL;
}

const char *
mc_parse_double(const char *s, double *out)
{
	return mc_parse_double_n(s, strlen(s), out);
}

const char *
mc_parse_count(const char *s, uint64_t *out)
{
	const char *p, *why;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (p > s && *trim_end(p, p + strlen(p)) == '\0' &&
	    trim_end(p, p + strlen(p)) == p) {
		/* Plain digits: exact, without going through a double. */
		uint64_t n = 0;
		for (p = s; isdigit((unsigned char)*p); p++) {
			unsigned d = (unsigned)(*p - '0');
			if (n > (UINT64_C(0x7fffffffffffffff) - d) / 10)
				return "count out of range (at most 2^63-1)";
			n = n * 10 + d;
		}
		*out = n;
		return NULL;
	}
	if (*s == '-')
		return "expected a count of 0 or more";
	if ((why = mc_parse_double(s, &v)) != NULL && *s != '-' &&
	    strcmp(why, "number out of range") == 0)
		return "count out of range (at most 2^63-1)";
	if (why != NULL || isnan(v))
		return "expected a count like 1000 or 1e6";
	if (v < 0)
		return "expected a count of 0 or more";
	if (v >= 9223372036854775808.0)
		return "count out of range (at most 2^63-1)";
	if (v != floor(v))
		return "expected a whole count";
	*out = (uint64_t)v;
	return NULL;
}

const char *
mc_parse_u64(const char *s, uint64_t *out)
{
	char *stop;
	const char *end;
	unsigned long long v;
	int hex;

	while (*s == ' ' || *s == '\t')
		s++;
	end = trim_end(s, s + strlen(s));
	hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (s == end || !isdigit((unsigned char)*s))
		return "expected a whole number from 0 to 2^64-1";
	errno = 0;
	/* Base 10 unless 0x: a leading zero is not octal here. */
	v = strtoull(s, &stop, hex ? 16 : 10);
	if (stop != end && !hex)
		return mc_parse_count(s, out) == NULL ? NULL :
		    "expected a whole number from 0 to 2^64-1";
	if (stop != end)
		return "expected a whole number from 0 to 2^64-1";
	if (errno == ERANGE)
		return "number out of range (at most 2^64-1)";
	*out = (uint64_t)v;
	return NULL;
}
