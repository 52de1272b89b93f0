/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_stream's map from (seed, kind, index, draw) to Philox key and
 * counter, as documented in mc_stream.h and DESIGN.md: checked against
 * Random123's published known answer for key {0xa4093822, 0x299f31d0} and
 * counter {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, and kind by
 * kind against mc_philox at the documented counter.
 */
#include <stdint.h>
#include <string.h>

#include "mc_philox.h"
#include "mc_stream.h"
#include "unit.h"

#define SEED UINT64_C(0x299f31d0a4093822)

/* The words at an explicit key and counter. */
static void
at(uint64_t key, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
    uint32_t out[4])
{
	uint32_t k[2] = { (uint32_t)key, (uint32_t)(key >> 32) };
	uint32_t ctr[4] = { c0, c1, c2, c3 };

	mc_philox(ctr, k, out);
}

int
main(void)
{
	static const uint32_t kat[4] = { 0xd16cfe09, 0x94fdcceb, 0x5001e420,
	    0x24126ea1 };
	static uint32_t w[4][100];
	uint32_t out[4], want[4];
	uint64_t cal = SEED ^ UINT64_C(0x9E3779B97F4A7C15);
	mc_stream st;
	size_t j;
	int same = 1;

	/* Path streams: key = seed, counter = (draw, index), low words
	 * first. */
	mc_stream_init(&st, SEED, MC_STREAM_PATH);
	mc_stream_words(&st, UINT64_C(0x0370734413198a2e),
	    UINT64_C(0x85a308d3243f6a88), out);
	CHECK(memcmp(out, kat, sizeof(kat)) == 0);

	/* The lookback bridge: the path's draws from 2^31 on. */
	mc_stream_init(&st, SEED, MC_STREAM_BRIDGE);
	mc_stream_words(&st, 5, 3, out);
	at(SEED, UINT32_C(0x80000003), 0, 5, 0, want);
	CHECK(memcmp(out, want, sizeof(out)) == 0);

	/* Calibration and pilot paths: the seed XOR the golden ratio. */
	CHECK(mc_stream_seed(SEED, MC_STREAM_CAL) == cal);
	CHECK(mc_stream_seed(SEED, MC_STREAM_PATH) == SEED);
	mc_stream_init(&st, SEED, MC_STREAM_CAL);
	mc_stream_words(&st, 9, 2, out);
	at(cal, 2, 0, 9, 0, want);
	CHECK(memcmp(out, want, sizeof(out)) == 0);

	/* Sobol scrambles: replicate r at index r + 2^63, the draw's high
	 * word the dimension. */
	mc_stream_init(&st, SEED, MC_STREAM_SCRAMBLE);
	mc_stream_words(&st, 4, UINT64_C(7) << 32 | 6, out);
	at(SEED, 6, 7, 4, UINT32_C(0x80000000), want);
	CHECK(memcmp(out, want, sizeof(out)) == 0);

	/* A run of indices in SIMD lanes gives each index's words, across a
	 * carry into the high index word too. */
	mc_stream_init(&st, SEED, MC_STREAM_PATH);
	mc_stream_block(&st, 3, UINT64_C(0xffffffff) - 40, 100, w[0], w[1],
	    w[2], w[3]);
	for (j = 0; j < 100; j++) {
		mc_stream_words(&st, UINT64_C(0xffffffff) - 40 + j, 3, out);
		same &= w[0][j] == out[0] && w[1][j] == out[1] &&
		    w[2][j] == out[2] && w[3][j] == out[3];
	}
	CHECK(same);
	mc_stream_init(&st, SEED, MC_STREAM_BRIDGE);
	mc_stream_block(&st, 1, 10, 1, w[0], w[1], w[2], w[3]);
	mc_stream_words(&st, 10, 1, out);
	CHECK(w[0][0] == out[0] && w[3][0] == out[3]);

	/* GSL reseeding: a function of (seed, block), never 0, and
	 * different blocks and seeds get different seeds. */
	CHECK(mc_stream_gsl_seed(1, 0) == mc_stream_gsl_seed(1, 0));
	CHECK(mc_stream_gsl_seed(1, 0) != mc_stream_gsl_seed(1, 1));
	CHECK(mc_stream_gsl_seed(1, 0) != mc_stream_gsl_seed(2, 0));
	CHECK(mc_stream_gsl_seed(0, 0) != 0);
	return unit_done("test_stream");
}
