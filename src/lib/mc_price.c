/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_price: the set-up of a job and its threads.
 *
 * A row is priced from per-path discounted payoffs (mc_payoff, and mc_lsm
 * for early exercise), computed a block of MC_BLOCK paths at a time on
 * step-major arrays (mc_path), with control variates (mc_cv) and Greeks
 * (mc_greeks) where they apply.  Each block's values go into exact
 * accumulators (mc_acc) as units (add_units):
 *  - a path, or with --antithetic the mean of a pair of paths;
 *  - --qmc sobol: the mean of a whole replicate (see below).
 * Blocks are fixed by path index and go to the threads round-robin, and
 * exact sums do not depend on the order, so shards and threads print the
 * same bytes.  A european call with a heavy right tail is priced through
 * put-call parity (mc_cv_parity), a rare european or digital payoff
 * under gbm by importance sampling (tilt_theta), and --tolerance runs in
 * two stages, a pilot then a fresh count (run_tolerance), so that the
 * interval holds as at a fixed count (issue 10).
 *
 * Early exercise (american, bermudan).  Slice k of the priced paths,
 * [k RULE_PATHS, (k + 1) RULE_PATHS), follows an exercise rule of its own,
 * fitted on calibration paths [k ncal, (k + 1) ncal) of the calibration
 * stream (mc_lsm_fit; ncal from mc_lsm_cal_paths, a function of the run's
 * n).  With one rule for every path, how the rule varies with its
 * calibration paths stays fixed while the stderr shrinks as 1/sqrt(n),
 * and the interval leaves it out; with a rule per slice it averages out
 * over slices like the paths' own noise, and the spread of the paths
 * measures it (its share of the variance: Var(rule value) RULE_PATHS
 * over the variance of a path, a few percent at most, whatever n).
 * The slices are a function of the path index only, and blocks start at
 * multiples of MC_BLOCK (a piece of a block that straddles two slices,
 * as a Sobol block may, is split by lsm_payoff), so threads and shards
 * see the same rules.  Rules are fitted over the job's threads (hold_rules),
 * RULE_HELD slices at a time (a Sobol window: all of its slices).
 *
 * Randomised Sobol (--qmc sobol).  A run of n paths is QMC_REPS (32)
 * replicates of P paths (n / 32 rounded up to whole nets, qmc_points):
 * paths r P .. (r + 1) P - 1 are the first P points of Sobol replicate
 * r, scrambled afresh from its own Philox stream (mc_qmc,
 * MC_STREAM_SCRAMBLE) and rotated (mc_qmc_opts: a random rotation mod 1
 * and the baker's map, so that a digital's threshold cuts a replicate's
 * strata at a different place each time, and the spread of the replicates
 * sees its error; unrotated, 32 replicates of 512 paths of a digital
 * whose threshold cuts its stratum 1% of the way in mostly agree, and
 * their interval of width 0 held the truth in 29% of seeds).  So the 32
 * replicate means are i.i.d. whatever n is, and their spread is the
 * standard error: mean of the means, sd / sqrt(32), and mc_acc's t
 * interval on 31 degrees of freedom.  The structure is a function of the run (n), never
 * of the split, and stays exact this way:
 *  - a replicate's paths are summed in pieces fixed by the replicate
 *    (the whole replicate when P <= MC_BLOCK, pieces of MC_BLOCK from its
 *    start otherwise), each by mc_vsum3's fixed tree, the pieces added
 *    into the replicate's exact sum (mc_xsum) whichever thread made them;
 *  - the unit added to the accumulator is round(exact sum) / P;
 *  - shards are aligned to replicates: shard I of N runs replicates
 *    [32 I / N, 32 (I + 1) / N) (none when N > 32 leaves it none), so a
 *    partial row holds whole replicate means and merges exactly.
 * --tolerance keeps P and runs as many replicates as its pilot asks for.
 */
#include "mc_price.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_cv.h"
#include "mc_greeks.h"
#include "mc_lsm.h"
#include "mc_opt.h"
#include "mc_path.h"
#include "mc_payoff.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_vmath.h"

#define NVAR MC_GREEKS_NVAR
/* Randomised Sobol: replicates a run, and at most this many at a time. */
#define QMC_REPS 32
#define QMC_WINDOW 64
/*
 * Early exercise: priced paths a fitted rule serves (a slice), and rules
 * held at a time, unless a Sobol window needs more (hold_rules).  Fits at
 * once over the threads: as many as hold FIT_VALUES calibration values.
 */
#define RULE_PATHS MC_PRICE_RULE_PATHS
#define RULE_HELD 16
#define FIT_VALUES (UINT64_C(1) << 25)

const char *const mc_price_stat_names[MC_NSTAT] = {
	"price", "delta", "gamma", "vega", "rho", "theta"
};

/*
 * The fitted exercise rules of an american or bermudan contract: ex[i]
 * is the rule of slice k0 + i, i < nk, which prices paths [(k0 + i)
 * RULE_PATHS, (k0 + i + 1) RULE_PATHS) and is fitted on calibration paths
 * [(k0 + i) ncal, (k0 + i + 1) ncal) (mc_lsm_fit).  Pilot runs work on
 * copies of the job and share this through the pointer.
 */
struct rules {
	uint64_t k0;
	unsigned nk, cap;
	mc_lsm_exercise *ex;	/* cap of them */
	int lent;		/* ex is a fit's (o->fit): never freed here */
	mc_lsm_cal cal;		/* a pilot's: the calibration values of a fit */
};

/* The base contract or a bumped one, with what its payoffs need. */
struct variant {
	mc_contract c;
	double geo_ref;		/* the asian's geometric control, or NaN */
	struct rules *lsm;	/* american, bermudan: the rules; else NULL */
	int cv;			/* the european as control variate */
	double cv_b, cv_ref;
};

struct job {
	const mc_price_opts *o;
	struct variant var[NVAR];
	int nvar;
	int pw;			/* Greeks by pathwise and LR formulas */
	mc_cv_pilot *pilot;	/* a pilot run: sums, not estimates */
	double rlo, rhi;	/* mc_price_range: the ends counted as nlo, nhi */
	double tilt;		/* importance sampling's shift (tilt_theta) */
	int parity;		/* a call priced as its put plus shift */
	double shift;		/* (mc_cv_parity); Y[] hold the puts' payoffs */
	double h[NVAR];		/* the bump of each bumped contract's pair */
	int stream;		/* MC_STREAM_PATH, or _CAL for a pilot run */
	uint64_t lo, hi;	/* path indices */
	atomic_uint_fast64_t next;	/* the next block a worker takes */
	unsigned nthreads;
	uint64_t qm;		/* --qmc sobol: paths a replicate; else 0 */
	uint64_t ncal;		/* american, bermudan: a fit's paths; else 0 */
	mc_xsum *rep;		/* qm: sums of replicate and statistic */
	pthread_mutex_t lock;	/* qm: over rep */
	mc_progress_count *count;	/* NULL, or paths priced (o->count) */
};

struct worker {
	struct job *job;
	mc_path_gen *gen[NVAR];
	double *S, *V;		/* a sub-block's paths */
	double *Y[NVAR], *C;	/* a block's payoffs, and the control's */
	double *ST;		/* the base paths' terminal prices */
	double *W;		/* their likelihood ratios, under a tilt */
	double *tmp;		/* a block's values of one statistic */
	mc_payoff_scratch t;
	mc_acc acc[MC_NSTAT];
	uint64_t nlo, nhi;	/* values at the ends of the range */
	int status;
	mc_err err;
};

/*
 * A generator of the paths of c (a basket: its assets' normals), in Sobol
 * replicates of qm points under --qmc sobol.
 */
static mc_path_gen *
gen_alloc(const mc_contract *c, const mc_price_opts *o, int stream,
    uint64_t qm, mc_err *err)
{
	mc_path_opts po = { 0 };

	po.steps = c->style == MC_BASKET ? c->nassets : c->steps;
	po.seed = o->seed;
	po.stream = stream;
	po.rng = o->rng;
	po.qmc = o->qmc;
	po.qmc_points = qm;
	po.qmc_rotate = 1;
	po.antithetic = o->antithetic;
	po.general = o->general;
	/* Continuous monitoring bridges a merton step between its jumps. */
	po.jumps = mc_contract_continuous(c);
	if (c->style == MC_BASKET) {
		mc_model_params m = c->m;
		m.spot = m.vol = m.maturity = 1;
		return mc_path_alloc(&m, &po, err);
	}
	return mc_path_alloc(&c->m, &po, err);
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

/* Paths' probability of the event below which a payoff is tilted. */
#define MC_TILT_P 1e-3

/*
 * Importance sampling of a rare payoff: a european or digital under gbm
 * (not priced through parity) whose event, S_T > K for a call and S_T <
 * K for a put, has probability N(+-d2) below MC_TILT_P.  The normal Z of
 * S_T = S e^(mu T + s Z) is drawn around theta = -d2 instead of 0, which
 * puts the median of S_T at the strike, and each path's payoff is
 * weighted by the likelihood ratio exp(-theta Z - theta^2 / 2) of its
 * unshifted Z; the mean stays unbiased, and half the paths see the
 * event instead of none.  Returns theta, or 0 for no tilt; the choice
 * depends on the contract only.
 */
static double
tilt_theta(const mc_contract *c)
{
	const mc_model_params *m = &c->m;
	double s = m->vol * sqrt(m->maturity), d2, sh;

	if (m->model != MC_MODEL_GBM || (c->style != MC_EUROPEAN &&
	    c->style != MC_DIGITAL) || !(s > 0) || !(c->strike > 0) ||
	    (c->style == MC_EUROPEAN && mc_cv_parity(c, &sh)))
		return 0;
	d2 = (log(m->spot / c->strike) + (m->rate - m->dividend - 0.5 *
	    m->vol * m->vol) * m->maturity) / s;
	if (!(0.5 * erfc((c->put ? d2 : -d2) / M_SQRT2) < MC_TILT_P))
		return 0;
	return -d2;
}

/*
 * Tilts the terminal prices ST[0..cnt) of gbm paths by e^(s theta) and
 * sets W to each path's likelihood ratio (tilt_theta).  The block
 * kernels mc_vlog and mc_vexp give the same bits on every instruction
 * set, so threads and shards still agree.
 */
static void
tilt(const mc_contract *c, double theta, double *ST, double *W, size_t cnt)
{
	const mc_model_params *m = &c->m;
	double s = m->vol * sqrt(m->maturity), g = exp(s * theta);
	double mu = (m->rate - m->dividend - 0.5 * m->vol * m->vol) *
	    m->maturity;
	size_t j;

	for (j = 0; j < cnt; j++)
		W[j] = ST[j] / m->spot;
	mc_vlog(W, W, cnt);
	for (j = 0; j < cnt; j++) {
		W[j] = -theta * ((W[j] - mu) / s) - 0.5 * theta * theta;
		ST[j] *= g;
	}
	mc_vexp(W, W, cnt);
}

/*
 * European and digital payoffs from terminal prices: under put-call
 * parity (jb->parity) the put's, whose shift accumulate adds.
 */
static void
terminal_payoff(const struct job *jb, const mc_contract *c, double df,
    const double *ST, size_t cnt, double *Y)
{
	mc_contract p = *c;

	p.put |= jb->parity;
	mc_payoff_terminal(&p, 0, df, ST, cnt, Y);
}

/*
 * Early exercise: the payoffs Y[0..cnt) of paths first .. first + cnt -
 * 1 (S and V as mc_path lays them out), each under the rule of its slice.
 */
static void
lsm_payoff(const struct variant *v, uint64_t first, const double *S,
    const double *V, size_t cnt, double *Y, mc_payoff_scratch *t)
{
	const struct rules *l = v->lsm;
	uint64_t a = first, b, k;
	size_t o;

	for (; a < first + cnt; a = b) {
		k = a / RULE_PATHS;
		b = (k + 1) * RULE_PATHS;
		b = b < first + cnt ? b : first + cnt;
		o = a - first;
		mc_lsm_payoff(&v->c, &l->ex[k - l->k0], S + o, V != NULL ? V +
		    o : NULL, cnt, b - a, Y + o, t->a, t->b);
	}
}

/* The payoffs of contract iv on paths that w's arrays hold. */
static void
path_payoff(struct worker *w, int iv, uint64_t first, size_t cnt,
    const double *V, double *Y)
{
	const struct variant *v = &w->job->var[iv];
	const mc_contract *c = &v->c;
	double df = exp(-c->m.rate * c->m.maturity), *S = w->S;
	mc_payoff_jumps jumps = { NULL, NULL, NULL, first }, *jp = NULL;
	mc_stream bridge;

	/* The bridge streams of the paths' own seed. */
	mc_stream_init(&bridge, mc_stream_seed(w->job->o->seed,
	    w->job->stream), MC_STREAM_BRIDGE);
	jumps.bridge = &bridge;
	if ((jumps.count = mc_path_jumps(w->gen[iv], &jumps.sum)) != NULL)
		jp = &jumps;
	switch (c->style) {
	case MC_EUROPEAN:
	case MC_DIGITAL:
		terminal_payoff(w->job, c, df, S + (size_t)c->steps * cnt, cnt,
		    Y);
		break;
	case MC_ASIAN:
		/* The log prices, in V's room (block_payoff). */
		mc_payoff_asian(c, v->geo_ref, S, w->V, cnt, Y, &w->t);
		break;
	case MC_BARRIER:
		mc_payoff_barrier(c, S, V, jp, cnt, Y, &w->t);
		break;
	case MC_LOOKBACK:
		mc_payoff_lookback(c, &bridge, first, S, V, jp, cnt, Y, &w->t);
		break;
	default:
		lsm_payoff(v, first, S, V, cnt, Y, &w->t);
		break;
	}
}

/*
 * Payoffs of paths first .. first + cnt - 1 into Y[iv] + off (and the
 * control into C + off, the terminal prices into ST + off).
 */
static int
block_payoff(struct worker *w, int iv, uint64_t first, size_t cnt,
    size_t off, mc_err *err)
{
	const struct variant *v = &w->job->var[iv];
	const mc_contract *c = &v->c;
	double *Y = w->Y[iv] + off, *S = w->S, *V = NULL, *C = w->C + off;
	double *L = NULL;
	double df = exp(-c->m.rate * c->m.maturity);
	size_t last = (size_t)c->steps * cnt;
	int st;

	if (c->style == MC_BASKET) {
		/* The bumped contracts reuse the base contract's normals. */
		if (iv == 0 && (st = mc_path_normals(w->gen[0], first, cnt, S,
		    err)) != 0)
			return st;
		mc_payoff_basket(c, S, cnt, Y, &w->t);
		return 0;
	}
	/* The control's pilot runs on calibration paths that a fit has
	 * just simulated: their payoffs from its kept values, not again. */
	if (w->job->pilot != NULL && v->lsm != NULL && mc_lsm_cal_payoff(c,
	    &v->lsm->ex[first / RULE_PATHS - v->lsm->k0], &v->lsm->cal, first,
	    cnt, Y, w->ST + off, w->t.a, w->t.b) == 0) {
		mc_payoff_terminal(c, 1, df, w->ST + off, cnt, C);
		return 0;
	}
	if (terminal_only(w->job)) {
		if ((st = mc_path_terminal(w->gen[0], first, cnt, w->ST + off,
		    err)) != 0)
			return st;
		if (w->job->tilt != 0)
			tilt(c, w->job->tilt, w->ST + off, w->W + off, cnt);
		terminal_payoff(w->job, c, df, w->ST + off, cnt, Y);
		return 0;
	}
	/* An asian reads no variance: V's room takes the log prices of its
	 * geometric average, exact and without a log. */
	if (c->style == MC_ASIAN)
		L = w->V;
	else if (c->m.model == MC_MODEL_HESTON)
		V = w->V;
	st = iv == 0 ? mc_path_block_log(w->gen[0], first, cnt, S, L, V, err) :
	    mc_path_block_again_log(w->gen[iv], w->gen[0], cnt, S, L, V, err);
	if (st != 0)
		return st;
	/* A tilt has one contract: pathwise Greeks, no bumps. */
	if (iv == 0 && w->job->tilt != 0)
		tilt(c, w->job->tilt, S + last, w->W + off, cnt);
	if (iv == 0)
		memcpy(w->ST + off, S + last, cnt * sizeof(*S));
	path_payoff(w, iv, first, cnt, V, Y);
	if (v->cv || w->job->pilot != NULL) {
		mc_payoff_terminal(c, 1, df, S + last, cnt, C);
		if (v->cv)
			mc_cv_apply(v->cv_b, v->cv_ref, C, cnt, Y);
	}
	return 0;
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
 * Adds the values x[0..cnt) of statistic s of paths first .. first +
 * cnt - 1, a block of whole replicates or one piece of a replicate
 * (qmc_block), to their replicates' exact sums in the job: each
 * replicate's part as power-of-two pieces, largest first, by mc_vsum3's
 * fixed tree (as add_block).
 */
static void
add_replicates(struct job *jb, int s, uint64_t first, const double *x,
    size_t cnt)
{
	double t[3], part[64];
	size_t np, m, k;
	uint64_t r;

	while (cnt > 0) {
		r = first / jb->qm;
		k = (r + 1) * jb->qm - first < cnt ? (r + 1) * jb->qm - first :
		    cnt;
		first += k;
		cnt -= k;
		for (np = 0; k > 0; np++) {
			for (m = 1; m <= k / 2; m *= 2)
				;
			mc_vsum3(x, m, t);
			part[np] = t[0];
			x += m;
			k -= m;
		}
		pthread_mutex_lock(&jb->lock);
		while (np > 0)
			mc_xsum_add(&jb->rep[(r - jb->lo / jb->qm) * MC_NSTAT +
			    s], part[--np]);
		pthread_mutex_unlock(&jb->lock);
	}
}

/*
 * Adds one block's values x[0..cnt) of statistic s, paths first .. first
 * + cnt - 1, to a as units: a path, or an antithetic pair (by
 * add_block); under --qmc sobol to the replicates' sums instead
 * (add_replicates), whose means become the units at the end of the range
 * (run_range).  tmp has room for cnt / 2 values and may be x.
 */
static void
add_units(struct worker *w, int s, uint64_t first, const double *x,
    size_t cnt, double *tmp)
{
	mc_acc *a = &w->acc[s];
	size_t j;

	if (w->job->qm) {
		add_replicates(w->job, s, first, x, cnt);
	} else if (w->job->o->antithetic) {
		for (j = 0; j + 1 < cnt; j += 2)
			tmp[j / 2] = 0.5 * (x[j] + x[j + 1]);
		add_block(a, tmp, cnt / 2);
	} else {
		add_block(a, x, cnt);
	}
}

/* Adds one block's price and Greeks (or a pilot's sums). */
static void
accumulate(struct worker *w, uint64_t first, size_t cnt)
{
	const struct job *jb = w->job;
	int s, ns = jb->o->greeks ? MC_NSTAT : 1;
	const double *Y0 = w->Y[0];
	mc_contract c = jb->var[0].c;
	uint64_t nlo, nhi;
	size_t j;

	if (jb->pilot != NULL) {
		mc_cv_pilot_add(jb->pilot, w->Y[0], w->C, cnt);
		return;
	}
	/* Parity: Y holds the puts' payoffs; the price and each Greek add
	 * the shift's own value or derivative.  A tilt: Y holds the
	 * payoffs of the shifted paths; the price and each Greek (linear
	 * in the payoff and its derivative) take the paths' weights. */
	if (jb->parity) {
		for (j = 0; j < cnt; j++)
			w->tmp[j] = Y0[j] + jb->shift;
		Y0 = w->tmp;
	} else if (jb->tilt != 0) {
		for (j = 0; j < cnt; j++)
			w->tmp[j] = Y0[j] * w->W[j];
		Y0 = w->tmp;
	}
	mc_vcount2(Y0, cnt, jb->rlo, jb->rhi, &nlo, &nhi);
	w->nlo += nlo;
	w->nhi += nhi;
	add_units(w, 0, first, Y0, cnt, w->tmp);
	c.put |= jb->parity;
	for (s = 1; s < ns; s++) {
		mc_greeks_paths(&c, jb->pw, s, (const double *const *)w->Y,
		    w->ST, jb->h, cnt, w->tmp);
		if (jb->parity) {
			double d = mc_cv_parity_greek(&jb->var[0].c, s);
			for (j = 0; j < cnt; j++)
				w->tmp[j] += d;
		} else if (jb->tilt != 0) {
			for (j = 0; j < cnt; j++)
				w->tmp[j] *= w->W[j];
		}
		add_units(w, s, first, w->tmp, cnt, w->tmp);
	}
}

/*
 * A worker's arrays (sub-blocks of *sub paths, whose step-major arrays
 * stay in cache) and generators.  Returns 0 or an error status in w.
 */
static int
worker_alloc(struct worker *w, size_t *sub)
{
	const struct job *jb = w->job;
	const mc_contract *c = &jb->var[0].c;
	size_t rows = c->style == MC_BASKET ? c->nassets : c->steps + 1;
	size_t nb = MC_BLOCK * sizeof(double);
	int iv, bad;

	*sub = mc_path_sub_block(rows);
	w->S = malloc(rows * *sub * sizeof(double));
	w->V = malloc(rows * *sub * sizeof(double));
	w->ST = malloc(nb);
	w->W = malloc(nb);
	w->t.a = malloc(nb);
	w->t.b = malloc(nb);
	w->t.c = malloc(nb);
	w->tmp = malloc(nb);
	w->C = malloc(nb);
	bad = w->S == NULL || w->V == NULL || w->ST == NULL || w->W == NULL ||
	    w->t.a == NULL ||
	    w->t.b == NULL || w->t.c == NULL || w->tmp == NULL || w->C == NULL;
	for (iv = 0; iv < jb->nvar; iv++)
		bad |= (w->Y[iv] = malloc(nb)) == NULL;
	if (bad)
		return w->status = mc_err_set(&w->err, EX_OSERR,
		    "out of memory");
	for (iv = 0; iv < jb->nvar; iv++)
		if ((w->gen[iv] = gen_alloc(&jb->var[iv].c, jb->o, jb->stream,
		    jb->qm, &w->err)) == NULL)
			return w->status = w->err.status;
	return 0;
}

static void
worker_free(struct worker *w)
{
	int iv;

	for (iv = 0; iv < w->job->nvar; iv++) {
		mc_path_free(w->gen[iv]);
		free(w->Y[iv]);
	}
	free(w->S);
	free(w->V);
	free(w->ST);
	free(w->W);
	free(w->t.a);
	free(w->t.b);
	free(w->t.c);
	free(w->tmp);
	free(w->C);
}

/*
 * The blocks of the job's range: MC_BLOCK paths each from lo; under --qmc
 * sobol (lo and hi on replicates) as many whole replicates as MC_BLOCK
 * holds, or a replicate of more in pieces of MC_BLOCK from its start, so
 * that a replicate's pieces are the same whatever the range.  Returns
 * the number of blocks, and with b < that number block b's first path
 * and count.
 */
static uint64_t
job_block(const struct job *jb, uint64_t b, uint64_t *first, size_t *cnt)
{
	uint64_t n = jb->hi - jb->lo, qm = jb->qm, per, g, len;

	if (qm > MC_BLOCK) {
		per = (qm + MC_BLOCK - 1) / MC_BLOCK;
		*first = jb->lo + b / per * qm + b % per * MC_BLOCK;
		len = qm - b % per * MC_BLOCK;
		*cnt = len < MC_BLOCK ? len : MC_BLOCK;
		return n / qm * per;
	}
	g = qm ? MC_BLOCK / qm * qm : MC_BLOCK;
	*first = jb->lo + b * g;
	len = *first < jb->hi ? jb->hi - *first : 0;
	*cnt = len < g ? len : g;
	return (n + g - 1) / g;
}

/*
 * A worker takes the range's next block until none is left, so that one
 * on a core that runs slower (a VM's neighbour, a sibling thread) takes
 * fewer; every block is summed by itself, exactly, so which worker sums
 * it does not change a bit.
 */
static void *
work(void *arg)
{
	struct worker *w = arg;
	struct job *jb = w->job;
	uint64_t first, b, nb = job_block(jb, 0, &first, &(size_t){ 0 });
	size_t sub, off, cnt;
	int iv;

	if (worker_alloc(w, &sub) != 0)
		goto out;
	while ((b = atomic_fetch_add_explicit(&jb->next, 1,
	    memory_order_relaxed)) < nb) {
		job_block(jb, b, &first, &cnt);
		/* Sub-blocks through the paths, but the statistics are
		 * summed over the whole block: the numbers do not change. */
		for (off = 0; off < cnt; off += sub) {
			size_t c2 = cnt - off < sub ? cnt - off : sub;
			for (iv = 0; iv < jb->nvar; iv++)
				if ((w->status = block_payoff(w, iv,
				    first + off, c2, off, &w->err)) != 0)
					goto out;
		}
		accumulate(w, first, cnt);
		if (jb->count != NULL)
			atomic_fetch_add_explicit(&jb->count->done, cnt,
			    memory_order_relaxed);
	}
out:
	worker_free(w);
	return NULL;
}

/*
 * Runs paths [lo, hi) over the job's threads and adds them to res.  No
 * more threads than blocks: a thread without one would only set up and
 * free its arrays and generators (a shard's range or a pilot of one or
 * two blocks), and since every block is summed by itself, how many
 * threads share them does not change a bit.  Worker 0 runs even on no
 * block, so that a contract its generator refuses fails in every shard.
 */
static int
run_threads(struct job *jb, uint64_t lo, uint64_t hi, mc_price_result *res,
    mc_err *err)
{
	unsigned nw, nt, i;
	struct worker *w;
	pthread_t *tid;
	uint64_t nb, first;
	int st = 0, s;

	jb->lo = lo;
	jb->hi = hi;
	atomic_store(&jb->next, 0);
	nb = job_block(jb, 0, &first, &(size_t){ 0 });
	nw = nb < jb->nthreads ? (nb > 0 ? (unsigned)nb : 1) : jb->nthreads;
	nt = nw;
	w = calloc(nw, sizeof(*w));
	tid = calloc(nw, sizeof(*tid));
	if (w == NULL || tid == NULL) {
		free(w);
		free(tid);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (i = 0; i < nw; i++) {
		w[i].job = jb;
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
	for (i = 0; i < nw; i++) {
		if (w[i].status != 0 && st == 0) {
			st = w[i].status;
			*err = w[i].err;
		}
		/* An empty sum adds nothing: a statistic not asked for,
		 * or a worker of a shard without paths. */
		for (s = 0; s < MC_NSTAT; s++)
			if (w[i].acc[s].n != 0)
				mc_acc_merge(&res->acc[s], &w[i].acc[s]);
		res->nlo += w[i].nlo;
		res->nhi += w[i].nhi;
	}
	free(w);
	free(tid);
	return st;
}

/* A thread's share of the fits of hold_rules: items id, id + nt, ... */
struct fitter {
	struct job *jb;
	unsigned id, nt;
	uint64_t kfrom, k1;	/* slices to fit, of every variant */
	int status;
	mc_err err;
};

static void *
fit_work(void *arg)
{
	struct fitter *ft = arg;
	struct job *jb = ft->jb;
	uint64_t per = ft->k1 - ft->kfrom, t;

	for (t = ft->id; t < per * (uint64_t)jb->nvar && ft->status == 0;
	    t += ft->nt) {
		struct rules *l = jb->var[t / per].lsm;
		uint64_t k = ft->kfrom + t % per;
		/* A pilot keeps the values of the fit it runs on. */
		ft->status = mc_lsm_fit_keep(&jb->var[t / per].c, jb->o->seed,
		    jb->ncal, k, &l->ex[k - l->k0], jb->pilot != NULL &&
		    l->cal.X == NULL ? &l->cal : NULL, &ft->err);
	}
	return NULL;
}

/*
 * Room in every variant's rules for slices k0 .. k1 - 1, keeping those
 * held from k0 on; sets *kfrom to the first slice not held.  The rules of
 * a Sobol window may outnumber RULE_HELD: at most 2^28 bytes of them.
 * Returns 0 or an error status.
 */
static int
rules_room(struct job *jb, uint64_t k0, uint64_t k1, uint64_t *kfrom,
    mc_err *err)
{
	const mc_contract *c = &jb->var[0].c;
	uint64_t nk = k1 - k0, keep, bytes;
	unsigned i;
	int iv;

	*kfrom = k0;
	bytes = nk * c->fixings * (4 * MC_LSM_MAXBASIS + 2) * sizeof(double);
	if (bytes > (UINT64_C(1) << 28))
		return mc_err_set(err, EX_USAGE, "%llu exercise rules of %u "
		    "dates at once (one per %llu paths of a Sobol replicate): "
		    "more than 2^28 bytes; fewer paths are needed",
		    (unsigned long long)nk, c->fixings,
		    (unsigned long long)RULE_PATHS);
	/* What every variant holds from k0 on (a pilot fits the base
	 * contract's alone); the rest is fitted again. */
	keep = nk;
	for (iv = 0; iv < jb->nvar; iv++) {
		const struct rules *l = jb->var[iv].lsm;
		uint64_t h = l->k0 == k0 ? (l->nk < nk ? l->nk : nk) : 0;
		keep = h < keep ? h : keep;
	}
	*kfrom = k0 + keep;
	for (iv = 0; iv < jb->nvar; iv++) {
		struct rules *l = jb->var[iv].lsm;
		for (i = (unsigned)keep; i < l->cap; i++)
			mc_lsm_exercise_free(&l->ex[i]);
		l->k0 = k0;
		l->nk = (unsigned)keep;
		if (nk > l->cap) {
			mc_lsm_exercise *ex = realloc(l->ex, nk * sizeof(*ex));
			if (ex == NULL)
				return mc_err_set(err, EX_OSERR, "out of "
				    "memory");
			memset(ex + l->cap, 0, (nk - l->cap) * sizeof(*ex));
			l->ex = ex;
			l->cap = (unsigned)nk;
		}
	}
	return 0;
}

/*
 * With a fit (o->fit), every rule is held from the start (fit_attach):
 * whether it holds slices up to k1 of each variant.
 */
static int
lent_rules(const struct job *jb, uint64_t k1, mc_err *err)
{
	if (k1 > jb->o->fit->nslices)
		return mc_err_set(err, EX_DATAERR, "the fit holds %llu "
		    "exercise rules, and the paths need %llu",
		    (unsigned long long)jb->o->fit->nslices,
		    (unsigned long long)k1);
	return 0;
}

/*
 * Holds the rules of the slices of paths [a, b) in every variant, fitting
 * those not held yet over the job's threads (as many at once as hold
 * FIT_VALUES calibration values).  Each fit depends on its slice only, so
 * the rules are the same whatever the threads.  Returns 0 or an error
 * status.
 */
static int
hold_rules(struct job *jb, uint64_t a, uint64_t b, mc_err *err)
{
	uint64_t k0 = a / RULE_PATHS, k1 = (b - 1) / RULE_PATHS + 1, kfrom;
	uint64_t per = (uint64_t)jb->var[0].c.fixings * jb->ncal *
	    (jb->var[0].c.m.model == MC_MODEL_HESTON ? 2 : 1);
	unsigned nt = jb->nthreads, i;
	struct fitter *ft;
	pthread_t *tid;
	int st, iv;

	if (jb->o->fit != NULL)
		return lent_rules(jb, k1, err);
	if ((st = rules_room(jb, k0, k1, &kfrom, err)) != 0 || kfrom >= k1)
		return st;
	if (per * nt > FIT_VALUES)
		nt = per >= FIT_VALUES ? 1 : (unsigned)(FIT_VALUES / per);
	ft = calloc(nt, sizeof(*ft));
	tid = calloc(nt, sizeof(*tid));
	if (ft == NULL || tid == NULL) {
		free(ft);
		free(tid);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (i = 0; i < nt; i++)
		ft[i] = (struct fitter){ jb, i, nt, kfrom, k1, 0, { 0 } };
	for (i = 1; i < nt; i++)
		if (pthread_create(&tid[i], NULL, fit_work, &ft[i]) != 0) {
			/* Fit it here: the rules are the same. */
			tid[i] = 0;
			fit_work(&ft[i]);
		}
	fit_work(&ft[0]);
	for (i = 1; i < nt; i++)
		if (tid[i] != 0)
			pthread_join(tid[i], NULL);
	for (i = 0; i < nt; i++)
		if (ft[i].status != 0 && st == 0) {
			st = ft[i].status;
			*err = ft[i].err;
		}
	for (iv = 0; iv < jb->nvar; iv++)
		jb->var[iv].lsm->nk = st == 0 ? (unsigned)(k1 - k0) : 0;
	free(ft);
	free(tid);
	return st;
}

/*
 * Runs paths [lo, hi) over the threads, after the rules of its slices
 * when the contract has early exercise: RULE_HELD slices at a time.
 */
static int
run_rules(struct job *jb, uint64_t lo, uint64_t hi, mc_price_result *res,
    mc_err *err)
{
	uint64_t a, b;
	int st;

	if (jb->ncal == 0)
		return run_threads(jb, lo, hi, res, err);
	for (a = lo; a < hi; a = b) {
		b = (a / RULE_PATHS + RULE_HELD) * RULE_PATHS;
		b = b < hi ? b : hi;
		if ((st = hold_rules(jb, a, b, err)) != 0 ||
		    (st = run_threads(jb, a, b, res, err)) != 0)
			return st;
	}
	return 0;
}

/*
 * Runs paths [lo, hi) and adds them to res; under --qmc sobol (lo and hi
 * on replicates) QMC_WINDOW replicates at a time, whose exact sums
 * become their means, one unit each (with every rule of a window held:
 * a window is never split).
 */
static int
run_range(struct job *jb, uint64_t lo, uint64_t hi, mc_price_result *res,
    mc_err *err)
{
	uint64_t a, b, r, nr;
	int s, st = 0;

	if (jb->qm == 0)
		return run_rules(jb, lo, hi, res, err);
	if ((jb->rep = malloc(QMC_WINDOW * MC_NSTAT * sizeof(*jb->rep))) ==
	    NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	pthread_mutex_init(&jb->lock, NULL);
	for (a = lo; a < hi && st == 0; a = b) {
		nr = (hi - a) / jb->qm < QMC_WINDOW ? (hi - a) / jb->qm :
		    QMC_WINDOW;
		b = a + nr * jb->qm;
		for (r = 0; r < nr * MC_NSTAT; r++)
			mc_xsum_init(&jb->rep[r]);
		if ((jb->ncal != 0 && (st = hold_rules(jb, a, b, err)) != 0) ||
		    (st = run_threads(jb, a, b, res, err)) != 0)
			break;
		for (r = 0; r < nr; r++)
			for (s = 0; s < (jb->o->greeks ? MC_NSTAT : 1); s++)
				mc_acc_add(&res->acc[s], mc_xsum_round(
				    &jb->rep[r * MC_NSTAT + s]) / (double)jb->qm);
	}
	pthread_mutex_destroy(&jb->lock);
	free(jb->rep);
	jb->rep = NULL;
	return st;
}

/*
 * Paths a Sobol replicate has in a run of n paths: n / QMC_REPS rounded
 * up to at most three significant binary digits, and to an even number
 * under --antithetic (pairs never straddle replicates).  Three digits
 * make a replicate at most three whole Sobol nets (2^a + 2^b + 2^c
 * points, each net starting at a multiple of its size), whose error is
 * far below that of a sequence cut anywhere (a fifth of the standard
 * error of a european at 1e5 paths), at a cost of at most 25% more
 * paths: -n 1e6 runs 32 x 32768 = 1048576.
 */
static uint64_t
qmc_points(const mc_price_opts *o, uint64_t n)
{
	uint64_t m = n / QMC_REPS + (n % QMC_REPS != 0);
	unsigned k = 0;

	while (m >> k >= 8)
		k++;
	m = (((m - 1) >> k) + 1) << k;
	if (o->antithetic && m % 2)
		m++;
	return m;
}

void
mc_price_range(const mc_contract *c, double *lo, double *hi)
{
	double T = c->m.maturity, df = exp(-c->m.rate * T), K = c->strike;
	double geo = mc_cv_asian_ref(c), sh, ref, pay;
	/* An early payment is discounted by less than df when r < 0. */
	double dmax = df > 1 ? df : 1;

	*lo = -INFINITY;
	*hi = INFINITY;
	/* Weighted paths have no bound. */
	if (tilt_theta(c) != 0)
		return;
	switch (c->style) {
	case MC_DIGITAL:
		pay = c->payout * df;
		*lo = pay < 0 ? pay : 0;
		*hi = pay > 0 ? pay : 0;
		return;
	case MC_EUROPEAN:
	case MC_BASKET:
		if (mc_cv_parity(c, &sh)) {
			*lo = sh;
			*hi = sh + K * df;
			return;
		}
		break;
	case MC_ASIAN:
		if (!isnan(geo)) {
			/* Kemna-Vorst: (K - A)^+ - (K - G)^+ lies in [-K, 0]
			 * (A >= G); the call's difference has no bound. */
			*lo = c->put ? geo - K * df : geo;
			*hi = c->put ? geo : INFINITY;
			return;
		}
		break;
	case MC_LOOKBACK:
		if (c->floating)
			c = NULL;	/* S_T - min or max - S_T: unbounded */
		break;
	default:
		/* Barrier, american, bermudan: Y - b (C - ref) with a pilot's
		 * b has no bound known in advance. */
		if (mc_cv_european_ref(c, &ref))
			return;
		df = dmax;
		K += c->rebate > 0 ? c->rebate : 0;
		break;
	}
	*lo = 0;
	if (c != NULL && c->put)
		*hi = K * df;
}

/* Whether x is a (within rounding of the shift that made it). */
static int
at(double x, double a)
{
	return isfinite(a) && fabs(x - a) <= 1e-12 * (fabs(a) > 1 ? fabs(a) :
	    1);
}

int
mc_price_estimate(const mc_price_result *res, double level, mc_est *e,
    mc_err *note)
{
	double lo = res->lo, hi = res->hi, x, p;
	unsigned long long n = (unsigned long long)res->acc[0].n * res->unit;
	int st;

	note->status = 0;
	note->msg[0] = '\0';
	if ((st = mc_acc_estimate(&res->acc[0], level, e)) != 0)
		return st;
	x = e->mean;
	if (e->n < 2 || e->sd > 1e-13 * fabs(x))
		return 0;
	/* Elsewhere a constant is exact: a control that is the whole
	 * payoff (a bermudan with one date), or no randomness at all. */
	if (!at(x, lo) && !at(x, hi))
		return 0;
	/* No unit beyond x in n: P(one) <= 1 - (1 - level)^(1/n). */
	p = -expm1(log1p(-level) / (double)e->n);
	e->se = NAN;
	if (at(x, lo) && isfinite(hi)) {
		e->ci_lo = x;
		e->ci_hi = x + (hi - x) * p;
	} else if (at(x, hi) && isfinite(lo)) {
		e->ci_lo = x - (x - lo) * p;
		e->ci_hi = x;
	} else {
		e->ci_lo = e->ci_hi = NAN;
		snprintf(note->msg, sizeof(note->msg), "all %llu paths paid "
		    "%.6g and the payoff has no bound on the other side: no "
		    "interval and no standard error; more paths are needed",
		    n, x);
		return 0;
	}
	snprintf(note->msg, sizeof(note->msg), "all %llu paths paid %.6g: "
	    "the interval is the one-sided bound from that count (the rule "
	    "of three) and the standard error is unknown", n, x);
	return 0;
}

uint64_t
mc_price_rule_slices(uint64_t n)
{
	return (n + RULE_PATHS - 1) / RULE_PATHS;
}

uint64_t
mc_price_paths(const mc_contract *c, const mc_price_opts *o)
{
	uint64_t n = c->paths ? c->paths : o->n;

	if (o->qmc)
		return QMC_REPS * qmc_points(o, n);
	if (o->antithetic && n % 2)
		n++;
	if (o->tolerance > 0)
		n = (n + MC_BLOCK - 1) / MC_BLOCK * MC_BLOCK;
	return n;
}

/* Frees the rules l holds, and l; NULL is fine. */
static void
rules_free(struct rules *l)
{
	unsigned i;

	if (l == NULL)
		return;
	for (i = 0; i < l->cap && !l->lent; i++)
		mc_lsm_exercise_free(&l->ex[i]);
	if (!l->lent)
		free(l->ex);
	mc_lsm_cal_free(&l->cal);
	free(l);
}

/* An empty result of unit paths per value: a path, a pair, a replicate. */
static void
result_init(mc_price_result *res, const struct job *jb)
{
	int i;

	for (i = 0; i < MC_NSTAT; i++)
		mc_acc_init(&res->acc[i]);
	res->unit = jb->qm ? (unsigned)jb->qm : jb->o->antithetic ? 2 : 1;
	res->nlo = res->nhi = 0;
	res->lo = -INFINITY;
	res->hi = INFINITY;
}

/* The bumped contracts for the Greeks, and their bump sizes. */
static int
make_variants(struct job *jb, const mc_contract *c, mc_err *err)
{
	int i;

	jb->pw = jb->o->greeks && mc_greeks_pathwise(c);
	jb->nvar = jb->o->greeks && !jb->pw ? NVAR : 1;
	for (i = 0; i < jb->nvar; i++)
		if (mc_greeks_bump(c, i, &jb->var[i].c, &jb->h[i]) != 0) {
			jb->nvar = i;
			return mc_err_set(err, EX_OSERR, "out of memory");
		}
	return 0;
}

/*
 * The european control (mc_cv) where it applies: its coefficient from a
 * pilot run of MC_CV_NPILOT paths on the calibration stream.
 */
static int
control(struct job *jb, mc_err *err)
{
	mc_price_opts po = *jb->o;
	struct job pj = *jb;
	mc_cv_pilot pl = { 0, 0, 0, 0, 0 };
	mc_price_result pr;
	double b;
	int i, st;

	for (i = 0; i < jb->nvar; i++)
		if (!mc_cv_european_ref(&jb->var[i].c, &jb->var[i].cv_ref))
			return 0;
	if (jb->o->fit != NULL) {
		for (i = 0; i < jb->nvar; i++) {
			jb->var[i].cv = jb->o->fit->cv;
			jb->var[i].cv_b = jb->o->fit->cv_b;
		}
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
	pj.qm = 0;
	result_init(&pr, &pj);
	st = run_range(&pj, 0, MC_CV_NPILOT, &pr, err);
	if (pj.var[0].lsm != NULL)
		mc_lsm_cal_free(&pj.var[0].lsm->cal);
	if (st != 0)
		return st;
	if (!mc_cv_coef(&pl, &b))
		return 0;
	for (i = 0; i < jb->nvar; i++) {
		jb->var[i].cv = 1;
		jb->var[i].cv_b = b;
	}
	return 0;
}

/*
 * The paths of the shard: mc_shard_range's blocks, or under --qmc sobol
 * whole replicates, shard I of N taking [R I / N, R (I + 1) / N) of the
 * run's R replicates.
 */
static void
shard_range(const mc_price_opts *o, uint64_t qm, uint64_t n, uint64_t *lo,
    uint64_t *hi)
{
	uint64_t ns = o->nshards ? o->nshards : 1, nr;

	if (o->split) {
		/* Units: whole replicates, or blocks with the last cut short. */
		*lo = qm ? o->unit_lo * qm : o->unit_lo * MC_BLOCK;
		*hi = qm ? o->unit_hi * qm : o->unit_hi * MC_BLOCK;
		*lo = *lo < n ? *lo : n;
		*hi = *hi < n ? *hi : n;
		return;
	}
	if (qm == 0) {
		mc_shard_range(n, o->shard, ns, lo, hi);
		return;
	}
	nr = n / qm;
	*lo = (uint64_t)((unsigned __int128)nr * o->shard / ns) * qm;
	*hi = (uint64_t)((unsigned __int128)nr * (o->shard + 1) / ns) * qm;
}

uint64_t
mc_price_shard_paths(const mc_contract *c, const mc_price_opts *o)
{
	uint64_t n = mc_price_paths(c, o), lo, hi;

	shard_range(o, o->qmc ? n / QMC_REPS : 0, n, &lo, &hi);
	return hi - lo;
}

/*
 * The cost of one path of c, in about nanoseconds of one core (AVX2):
 * a step of the model, and what the payoff does at each step, the
 * running extreme of a lookback and a barrier's crossing probability.
 * Measured on the bench book, a kind at a time: a block of 4096 paths
 * of a 50-step lookback took 2.79 ms, of a 50-step barrier 1.33 ms, where
 * 2 (8 + 50 x 5) and 8 + 50 x 5 had said 2.11 and 1.06 (now 2.90 and
 * 1.26); the other kinds were within 15%.
 */
static uint64_t
path_cost(const mc_contract *c)
{
	uint64_t steps = c->style == MC_BASKET ? c->nassets : c->steps;
	uint64_t per = c->m.model == MC_MODEL_HESTON ? 14 :
	    c->m.model == MC_MODEL_MERTON ? 24 : 5;

	per += c->style == MC_LOOKBACK ? 9 : c->style == MC_BARRIER ? 1 : 0;
	return 8 + steps * per;
}

void
mc_price_cost(const mc_contract *c, const mc_price_opts *o,
    mc_split_cost *k)
{
	uint64_t n = mc_price_paths(c, o), qm = o->qmc ? n / QMC_REPS : 0;
	uint64_t per = path_cost(c), size = qm ? qm : MC_BLOCK, ncal, fit;
	double ref;

	if (o->greeks)
		per *= mc_greeks_pathwise(c) ? 2 : NVAR;
	/* A unit is a block or a replicate; beyond mc_split's largest,
	 * saturated here, before the product can overflow. */
	k->units = qm ? QMC_REPS : (n + MC_BLOCK - 1) / MC_BLOCK;
	k->unit = per <= MC_SPLIT_MAX_UNIT / size ? per * size :
	    MC_SPLIT_MAX_UNIT;
	k->fixed = 0;
	if (mc_cv_european_ref(c, &ref))
		k->fixed += MC_CV_NPILOT * path_cost(c);
	if ((c->style == MC_AMERICAN || c->style == MC_BERMUDAN) &&
	    mc_lsm_cal_paths(c, n, &ncal, NULL) == 0) {
		/* A rule's paths, and a regression at each date. */
		fit = ncal * (path_cost(c) + 4 * (uint64_t)c->fixings *
		    (c->m.model == MC_MODEL_HESTON ? 2 : 1));
		fit *= o->greeks && !mc_greeks_pathwise(c) ? NVAR : 1;
		k->fixed += fit;
		/* Each further slice of RULE_PATHS paths has rules of its own. */
		if (n > RULE_PATHS && qm == 0)
			k->unit += fit / (RULE_PATHS / MC_BLOCK);
	}
}

/*
 * The first stage of --tolerance: the price alone on the calibration
 * stream, n0 paths, then as many again (the total doubling), until the
 * sample can say how many units the tolerance needs; sets *units to it.
 * A variance from a few events is too often far too small (a digital
 * that has not paid yet has none at all), so the pilot's own variance is
 * used only once MC_PRICE_MIN_EVENTS paths lie off the commoner end of
 * the range (paid anything, for a call or a put; missed, for a digital
 * nearly sure to pay).  Before that, a payoff bounded to a range of width
 * M has a variance of at most M^2 p, p the probability of an event, and p
 * at most (k + 3 + 2 sqrt k) / n after k events in n paths (above the
 * one-sided 95% Poisson bound for every k): that count of units serves
 * as soon as the pilot has spent as many paths, which ends the pilot of a
 * digital that almost never pays at once.  An unbounded payoff that no
 * path of 2^30 has paid, or too few of 2^40, is an error.
 */
static int
tolerance_pilot(const struct job *jb, uint64_t n0, double *units,
    mc_err *err)
{
	mc_price_opts po = *jb->o;
	struct job pj = *jb;
	mc_price_result pr;
	double tol2 = jb->o->tolerance * jb->o->tolerance;
	double M = jb->rhi - jb->rlo, pu;
	uint64_t lo, hi, ev = 0;
	mc_est e;
	int st;

	po.greeks = 0;
	pj.o = &po;
	pj.nvar = 1;
	pj.pw = 0;
	pj.stream = MC_STREAM_CAL;
	result_init(&pr, &pj);
	for (lo = 0, hi = n0;; lo = hi, hi *= 2) {
		/* No event at all in 2^30 paths, with no bound to lean
		 * on: the next 2^40 would take hours to say as little. */
		if (hi > MC_PRICE_MAX_PATHS || (ev == 0 && lo >= (UINT64_C(1)
		    << 30)))
			return mc_err_set(err, EX_DATAERR, "the tolerance "
			    "cannot be met: after %llu pilot paths only %llu "
			    "differ from the payoff seen on the others, fewer "
			    "than the %d a standard error needs",
			    (unsigned long long)lo, (unsigned long long)ev,
			    MC_PRICE_MIN_EVENTS);
		if ((st = run_range(&pj, lo, hi, &pr, err)) != 0)
			return st;
		if ((st = mc_acc_estimate(&pr.acc[0], 0.95, &e)) != 0)
			return st;
		ev = hi - (pr.nlo > pr.nhi ? pr.nlo : pr.nhi);
		if (ev >= MC_PRICE_MIN_EVENTS && e.sd > 0) {
			*units = 1.44 * e.sd * e.sd / tol2;
			return 0;
		}
		if (isfinite(M)) {
			pu = (ev + 3 + 2 * sqrt((double)ev)) / (double)hi;
			*units = M * M * (pu < 0.25 ? pu : 0.25) / tol2;
			if (*units * pr.unit <= (double)hi)
				return 0;
		}
	}
}

/* Starts the count of the job's paths, if it has one, at 0 of total. */
static void
count_start(struct job *jb, uint64_t total)
{
	if (jb->count == NULL)
		return;
	atomic_store(&jb->count->done, 0);
	atomic_store(&jb->count->total, total);
}

/*
 * --tolerance X, in two stages: the pilot (tolerance_pilot) sets the
 * count of units, (1.2 s / X)^2 from its spread s (the margin for the
 * pilot's own error) or a bound on the variance, at least n paths, in
 * whole blocks; those paths are then priced from the path stream as a
 * plain run of that count would price them.  Independent of the pilot
 * that chose their count, they give an interval that holds as often as
 * at a fixed count, and a standard error near or below X.  A count beyond
 * 2^40 paths is an error, not a run.
 */
static int
run_tolerance(struct job *jb, uint64_t n, mc_price_result *res,
    mc_err *err)
{
	double units = 0, paths;
	uint64_t m, q;
	int st;

	if ((st = tolerance_pilot(jb, n, &units, err)) != 0)
		return st;
	paths = ceil(units) * res->unit;
	if (!(paths <= (double)MC_PRICE_MAX_PATHS))
		return mc_err_set(err, EX_DATAERR, "the tolerance needs about "
		    "%.3g paths, more than 2^40", paths);
	/* Whole blocks, or under --qmc sobol whole replicates. */
	q = jb->qm ? jb->qm : MC_BLOCK;
	m = (uint64_t)paths;
	m = (m + q - 1) / q * q;
	m = m > n ? m : n;
	count_start(jb, m);
	return run_range(jb, 0, m, res, err);
}

/*
 * Sets jb up for c under o, a run of n paths: the variants (the bumped
 * contracts of the Greeks), the calibration paths of a fit and room for
 * the rules under early exercise, and with o->fit its rules (which must
 * be of c's shape).  Returns 0 or an error status; job_free frees jb
 * either way.
 */
static int fit_attach(struct job *jb, const mc_contract *c, mc_err *err);

static int
job_init(struct job *jb, const mc_contract *c, const mc_price_opts *o,
    uint64_t n, mc_err *err)
{
	int i, st;

	memset(jb, 0, sizeof(*jb));
	jb->o = o;
	jb->nthreads = o->threads ? o->threads : 1;
	jb->qm = o->qmc ? n / QMC_REPS : 0;
	if (o->qmc && jb->qm > UINT32_MAX)
		return mc_err_set(err, EX_USAGE, "sobol points: %llu paths, "
		    "at most %d replicates of 2^32 - 1", (unsigned long long)n,
		    QMC_REPS);
	if ((st = make_variants(jb, c, err)) != 0)
		return st;
	if ((c->style == MC_AMERICAN || c->style == MC_BERMUDAN) &&
	    (st = mc_lsm_cal_paths(c, n, &jb->ncal, err)) != 0)
		return st;
	for (i = 0; i < jb->nvar; i++) {
		struct variant *v = &jb->var[i];
		v->geo_ref = mc_cv_asian_ref(&v->c);
		if (jb->ncal != 0 && (v->lsm = calloc(1, sizeof(*v->lsm))) ==
		    NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
	}
	return o->fit != NULL ? fit_attach(jb, c, err) : 0;
}

static void
job_free(struct job *jb)
{
	int i;

	for (i = 0; i < jb->nvar; i++) {
		mc_contract_free(&jb->var[i].c);
		rules_free(jb->var[i].lsm);
	}
}

int
mc_price_run(const mc_contract *c, const mc_price_opts *o,
    mc_price_result *res, mc_err *err)
{
	struct job jb;
	uint64_t n = mc_price_paths(c, o), lo, hi;
	int st;

	jb.qm = o->qmc ? n / QMC_REPS : 0;
	jb.o = o;
	result_init(res, &jb);
	mc_price_range(c, &res->lo, &res->hi);
	shard_range(o, jb.qm, n, &lo, &hi);
	/* A shard without paths of c (of a book's, most rows) does none
	 * of its work: no variants, pilot or rules, as they price nothing
	 * here.  The shards that price c check what job_init checks. */
	if (lo == hi && o->tolerance <= 0)
		return 0;
	if ((st = job_init(&jb, c, o, n, err)) != 0 ||
	    (st = control(&jb, err)) != 0)
		goto out;
	jb.parity = mc_cv_parity(c, &jb.shift);
	jb.tilt = tilt_theta(c);
	jb.rlo = res->lo;
	jb.rhi = res->hi;
	/* The pilots before this point price no path of the run. */
	jb.count = o->count;
	if (o->tolerance > 0) {
		count_start(&jb, 0);
		st = run_tolerance(&jb, n, res, err);
	} else {
		count_start(&jb, hi - lo);
		st = run_range(&jb, lo, hi, res, err);
	}
out:
	job_free(&jb);
	return st;
}

/*
 * Lends the rules of o->fit to jb's variants, after checking that the
 * fit has c's shape: its contracts, and rules of c's dates and basis.
 */
static int
fit_attach(struct job *jb, const mc_contract *c, mc_err *err)
{
	const mc_price_fit *f = jb->o->fit;
	unsigned p = c->m.model == MC_MODEL_HESTON ? 6 : 4;
	uint64_t i, k;

	if (f->nvar != (unsigned)jb->nvar || (f->nslices != 0) !=
	    (jb->ncal != 0))
		return mc_err_set(err, EX_DATAERR, "the fit is of another "
		    "contract: %u contracts with %llu exercise rules each",
		    f->nvar, (unsigned long long)f->nslices);
	for (i = 0; i < f->nvar * f->nslices; i++)
		if (f->ex[i].F != c->fixings || f->ex[i].p != p ||
		    (f->ex[i].beta2 != NULL) != (c->style == MC_AMERICAN))
			return mc_err_set(err, EX_DATAERR, "the fit is of "
			    "another contract: a rule of %u dates and %u "
			    "basis functions", f->ex[i].F, f->ex[i].p);
	for (k = 0; jb->ncal != 0 && k < f->nvar; k++) {
		struct rules *l = jb->var[k].lsm;
		l->ex = f->ex + k * f->nslices;
		l->nk = (unsigned)f->nslices;
		l->cap = l->nk;
		l->lent = 1;
	}
	return 0;
}

int
mc_price_fit_make(const mc_contract *c, const mc_price_opts *o,
    mc_price_fit *f, mc_err *err)
{
	mc_price_opts po = *o;
	struct job jb;
	uint64_t n = mc_price_paths(c, o), k;
	int i, st;

	memset(f, 0, sizeof(*f));
	if (o->tolerance > 0)
		return mc_err_set(err, EX_USAGE, "a tolerance's count of paths "
		    "is not known before its pilot: no fit");
	po.fit = NULL;
	po.count = NULL;
	if ((st = job_init(&jb, c, &po, n, err)) != 0 ||
	    (st = control(&jb, err)) != 0)
		goto out;
	f->nvar = (unsigned)jb.nvar;
	f->cv = jb.var[0].cv;
	f->cv_b = f->cv ? jb.var[0].cv_b : 0;
	if (jb.ncal == 0 || n == 0)
		goto out;
	/* Every slice of every shard, fitted over the threads. */
	if ((st = hold_rules(&jb, 0, n, err)) != 0)
		goto out;
	f->nslices = (n - 1) / RULE_PATHS + 1;
	if ((f->ex = calloc(f->nvar * f->nslices, sizeof(*f->ex))) == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	/* The rules move into f: jb's are zeroed, and free nothing. */
	for (i = 0; i < jb.nvar; i++)
		for (k = 0; k < f->nslices; k++) {
			f->ex[i * f->nslices + k] = jb.var[i].lsm->ex[k];
			memset(&jb.var[i].lsm->ex[k], 0, sizeof(*f->ex));
		}
out:
	job_free(&jb);
	if (st != 0)
		mc_price_fit_free(f);
	return st;
}

void
mc_price_fit_free(mc_price_fit *f)
{
	uint64_t i;

	for (i = 0; f->ex != NULL && i < f->nvar * f->nslices; i++)
		mc_lsm_exercise_free(&f->ex[i]);
	free(f->ex);
	memset(f, 0, sizeof(*f));
}
