/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_rng: counter-based random streams.
 *
 * The default generator is Philox4x32-10 (Salmon, Moraes, Dror and Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC11).  Its key is the
 * 64-bit seed and its counter is (index, draw), where index is a path or
 * point number: the numbers of index i depend on (seed, i) only, so any
 * split into shards or threads draws the same numbers.
 *
 * Philox is also a gsl_rng_type, so every gsl_ran_* distribution runs on
 * it.  GSL's own generators (mt19937, ranlxd2, taus2, ...) are offered too;
 * they are reseeded at the start of every block of MC_BLOCK indices from
 * (seed, block), so block-aligned shards and threads agree with each
 * other, but their blocks are not provably independent streams.
 */
#ifndef MC_RNG_H
#define MC_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "mc_err.h"

/* Indices come in blocks of this many; shards and threads split by block. */
#define MC_BLOCK 4096

/* The documented default seed. */
#define MC_SEED_DEFAULT 1

/* Philox4x32-10 as a GSL generator type, named "philox". */
extern const gsl_rng_type *mc_rng_philox;

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

/*
 * A uniform double in (0, 1) from 53 bits of two words: (k + 1/2) 2^-53,
 * so neither 0 nor 1 ever comes out and u and 1 - u are equally likely.
 */
static inline double
mc_u53(uint32_t hi, uint32_t lo)
{
	uint64_t k = ((uint64_t)hi << 21) ^ (lo >> 11);

	return ((double)k + 0.5) * 0x1p-53;
}

/* Splits the seed into Philox's two key words. */
static inline void
mc_philox_key(uint64_t seed, uint32_t key[2])
{
	key[0] = (uint32_t)seed;
	key[1] = (uint32_t)(seed >> 32);
}

/* Instruction sets of mc_philox_block_isa, slowest first. */
enum { MC_ISA_SCALAR, MC_ISA_SSE2, MC_ISA_AVX2, MC_ISA_AVX512 };

/*
 * Philox words for count consecutive indices first, first + 1, ... at draw
 * counter (d0, d1), structure of arrays: word k of index first + j goes to
 * wk[j].  The same words as mc_philox() with ctr = {d0, d1, index_lo,
 * index_hi}, computed several indices at a time in SIMD lanes of the best
 * instruction set the CPU has (chosen at run time; the numbers never
 * depend on it).
 */
void mc_philox_block(const uint32_t key[2], uint32_t d0, uint32_t d1,
    uint64_t first, size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2,
    uint32_t *w3);

/*
 * The same with a chosen instruction set (MC_ISA_*), for tests that
 * compare them.  Returns 0, or -1 when this CPU or build lacks it.
 */
int mc_philox_block_isa(int isa, const uint32_t key[2], uint32_t d0,
    uint32_t d1, uint64_t first, size_t count, uint32_t *w0, uint32_t *w1,
    uint32_t *w2, uint32_t *w3);

/* The best MC_ISA_* that this CPU and build have. */
int mc_isa_best(void);

typedef struct mc_rng mc_rng;

/*
 * Allocates generator name ("philox", or any name in gsl_rng_types) with
 * the given seed, positioned at index 0.  Returns NULL and sets err
 * (EX_USAGE for an unknown name, EX_OSERR when out of memory).
 */
mc_rng *mc_rng_alloc(const char *name, uint64_t seed, mc_err *err);

/* Frees r; NULL is fine. */
void mc_rng_free(mc_rng *r);

/*
 * Moves to the start of index's stream.  For Philox any index may be
 * visited in any order.  GSL's generators are reseeded when index is a
 * multiple of MC_BLOCK and otherwise go on where they are, so they must
 * visit the indices of a block in order from its start.
 */
void mc_rng_seek(mc_rng *r, uint64_t index);

/* The gsl_rng to draw from, for gsl_rng_uniform and gsl_ran_*. */
gsl_rng *mc_rng_gsl(mc_rng *r);

/* 1 if the generator is Philox, whose streams depend on the index only. */
int mc_rng_is_philox(const mc_rng *r);

/* Writes the names of the available generators, comma-separated. */
void mc_rng_list(char *buf, size_t size);

#endif
