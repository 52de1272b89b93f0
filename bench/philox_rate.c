/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * philox_rate: Philox4x32-10 words per second of mc_philox_block in each
 * instruction set this CPU has, all four words and words 0 and 1 only,
 * the best of five trials each (a virtual machine's speed drifts from
 * one second to the next), for the report of scripts/bench.  Prints
 * "isa,indices_per_s,two_words_indices_per_s".
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "mc_rng.h"

#define N 512

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The best rate of five trials, words 2 and 3 too or not. */
static double
best_rate(int isa, int two, uint32_t *sink)
{
	static uint32_t w[4][N];
	uint32_t key[2];
	uint64_t i, reps = 20000;
	double t, best = 0;
	int trial;

	/* The key of seed 42, as mc_stream makes it: low word first. */
	key[0] = 42;
	key[1] = 0;
	for (trial = 0; trial < 5; trial++) {
		t = now();
		for (i = 0; i < reps; i++) {
			mc_philox_block_isa(isa, key, 0, 0, i * N, N, w[0],
			    w[1], two ? NULL : w[2], w[3]);
			*sink ^= w[0][i % N];
		}
		t = now() - t;
		if ((double)(reps * N) / t > best)
			best = (double)(reps * N) / t;
	}
	return best;
}

int
main(void)
{
	static uint32_t w[4][N];
	static const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
	uint32_t key[2] = { 42, 0 }, sink = 0;
	double four;
	int isa;

	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (mc_philox_block_isa(isa, key, 0, 0, 0, N, w[0], w[1], w[2],
		    w[3]) != 0)
			continue;
		four = best_rate(isa, 0, &sink);
		printf("%s,%.4g,%.4g\n", names[isa], four,
		    best_rate(isa, 1, &sink));
	}
	return sink == 12345 ? 1 : 0;
}
