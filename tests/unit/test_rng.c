/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Philox4x32-10 against Random123's published known-answer vectors. */
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>

#include "mc_rng.h"
#include "mc_stream.h"
#include "unit.h"

static const struct {
	uint32_t ctr[4], key[2], out[4];
} kat[] = {
	{ { 0, 0, 0, 0 }, { 0, 0 },
	  { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
	{ { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
	  { 0xffffffff, 0xffffffff },
	  { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
	{ { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 },
	  { 0xa4093822, 0x299f31d0 },
	  { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
};

int
main(void)
{
	uint32_t out[4];
	mc_stream st;
	mc_err err;
	mc_rng *r, *t;
	size_t i, k;
	double u, sum = 0;

	for (i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		mc_philox(kat[i].ctr, kat[i].key, out);
		CHECK(memcmp(out, kat[i].out, sizeof(out)) == 0);
	}

	/* The gsl_rng type draws the path stream of the index: draw 0,
	 * 1, ... (mc_stream). */
	r = mc_rng_alloc("philox", UINT64_C(0x299f31d0a4093822), &err);
	CHECK(r != NULL);
	mc_rng_seek(r, 7);
	mc_stream_init(&st, UINT64_C(0x299f31d0a4093822), MC_STREAM_PATH);
	mc_stream_words(&st, 7, 0, out);
	for (i = 0; i < 4; i++)
		CHECK(gsl_rng_get(mc_rng_gsl(r)) == out[i]);
	mc_stream_words(&st, 7, 1, out);
	CHECK(gsl_rng_get(mc_rng_gsl(r)) == out[0]);

	/* Seeking back gives the same numbers, in any order. */
	mc_rng_seek(r, 7);
	mc_stream_words(&st, 7, 0, out);
	CHECK(gsl_rng_get(mc_rng_gsl(r)) == out[0]);

	/* Uniforms lie in (0, 1); their mean is 1/2 within 4 se. */
	mc_rng_seek(r, 0);
	for (i = 0, k = 0; i < 100000; i++) {
		u = gsl_rng_uniform(mc_rng_gsl(r));
		k += u > 0 && u < 1;
		sum += u;
	}
	CHECK(k == 100000);
	CHECK(fabs(sum / 100000 - 0.5) < 4 * sqrt(1.0 / 12 / 100000));
	CHECK(mc_u53(0, 0) == 0x1p-54);
	/* (2^53 - 1/2) 2^-53 rounds to 1 in double: the largest uniform
	 * is the double below 1 instead. */
	CHECK(mc_u53(0xffffffff, 0xffffffff) < 1);
	CHECK(mc_u53(0xffffffff, 0xffffffff) == MC_U53_MAX);
	CHECK(mc_u53(0xffffffff, 0xfffff000) < MC_U53_MAX);

	/* GSL generators restart each block from (seed, block). */
	t = mc_rng_alloc("mt19937", 42, &err);
	CHECK(t != NULL);
	mc_rng_seek(t, MC_BLOCK);
	u = gsl_rng_uniform(mc_rng_gsl(t));
	mc_rng_seek(t, 0);
	gsl_rng_uniform(mc_rng_gsl(t));
	mc_rng_seek(t, MC_BLOCK);
	CHECK(gsl_rng_uniform(mc_rng_gsl(t)) == u);

	CHECK(mc_rng_alloc("nosuch", 1, &err) == NULL);
	CHECK(err.status == EX_USAGE);
	/* Of the value, not the option: the program names its option. */
	CHECK_STR(err.msg, "unknown generator \"nosuch\" (try philox, "
	    "mt19937, ranlxd2 or taus2)");
	mc_rng_free(r);
	mc_rng_free(t);
	mc_rng_free(NULL);
	return unit_done("test_rng");
}
