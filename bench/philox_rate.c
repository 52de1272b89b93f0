/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * philox_rate: Philox4x32-10 words per second of mc_philox_block in each
 * instruction set this CPU has, and of one-at-a-time mc_philox, for the
 * report of scripts/bench.  Prints "isa,indices_per_s".
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

int
main(void)
{
	static uint32_t w[4][N];
	static const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
	uint32_t key[2], sink = 0;
	uint64_t i, reps = 40000;
	double t;
	int isa;

	/* The key of seed 42, as mc_stream makes it: low word first. */
	key[0] = 42;
	key[1] = 0;
	for (isa = MC_ISA_SCALAR; isa <= MC_ISA_AVX512; isa++) {
		if (mc_philox_block_isa(isa, key, 0, 0, 0, N, w[0], w[1], w[2],
		    w[3]) != 0)
			continue;
		t = now();
		for (i = 0; i < reps; i++) {
			mc_philox_block_isa(isa, key, 0, 0, i * N, N, w[0],
			    w[1], w[2], w[3]);
			sink ^= w[0][i % N];
		}
		t = now() - t;
		printf("%s,%.4g\n", names[isa], (double)(reps * N) / t);
	}
	return sink == 12345 ? 1 : 0;
}
