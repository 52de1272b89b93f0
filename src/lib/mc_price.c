/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pricing kernels.
 *
 * A row is priced from per-path discounted payoffs Y, computed a block at
 * a time on step-major arrays.  Estimators and their bias:
 *  - european, digital, geometric asian, basket: the plain mean, unbiased.
 *  - arithmetic asian under gbm: the geometric average as control variate
 *    with coefficient 1 (Kemna and Vorst), Y - Y_geo + geo_ref; unbiased.
 *  - barrier, continuous: the Brownian-bridge probability of crossing
 *    between grid dates, exp(-2 ln(S_k/H) ln(S_k+1/H) / (v dt)), replaces
 *    the indicator (a conditional expectation, so variance only falls);
 *    exact under gbm, an approximation under heston (v = the variance at
 *    the step's start) and merton (jumps fall on grid dates).  The rebate
 *    of a knock-out is discounted from the end of the step of the hit.
 *  - lookback, continuous: the extreme of the Brownian bridge between grid
 *    dates is drawn exactly (min = (a + b - sqrt((b - a)^2 - 2 v dt ln U))
 *    / 2 in log price), so gbm is exact with any grid.
 *  - american, bermudan: Longstaff-Schwartz.  The exercise rule is fitted
 *    on separate calibration paths (index range of the seed's calibration
 *    stream) by least squares of the discounted continuation on the basis
 *    1, x, x^2, x^3 with x = S / K (heston adds v and v x), over
 *    in-the-money paths; the priced paths only follow that fixed rule, so
 *    the estimate is low-biased (a suboptimal rule), never high.
 *    Exercise at time 0 is not considered.
 *  - american, bermudan, barrier: the european option is a control
 *    variate where its value is known (see control()); unbiased.
 *  - --qmc sobol: every block of MC_BLOCK paths is one independently
 *    scrambled Sobol replicate (mc_qmc.h), so the block means are the
 *    i.i.d. values whose spread gives the standard error; the count is
 *    rounded up to whole blocks.  --antithetic averages pairs of paths.
 *  - Greeks of european and digital options under gbm: pathwise
 *    (european delta, vega, rho, theta), likelihood ratio (digital), and
 *    pathwise then likelihood ratio (european gamma); unbiased.
 *  - Other Greeks: central differences with common random numbers (the
 *    same path indices for the bumped contracts): spot and vol 1%
 *    relative, rate 0.001, maturity 1% relative.  Bias O(h^2); the
 *    standard errors are those of the per-path differences.
 */
#include "mc_price.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mc_bs.h"
#include "mc_lsm.h"
#include "mc_path.h"
#include "mc_opt.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_vmath.h"

const char *const mc_price_stat_names[MC_NSTAT] = {
	"price", "delta", "gamma", "vega", "rho", "theta"
};

#define NVAR 9		/* base, spot+-, vol+-, rate+-, maturity+- */
#define H_SPOT 0.01
#define H_VOL 0.01
#define H_RATE 0.001
#define H_MAT 0.01
#define NCAL_MIN 4096
#define NCAL_MAX 65536
#define MAXBASIS MC_LSM_MAXBASIS
#define NPILOT 16384


struct lsm {
	unsigned F, p;
	double *beta;		/* F x p; NaN first: no exercise that date */
};

struct variant {
	mc_contract c;
	double geo_ref;		/* arithmetic asian control */
	struct lsm lsm;
	int cv;			/* the european as control variate */
	double cv_b, cv_ref;
};

/* Sums of a pilot run: the payoff Y and the european control C. */
struct pilot {
	double n, y, c, cc, yc;
};

struct job {
	const mc_price_opts *o;
	struct variant var[NVAR];
	int nvar;
	int pw;			/* Greeks by pathwise and LR formulas */
	struct pilot *pilot;	/* a pilot run: sums, not estimates */
	double h[NVAR];		/* the bump of each pair's first member */
	int stream;		/* MC_STREAM_PATH, or _CAL for a pilot run */
	uint64_t lo, hi;	/* path indices */
	unsigned nthreads;
};

struct worker {
	struct job *job;
	unsigned id;
	mc_path_gen *gen[NVAR];
	double *S, *V, *Y[NVAR], *C;
	double *ST;		/* the base paths' terminal prices */
	mc_acc acc[MC_NSTAT];
	int status;
	mc_err err;
};

static double
intrinsic(int put, double s, double k)
{
	double x = put ? k - s : s - k;

	return x > 0 ? x : 0;
}

static unsigned
nbasis(const mc_contract *c)
{
	return c->m.model == MC_MODEL_HESTON ? 6 : 4;
}

#define INLINE static inline __attribute__((always_inline))

/*
 * Paths in a piece of a block whose step-major arrays of rows dates take
 * about 256 KiB each, so that they stay in cache: a multiple of 16 paths
 * (whole SIMD vectors, even for antithetic pairs), at most MC_BLOCK.
 */
static size_t
sub_block(size_t rows)
{
	size_t sub = 32768 / rows / 16 * 16;

	return sub < 16 ? 16 : sub > MC_BLOCK ? MC_BLOCK : sub;
}

static mc_path_gen *
gen_alloc(const mc_contract *c, const mc_price_opts *o, uint64_t seed,
    int stream, int plain, mc_err *err)
{
	mc_path_opts po = { 0 };

	po.steps = c->style == MC_BASKET ? c->nassets : c->steps;
	po.seed = seed;
	po.stream = stream;
	po.rng = plain ? NULL : o->rng;
	po.qmc = plain ? 0 : o->qmc;
	po.antithetic = plain ? 0 : o->antithetic;
	po.general = plain ? 0 : o->general;
	if (c->style == MC_BASKET) {
		mc_model_params m = c->m;
		m.spot = m.vol = m.maturity = 1;
		return mc_path_alloc(&m, &po, err);
	}
	return mc_path_alloc(&c->m, &po, err);
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

/*
 * Fits the exercise rule of an american or bermudan contract on ncal
 * calibration paths.  Returns 0 or an error status.
 */
static int
lsm_fit(struct variant *v, uint64_t seed, uint64_t ncal, mc_err *err)
{
	const mc_contract *c = &v->c;
	unsigned F = c->fixings, p = nbasis(c), m = c->steps / F, f, k;
	int heston = c->m.model == MC_MODEL_HESTON, st = 0;
	double df = exp(-c->m.rate * c->m.maturity / F);
	double G[MAXBASIS * MAXBASIS], r[MAXBASIS];
	double *X = NULL, *VV = NULL, *S = NULL, *V = NULL, *cash = NULL;
	mc_path_gen *g = NULL;
	uint64_t i, j;
	size_t sub = sub_block(c->steps + 1);

	v->lsm.F = F;
	v->lsm.p = p;
	X = malloc(F * ncal * sizeof(*X));
	VV = heston ? malloc(F * ncal * sizeof(*VV)) : NULL;
	S = malloc((c->steps + 1) * (size_t)MC_BLOCK * sizeof(*S));
	V = malloc((c->steps + 1) * (size_t)MC_BLOCK * sizeof(*V));
	cash = malloc(ncal * sizeof(*cash));
	v->lsm.beta = malloc(F * p * sizeof(double));
	if (X == NULL || (heston && VV == NULL) || S == NULL || V == NULL ||
	    cash == NULL || v->lsm.beta == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	if ((g = gen_alloc(c, NULL, seed, MC_STREAM_CAL, 1, err)) == NULL) {
		st = err->status;
		goto out;
	}
	/* Cache-sized pieces, as in work(); Philox paths split anywhere. */
	for (i = 0; i < ncal; i += sub) {
		size_t cnt = ncal - i < sub ? ncal - i : sub;
		if ((st = mc_path_block(g, i, cnt, S, heston ? V : NULL,
		    err)) != 0)
			goto out;
		for (f = 1; f <= F; f++) {
			memcpy(X + (f - 1) * ncal + i, S + f * m * cnt,
			    cnt * sizeof(*X));
			if (heston)
				memcpy(VV + (f - 1) * ncal + i, V + f * m * cnt,
				    cnt * sizeof(*X));
		}
	}
	for (j = 0; j < ncal; j++)
		cash[j] = intrinsic(c->put, X[(F - 1) * ncal + j], c->strike);
	for (k = 0; k < p; k++)
		v->lsm.beta[(F - 1) * p + k] = NAN;
	for (f = F - 1; f >= 1; f--) {
		const double *x = X + (f - 1) * ncal;
		double *beta = v->lsm.beta + (f - 1) * p;
		size_t itm = 0;
		for (j = 0; j < ncal; j++)
			cash[j] *= df;
		itm = mc_lsm_gram(c->put, c->strike, p, x, heston ? VV +
		    (f - 1) * ncal : NULL, cash, ncal, G, r);
		beta[0] = NAN;
		if (itm < 4 * p || lsq_solve(p, G, r, beta) != 0) {
			beta[0] = NAN;
			continue;
		}
		/* d = 1: cash flows are discounted to the date they meet. */
		mc_lsm_rule(c->put, c->strike, beta, p, x, heston ? VV +
		    (f - 1) * ncal : NULL, ncal, 1.0, cash, NULL);
	}
out:
	mc_path_free(g);
	free(X);
	free(VV);
	free(S);
	free(V);
	free(cash);
	return st;
}

/* The uniform of the lookback bridge at step k of path index i. */
static double
bridge_u(const mc_stream *bridge, uint64_t i, unsigned k)
{
	uint32_t out[4];

	mc_stream_words(bridge, i, k / 2, out);
	return k % 2 ? mc_u53(out[2], out[3]) : mc_u53(out[0], out[1]);
}

struct scratch {
	double *a, *b, *c;
};

static void
asian(const struct variant *v, const double *S, size_t cnt, double *Y,
    struct scratch *t)
{
	const mc_contract *c = &v->c;
	unsigned F = c->fixings, m = c->steps / F, f;
	double df = exp(-c->m.rate * c->m.maturity), K = c->strike;
	double *A = t->a, *G = t->b;
	size_t j;

	for (j = 0; j < cnt; j++)
		A[j] = G[j] = 0;
	for (f = 1; f <= F; f++) {
		const double *s = S + (size_t)f * m * cnt;
		mc_vlog(s, t->c, cnt);
		for (j = 0; j < cnt; j++) {
			A[j] += s[j];
			G[j] += t->c[j];
		}
	}
	for (j = 0; j < cnt; j++)
		G[j] /= F;
	mc_vexp(G, G, cnt);
	for (j = 0; j < cnt; j++) {
		double a = A[j] / F, g = G[j];
		if (c->geometric)
			Y[j] = df * intrinsic(c->put, g, K);
		else if (c->m.model == MC_MODEL_GBM)
			Y[j] = df * (intrinsic(c->put, a, K) -
			    intrinsic(c->put, g, K)) + v->geo_ref;
		else
			Y[j] = df * intrinsic(c->put, a, K);
	}
}

static int
beyond(const mc_contract *c, double s)
{
	return c->down ? s <= c->barrier : s >= c->barrier;
}

static void
barrier(const mc_contract *c, const double *S, const double *V, size_t cnt,
    double *Y, struct scratch *t)
{
	unsigned n = c->steps, k, every = c->fixings ? n / c->fixings : 1;
	double dt = c->m.maturity / n, r = c->m.rate, H = c->barrier;
	double df = exp(-r * c->m.maturity), v2 = c->m.vol * c->m.vol;
	double *q = t->a, *reb = t->b, *lh = t->c;
	size_t j;

	for (j = 0; j < cnt; j++) {
		q[j] = beyond(c, S[j]) ? 0 : 1;
		reb[j] = (1 - q[j]) * c->rebate;
		lh[j] = log(S[j] / H);
	}
	for (k = 0; k < n; k++) {
		const double *s0 = S + (size_t)k * cnt, *s1 = s0 + cnt;
		const double *vk = V != NULL ? V + (size_t)k * cnt : NULL;
		double d1 = exp(-r * (k + 1) * dt);
		int fixing = (k + 1) % every == 0;
		for (j = 0; j < cnt; j++) {
			double p, var, l1;
			if (q[j] == 0)
				continue;
			if (c->fixings) {
				p = fixing && beyond(c, s1[j]);
			} else if (beyond(c, s1[j])) {
				p = 1;
			} else {
				/* log(s0 / H) was the last step's log(s1 / H). */
				var = (vk != NULL ? vk[j] : v2) * dt;
				l1 = log(s1[j] / H);
				p = var > 0 ? exp(-2 * lh[j] * l1 / var) : 0;
				lh[j] = l1;
			}
			reb[j] += q[j] * p * c->rebate * d1;
			q[j] -= q[j] * p;
		}
	}
	for (j = 0; j < cnt; j++) {
		double pay = intrinsic(c->put, S[(size_t)n * cnt + j], c->strike);
		if (c->out)
			Y[j] = df * q[j] * pay + reb[j];
		else
			Y[j] = df * ((1 - q[j]) * pay + q[j] * c->rebate);
	}
}

static void
lookback(const mc_contract *c, const mc_stream *bridge, uint64_t first,
    const double *S, const double *V, size_t cnt, double *Y,
    struct scratch *t)
{
	unsigned n = c->steps, k, every = c->fixings ? n / c->fixings : 1;
	double dt = c->m.maturity / n, v2 = c->m.vol * c->m.vol;
	double df = exp(-c->m.rate * c->m.maturity), *ext = t->a;
	/* Calls on the max (fixed) or from the min (floating). */
	int usemax = c->floating ? c->put : !c->put;
	double sg = usemax ? 1 : -1;
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
			pay = intrinsic(c->put, x, c->strike);
		Y[j] = df * pay;
	}
}

/*
 * The payoff under the fitted rule: exercise at the first date where the
 * intrinsic value is positive and above the continuation value.  Dates
 * go in the outer loop (rows of S, contiguous), with a done flag per path,
 * so the inner loop vectorises.
 */
static void
early(const struct variant *v, const double *S, const double *V, size_t cnt,
    double *Y, struct scratch *t)
{
	const mc_contract *c = &v->c;
	unsigned F = c->fixings, m = c->steps / F, p = v->lsm.p, f;
	double r = c->m.rate, dtf = c->m.maturity / F, *done = t->a, d;
	size_t j;

	for (j = 0; j < cnt; j++)
		done[j] = Y[j] = 0;
	for (f = 1; f < F; f++) {
		const double *beta = v->lsm.beta + (f - 1) * p;
		const double *s = S + (size_t)f * m * cnt;
		const double *vf = V != NULL ? V + (size_t)f * m * cnt : NULL;
		if (isnan(beta[0]))
			continue;
		d = exp(-r * f * dtf);
		mc_lsm_rule(c->put, c->strike, beta, p, s, vf, cnt, d, Y,
		    done);
	}
	d = exp(-r * c->m.maturity);
	for (j = 0; j < cnt; j++)
		if (done[j] == 0)
			Y[j] = d * intrinsic(c->put, S[(size_t)F * m * cnt + j],
			    c->strike);
}

static int
basket(struct worker *w, int iv, uint64_t first, size_t cnt, double *Y,
    struct scratch *t, mc_err *err)
{
	const mc_contract *c = &w->job->var[iv].c;
	unsigned A = c->nassets, a, b;
	double T = c->m.maturity, r = c->m.rate, q = c->m.dividend;
	double *Z = w->S, *B = t->a, *e = t->b;
	size_t j;
	int st;

	/* The bumped contracts reuse the base contract's normals. */
	if (iv == 0 && (st = mc_path_normals(w->gen[0], first, cnt, Z,
	    err)) != 0)
		return st;
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
		Y[j] = exp(-r * T) * intrinsic(c->put, B[j], c->strike);
	return 0;
}

/*
 * Whether the job's payoffs read the terminal prices only, so that
 * mc_path_terminal (and its fast path) can make them: a european or
 * digital contract, alone (no bumped contracts sharing its draws), with
 * no control or pilot.
 */
static int
terminal_only(const struct job *jb)
{
	int style = jb->var[0].c.style;

	return (style == MC_EUROPEAN || style == MC_DIGITAL) &&
	    jb->nvar == 1 && jb->pilot == NULL && !jb->var[0].cv;
}

/* The discounted payoffs of european and digital contracts. */
static void
terminal_payoff(const mc_contract *c, const double *ST, size_t cnt,
    double df, double *Y)
{
	size_t j;

	if (c->style == MC_DIGITAL) {
		for (j = 0; j < cnt; j++)
			Y[j] = (c->put ? ST[j] < c->strike : ST[j] > c->strike) ?
			    df * c->payout : 0;
		return;
	}
	for (j = 0; j < cnt; j++)
		Y[j] = df * intrinsic(c->put, ST[j], c->strike);
}

/*
 * Payoffs of paths first .. first + cnt - 1 into Y[iv] + off (and the
 * control into C + off, the terminal prices into ST + off).
 */
static int
block_payoff(struct worker *w, int iv, uint64_t first, size_t cnt,
    size_t off, struct scratch *t, mc_err *err)
{
	const struct variant *v = &w->job->var[iv];
	const mc_contract *c = &v->c;
	double *Y = w->Y[iv] + off, *S = w->S, df, *V = NULL;
	double *C = w->C + off;
	unsigned n = c->steps;
	mc_stream bridge;
	size_t j;
	int st;

	if (c->style == MC_BASKET)
		return basket(w, iv, first, cnt, Y, t, err);
	if (c->m.model == MC_MODEL_HESTON)
		V = w->V;
	df = exp(-c->m.rate * c->m.maturity);
	if (terminal_only(w->job)) {
		if ((st = mc_path_terminal(w->gen[0], first, cnt, w->ST + off,
		    err)) != 0)
			return st;
		terminal_payoff(c, w->ST + off, cnt, df, Y);
		return 0;
	}
	if (iv == 0)
		st = mc_path_block(w->gen[0], first, cnt, S, V, err);
	else
		st = mc_path_block_again(w->gen[iv], w->gen[0], cnt, S, V, err);
	if (st != 0)
		return st;
	if (iv == 0)
		memcpy(w->ST + off, S + (size_t)n * cnt, cnt * sizeof(*S));
	switch (c->style) {
	case MC_EUROPEAN:
	case MC_DIGITAL:
		terminal_payoff(c, S + (size_t)n * cnt, cnt, df, Y);
		break;
	case MC_ASIAN:
		asian(v, S, cnt, Y, t);
		break;
	case MC_BARRIER:
		barrier(c, S, V, cnt, Y, t);
		break;
	case MC_LOOKBACK:
		/* The bridge streams of the paths' own seed. */
		mc_stream_init(&bridge, mc_stream_seed(w->job->o->seed,
		    w->job->stream), MC_STREAM_BRIDGE);
		lookback(c, &bridge, first, S, V, cnt, Y, t);
		break;
	default:
		early(v, S, V, cnt, Y, t);
		break;
	}
	if (v->cv || w->job->pilot != NULL) {
		for (j = 0; j < cnt; j++)
			C[j] = df * intrinsic(c->put, S[(size_t)n * cnt + j],
			    c->strike);
		for (j = 0; v->cv && j < cnt; j++)
			Y[j] -= v->cv_b * (C[j] - v->cv_ref);
	}
	return 0;
}

/*
 * Greek s of a european or digital gbm path by the pathwise method
 * (european: the payoff is Lipschitz, so d/dtheta E = E d/dtheta) and the
 * likelihood-ratio method (digital, and gamma's second step), with
 * Z = (ln(S_T/S_0) - mu T) / (vol sqrt T) the path's standard normal.
 */
static double
pw_greek(const mc_contract *c, int s, double X, double Y)
{
	double S0 = c->m.spot, T = c->m.maturity, r = c->m.rate, v = c->m.vol;
	double mu = r - c->m.dividend - 0.5 * v * v, sq = v * sqrt(T);
	double lr = log(X / S0), Z = (lr - mu * T) / sq, df = exp(-r * T);
	double fp = (c->put ? X < c->strike : X > c->strike) ?
	    (c->put ? -df : df) : 0;

	if (c->style == MC_DIGITAL) {
		switch (s) {
		case MC_STAT_DELTA:
			return Y * Z / (S0 * sq);
		case MC_STAT_GAMMA:
			return Y * (Z * Z - 1 - Z * sq) / (S0 * S0 * sq * sq);
		case MC_STAT_VEGA:
			return Y * ((Z * Z - 1) / v - Z * sqrt(T));
		case MC_STAT_RHO:
			return -T * Y + Y * Z * sqrt(T) / v;
		default:
			return r * Y - Y * (Z * mu / sq + (Z * Z - 1) /
			    (2 * T));
		}
	}
	switch (s) {
	case MC_STAT_DELTA:
		return fp * X / S0;
	case MC_STAT_GAMMA:
		return fp * X / (S0 * S0) * (Z / sq - 1);
	case MC_STAT_VEGA:
		return fp * X * (lr - (mu + v * v) * T) / v;
	case MC_STAT_RHO:
		return -T * Y + fp * X * T;
	default:
		return r * Y - fp * X * (lr + mu * T) / (2 * T);
	}
}

/*
 * Adds x[0..n) to a: pieces of power-of-two lengths, largest first (one
 * piece for a whole block), each summed by mc_vsum3's fixed tree and
 * then added exactly.
 */
static void
add_block(mc_acc *a, const double *x, size_t n)
{
	double t[3];
	size_t m;

	while (n > 0) {
		for (m = 1; m <= n / 2; m *= 2)
			;
		mc_vsum3(x, m, t);
		mc_acc_add_sums(a, m, t[0], t[1]);
		mc_acc_add_sums(a, 0, 0, t[2]);
		x += m;
		n -= m;
	}
}

/*
 * Adds one block's per-path statistics, by pairs when antithetic
 * (add_block).
 */
static void
accumulate(struct worker *w, size_t cnt, double *tmp)
{
	const struct job *jb = w->job;
	double *const *Y = w->Y;
	const mc_contract *c = &jb->var[0].c;
	const double *ST = w->ST;
	int s, ns = jb->o->greeks ? MC_NSTAT : 1;
	size_t j;

	if (jb->pilot != NULL) {
		for (j = 0; j < cnt; j++) {
			jb->pilot->n++;
			jb->pilot->y += Y[0][j];
			jb->pilot->c += w->C[j];
			jb->pilot->cc += w->C[j] * w->C[j];
			jb->pilot->yc += Y[0][j] * w->C[j];
		}
		return;
	}
	for (s = 0; s < ns; s++) {
		double sum, h;
		const double *src = tmp;
		/* One loop per statistic: a switch per path does not
		 * vectorise. */
		if (jb->pw && s > 0) {
			for (j = 0; j < cnt; j++)
				tmp[j] = pw_greek(c, s, ST[j], Y[0][j]);
		} else if (s == MC_STAT_PRICE) {
			src = Y[0];
		} else if (s == MC_STAT_GAMMA) {
			h = jb->h[1];
			for (j = 0; j < cnt; j++)
				tmp[j] = (Y[1][j] - 2 * Y[0][j] + Y[2][j]) /
				    (h * h);
		} else {
			/* Delta, vega, rho, theta: the central difference of
			 * the bumped pair k, k + 1 = 1, 3, 5, 7; theta is
			 * minus the maturity derivative. */
			int k = 2 * s - 1 - 2 * (s > MC_STAT_GAMMA);
			const double *a = Y[k], *b = Y[k + 1];
			h = jb->h[k];
			for (j = 0; j < cnt; j++)
				tmp[j] = (a[j] - b[j]) / (2 * h);
			if (s == MC_STAT_THETA)
				for (j = 0; j < cnt; j++)
					tmp[j] = -tmp[j];
		}
		if (jb->o->qmc) {
			/* A block is one Sobol replicate: its mean is the
			 * unit (mc_qmc.h), summed in path order. */
			sum = 0;
			for (j = 0; j < cnt; j++)
				sum += src[j];
			mc_acc_add(&w->acc[s], sum / cnt);
		} else if (jb->o->antithetic) {
			for (j = 0; j + 1 < cnt; j += 2)
				tmp[j / 2] = 0.5 * (src[j] + src[j + 1]);
			add_block(&w->acc[s], tmp, cnt / 2);
		} else {
			add_block(&w->acc[s], src, cnt);
		}
	}
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct job *jb = w->job;
	uint64_t nb = (jb->hi - jb->lo + MC_BLOCK - 1) / MC_BLOCK, b;
	const mc_contract *c = &jb->var[0].c;
	size_t rows = c->style == MC_BASKET ? c->nassets : c->steps + 1;
	struct scratch t;
	double *tmp;
	size_t sub, off;
	int iv;

	/*
	 * Paths go through in sub-blocks whose step-major arrays (about
	 * 256 KiB each) stay in cache; the statistics are still summed over
	 * the whole block (accumulate), so the numbers do not change.
	 */
	sub = sub_block(rows);
	w->S = malloc(rows * sub * sizeof(double));
	w->V = malloc(rows * sub * sizeof(double));
	w->ST = malloc(MC_BLOCK * sizeof(double));
	t.a = malloc(MC_BLOCK * sizeof(double));
	t.b = malloc(MC_BLOCK * sizeof(double));
	t.c = malloc(MC_BLOCK * sizeof(double));
	tmp = malloc(MC_BLOCK * sizeof(double));
	w->C = malloc(MC_BLOCK * sizeof(double));
	for (iv = 0; iv < jb->nvar; iv++)
		w->Y[iv] = malloc(MC_BLOCK * sizeof(double));
	if (w->S == NULL || w->V == NULL || t.a == NULL || t.b == NULL ||
	    t.c == NULL || tmp == NULL || w->C == NULL || w->ST == NULL) {
		w->status = mc_err_set(&w->err, EX_OSERR, "out of memory");
		goto out;
	}
	for (iv = 0; iv < jb->nvar; iv++) {
		if (w->Y[iv] == NULL) {
			w->status = mc_err_set(&w->err, EX_OSERR,
			    "out of memory");
			goto out;
		}
		w->gen[iv] = gen_alloc(&jb->var[iv].c, jb->o, jb->o->seed,
		    jb->stream, 0, &w->err);
		if (w->gen[iv] == NULL) {
			w->status = w->err.status;
			goto out;
		}
	}
	for (b = w->id; b < nb; b += jb->nthreads) {
		uint64_t first = jb->lo + b * MC_BLOCK;
		size_t cnt = jb->hi - first < MC_BLOCK ? jb->hi - first :
		    MC_BLOCK;
		for (off = 0; off < cnt; off += sub) {
			size_t c2 = cnt - off < sub ? cnt - off : sub;
			for (iv = 0; iv < jb->nvar; iv++)
				if ((w->status = block_payoff(w, iv,
				    first + off, c2, off, &t, &w->err)) != 0)
					goto out;
		}
		accumulate(w, cnt, tmp);
	}
out:
	for (iv = 0; iv < jb->nvar; iv++) {
		mc_path_free(w->gen[iv]);
		free(w->Y[iv]);
	}
	free(w->S);
	free(w->V);
	free(w->ST);
	free(t.a);
	free(t.b);
	free(t.c);
	free(tmp);
	free(w->C);
	return NULL;
}

/* Runs paths [lo, hi) over the job's threads and adds them to res. */
static int
run_range(struct job *jb, uint64_t lo, uint64_t hi, mc_price_result *res,
    mc_err *err)
{
	unsigned nt = jb->nthreads, i;
	struct worker *w = calloc(nt, sizeof(*w));
	pthread_t *tid = calloc(nt, sizeof(*tid));
	int st = 0, s;

	if (w == NULL || tid == NULL) {
		free(w);
		free(tid);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	jb->lo = lo;
	jb->hi = hi;
	for (i = 0; i < nt; i++) {
		w[i].job = jb;
		w[i].id = i;
		for (s = 0; s < MC_NSTAT; s++)
			mc_acc_init(&w[i].acc[s]);
	}
	if (nt == 1) {
		work(&w[0]);
	} else {
		for (i = 0; i < nt; i++)
			if (pthread_create(&tid[i], NULL, work, &w[i]) != 0) {
				/* Run the rest here: the result is the same. */
				unsigned k;
				for (k = i; k < nt; k++) {
					tid[k] = 0;
					work(&w[k]);
				}
				nt = i;
				break;
			}
		for (i = 0; i < nt; i++)
			pthread_join(tid[i], NULL);
	}
	for (i = 0; i < jb->nthreads; i++) {
		if (w[i].status != 0 && st == 0) {
			st = w[i].status;
			*err = w[i].err;
		}
		for (s = 0; s < MC_NSTAT; s++)
			mc_acc_merge(&res->acc[s], &w[i].acc[s]);
	}
	free(w);
	free(tid);
	return st;
}

uint64_t
mc_price_paths(const mc_contract *c, const mc_price_opts *o)
{
	uint64_t n = c->paths ? c->paths : o->n;

	if (o->antithetic && n % 2)
		n++;
	if (o->tolerance > 0 || o->qmc)
		n = (n + MC_BLOCK - 1) / MC_BLOCK * MC_BLOCK;
	return n;
}

/* The bumped contracts for the Greeks, and their bump sizes. */
static int
make_variants(struct job *jb, const mc_contract *c, mc_err *err)
{
	int i, sgn;

	jb->pw = jb->o->greeks && c->m.model == MC_MODEL_GBM &&
	    (c->style == MC_EUROPEAN || c->style == MC_DIGITAL);
	jb->nvar = jb->o->greeks && !jb->pw ? NVAR : 1;
	for (i = 0; i < jb->nvar; i++) {
		mc_contract *v = &jb->var[i].c;
		if (mc_contract_copy(v, c) != 0) {
			jb->nvar = i;
			return mc_err_set(err, EX_OSERR, "out of memory");
		}
		sgn = i % 2 ? 1 : -1;
		switch (i) {
		case 1:
		case 2:
			if (c->style == MC_BASKET) {
				double b0 = 0;
				unsigned a;
				for (a = 0; a < c->nassets; a++)
					b0 += c->weights[a] * c->spots[a];
				v->smul = 1 + sgn * H_SPOT;
				jb->h[1] = H_SPOT * b0;
			} else {
				v->m.spot = c->m.spot * (1 + sgn * H_SPOT);
				jb->h[1] = H_SPOT * c->m.spot;
			}
			break;
		case 3:
		case 4:
			if (c->style == MC_BASKET) {
				v->vadd = sgn * 0.001;
				jb->h[3] = 0.001;
			} else if (c->m.model == MC_MODEL_HESTON) {
				/* In sqrt(v0), one-sided at v0 = 0. */
				double h = H_VOL * (c->m.v0 > 0 ? sqrt(c->m.v0) :
				    1), s = sqrt(c->m.v0) + sgn * h;
				v->m.v0 = s > 0 ? s * s : 0;
				jb->h[3] = c->m.v0 > 0 ? h : h / 2;
			} else {
				v->m.vol = c->m.vol * (1 + sgn * H_VOL);
				jb->h[3] = H_VOL * c->m.vol;
			}
			break;
		case 5:
		case 6:
			v->m.rate = c->m.rate + sgn * H_RATE;
			jb->h[5] = H_RATE;
			break;
		case 7:
		case 8:
			v->m.maturity = c->m.maturity * (1 + sgn * H_MAT);
			jb->h[7] = H_MAT * c->m.maturity;
			break;
		}
	}
	return 0;
}

/*
 * The european option as control variate for american, bermudan and
 * barrier contracts: Y - b (C - C_ref), with b = cov(Y, C) / var(C) from a
 * pilot run on the calibration stream, so b is independent of the priced
 * paths and the estimate stays unbiased.  The Greeks' bumped contracts
 * share the base b, each with its own C_ref.
 */
static int
control(struct job *jb, mc_err *err)
{
	const mc_contract *c = &jb->var[0].c;
	mc_price_opts po = *jb->o;
	struct job pj = *jb;
	struct pilot pl = { 0, 0, 0, 0, 0 };
	mc_price_result pr;
	double b, vc;
	int i, st;

	if (c->style != MC_AMERICAN && c->style != MC_BERMUDAN &&
	    c->style != MC_BARRIER)
		return 0;
	/* Without the european's value (none known, or an integral that
	 * fails at extreme parameters) there is no control. */
	for (i = 0; i < jb->nvar; i++) {
		mc_contract e = jb->var[i].c;
		mc_err ignored;
		e.style = MC_EUROPEAN;
		if (mc_contract_ref(&e, &jb->var[i].cv_ref, &ignored) != 0 ||
		    isnan(jb->var[i].cv_ref))
			return 0;
	}
	po.rng = NULL;
	po.qmc = po.antithetic = po.greeks = 0;
	pj.o = &po;
	pj.nvar = 1;
	pj.pw = 0;
	pj.nthreads = 1;
	pj.pilot = &pl;
	pj.stream = MC_STREAM_CAL;
	pj.var[0].cv = 0;
	for (i = 0; i < MC_NSTAT; i++)
		mc_acc_init(&pr.acc[i]);
	if ((st = run_range(&pj, 0, NPILOT, &pr, err)) != 0)
		return st;
	vc = pl.cc / pl.n - (pl.c / pl.n) * (pl.c / pl.n);
	if (!(vc > 0))
		return 0;
	b = (pl.yc / pl.n - (pl.y / pl.n) * (pl.c / pl.n)) / vc;
	for (i = 0; i < jb->nvar; i++) {
		jb->var[i].cv = 1;
		jb->var[i].cv_b = b;
	}
	return 0;
}

int
mc_price_run(const mc_contract *c, const mc_price_opts *o,
    mc_price_result *res, mc_err *err)
{
	struct job jb;
	uint64_t n = mc_price_paths(c, o), lo, hi, ncal;
	int i, st;

	memset(&jb, 0, sizeof(jb));
	jb.o = o;
	jb.nthreads = o->threads ? o->threads : 1;
	for (i = 0; i < MC_NSTAT; i++)
		mc_acc_init(&res->acc[i]);
	res->unit = o->qmc ? MC_BLOCK : o->antithetic ? 2 : 1;
	if ((st = make_variants(&jb, c, err)) != 0)
		goto out;
	ncal = n < NCAL_MIN ? NCAL_MIN : n > NCAL_MAX ? NCAL_MAX : n;
	for (i = 0; i < jb.nvar; i++) {
		struct variant *v = &jb.var[i];
		const mc_contract *vc = &v->c;
		if (vc->style == MC_ASIAN)
			v->geo_ref = mc_bs_geo_asian(vc->put, vc->m.spot,
			    vc->strike, vc->m.maturity, vc->m.rate,
			    vc->m.dividend, vc->m.vol, vc->fixings);
		if ((vc->style == MC_AMERICAN || vc->style == MC_BERMUDAN) &&
		    (st = lsm_fit(v, o->seed, ncal, err)) != 0)
			goto out;
	}
	if ((st = control(&jb, err)) != 0)
		goto out;
	if (o->tolerance > 0) {
		mc_est e;
		for (lo = 0, hi = n;; lo = hi, hi *= 2) {
			if ((st = run_range(&jb, lo, hi, res, err)) != 0)
				goto out;
			if ((st = mc_acc_estimate(&res->acc[0], 0.95, &e)) != 0)
				goto out;
			/* 2^40 paths is beyond any sane run: stop there. */
			if (e.se <= o->tolerance || hi >= (UINT64_C(1) << 40))
				break;
		}
	} else {
		mc_shard_range(n, o->shard, o->nshards ? o->nshards : 1, &lo,
		    &hi);
		st = run_range(&jb, lo, hi, res, err);
	}
out:
	for (i = 0; i < jb.nvar; i++) {
		mc_contract_free(&jb.var[i].c);
		free(jb.var[i].lsm.beta);
	}
	return st;
}
