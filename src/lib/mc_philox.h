/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_philox: the Philox4x32-10 bijection (Salmon, Moraes, Dror and Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC11), one counter at a
 * time or a run of consecutive counters in SIMD lanes, and the uniforms
 * made from its words.
 *
 * Which key and counter a stream of numbers uses is mc_stream's business;
 * this module only computes the words.  Philox is integer arithmetic
 * (32x32->64 multiplies and xors), so every lane width gives the same
 * words; tests/unit/test_philox.c compares every width the CPU runs with
 * mc_philox(), which test_rng checks against Random123's known answers.
 */
#ifndef MC_PHILOX_H
#define MC_PHILOX_H

#include <stddef.h>
#include <stdint.h>

#include "mc_isa.h"

/*
 * One Philox4x32-10 bijection: out = philox(ctr, key).  Inline so that
 * block kernels can vectorise loops over it.
 */
static inline void
mc_philox(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
	uint32_t x0 = ctr[0], x1 = ctr[1], x2 = ctr[2], x3 = ctr[3];
	uint32_t k0 = key[0], k1 = key[1];
	int r;

	for (r = 0; r < 10; r++) {
		uint64_t p0 = (uint64_t)UINT32_C(0xD2511F53) * x0;
		uint64_t p1 = (uint64_t)UINT32_C(0xCD9E8D57) * x2;

		if (r > 0) {
			k0 += UINT32_C(0x9E3779B9);
			k1 += UINT32_C(0xBB67AE85);
		}
		x0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0;
		x1 = (uint32_t)p1;
		x2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1;
		x3 = (uint32_t)p0;
	}
	out[0] = x0;
	out[1] = x1;
	out[2] = x2;
	out[3] = x3;
}

/* The largest uniform, 1 - 2^-53: the double below 1. */
#define MC_U53_MAX 0x1.fffffffffffffp-1

/*
 * A uniform double in (0, 1) from 53 bits of two words: (k + 1/2) 2^-53
 * rounded to double, so 0 never comes out; nor does 1, which that rounds
 * to for k = 2^53 - 1 (MC_U53_MAX instead): an inverse CDF never sees it.
 */
static inline double
mc_u53(uint32_t hi, uint32_t lo)
{
	uint64_t k = ((uint64_t)hi << 21) ^ (lo >> 11);
	double u = ((double)k + 0.5) * 0x1p-53;

	return u < 1 ? u : MC_U53_MAX;
}

/*
 * Philox words for count consecutive counters {d0, d1, index_lo,
 * index_hi}, index = first, first + 1, ..., structure of arrays: word k of
 * index first + j goes to wk[j].  The same words as mc_philox(), computed
 * several indices at a time in SIMD lanes of mc_isa_best().  With w2
 * NULL, words 0 and 1 only (w3 is not used), with less work.
 */
void mc_philox_block(const uint32_t key[2], uint32_t d0, uint32_t d1,
    uint64_t first, size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2,
    uint32_t *w3);

/*
 * The same in a chosen instruction set (MC_ISA_*), for tests that compare
 * them.  Returns 0, or -1 when this CPU or build lacks it.
 */
int mc_philox_block_isa(int isa, const uint32_t key[2], uint32_t d0,
    uint32_t d1, uint64_t first, size_t count, uint32_t *w0, uint32_t *w1,
    uint32_t *w2, uint32_t *w3);

#endif
