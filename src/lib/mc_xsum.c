/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_xsum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"

/*
 * Each addition changes a digit by less than 2^32, so signed 64-bit digits
 * absorb 2^30 additions before carries must be propagated.
 */
#define CARRY_EVERY (UINT32_C(1) << 30)

void
mc_xsum_init(mc_xsum *s)
{
	memset(s, 0, sizeof(*s));
}

/* Propagates carries: digits 0..n-2 in [0, 2^32), the sign in the top. */
static void
carry(int64_t *limb)
{
	int i;

	for (i = 0; i < MC_XSUM_LIMBS - 1; i++) {
		int64_t c = limb[i] >> 32;	/* floor division by 2^32 */
		limb[i] -= c * ((int64_t)1 << 32);
		limb[i + 1] += c;
	}
}

void
mc_xsum_add(mc_xsum *s, double x)
{
	uint64_t bits, m;
	int e, k, i;
	unsigned __int128 v;

	if (x == 0)
		return;
	if (!isfinite(x)) {
		s->sval = s->special ? s->sval + x : x;
		s->special = 1;
		return;
	}
	memcpy(&bits, &x, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff);
	m = bits & ((UINT64_C(1) << 52) - 1);
	/* The value is m * 2^(k - 1074), k the position of m's lowest bit. */
	if (e == 0) {
		k = 0;
	} else {
		m |= UINT64_C(1) << 52;
		k = e - 1;
	}
	i = k / 32;
	v = (unsigned __int128)m << (k % 32);
	if (bits >> 63) {
		s->limb[i] -= (int64_t)(uint32_t)v;
		s->limb[i + 1] -= (int64_t)(uint32_t)(v >> 32);
		s->limb[i + 2] -= (int64_t)(uint64_t)(v >> 64);
	} else {
		s->limb[i] += (int64_t)(uint32_t)v;
		s->limb[i + 1] += (int64_t)(uint32_t)(v >> 32);
		s->limb[i + 2] += (int64_t)(uint64_t)(v >> 64);
	}
	if (++s->pending >= CARRY_EVERY) {
		carry(s->limb);
		s->pending = 0;
	}
}

void
mc_xsum_merge(mc_xsum *dst, const mc_xsum *src)
{
	mc_xsum t = *src;
	int i;

	/* Both sides carried, each digit sum stays far below 2^63. */
	carry(t.limb);
	carry(dst->limb);
	dst->pending = 0;
	for (i = 0; i < MC_XSUM_LIMBS; i++)
		dst->limb[i] += t.limb[i];
	if (src->special) {
		dst->sval = dst->special ? dst->sval + src->sval : src->sval;
		dst->special = 1;
	}
}

/*
 * Rounds the integer held in carried digits d (a copy) to the nearest
 * double.  Returns 0 for zero.
 */
static double
round_digits(int64_t *d)
{
	int neg = d[MC_XSUM_LIMBS - 1] < 0, t, i, bits, shift, sticky = 0;
	unsigned __int128 top = 0, rem, half;
	uint64_t mant;
	double r;

	if (neg) {
		for (i = 0; i < MC_XSUM_LIMBS; i++)
			d[i] = -d[i];
		carry(d);
	}
	for (t = MC_XSUM_LIMBS - 1; t >= 0 && d[t] == 0; t--)
		;
	if (t < 0)
		return 0;
	/* The top four digits, the rest folded into a sticky bit. */
	for (i = t; i > t - 4; i--)
		top = (top << 32) | (i >= 0 ? (uint64_t)d[i] : 0);
	for (i = t - 4; i >= 0; i--)
		sticky |= d[i] != 0;
	bits = 128 - (top >> 64 ? __builtin_clzll((uint64_t)(top >> 64)) :
	    64 + __builtin_clzll((uint64_t)top));
	shift = bits - 53;
	mant = (uint64_t)(top >> shift);
	/* The top digit is non-zero, so 44 <= shift <= 75. */
	rem = top & (((unsigned __int128)1 << shift) - 1);
	half = (unsigned __int128)1 << (shift - 1);
	if (rem > half || (rem == half && (sticky || (mant & 1))))
		mant++;
	r = ldexp((double)mant, shift + 32 * (t - 3) - 1074);
	return neg ? -r : r;
}

double
mc_xsum_round(const mc_xsum *s)
{
	int64_t d[MC_XSUM_LIMBS];

	if (s->special)
		return s->sval;
	memcpy(d, s->limb, sizeof(d));
	carry(d);
	return round_digits(d);
}

void
mc_xsum_round2(const mc_xsum *s, double *hi, double *lo)
{
	mc_xsum t = *s;

	*hi = mc_xsum_round(&t);
	*lo = 0;
	if (s->special || !isfinite(*hi))
		return;
	mc_xsum_add(&t, -*hi);
	*lo = mc_xsum_round(&t);
}

int
mc_xsum_format(const mc_xsum *s, char *buf, int size)
{
	mc_xsum t = *s;
	char num[MC_FMT_DBL];
	int len = 0, n;
	double h;

	if (s->special)
		return snprintf(buf, (size_t)size, "%s", isnan(s->sval) ?
		    "nan" : s->sval > 0 ? "inf" : "-inf");
	/*
	 * Each term is the remainder rounded, so it takes away at least 52
	 * bits and the list ends after at most about forty terms.
	 */
	for (;;) {
		h = mc_xsum_round(&t);
		if (h == 0 && len > 0)
			break;
		if (isinf(h))
			return snprintf(buf, (size_t)size, "%s",
			    h > 0 ? "inf" : "-inf");
		mc_fmt_double(num, h);
		n = snprintf(len < size ? buf + len : NULL,
		    len < size ? (size_t)(size - len) : 0, "%s%s",
		    len > 0 ? " " : "", num);
		len += n;
		if (h == 0)
			break;
		mc_xsum_add(&t, -h);
	}
	return len;
}

int
mc_xsum_parse_add(mc_xsum *s, const char *text)
{
	mc_xsum t = *s;
	const char *p = text;
	char *end;
	double x;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		x = strtod(p, &end);
		if (end == p || (*end != ' ' && *end != '\0'))
			return -1;
		/* "nan", "inf" and "-inf" stand alone, never in a list. */
		if (!isfinite(x) && (p != text || *end != '\0'))
			return -1;
		mc_xsum_add(&t, x);
		p = end;
	}
	if (p == text)
		return -1;
	*s = t;
	return 0;
}
