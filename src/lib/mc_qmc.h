/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_qmc: randomised quasi-Monte Carlo points (Sobol).
 *
 * OWNER: the mcgen work (issue 2) implements this; mcprice and mc_path use
 * it for --qmc sobol.  The interface below is the contract; extend it, but
 * keep what is here.
 *
 * Point i depends on (seed, i) only, so shards and threads agree.  The
 * randomisation makes each point uniform on (0,1)^dim, so estimates stay
 * unbiased and a standard error can be computed honestly from replicates.
 *
 * How replicates are formed.  The sequence is Sobol's, with the direction
 * numbers of Joe and Kuo (new-joe-kuo-6.21201, for the first
 * mc_qmc_maxdim() coordinates), in Gray-code order.  A generator has P
 * points a replicate (mc_qmc_alloc_rep; MC_BLOCK for mc_qmc_alloc):
 * index i belongs to replicate r = i / P and is point n = i % P of it, so
 * every replicate is the same P-point Sobol sequence, randomised afresh.
 * The randomisation of replicate r in each dimension is a random linear
 * matrix scramble (a lower-triangular binary matrix with unit diagonal,
 * Matousek 1998) followed by a random digital shift (an XOR with 64
 * random bits), both drawn from the seed's MC_STREAM_SCRAMBLE stream of r
 * (mc_stream: Philox counter (word, dimension, r + 2^63), which no
 * pseudo-random stream of an index below 2^63 uses).  So the replicates
 * are independent and identically distributed, each point is uniform on
 * (0,1)^dim, and the first 2^k points of a replicate (2^k <= P) form a
 * (t, k, dim)-net: one point in each of the 2^k intervals
 * [m 2^-k, (m+1) 2^-k) of every coordinate.  The means of whole
 * replicates are therefore i.i.d. estimates, and their spread gives an
 * honest standard error (mcprice does this).  Coordinates are written as
 * (k + 1/2) 2^-53 from the top 53 scrambled bits, strictly inside (0, 1).
 *
 * Past the table.  Coordinates mc_qmc_maxdim() (21201) and on (a path of
 * many dates) are not Sobol's: coordinate S + e of point i, S the Sobol
 * coordinates, is the pseudo-random uniform e of i's MC_STREAM_SOBOL_TAIL
 * stream (Philox,
 * laid out as a path's uniforms), independent of everything else.  Every
 * point is still uniform and the replicates still i.i.d., so estimates
 * and their errors stay honest; only the first coordinates are
 * low-discrepancy, which is why mc_path gives them the Brownian bridge's
 * first, largest moves.
 */
#ifndef MC_QMC_H
#define MC_QMC_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

typedef struct mc_qmc mc_qmc;

/* The coordinates that are Sobol's (the table's dimensions). */
unsigned mc_qmc_maxdim(void);

/* How a generator's replicates are made (mc_qmc_alloc_rep). */
typedef struct mc_qmc_opts {
	uint64_t points;	/* a replicate's points, 1 .. 2^32 */
	unsigned sobol;		/* Sobol coordinates at most; 0: the table's */
	int rotate;		/* 1: a random rotation mod 1 after the shift */
} mc_qmc_opts;

/*
 * Allocates randomised Sobol points of dimension dim (1 or more; past
 * mc_qmc_maxdim() as said above) keyed by seed, in replicates of
 * o->points points.  The first o->sobol coordinates at most are Sobol's,
 * the rest pseudo-random as past the table (tests meet that tail at a
 * small dimension this way).  With o->rotate, each coordinate of a
 * replicate is also rotated: its 64 scrambled bits plus 64 random ones
 * modulo 2^64 (a Cranley-Patterson rotation of the fixed-point value),
 * then folded by the baker's map v -> 2v below 1/2, 2(1 - v) above (so
 * that the rotation's wrap from 1 to 0 joins like values: a plain wrap
 * multiplies a call's error by up to 7).  Each point stays uniform; a
 * replicate is still stratified along each coordinate, but where the
 * strata fall is uniform, so the fraction of a stratum that a step
 * function's threshold cuts (a digital payoff) varies from replicate to
 * replicate and their spread sees the error, where unrotated replicates
 * of 2^k points cut it at the same place every time and can all agree
 * (an interval of width 0).  Rotated points are no longer a (t, k, s)-net
 * in the sense above.
 * Returns NULL with EX_USAGE (a dimension of 0, a replicate size out of
 * range) or EX_OSERR.
 */
mc_qmc *mc_qmc_alloc_rep(unsigned dim, uint64_t seed, const mc_qmc_opts *o,
    mc_err *err);

/* mc_qmc_alloc_rep with replicates of MC_BLOCK points. */
mc_qmc *mc_qmc_alloc(unsigned dim, uint64_t seed, mc_err *err);

/* The points a replicate of q has. */
uint64_t mc_qmc_points(const mc_qmc *q);

/* Frees q; NULL is fine. */
void mc_qmc_free(mc_qmc *q);

/* The dimension q was allocated with. */
unsigned mc_qmc_dim(const mc_qmc *q);

/*
 * Writes point index into u[0 .. dim-1], each strictly inside (0, 1).
 * It draws the scramble of index's replicate afresh (7 to 17 Philox calls a
 * dimension), so it is exact and safe to call from many threads at once,
 * but slow for many points: prefer mc_qmc_block for those.
 */
void mc_qmc_point(const mc_qmc *q, uint64_t index, double *u);

/*
 * Writes points first .. first + count - 1 into u, dimension-major like
 * mc_path's blocks: coordinate k of point first + j is u[k * count + j].
 * The numbers are those of mc_qmc_point, bit for bit; mc_qmc_block keeps
 * the current replicate's scramble in q and steps along the Gray code, so
 * it costs one XOR a coordinate.  A generator is used by one thread at a
 * time here.  Any first and count are fine.
 */
void mc_qmc_block(mc_qmc *q, uint64_t first, size_t count, double *u);

/*
 * The plain (unscrambled) Sobol point n < 2^32 of q's dimension, in
 * Gray-code order with point 0 at the origin, as published by Joe and
 * Kuo; coordinates past mc_qmc_maxdim() are NaN.  For tests and for
 * comparison with other implementations.
 */
void mc_qmc_sobol(const mc_qmc *q, uint64_t n, double *u);

#endif
