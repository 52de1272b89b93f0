/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The duality upper bound (see mc_dual.h): outer paths, the nested
 * estimates of the rule's continuation along them, and the threads.
 *
 * Random numbers: outer path i draws from index 2^62 + i 2^28 of
 * MC_STREAM_DUAL, the inner paths of its date f from index 2^62 + i 2^28
 * + f 2^16 + m (inner pair m < 2^15, dates f < 4096 = 2^12); draw d of
 * an index holds the normals of steps 2d and 2d + 1.  The inner paths
 * of a date are the same for the american's two grids (common random
 * numbers, so that 2 g_F - g_F/2 is less noisy).
 */
#include "mc_dual.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "mc_bs.h"
#include "mc_lsm.h"
#include "mc_path.h"
#include "mc_payoff.h"
#include "mc_philox.h"
#include "mc_stream.h"
#include "mc_vmath.h"

_Static_assert(MC_CONTRACT_MAX_DATES <= 4096, "dates fit in 12 bits");
_Static_assert(MC_DUAL_MAX_INNER / 2 <= 65536, "inner pairs fit in 16 bits");

/* What every thread reads: the contract, one rule, the stream. */
struct ctx {
	const mc_contract *c;
	const mc_lsm_exercise *ex;
	mc_stream st;
	unsigned inner, nthreads;
	double drift, sdt;	/* a date's log drift and vol sqrt(dt) */
	double *df;		/* F + 1 discount factors e^-r t_f */
	double *eur;		/* F: at date f, T - t_f (the european's term) */
	uint64_t lo, hi;	/* the outer paths of this rule */
};

/* A thread's arrays (inner paths, or F + 1 for the outer path). */
struct scratch {
	double *x, *s, *y, *done, *u, *z0, *z1, *S;
	uint32_t *w[4];
};

struct worker {
	const struct ctx *x;
	unsigned id;
	struct scratch t;
	mc_acc acc;
	int status;
};

static uint64_t
index_of(uint64_t i, unsigned f)
{
	return i << 28 | (uint64_t)f << 16;
}

/* The normals of draw d of pairs [first, first + h) into z0, z1. */
static void
normals(const struct ctx *x, struct scratch *t, uint64_t first, uint64_t d,
    size_t h)
{
	mc_stream_block(&x->st, d, first, h, t->w[0], t->w[1], t->w[2],
	    t->w[3]);
	mc_vu53(t->w[0], t->w[1], t->u, h);
	mc_vninv(t->u, t->z0, h);
	mc_vu53(t->w[2], t->w[3], t->u, h);
	mc_vninv(t->u, t->z1, h);
}

/* Whether date g of F is one of the grid's (every stride-th from T). */
static int
on_grid(unsigned F, unsigned g, unsigned stride)
{
	return (F - g) % stride == 0;
}

/*
 * The european of the rest at date g and price s, discounted to 0: the
 * payoff itself at the maturity.
 */
static double
european(const struct ctx *x, unsigned g, double s)
{
	const mc_contract *c = x->c;

	if (g == c->fixings)
		return x->df[g] * mc_payoff_intrinsic(c->put, s, c->strike);
	return x->df[g] * mc_bs_price(c->put, s, c->strike, x->eur[g],
	    c->m.rate, c->m.dividend, c->m.vol);
}

/*
 * The rule's continuation at date f of outer path i, price s0, on the
 * grid of stride (coefficients beta_all): the mean over the inner paths
 * of the discounted payoff of following the rule from date f + 1 on,
 * less the control E_tau - E_f, E_t the discounted european of the rest
 * (Black-Scholes): a martingale, stopped at the inner path's exercise
 * date tau (or T), so its mean is 0 and the estimate stays unbiased.  It
 * is the whole payoff of the paths that never exercise, which then add
 * exactly 0, and most of it where they do (the early-exercise premium
 * is what is left), so few inner paths give a tight estimate.
 */
static double
inner_value(const struct ctx *x, struct scratch *t, uint64_t i, unsigned f,
    double s0, const double *beta_all, unsigned stride)
{
	const mc_contract *c = x->c;
	unsigned F = c->fixings, p = x->ex->p, g;
	size_t M = x->inner, h = M / 2, m, left = M;
	double x0 = log(s0), sum = 0;

	for (m = 0; m < M; m++) {
		t->x[m] = x0;
		t->y[m] = t->done[m] = 0;
	}
	for (g = f + 1; g <= F && left > 0; g++) {
		unsigned k = g - f - 1;
		const double *z = k % 2 ? t->z1 : t->z0;
		if (k % 2 == 0)
			normals(x, t, index_of(i, f), k / 2, h);
		for (m = 0; m < h; m++) {
			t->x[m] += x->drift + x->sdt * z[m];
			t->x[m + h] += x->drift - x->sdt * z[m];
		}
		mc_vexp(t->x, t->s, M);
		if (g == F)
			break;
		if (!on_grid(F, g, stride) || isnan(beta_all[(g - 1) * p]))
			continue;
		mc_lsm_rule(c->put, c->strike, x->ex->zone[g - 1], beta_all +
		    (g - 1) * p, p, t->s, NULL, M, x->df[g], t->y, t->done);
		/* Those that exercised here: payoff less the control's end. */
		for (m = 0, left = M; m < M; m++) {
			if (t->done[m] == 1) {
				sum += t->y[m] - european(x, g, t->s[m]);
				t->done[m] = 2;
			}
			left -= t->done[m] != 0;
		}
	}
	return european(x, f, s0) + sum / (double)M;
}

/* Whether the rule exercises at date f (coefficients beta) at price s. */
static int
exercises(const struct ctx *x, unsigned f, const double *beta, double s)
{
	double y = 0;

	if (isnan(beta[0]))
		return 0;
	mc_lsm_rule(x->c->put, x->c->strike, x->ex->zone[f - 1], beta,
	    x->ex->p, &s, NULL, 1, 1.0, &y, NULL);
	return y > 0;
}

/*
 * The gap max_k (Z_k - L_k + A_k) of outer path i (prices t->S at the
 * dates) on the grid of stride under coefficients beta_all.  L_k is Z_k
 * where the rule exercises, else Q_k; A_k sums Q_j - Z_j over the
 * exercise dates j < k; at the maturity the term is A_F.
 */
static double
outer_gap(const struct ctx *x, struct scratch *t, uint64_t i,
    const double *beta_all, unsigned stride)
{
	const mc_contract *c = x->c;
	unsigned F = c->fixings, p = x->ex->p, f;
	double A = 0, g = -INFINITY;

	for (f = 1; f < F; f++) {
		mc_lsm_zone z = x->ex->zone[f - 1];
		double s = t->S[f], e, zd, q, term;
		if (!on_grid(F, f, stride) || !(s > z.lo && s < z.hi))
			continue;
		if (!((e = mc_payoff_intrinsic(c->put, s, c->strike)) > 0))
			continue;
		zd = x->df[f] * e;
		q = inner_value(x, t, i, f, s, beta_all, stride);
		if (exercises(x, f, beta_all + (f - 1) * p, s)) {
			term = A;
			A += q - zd;
		} else {
			term = zd - q + A;
		}
		g = term > g ? term : g;
	}
	return A > g ? A : g;
}

/* Outer path i's prices at the F dates into t->S (S[0] the spot). */
static void
outer_path(const struct ctx *x, struct scratch *t, uint64_t i)
{
	unsigned F = x->c->fixings, f;
	double lx = log(x->c->m.spot);

	t->S[0] = x->c->m.spot;
	for (f = 0; f < F; f += 2) {
		normals(x, t, index_of(i, 0), f / 2, 1);
		lx += x->drift + x->sdt * t->z0[0];
		t->S[f + 1] = exp(lx);
		if (f + 2 <= F) {
			lx += x->drift + x->sdt * t->z1[0];
			t->S[f + 2] = exp(lx);
		}
	}
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	const struct ctx *x = w->x;
	uint64_t i;

	for (i = x->lo + w->id; i < x->hi; i += x->nthreads) {
		double g;
		outer_path(x, &w->t, i);
		g = outer_gap(x, &w->t, i, x->ex->beta, 1);
		if (x->ex->beta2 != NULL)
			g = 2 * g - outer_gap(x, &w->t, i, x->ex->beta2, 2);
		mc_acc_add(&w->acc, g);
	}
	return NULL;
}

static void
scratch_free(struct scratch *t)
{
	int k;

	free(t->x);
	free(t->s);
	free(t->y);
	free(t->done);
	free(t->u);
	free(t->z0);
	free(t->z1);
	free(t->S);
	for (k = 0; k < 4; k++)
		free(t->w[k]);
}

static int
scratch_alloc(struct scratch *t, size_t M, unsigned F)
{
	int k, bad;

	memset(t, 0, sizeof(*t));
	t->x = malloc(M * sizeof(double));
	t->s = malloc(M * sizeof(double));
	t->y = malloc(M * sizeof(double));
	t->done = malloc(M * sizeof(double));
	t->u = malloc(M * sizeof(double));
	t->z0 = malloc(M * sizeof(double));
	t->z1 = malloc(M * sizeof(double));
	t->S = malloc((F + 2) * sizeof(double));
	bad = !t->x || !t->s || !t->y || !t->done || !t->u || !t->z0 ||
	    !t->z1 || !t->S;
	for (k = 0; k < 4; k++)
		bad |= (t->w[k] = malloc(M * sizeof(uint32_t))) == NULL;
	return bad ? -1 : 0;
}

/* The outer paths [x->lo, x->hi) over the threads, into gap. */
static int
run_rule(const struct ctx *x, struct worker *w, mc_acc *gap, mc_err *err)
{
	pthread_t th[64];
	unsigned k, started = 0;

	for (k = 0; k < x->nthreads; k++)
		mc_acc_init(&w[k].acc);
	for (k = 1; k < x->nthreads; k++, started++)
		if (pthread_create(&th[k], NULL, work, &w[k]) != 0)
			break;
	/* Threads that did not start run here: the sums are the same. */
	for (k = started + 1; k < x->nthreads; k++)
		work(&w[k]);
	work(&w[0]);
	for (k = 1; k <= started; k++)
		pthread_join(th[k], NULL);
	for (k = 0; k < x->nthreads; k++)
		mc_acc_merge(gap, &w[k].acc);
	(void)err;
	return 0;
}

int
mc_dual_applies(const mc_contract *c)
{
	return (c->style == MC_AMERICAN || c->style == MC_BERMUDAN) &&
	    c->m.model == MC_MODEL_GBM;
}

/* The context of c under o, but for the rule and its paths. */
static int
ctx_init(struct ctx *x, const mc_contract *c, const mc_dual_opts *o,
    mc_err *err)
{
	unsigned F = c->fixings, f;
	double dt = c->m.maturity / F, v = c->m.vol;

	memset(x, 0, sizeof(*x));
	x->c = c;
	x->inner = o->inner;
	x->nthreads = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads;
	x->drift = (c->m.rate - c->m.dividend - 0.5 * v * v) * dt;
	x->sdt = v * sqrt(dt);
	mc_stream_init(&x->st, o->seed, MC_STREAM_DUAL);
	x->df = malloc((F + 1) * sizeof(double));
	x->eur = malloc((F + 1) * sizeof(double));
	if (x->df == NULL || x->eur == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (f = 0; f <= F; f++) {
		x->df[f] = exp(-c->m.rate * f * dt);
		x->eur[f] = c->m.maturity * (F - f) / F;
	}
	return 0;
}

/* The threads' workers, or NULL when out of memory. */
static struct worker *
workers(const struct ctx *x)
{
	struct worker *w = calloc(x->nthreads, sizeof(*w));
	unsigned k;
	int bad = w == NULL;

	for (k = 0; !bad && k < x->nthreads; k++) {
		w[k].x = x;
		w[k].id = k;
		bad = scratch_alloc(&w[k].t, x->inner, x->c->fixings) != 0;
	}
	if (bad && w != NULL) {
		for (k = 0; k < x->nthreads; k++)
			scratch_free(&w[k].t);
		free(w);
		w = NULL;
	}
	return w;
}

int
mc_dual_run(const mc_contract *c, const mc_dual_opts *o, mc_acc *gap,
    mc_err *err)
{
	struct ctx x;
	struct worker *w = NULL;
	mc_lsm_exercise ex = { 0 };
	uint64_t k, ns = o->nslices < 1 ? 1 : o->nslices;
	unsigned t;
	int st;

	mc_acc_init(gap);
	if (!mc_dual_applies(c))
		return mc_err_set(err, EX_DATAERR, "a duality bound needs an "
		    "american or bermudan contract under gbm");
	if ((st = ctx_init(&x, c, o, err)) != 0)
		goto out;
	if ((w = workers(&x)) == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	/* Slice k's outer paths follow rule k, fitted once for them. */
	for (k = 0; k < ns && st == 0; k++) {
		x.lo = (k * o->outer + ns - 1) / ns;
		x.hi = ((k + 1) * o->outer + ns - 1) / ns;
		if (x.hi <= x.lo)
			continue;
		if ((st = mc_lsm_fit(c, o->seed, o->ncal, k, &ex, err)) == 0) {
			x.ex = &ex;
			st = run_rule(&x, w, gap, err);
		}
		mc_lsm_exercise_free(&ex);
	}
out:
	if (w != NULL)
		for (t = 0; t < x.nthreads; t++)
			scratch_free(&w[t].t);
	free(w);
	free(x.df);
	free(x.eur);
	return st;
}

int
mc_dual_bracket_of(const mc_est *price, const mc_est *lower,
    const mc_acc *gap, double level, mc_dual_bracket *b, mc_err *err)
{
	mc_est g;
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);

	if (mc_acc_estimate(gap, level, &g) != 0 || !isfinite(g.mean))
		return mc_err_set(err, EX_DATAERR, "the duality gap is not "
		    "finite");
	b->upper = price->mean + g.mean;
	b->upper_se = sqrt(price->se * price->se + g.se * g.se);
	b->lo = lower->mean - z * lower->se;
	b->hi = b->upper + z * b->upper_se;
	return 0;
}
