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
 * unbiased and a standard error can be computed honestly (see the
 * implementation's notes on how replicates are formed).
 *
 * How replicates are formed.  The sequence is Sobol's, with the direction
 * numbers of Joe and Kuo (new-joe-kuo-6.21201, up to mc_qmc_maxdim()
 * dimensions), in Gray-code order.  Index i belongs to replicate
 * r = i / MC_BLOCK and is point n = i % MC_BLOCK of it: every replicate is
 * the same 4096-point Sobol net, randomised afresh.  The randomisation of
 * replicate r in each dimension is a random linear matrix scramble (a
 * lower-triangular binary matrix with unit diagonal, Matousek 1998)
 * followed by a random digital shift (an XOR with 64 random bits), both
 * drawn from the seed's MC_STREAM_SCRAMBLE stream of r (mc_stream: Philox
 * counter (word, dimension, r + 2^63), which no pseudo-random stream of
 * an index below 2^63 uses).
 * So the replicates are independent and identically distributed, each
 * point is uniform on (0,1)^dim, and each replicate is still a (t, 12,
 * dim)-net: its first 2^k points, k <= 12, put one point in each of the
 * 2^k intervals [m 2^-k, (m+1) 2^-k) of every coordinate.  The means of
 * whole blocks are therefore i.i.d. estimates, and their spread gives an
 * honest standard error (mcprice does this).  Coordinates are written as
 * (k + 1/2) 2^-53 from the top 53 scrambled bits, strictly inside (0, 1).
 */
#ifndef MC_QMC_H
#define MC_QMC_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

typedef struct mc_qmc mc_qmc;

/* The largest dimension supported. */
unsigned mc_qmc_maxdim(void);

/*
 * Allocates a randomised Sobol sequence of dimension dim (1 ..
 * mc_qmc_maxdim()) keyed by seed.  Returns NULL with EX_USAGE ("--qmc
 * sobol: at most D dimensions") or EX_OSERR.
 */
mc_qmc *mc_qmc_alloc(unsigned dim, uint64_t seed, mc_err *err);

/* Frees q; NULL is fine. */
void mc_qmc_free(mc_qmc *q);

/* The dimension q was allocated with. */
unsigned mc_qmc_dim(const mc_qmc *q);

/*
 * Writes point index into u[0 .. dim-1], each strictly inside (0, 1).
 * It draws the scramble of index's replicate afresh (seven Philox calls a
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
 * Kuo.  For tests and for comparison with other implementations.
 */
void mc_qmc_sobol(const mc_qmc *q, uint64_t n, double *u);

#endif
