/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_parse_double against strtod, bit for bit, on millions of strings:
 * shortest and 16 to 19 digit forms of random doubles (the long ones go
 * through the double-double path for 2^53 < w < 2^64), random 17 to 19
 * digit decimals with exponents from -22 to 22, and the hard cases:
 * integers just at, above and below midpoints between doubles above 2^53.
 */
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
	printf("test_parse: %ld strings, %ld differ from strtod\n", n + 8,
	    bad);
	CHECK(bad == 0);
	return unit_done("test_parse");
}
