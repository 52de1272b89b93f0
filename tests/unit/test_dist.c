/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_dist: every distribution against its CDF, and its documented mean
 * and variance against the sample.
 *
 * Each case draws N rows from Philox stream (seed 20261121, row i), as
 * mcgen does, and tests every column it names:
 * - continuous: Kolmogorov-Smirnov against the reference CDF;
 * - discrete: chi-square over about 100 cells of equal reference
 *   probability (cells with an expected count under 5 merged);
 * either fails when its p-value is below ALPHA = 1e-5, so a correct
 * sampler fails one test with probability 1e-5;
 * - the mean and variance formulas of the table (the strings mcgen(1)
 *   shows, evaluated here) against the sample mean and variance, within
 *   4 standard errors (two-sided 6.3e-5), where the formulas exist and
 *   the fourth moment is finite.
 * References are GSL's CDF functions or closed forms (through the
 * table's cdf, which does not share code with the samplers), and where
 * GSL has none, computed here: numerical integration of the density
 * (von Mises, Landau), sums of the probability function by its ratio
 * recurrence in long double (Poisson, binomial and hypergeometric with
 * counts beyond 2^32), the Levy closed form, and the characteristic
 * function (stable).  With the seed fixed the outcome is fixed; the
 * levels say how unlikely a failure of a correct sampler is.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_bessel.h>

#include "mc_dist.h"
#include "mc_fmt.h"
#include "mc_rng.h"
#include "unit.h"

#define ALPHA 1e-5
#define N 100000
#define SEED 20261121

/* ---- The formula evaluator ----------------------------------------------
 * Grammar: expr [if expr op expr], op one of > >= < <= =; expr of numbers,
 * parameters, + - * / ^, parentheses and exp log sqrt gamma erfc dnorm
 * pnorm, and sum(e) over k = 1 .. K of a list.  Names: the parameters, pi,
 * euler (Euler's constant), d (columns), k (the column, from 1), X_k and
 * X_0 for list X (entry k and the sum), p_k = X_k / X_0, and in a
 * variance formula, mean.
 */
struct ev {
	const char *s;
	const mc_dist *d;
	int k;			/* the current k, from 1 */
	double mean;		/* the mean, in a variance formula */
	int bad;
};

static double ev_expr(struct ev *e);

static void
ev_space(struct ev *e)
{
	while (*e->s == ' ')
		e->s++;
}

static double
ev_list(struct ev *e, const char *base, int which)
{
	size_t n, j;
	const double *x = mc_dist_list(e->d, &n);
	double sum = 0;

	if (x == NULL || e->k < 1 || (size_t)e->k > n) {
		e->bad = 1;
		return NAN;
	}
	for (j = 0; j < n; j++)
		sum += x[j];
	if (strcmp(base, "p") == 0)
		return which == 0 ? 1 : x[e->k - 1] / sum;
	return which == 0 ? sum : x[e->k - 1];
}

static double
ev_name(struct ev *e, const char *name)
{
	size_t len = strlen(name);
	char base[32];
	double v = mc_dist_get(e->d, name);

	if (!isnan(v))
		return v;
	if (strcmp(name, "pi") == 0)
		return M_PI;
	if (strcmp(name, "euler") == 0)
		return M_EULER;
	if (strcmp(name, "d") == 0)
		return mc_dist_dim(e->d);
	if (strcmp(name, "k") == 0)
		return e->k;
	if (strcmp(name, "mean") == 0 && !isnan(e->mean))
		return e->mean;
	if (len > 2 && len < sizeof(base) && name[len - 2] == '_' &&
	    (name[len - 1] == 'k' || name[len - 1] == '0')) {
		memcpy(base, name, len - 2);
		base[len - 2] = '\0';
		return ev_list(e, base, name[len - 1] == 'k');
	}
	e->bad = 1;
	return NAN;
}

static double
ev_call(struct ev *e, const char *f)
{
	double x;

	if (strcmp(f, "sum") == 0) {
		const char *start = e->s;
		int k0 = e->k, k;
		size_t n;
		double s = 0;
		mc_dist_list(e->d, &n);
		for (k = 1; k <= (int)n; k++) {
			e->s = start;
			e->k = k;
			s += ev_expr(e);
		}
		e->k = k0;
		x = s;
	} else {
		x = ev_expr(e);
		x = strcmp(f, "exp") == 0 ? exp(x) : strcmp(f, "log") == 0 ?
		    log(x) : strcmp(f, "sqrt") == 0 ? sqrt(x) :
		    strcmp(f, "gamma") == 0 ? tgamma(x) :
		    strcmp(f, "erfc") == 0 ? erfc(x) :
		    strcmp(f, "dnorm") == 0 ? gsl_ran_ugaussian_pdf(x) :
		    strcmp(f, "pnorm") == 0 ? gsl_cdf_ugaussian_P(x) : NAN;
		if (isnan(x))
			e->bad = 1;
	}
	ev_space(e);
	if (*e->s++ != ')')
		e->bad = 1;
	return x;
}

static double
ev_atom(struct ev *e)
{
	char name[32];
	size_t n = 0;
	double x;

	ev_space(e);
	if (*e->s == '(') {
		e->s++;
		x = ev_expr(e);
		ev_space(e);
		if (*e->s++ != ')')
			e->bad = 1;
		return x;
	}
	if (isdigit((unsigned char)*e->s) || *e->s == '.') {
		char *end;
		x = strtod(e->s, &end);
		e->s = end;
		return x;
	}
	while ((isalnum((unsigned char)*e->s) || *e->s == '_') &&
	    n + 1 < sizeof(name))
		name[n++] = *e->s++;
	name[n] = '\0';
	if (n == 0) {
		e->bad = 1;
		return NAN;
	}
	if (*e->s == '(') {
		e->s++;
		return ev_call(e, name);
	}
	return ev_name(e, name);
}

static double
ev_unary(struct ev *e)
{
	double x;

	ev_space(e);
	if (*e->s == '-') {
		e->s++;
		return -ev_unary(e);
	}
	x = ev_atom(e);
	ev_space(e);
	if (*e->s == '^') {
		e->s++;
		return pow(x, ev_unary(e));
	}
	return x;
}

static double
ev_term(struct ev *e)
{
	double x = ev_unary(e);

	for (;;) {
		ev_space(e);
		if (*e->s == '*')
			e->s++, x *= ev_unary(e);
		else if (*e->s == '/')
			e->s++, x /= ev_unary(e);
		else
			return x;
	}
}

static double
ev_expr(struct ev *e)
{
	double x = ev_term(e);

	for (;;) {
		ev_space(e);
		if (*e->s == '+')
			e->s++, x += ev_term(e);
		else if (*e->s == '-')
			e->s++, x -= ev_term(e);
		else
			return x;
	}
}

/*
 * Evaluates formula f for column col of d, with mean (NAN: none) for the
 * name mean.  Returns NAN when the formula's condition does not hold;
 * sets *bad on a formula it cannot read.
 */
static double
eval(const char *f, const mc_dist *d, unsigned col, double mean, int *bad)
{
	struct ev e = {f, d, (int)col + 1, mean, 0};
	double x = ev_expr(&e), a, b;
	int ok = 1;

	ev_space(&e);
	if (strncmp(e.s, "if ", 3) == 0) {
		char op[3] = "";
		e.s += 3;
		a = ev_expr(&e);
		ev_space(&e);
		sscanf(e.s, "%2[<>=]", op);
		e.s += strlen(op);
		b = ev_expr(&e);
		ok = strcmp(op, ">") == 0 ? a > b : strcmp(op, ">=") == 0 ?
		    a >= b : strcmp(op, "<") == 0 ? a < b :
		    strcmp(op, "<=") == 0 ? a <= b : strcmp(op, "=") == 0 ?
		    a == b : (e.bad = 1, 0);
	}
	ev_space(&e);
	*bad = e.bad || *e.s != '\0';
	return ok ? x : NAN;
}

/* ---- Statistics ----------------------------------------------------- */

/* Kolmogorov's P(sqrt(n) D > lambda), Stephens' small-n correction. */
static double
ks_p(double dmax, size_t n)
{
	double rn = sqrt((double)n), l = (rn + 0.12 + 0.11 / rn) * dmax;
	double s = 0, term;
	int k;

	for (k = 1; k < 100; k++) {
		term = 2 * ((k % 2) ? 1 : -1) * exp(-2.0 * k * k * l * l);
		s += term;
		if (fabs(term) < 1e-12)
			break;
	}
	return fmin(1, fmax(0, s));
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef double (*cdf_fn)(const void *ctx, double x);

/* The KS p-value of sorted x[0..n) against cdf. */
static double
ks_test(const double *x, size_t n, cdf_fn cdf, const void *ctx)
{
	double dmax = 0, f;
	size_t i;

	for (i = 0; i < n; i++) {
		f = cdf(ctx, x[i]);
		if (isnan(f))
			return NAN;
		dmax = fmax(dmax, fmax((double)(i + 1) / n - f,
		    f - (double)i / n));
	}
	return ks_p(dmax, n);
}

/* The smallest whole y in [lo, hi] with cdf(y) >= q (hi if none). */
static double
whole_quantile(cdf_fn cdf, const void *ctx, double q, double lo, double hi)
{
	double mid;

	while (hi - lo > 1) {
		mid = floor(lo + (hi - lo) / 2);
		if (cdf(ctx, mid) >= q)
			hi = mid;
		else
			lo = mid;
	}
	return cdf(ctx, lo) >= q ? lo : hi;
}

/*
 * The chi-square p-value of sorted whole numbers x[0..n) against cdf:
 * cells (-inf, b1], (b1, b2], ..., (b_last, inf) at the reference's
 * 1/100 quantiles, each merged with the next (the last with the one
 * before) until it expects 5 or more.
 */
static double
chisq_test(const double *x, size_t n, cdf_fn cdf, const void *ctx)
{
	double b[101], lo = x[0] - 1, hi = x[n - 1], f, f0 = 0;
	double o = 0, e = 0, oc[101], ec[101], chi = 0;
	size_t nb = 0, i = 0, cells = 0, j;

	for (j = 1; j < 100; j++) {
		double q = whole_quantile(cdf, ctx, j / 100.0, lo, hi);
		if (nb == 0 || q > b[nb - 1])
			b[nb++] = q;
	}
	b[nb++] = INFINITY;
	for (j = 0; j < nb; j++) {
		f = isinf(b[j]) ? 1 : cdf(ctx, b[j]);
		if (isnan(f))
			return NAN;
		for (; i < n && x[i] <= b[j]; i++)
			o++;
		e += (double)n * (f - f0);
		f0 = f;
		if (e >= 5) {
			oc[cells] = o;
			ec[cells++] = e;
			o = e = 0;
		}
	}
	if (e > 0 || o > 0) {
		if (cells == 0)
			return NAN;
		oc[cells - 1] += o;
		ec[cells - 1] += e;
	}
	for (j = 0; j < cells; j++)
		chi += (oc[j] - ec[j]) * (oc[j] - ec[j]) / ec[j];
	return cells < 2 ? 1 : gsl_cdf_chisq_Q(chi, (double)cells - 1);
}

/* ---- Cases ---------------------------------------------------------- */

struct col_cdf {
	const mc_dist *d;
	unsigned col;
};

static double
table_cdf(const void *ctx, double x)
{
	const struct col_cdf *c = ctx;

	return mc_dist_cdf(c->d, c->col, x);
}

/*
 * A reference other than the table's: a function, and its context for
 * column 0; column k's is stride bytes further on.
 */
struct ref {
	cdf_fn cdf;
	const void *ctx;
	size_t stride;
};

/* Draws n rows of d, row i from Philox stream (SEED, i), column-major. */
static double *
draw(const mc_dist *d, size_t n)
{
	unsigned dim = mc_dist_dim(d), k;
	double *x = malloc(n * dim * sizeof(*x)), row[16];
	mc_rng *r = mc_rng_alloc("philox", SEED, NULL);
	size_t i;

	for (i = 0; i < n; i++) {
		mc_rng_seek(r, i);
		mc_dist_row(d, mc_rng_gsl(r), row);
		for (k = 0; k < dim; k++)
			x[k * n + i] = row[k];
	}
	mc_rng_free(r);
	return x;
}

static mc_dist *
make(const char *spec, unsigned dim)
{
	char buf[512], *w[16], *name;
	int nw = 0;
	mc_err err = {0};
	mc_dist *d;
	const mc_dist_type *t;

	snprintf(buf, sizeof(buf), "%s", spec);
	name = strtok(buf, " ");
	while ((w[nw] = strtok(NULL, " ")) != NULL)
		nw++;
	if ((t = mc_dist_find(name)) == NULL ||
	    (d = mc_dist_alloc(t, w, nw, &err)) == NULL ||
	    mc_dist_set_dim(d, dim, NULL, &err) != 0) {
		fprintf(stderr, "%s: %s\n", spec, err.msg);
		exit(1);
	}
	return d;
}

/* Mean and variance formulas of column col against its sample. */
static void
check_moments(const char *spec, const mc_dist *d, unsigned col,
    const double *x, size_t n)
{
	const mc_dist_type *t = mc_dist_typeof(d);
	double m = 0, v = 0, m4 = 0, want, dx, mean = NAN;
	size_t i;
	int bad;

	for (i = 0; i < n; i++)
		m += x[i];
	m /= n;
	for (i = 0; i < n; i++) {
		dx = x[i] - m;
		v += dx * dx;
		m4 += dx * dx * dx * dx;
	}
	v /= n - 1;
	m4 /= n;
	if (t->mean != NULL) {
		want = mean = eval(t->mean, d, col, NAN, &bad);
		CHECK(!bad && !isnan(want));
		if (fabs(m - want) > 4 * sqrt(v / n) + 1e-12 * fabs(want)) {
			fprintf(stderr, "%s col %u: mean %.10g, formula %.10g, "
			    "se %.3g\n", spec, col + 1, m, want, sqrt(v / n));
			CHECK(!"mean within 4 se");
		}
	}
	if (t->var != NULL) {
		want = eval(t->var, d, col, mean, &bad);
		CHECK(!bad && !isnan(want));
		if (fabs(v - want) > 4 * sqrt((m4 - v * v) / n) +
		    1e-12 * fabs(want)) {
			fprintf(stderr, "%s col %u: variance %.10g, formula "
			    "%.10g, se %.3g\n", spec, col + 1, v, want,
			    sqrt((m4 - v * v) / n));
			CHECK(!"variance within 4 se");
		}
	}
}

enum { MOMENTS = 1, WHOLE = 2 };

/*
 * Tests every column of spec (dim columns): KS or chi-square against ref
 * (or the table's CDF when ref is NULL), and the moments if asked.
 */
static void
check_case(const char *spec, unsigned dim, const struct ref *ref,
    int flags)
{
	mc_dist *d = make(spec, dim);
	double *x = draw(d, N), p;
	unsigned col;
	size_t i, whole = 0;

	for (col = 0; col < dim; col++) {
		double *c = x + (size_t)col * N;
		struct col_cdf cc = {d, col};
		cdf_fn f = ref ? ref->cdf : table_cdf;
		const void *ctx = &cc;
		if (ref != NULL)
			ctx = (const char *)ref->ctx + col * ref->stride;
		if (flags & MOMENTS)
			check_moments(spec, d, col, c, N);
		for (i = 0; i < N; i++)
			whole += c[i] == floor(c[i]) && isfinite(c[i]);
		qsort(c, N, sizeof(*c), cmp_double);
		p = (flags & WHOLE) ? chisq_test(c, N, f, ctx) :
		    ks_test(c, N, f, ctx);
		if (!(p >= ALPHA)) {
			fprintf(stderr, "%s col %u: %s p = %.3g\n", spec, col + 1,
			    (flags & WHOLE) ? "chi-square" : "KS", p);
			CHECK(!"p >= ALPHA");
		}
	}
	CHECK(!(flags & WHOLE) || whole == (size_t)dim * N);
	CHECK(!(flags & WHOLE) == !(mc_dist_typeof(d)->flags & MC_DIST_WHOLE));
	free(x);
	mc_dist_free(d);
}

/* ---- References that GSL lacks ---------------------------------------- */

/*
 * A CDF from a density by adaptive quadrature from lo (below which there
 * is no mass).  The KS test asks for increasing x, so each call adds the
 * integral from the last x; a smaller x starts again from lo.
 */
struct quad {
	gsl_function fn;
	double lo, last, cum;
	gsl_integration_workspace *ws;
};

static double
quad_cdf(const void *ctx, double x)
{
	struct quad *q = (struct quad *)(uintptr_t)ctx;
	double piece = 0, abserr;

	if (x <= q->lo)
		return 0;
	if (x < q->last) {
		q->last = q->lo;
		q->cum = 0;
	}
	gsl_integration_qag(&q->fn, q->last, x, 1e-14, 1e-12, 1000,
	    GSL_INTEG_GAUSS31, q->ws, &piece, &abserr);
	q->last = x;
	return fmin(1, q->cum += piece);
}

static void
quad_init(struct quad *q, double (*pdf)(double, void *), void *par,
    double lo)
{
	q->fn.function = pdf;
	q->fn.params = par;
	q->lo = q->last = lo;
	q->cum = 0;
	q->ws = gsl_integration_workspace_alloc(1000);
}

static double
vonmises_pdf(double x, void *par)
{
	const double *p = par;

	/* exp(kappa cos) / (2 pi I0(kappa)), without overflow. */
	return exp(p[1] * (cos(x - p[0]) - 1)) /
	    (2 * M_PI * gsl_sf_bessel_I0_scaled(p[1]));
}

static double
landau_pdf(double x, void *par)
{
	return gsl_ran_landau_pdf(x);
}

/*
 * The circular moment E cos(X - mu) = I1(kappa) / I0(kappa) within 4 se:
 * it sees a stretch of the angle that keeps the mean.
 */
static void
check_vonmises_cos(const char *spec, double mu, double kappa)
{
	mc_dist *d = make(spec, 1);
	double *x = draw(d, N), s = 0, q = 0, m, c, want;
	size_t i;

	want = kappa == 0 ? 0 : gsl_sf_bessel_I1_scaled(kappa) /
	    gsl_sf_bessel_I0_scaled(kappa);
	for (i = 0; i < N; i++)
		s += cos(x[i] - mu);
	m = s / N;
	for (i = 0; i < N; i++) {
		c = cos(x[i] - mu) - m;
		q += c * c;
	}
	CHECK(fabs(m - want) < 4 * sqrt(q / (N - 1) / N));
	free(x);
	mc_dist_free(d);
}

static void
check_vonmises(double mu, double kappa)
{
	struct quad q;
	double p[2] = {mu, kappa}, total, abserr;
	char spec[64];
	struct ref ref = {quad_cdf, &q, 0};

	quad_init(&q, vonmises_pdf, p, mu - M_PI);
	gsl_integration_qag(&q.fn, mu - M_PI, mu + M_PI, 1e-14, 1e-12, 1000,
	    GSL_INTEG_GAUSS31, q.ws, &total, &abserr);
	CHECK(fabs(total - 1) < 1e-9);
	snprintf(spec, sizeof(spec), "vonmises mu=%g kappa=%g", mu, kappa);
	check_case(spec, 1, &ref, MOMENTS);
	gsl_integration_workspace_free(q.ws);
	check_vonmises_cos(spec, mu, kappa);
}

/* Landau: no mass below -10 (the density is below 1e-300 there). */
static void
check_landau(void)
{
	struct quad q;
	struct ref ref = {quad_cdf, &q, 0};
	double total, abserr;

	quad_init(&q, landau_pdf, NULL, -10);
	gsl_integration_qagiu(&q.fn, -10, 1e-14, 1e-12, 1000, q.ws, &total,
	    &abserr);
	CHECK(fabs(total - 1) < 1e-9);
	check_case("landau", 1, &ref, 0);
	gsl_integration_workspace_free(q.ws);
}

/* Levy(location, scale) in closed form: 2 Q(sqrt(scale / (x - loc))). */
static double
levy_ref(const void *ctx, double x)
{
	const double *p = ctx;

	return x <= p[0] ? 0 : erfc(sqrt(p[1] / (x - p[0]) / 2));
}

static double
normal_ref(const void *ctx, double x)
{
	const double *p = ctx;

	return gsl_cdf_gaussian_P(x - p[0], p[1]);
}

static double
cauchy_ref(const void *ctx, double x)
{
	const double *p = ctx;

	return 0.5 + atan((x - p[0]) / p[1]) / M_PI;
}

/*
 * stable: GSL's characteristic function E exp(itX) = exp(-|ct|^alpha (1 -
 * i beta sign(t) tan(pi alpha / 2)) + i t location), with -(2/pi) log|t|
 * for the tan at alpha 1; the sample means of cos tX and sin tX within 4
 * se at three t.
 */
static void
check_stable_cf(double alpha, double beta, double c, double loc)
{
	char spec[128];
	mc_dist *d;
	double *x, ts[3] = {0.3, 0.8, 1.7};
	int j;
	size_t i;

	snprintf(spec, sizeof(spec), "stable alpha=%g beta=%g scale=%g "
	    "location=%g", alpha, beta, c, loc);
	d = make(spec, 1);
	x = draw(d, N);
	for (j = 0; j < 3; j++) {
		double t = ts[j], a = pow(c * t, alpha), mod = exp(-a);
		/* At alpha 1 GSL puts -(2/pi) log|t| for tan(pi alpha / 2). */
		double ph = a * beta * (alpha == 1 ? -M_2_PI * log(t) :
		    tan(M_PI * alpha / 2)) + t * loc;
		double sc = 0, ss = 0, qc = 0, qs = 0, mc, ms;
		for (i = 0; i < N; i++) {
			sc += cos(t * x[i]);
			ss += sin(t * x[i]);
		}
		mc = sc / N;
		ms = ss / N;
		for (i = 0; i < N; i++) {
			qc += (cos(t * x[i]) - mc) * (cos(t * x[i]) - mc);
			qs += (sin(t * x[i]) - ms) * (sin(t * x[i]) - ms);
		}
		CHECK(fabs(mc - mod * cos(ph)) < 4 * sqrt(qc / (N - 1) / N));
		CHECK(fabs(ms - mod * sin(ph)) < 4 * sqrt(qs / (N - 1) / N));
	}
	for (i = 0; i < N; i++)
		if (!isfinite(x[i]))
			break;
	CHECK(i == N);
	free(x);
	mc_dist_free(d);
}

static void
check_stable(void)
{
	double n2[2] = {0, 1.5 * M_SQRT2}, c1[2] = {1, 2}, lv[2] = {0, 2};
	struct ref rn = {normal_ref, n2, 0}, rc = {cauchy_ref, c1, 0};
	struct ref rl = {levy_ref, lv, 0};

	/* alpha 2 is the normal of sd sqrt(2) scale; alpha 1, beta 0 Cauchy. */
	check_case("stable alpha=2 scale=1.5", 1, &rn, MOMENTS);
	check_case("stable alpha=1 scale=2 location=1", 1, &rc, 0);
	/* alpha 1/2, beta 1 is Levy with the same scale. */
	check_case("stable alpha=0.5 beta=1 scale=2", 1, &rl, 0);
	check_stable_cf(1.5, 0.5, 1, 0.3);
	check_stable_cf(0.7, -0.8, 2, 0);
	check_stable_cf(1.2, 1, 0.5, -1);
	check_stable_cf(1, 0.7, 2, 0.5);
	/* The smallest alpha allowed: every draw finite. */
	check_stable_cf(0.1, 0.9, 1, 0);
}

/*
 * A discrete reference tabulated from its probability ratios
 * p(k+1)/p(k), in long double from the mode out to where the terms fall
 * below 1e-40 of it, and normalised by the sum: no lgamma, no GSL.
 */
struct table {
	double x0;
	size_t n;
	long double *cum;
};

static double
table_ref(const void *ctx, double x)
{
	const struct table *t = ctx;
	double k = floor(x) - t->x0;

	return k < 0 ? 0 : k >= (double)t->n ? 1 : (double)t->cum[(size_t)k];
}

typedef long double (*ratio_fn)(const double *par, long double k);

static void
table_build(struct table *t, ratio_fn ratio, const double *par,
    double mode, double lo, double hi)
{
	long double p, s = 0, *up, *down;
	size_t nu = 0, nd = 0, i, cap = 1 << 24;

	up = malloc(cap * sizeof(*up));
	down = malloc(cap * sizeof(*down));
	for (p = 1; p > 1e-40L && mode + nu <= hi && nu < cap; nu++) {
		up[nu] = p;
		p *= ratio(par, mode + nu);
	}
	for (p = 1; p > 1e-40L && mode - nd > lo && nd + 1 < cap; nd++) {
		p /= ratio(par, mode - nd - 1);
		down[nd] = p;
	}
	t->x0 = mode - (double)nd;
	t->n = nd + nu;
	t->cum = malloc(t->n * sizeof(*t->cum));
	for (i = 0; i < nd; i++)
		t->cum[i] = s += down[nd - 1 - i];
	for (i = 0; i < nu; i++)
		t->cum[nd + i] = s += up[i];
	for (i = 0; i < t->n; i++)
		t->cum[i] /= s;
	free(up);
	free(down);
}

static long double
poisson_ratio(const double *par, long double k)
{
	return par[0] / (k + 1);
}

static long double
binomial_ratio(const double *par, long double k)
{
	return (par[0] - k) / (k + 1) * par[1] / (1 - par[1]);
}

/* par: size, prob. */
static long double
nbinom_ratio(const double *par, long double k)
{
	return (k + par[0]) / (k + 1) * (1 - par[1]);
}

/* par: m white, n black, K drawn. */
static long double
hyper_ratio(const double *par, long double k)
{
	return (par[0] - k) * (par[2] - k) /
	    ((k + 1) * (par[1] - par[2] + k + 1));
}

/*
 * An Edgeworth expansion for a count with a large variance, with
 * continuity correction: Phi(z) - phi(z) (g1/6 He2 + g2/24 He3 + g1^2/72
 * He5) at z = (k + 1/2 - mean) / sd, from the skewness g1 and the excess
 * kurtosis g2.  Its error is of the order of the next cumulant terms,
 * here below 1e-6 (variances of 1e10 and more, or size 1e4).
 */
struct edge {
	double mean, sd, g1, g2;
};

static double
edge_ref(const void *ctx, double x)
{
	const struct edge *g = ctx;
	double z = (floor(x) + 0.5 - g->mean) / g->sd, z2 = z * z;

	return gsl_cdf_ugaussian_P(z) - gsl_ran_ugaussian_pdf(z) *
	    (g->g1 / 6 * (z2 - 1) + g->g2 / 24 * z * (z2 - 3) +
	    g->g1 * g->g1 / 72 * z * (z2 * z2 - 10 * z2 + 15));
}

static struct edge
edge_binomial(double n, double p)
{
	double v = n * p * (1 - p);
	struct edge g = {n * p, sqrt(v), (1 - 2 * p) / sqrt(v),
	    (1 - 6 * p * (1 - p)) / v};

	return g;
}

static void check_table(const char *spec, ratio_fn ratio,
    const double *par, double mode, double lo, double hi);

static void
check_huge_counts(void)
{
	struct edge g[3], nb = {1e4 * (1 - 1e-6) / 1e-6,
	    sqrt(1e4 * (1 - 1e-6)) / 1e-6, (2 - 1e-6) / sqrt(1e4 * (1 - 1e-6)),
	    6 / 1e4 + 1e-12 / (1e4 * (1 - 1e-6))};
	struct ref ref = {edge_ref, g, sizeof(g[0])}, rnb = {edge_ref, &nb, 0};
	double table_p[3] = {5e9}, mu;
	int i;

	check_table("poisson mean=5e9", poisson_ratio, table_p, 5e9, 0, 1e10);
	for (i = 0; i < 2; i++) {
		mu = i ? 1e15 : 1e12;
		g[0] = (struct edge){mu, sqrt(mu), 1 / sqrt(mu), 1 / mu};
		check_case(i ? "poisson mean=1e15" : "poisson mean=1e12", 1, &ref,
		    MOMENTS | WHOLE);
	}
	g[0] = edge_binomial(1e12, 0.4);
	check_case("binomial size=1e12 prob=0.4", 1, &ref, MOMENTS | WHOLE);
	g[0] = edge_binomial(9007199254740992.0, 0.999);
	check_case("binomial size=9007199254740992 prob=0.999", 1, &ref,
	    MOMENTS | WHOLE);
	for (i = 0; i < 3; i++)
		g[i] = edge_binomial(1e12, (i + 2) / 10.0);
	check_case("multinomial size=1e12 prob=0.2,0.3,0.5", 3, &ref,
	    MOMENTS | WHOLE);
	check_case("negative-binomial size=1e4 prob=1e-6", 1, &rnb,
	    MOMENTS | WHOLE);
	/* N - 2k = 0: no skewness; the kurtosis term is below 1e-10. */
	g[0] = (struct edge){2e11, sqrt(5e11 * 0.4 * 0.6 * 5e11 / (1e12 - 1)),
	    0, 0};
	check_case("hypergeometric m=4e11 n=6e11 k=5e11", 1, &ref,
	    MOMENTS | WHOLE);
	table_p[0] = 4e9;
	table_p[1] = 6e9;
	table_p[2] = 3e9;
	check_table("hypergeometric m=4e9 n=6e9 k=3e9", hyper_ratio, table_p,
	    1.2e9, 0, 3e9);
}

/*
 * The table's CDFs of counts agree with sums of the probabilities within
 * 1e-8 at the edge of the ranges where they answer, and are NAN beyond.
 */
static void
check_cdf_domain(void)
{
	static const struct {
		const char *spec, *beyond;
		ratio_fn ratio;
		double par[3], mode;
	} c[] = {
		{"poisson mean=1e6", "poisson mean=1.1e6", poisson_ratio,
		    {1e6}, 1e6},
		{"binomial size=1e7 prob=0.3", "binomial size=1.1e7",
		    binomial_ratio, {1e7, 0.3}, 3e6},
		{"nbinom size=1e6 prob=0.5", "nbinom size=1.1e6",
		    nbinom_ratio, {1e6, 0.5}, 1e6 - 2},
		{"hypergeometric m=4e6 n=6e6 k=5e6",
		    "hypergeometric m=4e6 n=6.1e6 k=5e6", hyper_ratio,
		    {4e6, 6e6, 5e6}, 2e6},
	};
	size_t i;
	int j;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct table t;
		mc_dist *d = make(c[i].spec, 1), *e = make(c[i].beyond, 1);
		double x, worst = 0;
		table_build(&t, c[i].ratio, c[i].par, c[i].mode, 0, 1e300);
		for (j = 1; j < 20; j++) {
			x = t.x0 + floor((double)t.n * j / 20);
			worst = fmax(worst, fabs(mc_dist_cdf(d, 0, x) -
			    table_ref(&t, x)));
		}
		if (!(worst < 1e-8))
			fprintf(stderr, "%s: CDF off by %g\n", c[i].spec, worst);
		CHECK(worst < 1e-8);
		CHECK(isnan(mc_dist_cdf(e, 0, t.x0 + (double)t.n / 2)));
		free(t.cum);
		mc_dist_free(d);
		mc_dist_free(e);
	}
}

static void
check_table(const char *spec, ratio_fn ratio, const double *par,
    double mode, double lo, double hi)
{
	struct table t;
	struct ref ref = {table_ref, &t, 0};

	table_build(&t, ratio, par, mode, lo, hi);
	check_case(spec, 1, &ref, MOMENTS | WHOLE);
	free(t.cum);
}

/* ---- The cases ------------------------------------------------------ */

/* A case tested against the table's own CDF. */
struct tcase {
	const char *spec;
	unsigned dim;
	int flags;
};

static void
run_cases(const struct tcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_case(c[i].spec, c[i].dim, NULL, c[i].flags);
}

static void
check_continuous(void)
{
	static const struct tcase c[] = {
		{"uniform a=-2 b=3", 2, MOMENTS},
		{"normal mean=1 sd=2", 1, MOMENTS},
		{"lognormal meanlog=0.1 sdlog=0.5", 1, MOMENTS},
		{"exponential rate=2", 1, MOMENTS},
		{"exponential mean=3", 1, MOMENTS},
		{"gamma shape=2.5 scale=2", 1, MOMENTS},
		{"gamma shape=0.3 rate=4", 1, MOMENTS},
		{"beta a=2 b=3", 1, MOMENTS},
		{"beta a=0.5 b=0.7", 1, MOMENTS},
		{"student-t df=10", 1, MOMENTS},
		{"t df=1.5", 1, 0},
		{"chisq df=3", 1, MOMENTS},
		{"chi-square df=0.5", 1, MOMENTS},
		{"f df1=5 df2=20", 1, MOMENTS},
		{"cauchy location=1 scale=2", 1, 0},
		{"laplace location=-1 scale=0.5", 1, MOMENTS},
		{"logistic location=2 scale=3", 1, MOMENTS},
		{"gumbel location=1 scale=2", 1, MOMENTS},
		{"gumbel2 location=0.5 scale=2 shape=10", 1, MOMENTS},
		{"frechet shape=1.5", 1, 0},
		{"weibull shape=1.5 scale=2", 1, MOMENTS},
		{"weibull shape=0.5", 1, MOMENTS},
		{"pareto shape=10 min=2", 1, MOMENTS},
		{"pareto shape=1.2", 1, 0},
		{"rayleigh scale=1.5", 1, MOMENTS},
		{"levy location=1 scale=2", 1, 0},
		{"exppow location=1 scale=2 shape=1.5", 1, MOMENTS},
		{"exppow shape=0.8", 1, MOMENTS},
		{"exppow shape=4 scale=0.5", 1, MOMENTS},
		{"gaussian-tail a=1 sd=2", 1, MOMENTS},
		{"gaussian-tail a=-1", 1, MOMENTS},
		{"gaussian-tail a=5", 1, MOMENTS},
		{"gaussian-tail a=15 sd=0.5", 1, 0},
		{"rayleigh-tail a=1 scale=0.5", 1, MOMENTS},
		{"rayleigh-tail a=0", 1, MOMENTS},
		{"rayleigh-tail a=1e300 scale=1e299", 1, 0},
		{"t df=0.1", 1, 0},
		{"f df1=0.1 df2=0.1", 1, 0},
	};

	run_cases(c, sizeof(c) / sizeof(c[0]));
	{
		double lv[2] = {1, 2};
		struct ref rl = {levy_ref, lv, 0};
		check_case("levy location=1 scale=2", 1, &rl, 0);
	}
	check_vonmises(1, 2);
	check_vonmises(0, 0.01);
	check_vonmises(-2, 300);
	check_vonmises(0.5, 0);
	check_landau();
	check_stable();
}

static void
check_discrete(void)
{
	static const struct tcase c[] = {
		{"poisson mean=3.5", 1, MOMENTS | WHOLE},
		{"poisson mean=1000", 1, MOMENTS | WHOLE},
		{"integers min=-3 max=7", 2, MOMENTS | WHOLE},
		{"integers max=1e12", 1, MOMENTS | WHOLE},
		{"integers min=-9007199254740992 max=9007199254740992", 1, MOMENTS | WHOLE},
		{"bernoulli prob=0.3", 1, MOMENTS | WHOLE},
		{"binomial size=20 prob=0.3", 1, MOMENTS | WHOLE},
		{"binomial size=5e6 prob=1e-6", 1, MOMENTS | WHOLE},
		{"negative-binomial size=2.5 prob=0.3", 1, MOMENTS | WHOLE},
		{"nbinom size=0.5 prob=1e-4", 1, MOMENTS | WHOLE},
		{"geometric prob=0.2", 1, MOMENTS | WHOLE},
		{"geometric prob=1e-12", 1, MOMENTS | WHOLE},
		{"geometric prob=1", 1, MOMENTS | WHOLE},
		{"hypergeometric m=30 n=20 k=10", 1, MOMENTS | WHOLE},
		{"hypergeometric m=5 n=50 k=4", 1, MOMENTS | WHOLE},
		{"hypergeometric m=100 n=100 k=150", 1, MOMENTS | WHOLE},
		{"hypergeometric m=700 n=3 k=500", 1, MOMENTS | WHOLE},
		{"hypergeometric m=2e6 n=3e6 k=1e6", 1, MOMENTS | WHOLE},
		{"logarithmic theta=0.7", 1, MOMENTS | WHOLE},
		{"logarithmic theta=0.999", 1, MOMENTS | WHOLE},
		{"categorical prob=1,2,3,4", 2, MOMENTS | WHOLE},
		{"discrete prob=0,0.5,0,0.5", 1, MOMENTS | WHOLE},
	};

	run_cases(c, sizeof(c) / sizeof(c[0]));
	check_huge_counts();
	check_cdf_domain();
}

/* Sample correlation of columns a and b within 4 se of rho. */
static void
check_corr(const double *x, size_t n, unsigned a, unsigned b, double rho)
{
	const double *u = x + (size_t)a * n, *v = x + (size_t)b * n;
	double mu = 0, mv = 0, suu = 0, svv = 0, suv = 0, r;
	size_t i;

	for (i = 0; i < n; i++) {
		mu += u[i];
		mv += v[i];
	}
	mu /= n;
	mv /= n;
	for (i = 0; i < n; i++) {
		suu += (u[i] - mu) * (u[i] - mu);
		svv += (v[i] - mv) * (v[i] - mv);
		suv += (u[i] - mu) * (v[i] - mv);
	}
	r = suv / sqrt(suu * svv);
	CHECK(fabs(r - rho) < 4 * (1 - rho * rho) / sqrt((double)n));
}

/* Every row's coordinates sum to want (within tol), or squares do. */
static void
check_sums(const char *spec, unsigned dim, double want, double tol,
    int squares)
{
	mc_dist *d = make(spec, dim);
	double *x = draw(d, 1000), s, worst = 0;
	size_t i;
	unsigned k;

	for (i = 0; i < 1000; i++) {
		for (s = 0, k = 0; k < dim; k++)
			s += squares ? x[k * 1000 + i] * x[k * 1000 + i] :
			    x[k * 1000 + i];
		worst = fmax(worst, fabs(s - want));
	}
	CHECK(worst <= tol);
	free(x);
	mc_dist_free(d);
}

static void
check_vector(void)
{
	mc_dist *d;
	double *x;

	check_case("mvnormal mean=1 sd=2 rho=0.5", 3, NULL, MOMENTS);
	d = make("mvnormal mean=1 sd=2 rho=0.5", 3);
	x = draw(d, N);
	check_corr(x, N, 0, 1, 0.5);
	check_corr(x, N, 1, 2, 0.5);
	free(x);
	mc_dist_free(d);
	check_case("mvt df=10 location=1 scale=2 rho=0.3", 3, NULL, MOMENTS);
	check_case("mvt df=3", 2, NULL, 0);
	d = make("mvt df=10 location=1 scale=2 rho=0.3", 3);
	x = draw(d, N);
	check_corr(x, N, 0, 2, 0.3);
	free(x);
	mc_dist_free(d);
	check_case("multinomial size=30 prob=1,2,3,4", 4, NULL,
	    MOMENTS | WHOLE);
	check_sums("multinomial size=30 prob=1,2,3,4", 4, 30, 0, 0);
	check_sums("multinomial size=1e12 prob=0.2,0,0.3,0.5", 4, 1e12, 0, 0);
	check_case("dirichlet alpha=0.5,1,2.5", 3, NULL, MOMENTS);
	check_sums("dirichlet alpha=0.5,1,2.5", 3, 1, 1e-15, 0);
	check_case("sphere", 3, NULL, MOMENTS);
	check_case("dir", 5, NULL, MOMENTS);
	check_sums("sphere", 7, 1, 1e-15, 1);
}

/* ---- Inverse CDFs (for --qmc sobol) ----------------------------------- */

/*
 * For each type with a quantile: on a grid of u, F(q(u)) = u for a
 * continuous distribution; F(q(u) - 1) < u <= F(q(u)) for a discrete one.
 */
static void
check_quantiles(void)
{
	static const char *specs[] = {
		"uniform a=-2 b=3", "normal mean=1 sd=2", "lognormal sdlog=0.5",
		"exponential rate=2", "gamma shape=0.3", "beta a=2 b=0.5",
		"t df=3", "mvnormal sd=2", "chisq df=3", "f df1=3 df2=7",
		"cauchy scale=2", "laplace location=1", "logistic scale=3",
		"gumbel location=1 scale=2", "frechet shape=2 location=1",
		"weibull shape=1.5", "pareto shape=2 min=3", "rayleigh scale=2",
		"levy location=1 scale=2", "integers min=-3 max=7",
		"bernoulli prob=0.3", "geometric prob=0.2",
		"categorical prob=1,0,3",
	};
	size_t i, j;
	double u, x, worst;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		mc_dist *d = make(specs[i], 1);
		int whole = mc_dist_typeof(d)->flags & MC_DIST_WHOLE;
		CHECK(mc_dist_has_quantile(d));
		for (worst = 0, j = 1; j < 1000; j++) {
			u = j / 1000.0 - 0.0003;
			mc_dist_qrow(d, &u, 1, &x);
			if (whole) {
				CHECK(mc_dist_cdf(d, 0, x) >= u);
				CHECK(mc_dist_cdf(d, 0, x - 1) < u);
			} else {
				worst = fmax(worst, fabs(mc_dist_cdf(d, 0, x) - u));
			}
		}
		if (worst > 1e-9)
			fprintf(stderr, "%s: |F(q(u)) - u| up to %g\n", specs[i],
			    worst);
		CHECK(worst <= 1e-9);
		mc_dist_free(d);
	}
}

/* ---- Parameters ----------------------------------------------------- */

/* Parses spec and expects message (with dim columns), or success. */
static void
expect(const char *spec, unsigned dim, const char *message)
{
	char buf[512], *w[16], *name;
	int nw = 0, rc = 0;
	mc_err err = {0};
	mc_dist *d;

	snprintf(buf, sizeof(buf), "%s", spec);
	name = strtok(buf, " ");
	while ((w[nw] = strtok(NULL, " ")) != NULL)
		nw++;
	d = mc_dist_alloc(mc_dist_find(name), w, nw, &err);
	if (d != NULL)
		rc = mc_dist_set_dim(d, dim, NULL, &err);
	if (message == NULL) {
		CHECK(d != NULL && rc == 0);
	} else {
		CHECK(d == NULL || rc == EX_USAGE);
		CHECK_STR(err.msg, message);
	}
	mc_dist_free(d);
}

static void
check_params(void)
{
	expect("poisson mean=5e9", 1, NULL);
	expect("poisson mean=1e15", 1, NULL);
	expect("poisson mean=1.1e15", 1,
	    "mean: expected a number > 0 and <= 1e+15, got \"1.1e15\"");
	expect("poisson mean=1e300", 1,
	    "mean: expected a number > 0 and <= 1e+15, got \"1e300\"");
	expect("geometric prob=1e-15", 1,
	    "prob: expected a number >= 1e-14 and <= 1, got \"1e-15\"");
	expect("negative-binomial size=1e6 prob=1e-10", 1,
	    "negative-binomial: the mean size*(1-prob)/prob is "
	    "9.999999999e+15, above 1e15 (counts would pass 2^53, where "
	    "doubles skip whole numbers)");
	expect("logarithmic theta=1", 1, "theta: expected a number > 0 and "
	    "<= 0.99999999999999, got \"1\"");
	expect("binomial size=2.5", 1,
	    "size: expected a whole number, got \"2.5\"");
	expect("binomial size=1e16", 1, "size: expected a number >= 0 and <= "
	    "9007199254740992, got \"1e16\"");
	expect("binomial prob=0.5", 1, "binomial: size=VALUE is required");
	expect("hypergeometric m=3 n=4 k=8", 1, "hypergeometric: expected k "
	    "<= m+n (k balls drawn from m white and n black)");
	expect("hypergeometric m=9e15 n=9e15 k=1", 1,
	    "hypergeometric: expected m+n <= 2^53");
	expect("integers min=3 max=2", 1, "integers: expected min <= max");
	expect("integers", 1, "integers: max=VALUE is required");
	expect("categorical prob=1,-1", 1,
	    "prob: expected a number >= 0, got \"-1\"");
	expect("categorical prob=1,,2", 1,
	    "prob: expected a number >= 0, got \"\"");
	expect("categorical prob=0,0", 1, "categorical: expected weights in "
	    "prob= with a positive, finite sum");
	expect("categorical prob=1e308,1e308", 1, "categorical: expected "
	    "weights in prob= with a positive, finite sum");
	expect("dirichlet alpha=1,0", 3, "alpha: expected a number > 0, got "
	    "\"0\"");
	expect("dirichlet", 1, "dirichlet: alpha=VALUE is required");
	expect("multinomial size=3 prob=1,2,3", 2, "multinomial: prob= has 3 "
	    "numbers, one a column, but 2 columns were asked for");
	expect("landau x=1", 1,
	    "landau: unknown parameter \"x\" (landau takes none)");
	expect("gamma scale=2 rate=3", 1, "gamma: give scale or rate, not "
	    "both");
	expect("exponential mean=1 rate=2", 1,
	    "exponential: give mean or rate, not both");
	expect("normal foo=1", 1,
	    "normal: unknown parameter \"foo\" (normal takes mean, sd)");
	expect("normal sd=1 sd=2", 1, "sd: given twice");
	expect("uniform a=2 b=1", 1, "uniform: expected a < b");
	expect("mvnormal rho=0.5", 1, "mvnormal: rho= needs 2 or more columns");
	expect("mvt df=3 rho=-0.6", 3, "rho: -0.6 is no correlation between "
	    "every two of 3 columns (it needs rho > -1/(d-1))");
	expect("stable alpha=0.05", 1,
	    "alpha: expected a number >= 0.1 and <= 2, got \"0.05\"");
	expect("student-t df=0.05", 1,
	    "df: expected a number >= 0.1, got \"0.05\"");
	expect("f df1=1 df2=0.09", 1,
	    "df2: expected a number >= 0.1, got \"0.09\"");
	expect("vonmises kappa=1e7", 1,
	    "kappa: expected a number >= 0 and <= 1000000, got \"1e7\"");
	CHECK(mc_dist_find("nosuch") == NULL);
	CHECK(mc_dist_find("gumbel1") == mc_dist_find("gumbel"));
}

/* The big counts: GSL's poisson never returned for these means. */
static void
check_big_counts(void)
{
	mc_dist *d;
	mc_rng *r = mc_rng_alloc("philox", SEED, NULL);
	double x, means[] = {4294967296.0, 5e9, 1e10, 1e12, 1e14, 1e15};
	size_t i;
	clock_t t0 = clock();

	for (i = 0; i < sizeof(means) / sizeof(means[0]); i++) {
		char spec[64];
		snprintf(spec, sizeof(spec), "poisson mean=%.17g", means[i]);
		d = make(spec, 1);
		mc_dist_row(d, mc_rng_gsl(r), &x);
		CHECK(x == floor(x));
		CHECK(fabs(x - means[i]) < 6 * sqrt(means[i]));
		mc_dist_free(d);
	}
	/* Degenerate parameters give the one possible value. */
	d = make("binomial size=1e15 prob=1", 1);
	mc_dist_row(d, mc_rng_gsl(r), &x);
	CHECK(x == 1e15);
	mc_dist_free(d);
	d = make("binomial size=1e15 prob=0", 1);
	mc_dist_row(d, mc_rng_gsl(r), &x);
	CHECK(x == 0);
	mc_dist_free(d);
	d = make("hypergeometric m=1e15 n=0 k=5e14", 1);
	mc_dist_row(d, mc_rng_gsl(r), &x);
	CHECK(x == 5e14);
	mc_dist_free(d);
	/*
	 * Beyond a/sd = 1e150 GSL's gaussian tail squared to inf and never
	 * returned; X - a is then far below a's last digit, so every draw
	 * is a.  The Rayleigh tail's a^2 overflowed to inf the same way.
	 */
	d = make("gaussian-tail a=1e200", 1);
	mc_dist_row(d, mc_rng_gsl(r), &x);
	CHECK(x == 1e200);
	mc_dist_free(d);
	d = make("rayleigh-tail a=1e300", 1);
	mc_dist_row(d, mc_rng_gsl(r), &x);
	CHECK(x == 1e300);
	mc_dist_free(d);
	printf("test_dist: big counts drawn in %.3f s\n",
	    (double)(clock() - t0) / CLOCKS_PER_SEC);
	mc_rng_free(r);
}

/* Every type in the table is one of the cases above. */
static void
check_coverage(void)
{
	static const char *tested[] = {
		"uniform", "normal", "lognormal", "exponential", "gamma", "beta",
		"student-t", "poisson", "mvnormal", "chisq", "f", "cauchy",
		"laplace", "logistic", "gumbel", "frechet", "weibull", "pareto",
		"rayleigh", "levy", "stable", "exppow", "landau",
		"gaussian-tail", "rayleigh-tail", "vonmises", "integers",
		"bernoulli", "binomial", "negative-binomial", "geometric",
		"hypergeometric", "logarithmic", "categorical", "multinomial",
		"dirichlet", "mvt", "sphere",
	};
	size_t i, j;

	CHECK(mc_dist_ntypes == sizeof(tested) / sizeof(tested[0]));
	for (i = 0; i < mc_dist_ntypes; i++) {
		for (j = 0; j < sizeof(tested) / sizeof(tested[0]); j++)
			if (strcmp(tested[j], mc_dist_types[i].name) == 0)
				break;
		CHECK(j < sizeof(tested) / sizeof(tested[0]));
	}
}

/* ---- mcgen(1) shows the table -------------------------------------------
 * For every type: a row ".It Cm NAME[ , ALIAS] Ta PARAMS" of the table of
 * distributions (PARAMS: name=default, a bare name when required, "|
 * name=default" for the reciprocal alternative, name=x1,x2,... for a
 * list, none), and after ".It Cm NAME" its mean and variance as
 * ".Li MEAN ," and ".Li VAR ." ("no mean" or "no variance" if none).
 */
static void
params_text(const mc_dist_type *t, char *buf, size_t size)
{
	const mc_dist_param *p;
	char num[MC_FMT_DBL];
	size_t len = 0;

	buf[0] = '\0';
	for (p = t->p; p->name != NULL; p++) {
		mc_fmt_double(num, p->def);
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s%s",
		    len ? " " : "", p->kind == MC_PARAM_RECIP ? "| " : "",
		    p->name, p->kind == MC_PARAM_LIST ? "=x1,x2,..." :
		    isnan(p->def) ? "" : "=", isnan(p->def) ? "" : num);
	}
	if (len == 0)
		snprintf(buf, size, "none");
}

static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

/* Whether the block of ".It Cm name" (to the next .It or .El) has s. */
static int
block_has(const char *man, const char *name, const char *s)
{
	char head[64], *blk;
	const char *a, *b, *c;
	int ok;

	snprintf(head, sizeof(head), "\n.It Cm %s\n", name);
	if ((a = strstr(man, head)) == NULL)
		return 0;
	a += strlen(head) - 1;
	b = strstr(a, "\n.It ");
	c = strstr(a, "\n.El");
	if (b == NULL || (c != NULL && c < b))
		b = c;
	blk = strndup(a, b ? (size_t)(b - a) + 1 : strlen(a));
	ok = strstr(blk, s) != NULL;
	free(blk);
	return ok;
}

/*
 * The --qmc paragraph ("Only for the distributions with an inverse
 * distribution function: a, b, ... and z (...), and ...; at most") names
 * exactly the types that have a quantile.
 */
static void
check_qmc_list(const char *man)
{
	const char *a = strstr(man, "inverse distribution function:\n");
	const char *b = a ? strstr(a, "; at most") : NULL;
	char *text, *w, word[64];
	size_t i, named = 0;

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	text = strndup(a, (size_t)(b - a));
	for (w = text; *w; w++)
		if (strchr(",;()\n", *w))
			*w = ' ';
	for (i = 0; i < mc_dist_ntypes; i++) {
		const mc_dist_type *t = &mc_dist_types[i];
		int found = 0;
		size_t n;
		for (w = text; sscanf(w, "%63s%zn", word, &n) == 1; w += n)
			found |= strcmp(word, t->name) == 0;
		named += found;
		if (found != (t->quantile != NULL))
			fprintf(stderr, "man/mcgen.1: --qmc: %s %s\n", t->name,
			    found ? "has no inverse CDF" : "is missing");
		CHECK(found == (t->quantile != NULL));
	}
	CHECK(named > 0);
	free(text);
}

static void
check_manpage(void)
{
	char *man = read_all("man/mcgen.1"), want[512], params[256];
	size_t i;

	CHECK(man != NULL);
	if (man == NULL)
		return;
	for (i = 0; i < mc_dist_ntypes; i++) {
		const mc_dist_type *t = &mc_dist_types[i];
		int ok;
		params_text(t, params, sizeof(params));
		snprintf(want, sizeof(want), "\n.It Cm %s%s%s Ta %s\n", t->name,
		    t->alias ? " , " : "", t->alias ? t->alias : "", params);
		ok = strstr(man, want) != NULL;
		snprintf(want, sizeof(want), "\n.Li %s ,\n", t->mean);
		ok &= block_has(man, t->name, t->mean ? want : "no mean");
		snprintf(want, sizeof(want), "\n.Li %s .\n", t->var);
		ok &= block_has(man, t->name, t->var ? want : "no variance");
		if (!ok)
			fprintf(stderr, "man/mcgen.1: %s: want the row \".It Cm "
			    "%s%s%s Ta %s\" and, after \".It Cm %s\", "
			    "\".Li %s ,\" and \".Li %s .\"\n", t->name, t->name,
			    t->alias ? " , " : "", t->alias ? t->alias : "",
			    params, t->name, t->mean ? t->mean : "(no mean)",
			    t->var ? t->var : "(no variance)");
		CHECK(ok);
	}
	check_qmc_list(man);
	free(man);
}

int
main(void)
{
	clock_t t0 = clock();

	gsl_set_error_handler_off();
	check_params();
	check_coverage();
	check_manpage();
	check_big_counts();
	check_quantiles();
	check_continuous();
	check_discrete();
	check_vector();
	printf("test_dist: %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
	return unit_done("test_dist");
}
