/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Vectorisable exp, log and inverse normal CDF (see mc_vmath.h).
 *
 * Each kernel is one always-inline body of straight-line element code
 * (selects, not branches), stamped into a baseline function and into
 * functions built for AVX2 and AVX-512, and chosen at run time by
 * mc_isa_best() (mc_isa).  (exp's table lookup alone is written with
 * GCC vector types, to be a register permute on AVX-512.)  Conversions
 * of 64-bit integers go through the bits of 0x1.8p52 + k (exact for |k| <
 * 2^51), so the loops need no 64-bit conversion instructions, which AVX2
 * lacks; a Philox word is converted as a signed 32-bit integer, which
 * every width converts (u53_of).  The Makefile builds
 * this file with -O3 so that the loops vectorise; -ffp-contract=off stays,
 * so a multiply and an add are never fused into one rounding.
 */
#include "mc_vmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mc_isa.h"
#include "mc_philox.h"
#include "mc_vmath_elem.h"

#define ALWAYS MC_ALWAYS

#define MAGIC 0x1.8p52
#define MAGIC_BITS UINT64_C(0x4338000000000000)

/*
 * exp: x = (16 e + j) ln2 / 16 + r, 0 <= j < 16, |r| <= ln2 / 32 (Cody
 * and Waite's two-part ln2 / 16, the high part with enough trailing
 * zeros that k ln2_hi / 16 is exact for every k of x in [-746, 710]),
 * exp(x) = 2^e 2^(j/16) exp(r).  2^(j/16) is a table of pairs hi + lo
 * (hi rounded to nearest, lo the rest, from 200-bit arithmetic);
 * exp(r) - 1 = r + r^2 (1/2! + r/3! + ... + r^5/7!), whose truncation
 * error is below r^8/8! < 2^-59 relative; the result hi + (lo + hi (exp(r)
 * - 1)) is rounded once before the scaling by 2^e in two halves, so that
 * each factor is a normal power of two and a subnormal result is rounded
 * only once more.  Sixteen entries fit two vector registers of eight, so
 * the lookup is a two-register permute (vpermt2pd on AVX-512), not a
 * gather, which is slow on some CPUs; the index is taken modulo 16, so a
 * NaN reads the table in bounds too (and stays NaN).
 */
#define CHUNK 256
#define EXP_N 16
#define LN2N_HI 0x1.62e42fefa0000p-5	/* ln2 / 16, 37 bits */
#define LN2N_LO 0x1.cf79abc9e3b3ap-44
#define NLOG2E 0x1.71547652b82fep+4	/* 16 / ln2 */

typedef double v8df __attribute__((vector_size(64)));
typedef int64_t v8di __attribute__((vector_size(64)));

/* 2^(j/16): hi for j < 8, hi for j >= 8, then lo likewise. */
static const v8df EXP_T[4] = {
	{ 0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0,
	    0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0,
	    0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0,
	    0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0 },
	{ 0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0,
	    0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0,
	    0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0,
	    0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0 },
	{ 0x0.0p+0, 0x1.8a62e4adc610bp-54,
	    -0x1.19041b9d78a76p-55, 0x1.9b07eb6c70573p-54,
	    0x1.6f46ad23182e4p-55, 0x1.ada0911f09ebcp-55,
	    0x1.d4397afec42e2p-56, 0x1.6324c054647adp-54 },
	{ -0x1.bdd3413b26456p-54, -0x1.41577ee04992fp-55,
	    0x1.6e9f156864b27p-54, 0x1.c7c46b071f2bep-56,
	    0x1.7a1cd345dcc81p-54, 0x1.11065895048ddp-55,
	    0x1.2ed02d75b3707p-55, -0x1.e9c23179c2893p-54 }
};

/*
 * exp(x) given v, what the reduction and the polynomial make of x: v
 * for x in [-746, 710] and for NaN, 0 below and infinity above, where
 * exp underflows or overflows (exp(-746) rounds to 0, exp(710) to
 * infinity) and where, for a large |x|, the reduction's integers wrap
 * and v is garbage.  The ends are taken here, at the end: a clamp of x
 * on the way in made GCC compute the whole reduction again for each
 * constant end and blend the three (13 instructions a vector of 4 where
 * this takes 4; exp 6-8% faster on a Zen 3, measured in one process).
 */
ALWAYS double
exp_ends(double x, double v)
{
	/* Two selects, not nested: GCC nests them into nine
	 * instructions a vector. */
	v = x > 710.0 ? INFINITY : v;
	return x < -746.0 ? 0.0 : v;
}

/* The reduction: r, the table index j and the biased exponent. */
ALWAYS void
exp_reduce(const double *x, double *r, int64_t *jj, uint64_t *ee, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double xc = x[i], t, kd;
		uint64_t k;

		t = xc * NLOG2E + MAGIC;
		kd = t - MAGIC;
		k = mc_bits(t) - MAGIC_BITS;
		jj[i] = (int64_t)(k & (EXP_N - 1));
		/* floor(k / 16) + 2^16: the bias makes the shift act on a
		 * nonnegative number. */
		ee[i] = (k + (UINT64_C(1) << 20)) >> 4;
		r[i] = (xc - kd * LN2N_HI) - kd * LN2N_LO;
	}
}

/*
 * hi[i] + lo[i] = 2^(jj[i] / 16) for i < n (n is padded up to a multiple
 * of eight by the caller): by permutes of the two registers' worth when
 * perm (AVX-512 has them), by loads otherwise (a gather on AVX2), the
 * same numbers either way.
 */
ALWAYS void
exp_lookup(const int64_t *jj, double *hi, double *lo, size_t n, int perm)
{
	const double *t = (const double *)EXP_T;
	size_t i;

	if (!perm) {
		for (i = 0; i < n; i++) {
			hi[i] = t[jj[i]];
			lo[i] = t[16 + jj[i]];
		}
		return;
	}
	for (i = 0; i < n; i += 8) {
		v8di j;
		v8df h, l;

		memcpy(&j, jj + i, sizeof(j));
#if defined(__clang__)
		/* clang has no variable two-register shuffle builtin: the
		 * same table entries, read lane by lane. */
		for (int q = 0; q < 8; q++) {
			h[q] = t[j[q]];
			l[q] = t[16 + j[q]];
		}
#else
		h = __builtin_shuffle(EXP_T[0], EXP_T[1], j);
		l = __builtin_shuffle(EXP_T[2], EXP_T[3], j);
#endif
		memcpy(hi + i, &h, sizeof(h));
		memcpy(lo + i, &l, sizeof(l));
	}
}

ALWAYS void
exp_body(const double *x, double *y, size_t n, int perm)
{
	double rr[CHUNK], hh[CHUNK], ll[CHUNK], pp[CHUNK];
	int64_t jj[CHUNK];
	uint64_t ee[CHUNK];
	size_t i0, i, c;

	for (i0 = 0; i0 < n; i0 += CHUNK) {
		c = n - i0 < CHUNK ? n - i0 : CHUNK;
		exp_reduce(x + i0, rr, jj, ee, c);
		for (i = c; i % 8 != 0; i++)
			jj[i] = 0;
		exp_lookup(jj, hh, ll, i, perm);
		/* The polynomial in two loops, so that the CPU overlaps
		 * many elements' chains. */
		for (i = 0; i < c; i++) {
			double r = rr[i], p;

			p = 1.0 / 720.0 + r * (1.0 / 5040.0);
			p = 1.0 / 120.0 + r * p;
			pp[i] = 1.0 / 24.0 + r * p;
		}
		for (i = 0; i < c; i++) {
			double r = rr[i], p = pp[i], v;
			uint64_t e1, e2;

			p = 1.0 / 6.0 + r * p;
			p = 0.5 + r * p;
			p = r + (r * r) * p;
			v = hh[i] + (ll[i] + hh[i] * p);
			/* 2^e = 2^e1 2^e2, e1 = floor(e / 2). */
			e1 = (ee[i] >> 1) - (UINT64_C(1) << 15);
			e2 = ee[i] - (UINT64_C(1) << 16) - e1;
			v = v * mc_from_bits((e1 + 1023) << 52) *
			    mc_from_bits((e2 + 1023) << 52);
			y[i0 + i] = exp_ends(x[i0 + i], v);
		}
	}
}

/* log: mc_log_elem by mc_log_run (mc_vmath_elem.h). */
ALWAYS void
log_body(const double *x, double *y, size_t n)
{
	mc_log_run(x, y, n);
}

/*
 * The inverse normal: AS241's central rational approximation for
 * |u - 1/2| <= 0.425 over the whole array, then its two tail
 * approximations in r = sqrt(-log(min(u, 1 - u))) over the tail elements
 * only, gathered into a short array: both loops vectorise and the tails
 * (15% of uniforms) do not slow the centre.  The short array is padded
 * to whole vectors, and the far tail (r > 5, u < 1.4e-11, one uniform in
 * 10^11) is evaluated only in a chunk that has one: elsewhere the near
 * tail's approximation alone, the same bits as the select of both.
 */
static const double A[8] = {
	3.3871328727963666080e0, 1.3314166789178437745e+2,
	1.9715909503065514427e+3, 1.3731693765509461125e+4,
	4.5921953931549871457e+4, 6.7265770927008700853e+4,
	3.3430575583588128105e+4, 2.5090809287301226727e+3
};
static const double B[8] = {
	1.0, 4.2313330701600911252e+1,
	6.8718700749205790830e+2, 5.3941960214247511077e+3,
	2.1213794301586595867e+4, 3.9307895800092710610e+4,
	2.8729085735721942674e+4, 5.2264952788528545610e+3
};
static const double C[8] = {
	1.42343711074968357734e0, 4.63033784615654529590e0,
	5.76949722146069140550e0, 3.64784832476320460504e0,
	1.27045825245236838258e0, 2.41780725177450611770e-1,
	2.27238449892691845833e-2, 7.74545014278341407640e-4
};
static const double D[8] = {
	1.0, 2.05319162663775882187e0,
	1.67638483018380384940e0, 6.89767334985100004550e-1,
	1.48103976427480074590e-1, 1.51986665636164571966e-2,
	5.47593808499534494600e-4, 1.05075007164441684324e-9
};
static const double E[8] = {
	6.65790464350110377720e0, 5.46378491116411436990e0,
	1.78482653991729133580e0, 2.96560571828504891230e-1,
	2.65321895265761230930e-2, 1.24266094738807843860e-3,
	2.71155556874348757815e-5, 2.01033439929228813265e-7
};
static const double F[8] = {
	1.0, 5.99832206555887937690e-1,
	1.36929880922735805310e-1, 1.48753612908506148525e-2,
	7.86869131145613259100e-4, 1.84631831751005468180e-5,
	1.42151175831644588870e-7, 2.04426310338993978564e-15
};

/* c[0] + c[1] r + ... + c[7] r^7 by Horner's rule. */
ALWAYS double
poly7(const double *c, double r)
{
	return ((((((c[7] * r + c[6]) * r + c[5]) * r + c[4]) * r + c[3]) *
	    r + c[2]) * r + c[1]) * r + c[0];
}

/* The tail's quantile v at r = sqrt(-log(t)) with q's sign: log(0) =
 * -inf makes the tails' ends +-inf, and NaN stays NaN. */
ALWAYS double
tail_sign(double v, double r, double q)
{
	v = r == INFINITY ? INFINITY : v;
	return q < 0 ? -v : q > 0 ? v : NAN;
}

/*
 * The near tail's quantiles of r[0..n) with q's signs, in place: the
 * rational function as two loops (as the centre's), the same operations
 * in the same order as tail_sign(poly7(C, r - 1.6) / poly7(D, r - 1.6),
 * r, q).  x, pa and pb are scratch of n numbers.
 */
ALWAYS void
near_tail(double *r, const double *q, size_t n, double *x, double *pa,
    double *pb)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double t = r[i] - 1.6;
		x[i] = t;
		pa[i] = ((C[7] * t + C[6]) * t + C[5]) * t + C[4];
		pb[i] = ((D[7] * t + D[6]) * t + D[5]) * t + D[4];
	}
	for (i = 0; i < n; i++) {
		double t = x[i];
		double a = (((pa[i] * t + C[3]) * t + C[2]) * t + C[1]) * t +
		    C[0];
		double b = (((pb[i] * t + D[3]) * t + D[2]) * t + D[1]) * t +
		    D[0];
		r[i] = tail_sign(a / b, r[i], q[i]);
	}
}

/*
 * The inverse normal's chunk: larger than the others', so that a chunk's
 * tails (one in seven) make loops long enough to overlap their chains.
 */
#define NINV_CHUNK 1024

ALWAYS void
ninv_body(const double *u, double *z, size_t n)
{
	double t[NINV_CHUNK], q[NINV_CHUNK];
	double tt[NINV_CHUNK + 8], qt[NINV_CHUNK + 8];
	double rr[NINV_CHUNK], pa[NINV_CHUNK], pb[NINV_CHUNK];
	unsigned idx[NINV_CHUNK];
	size_t i0, i, m, mp, c, g;
	int far;

	for (i0 = 0; i0 < n; i0 += NINV_CHUNK) {
		c = n - i0 < NINV_CHUNK ? n - i0 : NINV_CHUNK;
		/* Horner's rule in two loops, so that the CPU overlaps
		 * many elements' chains of dependent operations (the same
		 * operations in the same order as poly7). */
		for (i = 0; i < c; i++) {
			double p = u[i0 + i], qq = p - 0.5;
			double r = 0.180625 - qq * qq;
			q[i] = qq;
			t[i] = qq < 0 ? p : 1.0 - p;
			rr[i] = r;
			pa[i] = ((A[7] * r + A[6]) * r + A[5]) * r + A[4];
			pb[i] = ((B[7] * r + B[6]) * r + B[5]) * r + B[4];
		}
		for (i = 0; i < c; i++) {
			double r = rr[i];
			double a = (((pa[i] * r + A[3]) * r + A[2]) * r + A[1]) *
			    r + A[0];
			double b = (((pb[i] * r + B[3]) * r + B[2]) * r + B[1]) *
			    r + B[0];
			z[i0 + i] = q[i] * a / b;
		}
		/* z may be u: the tails work from q and t from here on. */
		/* Without branches: a tail is one in seven, at random. */
		/* The tails' indices from a bit mask per 64 (built in SIMD
		 * lanes), so the scalar work is one step per tail. */
		for (g = m = 0; g < c; g += 64) {
			uint64_t bits = 0;
			if (g + 64 <= c)
				for (i = 0; i < 64; i++)
					bits |= (uint64_t)!(fabs(q[g + i]) <=
					    0.425) << i;
			else
				for (i = 0; g + i < c; i++)
					bits |= (uint64_t)!(fabs(q[g + i]) <=
					    0.425) << i;
			while (bits != 0) {
				idx[m++] = (unsigned)(g +
				    (size_t)__builtin_ctzll(bits));
				bits &= bits - 1;
			}
		}
		for (i = 0; i < m; i++) {
			tt[i] = t[idx[i]];
			qt[i] = q[idx[i]];
		}
		/* Padded to whole vectors (with harmless values), so that
		 * no scalar remainder runs the long element code below. */
		for (mp = m; mp % 8 != 0; mp++)
			tt[mp] = qt[mp] = 0.25;
		log_body(tt, tt, mp);
		for (i = far = 0; i < mp; i++) {
			tt[i] = sqrt(-tt[i]);
			far |= !(tt[i] <= 5.0);
		}
		/* The far tail (u < 1.4e-11, or NaN) is rare: the near
		 * tail's approximation alone unless this chunk has one. */
		if (far)
			for (i = 0; i < mp; i++)
				tt[i] = tail_sign(tt[i] <= 5.0 ?
				    poly7(C, tt[i] - 1.6) / poly7(D, tt[i] -
				    1.6) : poly7(E, tt[i] - 5.0) / poly7(F,
				    tt[i] - 5.0), tt[i], qt[i]);
		else
			near_tail(tt, qt, mp, rr, pa, pb);
		for (i = 0; i < m; i++)
			z[i0 + idx[i]] = tt[i];
	}
}

/*
 * mc_u53 of words hi and lo: k = hi 2^21 + (lo >> 11) (the bits do not
 * overlap, so mc_u53's xor is this sum), each part converted by a signed
 * conversion, exact: hi - 2^31 and lo >> 11 are 32-bit integers.  The
 * bits of 2^52 + part took a widening, an or and a subtraction a word
 * (mc_vu53's AVX2 loop: 34 instructions for 8 uniforms, now 28).
 */
ALWAYS double
u53_of(uint32_t hi, uint32_t lo)
{
	double h = (double)(int32_t)(hi ^ UINT32_C(0x80000000)) + 0x1p31;
	double l = (double)(int32_t)(lo >> 11);
	double v = (h * 0x1p21 + l + 0.5) * 0x1p-53;

	return v < 1.0 ? v : MC_U53_MAX;
}

/* mc_u53 over arrays. */
ALWAYS void
u53_body(const uint32_t *hi, const uint32_t *lo, double *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		u[i] = u53_of(hi[i], lo[i]);
}

/* Whether dart i, (u53(w0, w1), u53(w2, w3)), is inside the quarter
 * circle: the definition of a hit, which mcpi's one-dart loop shares. */
ALWAYS uint32_t
hit_exact(const uint32_t *w0, const uint32_t *w1, const uint32_t *w2,
    const uint32_t *w3, size_t i)
{
	double x = u53_of(w0[i], w1[i]), y = u53_of(w2[i], w3[i]);

	return x * x + y * y <= 1.0;
}

/*
 * The filter's sum for dart i: a = w0 >> 8 and b = w2 >> 8 (24 bits, so
 * exact as floats), s = a^2 + b^2 in single precision, an estimate of
 * 2^48 (x^2 + y^2) for the dart's x and y.  x - a 2^-24 lies in [0,
 * 2^-23), so x^2 - (a 2^-24)^2 < 2^-22, and each of the three roundings
 * is at most 2^-24 of 2^48 once scaled: s 2^-48 is within 2^-20 of x^2
 * + y^2, and the double test's own roundings are within 2^-52.
 */
ALWAYS float
hit_sum(const uint32_t *w0, const uint32_t *w2, size_t i)
{
	float a = (float)(int32_t)(w0[i] >> 8);
	float b = (float)(int32_t)(w2[i] >> 8);

	return a * a + b * b;
}

/* The band of s, 2^48 (1 -+ 2^-18), where the filter cannot tell: a
 * margin of four over its error of 2^-20. */
#define HIT_LO (0x1p48f - 0x1p30f)
#define HIT_HI (0x1p48f + 0x1p30f)
#define HIT_CHUNK 1024

/*
 * Darts (u53(w0, w1), u53(w2, w3)) inside the quarter circle, the same
 * count as hit_exact's, eight darts a vector of floats (hit_exact alone
 * took four doubles a vector and 60 instructions for eight darts):
 * below the band a dart is in, above it out, and in the band (one dart
 * in 170000) it takes hit_exact, in a second pass over a chunk only
 * where the first found one.
 */
ALWAYS uint64_t
hits_body(const uint32_t *w0, const uint32_t *w1, const uint32_t *w2,
    const uint32_t *w3, size_t n)
{
	uint64_t hits = 0;
	uint32_t in, upto, band;
	size_t i0, i, c;
	float s;

	for (i0 = 0; i0 < n; i0 += HIT_CHUNK) {
		c = n - i0 < HIT_CHUNK ? n - i0 : HIT_CHUNK;
		in = upto = 0;
		/* upto - in darts are in the band. */
		for (i = i0; i < i0 + c; i++) {
			s = hit_sum(w0, w2, i);
			in += s < HIT_LO;
			upto += s <= HIT_HI;
		}
		band = upto - in;
		for (i = i0; band != 0 && i < i0 + c; i++) {
			s = hit_sum(w0, w2, i);
			if (s >= HIT_LO && s <= HIT_HI)
				in += hit_exact(w0, w1, w2, w3, i);
		}
		hits += in;
	}
	return hits;
}

/* The values equal to a and to b; integer counts, so any width agrees. */
ALWAYS void
count2_body(const double *x, size_t n, double a, double b, uint64_t *na,
    uint64_t *nb)
{
	uint64_t ca = 0, cb = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		ca += x[i] == a;
		cb += x[i] == b;
	}
	*na = ca;
	*nb = cb;
}

/*
 * Dekker's exact square by Veltkamp's split: p + e = x^2, no FMA.  When
 * x^2 overflows, e is not finite; sum3_body drops the error sum then.
 */
ALWAYS void
two_sq(double x, double *p, double *e)
{
	double c = 134217729.0 * x, hi = c - (c - x), lo = x - hi;
	double pp = x * x;

	*p = pp;
	*e = ((hi * hi - pp) + 2.0 * (hi * lo)) + lo * lo;
}

/*
 * The tree's first levels: for i < q, the sums over x[i + j q], j < r (r
 * = 1, 2, 4 or 8), of the values, rounded squares and square errors, each
 * adding j and j + r/2, then j and j + r/4, and so on.  Every addition
 * adds two sums of as many values, so equal values give r x exactly.
 * r = 8, the hot case, is written out so that the loop over i vectorises
 * (eight streams of contiguous loads).
 */
#define TREE8(v) ((((v)[0] + (v)[4]) + ((v)[2] + (v)[6])) + \
	(((v)[1] + (v)[5]) + ((v)[3] + (v)[7])))

ALWAYS void
tree_leaves(const double *restrict x, size_t q, int r, double *restrict s,
    double *restrict p, double *restrict e)
{
	size_t i;
	int j, w;

	if (r == 8) {
		for (i = 0; i < q; i++) {
			double a[8], b[8], c[8];

			for (j = 0; j < 8; j++) {
				a[j] = x[i + (size_t)j * q];
				two_sq(a[j], &b[j], &c[j]);
			}
			s[i] = TREE8(a);
			p[i] = TREE8(b);
			e[i] = TREE8(c);
		}
		return;
	}
	for (i = 0; i < q; i++) {
		double a[8], b[8], c[8];

		for (j = 0; j < r; j++) {
			a[j] = x[i + (size_t)j * q];
			two_sq(a[j], &b[j], &c[j]);
		}
		for (w = r / 2; w >= 1; w /= 2)
			for (j = 0; j < w; j++) {
				a[j] += a[j + w];
				b[j] += b[j + w];
				c[j] += c[j + w];
			}
		s[i] = a[0];
		p[i] = b[0];
		e[i] = c[0];
	}
}

/* The next levels: the same over the three sums, into d. */
ALWAYS void
tree_fold(double (*restrict t)[64], size_t q, int r,
    double (*restrict d)[64])
{
	size_t i;
	int j, k, w;

	for (k = 0; k < 3; k++)
		for (i = 0; i < q; i++) {
			double a[8];

			for (j = 0; j < r; j++)
				a[j] = t[k][i + (size_t)j * q];
			if (r == 8) {
				d[k][i] = TREE8(a);
				continue;
			}
			for (w = r / 2; w >= 1; w /= 2)
				for (j = 0; j < w; j++)
					a[j] += a[j + w];
			d[k][i] = a[0];
		}
}

#define TREE_CAP 512	/* 8^3: a chunk's first level fits 3 x 64 */

/* The tree over x[0..m), m a power of two <= TREE_CAP, into t[3]. */
ALWAYS void
tree_chunk(const double *x, size_t m, double t[3])
{
	double buf[2][3][64];
	size_t q;
	int r = m >= 8 ? 8 : (int)m, cur = 0;

	q = m / (size_t)r;
	/* Constant r, so that the inner loops unroll and the outer one
	 * vectorises. */
	if (r == 8)
		tree_leaves(x, q, 8, buf[0][0], buf[0][1], buf[0][2]);
	else if (r == 4)
		tree_leaves(x, q, 4, buf[0][0], buf[0][1], buf[0][2]);
	else if (r == 2)
		tree_leaves(x, q, 2, buf[0][0], buf[0][1], buf[0][2]);
	else
		tree_leaves(x, q, 1, buf[0][0], buf[0][1], buf[0][2]);
	while (q > 1) {
		r = q >= 8 ? 8 : (int)q;
		q /= (size_t)r;
		if (r == 8)
			tree_fold(buf[cur], q, 8, buf[!cur]);
		else if (r == 4)
			tree_fold(buf[cur], q, 4, buf[!cur]);
		else
			tree_fold(buf[cur], q, 2, buf[!cur]);
		cur = !cur;
	}
	t[0] = buf[cur][0][0];
	t[1] = buf[cur][1][0];
	t[2] = buf[cur][2][0];
}

/*
 * Chunks of TREE_CAP, combined as a complete binary tree of adjacent
 * pairs (a stack of partial sums, one per level, like a binary counter).
 */
ALWAYS void
sum3_body(const double *x, size_t n, double *t)
{
	double st[64][3];
	size_t k, c;
	int top = 0, l;

	if (n <= TREE_CAP) {
		tree_chunk(x, n, t);
	} else {
		for (k = 0; k < n / TREE_CAP; k++) {
			tree_chunk(x + k * TREE_CAP, TREE_CAP, st[top++]);
			for (c = k + 1; (c & 1) == 0; c >>= 1) {
				top--;
				for (l = 0; l < 3; l++)
					st[top - 1][l] += st[top][l];
			}
		}
		t[0] = st[0][0];
		t[1] = st[0][1];
		t[2] = st[0][2];
	}
	/* An infinite or NaN sum of squares has no error sum (Veltkamp's
	 * split of an infinity is NaN). */
	if (t[1] - t[1] != 0)
		t[2] = 0;
}

/* The builds of each kernel, one per instruction set (mc_isa). */
#define STAMP(NAME, TARGET, PERM)					\
TARGET static void exp_##NAME(const double *x, double *y, size_t n)	\
{ exp_body(x, y, n, PERM); }						\
TARGET static void log_##NAME(const double *x, double *y, size_t n)	\
{ log_body(x, y, n); }							\
TARGET static void ninv_##NAME(const double *x, double *y, size_t n)	\
{ ninv_body(x, y, n); }							\
TARGET static void u53_##NAME(const uint32_t *hi, const uint32_t *lo,	\
    double *u, size_t n)						\
{ u53_body(hi, lo, u, n); }						\
TARGET static uint64_t hits_##NAME(const uint32_t *w0,			\
    const uint32_t *w1, const uint32_t *w2, const uint32_t *w3, size_t n) \
{ return hits_body(w0, w1, w2, w3, n); }				\
TARGET static void sum3_##NAME(const double *x, size_t n, double *t)	\
{ sum3_body(x, n, t); }							\
TARGET static void count2_##NAME(const double *x, size_t n, double a,	\
    double b, uint64_t *na, uint64_t *nb)				\
{ count2_body(x, n, a, b, na, nb); }

STAMP(base, , 0)
#ifdef MC_ISA_SIMD
STAMP(avx2, MC_ISA_TARGET_AVX2, 0)
STAMP(avx512, MC_ISA_TARGET_AVX512, 1)
#endif

#define PICK MC_ISA_PICK

typedef void kernel(const double *, double *, size_t);

/* Runs f, a build of one of the array-to-array kernels, if there is one. */
static int
run(kernel *f, const double *x, double *y, size_t n)
{
	if (f == NULL)
		return -1;
	f(x, y, n);
	return 0;
}

int
mc_vexp_isa(int isa, const double *x, double *y, size_t n)
{
	return run(PICK(isa, exp), x, y, n);
}

int
mc_vlog_isa(int isa, const double *x, double *y, size_t n)
{
	return run(PICK(isa, log), x, y, n);
}

int
mc_vninv_isa(int isa, const double *u, double *z, size_t n)
{
	return run(PICK(isa, ninv), u, z, n);
}

int
mc_vu53_isa(int isa, const uint32_t *hi, const uint32_t *lo, double *u,
    size_t n)
{
	void (*f)(const uint32_t *, const uint32_t *, double *, size_t) =
	    PICK(isa, u53);

	if (f == NULL)
		return -1;
	f(hi, lo, u, n);
	return 0;
}

int
mc_vsum3_isa(int isa, const double *x, size_t n, double t[3])
{
	void (*f)(const double *, size_t, double *) = PICK(isa, sum3);

	if (f == NULL || n == 0 || (n & (n - 1)) != 0)
		return -1;
	f(x, n, t);
	return 0;
}

int
mc_vhits_isa(int isa, const uint32_t *w0, const uint32_t *w1,
    const uint32_t *w2, const uint32_t *w3, size_t n, uint64_t *hits)
{
	uint64_t (*f)(const uint32_t *, const uint32_t *, const uint32_t *,
	    const uint32_t *, size_t) = PICK(isa, hits);

	if (f == NULL)
		return -1;
	*hits = f(w0, w1, w2, w3, n);
	return 0;
}

int
mc_vcount2_isa(int isa, const double *x, size_t n, double a, double b,
    uint64_t *na, uint64_t *nb)
{
	void (*f)(const double *, size_t, double, double, uint64_t *,
	    uint64_t *) = PICK(isa, count2);

	if (f == NULL)
		return -1;
	f(x, n, a, b, na, nb);
	return 0;
}

void
mc_vexp(const double *x, double *y, size_t n)
{
	mc_vexp_isa(mc_isa_best(), x, y, n);
}

void
mc_vlog(const double *x, double *y, size_t n)
{
	mc_vlog_isa(mc_isa_best(), x, y, n);
}

void
mc_vninv(const double *u, double *z, size_t n)
{
	mc_vninv_isa(mc_isa_best(), u, z, n);
}

void
mc_vu53(const uint32_t *hi, const uint32_t *lo, double *u, size_t n)
{
	mc_vu53_isa(mc_isa_best(), hi, lo, u, n);
}

void
mc_vsum3(const double *x, size_t n, double t[3])
{
	mc_vsum3_isa(mc_isa_best(), x, n, t);
}

uint64_t
mc_vhits(const uint32_t *w0, const uint32_t *w1, const uint32_t *w2,
    const uint32_t *w3, size_t n)
{
	uint64_t hits = 0;

	mc_vhits_isa(mc_isa_best(), w0, w1, w2, w3, n, &hits);
	return hits;
}

void
mc_vcount2(const double *x, size_t n, double a, double b, uint64_t *na,
    uint64_t *nb)
{
	mc_vcount2_isa(mc_isa_best(), x, n, a, b, na, nb);
}
