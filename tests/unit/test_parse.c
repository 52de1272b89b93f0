/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_parse_double against strtod, bit for bit, on millions of strings:
 * shortest and 16 to 19 digit forms of random doubles (the long ones go
 * through the products by powers of five for 2^53 < w < 2^64), random 17
 * to 19 digit decimals with exponents from -22 to 22, and the hard cases:
 * integers just at, above and below midpoints between doubles above 2^53;
 * decimals just below and above the midpoints between doubles over the
 * whole normal range; hard cases by hand, and a million random decimals
 * of every form (1 to 24 digits, leading zeros, exponents to +-350,
 * junk), where a refusal must match strtod's overflow or stop too.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "unit.h"

static long bad;

/*
 * Whether mc_parse_double agrees with strtod on s, whatever it is: the
 * same bits, or a refusal where strtod overflows ("number out of range")
 * or does not take all of s ("expected a number").
 */
static void
agree(const char *s)
{
	char *stop;
	double got = -1, want;
	const char *why = mc_parse_double(s, &got), *expect = NULL;
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	want = strtod(s, &stop);
	if (stop == s || (size_t)(stop - s) != len)
		expect = "expected a number";
	else if (isinf(want) && !strpbrk(s, "iI"))
		expect = "number out of range";
	if (expect != NULL ? why == NULL || strcmp(why, expect) != 0 :
	    why != NULL || memcmp(&got, &want, sizeof(got)) != 0) {
		if (bad++ < 10)
			fprintf(stderr, "test_parse: \"%s\": got %s %.17g, "
			    "strtod %s %.17g\n", s, why ? why : "", got,
			    expect ? expect : "", want);
	}
}

/*
 * Random decimals in every form the fast path reads or hands on: 1 to
 * 24 digits with leading zeros now and then, a point anywhere or none,
 * exponents from -350 to 350 or none, signs, blanks around, and a
 * stray character now and then.
 */
static long
random_forms(mc_stream *st, long count)
{
	static const char junk[] = "x.e+- \t";
	uint32_t w[4], d[4];
	char buf[96];
	long i;

	for (i = 0; i < count; i++) {
		int nd, k, p = 0, point;
		mc_stream_words(st, (uint64_t)i + 5000000, 0, w);
		nd = 1 + (int)(w[0] % 24);
		point = (int)(w[1] % (uint32_t)(nd + 2)) - 1;
		if (w[0] >> 28 & 1)
			buf[p++] = w[0] >> 29 & 1 ? '-' : '+';
		if ((w[0] >> 30 & 1) && point != 0)
			buf[p++] = '0';
		for (k = 0; k < nd; k++) {
			if (k == point)
				buf[p++] = '.';
			if (k % 4 == 0)
				mc_stream_words(st, (uint64_t)i + 5000000,
				    (uint64_t)k / 4 + 1, d);
			buf[p++] = (char)('0' + (k == 0 && d[1] % 3 == 0 ? 0 :
			    d[k % 4] % 10));
		}
		if (point == nd)
			buf[p++] = '.';
		if (w[1] >> 20 & 3)
			p += snprintf(buf + p, sizeof(buf) - (size_t)p, "e%d",
			    (int)(w[1] >> 22 & 1023) % 701 - 350);
		if ((w[1] & 0xff) == 7)
			buf[p++] = junk[w[1] >> 8 & 7];
		if ((w[1] & 0xff) == 9)
			buf[p++] = ' ';
		buf[p] = '\0';
		agree(buf);
	}
	return count;
}

/* Hard cases by hand: halfway, the ends of the range, many digits. */
static const char *const hard[] = {
	"4.9406564584124654e-324", "2.4703282292062327e-324",
	"2.4703282292062328e-324", "1e-400", "-1e-400", "2.2250738585072011e-308",
	"2.2250738585072014e-308", "2.2250738585072012e-308",
	"1.7976931348623157e308", "1.7976931348623158e308",
	"1.7976931348623159e308", "-1e309", "1e999999", "0e999999",
	"-0", "-0.0", "+0", "0", "000", "0000123.4500", "-00.000e0",
	"0.000000000000000000000000012345678901234567",
	"9007199254740993", "9007199254740992.5", "9007199254740993.0000001",
	"1.00000000000000011102230246251565404236316680908203125",
	"1.00000000000000011102230246251565404236316680908203124",
	"1.00000000000000011102230246251565404236316680908203126",
	"18446744073709551615", "18446744073709551616e-20",
	"9999999999999999999", "99999999999999999999", "1234567890123456789e-30",
	"7.2057594037927933e16", "123456789012345678901234567890",
	"1e23", "8.98846567431158e307", "4.4501477170144023e-308",
	"1e22", "1e-22", "9007199254740993e-23", "3.0e-2 ", " 5", "\t7\t",
	"1e-350", "1e350", "-1e-350", "-0e-400", "0.0000e+999", "-0e0",
	"00000000000000000000000000001", "-000000000000000000000000.5e-1",
	"179769313486231570000e288", "17976931348623157e292",
	"22250738585072014e-324", "2225073858507201e-323",
	"4503599627370497.5", "9223372036854775807", "9223372036854775808e-8",
	"1.", ".5", "-.5e1", ".", "-", "+.", "e5", "1e", "1e+", "1.5x", "0x10",
	"nan", "inf", "-inf", "1,5", "1 5", "12345678.12345678e1",
};

static void
same(const char *s)
{
	double got = -1, want = strtod(s, NULL);

	if (mc_parse_double(s, &got) != NULL ||
	    memcmp(&got, &want, sizeof(got)) != 0) {
		if (bad++ < 10)
			fprintf(stderr, "test_parse: \"%s\": got %.17g, strtod "
			    "%.17g\n", s, got, want);
	}
}

/*
 * The midpoints between neighbouring doubles over the whole normal range
 * (exactly, in long double), written with 17 to 19 significant digits
 * rounded, and one unit lower and higher in the last digit: decimals
 * within about 1e-19 of a midpoint, on both sides, with every exponent
 * the products by powers of five cover, exact or not.
 */
static long
midpoints(mc_stream *st, long count)
{
	long i, n = 0;
#if LDBL_MANT_DIG >= 54
	uint32_t w[4];
	char buf[64], *e;
	int k, d;

	for (i = 0; i < count; i++) {
		uint64_t bits;
		double x;
		long double mid;

		mc_stream_words(st, (uint64_t)i + 9000000, 0, w);
		bits = ((uint64_t)w[0] << 32 | w[1]) & ~(UINT64_C(1) << 63);
		memcpy(&x, &bits, sizeof(x));
		if (!isnormal(x) || x == DBL_MAX)
			continue;
		mid = ((long double)x + (long double)nextafter(x, INFINITY)) / 2;
		for (k = 16; k <= 18; k++) {
			snprintf(buf, sizeof(buf), "%.*Le", k, mid);
			same(buf);
			/* The last digit one lower and one higher, where it
			 * stays a digit. */
			e = strchr(buf, 'e');
			for (d = -1; d <= 1; d += 2)
				if (e[-1] + d >= '0' && e[-1] + d <= '9') {
					e[-1] = (char)(e[-1] + d);
					same(buf);
					e[-1] = (char)(e[-1] - d);
					n++;
				}
			n++;
		}
	}
#else
	(void)st;
	(void)count;
	(void)i;
#endif
	return n;
}

int
main(void)
{
	uint32_t w[4];
	mc_stream st;
	char buf[64];
	long i, n = 0;
	int k;

	mc_stream_init(&st, 7, MC_STREAM_PATH);
	for (i = 0; i < 400000; i++) {
		double u;
		uint64_t m;
		int e;

		mc_stream_words(&st, i, 0, w);
		u = mc_u53(w[0], w[1]) * pow(10, (int)(w[2] % 41) - 20);
		mc_fmt_double(buf, u);
		same(buf);
		for (k = 16; k <= 19; k++) {
			snprintf(buf, sizeof(buf), "%.*g", k, (w[3] & 1) ? -u :
			    u);
			same(buf);
		}
		/* 17 to 19 digits, exponent -22 .. 22, point inside. */
		m = ((uint64_t)w[2] << 32 | w[3]) % UINT64_C(9999000000000000000)
		    + UINT64_C(10000000000000000);
		e = (int)(w[0] % 45) - 22;
		snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", m, e);
		same(buf);
		snprintf(buf, sizeof(buf), "%" PRIu64, m);
		memmove(buf + 4, buf + 3, strlen(buf + 3) + 1);
		buf[3] = '.';
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "e%d",
		    e + 3);
		same(buf);
		n += 7;
	}
	/* Midpoints between doubles from 2^53 to 2^63, and their
	 * neighbours, written as integers and with exponents. */
	for (k = 53; k < 63; k++)
		for (i = 0; i < 2000; i++) {
			uint64_t half = UINT64_C(1) << (k - 53), base, mid;
			int d;
			mc_stream_words(&st, i + 1000000, 0, w);
			base = (UINT64_C(1) << k) + (((uint64_t)w[0] << 32 |
			    w[1]) % (UINT64_C(1) << k) & ~(2 * half - 1));
			mid = base + half;
			for (d = -1; d <= 1; d++) {
				snprintf(buf, sizeof(buf), "%" PRIu64,
				    mid + (uint64_t)(int64_t)d);
				same(buf);
				snprintf(buf, sizeof(buf), "%" PRIu64 "e-3",
				    mid + (uint64_t)(int64_t)d);
				same(buf);
				n += 2;
			}
		}
	same("9007199254740993");
	same("9007199254740995");
	same("18014398509481985");
	same("9007199254740993e-22");
	same("9007199254740993e22");
	same("-12345678901234567890e-5");	/* 20 digits: strtod */
	same("0.10000000000000000555");
	same("123456789012345678");
	for (k = 0; k < (int)(sizeof(hard) / sizeof(hard[0])); k++)
		agree(hard[k]);
	n += (long)(sizeof(hard) / sizeof(hard[0]));
	n += random_forms(&st, 1000000);
	n += midpoints(&st, 200000);
	printf("test_parse: %ld strings, %ld differ from strtod\n", n + 8,
	    bad);
	CHECK(bad == 0);
	return unit_done("test_parse");
}
