/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_vmath_elem: the element code of mc_vmath's kernels that other
 * modules' block kernels inline (mc_path's Heston step takes its logs
 * here), so that a whole step is one loop the compiler vectorises, with
 * the same bits as mc_vlog's.  Private to src/lib; include it only in
 * files built like mc_vmath.c (-O3, -ffp-contract=off, stamped per
 * instruction set through mc_isa).
 */
#ifndef MC_VMATH_ELEM_H
#define MC_VMATH_ELEM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MC_ALWAYS static inline __attribute__((always_inline))

/* The bits of a double, and back. */
MC_ALWAYS uint64_t
mc_bits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

MC_ALWAYS double
mc_from_bits(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/*
 * log(x): fdlibm's e_log.c (Sun, 1993) without branches.  x = 2^k m with
 * sqrt(2)/2 <= m < sqrt(2), f = m - 1, s = f / (2 + f), log(1 + f) =
 * f - (hfsq - s (hfsq + R(s^2))), hfsq = f^2 / 2, R its minimax
 * polynomial (error below 2^-58.45).  Subnormals are scaled by 2^54
 * first.  log(0) = -inf, log(inf) = inf, a negative x or NaN gives NaN.
 */
#define MC_LN2_HI 6.93147180369123816490e-01	/* 0x3fe62e42 fee00000 */
#define MC_LN2_LO 1.90821492927058770002e-10	/* 0x3dea39ef 35793c76 */
#define MC_LG1 6.666666666666735130e-01
#define MC_LG2 3.999999999940941908e-01
#define MC_LG3 2.857142874366239149e-01
#define MC_LG4 2.222219843214978396e-01
#define MC_LG5 1.818357216161805012e-01
#define MC_LG6 1.531383769920937332e-01
#define MC_LG7 1.479819860511658591e-01

/*
 * mc_log_elem in two halves, for block loops that keep them apart (see
 * mc_log_run): the head's f, s and dk from x, then the tail's log.
 */
MC_ALWAYS double
mc_log_head(double x, double *f, double *dk)
{
	double xs, adj, d, m, ff;
	uint64_t u;

	xs = x < 0x1p-1022 ? x * 0x1p54 : x;
	adj = x < 0x1p-1022 ? 54.0 : 0.0;
	u = mc_bits(xs);
	d = mc_from_bits(((u >> 52) & 0x7ff) |
	    UINT64_C(0x4330000000000000)) - 0x1p52;
	d = (d - 1023.0) - adj;
	m = mc_from_bits((u & UINT64_C(0x000fffffffffffff)) |
	    UINT64_C(0x3ff0000000000000));
	d = m > 1.4142135623730951 ? d + 1.0 : d;
	m = m > 1.4142135623730951 ? m * 0.5 : m;
	ff = m - 1.0;
	*f = ff;
	*dk = d;
	return ff / (2.0 + ff);
}

MC_ALWAYS double
mc_log_tail(double x, double f, double s, double dk)
{
	double z, w, R, hfsq, v;

	z = s * s;
	w = z * z;
	R = z * (MC_LG1 + w * (MC_LG3 + w * (MC_LG5 + w * MC_LG7))) +
	    w * (MC_LG2 + w * (MC_LG4 + w * MC_LG6));
	hfsq = 0.5 * f * f;
	v = dk * MC_LN2_HI - ((hfsq - (s * (hfsq + R) + dk * MC_LN2_LO)) - f);
	v = x == INFINITY ? x : v;
	v = x > 0 ? v : x == 0 ? -INFINITY : NAN;
	return v;
}

MC_ALWAYS double
mc_log_elem(double x)
{
	double f, dk, s = mc_log_head(x, &f, &dk);

	return mc_log_tail(x, f, s, dk);
}

/*
 * y[i] = mc_log_elem(x[i]) for i < n (y may be x), the halves in two
 * loops a chunk at a time, so that the CPU overlaps many elements'
 * chains of dependent operations: the same bits.
 */
#define MC_LOG_CHUNK 256

MC_ALWAYS void
mc_log_run(const double *x, double *y, size_t n)
{
	double f[MC_LOG_CHUNK], s[MC_LOG_CHUNK], dk[MC_LOG_CHUNK];
	size_t i0, i, c;

	for (i0 = 0; i0 < n; i0 += MC_LOG_CHUNK) {
		c = n - i0 < MC_LOG_CHUNK ? n - i0 : MC_LOG_CHUNK;
		for (i = 0; i < c; i++)
			s[i] = mc_log_head(x[i0 + i], &f[i], &dk[i]);
		for (i = 0; i < c; i++)
			y[i0 + i] = mc_log_tail(x[i0 + i], f[i], s[i], dk[i]);
	}
}

#endif
