/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Number parsing.  mc_parse_double must agree with strtod on the field
 * without its blanks (accept exactly what strtod reads whole, refuse
 * overflow), mc_fmt_double must round-trip what it accepts, and counts
 * and seeds must agree with strtoull where they are plain digits.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include "fuzz.h"
#include "mc_fmt.h"

static int
same(double x, double y)
{
	return x == y ? signbit(x) == signbit(y) : isnan(x) && isnan(y);
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static void
check_double(const char *s)
{
	char *t = strdup(s), *b = t, *e, *stop, buf[MC_FMT_DBL];
	const char *why;
	double x = 0, y, z;
	int accept;

	if (t == NULL)
		abort();
	while (*b == ' ' || *b == '\t')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	errno = 0;
	y = strtod(b, &stop);
	/* strtod would skip other white space; a field may not start so. */
	accept = *b != '\0' && !isspace((unsigned char)*b) && stop == e &&
	    !(errno == ERANGE && fabs(y) > 1.0);
	why = mc_parse_double(s, &x);
	FUZZ_ASSERT((why == NULL) == accept);
	if (why != NULL) {
		FUZZ_ASSERT(strcmp(why, "expected a number") == 0 ||
		    strcmp(why, "number out of range") == 0);
		goto out;
	}
	FUZZ_ASSERT(same(x, y));
	FUZZ_ASSERT(mc_fmt_double(buf, x) == (int)strlen(buf));
	FUZZ_ASSERT(strlen(buf) < MC_FMT_DBL);
	FUZZ_ASSERT(mc_parse_double(buf, &z) == NULL && same(x, z));
	FUZZ_ASSERT(strchr(buf, ',') == NULL);
out:
	free(t);
}

static void
check_count(const char *s)
{
	uint64_t n = 0, m;
	const char *why = mc_parse_count(s, &n);
	double x;
	char buf[32];

	if (why != NULL)
		return;
	FUZZ_ASSERT(n <= UINT64_C(0x7fffffffffffffff));
	snprintf(buf, sizeof(buf), "%" PRIu64, n);
	FUZZ_ASSERT(mc_parse_count(buf, &m) == NULL && m == n);
	if (all_digits(s))
		FUZZ_ASSERT(strtoull(s, NULL, 10) == n);
	else if (mc_parse_double(s, &x) == NULL)
		FUZZ_ASSERT(x == (double)n);
	else
		FUZZ_ASSERT(!"a count neither digits nor a number");
}

static void
check_u64(const char *s)
{
	uint64_t n = 0, m;
	const char *why = mc_parse_u64(s, &n);
	char buf[32];

	if (why != NULL)
		return;
	snprintf(buf, sizeof(buf), "%" PRIu64, n);
	FUZZ_ASSERT(mc_parse_u64(buf, &m) == NULL && m == n);
	if (all_digits(s))
		FUZZ_ASSERT(strtoull(s, NULL, 10) == n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	double x;

	check_double(s);
	check_count(s);
	check_u64(s);
	/* The input's bytes as a double, printed and read back. */
	if (size >= sizeof(x)) {
		char buf[MC_FMT_DBL];
		double y;

		memcpy(&x, data, sizeof(x));
		mc_fmt_double(buf, x);
		FUZZ_ASSERT(strlen(buf) < MC_FMT_DBL);
		FUZZ_ASSERT(mc_parse_double(buf, &y) == NULL && same(x, y));
	}
	free(s);
	return 0;
}
