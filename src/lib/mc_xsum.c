/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_xsum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"

#define LIMBS MC_XSUM_LIMBS

/*
 * Bit positions count from bit 0 of digit 0, which weighs 2^-BIAS: the
 * bit at position p weighs 2^(p - BIAS).  A double's lowest bit, 2^-1074,
 * is at POS_DBL.
 */
#define BIAS 2148
#define POS_DBL (BIAS - 1074)

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

	for (i = 0; i < LIMBS - 1; i++) {
		int64_t c = limb[i] >> 32;	/* floor division by 2^32 */
		limb[i] -= c * ((int64_t)1 << 32);
		limb[i + 1] += c;
	}
}

/* Counts one addition, and propagates carries when they are due. */
static void
added(mc_xsum *s)
{
	if (++s->pending >= CARRY_EVERY) {
		carry(s->limb);
		s->pending = 0;
	}
}

/*
 * Adds (neg: subtracts) the integer whose 32-bit digits are dig[0..n),
 * times 2^(pos - BIAS); callers keep it below 2^2112.  Each digit of s
 * changes by less than 2^32.
 */
static void
add_digits(mc_xsum *s, int neg, const uint32_t *dig, int n, int pos)
{
	int64_t *limb = s->limb + pos / 32;
	int sh = pos % 32, j;
	uint64_t w, c = 0;

	/* Digits past the top would only get zeros. */
	if (n >= LIMBS - pos / 32)
		n = LIMBS - pos / 32 - 1;
	for (j = 0; j <= n; j++) {
		w = (j < n ? (uint64_t)dig[j] << sh : 0) | c;
		c = w >> 32;
		if (neg)
			limb[j] -= (int64_t)(uint32_t)w;
		else
			limb[j] += (int64_t)(uint32_t)w;
	}
	added(s);
}

/* Adds (neg: subtracts) q * 2^(pos - BIAS), q below 2^64. */
static void
add_scaled(mc_xsum *s, int neg, uint64_t q, int pos)
{
	uint32_t dig[2] = { (uint32_t)q, (uint32_t)(q >> 32) };

	add_digits(s, neg, dig, 2, pos);
}

/* Adds a NaN or an infinity. */
static void
add_special(mc_xsum *s, double x)
{
	s->sval = s->special ? s->sval + x : x;
	s->special = 1;
}

/*
 * Splits a finite non-zero x into its sign and m * 2^(k - 1074), m below
 * 2^53, k the position of m's bit 0 above 2^-1074.
 */
static void
split(double x, uint64_t *m, int *k, int *neg)
{
	uint64_t bits;
	int e;

	memcpy(&bits, &x, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff);
	*m = bits & ((UINT64_C(1) << 52) - 1);
	*neg = (int)(bits >> 63);
	if (e == 0) {
		*k = 0;
	} else {
		*m |= UINT64_C(1) << 52;
		*k = e - 1;
	}
}

void
mc_xsum_add(mc_xsum *s, double x)
{
	uint64_t m;
	int k, neg;

	if (x == 0)
		return;
	if (!isfinite(x)) {
		add_special(s, x);
		return;
	}
	split(x, &m, &k, &neg);
	add_scaled(s, neg, m, k + POS_DBL);
}

void
mc_xsum_add_sq(mc_xsum *s, double x)
{
	unsigned __int128 p;
	uint32_t dig[4];
	uint64_t m;
	int k, neg, j;

	if (x == 0)
		return;
	if (!isfinite(x)) {
		add_special(s, x * x);
		return;
	}
	split(x, &m, &k, &neg);
	/* x^2 = m^2 * 2^(2k - 2148): 106 bits at position 2k. */
	p = (unsigned __int128)m * m;
	for (j = 0; j < 4; j++)
		dig[j] = (uint32_t)(p >> (32 * j));
	add_digits(s, 0, dig, 4, 2 * k);
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
	for (i = 0; i < LIMBS; i++)
		dst->limb[i] += t.limb[i];
	if (src->special)
		add_special(dst, src->sval);
}

/* A carried copy of a finite sum as sign and magnitude. */
struct mag {
	int64_t d[LIMBS];	/* digits in [0, 2^32), the top one wider */
	int neg;
	int msb;		/* the position of the highest set bit, or -1 */
};

static void
get_mag(const mc_xsum *s, struct mag *m)
{
	int i;

	memcpy(m->d, s->limb, sizeof(m->d));
	carry(m->d);
	m->neg = m->d[LIMBS - 1] < 0;
	if (m->neg) {
		for (i = 0; i < LIMBS; i++)
			m->d[i] = -m->d[i];
		carry(m->d);
	}
	for (i = LIMBS - 1; i >= 0 && m->d[i] == 0; i--)
		;
	m->msb = i < 0 ? -1 :
	    32 * i + 63 - __builtin_clzll((uint64_t)m->d[i]);
}

/* Bits lo ... lo + n - 1 of m (n <= 60, lo >= 0) as an integer. */
static uint64_t
get_bits(const struct mag *m, int lo, int n)
{
	unsigned __int128 acc = 0;
	int i = lo / 32, k;

	for (k = 0; k < 3 && i + k < LIMBS; k++)
		acc |= (unsigned __int128)(uint64_t)m->d[i + k] << (32 * k);
	return (uint64_t)(acc >> (lo % 32)) & ((UINT64_C(1) << n) - 1);
}

/* Returns 1 if any bit of m below position p is set. */
static int
any_below(const struct mag *m, int p)
{
	int i;

	for (i = 0; i < p / 32; i++)
		if (m->d[i] != 0)
			return 1;
	return p % 32 != 0 &&
	    (m->d[p / 32] & (((int64_t)1 << (p % 32)) - 1)) != 0;
}

/*
 * Rounds m to the nearest multiple of 2^lsb (ties to even) and returns it
 * divided by 2^lsb.  lsb >= 0 and lsb >= msb - 52, so the result is at
 * most 2^53.
 */
static uint64_t
round_at(const struct mag *m, int lsb)
{
	uint64_t q;

	if (m->msb < lsb - 1)
		return 0;
	q = m->msb < lsb ? 0 : get_bits(m, lsb, m->msb - lsb + 1);
	if (lsb > 0 && get_bits(m, lsb - 1, 1) &&
	    ((q & 1) || any_below(m, lsb - 1)))
		q++;
	return q;
}

/* m rounded to 53 bits whatever its exponent: q * 2^(*lsb - BIAS). */
static uint64_t
round53(const struct mag *m, int *lsb)
{
	*lsb = m->msb > 52 ? m->msb - 52 : 0;
	return round_at(m, *lsb);
}

/* m rounded to the nearest double, with its sign. */
static double
mag_double(const struct mag *m)
{
	int lsb = m->msb - 52 > POS_DBL ? m->msb - 52 : POS_DBL;
	double r;

	if (m->msb < 0)
		return 0;
	/* At most 2^53 times a power of two: ldexp is exact, or inf. */
	r = ldexp((double)round_at(m, lsb), lsb - BIAS);
	return m->neg ? -r : r;
}

double
mc_xsum_round(const mc_xsum *s)
{
	struct mag m;

	if (s->special)
		return s->sval;
	get_mag(s, &m);
	return mag_double(&m);
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
mc_xsum_round2s(const mc_xsum *s, double *hi, double *lo)
{
	mc_xsum t;
	struct mag m;
	uint64_t q;
	int lsb, e;

	*hi = *lo = 0;
	if (s->special) {
		*hi = s->sval;
		return 0;
	}
	get_mag(s, &m);
	if (m.msb < 0)
		return 0;
	e = m.msb - BIAS;
	q = round53(&m, &lsb);
	*hi = ldexp((double)q, lsb - BIAS - e);
	if (m.neg)
		*hi = -*hi;
	t = *s;
	add_scaled(&t, !m.neg, q, lsb);
	get_mag(&t, &m);
	if (m.msb >= 0) {
		q = round53(&m, &lsb);
		/* Far below hi, this may underflow: it is noise there. */
		*lo = ldexp((double)q, lsb - BIAS - e);
		if (m.neg)
			*lo = -*lo;
	}
	return e;
}

/* Writes q * 2^e (0 < q <= 2^53) as [-]0x1.hhhp[+-]d.  Returns the length. */
static int
format_hex(char *buf, int neg, uint64_t q, int e)
{
	uint64_t f;
	int len, nd;

	while (q < (UINT64_C(1) << 52)) {
		q <<= 1;
		e--;
	}
	while (q >= (UINT64_C(1) << 53)) {
		q >>= 1;
		e++;
	}
	f = q - (UINT64_C(1) << 52);
	len = sprintf(buf, "%s0x1", neg ? "-" : "");
	for (nd = 13; nd > 0 && f % 16 == 0; nd--)
		f /= 16;
	if (nd > 0)
		len += sprintf(buf + len, ".%0*llx", nd, (unsigned long long)f);
	return len + sprintf(buf + len, "p%+d", e + 52);
}

/*
 * Takes the next term off t: the remainder rounded to the nearest double,
 * or, where that is zero or infinite, to 53 bits in hexadecimal.  Writes
 * it into num.  Returns 0, or -1 when t is zero.
 */
static int
next_term(mc_xsum *t, char *num)
{
	struct mag m;
	uint64_t q;
	double h;
	int lsb;

	get_mag(t, &m);
	if (m.msb < 0)
		return -1;
	h = mag_double(&m);
	if (h != 0 && isfinite(h)) {
		mc_fmt_double(num, h);
		mc_xsum_add(t, -h);
		return 0;
	}
	q = round53(&m, &lsb);
	format_hex(num, m.neg, q, lsb - BIAS);
	add_scaled(t, !m.neg, q, lsb);
	return 0;
}

/*
 * Returns 1 when every limb of s is 0, so that s is 0 without a carry;
 * a 0 spelt with carries pending gives 0 and goes the long way.
 */
static int
all_zero(const mc_xsum *s)
{
	int64_t any = 0;
	int i;

	for (i = 0; i < LIMBS; i++)
		any |= s->limb[i];
	return any == 0;
}

int
mc_xsum_format(const mc_xsum *s, char *buf, int size)
{
	mc_xsum t = *s;
	char num[MC_XSUM_TERM];
	int len = 0, n;

	if (s->special)
		return snprintf(buf, (size_t)size, "%s", isnan(s->sval) ?
		    "nan" : s->sval > 0 ? "inf" : "-inf");
	/* A book's shard writes the empty sums of most rows. */
	if (all_zero(s))
		return snprintf(buf, (size_t)size, "0");
	/*
	 * Each term is the remainder rounded, so it takes away at least 52
	 * bits: fewer than 90 terms over the accumulator's 4261 bits.
	 */
	while (next_term(&t, num) == 0) {
		n = snprintf(len < size ? buf + len : NULL,
		    len < size ? (size_t)(size - len) : 0, "%s%s",
		    len > 0 ? " " : "", num);
		len += n;
	}
	if (len == 0)
		len = snprintf(buf, (size_t)size, "0");
	return len;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reads a hexadecimal term [+-]0xH[.H][p[+-]D] at p into s, exactly, and
 * sets *end after it.  Returns 1 if p does not start with 0x, 0, or -1
 * if the term is malformed, not exact (more than 60 significant bits) or
 * beyond the accumulator.
 */
static int
parse_hex(mc_xsum *s, const char *p, const char **end)
{
	uint64_t mant = 0;
	long e = 0, pe = 0;
	int neg = *p == '-', digits = 0, frac = 0, esign = 1, v, n;

	if (*p == '-' || *p == '+')
		p++;
	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return 1;
	for (p += 2; (v = hexval(*p)) >= 0 || (*p == '.' && !frac); p++) {
		if (*p == '.') {
			frac = 1;
			continue;
		}
		if (mant >> 56)
			return -1;
		mant = mant * 16 + (uint64_t)v;
		e -= 4 * frac;
		digits++;
	}
	if (digits == 0)
		return -1;
	if (*p == 'p' || *p == 'P') {
		p++;
		if (*p == '-' || *p == '+')
			esign = *p++ == '-' ? -1 : 1;
		for (n = 0; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 6)
				pe = pe * 10 + (*p - '0');
		if (n == 0 || n > 5)
			return -1;
	}
	*end = p;
	e += esign * pe;
	if (mant == 0)
		return 0;
	for (; mant % 2 == 0; mant /= 2)
		e++;
	/* From 2^-2148 to below 2^2112, where sums of squares end. */
	if (e < -BIAS || e + 64 - __builtin_clzll(mant) > 2112)
		return -1;
	add_scaled(s, neg, mant, (int)e + BIAS);
	return 0;
}

int
mc_xsum_parse_add(mc_xsum *s, const char *text)
{
	mc_xsum t = *s;
	const char *p = text, *end;
	char *dend;
	double x;
	int rc;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if ((rc = parse_hex(&t, p, &end)) <= 0) {
			if (rc < 0 || (*end != ' ' && *end != '\0'))
				return -1;
			p = end;
			continue;
		}
		x = strtod(p, &dend);
		if (dend == p || (*dend != ' ' && *dend != '\0'))
			return -1;
		/* "nan", "inf" and "-inf" stand alone, never in a list. */
		if (!isfinite(x) && (p != text || *dend != '\0'))
			return -1;
		mc_xsum_add(&t, x);
		p = dend;
	}
	if (p == text)
		return -1;
	*s = t;
	return 0;
}

/*
 * The window: W, a 256-bit two's complement integer, kept within
 * +/- 2^WIN_BITS, and values added below 2^WIN_BITS, so that a sum never
 * wraps.
 */
#define WIN_BITS 250

/* The bit length of |a|, a in two's complement; tmp gets |a|. */
static int
abs_bits(const uint64_t *a, uint64_t *tmp)
{
	int i, neg = (int64_t)a[3] < 0;
	unsigned __int128 c = 1;

	for (i = 0; i < 4; i++) {
		if (neg) {
			c += ~a[i];
			tmp[i] = (uint64_t)c;
			c >>= 64;
		} else
			tmp[i] = a[i];
	}
	for (i = 3; i >= 0 && tmp[i] == 0; i--)
		;
	return i < 0 ? 0 : 64 * i + 64 - __builtin_clzll(tmp[i]);
}

/* a += b (neg: a -= b), modulo 2^256. */
static void
add256(uint64_t *a, const uint64_t *b, int neg)
{
	unsigned __int128 c = neg;
	int i;

	for (i = 0; i < 4; i++) {
		c += (unsigned __int128)a[i] + (neg ? ~b[i] : b[i]);
		a[i] = (uint64_t)c;
		c >>= 64;
	}
}

/* a << d (0 <= d < 256), modulo 2^256. */
static void
shl256(uint64_t *a, int d)
{
	int i, q = d / 64, r = d % 64;

	for (i = 3; i >= 0; i--) {
		uint64_t hi = i - q >= 0 ? a[i - q] : 0;
		uint64_t lo = i - q - 1 >= 0 ? a[i - q - 1] : 0;
		a[i] = r ? hi << r | lo >> (64 - r) : hi;
	}
}

/* a >> d, arithmetic (0 <= d < 256). */
static void
sar256(uint64_t *a, int d)
{
	uint64_t fill = (int64_t)a[3] < 0 ? ~UINT64_C(0) : 0;
	int i, q = d / 64, r = d % 64;

	for (i = 0; i < 4; i++) {
		uint64_t lo = i + q < 4 ? a[i + q] : fill;
		uint64_t hi = i + q + 1 < 4 ? a[i + q + 1] : fill;
		a[i] = r ? lo >> r | hi << (64 - r) : lo;
	}
}

/* The number of trailing zero bits of a (a != 0). */
static int
tz256(const uint64_t *a)
{
	int i;

	for (i = 0; a[i] == 0; i++)
		;
	return 64 * i + __builtin_ctzll(a[i]);
}

/*
 * Adds (neg: subtracts) mag * 2^(pos - BIAS) to x, mag a 256-bit magnitude
 * of mbits bits (at most two words of it when the window need not slide).  The window slides down for lower bits while its top has
 * room, and up while its low bits are zero.  Returns 0, or -1 unchanged.
 */
static int
win_add(mc_xwin *x, int neg, const uint64_t *mag, int mbits, int pos)
{
	uint64_t w[4], a[4], tmp[4];
	int base = x->base, d;

	if (mbits == 0)
		return 0;
	if (mbits > WIN_BITS)
		return -1;
	memcpy(w, x->w, sizeof(w));
	/* The common case: the value lies inside the window as it is. */
	if (x->used && mbits <= 128 && pos >= base &&
	    pos - base + mbits <= WIN_BITS) {
		d = pos - base;
		memset(a, 0, sizeof(a));
		a[d / 64] = mag[0] << (d % 64);
		if (d / 64 + 1 < 4)
			a[d / 64 + 1] = (d % 64 ? mag[0] >> (64 - d % 64) : 0) |
			    mag[1] << (d % 64);
		if (d / 64 + 2 < 4 && d % 64)
			a[d / 64 + 2] = mag[1] >> (64 - d % 64);
		add256(w, a, neg);
		goto check;
	}
	if (!x->used || (w[0] | w[1] | w[2] | w[3]) == 0) {
		memset(w, 0, sizeof(w));
		base = pos;
	} else if (pos < base) {
		d = base - pos;
		if (d > WIN_BITS || abs_bits(w, tmp) + d > WIN_BITS)
			return -1;
		shl256(w, d);
		base = pos;
	}
	d = pos - base;
	if (d + mbits > WIN_BITS) {
		int r = d + mbits - WIN_BITS;
		if (r >= 256 || tz256(w) < r)
			return -1;
		sar256(w, r);
		base += r;
		d -= r;
	}
	memcpy(a, mag, sizeof(a));
	if (d > 0)
		shl256(a, d);
	add256(w, a, neg);
check:
	/* Bits 250 to 255 all alike: |W| <= 2^250, room for the next. */
	if ((int64_t)w[3] >> 58 != 0 && (int64_t)w[3] >> 58 != -1)
		return -1;
	memcpy(x->w, w, sizeof(w));
	x->base = base;
	x->used = 1;
	return 0;
}

/* Adds x, or x * x when sq is set, to w: 0, or -1 unchanged. */
static int
win_value(mc_xwin *w, double x, int sq)
{
	unsigned __int128 p;
	uint64_t m, a[4] = { 0 };
	int k, neg;

	if (x == 0)
		return 0;
	if (!isfinite(x))
		return -1;
	split(x, &m, &k, &neg);
	if (!sq)
		a[0] = m;
	else {
		p = (unsigned __int128)m * m;
		a[0] = (uint64_t)p;
		a[1] = (uint64_t)(p >> 64);
	}
	return win_add(w, neg && !sq, a, a[1] ? 128 - __builtin_clzll(a[1]) :
	    64 - __builtin_clzll(a[0]), sq ? 2 * k : k + POS_DBL);
}

int
mc_xwin_add(mc_xwin *w, double x)
{
	return win_value(w, x, 0);
}

int
mc_xwin_add_sq(mc_xwin *w, double x)
{
	return win_value(w, x, 1);
}

/* Adds the signed 128-bit a times 2^(pos - BIAS) to w: 0, or -1. */
static int
win_add128(mc_xwin *w, __int128 a, int pos)
{
	unsigned __int128 m = a < 0 ? -(unsigned __int128)a :
	    (unsigned __int128)a;
	uint64_t mag[4] = { (uint64_t)m, (uint64_t)(m >> 64), 0, 0 };

	return win_add(w, a < 0, mag, mag[1] ? 128 - __builtin_clzll(mag[1]) :
	    mag[0] ? 64 - __builtin_clzll(mag[0]) : 0, pos);
}

int
mc_xwin_add_block(mc_xwin *sum, mc_xwin *sumsq, const double *x, size_t n)
{
	mc_xwin w = *sum, q = *sumsq;
	__int128 as = 0, aq = 0;
	uint64_t m;
	int k, neg, kmax = 0, lo_s, lo_q;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return -1;
		if (x[i] != 0) {
			split(x[i], &m, &k, &neg);
			kmax = k > kmax ? k : kmax;
		}
	}
	/*
	 * The bits of the 128-bit sums start at lo_s and lo_q: a value is
	 * below 2^53 (its square below 2^106) times 2^kmax (2^2kmax), so
	 * shifted it stays below 2^121 (2^120), and 64 of them below 2^127.
	 * Values whose lowest bit lies below lo are added one by one.
	 */
	lo_s = kmax - 68;
	lo_q = 2 * kmax - 14 > 0 ? 2 * kmax - 14 : 0;
	for (i = 0; i < n; i++) {
		if (x[i] == 0)
			continue;
		split(x[i], &m, &k, &neg);
		if (k >= lo_s) {
			/* -v for a negative x with no branch, which random
			 * signs would make a guess wrong half the time. */
			__int128 v = (__int128)m << (k - lo_s), sg = -(__int128)neg;
			as += (v ^ sg) - sg;
		} else if (win_value(&w, x[i], 0) != 0)
			return -1;
		if (2 * k >= lo_q)
			aq += (__int128)((unsigned __int128)m * m << (2 * k -
			    lo_q));
		else if (win_value(&q, x[i], 1) != 0)
			return -1;
	}
	if (win_add128(&w, as, lo_s + POS_DBL) != 0 ||
	    win_add128(&q, aq, lo_q) != 0)
		return -1;
	*sum = w;
	*sumsq = q;
	return 0;
}

int
mc_xwin_add_xsum(mc_xwin *w, const mc_xsum *s)
{
	struct mag m;
	uint64_t a[4] = { 0 };
	int lo, i;

	if (s->special)
		return -1;
	get_mag(s, &m);
	if (m.msb < 0)
		return 0;
	for (i = 0; m.d[i] == 0; i++)
		;
	lo = 32 * i + __builtin_ctzll((uint64_t)m.d[i]);
	if (m.msb - lo + 1 > WIN_BITS)
		return -1;
	for (i = 0; i < 5 && lo + 60 * i <= m.msb; i++) {
		uint64_t part = get_bits(&m, lo + 60 * i, 60);
		uint64_t b[4] = { part, 0, 0, 0 };
		shl256(b, 60 * i);
		add256(a, b, 0);
	}
	return win_add(w, m.neg, a, m.msb - lo + 1, lo);
}

void
mc_xwin_to_xsum(const mc_xwin *w, mc_xsum *s)
{
	uint64_t mag[4];
	uint32_t dig[8];
	int i;

	if (!w->used || abs_bits(w->w, mag) == 0)
		return;
	for (i = 0; i < 8; i++)
		dig[i] = (uint32_t)(mag[i / 2] >> (32 * (i % 2)));
	add_digits(s, (int64_t)w->w[3] < 0, dig, 8, w->base);
}
