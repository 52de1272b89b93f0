/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The exact accumulator: exact sums, lossless text, exact merges. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* A fixed-seed generator (xorshift64*). */
static uint64_t
next64(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* A random double of either sign with a random 53-bit mantissa and a
 * binary exponent from e0 to e0 + span - 1 (subnormal below -1022);
 * zero now and then. */
static double
random_double(uint64_t *s, int e0, int span)
{
	uint64_t r = next64(s);
	double m = (double)((r >> 11) | (UINT64_C(1) << 52)) * 0x1p-52;

	if (r % 61 == 0)
		return 0;
	m = ldexp(m, e0 + (int)(next64(s) % (uint64_t)span));
	return r & 1 ? -m : m;
}

/* Whether two exact sums are the same number. */
static int
same_sum(const mc_xsum *a, const mc_xsum *b)
{
	char ta[4096], tb[4096];

	mc_xsum_format(a, ta, sizeof(ta));
	mc_xsum_format(b, tb, sizeof(tb));
	return strcmp(ta, tb) == 0;
}

/*
 * Blocks of values (mc_xwin_add_block) against the values one by one in
 * a full mc_xsum, over exponent ranges from narrow to the whole double
 * range: the same exact sums, a refused block leaves both windows as
 * they were, and blocks of ordinary values are never refused.
 */
static void
test_block(void)
{
	static const int ranges[][2] = { { -3, 4 }, { -30, 40 },
	    { -80, 100 }, { -1074, 2098 }, { 900, 124 }, { -1080, 20 } };
	uint64_t seed = 7;
	double v[MC_XWIN_BLOCK];
	size_t r, t, i, n;

	for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		size_t refused = 0;
		for (t = 0; t < 200; t++) {
			mc_xsum S, Q, FS, FQ;
			mc_xwin w = { { 0 }, 0, 0 }, q = w, w0, q0;
			size_t b, nb = 1 + next64(&seed) % 40;
			mc_xsum_init(&S);
			mc_xsum_init(&Q);
			mc_xsum_init(&FS);
			mc_xsum_init(&FQ);
			for (b = 0; b < nb; b++) {
				n = 1 + next64(&seed) % MC_XWIN_BLOCK;
				for (i = 0; i < n; i++) {
					v[i] = random_double(&seed,
					    ranges[r][0], ranges[r][1]);
					mc_xsum_add(&S, v[i]);
					mc_xsum_add_sq(&Q, v[i]);
				}
				w0 = w;
				q0 = q;
				if (mc_xwin_add_block(&w, &q, v, n) == 0)
					continue;
				refused++;
				CHECK(memcmp(&w, &w0, sizeof(w)) == 0 &&
				    memcmp(&q, &q0, sizeof(q)) == 0);
				for (i = 0; i < n; i++) {
					mc_xsum_add(&FS, v[i]);
					mc_xsum_add_sq(&FQ, v[i]);
				}
			}
			mc_xwin_to_xsum(&w, &FS);
			mc_xwin_to_xsum(&q, &FQ);
			CHECK(same_sum(&FS, &S));
			CHECK(same_sum(&FQ, &Q));
		}
		if (ranges[r][1] <= 40)
			CHECK(refused == 0);
	}
	/* NaN and infinities are refused, the windows unchanged. */
	{
		mc_xwin w = { { 0 }, 0, 0 }, q = w;
		double bad[3] = { 1, NAN, 2 };
		CHECK(mc_xwin_add_block(&w, &q, bad, 3) == -1 && !w.used &&
		    !q.used);
		bad[1] = -INFINITY;
		CHECK(mc_xwin_add_block(&w, &q, bad, 3) == -1 && !w.used);
	}
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
	/* A 0 whose limbs are not all 0 (2^32 under 2^28's, -1 there):
	 * 2^27 sits in the top bit of a limb. */
	mc_xsum_add(&s, 0x1p27);
	mc_xsum_add(&s, 0x1p27);
	mc_xsum_add(&s, -0x1p28);
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf), "0");
	mc_xsum_add(&s, -0x1p-30);
	mc_xsum_add(&s, 0x1p-30);
	CHECK_STR((mc_xsum_format(&s, buf, sizeof(buf)), buf), "0");
	mc_xsum_init(&s);
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
	test_block();
	return unit_done("test_xsum");
}
