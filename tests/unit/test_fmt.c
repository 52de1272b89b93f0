/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Number formatting and parsing. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mc_fmt.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "unit.h"

static const char *
fmt(double x)
{
	static char buf[MC_FMT_DBL];

	mc_fmt_double(buf, x);
	return buf;
}

int
main(void)
{
	uint32_t w[4];
	mc_stream st;
	uint64_t n;
	double x, y;
	int i, bad = 0;

	CHECK_STR(fmt(0.1), "0.1");
	CHECK_STR(fmt(1.0 / 3), "0.3333333333333333");
	CHECK_STR(fmt(2.0 / 3), "0.6666666666666666");
	CHECK_STR(fmt(1e21), "1e+21");
	CHECK_STR(fmt(4), "4");
	CHECK_STR(fmt(-0.0), "-0");
	CHECK(strtod(fmt(5e-324), NULL) == 5e-324);
	CHECK_STR(fmt(1.7976931348623157e308), "1.7976931348623157e+308");
	CHECK_STR(fmt(NAN), "nan");
	CHECK_STR(fmt(INFINITY), "inf");
	CHECK_STR(fmt(-INFINITY), "-inf");
	/* Every double of many magnitudes reads back the same. */
	mc_stream_init(&st, 3, MC_STREAM_PATH);
	for (i = 0; i < 200000; i++) {
		mc_stream_words(&st, i, 0, w);
		x = ldexp(mc_u53(w[0], w[1]), (int)(w[2] % 2000) - 1000);
		if (strtod(fmt(x), NULL) != x)
			bad++;
	}
	CHECK(bad == 0);

	CHECK(mc_parse_double("1.5", &x) == NULL && x == 1.5);
	CHECK(mc_parse_double(" 2 ", &x) == NULL && x == 2);
	CHECK(mc_parse_double("-1e-3", &x) == NULL && x == -1e-3);
	CHECK(mc_parse_double("nan", &x) == NULL && isnan(x));
	CHECK(mc_parse_double("-inf", &x) == NULL && isinf(x) && x < 0);
	CHECK(mc_parse_double("1e-320", &x) == NULL && x > 0);
	CHECK_STR(mc_parse_double("", &y), "expected a number");
	CHECK_STR(mc_parse_double("  ", &y), "expected a number");
	CHECK_STR(mc_parse_double("1x", &y), "expected a number");
	CHECK_STR(mc_parse_double("abc", &y), "expected a number");
	CHECK_STR(mc_parse_double("1,5", &y), "expected a number");
	CHECK_STR(mc_parse_double("1e999", &y), "number out of range");
	CHECK_STR(mc_parse_double("-1e999", &y), "number out of range");

	CHECK(mc_parse_count("1000000", &n) == NULL && n == 1000000);
	CHECK(mc_parse_count("1e6", &n) == NULL && n == 1000000);
	CHECK(mc_parse_count("2.5e3", &n) == NULL && n == 2500);
	CHECK(mc_parse_count("9223372036854775807", &n) == NULL &&
	    n == UINT64_C(9223372036854775807));
	CHECK_STR(mc_parse_count("9223372036854775808", &n),
	    "count out of range (at most 2^63-1)");
	CHECK_STR(mc_parse_count("1e19", &n),
	    "count out of range (at most 2^63-1)");
	CHECK_STR(mc_parse_count("-5", &n), "expected a count of 0 or more");
	CHECK_STR(mc_parse_count("1.5", &n), "expected a whole count");
	CHECK_STR(mc_parse_count("abc", &n),
	    "expected a count like 1000 or 1e6");
	CHECK(mc_parse_u64("18446744073709551615", &n) == NULL &&
	    n == UINT64_MAX);
	CHECK(mc_parse_u64("0x10", &n) == NULL && n == 16);
	CHECK(mc_parse_u64("010", &n) == NULL && n == 10);
	CHECK(mc_parse_u64("1e3", &n) == NULL && n == 1000);
	CHECK(mc_parse_u64("-1", &n) != NULL);
	CHECK_STR(mc_parse_u64("18446744073709551616", &n),
	    "number out of range (at most 2^64-1)");
	return unit_done("test_fmt");
}
