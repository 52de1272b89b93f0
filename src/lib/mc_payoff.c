/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Payoffs per style (see mc_payoff.h).  The Makefile builds this file with
 * the kernels' flags (-O3, no FP contraction): one loop per date over
 * contiguous paths, so the compiler vectorises them.
 */
#include "mc_payoff.h"

#include <math.h>

#include "mc_bs.h"
#include "mc_isa.h"
#include "mc_philox.h"
#include "mc_vmath.h"

/*
 * The european payoffs' loop, one build per instruction set (mc_isa):
 * a max and two roundings a path, the same bits in every width.
 */
static inline __attribute__((always_inline)) void
european_body(int put, double K, double df, const double *ST, size_t cnt,
    double *Y)
{
	size_t j;

	for (j = 0; j < cnt; j++)
		Y[j] = df * mc_payoff_intrinsic(put, ST[j], K);
}

#define EUROPEAN_STAMP(NAME, TARGET)					\
TARGET static void european_##NAME(int put, double K, double df,	\
    const double *ST, size_t cnt, double *Y)				\
{ european_body(put, K, df, ST, cnt, Y); }

EUROPEAN_STAMP(base, )
#ifdef MC_ISA_SIMD
EUROPEAN_STAMP(avx2, MC_ISA_TARGET_AVX2)
EUROPEAN_STAMP(avx512, MC_ISA_TARGET_AVX512)
#endif

void
mc_payoff_terminal(const mc_contract *c, int european, double df,
    const double *ST, size_t cnt, double *Y)
{
	size_t j;

	if (c->style == MC_DIGITAL && !european) {
		for (j = 0; j < cnt; j++)
			Y[j] = (c->put ? ST[j] < c->strike : ST[j] > c->strike) ?
			    df * c->payout : 0;
		return;
	}
	MC_ISA_PICK(mc_isa_best(), european)(c->put, c->strike, df, ST, cnt,
	    Y);
}

void
mc_payoff_asian(const mc_contract *c, double geo_ref, const double *S,
    const double *L, size_t cnt, double *Y, mc_payoff_scratch *t)
{
	unsigned F = c->fixings, m = c->steps / F, f;
	double df = exp(-c->m.rate * c->m.maturity), K = c->strike;
	double *A = t->a, *G = t->b;
	size_t j;

	for (j = 0; j < cnt; j++)
		A[j] = G[j] = 0;
	for (f = 1; f <= F; f++) {
		const double *s = S + (size_t)f * m * cnt, *l = t->c;
		if (L != NULL)
			l = L + ((size_t)f * m - 1) * cnt;
		else
			mc_vlog(s, t->c, cnt);
		for (j = 0; j < cnt; j++) {
			A[j] += s[j];
			G[j] += l[j];
		}
	}
	for (j = 0; j < cnt; j++)
		G[j] /= F;
	mc_vexp(G, G, cnt);
	for (j = 0; j < cnt; j++) {
		double a = A[j] / F, g = G[j];
		if (c->geometric)
			Y[j] = df * mc_payoff_intrinsic(c->put, g, K);
		else if (!isnan(geo_ref))
			Y[j] = df * (mc_payoff_intrinsic(c->put, a, K) -
			    mc_payoff_intrinsic(c->put, g, K)) + geo_ref;
		else
			Y[j] = df * mc_payoff_intrinsic(c->put, a, K);
	}
}

static int
beyond(const mc_contract *c, double s)
{
	return c->down ? s <= c->barrier : s >= c->barrier;
}

double
mc_payoff_hit_discount(double eps, double a, double b)
{
	double m = mc_bs_mills(a + b), mean = a * m;
	double tail2 = 0.5 * (2 + a * a - a * b - a * m * (3 + a * a - b * b));
	double var = fmax(tail2 - (1 - mean) * (1 - mean), 0);

	return exp(-eps * mean + 0.5 * eps * eps * var);
}

/*
 * The discount of a knock-out's rebate for a hit in a step (from log(s0
 * / H) = l0 to log(s1 / H) = l1, of variance var, eps the rate times its
 * length, d0 and d1 the discounts of its start and end), with p its
 * probability: from the hit, where the hit has a chance to count.  Below
 * 1e-16 the rebate's part is below a rounding of it, and it is
 * discounted from the step's end, without the hit's Mills ratio.
 */
static double
rebate_df(double eps, double d0, double d1, double l0, double l1,
    double var, double p)
{
	double sd;

	if (!(var > 0) || p < 1e-16)
		return d1;
	sd = sqrt(var);
	return d0 * mc_payoff_hit_discount(eps, fabs(l0) / sd, fabs(l1) / sd);
}

/*
 * The uniforms that place a step's jumps: path i's bridge stream, draws
 * (k + 1) 2^32 on for step k, two uniforms a draw, so that they meet
 * neither the lookback's draws of the step (below 2^31) nor another
 * step's.
 */
struct jump_draws {
	const mc_stream *st;
	uint64_t i, draw;
	uint32_t w[4];
	int left;
};

static void
jump_draws_init(struct jump_draws *d, const mc_stream *st, uint64_t i,
    unsigned k)
{
	d->st = st;
	d->i = i;
	d->draw = (uint64_t)(k + 1) << 32;
	d->left = 0;
}

static double
jump_u(struct jump_draws *d)
{
	if (d->left == 0) {
		mc_stream_words(d->st, d->i, d->draw++, d->w);
		d->left = 2;
	}
	return --d->left ? mc_u53(d->w[0], d->w[1]) : mc_u53(d->w[2], d->w[3]);
}

/* n standard normals into z, from the next n uniforms of d. */
static void
jump_normals(struct jump_draws *d, unsigned n, double *z)
{
	/* Zeroed for GCC, which cannot see the loop fill what it reads. */
	double u[MC_PAYOFF_JUMPS_MAX] = { 0 };
	unsigned m;

	for (m = 0; m < n && m < MC_PAYOFF_JUMPS_MAX; m++)
		u[m] = jump_u(d);
	mc_vninv(u, z, m);
}

/*
 * A step cut at its n jumps into n + 1 segments: segment m runs from
 * fraction t[m] to t[m + 1] of the step, its log price from x0[m] to
 * x1[m] (before the jump at its end).
 */
struct jump_step {
	unsigned n;
	double t[MC_PAYOFF_JUMPS_MAX + 2];
	double x0[MC_PAYOFF_JUMPS_MAX + 1], x1[MC_PAYOFF_JUMPS_MAX + 1];
};

/*
 * Cuts a step from log price a to b, of diffusion variance var, at its n
 * jumps (1 to MC_PAYOFF_JUMPS_MAX) of log sum J, into s: their times are
 * n sorted uniforms; their sizes J / n plus jump_vol times n normals'
 * deviations from their mean (given their sum, that is their law); and
 * the diffusion's values at them come from its bridge from a to b - J.
 */
static void
jump_cut(double jv, struct jump_draws *d, double a, double b, double var,
    unsigned n, double J, struct jump_step *s)
{
	double z[MC_PAYOFF_JUMPS_MAX], size[MC_PAYOFF_JUMPS_MAX];
	double w = a, e = b - J, cum = 0, zbar = 0, u, rest;
	unsigned m, i;

	s->n = n;
	s->t[0] = 0;
	for (i = 1; i <= n; i++) {
		u = jump_u(d);
		for (m = i; m > 1 && s->t[m - 1] > u; m--)
			s->t[m] = s->t[m - 1];
		s->t[m] = u;
	}
	s->t[n + 1] = 1;
	size[0] = J;
	if (n > 1) {
		jump_normals(d, n, z);
		for (m = 0; m < n; m++)
			zbar += z[m];
		zbar /= n;
		for (m = 0; m < n; m++)
			size[m] = J / n + jv * (z[m] - zbar);
	}
	jump_normals(d, n, z);
	for (m = 0; m < n; m++) {
		double h = s->t[m + 1] - s->t[m];
		rest = 1 - s->t[m];
		s->x0[m] = w + cum;
		w += (e - w) * h / rest + sqrt(var * h * (1 - s->t[m + 1]) /
		    rest) * z[m];
		s->x1[m] = w + cum;
		cum += size[m];
	}
	s->x0[n] = w + cum;
	s->x1[n] = b;
}

/*
 * The jumps of path j's step k under jp, cut into s from log price a to
 * b: returns 0 when the step is bridged whole (no jumps, or more than
 * MC_PAYOFF_JUMPS_MAX).
 */
static int
jumps_of(const mc_contract *c, const mc_payoff_jumps *jp, size_t cnt,
    size_t j, unsigned k, double a, double b, double var,
    struct jump_draws *d, struct jump_step *s)
{
	size_t at = (size_t)k * cnt + j;
	double n;

	if (jp == NULL || (n = jp->count[at]) == 0 ||
	    n > MC_PAYOFF_JUMPS_MAX)
		return 0;
	jump_draws_init(d, jp->bridge, jp->first + j, k);
	jump_cut(c->m.jump_vol, d, a, b, var, (unsigned)n, jp->sum[at], s);
	return 1;
}

/* Whether log(s / H) = l is at or past the barrier. */
static int
beyond_log(const mc_contract *c, double l)
{
	return c->down ? l <= 0 : l >= 0;
}

/*
 * A knock-out's step cut at its jumps (s, in log(S / H), of diffusion
 * variance var, eps the rate times the step, d0 the discount of its
 * start): its chance of survival q and rebate reb, segment by segment.
 */
static void
barrier_jumps(const mc_contract *c, const struct jump_step *s, double var,
    double eps, double d0, int at_hit, double *q, double *reb)
{
	unsigned m;

	for (m = 0; m <= s->n && *q > 0; m++) {
		double h = s->t[m + 1] - s->t[m], vs = var * h, l0 = s->x0[m];
		double l1 = s->x1[m], p, d = d0 * exp(-eps * s->t[m + 1]);
		if (beyond_log(c, l0)) {
			/* A jump past the barrier: the hit is at the jump. */
			p = 1;
			d = d0 * exp(-eps * s->t[m]);
		} else {
			p = beyond_log(c, l1) ? 1 : vs > 0 ?
			    exp(-2 * l0 * l1 / vs) : 0;
			if (at_hit)
				d = rebate_df(eps * h, d0 * exp(-eps *
				    s->t[m]), d, l0, l1, vs, p);
		}
		*reb += *q * p * c->rebate * d;
		*q -= *q * p;
	}
}

void
mc_payoff_barrier(const mc_contract *c, const double *S, const double *V,
    const mc_payoff_jumps *jp, size_t cnt, double *Y, mc_payoff_scratch *t)
{
	unsigned n = c->steps, k, every = c->fixings ? n / c->fixings : 1;
	double dt = c->m.maturity / n, r = c->m.rate, H = c->barrier;
	double df = exp(-r * c->m.maturity), v2 = c->m.vol * c->m.vol;
	double *q = t->a, *reb = t->b, *lh = t->c;
	int at_hit = c->out && c->rebate > 0 && !c->fixings;
	struct jump_draws jd;
	struct jump_step js;
	size_t j;

	for (j = 0; j < cnt; j++) {
		q[j] = beyond(c, S[j]) ? 0 : 1;
		reb[j] = (1 - q[j]) * c->rebate;
		lh[j] = log(S[j] / H);
	}
	for (k = 0; k < n; k++) {
		const double *s0 = S + (size_t)k * cnt, *s1 = s0 + cnt;
		const double *vk = V != NULL ? V + (size_t)k * cnt : NULL;
		double d0 = exp(-r * k * dt), d1 = exp(-r * (k + 1) * dt);
		int fixing = (k + 1) % every == 0;
		for (j = 0; j < cnt; j++) {
			double p, var, l1 = 0, d = d1;
			int past;
			if (q[j] == 0)
				continue;
			if (c->fixings) {
				p = fixing && beyond(c, s1[j]);
			} else {
				/* lh[j] is log(s0 / H), the last step's l1. */
				past = beyond(c, s1[j]);
				if (!past || at_hit || jp != NULL)
					l1 = log(s1[j] / H);
				if (jumps_of(c, jp, cnt, j, k, lh[j], l1,
				    v2 * dt, &jd, &js)) {
					barrier_jumps(c, &js, v2 * dt, r * dt,
					    d0, at_hit, &q[j], &reb[j]);
					lh[j] = l1;
					continue;
				}
				var = (vk != NULL ? vk[j] : v2) * dt;
				p = past ? 1 : var > 0 ?
				    exp(-2 * lh[j] * l1 / var) : 0;
				if (at_hit)
					d = rebate_df(r * dt, d0, d1, lh[j], l1,
					    var, p);
				lh[j] = l1;
			}
			reb[j] += q[j] * p * c->rebate * d;
			q[j] -= q[j] * p;
		}
	}
	for (j = 0; j < cnt; j++) {
		double pay = mc_payoff_intrinsic(c->put, S[(size_t)n * cnt + j],
		    c->strike);
		if (c->out)
			Y[j] = df * q[j] * pay + reb[j];
		else
			Y[j] = df * ((1 - q[j]) * pay + q[j] * c->rebate);
	}
}

/* The uniform of the lookback bridge at step k of path index i. */
static double
bridge_u(const mc_stream *bridge, uint64_t i, unsigned k)
{
	uint32_t out[4];

	mc_stream_words(bridge, i, k / 2, out);
	return k % 2 ? mc_u53(out[2], out[3]) : mc_u53(out[0], out[1]);
}

/*
 * The extreme (sg 1: the max, -1: the min) of a step cut at its jumps,
 * s, of diffusion variance var: each segment's bridge extreme, from the
 * uniforms of d that follow the cut's.
 */
static double
lookback_jumps(const struct jump_step *s, double var, double sg,
    struct jump_draws *d)
{
	double e = s->x0[0];
	unsigned m;

	for (m = 0; m <= s->n; m++) {
		double x0 = s->x0[m], x1 = s->x1[m], dx = x1 - x0;
		double vs = var * (s->t[m + 1] - s->t[m]);
		double em = 0.5 * (x0 + x1 + sg * sqrt(dx * dx - 2 * vs *
		    log(jump_u(d))));
		if (sg * em > sg * e)
			e = em;
	}
	return e;
}

void
mc_payoff_lookback(const mc_contract *c, const mc_stream *bridge,
    uint64_t first, const double *S, const double *V,
    const mc_payoff_jumps *jp, size_t cnt, double *Y, mc_payoff_scratch *t)
{
	unsigned n = c->steps, k, every = c->fixings ? n / c->fixings : 1;
	double dt = c->m.maturity / n, v2 = c->m.vol * c->m.vol;
	double df = exp(-c->m.rate * c->m.maturity), *ext = t->a;
	/* Calls on the max (fixed) or from the min (floating). */
	int usemax = c->floating ? c->put : !c->put;
	double sg = usemax ? 1 : -1;
	struct jump_draws jd;
	struct jump_step js;
	size_t j;

	for (j = 0; j < cnt; j++)
		ext[j] = log(S[j]);
	for (k = 0; k < n; k++) {
		const double *s0 = S + (size_t)k * cnt, *s1 = s0 + cnt;
		const double *vk = V != NULL ? V + (size_t)k * cnt : NULL;
		for (j = 0; j < cnt; j++) {
			double a = log(s0[j]), b = log(s1[j]), e, var, d;
			if (c->fixings) {
				if ((k + 1) % every != 0)
					continue;
				e = b;
			} else if (jumps_of(c, jp, cnt, j, k, a, b, v2 * dt,
			    &jd, &js)) {
				e = lookback_jumps(&js, v2 * dt, sg, &jd);
			} else {
				var = (vk != NULL ? vk[j] : v2) * dt;
				d = b - a;
				e = 0.5 * (a + b + sg * sqrt(d * d - 2 * var *
				    log(bridge_u(bridge, first + j, k))));
			}
			if (sg * e > sg * ext[j])
				ext[j] = e;
		}
	}
	for (j = 0; j < cnt; j++) {
		double x = exp(ext[j]), sT = S[(size_t)n * cnt + j], pay;
		if (c->floating)
			pay = c->put ? x - sT : sT - x;
		else
			pay = mc_payoff_intrinsic(c->put, x, c->strike);
		Y[j] = df * pay;
	}
}

void
mc_payoff_basket(const mc_contract *c, const double *Z, size_t cnt,
    double *Y, mc_payoff_scratch *t)
{
	unsigned A = c->nassets, a, b;
	double T = c->m.maturity, r = c->m.rate, q = c->m.dividend;
	double *B = t->a, *e = t->b;
	size_t j;

	for (j = 0; j < cnt; j++)
		B[j] = 0;
	for (a = 0; a < A; a++) {
		double vol = c->vols[a] + c->vadd;
		double mu = (r - q - 0.5 * vol * vol) * T, sd = vol * sqrt(T);
		double s0 = c->spots[a] * c->smul * c->weights[a];
		for (j = 0; j < cnt; j++)
			e[j] = 0;
		for (b = 0; b <= a; b++) {
			double l = c->chol[a * A + b];
			const double *z = Z + (size_t)b * cnt;
			for (j = 0; j < cnt; j++)
				e[j] += l * z[j];
		}
		for (j = 0; j < cnt; j++)
			B[j] += s0 * exp(mu + sd * e[j]);
	}
	for (j = 0; j < cnt; j++)
		Y[j] = exp(-r * T) * mc_payoff_intrinsic(c->put, B[j],
		    c->strike);
}
