/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_vmath: exp, log and the inverse normal CDF over arrays, in plain C
 * that the compiler vectorises.
 *
 * Every element is computed by the same fixed sequence of IEEE +, -, *,
 * /, sqrt and integer bit operations (no libm calls, no FMA contraction),
 * so its result depends on its input only: not on the array's length, its
 * position, nor the SIMD width the loop runs in.  The loops are built for
 * the x86-64 baseline (SSE2) and, when the CPU has them, AVX2 and
 * AVX-512; tests/unit/test_vmath.c runs every build on the same inputs and
 * requires identical bits.
 *
 * Accuracy (tests/unit/test_vmath.c, against libm and GSL over millions
 * of points, the subnormal and overflow edges and the tails): exp within
 * 1 ulp, log within 2 ulp, the inverse normal within 1e-15 relative
 * (Wichura's AS241 is good to about 1e-16).
 */
#ifndef MC_VMATH_H
#define MC_VMATH_H

#include <stddef.h>
#include <stdint.h>

/*
 * y[i] = exp(x[i]) for i < n; y may be x.  Overflow gives inf, underflow
 * 0 or a subnormal, NaN stays NaN.  A 16-entry table of 2^(j/16) (one
 * permute of two registers on AVX-512) and a degree-7 polynomial.
 */
void mc_vexp(const double *x, double *y, size_t n);

/*
 * y[i] = log(x[i]) for i < n; y may be x.  log(0) = -inf, log(inf) = inf,
 * a negative x or NaN gives NaN.
 */
void mc_vlog(const double *x, double *y, size_t n);

/*
 * z[i] = the standard normal quantile of u[i] (the inverse of Phi) for
 * i < n; z may be u.  u = 0 gives -inf, u = 1 inf, u outside [0, 1] or
 * NaN gives NaN.  Wichura's algorithm AS241 (PPND16), "The percentage
 * points of the normal distribution", Applied Statistics 37 (1988) 477.
 */
void mc_vninv(const double *u, double *z, size_t n);

/*
 * u[i] = mc_u53(hi[i], lo[i]) for i < n: the uniforms of Philox words
 * that mc_philox_block laid out as arrays.
 */
void mc_vu53(const uint32_t *hi, const uint32_t *lo, double *u, size_t n);

/*
 * mcpi's darts: how many of (mc_u53(w0[i], w1[i]), mc_u53(w2[i], w3[i])),
 * i < n, have x^2 + y^2 <= 1, computed as x * x + y * y <= 1.0.
 */
uint64_t mc_vhits(const uint32_t *w0, const uint32_t *w1, const uint32_t *w2,
    const uint32_t *w3, size_t n);

/*
 * How many of x[0..n) equal a, into *na, and b, into *nb (as ==: -0
 * equals 0, NaN nothing): the payoffs at the ends of their range that
 * mcprice counts for its interval when every path paid the same.
 */
void mc_vcount2(const double *x, size_t n, double a, double b, uint64_t *na,
    uint64_t *nb);

/*
 * The sums of x[0..n), n a power of two: t[0] of the values, t[1] of
 * their rounded squares and t[2] of the squares' rounding errors (Dekker,
 * exact), so t[1] + t[2] is the sum of the exact squares.  Each is a
 * fixed pairwise tree (its shape depends on n only), whose error is
 * O(log n) roundings, and which adds n equal values exactly (every
 * addition doubles a sum).  A block kernel adds the three to an exact
 * accumulator (mc_acc_add_sums), a block of any length as pieces of
 * power-of-two lengths, largest first; with blocks fixed by path index,
 * every split of the work adds the same numbers.  For any other n, t is
 * left unset.
 */
void mc_vsum3(const double *x, size_t n, double t[3]);

/*
 * The same kernels in a chosen instruction set (MC_ISA_* of
 * mc_isa.h), for tests that compare them.  Return 0, or -1 when this CPU
 * or build lacks it (mc_vsum3_isa also when n is not a power of two).
 */
int mc_vexp_isa(int isa, const double *x, double *y, size_t n);
int mc_vlog_isa(int isa, const double *x, double *y, size_t n);
int mc_vninv_isa(int isa, const double *u, double *z, size_t n);
int mc_vu53_isa(int isa, const uint32_t *hi, const uint32_t *lo, double *u,
    size_t n);
int mc_vhits_isa(int isa, const uint32_t *w0, const uint32_t *w1,
    const uint32_t *w2, const uint32_t *w3, size_t n, uint64_t *hits);
int mc_vsum3_isa(int isa, const double *x, size_t n, double t[3]);
int mc_vcount2_isa(int isa, const double *x, size_t n, double a, double b,
    uint64_t *na, uint64_t *nb);

#endif
