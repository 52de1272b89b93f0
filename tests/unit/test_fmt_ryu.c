/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fmt_double's Ryu path against the slow reference it replaced
 * (%.15g, %.16g, %.17g: the first that strtod reads back), byte for byte,
 * on millions of doubles: random bit patterns of every exponent, uniforms
 * as mcgen writes them, short decimals, integers, powers of two and ten
 * and their neighbours, and halfway cases.  And mc_parse_double's fast
 * path against strtod on the same texts and on shortened ones.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "unit.h"

static void
ref(char *buf, double x)
{
	int prec;

	if (isnan(x)) {
		strcpy(buf, "nan");
		return;
	}
	if (isinf(x)) {
		strcpy(buf, x > 0 ? "inf" : "-inf");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, MC_FMT_DBL, "%.*g", prec, x);
		if (prec == 17 || strtod(buf, NULL) == x)
			break;
	}
}

static long bad_fmt, bad_parse, ntried;

/* Compares x's text both ways, and parsing it back, with -x too. */
static void
try1(double x)
{
	char got[MC_FMT_DBL + 8], want[MC_FMT_DBL + 8];
	double back, want_back;
	int len, s;

	for (s = 0; s < 2; s++, x = -x) {
		ntried++;
		len = mc_fmt_double(got, x);
		ref(want, x);
		if (strcmp(got, want) != 0 || len != (int)strlen(want)) {
			if (bad_fmt++ < 10)
				fprintf(stderr, "fmt %a: got %s, want %s\n",
				    x, got, want);
		}
		want_back = strtod(want, NULL);
		if (mc_parse_double(want, &back) != NULL ||
		    memcmp(&back, &want_back, sizeof(back)) != 0) {
			if (bad_parse++ < 10)
				fprintf(stderr, "parse %s: got %a\n", want,
				    back);
		}
	}
}

/* Parses a text with fewer digits than round-trip needs, as strtod. */
static void
try_text(const char *t)
{
	double got = 0, want = strtod(t, NULL);

	ntried++;
	if (mc_parse_double(t, &got) != NULL ||
	    memcmp(&got, &want, sizeof(got)) != 0)
		if (bad_parse++ < 10)
			fprintf(stderr, "parse %s: got %a, want %a\n", t, got,
			    want);
}

int
main(int argc, char **argv)
{
	uint32_t w[4];
	mc_stream st;
	uint64_t i, bits, n = argc > 1 ? strtoull(argv[1], NULL, 10) : 250000;
	union { double d; uint64_t u; } b;
	char t[64];
	int e;

	CHECK(n > 0);
	/* Known forms, from glibc's %g. */
	try1(0.1);
	try1(1.0 / 3);
	try1(123456789012345.0);	/* 15 digits: fixed */
	try1(1234567890123456.0);	/* 16 digits, exponent 15: fixed */
	try1(1e15);
	try1(1e16);
	try1(1e17);
	try1(12345678901234567e10);
	try1(0x1p53);
	try1(0x1p53 + 2);
	try1(0x1p54 + 4);
	try1(0.0001);
	try1(0.00001);
	try1(0.000123456);
	try1(5e-324);
	try1(0x1p-1022);
	try1(0x1.fffffffffffffp-1023);
	try1(1.7976931348623157e308);
	try1(0.0);
	try1(NAN);
	try1(INFINITY);
	/* Every power of two and its neighbours. */
	for (e = -1074; e <= 1023; e++) {
		try1(ldexp(1, e));
		try1(nextafter(ldexp(1, e), 0));
		try1(nextafter(ldexp(1, e), INFINITY));
	}
	/* Powers of ten and their neighbours. */
	for (e = -323; e <= 308; e++) {
		snprintf(t, sizeof(t), "1e%d", e);
		try1(strtod(t, NULL));
		try1(nextafter(strtod(t, NULL), 0));
		try1(nextafter(strtod(t, NULL), INFINITY));
	}
	{
		static const char *texts[] = { "-0", "+0", "0e5", "-0.0e-400",
		    "1e22", "1e23", "-1e-22", "1e-23", "9007199254740992",
		    "9007199254740993", "9007199254740994", "0.1", ".5",
		    "5.", "+.5e1", "123456789012345678", "1234567890123456789",
		    "0.000000000000000000001234", "00000000000000000000012",
		    "1.5 ", "2\t", "4.9e-324", "1.7976931348623157e308",
		    "123456789012345e-30", "0.8902591729757108" };
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
			try_text(texts[i]);
	}
	mc_stream_init(&st, 20240611, MC_STREAM_PATH);
	for (i = 0; i < n; i++) {
		mc_stream_words(&st, i, 0, w);
		/* Any bit pattern: every exponent and subnormals. */
		b.u = (uint64_t)w[0] << 32 | w[1];
		try1(b.d);
		/* Uniforms as mcgen writes them. */
		try1(mc_u53(w[2], w[3]));
		if (i % 4 == 0) {
			/* Integers, and halves that are exact ties. */
			bits = ((uint64_t)w[2] << 32 | w[3]) >> (w[0] % 64);
			try1((double)bits);
			try1(ldexp((double)(bits | 1), -(int)(w[1] % 80)));
			/* Short decimals, as people type them. */
			snprintf(t, sizeof(t), "%u.%03ue%d", w[0] % 1000,
			    w[1] % 1000, (int)(w[2] % 40) - 20);
			try1(strtod(t, NULL));
			try_text(t);
			/* Texts with fewer digits than round-trip needs. */
			snprintf(t, sizeof(t), "%.*g", (int)(w[3] % 20) + 1,
			    mc_u53(w[1], w[2]) * 100);
			try_text(t);
		}
	}
	CHECK(bad_fmt == 0);
	CHECK(bad_parse == 0);
	printf("test_fmt_ryu: %ld doubles and texts compared\n", ntried);
	return unit_done("test_fmt_ryu");
}
