/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_path: GBM, Heston and Merton paths, a block at a time.
 *
 * Every path draws a fixed number of uniforms, D = c * steps, laid out as c
 * components of steps numbers each: component 0 is the normal that drives
 * the price, component 1 the Heston variance uniform or the Merton jump
 * count uniform, component 2 the Merton jump size normal.  Uniform d of
 * path stream s is word pair (d % 2) of Philox block (counter d / 2,
 * index s), which is also what the "philox" gsl_rng type draws, so the
 * fast path and the GSL path give the same numbers.  The words of a whole
 * block come from the SIMD Philox kernel (mc_philox_block).  Normals come
 * from the uniforms by the inverse normal CDF (Wichura's AS241 in
 * mc_vmath, vectorised, the same bits on every instruction set), and the
 * price steps by mc_vexp.  An antithetic path takes the stream of its
 * even partner with every normal negated and every other uniform u
 * replaced by 1 - u, so it takes exactly the opposite normals.
 *
 * With --qmc sobol the D uniforms are one randomised Sobol point, and the
 * price normals of component 0 (the first, best distributed coordinates)
 * build the Brownian path by bisection (a Brownian bridge), so that the
 * first coordinates fix the path's large moves.  Past the Sobol table
 * (mc_qmc_maxdim() coordinates) the uniforms are pseudo-random (mc_qmc):
 * the price normals come first, so the bridge's first moves keep Sobol's.
 *
 * Schemes: GBM and Merton step the logarithm exactly (no discretisation
 * bias at the dates); Heston uses Andersen's quadratic-exponential scheme
 * (L. Andersen, "Efficient simulation of the Heston stochastic volatility
 * model", J. Comp. Finance 11(3), 2008) with psi_c = 1.5, gamma1 = gamma2
 * = 1/2 and his martingale correction, so E[S_t] = S_0 e^{(r-q)t} holds
 * at every date.
 */
#include "mc_path.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mc_poisson.h"
#include "mc_qmc.h"
#include "mc_rng.h"
#include "mc_isa.h"
#include "mc_stream.h"
#include "mc_vmath.h"
#include "mc_vmath_elem.h"

struct bridge_step {
	unsigned i, l, r;	/* W_i from W_l and W_r */
	double wl, wr, sd;
};

struct mc_path_gen {
	mc_model_params m;
	mc_path_opts o;
	unsigned ncomp, dim;
	mc_stream st;		/* Philox: the streams of o.seed, o.stream */
	mc_rng *rng;		/* GSL generators only */
	mc_qmc *qmc;
	double *u;		/* dim * MC_BLOCK uniforms, dimension-major */
	double *pt;		/* one point or path: dim numbers */
	double *prev;		/* GSL and antithetic: the last even path */
	int have_prev;
	uint64_t prev_index;
	double *w;		/* the bridge's (steps + 1) * MC_BLOCK values */
	struct bridge_step *br;
	double *x, *v;		/* log price and variance of the block */
	double *L;		/* NULL, or where this call's log prices go */
	double *zv;		/* Heston: a row of variance normals */
	uint32_t *words;	/* Philox: 4 x (MC_BLOCK + 1) words */
	double *whole;		/* mc_path_terminal's general path: S */
	size_t nwhole;
	mc_poisson jumps;	/* Merton: the jump counts of a step */
	double *jn, *js;	/* NULL, or each step's jump count and sum */
	size_t cap;		/* paths that u (w, jn, js) hold room for */
};

static unsigned
ncomp_of(int model)
{
	return model == MC_MODEL_GBM ? 1 : model == MC_MODEL_HESTON ? 2 : 3;
}

unsigned
mc_path_dim(int model, unsigned steps)
{
	return ncomp_of(model) * steps;
}

const char *
mc_path_check(const mc_model_params *m, const char **why)
{
	static const char *pos = "expected a number > 0";
	static const char *fin = "expected a finite number";

	if (!(m->spot > 0 && isfinite(m->spot)))
		return *why = pos, "spot";
	if (!(m->maturity > 0 && isfinite(m->maturity)))
		return *why = pos, "maturity";
	if (!isfinite(m->rate))
		return *why = fin, "rate";
	if (!isfinite(m->dividend))
		return *why = fin, "dividend";
	switch (m->model) {
	case MC_MODEL_GBM:
	case MC_MODEL_MERTON:
		if (!(m->vol > 0 && isfinite(m->vol)))
			return *why = pos, "vol";
		if (m->model == MC_MODEL_GBM)
			break;
		if (!(m->lambda >= 0 && isfinite(m->lambda)))
			return *why = "expected a number >= 0", "lambda";
		if (!isfinite(m->jump_mean))
			return *why = fin, "jump_mean";
		if (!(m->jump_vol >= 0 && isfinite(m->jump_vol)))
			return *why = "expected a number >= 0", "jump_vol";
		break;
	case MC_MODEL_HESTON:
		if (!(m->v0 >= 0 && isfinite(m->v0)))
			return *why = "expected a number >= 0", "v0";
		if (!(m->kappa > 0 && isfinite(m->kappa)))
			return *why = pos, "kappa";
		if (!(m->theta >= 0 && isfinite(m->theta)))
			return *why = "expected a number >= 0", "theta";
		if (!(m->xi > 0 && isfinite(m->xi)))
			return *why = pos, "xi";
		if (!(m->rho >= -1 && m->rho <= 1))
			return *why = "expected a number from -1 to 1", "rho";
		break;
	default:
		return *why = "expected gbm, heston or merton", "model";
	}
	return NULL;
}

/*
 * The bisection order of the Brownian bridge over dates 0 .. n: first W_n
 * from W_0, then the midpoints of ever smaller intervals, breadth first.
 * Returns 0, or -1 when out of memory.
 */
static int
bridge_build(struct bridge_step *br, unsigned n, double dt)
{
	unsigned head = 0, tail = 0, k = 0, *ql, *qr;

	br[k].i = n;
	br[k].l = 0;
	br[k].r = 0;
	br[k].wl = br[k].wr = 0;
	br[k].sd = sqrt(n * dt);
	k++;
	/* Every split pushes two intervals: at most 2n - 1 in all. */
	ql = malloc(2 * (2 * (size_t)n + 1) * sizeof(*ql));
	if (ql == NULL)
		return -1;
	qr = ql + 2 * n + 1;
	ql[tail] = 0;
	qr[tail++] = n;
	while (head < tail) {
		unsigned l = ql[head], r = qr[head++], mid;
		if (r - l < 2)
			continue;
		mid = l + (r - l) / 2;
		br[k].i = mid;
		br[k].l = l;
		br[k].r = r;
		br[k].wl = (double)(r - mid) / (r - l);
		br[k].wr = (double)(mid - l) / (r - l);
		br[k].sd = sqrt(dt * (double)(mid - l) * (r - mid) / (r - l));
		k++;
		ql[tail] = l;
		qr[tail++] = mid;
		ql[tail] = mid;
		qr[tail++] = r;
	}
	free(ql);
	return 0;
}

/* Merton's jump counts of a step, Poisson of mean lambda dt. */
static int
jumps_init(mc_path_gen *g, mc_err *err)
{
	double lam = g->m.lambda * (g->m.maturity / g->o.steps);

	if (lam > MC_POISSON_MAX)
		return mc_err_set(err, EX_DATAERR, "lambda: %g jumps expected "
		    "in a step of the grid (lambda * maturity / steps); at most "
		    "%g", lam, MC_POISSON_MAX);
	return mc_poisson_init(&g->jumps, lam, err);
}

mc_path_gen *
mc_path_alloc(const mc_model_params *m, const mc_path_opts *o, mc_err *err)
{
	mc_path_gen *g;
	const char *bad, *why;
	size_t nb = MC_BLOCK;

	if ((bad = mc_path_check(m, &why)) != NULL) {
		mc_err_set(err, EX_DATAERR, "%s: %s", bad, why);
		return NULL;
	}
	if (o->steps < 1) {
		mc_err_set(err, EX_USAGE, "steps: expected a count >= 1");
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL)
		goto oom;
	g->m = *m;
	g->o = *o;
	g->ncomp = ncomp_of(m->model);
	g->dim = g->ncomp * o->steps;
	mc_stream_init(&g->st, o->seed, o->stream);
	if (o->qmc) {
		mc_qmc_opts qo = { MC_BLOCK, 0, 0 };
		if (o->qmc_points)
			qo.points = o->qmc_points;
		qo.rotate = o->qmc_rotate;
		if ((g->qmc = mc_qmc_alloc_rep(g->dim, mc_stream_seed(o->seed,
		    o->stream), &qo, err)) == NULL)
			goto fail;
		g->br = malloc((o->steps + 1) * sizeof(*g->br));
		if (g->br == NULL ||
		    bridge_build(g->br, o->steps, m->maturity / o->steps) != 0)
			goto oom;
	} else if (mc_rng_gsl_name(o->rng) != NULL) {
		if ((g->rng = mc_rng_alloc(o->rng, mc_stream_seed(o->seed,
		    o->stream), err)) == NULL)
			goto fail;
	}
	g->pt = malloc(g->dim * sizeof(*g->pt));
	g->prev = malloc(g->dim * sizeof(*g->prev));
	g->x = malloc(nb * sizeof(*g->x));
	g->v = malloc(nb * sizeof(*g->v));
	g->zv = malloc(nb * sizeof(*g->zv));
	g->words = malloc(4 * (nb + 1) * sizeof(*g->words));
	if (g->pt == NULL || g->prev == NULL ||
	    g->x == NULL || g->v == NULL || g->zv == NULL || g->words == NULL)
		goto oom;
	if (m->model == MC_MODEL_MERTON && jumps_init(g, err) != 0)
		goto fail;
	return g;
oom:
	mc_err_set(err, EX_OSERR, "out of memory");
fail:
	mc_path_free(g);
	return NULL;
}

void
mc_path_free(mc_path_gen *g)
{
	if (g == NULL)
		return;
	mc_rng_free(g->rng);
	mc_qmc_free(g->qmc);
	free(g->u);
	free(g->pt);
	free(g->prev);
	free(g->w);
	free(g->br);
	free(g->x);
	free(g->v);
	free(g->zv);
	free(g->words);
	free(g->whole);
	free(g->jn);
	free(g->js);
	mc_poisson_free(&g->jumps);
	free(g);
}

const double *
mc_path_jumps(const mc_path_gen *g, const double **sums)
{
	*sums = g->js;
	return g->jn;
}

size_t
mc_path_sub_block(size_t rows)
{
	size_t sub = 32768 / rows / 16 * 16;

	return sub < 16 ? 16 : sub > MC_BLOCK ? MC_BLOCK : sub;
}

/*
 * Philox: uniform d of path s is word pair d % 2 of draw d / 2 of s's
 * stream (mc_stream), a block of streams at a time.  Antithetic pairs
 * draw from the even stream: the words start at the even index before
 * first, and odd paths copy their partner's.
 */
static void
fill_philox(mc_path_gen *g, uint64_t first, size_t count, size_t stride)
{
	unsigned dim = g->dim, dd;
	size_t nb = MC_BLOCK + 1, j, sh = 0, nw = count;
	uint32_t *w0 = g->words, *w1 = w0 + nb, *w2 = w1 + nb, *w3 = w2 + nb;
	int anti = g->o.antithetic;

	if (anti) {
		sh = first & 1;
		nw = count + sh;
	}
	for (dd = 0; 2 * dd < dim; dd++) {
		double *u0 = g->u + 2 * dd * stride;
		double *u1 = 2 * dd + 1 < dim ? u0 + stride : NULL;
		/* An odd last dimension needs words 0 and 1 only. */
		mc_stream_block(&g->st, dd, first - sh, nw, w0, w1,
		    u1 != NULL ? w2 : NULL, w3);
		if (anti)
			for (j = 0; j < nw; j++) {
				size_t e = j & ~(size_t)1;
				w0[j] = w0[e];
				w1[j] = w1[e];
				if (u1 != NULL) {
					w2[j] = w2[e];
					w3[j] = w3[e];
				}
			}
		mc_vu53(w0 + sh, w1 + sh, u0, count);
		if (u1 != NULL)
			mc_vu53(w2 + sh, w3 + sh, u1, count);
	}
}

/* GSL generators: one path's D uniforms at a time. */
static void
fill_serial(mc_path_gen *g, uint64_t first, size_t count, size_t stride)
{
	unsigned dim = g->dim, d;
	size_t j;

	for (j = 0; j < count; j++) {
		uint64_t i = first + j;
		const double *src = g->pt;
		if (g->o.antithetic && (i & 1) && g->rng != NULL) {
			/* The partner's uniforms are kept; redrawing would
			 * need a generator that can go back. */
			src = g->prev;
		} else {
			gsl_rng *r = mc_rng_gsl(g->rng);
			mc_rng_seek(g->rng, i);
			for (d = 0; d < dim; d++)
				g->pt[d] = gsl_rng_uniform_pos(r);
			if (g->o.antithetic)
				memcpy(g->prev, g->pt, dim * sizeof(*g->pt));
		}
		for (d = 0; d < dim; d++)
			g->u[d * stride + j] = src[d];
	}
}

/*
 * Sobol: a block of points at once; an antithetic odd path takes its even
 * partner's point (flipped later).
 */
static void
fill_qmc(mc_path_gen *g, uint64_t first, size_t count, size_t stride)
{
	unsigned d;
	size_t j;

	mc_qmc_block(g->qmc, first, count, g->u);
	if (!g->o.antithetic)
		return;
	for (j = 0; j < count; j++) {
		if (((first + j) & 1) == 0)
			continue;
		if (j == 0) {
			mc_qmc_point(g->qmc, first - 1, g->pt);
			for (d = 0; d < g->dim; d++)
				g->u[d * stride] = g->pt[d];
		} else {
			for (d = 0; d < g->dim; d++)
				g->u[d * stride + j] = g->u[d * stride + j - 1];
		}
	}
}

/*
 * Antithetic partners: rows [d0, d1) of odd paths take 1 - u (uniform
 * components, before the normal map; the smallest uniform's 1 - 2^-54
 * rounds to 1, so MC_U53_MAX there) or -z (normal ones, after it).
 */
static void
flip_odd(mc_path_gen *g, uint64_t first, size_t count, size_t stride,
    unsigned d0, unsigned d1, int normal)
{
	unsigned d;
	size_t j;

	for (d = d0; d < d1; d++) {
		double *u = g->u + d * stride;
		for (j = (first & 1) ? 0 : 1; j < count; j += 2)
			u[j] = normal ? -u[j] : 1 - u[j] < 1 ? 1 - u[j] :
			    MC_U53_MAX;
	}
}

/*
 * Turns the first steps rows of normals into the normals of the path's
 * increments through the bridge: z_k = (W_{k+1} - W_k) / sqrt(dt).
 */
static void
bridge_apply(mc_path_gen *g, size_t count, size_t stride)
{
	unsigned n = g->o.steps, k;
	double *w = g->w, *z = g->u, rdt = 1 / sqrt(g->m.maturity / n);
	size_t j;

	for (j = 0; j < count; j++)
		w[j] = 0;
	for (k = 0; k < n; k++) {
		const struct bridge_step *b = g->br + k;
		double *wi = w + b->i * stride;
		const double *wl = w + b->l * stride, *wr = w + b->r * stride;
		const double *zk = z + k * stride;
		for (j = 0; j < count; j++)
			wi[j] = b->wl * wl[j] + b->wr * wr[j] + b->sd * zk[j];
	}
	for (k = 0; k < n; k++) {
		const double *w0 = w + k * stride, *w1 = w0 + stride;
		double *zk = z + k * stride;
		for (j = 0; j < count; j++)
			zk[j] = (w1[j] - w0[j]) * rdt;
	}
}

/*
 * Date 0 of a GBM or Merton block, and its constant variance.  With
 * last_only (mc_path_terminal), S is the terminal row alone and only the
 * log price starts.
 */
static void
start_log(mc_path_gen *g, size_t count, double *S, double *var,
    int last_only)
{
	double ls = log(g->m.spot), s2 = g->m.vol * g->m.vol;
	size_t j;

	for (j = 0; j < count; j++)
		g->x[j] = ls;
	if (!last_only)
		for (j = 0; j < count; j++)
			S[j] = g->m.spot;
	if (var != NULL)
		for (j = 0; j < (g->o.steps + 1) * count; j++)
			var[j] = s2;
}

/*
 * The prices of date k + 1 from the log prices: row k + 1 of S, or with
 * last_only S itself at the last date and nothing before it (the same
 * bits, without the exps that nobody reads).
 */
static void
put_row(mc_path_gen *g, unsigned k, size_t count, double *S, int last_only)
{
	double *Sk = S + (last_only ? 0 : (k + 1) * count);

	if (last_only && k + 1 != g->o.steps)
		return;
	if (g->L != NULL)
		memcpy(g->L + (size_t)k * count, g->x, count * sizeof(*Sk));
	mc_vexp(g->x, Sk, count);
}

static void
step_gbm(mc_path_gen *g, size_t count, double *S, double *var,
    int last_only)
{
	unsigned n = g->o.steps, k;
	double dt = g->m.maturity / n, s = g->m.vol, *x = g->x;
	double mu = (g->m.rate - g->m.dividend - 0.5 * s * s) * dt;
	double sd = s * sqrt(dt);
	size_t j;

	start_log(g, count, S, var, last_only);
	for (k = 0; k < n; k++) {
		const double *z = g->u + k * count;
		for (j = 0; j < count; j++)
			x[j] += mu + sd * z[j];
		put_row(g, k, count, S, last_only);
	}
}

static void
step_merton(mc_path_gen *g, size_t count, double *S, double *var,
    int last_only)
{
	unsigned n = g->o.steps, k;
	double dt = g->m.maturity / n, s = g->m.vol, *x = g->x;
	double jm = g->m.jump_mean, jv = g->m.jump_vol;
	double kbar = expm1(jm + 0.5 * jv * jv);
	double mu = (g->m.rate - g->m.dividend - g->m.lambda * kbar -
	    0.5 * s * s) * dt;
	double sd = s * sqrt(dt);
	size_t j;

	start_log(g, count, S, var, last_only);
	for (k = 0; k < n; k++) {
		const double *z = g->u + k * count;
		const double *un = g->u + (n + k) * count;
		const double *zj = g->u + (2 * n + k) * count;
		for (j = 0; j < count; j++) {
			double nj = mc_poisson_inv(&g->jumps, un[j]), J = 0;
			x[j] += mu + sd * z[j];
			if (nj > 0)
				x[j] += J = nj * jm + sqrt(nj) * jv * zj[j];
			if (g->jn != NULL) {
				g->jn[k * count + j] = nj;
				g->js[k * count + j] = J;
			}
		}
		put_row(g, k, count, S, last_only);
	}
}

/*
 * Andersen's QE step, its constants: the variance's conditional mean
 * theta + (v - theta) ek and variance v c1 + c2, and the log-price step
 * drift + k0 + K1 v + K2 v' + sqrt(K3 v + K4 v') z with gamma1 = gamma2 =
 * 1/2 and his martingale correction k0 (section 4.2.3), where A = K2 +
 * K4 / 2 and kv = K1 + K3 / 2.
 */
struct qe {
	double theta, ek, c1, c2, A, K0, K1, K2, K3, K4, kv, drift;
};

/* Paths a QE pass takes at a time (its scratch arrays are on the stack). */
#define QE_CHUNK 256

/* A QE pass's numbers between its loops, padded to whole vectors. */
struct qe_tmp {
	double a[QE_CHUNK + 8], b[QE_CHUNK + 8], c[QE_CHUNK + 8];
	double d[QE_CHUNK + 8];
};

/*
 * The new log price of one path from its old one x, its variance vt and
 * new variance vn, its correction k and price normal z (vn is 0 where
 * the conditional mean mm is not positive: where v = theta = 0 nothing
 * moves).
 */
MC_ALWAYS double
qe_x(const struct qe *q, double x, double vt, double *vn, double mm,
    double k, double z)
{
	double w = mm <= 0 ? 0 : *vn;

	*vn = w;
	return x + (q->drift + k + q->K1 * vt + q->K2 * w +
	    sqrt(q->K3 * vt + q->K4 * w) * z);
}

/*
 * Andersen's quadratic draw a (b + zv)^2 (psi <= 1.5) of n paths of log
 * price x, variance v, conditional mean mm and psi, with the martingale
 * correction, or the plain K0 where that does not exist (A >= 1 / (2a),
 * only for extreme parameters): the new log prices and variances in
 * place.  Three loops, each a short chain of divisions and roots, so
 * that the CPU overlaps many paths' chains (one loop's chain of a dozen
 * dependent divisions, roots and a log left it waiting).
 */
MC_ALWAYS void
qe_quad(const struct qe *q, double *restrict x, double *restrict v,
    const double *restrict mm, const double *restrict psi,
    const double *restrict zv, const double *restrict z, size_t n,
    struct qe_tmp *restrict t)
{
	const double A = q->A;
	double *ta = t->a, *tb = t->b, *tl = t->c;
	size_t i;

	for (i = 0; i < n; i++) {
		double ip = 2 / psi[i];
		tb[i] = ip - 1 + sqrt(ip) * sqrt(ip - 1);
	}
	for (i = 0; i < n; i++)
		ta[i] = mm[i] / (1 + tb[i]);
	for (i = 0; i < n; i++)
		tl[i] = 1 - 2 * A * ta[i];
	mc_log_run(tl, tl, n);
	for (i = 0; i < n; i++) {
		double a = ta[i], b2 = tb[i], b = sqrt(b2), vt = v[i], kq;
		kq = A < 1 / (2 * a) ? -A * b2 * a / (1 - 2 * A * a) + 0.5 *
		    tl[i] - q->kv * vt : q->K0;
		tl[i] = kq;
		tb[i] = a * (b + zv[i]) * (b + zv[i]);
	}
	for (i = 0; i < n; i++) {
		double vt = v[i], w = tb[i];
		x[i] = qe_x(q, x[i], vt, &w, mm[i], tl[i], z[i]);
		v[i] = w;
	}
}

/*
 * Andersen's exponential draw (psi > 1.5) of n paths, as qe_quad: 0 with
 * probability p, else an exponential of rate beta, from the uniform u by
 * inversion; the correction as there (A >= beta: K0).
 */
MC_ALWAYS void
qe_exp(const struct qe *q, double *restrict x, double *restrict v,
    const double *restrict mm, const double *restrict psi,
    const double *restrict u, const double *restrict z, size_t n,
    struct qe_tmp *restrict t)
{
	const double A = q->A;
	double *tp = t->a, *tbeta = t->b, *l1 = t->c, *l2 = t->d;
	size_t i;

	for (i = 0; i < n; i++) {
		double p = (psi[i] - 1) / (psi[i] + 1), beta = (1 - p) / mm[i];
		tp[i] = p;
		tbeta[i] = beta;
		l1[i] = p + beta * (1 - p) / (beta - A);
		l2[i] = (1 - p) / (1 - u[i]);
	}
	mc_log_run(l1, l1, n);
	mc_log_run(l2, l2, n);
	for (i = 0; i < n; i++) {
		double vt = v[i], w, ke;
		w = u[i] <= tp[i] ? 0 : l2[i] / tbeta[i];
		ke = A < tbeta[i] ? -l1[i] - q->kv * vt : q->K0;
		x[i] = qe_x(q, x[i], vt, &w, mm[i], ke, z[i]);
		v[i] = w;
	}
}

/*
 * The paths of a chunk of c (c <= QE_CHUNK) whose psi takes the branch
 * fewer of them take, into idx; returns how many, and sets *expo to 1
 * when those are the exponential draws (psi > 1.5, or NaN), 0 when they
 * are the quadratic ones.  The masks are built 64 paths at a time, so
 * that the scalar work is one step per listed path.
 */
MC_ALWAYS size_t
qe_split(const double *psi, size_t c, unsigned *idx, int *expo)
{
	uint64_t bits[QE_CHUNK / 64], all, flip;
	size_t g, i, m = 0, ne = 0;

	for (g = 0; g < c; g += 64) {
		uint64_t b = 0;
		/* A whole 64 in a loop of fixed length, which vectorises. */
		if (g + 64 <= c)
			for (i = 0; i < 64; i++)
				b |= (uint64_t)!(psi[g + i] <= 1.5) << i;
		else
			for (i = 0; g + i < c; i++)
				b |= (uint64_t)!(psi[g + i] <= 1.5) << i;
		bits[g / 64] = b;
		ne += (size_t)__builtin_popcountll(b);
	}
	*expo = 2 * ne <= c;
	for (g = 0; g < c; g += 64) {
		all = c - g >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (c - g)) - 1;
		flip = *expo ? bits[g / 64] : ~bits[g / 64] & all;
		while (flip != 0) {
			idx[m++] = (unsigned)(g + (size_t)__builtin_ctzll(flip));
			flip &= flip - 1;
		}
	}
	return m;
}

/*
 * One QE step of n paths: x[i] and v[i] from v[i], the variance uniform
 * uv[i], its normal zv[i] and the price normal zs[i].  Each chunk's paths
 * take the branch that most of them take (qe_quad or qe_exp) in one loop
 * over all of them, and the others are gathered into short arrays, padded
 * to whole vectors, stepped by the other branch and put back: both loops
 * vectorise, without branches, and no path computes the branch it does
 * not take (the divisions and square roots are the cost).  Each path's
 * arithmetic is the same whatever its neighbours, and the logs are
 * mc_log_run's, so the bits are the same in every build and split.
 */
MC_ALWAYS void
qe_body(const struct qe *q, const double *restrict uv,
    const double *restrict zv, const double *restrict zs,
    double *restrict x, double *restrict v, size_t n)
{
	double mm[QE_CHUNK], psi[QE_CHUNK];
	double cx[QE_CHUNK + 8], cv[QE_CHUNK + 8], cm[QE_CHUNK + 8];
	double cp[QE_CHUNK + 8], cu[QE_CHUNK + 8], cz[QE_CHUNK + 8];
	struct qe_tmp t;
	unsigned idx[QE_CHUNK];
	size_t i0, c, i, m, mp;
	int expo;

	for (i0 = 0; i0 < n; i0 += QE_CHUNK) {
		const double *u = uv + i0, *z1 = zv + i0, *z0 = zs + i0;
		double *xx = x + i0, *vv = v + i0;

		c = n - i0 < QE_CHUNK ? n - i0 : QE_CHUNK;
		for (i = 0; i < c; i++) {
			mm[i] = q->theta + (vv[i] - q->theta) * q->ek;
			psi[i] = (vv[i] * q->c1 + q->c2) / (mm[i] * mm[i]);
		}
		m = qe_split(psi, c, idx, &expo);
		for (i = 0; i < m; i++) {
			cx[i] = xx[idx[i]];
			cv[i] = vv[idx[i]];
			cm[i] = mm[idx[i]];
			cp[i] = psi[idx[i]];
			cu[i] = expo ? u[idx[i]] : z1[idx[i]];
			cz[i] = z0[idx[i]];
		}
		/* Harmless values: no remainder loop runs the long code. */
		for (mp = m; mp % 8 != 0; mp++) {
			cx[mp] = cz[mp] = 0;
			cv[mp] = cm[mp] = 1;
			cp[mp] = 1.5;
			cu[mp] = 0.5;
		}
		if (expo) {
			qe_quad(q, xx, vv, mm, psi, z1, z0, c, &t);
			qe_exp(q, cx, cv, cm, cp, cu, cz, mp, &t);
		} else {
			qe_exp(q, xx, vv, mm, psi, u, z0, c, &t);
			qe_quad(q, cx, cv, cm, cp, cu, cz, mp, &t);
		}
		for (i = 0; i < m; i++) {
			xx[idx[i]] = cx[i];
			vv[idx[i]] = cv[i];
		}
	}
}

/* The builds of the step, one per instruction set (mc_isa). */
#define QE_STAMP(NAME, TARGET)						\
TARGET static void qe_##NAME(const struct qe *q, const double *uv,	\
    const double *zv, const double *zs, double *x, double *v, size_t n) \
{ qe_body(q, uv, zv, zs, x, v, n); }

QE_STAMP(base, )
#ifdef MC_ISA_SIMD
QE_STAMP(avx2, MC_ISA_TARGET_AVX2)
QE_STAMP(avx512, MC_ISA_TARGET_AVX512)
#endif

/*
 * Heston by Andersen's QE: the variance uniforms' normals a row at a time
 * (into g->zv), then the step.  With last_only, S is the terminal row
 * alone (count doubles): the log price is turned into a price once, at
 * the end, the same bits as the last row of the whole path.
 */
static void
step_heston(mc_path_gen *g, size_t count, double *S, double *var,
    int last_only)
{
	const mc_model_params *m = &g->m;
	unsigned n = g->o.steps, k;
	double dt = m->maturity / n, *x = g->x, *v = g->v, xi2 = m->xi * m->xi;
	double rx = m->rho / m->xi, ls = log(m->spot);
	void (*qe)(const struct qe *, const double *, const double *,
	    const double *, double *, double *, size_t) =
	    MC_ISA_PICK(mc_isa_best(), qe);
	struct qe q;
	size_t j;

	q.theta = m->theta;
	q.ek = exp(-m->kappa * dt);
	q.c1 = xi2 * q.ek * (1 - q.ek) / m->kappa;
	q.c2 = m->theta * xi2 * (1 - q.ek) * (1 - q.ek) / (2 * m->kappa);
	q.K0 = -rx * m->kappa * m->theta * dt;
	q.K1 = 0.5 * dt * (m->kappa * rx - 0.5) - rx;
	q.K2 = 0.5 * dt * (m->kappa * rx - 0.5) + rx;
	q.K3 = 0.5 * dt * (1 - m->rho * m->rho);
	q.K4 = q.K3;
	q.A = q.K2 + 0.5 * q.K4;
	q.kv = q.K1 + 0.5 * q.K3;
	q.drift = (m->rate - m->dividend) * dt;
	for (j = 0; j < count; j++) {
		x[j] = ls;
		v[j] = m->v0;
	}
	if (!last_only)
		for (j = 0; j < count; j++)
			S[j] = m->spot;
	if (var != NULL)
		memcpy(var, v, count * sizeof(*v));
	for (k = 0; k < n; k++) {
		const double *zs = g->u + k * count;
		const double *uv = g->u + (n + k) * count;
		mc_vninv(uv, g->zv, count);
		qe(&q, uv, g->zv, zs, x, v, count);
		put_row(g, k, count, S, last_only);
		if (var != NULL)
			memcpy(var + (k + 1) * count, v, count * sizeof(*v));
	}
}

/* *p grown to n doubles; it stays as it was when that fails. */
static int
grow(double **p, size_t n)
{
	double *q = realloc(*p, n * sizeof(**p));

	if (q == NULL)
		return -1;
	*p = q;
	return 0;
}

/*
 * Room for count paths' numbers, and for their Sobol bridge values or
 * Merton jumps: as many as the most a call has asked for, so that paths
 * of many steps, made a few at a time (mc_path_sub_block), take memory
 * for those few only.  Returns 0, or EX_OSERR with the figure.
 */
static int
reserve(mc_path_gen *g, size_t count, mc_err *err)
{
	size_t n = g->o.steps;
	int jumps = g->o.jumps && g->m.model == MC_MODEL_MERTON;

	if (count <= g->cap)
		return 0;
	if (grow(&g->u, g->dim * count) != 0 ||
	    (g->qmc != NULL && grow(&g->w, (n + 1) * count) != 0) ||
	    (jumps && (grow(&g->jn, n * count) != 0 ||
	    grow(&g->js, n * count) != 0)))
		return mc_err_set(err, EX_OSERR, "out of memory: %.0f MiB for "
		    "the numbers of %zu paths of %zu steps", (double)(g->dim +
		    (g->qmc ? n + 1 : 0) + (jumps ? 2 * n : 0)) * count * 8 /
		    1048576, count, n);
	g->cap = count;
	return 0;
}

/* Draws the block's uniforms and turns the normal components normal. */
static int
draw(mc_path_gen *g, uint64_t first, size_t count, mc_err *err)
{
	unsigned n = g->o.steps;
	int st;

	if (count > MC_BLOCK)
		return mc_err_set(err, EX_SOFTWARE,
		    "mc_path_block: %zu paths, at most %d", count, MC_BLOCK);
	if ((st = reserve(g, count, err)) != 0)
		return st;
	if (g->qmc != NULL)
		fill_qmc(g, first, count, count);
	else if (g->rng == NULL)
		fill_philox(g, first, count, count);
	else
		fill_serial(g, first, count, count);
	/* Component 0 is normal; so is Merton's component 2. */
	if (g->o.antithetic && g->ncomp > 1)
		flip_odd(g, first, count, count, n, 2 * n, 0);
	mc_vninv(g->u, g->u, (size_t)n * count);
	if (g->m.model == MC_MODEL_MERTON)
		mc_vninv(g->u + 2 * (size_t)n * count, g->u + 2 * (size_t)n *
		    count, (size_t)n * count);
	if (g->o.antithetic) {
		flip_odd(g, first, count, count, 0, n, 1);
		if (g->m.model == MC_MODEL_MERTON)
			flip_odd(g, first, count, count, 2 * n, 3 * n, 1);
	}
	return 0;
}

int
mc_path_normals(mc_path_gen *g, uint64_t first, size_t count, double *Z,
    mc_err *err)
{
	int st;

	if (count == 0)
		return 0;
	if ((st = draw(g, first, count, err)) != 0)
		return st;
	memcpy(Z, g->u, (size_t)g->o.steps * count * sizeof(*Z));
	return 0;
}

static void
step(mc_path_gen *g, size_t count, double *S, double *var, int last_only)
{
	switch (g->m.model) {
	case MC_MODEL_GBM:
		step_gbm(g, count, S, var, last_only);
		break;
	case MC_MODEL_HESTON:
		step_heston(g, count, S, var, last_only);
		break;
	default:
		step_merton(g, count, S, var, last_only);
		break;
	}
}

int
mc_path_block_again(mc_path_gen *g, const mc_path_gen *src, size_t count,
    double *S, double *var, mc_err *err)
{
	return mc_path_block_again_log(g, src, count, S, NULL, var, err);
}

int
mc_path_block_again_log(mc_path_gen *g, const mc_path_gen *src,
    size_t count, double *S, double *L, double *var, mc_err *err)
{
	if (g->m.model != src->m.model || g->dim != src->dim ||
	    count > MC_BLOCK)
		return mc_err_set(err, EX_SOFTWARE, "mc_path_block_again: "
		    "generators differ");
	if (reserve(g, count, err) != 0)
		return err->status;
	/* The bridge's increments are scaled by 1/sqrt(dt): they do not
	 * depend on the maturity, so they serve any bumped model. */
	memcpy(g->u, src->u, (size_t)g->dim * count * sizeof(*g->u));
	g->L = L;
	step(g, count, S, var, 0);
	g->L = NULL;
	return 0;
}

/* Paths into S (all dates, or with last_only the last). */
static int
block(mc_path_gen *g, uint64_t first, size_t count, double *S, double *var,
    int last_only, mc_err *err)
{
	int st;

	if (count == 0)
		return 0;
	if ((st = draw(g, first, count, err)) != 0)
		return st;
	if (g->qmc != NULL)
		bridge_apply(g, count, count);
	step(g, count, S, var, last_only);
	return 0;
}

int
mc_path_block(mc_path_gen *g, uint64_t first, size_t count, double *S,
    double *var, mc_err *err)
{
	return block(g, first, count, S, var, 0, err);
}

int
mc_path_block_log(mc_path_gen *g, uint64_t first, size_t count, double *S,
    double *L, double *var, mc_err *err)
{
	int st;

	g->L = L;
	st = block(g, first, count, S, var, 0, err);
	g->L = NULL;
	return st;
}

/*
 * Whether mc_path_terminal may take the fast path: one GBM step from
 * Philox words, with nothing (a Sobol point, a GSL generator) between
 * the words and the normals.
 */
static int
fast_terminal(const mc_path_gen *g)
{
	return g->m.model == MC_MODEL_GBM && g->o.steps == 1 &&
	    g->qmc == NULL && g->rng == NULL && !g->o.general;
}

/*
 * One GBM step from the log spot, x[j] = ls + (mu + sd x[j]), one build
 * per instruction set (mc_isa): the same bits in every width.
 */
MC_ALWAYS void
gbm1_body(double ls, double mu, double sd, double *x, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		x[j] = ls + (mu + sd * x[j]);
}

#define GBM1_STAMP(NAME, TARGET)					\
TARGET static void gbm1_##NAME(double ls, double mu, double sd,	\
    double *x, size_t n)						\
{ gbm1_body(ls, mu, sd, x, n); }

GBM1_STAMP(base, )
#ifdef MC_ISA_SIMD
GBM1_STAMP(avx2, MC_ISA_TARGET_AVX2)
GBM1_STAMP(avx512, MC_ISA_TARGET_AVX512)
#endif

/*
 * The fast path: the same words and uniforms (fill_philox), normals,
 * antithetic signs and arithmetic as draw() and step_gbm() from x =
 * log(spot), straight from the uniforms to ST.
 */
static void
terminal_fast(mc_path_gen *g, uint64_t first, size_t count, double *ST)
{
	double s = g->m.vol, dt = g->m.maturity / 1, ls = log(g->m.spot);
	double mu = (g->m.rate - g->m.dividend - 0.5 * s * s) * dt;
	double sd = s * sqrt(dt);
	size_t j;

	fill_philox(g, first, count, count);
	mc_vninv(g->u, ST, count);
	if (g->o.antithetic)
		for (j = (first & 1) ? 0 : 1; j < count; j += 2)
			ST[j] = -ST[j];
	MC_ISA_PICK(mc_isa_best(), gbm1)(ls, mu, sd, ST, count);
	mc_vexp(ST, ST, count);
}

int
mc_path_terminal(mc_path_gen *g, uint64_t first, size_t count, double *ST,
    mc_err *err)
{
	size_t need = ((size_t)g->o.steps + 1) * count;
	int st;

	if (count == 0)
		return 0;
	if (count > MC_BLOCK)
		return mc_err_set(err, EX_SOFTWARE,
		    "mc_path_terminal: %zu paths, at most %d", count, MC_BLOCK);
	if (fast_terminal(g)) {
		if ((st = reserve(g, count, err)) != 0)
			return st;
		terminal_fast(g, first, count, ST);
		return 0;
	}
	if (!g->o.general)
		return block(g, first, count, ST, NULL, 1, err);
	if (need > g->nwhole) {
		double *p = realloc(g->whole, need * sizeof(*p));
		if (p == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		g->whole = p;
		g->nwhole = need;
	}
	if ((st = mc_path_block(g, first, count, g->whole, NULL, err)) != 0)
		return st;
	memcpy(ST, g->whole + (size_t)g->o.steps * count, count * sizeof(*ST));
	return 0;
}
