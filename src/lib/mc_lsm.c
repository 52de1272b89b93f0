/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Longstaff-Schwartz kernels (see mc_lsm.h).
 *
 * Each kernel is an always-inline body, specialised for the basis size
 * (p = 4 or 6, a constant where inlined, so the loops have no branch) and
 * stamped into a baseline function and functions built for AVX2 and
 * AVX-512 (mc_isa), chosen at run time by mc_isa_best().  The
 * Makefile builds this file with -O3 and -ffp-contract=off.
 */
#include "mc_lsm.h"

#include <string.h>

#include "mc_isa.h"

#define ALWAYS static inline __attribute__((always_inline))
#define MAXBASIS MC_LSM_MAXBASIS
#define NACC (MAXBASIS * (MAXBASIS + 3) / 2)

/*
 * The intrinsic value with sg = 1 for a call and -1 for a put: -(s - k)
 * is k - s exactly, and a product, unlike a choice between two
 * differences, leaves no branch in the loops.
 */
ALWAYS double
intrinsic(double sg, double s, double k)
{
	double x = sg * (s - k);

	return x > 0 ? x : 0;
}

/*
 * The fitted continuation value beta . b, added in basis order, written
 * out so that loops over paths vectorise.
 */
ALWAYS double
contval(double K, const double *beta, int heston, double s, double v)
{
	double t = s / K, cont = 0;

	cont += beta[0] * 1.0;
	cont += beta[1] * t;
	cont += beta[2] * (t * t);
	cont += beta[3] * (t * t * t);
	if (heston) {
		cont += beta[4] * v;
		cont += beta[5] * (v * t);
	}
	return cont;
}

/*
 * Eight paths in the eight lanes of GCC vector types, which the compiler
 * maps onto four SSE2, two AVX2 or one AVX-512 register: lane q of every
 * operation is the same IEEE operation on path q whatever the width.
 */
typedef double v8d __attribute__((vector_size(64)));
typedef long long v8l __attribute__((vector_size(64)));

/*
 * Eight paths' terms of the normal equations, path q in lane q: the
 * p (p + 1) / 2 products of G's lower triangle, then the p of r.  The
 * weight w is 1.0 in the money and 0 out of it, from the comparison's
 * mask and the bits of 1.0.
 */
ALWAYS void
gram8(double sg, double K, int heston, const double *x, const double *v,
    const double *y, v8d *acc, v8d *itm)
{
	const v8l one = (v8l){ 0 } + 0x3ff0000000000000LL;
	unsigned k, l, a, p = heston ? 6 : 4, na = p * (p + 3) / 2;
	v8d s, t, w, b[MAXBASIS], cy, vv;

	__builtin_memcpy(&s, x, sizeof(s));
	__builtin_memcpy(&cy, y, sizeof(cy));
	t = s / K;
	w = (v8d)((sg * (s - K) > 0) & one);
	b[0] = w;
	b[1] = w * t;
	b[2] = w * (t * t);
	b[3] = w * (t * t * t);
	if (heston) {
		__builtin_memcpy(&vv, v, sizeof(vv));
		b[4] = w * vv;
		b[5] = w * (vv * t);
	}
	cy = w * cy;
	*itm += w;
	for (k = 0, a = 0; k < p; k++)
		for (l = 0; l <= k; l++, a++)
			acc[a] += b[k] * b[l];
	for (k = 0; k < p; k++)
		acc[na - p + k] += b[k] * cy;
}

/* The lanes' sums of a whole row; the tail is padded. */
ALWAYS void
gram_body(int put, double K, int heston, const double *x, const double *v,
    const double *y, size_t n, double (*out)[8], double *itm)
{
	double xt[8], vt[8], yt[8], sg = put ? -1.0 : 1.0;
	v8d acc[NACC], it = { 0 };
	size_t j0, q;
	unsigned a;

	for (a = 0; a < NACC; a++)
		acc[a] = (v8d){ 0 };
	for (j0 = 0; j0 + 8 <= n; j0 += 8)
		gram8(sg, K, heston, x + j0, heston ? v + j0 : NULL, y + j0,
		    acc, &it);
	if (j0 < n) {
		/* The tail, padded with paths at the strike: out of the
		 * money, so they weigh 0. */
		for (q = 0; q < 8; q++) {
			xt[q] = j0 + q < n ? x[j0 + q] : K;
			vt[q] = j0 + q < n && heston ? v[j0 + q] : 0;
			yt[q] = j0 + q < n ? y[j0 + q] : 0;
		}
		gram8(sg, K, heston, xt, vt, yt, acc, &it);
	}
	__builtin_memcpy(out, acc, sizeof(acc));
	__builtin_memcpy(itm, &it, sizeof(it));
}

/*
 * One exercise date of the rule over a row of paths.  Arithmetic, not a
 * select, on done: GCC's if-conversion gives up on the select, and
 * e (1 - done) is exact.
 */
ALWAYS void
rule_body(int put, double K, const double *beta, int heston,
    const double *s, const double *v, size_t n, double d, double *Y,
    double *done)
{
	double bt[MAXBASIS] = { 0 }, sg = put ? -1.0 : 1.0;
	size_t j;

	/* A local copy: Y and done cannot alias it. */
	memcpy(bt, beta, (heston ? 6 : 4) * sizeof(*bt));
	for (j = 0; j < n; j++) {
		double e = intrinsic(sg, s[j], K);
		double cont = contval(K, bt, heston, s[j], heston ? v[j] : 0);
		double y = Y[j], de, ex;
		if (done != NULL)
			e *= 1.0 - done[j];
		de = d * e;
		/* e > 0 and e > cont, as one mask of doubles. */
		ex = e > cont ? 1.0 : 0.0;
		ex = e > 0 ? ex : 0.0;
		if (done != NULL)
			done[j] += ex;
		Y[j] = ex > 0 ? de : y;
	}
}

typedef void gram_fn(int, double, const double *, const double *,
    const double *, size_t, double (*)[8], double *);
typedef void rule_fn(int, double, const double *, const double *,
    const double *, size_t, double, double *, double *);

/* Four builds of each kernel per instruction set: p = 4 or 6, and the
 * rule with and without done. */
#define STAMP(NAME, TARGET)						\
TARGET static void gram4_##NAME(int put, double K, const double *x,	\
    const double *v, const double *y, size_t n, double (*acc)[8],	\
    double *itm)							\
{ gram_body(put, K, 0, x, v, y, n, acc, itm); }				\
TARGET static void gram6_##NAME(int put, double K, const double *x,	\
    const double *v, const double *y, size_t n, double (*acc)[8],	\
    double *itm)							\
{ gram_body(put, K, 1, x, v, y, n, acc, itm); }				\
TARGET static void rule4_##NAME(int put, double K, const double *beta,	\
    const double *s, const double *v, size_t n, double d, double *Y,	\
    double *done)							\
{									\
	if (done != NULL)						\
		rule_body(put, K, beta, 0, s, v, n, d, Y, done);	\
	else								\
		rule_body(put, K, beta, 0, s, v, n, d, Y, NULL);	\
}									\
TARGET static void rule6_##NAME(int put, double K, const double *beta,	\
    const double *s, const double *v, size_t n, double d, double *Y,	\
    double *done)							\
{									\
	if (done != NULL)						\
		rule_body(put, K, beta, 1, s, v, n, d, Y, done);	\
	else								\
		rule_body(put, K, beta, 1, s, v, n, d, Y, NULL);	\
}

STAMP(base, )
#ifdef MC_ISA_SIMD
STAMP(avx2, MC_ISA_TARGET_AVX2)
STAMP(avx512, MC_ISA_TARGET_AVX512)
#endif

#define PICK MC_ISA_PICK

int
mc_lsm_gram_isa(int isa, int put, double K, unsigned p, const double *x,
    const double *v, const double *y, size_t n, double *G, double *r,
    size_t *itm)
{
	double acc[NACC][8], it[8];
	unsigned k, l, a, na = p * (p + 3) / 2;
	gram_fn *f = p > 4 ? PICK(isa, gram6) : PICK(isa, gram4);
	size_t q;

	if (f == NULL)
		return -1;
	memset(acc, 0, sizeof(acc));
	memset(it, 0, sizeof(it));
	f(put, K, x, v, y, n, acc, it);
	/* Lanes ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)); G from its
	 * lower triangle in row order, then r. */
	for (k = 0, a = 0; k < p; k++)
		for (l = 0; l <= k; l++, a++) {
			double *z = acc[a];
			G[k * p + l] = G[l * p + k] = ((z[0] + z[1]) +
			    (z[2] + z[3])) + ((z[4] + z[5]) + (z[6] + z[7]));
		}
	for (k = 0; a < na; k++, a++) {
		double *z = acc[a];
		r[k] = ((z[0] + z[1]) + (z[2] + z[3])) + ((z[4] + z[5]) +
		    (z[6] + z[7]));
	}
	*itm = 0;
	for (q = 0; q < 8; q++)
		*itm += (size_t)it[q];
	return 0;
}

size_t
mc_lsm_gram(int put, double K, unsigned p, const double *x,
    const double *v, const double *y, size_t n, double *G, double *r)
{
	size_t itm = 0;

	mc_lsm_gram_isa(mc_isa_best(), put, K, p, x, v, y, n, G, r, &itm);
	return itm;
}

int
mc_lsm_rule_isa(int isa, int put, double K, const double *beta,
    unsigned p, const double *s, const double *v, size_t n, double d,
    double *Y, double *done)
{
	rule_fn *f = p > 4 ? PICK(isa, rule6) : PICK(isa, rule4);

	if (f == NULL)
		return -1;
	f(put, K, beta, s, v, n, d, Y, done);
	return 0;
}

void
mc_lsm_rule(int put, double K, const double *beta, unsigned p,
    const double *s, const double *v, size_t n, double d, double *Y,
    double *done)
{
	mc_lsm_rule_isa(mc_isa_best(), put, K, beta, p, s, v, n, d, Y, done);
}
