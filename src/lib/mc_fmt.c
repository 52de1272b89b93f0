#include "mc_fmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The fast path of mc_fmt_double, for normal numbers with 1e-5 <= |x| <
 * 1e14, where exact 128-bit integer arithmetic suffices.  With x = m 2^-s
 * and k = P - 1 - floor(log10 |x|), x 10^k = m 10^k / 2^s exactly, so the
 * P significant digits that printf's %.Pg prints (rounded to nearest,
 * ties to even) are that quotient rounded; and those digits read back to
 * x exactly when they lie within half a gap of x, ties going to the even
 * m, which is strtod's rule.  So it writes what the slow path writes (the
 * unit test test_fmt_fast checks that on millions of numbers), some ten
 * times faster.  Returns the length, or 0 when x is outside its range.
 */
static int
fmt_fast(char *buf, double x)
{
	typedef unsigned __int128 u128;
	static const uint64_t p10[20] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
		100000000, 1000000000, 10000000000, 100000000000,
		1000000000000, 10000000000000, 100000000000000,
		1000000000000000, 10000000000000000, 100000000000000000,
		1000000000000000000u, 10000000000000000000u
	};
	double ax = fabs(x);
	uint64_t bits, m, q = 0;
	u128 M = 0, p = 1, err;
	int s, X, P, k, n, i, len = 0, ok = 0;
	char d[20];

	if (!(ax >= 1e-5 && ax < 1e14))
		return 0;
	memcpy(&bits, &ax, sizeof(bits));
	m = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
	s = 1075 - (int)(bits >> 52);
	X = (int)floor(log10(ax));
	for (P = 15; P <= 17 && !ok; P++) {
		for (;;) {
			k = P - 1 - X;
			p = k <= 19 ? (u128)p10[k] : (u128)p10[19] * p10[k - 19];
			M = (u128)m * p;
			q = (uint64_t)(M >> s);
			if (q < p10[P - 1])
				X--;
			else if (q >= p10[P])
				X++;
			else
				break;
		}
		err = M & (((u128)1 << s) - 1);
		if (err > (u128)1 << (s - 1) ||
		    (err == (u128)1 << (s - 1) && (q & 1)))
			q++;
		/* Whether the decimal q 10^-k reads back to x. */
		if (((u128)q << s) >= M) {
			err = ((u128)q << s) - M;
			ok = 2 * err < p || (2 * err == p && !(m & 1));
		} else {
			err = M - ((u128)q << s);
			/* Below a power of two the gap is half as wide. */
			if (m == UINT64_C(1) << 52)
				err *= 2;
			ok = 2 * err < p || (2 * err == p && !(m & 1));
		}
	}
	P--;
	if (q == p10[P]) {
		q = p10[P - 1];
		X++;
	}
	for (i = P - 1; i >= 0; i--, q /= 10)
		d[i] = (char)('0' + q % 10);
	for (n = P; n > 1 && d[n - 1] == '0'; n--)
		;
	if (x < 0)
		buf[len++] = '-';
	if (X < -4) {
		buf[len++] = d[0];
		if (n > 1)
			buf[len++] = '.';
		for (i = 1; i < n; i++)
			buf[len++] = d[i];
		len += sprintf(buf + len, "e-%02d", -X);
		return len;
	}
	if (X < 0) {
		buf[len++] = '0';
		buf[len++] = '.';
		for (i = X + 1; i < 0; i++)
			buf[len++] = '0';
	}
	for (i = 0; i < n || i <= X; i++) {
		if (X >= 0 && i == X + 1)
			buf[len++] = '.';
		buf[len++] = i < n ? d[i] : '0';
	}
	buf[len] = '\0';
	return len;
}

int
mc_fmt_double(char *buf, double x)
{
	int prec, len = 0;

	if ((len = fmt_fast(buf, x)) > 0)
		return len;

	if (isnan(x))
		return (int)(memcpy(buf, "nan", 4), 3);
	if (isinf(x))
		return x > 0 ? (int)(memcpy(buf, "inf", 4), 3) :
		    (int)(memcpy(buf, "-inf", 5), 4);
	/*
	 * Seventeen significant digits always round-trip; fewer often do,
	 * and the shortest is the one a reader expects to see.
	 */
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, MC_FMT_DBL, "%.*g", prec, x);
		if (prec == 17 || strtod(buf, NULL) == x)
			break;
	}
	return len;
}

/* Returns the end of s without trailing blanks. */
static const char *
trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

const char *
mc_parse_double(const char *s, double *out)
{
	const char *end;
	char *stop;
	double v;

	while (*s == ' ' || *s == '\t')
		s++;
	end = trim_end(s, s + strlen(s));
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
mc_parse_count(const char *s, uint64_t *out)
{
	const char *p;
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
	if (mc_parse_double(s, &v) != NULL || isnan(v))
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
