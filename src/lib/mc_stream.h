/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_stream: the one place that maps (seed, stream kind, index, draw) to
 * a Philox key and counter, and (seed, block) to the seed of a GSL
 * generator restarted at that block.
 *
 * Every random number in mctools is word w of Philox4x32-10 (mc_philox)
 * at the key and counter given here, or comes from a GSL generator seeded
 * here.  The kinds of stream:
 *
 *  MC_STREAM_PATH     the numbers of path, row or point i (DESIGN.md):
 *                     key = the 64-bit seed (low word first), counter =
 *                     (draw_lo, draw_hi, i_lo, i_hi); draw d is the d-th
 *                     block of four words of index i.
 *  MC_STREAM_BRIDGE   extra uniforms of path i whose number depends on
 *                     the contract (the lookback's Brownian-bridge
 *                     extremes): the path stream's draws 2^31 + d, which
 *                     no path's own draws reach; and the places of the
 *                     merton jumps of step k (mc_payoff): draws (k + 1)
 *                     2^32 + 2^31 + d.
 *  MC_STREAM_CAL      the calibration and pilot paths of a seed (the
 *                     Longstaff-Schwartz exercise rule, the control
 *                     variate's coefficient), independent of the priced
 *                     paths: as PATH under the seed XOR 0x9E3779B97F4A7C15.
 *  MC_STREAM_SCRAMBLE the random scramble of Sobol replicate r (mc_qmc):
 *                     the seed's key, counter (draw_lo, draw_hi, r_lo,
 *                     r_hi + 2^31), an index no path below 2^63 reaches.
 *  MC_STREAM_SOBOL_TAIL the uniforms of point i's coordinates past the
 *                     Sobol table (mc_qmc): the path stream's draws
 *                     2^30 + d, which neither a path's own draws (below
 *                     2^30) nor the bridge's (2^31 and on) reach.
 *  MC_STREAM_DUAL     the outer and inner paths of the duality upper
 *                     bound (mc_dual): the seed's key, counter (draw_lo,
 *                     draw_hi, index_lo, index_hi + 2^30), an index from
 *                     2^62 to 2^63, which no path (below 2^62) nor
 *                     Sobol scramble (2^63 and on) reaches.
 *
 * GSL's generators cannot jump, so they restart at every block of
 * MC_BLOCK indices from mc_stream_gsl_seed(kind's seed, block).
 */
#ifndef MC_STREAM_H
#define MC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "mc_philox.h"

enum mc_stream_kind {
	MC_STREAM_PATH, MC_STREAM_BRIDGE, MC_STREAM_CAL, MC_STREAM_SCRAMBLE,
	MC_STREAM_SOBOL_TAIL, MC_STREAM_DUAL
};

/* A kind of stream under one seed: its key and the bits its counters set. */
typedef struct mc_stream {
	uint32_t key[2];
	uint64_t draw_bit;	/* or'ed into every draw */
	uint64_t index_bit;	/* or'ed into every index */
} mc_stream;

/*
 * The 64-bit seed that kind's streams take from seed: seed itself, or
 * for MC_STREAM_CAL the calibration seed.  GSL generators and Sobol
 * scrambles of that kind are keyed by it.
 */
uint64_t mc_stream_seed(uint64_t seed, int kind);

/* Sets s to kind's streams under seed (a kind of enum mc_stream_kind). */
void mc_stream_init(mc_stream *s, uint64_t seed, int kind);

/*
 * The Philox counter of draw of index in s.  Draws and indices must stay
 * below the bit their kind sets (2^31 draws for MC_STREAM_BRIDGE, 2^63
 * indices for MC_STREAM_SCRAMBLE, 2^30 draws for MC_STREAM_SOBOL_TAIL,
 * 2^62 indices for MC_STREAM_DUAL).
 */
static inline void
mc_stream_ctr(const mc_stream *s, uint64_t index, uint64_t draw,
    uint32_t ctr[4])
{
	draw |= s->draw_bit;
	index |= s->index_bit;
	ctr[0] = (uint32_t)draw;
	ctr[1] = (uint32_t)(draw >> 32);
	ctr[2] = (uint32_t)index;
	ctr[3] = (uint32_t)(index >> 32);
}

/* The four words of draw of index in s. */
static inline void
mc_stream_words(const mc_stream *s, uint64_t index, uint64_t draw,
    uint32_t out[4])
{
	uint32_t ctr[4];

	mc_stream_ctr(s, index, draw, ctr);
	mc_philox(ctr, s->key, out);
}

/*
 * The words of draw for count consecutive indices first, first + 1, ...
 * in SIMD lanes (mc_philox_block), structure of arrays: word k of index
 * first + j goes to wk[j]; with w2 NULL, words 0 and 1 only.
 */
void mc_stream_block(const mc_stream *s, uint64_t draw, uint64_t first,
    size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3);

/*
 * The seed a GSL generator takes at the start of block (indices block *
 * MC_BLOCK on) of the streams of seed: a SplitMix64 hash of both, never
 * 0 (some GSL generators read 0 as "the default seed").
 */
unsigned long mc_stream_gsl_seed(uint64_t seed, uint64_t block);

#endif
