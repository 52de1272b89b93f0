/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The exact accumulator: exact sums, lossless text, exact merges. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mc_acc.h"
#include "mc_fmt.h"
#include "mc_rng.h"
#include "mc_xsum.h"
#include "mc_stream.h"
#include "unit.h"

#define N 5000

static double x[N];

/* Formats an estimate row into buf, as the programs print it. */
static void
est_text(const mc_acc *a, char *buf, size_t size)
{
	mc_est e;
	FILE *fp = fmemopen(buf, size, "w");

	mc_acc_estimate(a, 0.95, &e);
	mc_acc_write_est(fp, &e);
	fclose(fp);
}

/* Round-trips a through its partial text form. */
static void
through_text(const mc_acc *a, mc_acc *b)
{
	char buf[8192], *s, *q;
	const char *col;
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	mc_acc_write_partial(fp, a);
	fclose(fp);
	s = strchr(buf, ',');
	*s++ = '\0';
	q = strchr(s, ',');
	*q++ = '\0';
	mc_acc_init(b);
	CHECK(mc_acc_parse_partial(b, buf, s, q, &col, NULL) == 0);
}

int
main(void)
{
	mc_xsum s, t;
	mc_acc one, part, merged, back;
	char buf[4096], want[256], got[256];
	uint32_t w[4];
	mc_stream st;
	int i, k, nsh, pass;
	double hi, lo;

	/* Sums that double arithmetic gets wrong. */
	mc_xsum_init(&s);
	mc_xsum_add(&s, 1e100);
	mc_xsum_add(&s, 1.0);
	mc_xsum_add(&s, -1e100);
	CHECK(mc_xsum_round(&s) == 1.0);
	mc_xsum_init(&s);
	for (i = 0; i < 10; i++)
		mc_xsum_add(&s, 0.1);
	/* Ten 0.1s are 1 + 2^-54 +/- less: rounds to 1, 0.1*10 in a loop
	 * gives 0.9999999999999999. */
	CHECK(mc_xsum_round(&s) == 1.0);
	mc_xsum_round2(&s, &hi, &lo);
	CHECK(hi == 1.0 && lo == 5.5511151231257827e-17);
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf),
	    "1 5.551115123125783e-17");
	mc_xsum_init(&t);
	CHECK(mc_xsum_parse_add(&t, buf) == 0);
	CHECK(memcmp(&t.limb, &s.limb, sizeof(s.limb)) != 0 ||
	    mc_xsum_round(&t) == mc_xsum_round(&s));

	/* Ties round to even; subnormals and signs. */
	mc_xsum_init(&s);
	mc_xsum_add(&s, 1.0);
	mc_xsum_add(&s, 0x1p-53);
	CHECK(mc_xsum_round(&s) == 1.0);
	mc_xsum_add(&s, 0x1p-100);
	CHECK(mc_xsum_round(&s) == 1.0 + 0x1p-52);
	mc_xsum_init(&s);
	mc_xsum_add(&s, 4.9406564584124654e-324);
	mc_xsum_add(&s, -3.0);
	CHECK(mc_xsum_round(&s) == -3.0);
	mc_xsum_add(&s, 3.0);
	CHECK(mc_xsum_round(&s) == 4.9406564584124654e-324);
	mc_xsum_init(&s);
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf), "0");
	mc_xsum_add(&s, 1.7976931348623157e308);
	mc_xsum_add(&s, 1.7976931348623157e308);
	CHECK(isinf(mc_xsum_round(&s)));
	mc_xsum_add(&s, -1.7976931348623157e308);
	CHECK(mc_xsum_round(&s) == 1.7976931348623157e308);
	mc_xsum_add(&s, INFINITY);
	mc_xsum_add(&s, -INFINITY);
	CHECK(isnan(mc_xsum_round(&s)));
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf), "nan");
	mc_xsum_init(&s);
	CHECK(mc_xsum_parse_add(&s, "1 2x") == -1);
	CHECK(mc_xsum_parse_add(&s, "") == -1);
	CHECK(mc_xsum_parse_add(&s, "1 nan") == -1);

	/*
	 * Values over many magnitudes, from Philox; then over the whole
	 * double range, where sums overflow a double and squares overflow
	 * and underflow it.
	 */
	mc_stream_init(&st, 7, MC_STREAM_PATH);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < N; i++) {
			mc_stream_words(&st, i, 0, w);
			x[i] = ldexp(mc_u53(w[0], w[1]) - 0.3, pass == 0 ?
			    (int)(w[2] % 200) - 100 : (int)(w[2] % 2090) - 1070);
		}

		/* One process's estimate row, the reference for the merges. */
		mc_acc_init(&one);
		for (i = 0; i < N; i++)
			mc_acc_add(&one, x[i]);
		est_text(&one, want, sizeof(want));

		/* N shards, evenly and unevenly, merged in reverse, through text. */
		for (nsh = 1; nsh <= 16; nsh++) {
			for (k = 0; k < 2; k++) {
				int lo_i, hi_i, sh;
				mc_acc_init(&merged);
				for (sh = nsh - 1; sh >= 0; sh--) {
					lo_i = k == 0 ? N * sh / nsh :
					    (int)((double)N * sh * sh / nsh / nsh);
					hi_i = k == 0 ? N * (sh + 1) / nsh :
					    (int)((double)N * (sh + 1) * (sh + 1) /
					    nsh / nsh);
					mc_acc_init(&part);
					for (i = lo_i; i < hi_i; i++)
						mc_acc_add(&part, x[i]);
					through_text(&part, &back);
					mc_acc_merge(&merged, &back);
				}
				est_text(&merged, got, sizeof(got));
				CHECK_STR(got, want);
			}
		}
		CHECK(strstr(want, "nan") == NULL &&
		    strstr(want, "inf") == NULL);
	}

	/* Estimates: mean and sd of 1..10 are 5.5 and sqrt(55/6). */
	mc_acc_init(&one);
	for (i = 1; i <= 10; i++)
		mc_acc_add(&one, i);
	{
		mc_est e;
		CHECK(mc_acc_estimate(&one, 0.95, &e) == 0);
		CHECK(e.mean == 5.5);
		CHECK(fabs(e.sd - sqrt(55.0 / 6)) < 1e-15);
		/* t(0.975, 9) = 2.2621571627409915 (published tables);
		 * GSL's inverse is good to about 1e-10. */
		CHECK(fabs(e.ci_hi - (5.5 + 2.2621571627409915 *
		    sqrt(55.0 / 6 / 10))) < 1e-9);
	}
	/* A large mean beside a small spread keeps its variance. */
	mc_acc_init(&one);
	for (i = 0; i < 1000; i++)
		mc_acc_add(&one, 1e9 + (i % 2 ? 0x1p-10 : -0x1p-10));
	{
		mc_est e;
		mc_acc_estimate(&one, 0.95, &e);
		CHECK(e.mean == 1e9);
		CHECK(fabs(e.sd / (0x1p-10 * sqrt(1000.0 / 999)) - 1) < 1e-15);
	}
	/* n = 0 and n = 1 give NaN where there is nothing to say. */
	{
		mc_est e;
		mc_acc_init(&one);
		mc_acc_estimate(&one, 0.95, &e);
		CHECK(isnan(e.mean) && e.n == 0);
		mc_acc_add(&one, 2);
		mc_acc_estimate(&one, 0.95, &e);
		CHECK(e.mean == 2 && isnan(e.sd) && isnan(e.ci_lo));
	}
	return unit_done("test_xsum");
}
