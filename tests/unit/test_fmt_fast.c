/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fmt_double's fast path against its definition: the shortest of
 * printf's %.15g, %.16g and %.17g that strtod reads back to the same
 * double.  Both must agree byte for byte on every number.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"
#include "mc_rng.h"
#include "unit.h"

static int shown;

static void
reference(char *buf, double x)
{
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, MC_FMT_DBL, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
}

static int
same(double x)
{
	char a[MC_FMT_DBL], b[MC_FMT_DBL];
	int len = mc_fmt_double(a, x);

	reference(b, x);
	if (strcmp(a, b) == 0 && len == (int)strlen(b))
		return 1;
	if (shown++ < 10)
		fprintf(stderr, "%a: got %s, want %s\n", x, a, b);
	return 0;
}

int
main(void)
{
	uint32_t key[2] = {5, 0}, ctr[4] = {0, 0, 0, 0}, w[4];
	int ok = 1, i, j;
	double x;

	/* Uniforms as mcgen writes them, and their scaled cousins. */
	for (i = 0; i < 200000; i++) {
		ctr[2] = (uint32_t)i;
		mc_philox(ctr, key, w);
		x = mc_u53(w[0], w[1]);
		ok &= same(x) & same(-x) & same(x * 100) & same(x * 7e13);
		/* Log-uniform over the fast range and beyond it. */
		x = pow(10, -8 + 24 * mc_u53(w[2], w[3]));
		ok &= same(x) & same(-x);
		/* Any bit pattern of a finite double. */
		{
			uint64_t bits = (uint64_t)w[2] << 32 | w[3];
			memcpy(&x, &bits, sizeof(x));
			if (isfinite(x))
				ok &= same(x);
		}
	}
	/* Around every power of ten and two in and next to the range. */
	for (j = -7; j <= 15; j++) {
		double p = pow(10, j);
		x = p;
		for (i = 0; i < 50; i++, x = nextafter(x, 0))
			ok &= same(x);
		x = p;
		for (i = 0; i < 50; i++, x = nextafter(x, INFINITY))
			ok &= same(x);
	}
	for (j = -20; j <= 50; j++) {
		x = ldexp(1, j);
		ok &= same(x) & same(nextafter(x, 0)) &
		    same(nextafter(x, INFINITY));
	}
	/* Short decimals, whole numbers, halves and their neighbours. */
	for (i = 1; i < 100000; i++) {
		x = i / 1000.0;
		ok &= same(x) & same(nextafter(x, 0)) & same(i + 0.5) &
		    same((double)i * 1e9) & same(i * 1e-5);
	}
	ok &= same(0.1) & same(0.3) & same(1.0 / 3) & same(2.0 / 3) &
	    same(99999999999999.99) & same(1e-5) & same(9.9999999999999e-6);
	CHECK(ok);
	return unit_done("test_fmt_fast");
}
