/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_stream.h"

/* The calibration stream's key: the seed XOR the golden ratio's bits. */
#define CAL_XOR UINT64_C(0x9E3779B97F4A7C15)

uint64_t
mc_stream_seed(uint64_t seed, int kind)
{
	return kind == MC_STREAM_CAL ? seed ^ CAL_XOR : seed;
}

void
mc_stream_init(mc_stream *s, uint64_t seed, int kind)
{
	uint64_t k = mc_stream_seed(seed, kind);

	s->key[0] = (uint32_t)k;
	s->key[1] = (uint32_t)(k >> 32);
	s->draw_bit = kind == MC_STREAM_BRIDGE ? UINT64_C(1) << 31 :
	    kind == MC_STREAM_SOBOL_TAIL ? UINT64_C(1) << 30 : 0;
	s->index_bit = kind == MC_STREAM_SCRAMBLE ? UINT64_C(1) << 63 :
	    kind == MC_STREAM_DUAL ? UINT64_C(1) << 62 : 0;
}

void
mc_stream_block(const mc_stream *s, uint64_t draw, uint64_t first,
    size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3)
{
	draw |= s->draw_bit;
	mc_philox_block(s->key, (uint32_t)draw, (uint32_t)(draw >> 32),
	    first | s->index_bit, count, w0, w1, w2, w3);
}

/* SplitMix64's finaliser: spreads its input over all 64 bits. */
static uint64_t
mix64(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

unsigned long
mc_stream_gsl_seed(uint64_t seed, uint64_t block)
{
	uint64_t k = mix64(seed ^ mix64(block));

	return (unsigned long)(k ? k : 1);
}
