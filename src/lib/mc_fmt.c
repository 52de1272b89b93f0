#include "mc_fmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
mc_fmt_double(char *buf, double x)
{
	int prec, len = 0;

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
