/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Longstaff-Schwartz: the kernels, then the fit and the payoff under its
 * rule (see mc_lsm.h).
 *
 * Each kernel is an always-inline body, specialised for the basis size
 * (p = 4 or 6, a constant where inlined, so the loops have no branch) and
 * stamped into a baseline function and functions built for AVX2 and
 * AVX-512 (mc_isa), chosen at run time by mc_isa_best().  The
 * Makefile builds this file with -O3 and -ffp-contract=off.
 */
#include "mc_lsm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "mc_bs.h"
#include "mc_isa.h"
#include "mc_path.h"
#include "mc_payoff.h"
#include "mc_rng.h"
#include "mc_stream.h"

#define ALWAYS static inline __attribute__((always_inline))
#define MAXBASIS MC_LSM_MAXBASIS
#define NACC (MAXBASIS * (MAXBASIS + 3) / 2)
#define NCAL_MIN 4096	/* calibration paths, at least */
#define NCAL_MAX 65536	/* and at most */

/* mc_contract refuses more dates than a fit may hold. */
_Static_assert(MC_LSM_MAX_CAL_VALUES / NCAL_MIN == MC_CONTRACT_MAX_DATES,
    "MC_CONTRACT_MAX_DATES is the dates of 4096 paths in 2^24 values");
/* mc_lsm_zone_at(): the log-price span searched on the money side of the
 * strike, and the iterations of each search (the ternary search shrinks
 * by 2/3 a step: 120 reach 1e-20 of the span). */
#define ZONE_SPAN 12.0
#define ZONE_ITER 120

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
 * The regression's eight lanes (path j in lane j % 8), worked as two
 * halves of four: lanes 0-3 over the whole row, then lanes 4-7.  Four
 * doubles are one AVX2 register (two SSE2, half an AVX-512 one), so the
 * comparison below stays a vector compare on every build (as eight lanes
 * GCC split it into scalar compares under AVX2) and the 10 to 27 sums of
 * a half stay near the registers.  Lane q of every operation is the same
 * IEEE operation on the same paths in the same order whatever the width.
 */
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

/*
 * Four paths' terms of the normal equations, path q in lane q: the
 * p (p + 1) / 2 products of G's lower triangle, then the p of r.  The
 * weight w is 1.0 in the money and 0 out of it, from the comparison's
 * mask and the bits of 1.0.
 */
ALWAYS void
gram4l(double sg, double K, int heston, const double *x, const double *v,
    const double *y, v4d *acc, v4d *itm)
{
	const v4l one = (v4l){ 0 } + 0x3ff0000000000000LL;
	unsigned k, l, a, p = heston ? 6 : 4, na = p * (p + 3) / 2;
	v4d s, t, w, b[MAXBASIS], cy, vv;

	__builtin_memcpy(&s, x, sizeof(s));
	__builtin_memcpy(&cy, y, sizeof(cy));
	t = s / K;
	w = (v4d)((sg * (s - K) > 0) & one);
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

/* The lanes' sums of a whole row, half by half; the tail is padded. */
ALWAYS void
gram_body(int put, double K, int heston, const double *x, const double *v,
    const double *y, size_t n, double (*out)[8], double *itm)
{
	double xt[8], vt[8], yt[8], sg = put ? -1.0 : 1.0;
	v4d acc[NACC], it;
	size_t j0, q, h;
	unsigned a;

	/* The tail, padded with paths at the strike: out of the money,
	 * so they weigh 0. */
	j0 = n / 8 * 8;
	for (q = 0; q < 8; q++) {
		xt[q] = j0 + q < n ? x[j0 + q] : K;
		vt[q] = j0 + q < n && heston ? v[j0 + q] : 0;
		yt[q] = j0 + q < n ? y[j0 + q] : 0;
	}
	for (h = 0; h < 8; h += 4) {
		for (a = 0; a < NACC; a++)
			acc[a] = (v4d){ 0 };
		it = (v4d){ 0 };
		for (j0 = h; j0 + 8 - h <= n; j0 += 8)
			gram4l(sg, K, heston, x + j0, heston ? v + j0 : NULL,
			    y + j0, acc, &it);
		if (n % 8 != 0)
			gram4l(sg, K, heston, xt + h, vt + h, yt + h, acc,
			    &it);
		for (a = 0; a < NACC; a++)
			for (q = 0; q < 4; q++)
				out[a][h + q] = acc[a][q];
		for (q = 0; q < 4; q++)
			itm[h + q] = it[q];
	}
}

/*
 * One exercise date of the rule over a row of paths.  Arithmetic, not a
 * select, on done: GCC's if-conversion gives up on the select, and
 * e (1 - done) is exact.
 */
ALWAYS void
rule_body(int put, double K, double lo, double hi, const double *beta,
    int heston, const double *s, const double *v, size_t n, double d,
    double *Y, double *done)
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
		/* e > 0, e > cont and lo < s < hi, as one mask of doubles. */
		ex = e > cont ? 1.0 : 0.0;
		ex = e > 0 ? ex : 0.0;
		ex = s[j] > lo ? ex : 0.0;
		ex = s[j] < hi ? ex : 0.0;
		if (done != NULL)
			done[j] += ex;
		Y[j] = ex > 0 ? de : y;
	}
}

typedef void gram_fn(int, double, const double *, const double *,
    const double *, size_t, double (*)[8], double *);
typedef void rule_fn(int, double, double, double, const double *,
    const double *, const double *, size_t, double, double *, double *);

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
TARGET static void rule4_##NAME(int put, double K, double lo,		\
    double hi, const double *beta, const double *s, const double *v,	\
    size_t n, double d, double *Y, double *done)			\
{									\
	if (done != NULL)						\
		rule_body(put, K, lo, hi, beta, 0, s, v, n, d, Y, done); \
	else								\
		rule_body(put, K, lo, hi, beta, 0, s, v, n, d, Y, NULL); \
}									\
TARGET static void rule6_##NAME(int put, double K, double lo,		\
    double hi, const double *beta, const double *s, const double *v,	\
    size_t n, double d, double *Y, double *done)			\
{									\
	if (done != NULL)						\
		rule_body(put, K, lo, hi, beta, 1, s, v, n, d, Y, done); \
	else								\
		rule_body(put, K, lo, hi, beta, 1, s, v, n, d, Y, NULL); \
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
mc_lsm_rule_isa(int isa, int put, double K, mc_lsm_zone z,
    const double *beta, unsigned p, const double *s, const double *v,
    size_t n, double d, double *Y, double *done)
{
	rule_fn *f = p > 4 ? PICK(isa, rule6) : PICK(isa, rule4);

	if (f == NULL)
		return -1;
	f(put, K, z.lo, z.hi, beta, s, v, n, d, Y, done);
	return 0;
}

void
mc_lsm_rule(int put, double K, mc_lsm_zone z, const double *beta,
    unsigned p, const double *s, const double *v, size_t n, double d,
    double *Y, double *done)
{
	mc_lsm_rule_isa(mc_isa_best(), put, K, z, beta, p, s, v, n, d, Y,
	    done);
}

/*
 * The zone: a lower bound on the value of keeping the option alive at
 * spot s with tau years left.  Never exercising early earns the european
 * of the rest, so the continuation is worth at least that: Black-Scholes
 * with vol > 0, else the model-free max(0, +-(s e^-q tau - K e^-r tau)),
 * which holds for any model whose discounted asset (dividends reinvested)
 * is a martingale.
 */
struct zone_mkt {
	int put;
	double K, tau, r, q, vol;
};

static double
cont_floor(const struct zone_mkt *m, double s)
{
	double fwd = s * exp(-m->q * m->tau) - m->K * exp(-m->r * m->tau), bs;

	fwd = m->put ? -fwd : fwd;
	fwd = fwd > 0 ? fwd : 0;
	if (!(m->vol > 0))
		return fwd;
	bs = mc_bs_price(m->put, s, m->K, m->tau, m->r, m->q, m->vol);
	return bs > fwd ? bs : fwd;
}

/* What exercise at log price x gains over that bound. */
static double
zone_gain(const struct zone_mkt *m, double x)
{
	double s = exp(x), e = m->put ? m->K - s : s - m->K;

	return (e > 0 ? e : 0) - cont_floor(m, s);
}

/*
 * The crossing of zone_gain between log prices in (gain > 0) and out
 * (gain <= 0), by bisection, as a price.
 */
static double
zone_edge(const struct zone_mkt *m, double in, double out)
{
	int i;

	for (i = 0; i < ZONE_ITER; i++) {
		double mid = 0.5 * (in + out);
		if (mid == in || mid == out)
			break;
		if (zone_gain(m, mid) > 0)
			in = mid;
		else
			out = mid;
	}
	return exp(0.5 * (in + out));
}

/*
 * A call with q <= 0 and r >= 0 is never exercised early (its european
 * is worth at least s e^-q tau - K e^-r tau >= s - K), nor a put with
 * r <= 0 and q >= 0: these two are decided exactly.  Otherwise, in the
 * money the intrinsic value is linear in s and the bound convex, so their
 * difference is concave and the zone one interval: a ternary search for
 * its top in log price over ZONE_SPAN on the money side of the strike,
 * then a bisection to each edge.  At the strike the gain is never
 * positive; where it still is at the span's far end, the zone runs on to
 * 0 or infinity.
 */
int
mc_lsm_zone_at(int put, double K, double tau, double r, double q,
    double vol, mc_lsm_zone *z)
{
	struct zone_mkt m = { put, K, tau, r, q, vol };
	double k = log(K), a = put ? k - ZONE_SPAN : k;
	double b = put ? k : k + ZONE_SPAN, lo = a, hi = b, top;
	int i;

	if (put ? r <= 0 && q >= 0 : q <= 0 && r >= 0)
		return 0;
	for (i = 0; i < ZONE_ITER; i++) {
		double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
		if (zone_gain(&m, m1) < zone_gain(&m, m2))
			lo = m1;
		else
			hi = m2;
	}
	top = 0.5 * (lo + hi);
	if (!(zone_gain(&m, top) > 0))
		return 0;
	if (put) {
		z->lo = zone_gain(&m, a) > 0 ? 0 : zone_edge(&m, top, a);
		z->hi = zone_edge(&m, top, b);
	} else {
		z->lo = zone_edge(&m, top, a);
		z->hi = zone_gain(&m, b) > 0 ? INFINITY : zone_edge(&m, top, b);
	}
	return 1;
}

/* The Longstaff-Schwartz fit and the payoff under its rule. */

static unsigned
nbasis(const mc_contract *c)
{
	return c->m.model == MC_MODEL_HESTON ? 6 : 4;
}

/*
 * Least squares by the normal equations: G beta = r with G = sum b b^T
 * and r = sum b y over the in-the-money paths (summed in path order by
 * the caller), solved by a Cholesky factorisation of G scaled to a unit
 * diagonal (Jacobi), which keeps the 4 to 6 basis functions' powers of
 * S/K well conditioned enough.  Returns 0, or -1 when G is not positive
 * definite (too few distinct paths): no exercise at that date then.
 */
static int
lsq_solve(unsigned p, const double *G, const double *r, double *beta)
{
	double L[MAXBASIS * MAXBASIS], d[MAXBASIS], y[MAXBASIS], s;
	unsigned i, j, k;

	for (i = 0; i < p; i++) {
		if (!(G[i * p + i] > 0))
			return -1;
		d[i] = 1 / sqrt(G[i * p + i]);
	}
	for (i = 0; i < p; i++)
		for (j = 0; j <= i; j++) {
			s = G[i * p + j] * d[i] * d[j];
			for (k = 0; k < j; k++)
				s -= L[i * p + k] * L[j * p + k];
			if (i == j) {
				/* Relative to the unit diagonal: pivots below
				 * 1e-13 mean a rank-deficient basis. */
				if (!(s > 1e-13))
					return -1;
				L[i * p + i] = sqrt(s);
			} else {
				L[i * p + j] = s / L[j * p + j];
			}
		}
	for (i = 0; i < p; i++) {
		s = r[i] * d[i];
		for (k = 0; k < i; k++)
			s -= L[i * p + k] * y[k];
		y[i] = s / L[i * p + i];
	}
	for (i = p; i-- > 0;) {
		s = y[i];
		for (k = i + 1; k < p; k++)
			s -= L[k * p + i] * beta[k];
		beta[i] = s / L[i * p + i];
	}
	for (i = 0; i < p; i++)
		beta[i] *= d[i];
	return 0;
}

/* Huge pages: their size, and the least array worth aligning to it. */
#define HUGE_PAGE ((size_t)2 << 20)

/*
 * Room for n doubles of calibration values, which a fit writes once and
 * reads date by date; free() frees it.  Every fresh page costs a fault
 * on its first write, and on some virtual machines a fault costs tens of
 * microseconds (the 26 MB of american50's prices took 100 to 200 ms to
 * touch, more than simulating them), so on Linux an array of a huge page
 * or more is aligned to one and marked MADV_HUGEPAGE: one fault per
 * 2 MiB where transparent huge pages are on.  From half a huge page up:
 * a bermudan's 12 dates of 2e4 paths (1.9 MB) took 470 faults, the most
 * of a shard's start-up cost, where one huge page costs one.  It is a
 * hint; no value changes, and without it the array is as malloc gives
 * it.  Returns NULL when out of memory.
 */
static double *
cal_alloc(size_t n)
{
	size_t bytes = n * sizeof(double);
	void *p = NULL;

#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (bytes >= HUGE_PAGE / 2) {
		bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
		if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
			return NULL;
		(void)madvise(p, bytes, MADV_HUGEPAGE);
		return p;
	}
#endif
	p = malloc(bytes);
	return p;
}

/* A generator of c's calibration paths: Philox, no antithetic, no QMC. */
static mc_path_gen *
cal_paths(const mc_contract *c, uint64_t seed, mc_err *err)
{
	mc_path_opts po = { 0 };

	po.steps = c->steps;
	po.seed = seed;
	po.stream = MC_STREAM_CAL;
	return mc_path_alloc(&c->m, &po, err);
}

/*
 * Simulates calibration paths [first, first + ncal) of c and keeps their
 * prices at the F exercise dates in X, date-major (X[(f - 1) ncal + j]),
 * and with VV not NULL the Heston variances there likewise.  Returns 0 or
 * an error status.
 */
static int
cal_dates(const mc_contract *c, uint64_t seed, uint64_t first, uint64_t ncal,
    double *X, double *VV, mc_err *err)
{
	unsigned F = c->fixings, m = c->steps / F, f;
	size_t rows = (size_t)c->steps + 1, sub = mc_path_sub_block(rows);
	double *S = malloc(rows * sub * sizeof(*S));
	double *V = VV != NULL ? malloc(rows * sub * sizeof(*V)) : NULL;
	mc_path_gen *g = NULL;
	uint64_t i;
	int st = 0;

	if (S == NULL || (VV != NULL && V == NULL)) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	if ((g = cal_paths(c, seed, err)) == NULL) {
		st = err->status;
		goto out;
	}
	/* Cache-sized pieces, as mc_price's; Philox paths split anywhere. */
	for (i = 0; i < ncal; i += sub) {
		size_t cnt = ncal - i < sub ? ncal - i : sub;
		if ((st = mc_path_block(g, first + i, cnt, S, V, err)) != 0)
			goto out;
		for (f = 1; f <= F; f++) {
			memcpy(X + (f - 1) * ncal + i, S + (size_t)f * m * cnt,
			    cnt * sizeof(*X));
			if (VV != NULL)
				memcpy(VV + (f - 1) * ncal + i, V +
				    (size_t)f * m * cnt, cnt * sizeof(*VV));
		}
	}
out:
	mc_path_free(g);
	free(S);
	free(V);
	return st;
}

int
mc_lsm_cal_paths(const mc_contract *c, uint64_t n, uint64_t *ncal,
    mc_err *err)
{
	uint64_t per = (uint64_t)c->fixings *
	    (c->m.model == MC_MODEL_HESTON ? 2 : 1);
	uint64_t most = MC_LSM_MAX_CAL_VALUES / per;

	if (most < NCAL_MIN)
		return mc_err_set(err, EX_DATAERR, "%u exercise dates: an "
		    "exercise rule is fitted on at most %llu (%d calibration "
		    "paths at each date, 2^24 values in memory)", c->fixings,
		    (unsigned long long)(MC_LSM_MAX_CAL_VALUES / NCAL_MIN /
		    (per / c->fixings)), NCAL_MIN);
	*ncal = n < NCAL_MIN ? NCAL_MIN : n > NCAL_MAX ? NCAL_MAX : n;
	if (*ncal > most)
		*ncal = most;
	return 0;
}

/*
 * The backward induction of one rule into beta (F x p) over the
 * calibration prices X (and variances VV) of ncal paths: on the dates f
 * with (F - f) % stride == 0 only, the others left without a rule
 * (NaN first), so that stride 2 fits the Bermudan on every other date.
 * cash is scratch for ncal doubles.
 */
static void
fit_rule(const mc_contract *c, const mc_lsm_exercise *ex, unsigned stride,
    const double *X, const double *VV, uint64_t ncal, double *beta_all,
    double *cash)
{
	unsigned F = c->fixings, p = ex->p, f, k;
	double df = exp(-c->m.rate * c->m.maturity / F);
	double G[MAXBASIS * MAXBASIS], r[MAXBASIS];
	uint64_t j;

	for (j = 0; j < ncal; j++)
		cash[j] = mc_payoff_intrinsic(c->put, X[(F - 1) * ncal + j],
		    c->strike);
	for (k = 0; k < p; k++)
		beta_all[(F - 1) * p + k] = NAN;
	/* Backwards from the last date before maturity. */
	for (f = F - 1; f >= 1; f--) {
		const double *x = X + (f - 1) * ncal;
		const double *v = VV != NULL ? VV + (f - 1) * ncal : NULL;
		double *beta = beta_all + (f - 1) * p;
		const mc_lsm_zone *z = ex->zone + (f - 1);
		for (j = 0; j < ncal; j++)
			cash[j] *= df;
		beta[0] = NAN;
		if ((F - f) % stride != 0 || !(z->hi > z->lo))
			continue;
		if (mc_lsm_gram(c->put, c->strike, p, x, v, cash, ncal, G, r) <
		    4 * p || lsq_solve(p, G, r, beta) != 0) {
			beta[0] = NAN;
			continue;
		}
		/* d = 1: cash flows are discounted to the date they meet. */
		mc_lsm_rule(c->put, c->strike, *z, beta, p, x, v, ncal, 1.0,
		    cash, NULL);
	}
}

/*
 * The zones of c's exercise dates into ex->zone; a date with none gets
 * an empty one, which no price is inside.  Under heston and merton, the
 * model-free bound.
 */
static void
zones(const mc_contract *c, mc_lsm_exercise *ex)
{
	unsigned F = c->fixings, f;

	for (f = 1; f < F; f++) {
		mc_lsm_zone *z = ex->zone + (f - 1);
		if (!mc_lsm_zone_at(c->put, c->strike, c->m.maturity *
		    (F - f) / F, c->m.rate, c->m.dividend, c->m.model ==
		    MC_MODEL_GBM ? c->m.vol : 0, z))
			z->lo = z->hi = 0;
	}
}

int
mc_lsm_fit(const mc_contract *c, uint64_t seed, uint64_t ncal, uint64_t k,
    mc_lsm_exercise *ex, mc_err *err)
{
	return mc_lsm_fit_keep(c, seed, ncal, k, ex, NULL, err);
}

int
mc_lsm_fit_keep(const mc_contract *c, uint64_t seed, uint64_t ncal,
    uint64_t k, mc_lsm_exercise *ex, mc_lsm_cal *keep, mc_err *err)
{
	unsigned F = c->fixings;
	int heston = c->m.model == MC_MODEL_HESTON, st = 0;
	int two = c->style == MC_AMERICAN;
	double *X, *VV, *cash;

	ex->F = F;
	ex->p = nbasis(c);
	X = cal_alloc(F * ncal);
	VV = heston ? cal_alloc(F * ncal) : NULL;
	cash = malloc(ncal * sizeof(*cash));
	ex->beta = malloc(F * ex->p * sizeof(double));
	ex->beta2 = two ? malloc(F * ex->p * sizeof(double)) : NULL;
	ex->zone = malloc(F * sizeof(*ex->zone));
	if (X == NULL || (heston && VV == NULL) || cash == NULL ||
	    ex->beta == NULL || (two && ex->beta2 == NULL) ||
	    ex->zone == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	if ((st = cal_dates(c, seed, k * ncal, ncal, X, VV, err)) != 0)
		goto out;
	zones(c, ex);
	fit_rule(c, ex, 1, X, VV, ncal, ex->beta, cash);
	if (two)
		fit_rule(c, ex, 2, X, VV, ncal, ex->beta2, cash);
	if (keep != NULL) {
		*keep = (mc_lsm_cal){ k * ncal, ncal, X, VV };
		X = VV = NULL;
	}
out:
	free(X);
	free(VV);
	free(cash);
	return st;
}

void
mc_lsm_cal_free(mc_lsm_cal *cal)
{
	free(cal->X);
	free(cal->VV);
	*cal = (mc_lsm_cal){ 0, 0, NULL, NULL };
}

void
mc_lsm_exercise_free(mc_lsm_exercise *ex)
{
	free(ex->beta);
	free(ex->beta2);
	free(ex->zone);
	ex->beta = NULL;
	ex->beta2 = NULL;
	ex->zone = NULL;
}

/*
 * The payoffs Y[0..cnt) under the rule of coefficients beta_all (see
 * mc_lsm_payoff), the prices at exercise date f at S + (f - 1) ds (and
 * the variances likewise in V): mc_path's rows or a fit's kept values.
 * Dates go in the outer loop (rows, contiguous), with a done flag per
 * path, so the inner loop vectorises.
 */
static void
rule_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const double *beta_all, const double *S, const double *V, size_t ds,
    size_t cnt, double *Y, double *done)
{
	unsigned F = c->fixings, p = ex->p, f;
	double r = c->m.rate, dtf = c->m.maturity / F, d;
	size_t j;

	for (j = 0; j < cnt; j++)
		done[j] = Y[j] = 0;
	for (f = 1; f < F; f++) {
		const double *beta = beta_all + (f - 1) * p;
		const double *s = S + (f - 1) * ds;
		const double *vf = V != NULL ? V + (f - 1) * ds : NULL;
		if (isnan(beta[0]))
			continue;
		d = exp(-r * f * dtf);
		mc_lsm_rule(c->put, c->strike, ex->zone[f - 1], beta, p, s, vf,
		    cnt, d, Y, done);
	}
	d = exp(-r * c->m.maturity);
	for (j = 0; j < cnt; j++)
		if (done[j] == 0)
			Y[j] = d * mc_payoff_intrinsic(c->put,
			    S[(F - 1) * ds + j], c->strike);
}

/* Both rules' payoffs (see mc_lsm_payoff), rows as rule_payoff's. */
static void
rules_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const double *S, const double *V, size_t ds, size_t cnt, double *Y,
    double *done, double *tmp)
{
	size_t j;

	rule_payoff(c, ex, ex->beta, S, V, ds, cnt, Y, done);
	if (ex->beta2 == NULL)
		return;
	rule_payoff(c, ex, ex->beta2, S, V, ds, cnt, tmp, done);
	for (j = 0; j < cnt; j++)
		Y[j] = 2 * Y[j] - tmp[j];
}

void
mc_lsm_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const double *S, const double *V, size_t ld, size_t cnt, double *Y,
    double *done, double *tmp)
{
	size_t ds = (size_t)(c->steps / c->fixings) * ld;

	rules_payoff(c, ex, S + ds, V != NULL ? V + ds : NULL, ds, cnt, Y,
	    done, tmp);
}

int
mc_lsm_cal_payoff(const mc_contract *c, const mc_lsm_exercise *ex,
    const mc_lsm_cal *cal, uint64_t first, size_t cnt, double *Y,
    double *ST, double *done, double *tmp)
{
	size_t o = (size_t)(first - cal->first), F = c->fixings;

	if (cal->X == NULL || first < cal->first || first + cnt > cal->first +
	    cal->n)
		return -1;
	rules_payoff(c, ex, cal->X + o, cal->VV != NULL ? cal->VV + o : NULL,
	    (size_t)cal->n, cnt, Y, done, tmp);
	memcpy(ST, cal->X + (F - 1) * cal->n + o, cnt * sizeof(*ST));
	return 0;
}
