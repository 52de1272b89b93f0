/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_dist: the distributions, their samplers and their CDFs.  The table
 * at the end holds them in one place; see mc_dist.h.
 */
#include "mc_dist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "mc_fmt.h"
#include "mc_opt.h"

struct mc_dist {
	const mc_dist_type *type;
	double v[MC_DIST_MAXPARAM];	/* the parameters, in type->p's order */
	int given[MC_DIST_MAXPARAM];
	double *list;		/* the list parameter's numbers, as given */
	double *acc;		/* their running sums (categorical), or the
				   sums from k on (multinomial) */
	size_t nlist;
	unsigned dim;
	double *chol;		/* dim x dim lower Cholesky factor, or NULL */
	gsl_ran_discrete_t *alias;	/* categorical: Walker's table */
};

/*
 * GSL's count samplers return an unsigned int and split their work with
 * 32-bit counts; below 2^31 every count and every split fits.
 */
#define GSL_SAFE 2147483648.0

static double binomial_any(gsl_rng *r, double p, double n);

/* ---- Samplers for counts of any size ---------------------------------- */

/*
 * Poisson(mu) for any mu a double holds.  Above GSL_SAFE, the same split
 * as GSL's (Ahrens and Dieter): the m-th arrival of a unit Poisson process
 * comes at X ~ Gamma(m); if X >= mu, the count in [0, mu] is that of m-1
 * uniform arrivals on [0, X], Binomial(m-1, mu/X); otherwise it is m plus
 * a Poisson(mu - X) count.  Each round shrinks mu about eightfold.
 */
static double
poisson_any(gsl_rng *r, double mu)
{
	double k = 0, m, x;

	while (mu >= GSL_SAFE) {
		m = floor(mu * (7.0 / 8.0));
		x = gsl_ran_gamma(r, m, 1.0);
		if (x >= mu)
			return k + binomial_any(r, mu / x, m - 1);
		k += m;
		mu -= x;
	}
	return k + gsl_ran_poisson(r, mu);
}

/*
 * Binomial(n, p) for any whole n up to 2^53.  Above GSL_SAFE, split at the
 * i-th smallest of the n uniforms, Y ~ Beta(i, n+1-i): if p < Y, the
 * uniforms below p are among the i-1 below Y, uniform there; otherwise all
 * i are below p and the n-i above Y are uniform on (Y, 1).  Each round
 * halves n.
 */
static double
binomial_any(gsl_rng *r, double p, double n)
{
	double k = 0, i, y;

	while (n >= GSL_SAFE) {
		i = floor(n / 2);
		y = gsl_ran_beta(r, i, n + 1 - i);
		if (p < y) {
			p /= y;
			n = i - 1;
		} else {
			k += i;
			p = (p - y) / (1 - y);
			n -= i;
		}
	}
	return k + gsl_ran_binomial(r, p, (unsigned)n);
}

/*
 * log(x!) - log(y!) for whole x, y >= 0.  For large, close x and y, where
 * lgamma's two values would cancel, Stirling's series in the difference
 * d = x - y: x log x - y log y - d = d (log y - 1) + x log1p(d/y).
 */
static double
lfact_diff(double x, double y)
{
	double d = x - y, t;

	if (x < 1e5 || y < 1e5)
		return lgamma(x + 1) - lgamma(y + 1);
	t = log1p(d / y);
	return d * (log(y) - 1) + x * t + 0.5 * t + 1 / (12 * x) -
	    1 / (12 * y);
}

/*
 * Hypergeometric by Stadlober's ratio of uniforms (HRUA): the number of
 * the g balls of the rarer colour among s <= (g+b)/2 drawn from g + b.
 * The hat is centred at a = mean + 1/2 with half-width h; T is the log
 * ratio of the probability at k to that at the mode.
 */
static double
hyper_hrua(gsl_rng *r, double g, double b, double s)
{
	const double d1 = 1.7155277699214135;	/* 2 sqrt(2/e) */
	const double d2 = 0.8989161620588988;	/* 3 - 2 sqrt(3/e) */
	double n = g + b, p = g / n, a = s * p + 0.5;
	double c = sqrt((n - s) * s * p * (b / n) / (n - 1) + 0.5);
	double h = d1 * c + d2, mode = floor((s + 1) * (g + 1) / (n + 2));
	double top = fmin(fmin(s, g) + 1, floor(a + 16 * c)), u, x, k, t;

	for (;;) {
		u = gsl_rng_uniform_pos(r);
		x = a + h * (gsl_rng_uniform(r) - 0.5) / u;
		if (x < 0 || x >= top)
			continue;
		k = floor(x);
		t = lfact_diff(mode, k) + lfact_diff(g - mode, g - k) +
		    lfact_diff(s - mode, s - k) +
		    lfact_diff(b - s + mode, b - s + k);
		if (u * (4 - u) - 3 <= t)
			return k;
		if (u * (u - t) >= 1)
			continue;
		if (2 * log(u) <= t)
			return k;
	}
}

/*
 * Hypergeometric(m, n, k): white balls among k drawn from m white and n
 * black.  Works with the rarer colour and the smaller of the sample and
 * its complement, then maps back; a sample under 10 is drawn ball by ball.
 */
static double
hyper_any(gsl_rng *r, double m, double n, double k)
{
	double g = fmin(m, n), s = fmin(k, m + n - k), x = 0, i;

	if (s < 10) {
		for (i = 0; i < s; i++)
			x += gsl_rng_uniform(r) * (m + n - i) < g - x;
	} else {
		x = hyper_hrua(r, g, fmax(m, n), s);
	}
	if (m > n)
		x = s - x;
	return s < k ? m - x : x;
}

/*
 * A whole number uniform on 0 .. n-1, n <= 2^54: GSL's within the
 * generator's range, else 64 bits from 8-bit pieces (every generator has
 * those), rejecting the 2^64 mod n values that would bias the remainder.
 */
static double
uniform_whole(gsl_rng *r, double n)
{
	uint64_t m = (uint64_t)n, x, lo = (0 - m) % m;
	int j;

	if (n <= (double)(gsl_rng_max(r) - gsl_rng_min(r)))
		return (double)gsl_rng_uniform_int(r, (unsigned long)n);
	do {
		for (x = 0, j = 0; j < 8; j++)
			x = x << 8 | gsl_rng_uniform_int(r, 256);
	} while (x < lo);
	return (double)(x % m);
}

/* ---- The distributions ---------------------------------------------------
 * d->v[k] is parameter k in the table's order; the comment over each group
 * names them.
 */

/* uniform: a, b */
static double
uniform_draw(const mc_dist *d, gsl_rng *r)
{
	return gsl_ran_flat(r, d->v[0], d->v[1]);
}

static double
uniform_q(const mc_dist *d, double u)
{
	return d->v[0] * (1 - u) + d->v[1] * u;
}

static double
uniform_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_flat_P(x, d->v[0], d->v[1]);
}

static int
uniform_check(mc_dist *d, mc_err *err)
{
	if (!(d->v[0] < d->v[1]))
		return mc_err_set(err, EX_USAGE, "uniform: expected a < b");
	return 0;
}

/* normal and mvnormal: mean, sd */
static double
normal_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[0] + gsl_ran_gaussian_ziggurat(r, d->v[1]);
}

static double
normal_q(const mc_dist *d, double u)
{
	return d->v[0] + d->v[1] * gsl_cdf_ugaussian_Pinv(u);
}

static double
normal_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_gaussian_P(x - d->v[0], d->v[1]);
}

static double
std_normal_draw(const mc_dist *d, gsl_rng *r)
{
	return gsl_ran_gaussian_ziggurat(r, 1);
}

static double
std_normal_q(const mc_dist *d, double u)
{
	return gsl_cdf_ugaussian_Pinv(u);
}

/*
 * x holds independent standard normals z; makes it shift + mult L z, in
 * place (L is lower triangular, so going from the last coordinate down
 * needs no copy).  Without L, shift + mult z.
 */
static void
correlate(const mc_dist *d, double *x, double shift, double mult)
{
	unsigned n = d->dim, a, b;

	for (a = n; a-- > 0;) {
		double s = x[a];
		if (d->chol != NULL)
			for (s = 0, b = 0; b <= a; b++)
				s += d->chol[a * n + b] * x[b];
		x[a] = shift + mult * s;
	}
}

static void
mvnormal_finish(const mc_dist *d, double *x)
{
	correlate(d, x, d->v[0], d->v[1]);
}

/*
 * Most entries wrap GSL directly: GSL1 with one parameter v[0], GSL2 with
 * two, v[0] and v[1], LOCSCALE adds a location v[0] to GSL's variate of
 * scale v[1].  Each makes NAME_draw, NAME_q (GSL's inverse CDF) and
 * NAME_cdf.
 */
#define GSL1(name, ran, cdf) \
	static double name##_draw(const mc_dist *d, gsl_rng *r) \
	{ return ran(r, d->v[0]); } \
	static double name##_q(const mc_dist *d, double u) \
	{ return gsl_cdf_##cdf##_Pinv(u, d->v[0]); } \
	static double name##_cdf(const mc_dist *d, unsigned col, double x) \
	{ return gsl_cdf_##cdf##_P(x, d->v[0]); }
#define GSL2(name, ran, cdf) \
	static double name##_draw(const mc_dist *d, gsl_rng *r) \
	{ return ran(r, d->v[0], d->v[1]); } \
	static double name##_q(const mc_dist *d, double u) \
	{ return gsl_cdf_##cdf##_Pinv(u, d->v[0], d->v[1]); } \
	static double name##_cdf(const mc_dist *d, unsigned col, double x) \
	{ return gsl_cdf_##cdf##_P(x, d->v[0], d->v[1]); }
#define LOCSCALE(name, ran, cdf) \
	static double name##_draw(const mc_dist *d, gsl_rng *r) \
	{ return d->v[0] + ran(r, d->v[1]); } \
	static double name##_q(const mc_dist *d, double u) \
	{ return d->v[0] + gsl_cdf_##cdf##_Pinv(u, d->v[1]); } \
	static double name##_cdf(const mc_dist *d, unsigned col, double x) \
	{ return gsl_cdf_##cdf##_P(x - d->v[0], d->v[1]); }

/* The rate of exponential and gamma is stored as its mean or scale. */
GSL1(exponential, gsl_ran_exponential, exponential)
GSL1(t, gsl_ran_tdist, tdist)
GSL1(chisq, gsl_ran_chisq, chisq)
GSL1(rayleigh, gsl_ran_rayleigh, rayleigh)
GSL2(lognormal, gsl_ran_lognormal, lognormal)
GSL2(gamma, gsl_ran_gamma, gamma)
GSL2(beta, gsl_ran_beta, beta)
GSL2(f, gsl_ran_fdist, fdist)
GSL2(pareto, gsl_ran_pareto, pareto)
LOCSCALE(cauchy, gsl_ran_cauchy, cauchy)
LOCSCALE(laplace, gsl_ran_laplace, laplace)
LOCSCALE(logistic, gsl_ran_logistic, logistic)

/* poisson: mean */
static double
poisson_draw(const mc_dist *d, gsl_rng *r)
{
	return poisson_any(r, d->v[0]);
}

/*
 * P(X <= k) = Q(k + 1, mean), the regularised upper incomplete gamma.
 * GSL's is within 1e-8 up to a mean of 1e6 and off by 0.005 at 1e7 (by
 * comparison with sums of the probabilities), so NAN above 1e6.
 */
static double
poisson_cdf(const mc_dist *d, unsigned col, double x)
{
	if (d->v[0] > 1e6)
		return NAN;
	return x < 0 ? 0 : gsl_cdf_gamma_Q(d->v[0], floor(x) + 1, 1);
}

/* gumbel (GSL's type 1): location, scale; standard GSL draws, scaled */
static double
gumbel_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[0] + d->v[1] * gsl_ran_gumbel1(r, 1, 1);
}

static double
gumbel_q(const mc_dist *d, double u)
{
	return d->v[0] + d->v[1] * gsl_cdf_gumbel1_Pinv(u, 1, 1);
}

static double
gumbel_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_gumbel1_P((x - d->v[0]) / d->v[1], 1, 1);
}

/* frechet (GSL's Gumbel type 2): location, scale, shape */
static double
frechet_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[0] + d->v[1] * gsl_ran_gumbel2(r, d->v[2], 1);
}

static double
frechet_q(const mc_dist *d, double u)
{
	return d->v[0] + d->v[1] * gsl_cdf_gumbel2_Pinv(u, d->v[2], 1);
}

static double
frechet_cdf(const mc_dist *d, unsigned col, double x)
{
	return x <= d->v[0] ? 0 :
	    gsl_cdf_gumbel2_P((x - d->v[0]) / d->v[1], d->v[2], 1);
}

/* weibull: shape, scale */
static double
weibull_draw(const mc_dist *d, gsl_rng *r)
{
	return gsl_ran_weibull(r, d->v[1], d->v[0]);
}

static double
weibull_q(const mc_dist *d, double u)
{
	return gsl_cdf_weibull_Pinv(u, d->v[1], d->v[0]);
}

static double
weibull_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_weibull_P(x, d->v[1], d->v[0]);
}

/*
 * levy: location, scale.  X = location + scale / Z^2 for a standard
 * normal Z, so P(X <= x) = P(|Z| >= sqrt(scale / (x - location))), which
 * inverts in closed form; it draws by that inverse, which cannot divide
 * by a zero Z.
 */
static double
levy_q(const mc_dist *d, double u)
{
	double z = gsl_cdf_ugaussian_Qinv(u / 2);

	return d->v[0] + d->v[1] / (z * z);
}

static double
levy_draw(const mc_dist *d, gsl_rng *r)
{
	return levy_q(d, gsl_rng_uniform_pos(r));
}

static double
levy_cdf(const mc_dist *d, unsigned col, double x)
{
	return x <= d->v[0] ? 0 :
	    2 * gsl_cdf_ugaussian_Q(sqrt(d->v[1] / (x - d->v[0])));
}

/* stable: alpha, beta, scale, location (GSL's Levy skew alpha-stable) */
static double
stable_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[3] + gsl_ran_levy_skew(r, d->v[2], d->v[0], d->v[1]);
}

/* exppow: location, scale, shape */
static double
exppow_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[0] + gsl_ran_exppow(r, d->v[1], d->v[2]);
}

static double
exppow_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_exppow_P(x - d->v[0], d->v[1], d->v[2]);
}

/* landau: no parameters */
static double
landau_draw(const mc_dist *d, gsl_rng *r)
{
	return gsl_ran_landau(r);
}

/*
 * GSL's tail samplers square their bound: beyond 1e150 that overflows
 * (GSL's gaussian tail then never returns, its Rayleigh tail returns
 * inf), so there the same algorithms run with hypot.
 */
#define SQUARE_SAFE 1e150

/* gaussian-tail: a, sd (the normal of mean 0 beyond a); Marsaglia's
 * tail method above 1 sd */
static double
gtail_draw(const mc_dist *d, gsl_rng *r)
{
	double s = d->v[0] / d->v[1], u, v, x;

	if (s <= SQUARE_SAFE)
		return gsl_ran_gaussian_tail(r, d->v[0], d->v[1]);
	do {
		u = gsl_rng_uniform(r);
		v = gsl_rng_uniform_pos(r);
		x = hypot(s, sqrt(-2 * log(v)));
	} while (x * u > s);
	return x * d->v[1];
}

static double
gtail_cdf(const mc_dist *d, unsigned col, double x)
{
	double qa = gsl_cdf_ugaussian_Q(d->v[0] / d->v[1]);

	return x <= d->v[0] ? 0 :
	    (qa - gsl_cdf_ugaussian_Q(x / d->v[1])) / qa;
}

/* rayleigh-tail: a, scale; sqrt(a^2 - 2 scale^2 log u) */
static double
rtail_draw(const mc_dist *d, gsl_rng *r)
{
	if (d->v[0] <= SQUARE_SAFE && d->v[1] <= SQUARE_SAFE)
		return gsl_ran_rayleigh_tail(r, d->v[0], d->v[1]);
	return hypot(d->v[0], d->v[1] *
	    sqrt(-2 * log(gsl_rng_uniform_pos(r))));
}

/* 1 - exp(-(x^2 - a^2) / (2 scale^2)), scaled first so nothing overflows. */
static double
rtail_cdf(const mc_dist *d, unsigned col, double x)
{
	double a = d->v[0], s = d->v[1];

	return x <= a ? 0 : -expm1((a - x) / s * ((a + x) / s) / 2);
}

/*
 * vonmises: mu, kappa, by Best and Fisher's (1979) rejection from a
 * wrapped Cauchy.  rho is written so that it does not cancel for small
 * kappa.  The angle is in
 * [-pi, pi] around mu.
 */
static double
vonmises_draw(const mc_dist *d, gsl_rng *r)
{
	double k = d->v[1], s, tau, rho, rr, z, f, c, u;

	/* Below 1e-300 the density differs from 1/(2 pi) by less than that. */
	if (k < 1e-300)
		return d->v[0] + M_PI * (2 * gsl_rng_uniform(r) - 1);
	s = sqrt(1 + 4 * k * k);
	tau = 1 + s;
	rho = 2 * k * tau / ((s + 1) * (tau + sqrt(2 * tau)));
	rr = (1 + rho * rho) / (2 * rho);
	for (;;) {
		z = cos(M_PI * gsl_rng_uniform(r));
		f = (1 + rr * z) / (rr + z);
		c = k * (rr - f);
		u = gsl_rng_uniform_pos(r);
		if (c * (2 - c) - u > 0 || log(c / u) + 1 - c >= 0)
			break;
	}
	f = acos(fmax(-1, fmin(1, f)));
	return d->v[0] + (gsl_rng_uniform(r) < 0.5 ? -f : f);
}

/* integers: min, max (both included) */
static double
integers_draw(const mc_dist *d, gsl_rng *r)
{
	return d->v[0] + uniform_whole(r, d->v[1] - d->v[0] + 1);
}

static double
integers_q(const mc_dist *d, double u)
{
	double n = d->v[1] - d->v[0] + 1;

	return d->v[0] + fmin(floor(u * n), n - 1);
}

static double
integers_cdf(const mc_dist *d, unsigned col, double x)
{
	double n = d->v[1] - d->v[0] + 1;

	return x < d->v[0] ? 0 : x >= d->v[1] ? 1 :
	    (floor(x) - d->v[0] + 1) / n;
}

static int
integers_check(mc_dist *d, mc_err *err)
{
	if (!(d->v[0] <= d->v[1]))
		return mc_err_set(err, EX_USAGE, "integers: expected min <= "
		    "max");
	return 0;
}

/* bernoulli: prob */
static double
bernoulli_draw(const mc_dist *d, gsl_rng *r)
{
	return gsl_ran_bernoulli(r, d->v[0]);
}

static double
bernoulli_q(const mc_dist *d, double u)
{
	return u <= 1 - d->v[0] ? 0 : 1;
}

static double
bernoulli_cdf(const mc_dist *d, unsigned col, double x)
{
	return x < 0 ? 0 : x < 1 ? 1 - d->v[0] : 1;
}

/* binomial: size, prob */
static double
binomial_draw(const mc_dist *d, gsl_rng *r)
{
	return binomial_any(r, d->v[1], d->v[0]);
}

/*
 * P(X <= k) = I_{1-p}(n-k, k+1) = 1 - I_p(k+1, n-k).  GSL's incomplete
 * beta loses digits as n grows (1e-7 at 1e8, 4e-4 at 1e12): NAN above
 * n = 1e7.
 */
static double
binom_cdf(double n, double p, double x)
{
	double k = floor(x);

	if (n > 1e7)
		return NAN;
	return x < 0 ? 0 : k >= n ? 1 : gsl_cdf_beta_Q(p, k + 1, n - k);
}

static double
binomial_cdf(const mc_dist *d, unsigned col, double x)
{
	return binom_cdf(d->v[0], d->v[1], x);
}

/*
 * negative-binomial: size, prob.  A Poisson count whose mean is
 * Gamma(size) (1-prob)/prob, as GSL draws it, with a Poisson sampler
 * that takes any mean.
 */
static double
nbinom_draw(const mc_dist *d, gsl_rng *r)
{
	double p = d->v[1];

	return poisson_any(r, gsl_ran_gamma(r, d->v[0], 1.0) * (1 - p) / p);
}

/* P(X <= k) = I_p(size, k+1); checked to size 1e6 and mean 1e7. */
static double
nbinom_cdf(const mc_dist *d, unsigned col, double x)
{
	double p = d->v[1];

	if (d->v[0] > 1e6 || d->v[0] * (1 - p) / p > 1e7)
		return NAN;
	return x < 0 ? 0 : gsl_cdf_beta_P(p, d->v[0], floor(x) + 1);
}

static int
nbinom_check(mc_dist *d, mc_err *err)
{
	double mean = d->v[0] * (1 - d->v[1]) / d->v[1];
	char buf[MC_FMT_DBL];

	mc_fmt_double(buf, mean);
	if (mean > MC_DIST_MAXMEAN)
		return mc_err_set(err, EX_USAGE, "negative-binomial: the mean "
		    "size*(1-prob)/prob is %s, above 1e15 (counts would pass "
		    "2^53, where doubles skip whole numbers)", buf);
	return 0;
}

/*
 * geometric: prob; failures before the first success, 0, 1, ...  By
 * inversion, P(X >= k) = (1-prob)^k, in doubles, so that no count
 * overflows (GSL's returns an unsigned int).
 */
static double
geometric_draw(const mc_dist *d, gsl_rng *r)
{
	double u = gsl_rng_uniform_pos(r);

	return d->v[0] == 1 ? 0 : floor(log(u) / log1p(-d->v[0]));
}

static double
geometric_q(const mc_dist *d, double u)
{
	return d->v[0] == 1 ? 0 :
	    fmax(0, ceil(log1p(-u) / log1p(-d->v[0])) - 1);
}

static double
geometric_cdf(const mc_dist *d, unsigned col, double x)
{
	return x < 0 ? 0 : -expm1((floor(x) + 1) * log1p(-d->v[0]));
}

/* hypergeometric: m, n, k */
static double
hyper_draw(const mc_dist *d, gsl_rng *r)
{
	return hyper_any(r, d->v[0], d->v[1], d->v[2]);
}

static double
hyper_cdf(const mc_dist *d, unsigned col, double x)
{
	const double *v = d->v;

	if (x < 0)
		return 0;
	if (x >= fmin(v[0], v[2]))
		return 1;
	/* GSL sums the probabilities up to x: checked and quick to 1e7. */
	if (v[0] + v[1] > 1e7)
		return NAN;
	return gsl_cdf_hypergeometric_P((unsigned)x, (unsigned)v[0],
	    (unsigned)v[1], (unsigned)v[2]);
}

static int
hyper_check(mc_dist *d, mc_err *err)
{
	if (d->v[0] + d->v[1] > MC_DIST_WHOLE_MAX)
		return mc_err_set(err, EX_USAGE, "hypergeometric: expected "
		    "m+n <= 2^53");
	if (d->v[2] > d->v[0] + d->v[1])
		return mc_err_set(err, EX_USAGE, "hypergeometric: expected k "
		    "<= m+n (k balls drawn from m white and n black)");
	return 0;
}

/*
 * logarithmic: theta; P(X = k) = -theta^k / (k log(1-theta)), k >= 1.
 * Kemp's (1981) LK algorithm, in doubles with log1p and expm1 so that
 * theta near 1 neither overflows a count nor loses digits.
 */
static double
logarithmic_draw(const mc_dist *d, gsl_rng *r)
{
	double theta = d->v[0], v = gsl_rng_uniform_pos(r), q;

	if (v >= theta)
		return 1;
	q = -expm1(log1p(-theta) * gsl_rng_uniform_pos(r));
	if (v <= q * q)
		return floor(1 + log(v) / log(q));
	return v <= q ? 2 : 1;
}

/* The sum of the probabilities up to x; NAN if that takes over 1e7 terms. */
static double
logarithmic_cdf(const mc_dist *d, unsigned col, double x)
{
	double theta = d->v[0], c = -1 / log1p(-theta), t = 1, s = 0, k;

	if (x < 1)
		return 0;
	for (k = 1; k <= floor(x); k++) {
		t *= theta;
		s += c * t / k;
		if (c * t * theta / (k + 1) / (1 - theta) < 1e-17 * s)
			return fmin(s, 1);
		if (k > 1e7)
			return NAN;
	}
	return fmin(s, 1);
}

/* categorical: prob (weights); categories 1 .. K */
static double
categorical_draw(const mc_dist *d, gsl_rng *r)
{
	return 1 + (double)gsl_ran_discrete(r, d->alias);
}

static double
categorical_q(const mc_dist *d, double u)
{
	size_t lo = 0, hi = d->nlist - 1, mid;

	/* The first k whose running sum reaches u. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->acc[mid] >= u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (double)lo + 1;
}

static double
categorical_cdf(const mc_dist *d, unsigned col, double x)
{
	return x < 1 ? 0 : x >= (double)d->nlist ? 1 :
	    d->acc[(size_t)x - 1];
}

/* Checks weights: finite, >= 0, some above 0.  Returns their sum or -1. */
static double
weights_sum(const mc_dist *d, const char *dist, mc_err *err)
{
	double s = 0;
	size_t k;

	for (k = 0; k < d->nlist; k++)
		s += d->list[k];
	if (!(s > 0) || !isfinite(s)) {
		mc_err_set(err, EX_USAGE, "%s: expected weights in prob= with "
		    "a positive, finite sum", dist);
		return -1;
	}
	return s;
}

static int
categorical_check(mc_dist *d, mc_err *err)
{
	double s = weights_sum(d, "categorical", err), run = 0;
	size_t k;

	if (s < 0)
		return err->status;
	d->acc = malloc(d->nlist * sizeof(*d->acc));
	d->alias = gsl_ran_discrete_preproc(d->nlist, d->list);
	if (d->acc == NULL || d->alias == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (k = 0; k < d->nlist; k++) {
		run += d->list[k];
		d->acc[k] = k + 1 == d->nlist ? 1 : run / s;
	}
	return 0;
}

/*
 * multinomial: size, prob.  Category k by Binomial(left, p_k / the
 * weight of k and the categories after it), d->acc holding those sums,
 * so the last category takes all that is left.
 */
static void
multinomial_row(const mc_dist *d, gsl_rng *r, double *x)
{
	double left = d->v[0];
	size_t k;

	for (k = 0; k < d->nlist; k++) {
		x[k] = 0;
		if (d->list[k] > 0 && left > 0)
			x[k] = binomial_any(r, fmin(1, d->list[k] / d->acc[k]),
			    left);
		left -= x[k];
	}
}

static double
multinomial_cdf(const mc_dist *d, unsigned col, double x)
{
	return binom_cdf(d->v[0], d->list[col] / d->acc[0], x);
}

static int
multinomial_check(mc_dist *d, mc_err *err)
{
	size_t k;

	if (weights_sum(d, "multinomial", err) < 0)
		return err->status;
	if ((d->acc = malloc(d->nlist * sizeof(*d->acc))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (k = d->nlist; k-- > 0;)
		d->acc[k] = d->list[k] + (k + 1 < d->nlist ? d->acc[k + 1] : 0);
	return 0;
}

/* dirichlet: alpha */
static void
dirichlet_row(const mc_dist *d, gsl_rng *r, double *x)
{
	gsl_ran_dirichlet(r, d->nlist, d->list, x);
}

static double
dirichlet_cdf(const mc_dist *d, unsigned col, double x)
{
	double a = d->list[col], a0 = 0;
	size_t k;

	for (k = 0; k < d->nlist; k++)
		a0 += d->list[k];
	if (d->nlist == 1)
		return x >= 1;
	return gsl_cdf_beta_P(x, a, a0 - a);
}

/* mvt: df, location, scale, rho: location + scale L z / sqrt(W / df) */
static void
mvt_row(const mc_dist *d, gsl_rng *r, double *x)
{
	unsigned k;
	double w;

	for (k = 0; k < d->dim; k++)
		x[k] = gsl_ran_gaussian_ziggurat(r, 1);
	w = gsl_ran_chisq(r, d->v[0]);
	correlate(d, x, d->v[1], d->v[2] * sqrt(d->v[0] / w));
}

static double
mvt_cdf(const mc_dist *d, unsigned col, double x)
{
	return gsl_cdf_tdist_P((x - d->v[1]) / d->v[2], d->v[0]);
}

/* sphere: a direction uniform on the unit sphere in dim dimensions */
static void
sphere_row(const mc_dist *d, gsl_rng *r, double *x)
{
	gsl_ran_dir_nd(r, d->dim, x);
}

/* A coordinate's (x+1)/2 is Beta((dim-1)/2, (dim-1)/2). */
static double
sphere_cdf(const mc_dist *d, unsigned col, double x)
{
	double h = (d->dim - 1) / 2.0;

	if (d->dim == 1)
		return x < -1 ? 0 : x < 1 ? 0.5 : 1;
	return gsl_cdf_beta_P((x + 1) / 2, h, h);
}

/* ---- The table -------------------------------------------------------- */

#define ANY -INFINITY, INFINITY, 0, 0, MC_PARAM_REAL
#define POS 0, INFINITY, 1, 0, MC_PARAM_REAL
#define NONNEG 0, INFINITY, 0, 0, MC_PARAM_REAL
#define PROB 0, 1, 0, 0, MC_PARAM_REAL
#define CORR -1, 1, 1, 1, MC_PARAM_REAL
#define WHOLE 0, MC_DIST_WHOLE_MAX, 0, 0, MC_PARAM_WHOLE
#define INT -MC_DIST_WHOLE_MAX, MC_DIST_WHOLE_MAX, 0, 0, MC_PARAM_WHOLE
#define WEIGHTS NAN, 0, INFINITY, 0, 0, MC_PARAM_LIST
#define RECIP(name) {name, 1, 0, INFINITY, 1, 0, MC_PARAM_RECIP}
#define REQ NAN
/* The smallest prob (and 1 - the largest theta) whose counts stay exact. */
#define TAIL 1e-14
/*
 * Degrees of freedom of t, f and mvt from 0.1: below, their chi-square
 * underflows to 0 often enough to give inf where the value is finite
 * (and 0/0 for f); at 0.1 that takes a uniform below 1e-15.
 */
#define DF 0.1, INFINITY, 0, 0, MC_PARAM_REAL

#define LOC_SCALE {"location", 0, ANY}, {"scale", 1, POS}

const mc_dist_type mc_dist_types[] = {
	{"uniform", NULL, 0, {{"a", 0, ANY}, {"b", 1, ANY}},
	    "(a+b)/2", "(b-a)^2/12",
	    uniform_draw, NULL, NULL, uniform_q, uniform_cdf, uniform_check},
	{"normal", NULL, 0, {{"mean", 0, ANY}, {"sd", 1, POS}},
	    "mean", "sd^2",
	    normal_draw, NULL, NULL, normal_q, normal_cdf, NULL},
	{"lognormal", NULL, 0, {{"meanlog", 0, ANY}, {"sdlog", 1, POS}},
	    "exp(meanlog+sdlog^2/2)", "(exp(sdlog^2)-1)*exp(2*meanlog+sdlog^2)",
	    lognormal_draw, NULL, NULL, lognormal_q, lognormal_cdf, NULL},
	{"exponential", NULL, 0, {{"mean", 1, POS}, RECIP("rate")},
	    "mean", "mean^2",
	    exponential_draw, NULL, NULL, exponential_q, exponential_cdf,
	    NULL},
	{"gamma", NULL, 0, {{"shape", 1, POS}, {"scale", 1, POS},
	    RECIP("rate")},
	    "shape*scale", "shape*scale^2",
	    gamma_draw, NULL, NULL, gamma_q, gamma_cdf, NULL},
	{"beta", NULL, 0, {{"a", 1, POS}, {"b", 1, POS}},
	    "a/(a+b)", "a*b/((a+b)^2*(a+b+1))",
	    beta_draw, NULL, NULL, beta_q, beta_cdf, NULL},
	{"student-t", "t", 0, {{"df", REQ, DF}},
	    "0 if df > 1", "df/(df-2) if df > 2",
	    t_draw, NULL, NULL, t_q, t_cdf, NULL},
	{"poisson", NULL, MC_DIST_WHOLE,
	    {{"mean", 1, 0, MC_DIST_MAXMEAN, 1, 0, MC_PARAM_REAL}},
	    "mean", "mean",
	    poisson_draw, NULL, NULL, NULL, poisson_cdf, NULL},
	{"mvnormal", NULL, MC_DIST_VECTOR | MC_DIST_CORR,
	    {{"mean", 0, ANY}, {"sd", 1, POS}, {"rho", 0, CORR}},
	    "mean", "sd^2",
	    std_normal_draw, NULL, mvnormal_finish, std_normal_q, normal_cdf,
	    NULL},
	{"chisq", "chi-square", 0, {{"df", REQ, POS}},
	    "df", "2*df",
	    chisq_draw, NULL, NULL, chisq_q, chisq_cdf, NULL},
	{"f", "fdist", 0, {{"df1", REQ, DF}, {"df2", REQ, DF}},
	    "df2/(df2-2) if df2 > 2",
	    "2*df2^2*(df1+df2-2)/(df1*(df2-2)^2*(df2-4)) if df2 > 4",
	    f_draw, NULL, NULL, f_q, f_cdf, NULL},
	{"cauchy", NULL, 0, {LOC_SCALE}, NULL, NULL,
	    cauchy_draw, NULL, NULL, cauchy_q, cauchy_cdf, NULL},
	{"laplace", NULL, 0, {LOC_SCALE}, "location", "2*scale^2",
	    laplace_draw, NULL, NULL, laplace_q, laplace_cdf, NULL},
	{"logistic", NULL, 0, {LOC_SCALE}, "location", "pi^2*scale^2/3",
	    logistic_draw, NULL, NULL, logistic_q, logistic_cdf, NULL},
	{"gumbel", "gumbel1", 0, {LOC_SCALE},
	    "location+euler*scale", "pi^2*scale^2/6",
	    gumbel_draw, NULL, NULL, gumbel_q, gumbel_cdf, NULL},
	{"frechet", "gumbel2", 0, {LOC_SCALE, {"shape", 1, POS}},
	    "location+scale*gamma(1-1/shape) if shape > 1",
	    "scale^2*(gamma(1-2/shape)-gamma(1-1/shape)^2) if shape > 2",
	    frechet_draw, NULL, NULL, frechet_q, frechet_cdf, NULL},
	{"weibull", NULL, 0, {{"shape", REQ, POS}, {"scale", 1, POS}},
	    "scale*gamma(1+1/shape)",
	    "scale^2*(gamma(1+2/shape)-gamma(1+1/shape)^2)",
	    weibull_draw, NULL, NULL, weibull_q, weibull_cdf, NULL},
	{"pareto", NULL, 0, {{"shape", REQ, POS}, {"min", 1, POS}},
	    "shape*min/(shape-1) if shape > 1",
	    "shape*min^2/((shape-1)^2*(shape-2)) if shape > 2",
	    pareto_draw, NULL, NULL, pareto_q, pareto_cdf, NULL},
	{"rayleigh", NULL, 0, {{"scale", 1, POS}},
	    "scale*sqrt(pi/2)", "(4-pi)/2*scale^2",
	    rayleigh_draw, NULL, NULL, rayleigh_q, rayleigh_cdf, NULL},
	{"levy", NULL, 0, {LOC_SCALE}, NULL, NULL,
	    levy_draw, NULL, NULL, levy_q, levy_cdf, NULL},
	{"stable", NULL, 0, {{"alpha", REQ, 0.1, 2, 0, 0, MC_PARAM_REAL},
	    {"beta", 0, -1, 1, 0, 0, MC_PARAM_REAL}, {"scale", 1, POS},
	    {"location", 0, ANY}},
	    "location if alpha > 1", "2*scale^2 if alpha = 2",
	    stable_draw, NULL, NULL, NULL, NULL, NULL},
	{"exppow", NULL, 0, {LOC_SCALE, {"shape", 2, POS}},
	    "location", "scale^2*gamma(3/shape)/gamma(1/shape)",
	    exppow_draw, NULL, NULL, NULL, exppow_cdf, NULL},
	{"landau", NULL, 0, {{NULL, 0, ANY}}, NULL, NULL,
	    landau_draw, NULL, NULL, NULL, NULL, NULL},
	{"gaussian-tail", NULL, 0, {{"a", REQ, ANY}, {"sd", 1, POS}},
	    "sd*dnorm(a/sd)/pnorm(-a/sd)", "sd^2+a*mean-mean^2",
	    gtail_draw, NULL, NULL, NULL, gtail_cdf, NULL},
	{"rayleigh-tail", NULL, 0, {{"a", REQ, NONNEG}, {"scale", 1, POS}},
	    "a+scale*sqrt(pi/2)*exp(a^2/(2*scale^2))*erfc(a/(scale*sqrt(2)))",
	    "a^2+2*scale^2-mean^2",
	    rtail_draw, NULL, NULL, NULL, rtail_cdf, NULL},
	{"vonmises", NULL, 0, {{"mu", 0, ANY},
	    {"kappa", 1, 0, 1e6, 0, 0, MC_PARAM_REAL}},
	    "mu", NULL,
	    vonmises_draw, NULL, NULL, NULL, NULL, NULL},
	{"integers", NULL, MC_DIST_WHOLE, {{"min", 0, INT}, {"max", REQ, INT}},
	    "(min+max)/2", "((max-min+1)^2-1)/12",
	    integers_draw, NULL, NULL, integers_q, integers_cdf,
	    integers_check},
	{"bernoulli", NULL, MC_DIST_WHOLE, {{"prob", 0.5, PROB}},
	    "prob", "prob*(1-prob)",
	    bernoulli_draw, NULL, NULL, bernoulli_q, bernoulli_cdf, NULL},
	{"binomial", NULL, MC_DIST_WHOLE, {{"size", REQ, WHOLE},
	    {"prob", 0.5, PROB}},
	    "size*prob", "size*prob*(1-prob)",
	    binomial_draw, NULL, NULL, NULL, binomial_cdf, NULL},
	{"negative-binomial", "nbinom", MC_DIST_WHOLE,
	    {{"size", REQ, POS}, {"prob", 0.5, TAIL, 1, 0, 0, MC_PARAM_REAL}},
	    "size*(1-prob)/prob", "size*(1-prob)/prob^2",
	    nbinom_draw, NULL, NULL, NULL, nbinom_cdf, nbinom_check},
	{"geometric", NULL, MC_DIST_WHOLE,
	    {{"prob", 0.5, TAIL, 1, 0, 0, MC_PARAM_REAL}},
	    "(1-prob)/prob", "(1-prob)/prob^2",
	    geometric_draw, NULL, NULL, geometric_q, geometric_cdf, NULL},
	{"hypergeometric", NULL, MC_DIST_WHOLE, {{"m", REQ, WHOLE},
	    {"n", REQ, WHOLE}, {"k", REQ, WHOLE}},
	    "k*m/(m+n)", "k*m*n*(m+n-k)/((m+n)^2*(m+n-1))",
	    hyper_draw, NULL, NULL, NULL, hyper_cdf, hyper_check},
	{"logarithmic", NULL, MC_DIST_WHOLE,
	    {{"theta", REQ, 0, 1 - TAIL, 1, 0, MC_PARAM_REAL}},
	    "-theta/((1-theta)*log(1-theta))",
	    "-theta*(theta+log(1-theta))/((1-theta)^2*log(1-theta)^2)",
	    logarithmic_draw, NULL, NULL, NULL, logarithmic_cdf, NULL},
	{"categorical", "discrete", MC_DIST_WHOLE, {{"prob", WEIGHTS}},
	    "sum(k*p_k)", "sum(k^2*p_k)-mean^2",
	    categorical_draw, NULL, NULL, categorical_q, categorical_cdf,
	    categorical_check},
	{"multinomial", NULL, MC_DIST_WHOLE | MC_DIST_VECTOR | MC_DIST_LISTDIM,
	    {{"size", REQ, WHOLE}, {"prob", WEIGHTS}},
	    "size*p_k", "size*p_k*(1-p_k)",
	    NULL, multinomial_row, NULL, NULL, multinomial_cdf,
	    multinomial_check},
	{"dirichlet", NULL, MC_DIST_VECTOR | MC_DIST_LISTDIM,
	    {{"alpha", NAN, 0, INFINITY, 1, 0, MC_PARAM_LIST}},
	    "alpha_k/alpha_0", "alpha_k*(alpha_0-alpha_k)/(alpha_0^2*(alpha_0+1))",
	    NULL, dirichlet_row, NULL, NULL, dirichlet_cdf, NULL},
	{"mvt", NULL, MC_DIST_VECTOR | MC_DIST_CORR, {{"df", REQ, DF},
	    LOC_SCALE, {"rho", 0, CORR}},
	    "location if df > 1", "scale^2*df/(df-2) if df > 2",
	    NULL, mvt_row, NULL, NULL, mvt_cdf, NULL},
	{"sphere", "dir", MC_DIST_VECTOR, {{NULL, 0, ANY}},
	    "0", "1/d",
	    NULL, sphere_row, NULL, NULL, sphere_cdf, NULL},
};
const size_t mc_dist_ntypes = sizeof(mc_dist_types) / sizeof(mc_dist_types[0]);

/* ---- Parameters ------------------------------------------------------- */

const mc_dist_type *
mc_dist_find(const char *name)
{
	size_t k;

	for (k = 0; k < mc_dist_ntypes; k++)
		if (strcmp(mc_dist_types[k].name, name) == 0 ||
		    (mc_dist_types[k].alias != NULL &&
		    strcmp(mc_dist_types[k].alias, name) == 0))
			return &mc_dist_types[k];
	return NULL;
}

void
mc_dist_names(char *buf, size_t size)
{
	size_t k, len = 0;

	buf[0] = '\0';
	for (k = 0; k < mc_dist_ntypes && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    k ? ", " : "", mc_dist_types[k].name);
}

/* The index of parameter name of type t, or -1. */
static int
param_index(const mc_dist_type *t, const char *name)
{
	int k;

	for (k = 0; t->p[k].name != NULL; k++)
		if (strcmp(t->p[k].name, name) == 0)
			return k;
	return -1;
}

/* Parses a list of numbers split by ',' into d->list, each in p's range. */
static int
parse_list(mc_dist *d, const mc_dist_param *p, const char *s, mc_err *err)
{
	size_t n = 1, k;
	const char *end;
	char num[64], q[64];
	int rc;

	for (end = s; *end; end++)
		n += *end == ',';
	if ((d->list = malloc(n * sizeof(*d->list))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	d->nlist = n;
	for (k = 0; k < n; k++, s = end + 1) {
		end = s + strcspn(s, ",");
		if ((size_t)(end - s) >= sizeof(num))
			return mc_err_set(err, EX_USAGE, "%s: expected a number, "
			    "got %s", p->name, mc_err_quote(q, sizeof(q), s));
		memcpy(num, s, (size_t)(end - s));
		num[end - s] = '\0';
		if ((rc = mc_opt_real(num, p->lo, p->lo_open, p->hi,
		    p->hi_open, &d->list[k], err)) != 0)
			return mc_err_prefix(err, p->name);
	}
	if (n > MC_DIST_MAXDIM && (d->type->flags & MC_DIST_LISTDIM))
		return mc_err_set(err, EX_USAGE, "%s: at most %d numbers (one "
		    "a column), got %zu", p->name, MC_DIST_MAXDIM, n);
	return 0;
}

/* Parses one value for parameter k of d's type. */
static int
parse_value(mc_dist *d, int k, const char *s, mc_err *err)
{
	const mc_dist_param *p = &d->type->p[k];
	char q[64];
	int rc;

	if (p->kind == MC_PARAM_LIST)
		return parse_list(d, p, s, err);
	if ((rc = mc_opt_real(s, p->lo, p->lo_open, p->hi,
	    p->hi_open, &d->v[k], err)) != 0)
		return mc_err_prefix(err, p->name);
	if (p->kind == MC_PARAM_WHOLE && d->v[k] != floor(d->v[k]))
		return mc_err_set(err, EX_USAGE, "%s: expected a whole number, "
		    "got %s", p->name, mc_err_quote(q, sizeof(q), s));
	return 0;
}

/* Parses one PARAM=VALUE word. */
static int
parse_word(mc_dist *d, const char *word, const char *names, mc_err *err)
{
	const mc_dist_type *t = d->type;
	const char *eq = strchr(word, '=');
	char name[64], q[64];
	int k;

	if (eq == NULL || eq == word || (size_t)(eq - word) >= sizeof(name))
		return mc_err_set(err, EX_USAGE, "expected PARAM=VALUE after "
		    "%s, got %s", t->name, mc_err_quote(q, sizeof(q), word));
	memcpy(name, word, (size_t)(eq - word));
	name[eq - word] = '\0';
	if ((k = param_index(t, name)) < 0)
		return mc_err_set(err, EX_USAGE, "%s: unknown parameter %s (%s "
		    "takes %s)", t->name, mc_err_quote(q, sizeof(q), name),
		    t->name, names);
	if (d->given[k])
		return mc_err_set(err, EX_USAGE, "%s: given twice", name);
	d->given[k] = 1;
	return parse_value(d, k, eq + 1, err);
}

/* Defaults, then reciprocal alternatives and required parameters. */
static int
settle(mc_dist *d, mc_err *err)
{
	const mc_dist_type *t = d->type;
	int k;

	for (k = 0; t->p[k].name != NULL; k++) {
		if (t->p[k].kind != MC_PARAM_RECIP || !d->given[k])
			continue;
		if (d->given[k - 1])
			return mc_err_set(err, EX_USAGE, "%s: give %s or %s, not "
			    "both", t->name, t->p[k - 1].name, t->p[k].name);
		d->v[k - 1] = 1 / d->v[k];
	}
	for (k = 0; t->p[k].name != NULL; k++)
		if (isnan(d->v[k]) && !(t->p[k].kind == MC_PARAM_LIST &&
		    d->given[k]))
			return mc_err_set(err, EX_USAGE, "%s: %s=VALUE is "
			    "required", t->name, t->p[k].name);
	return t->check != NULL ? t->check(d, err) : 0;
}

mc_dist *
mc_dist_alloc(const mc_dist_type *t, char *const *words, int nwords,
    mc_err *err)
{
	char names[256] = "";
	mc_dist *d;
	int i, k, rc = 0;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	d->type = t;
	d->dim = 1;
	for (k = 0; t->p[k].name != NULL; k++) {
		d->v[k] = t->p[k].def;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", k ? ", " : "", t->p[k].name);
	}
	if (k == 0)
		strcpy(names, "none");
	for (i = 0; i < nwords && rc == 0; i++)
		rc = parse_word(d, words[i], names, err);
	if (rc == 0)
		rc = settle(d, err);
	if (rc != 0) {
		mc_dist_free(d);
		return NULL;
	}
	return d;
}

void
mc_dist_free(mc_dist *d)
{
	if (d == NULL)
		return;
	free(d->list);
	free(d->acc);
	free(d->chol);
	if (d->alias != NULL)
		gsl_ran_discrete_free(d->alias);
	free(d);
}

/* ---- Columns and correlation ------------------------------------------ */

/*
 * Keeps the lower Cholesky factor of the dim x dim correlation c.
 * Returns 0, 1 when c is not positive definite, or EX_OSERR.
 */
static int
set_chol(mc_dist *d, const double *c, unsigned dim, mc_err *err)
{
	gsl_matrix_view mv;
	unsigned a, b;

	free(d->chol);
	if ((d->chol = malloc((size_t)dim * dim * sizeof(*d->chol))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	memcpy(d->chol, c, (size_t)dim * dim * sizeof(*c));
	mv = gsl_matrix_view_array(d->chol, dim, dim);
	if (gsl_linalg_cholesky_decomp1(&mv.matrix) != 0)
		return 1;
	for (a = 0; a < dim; a++)
		for (b = a + 1; b < dim; b++)
			d->chol[a * dim + b] = 0;
	return 0;
}

/* rho=: the same correlation between every two of dim columns. */
static int
equicorr(mc_dist *d, double rho, unsigned dim, mc_err *err)
{
	char buf[MC_FMT_DBL];
	unsigned a, b;
	double *c;
	int rc;

	if (dim < 2)
		return mc_err_set(err, EX_USAGE, "%s: rho= needs 2 or more "
		    "columns", d->type->name);
	if ((c = malloc((size_t)dim * dim * sizeof(*c))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (a = 0; a < dim; a++)
		for (b = 0; b < dim; b++)
			c[a * dim + b] = a == b ? 1 : rho;
	rc = set_chol(d, c, dim, err);
	free(c);
	mc_fmt_double(buf, rho);
	if (rc == 1)
		return mc_err_set(err, EX_USAGE, "rho: %s is no correlation "
		    "between every two of %u columns (it needs rho > "
		    "-1/(d-1))", buf, dim);
	return rc;
}

/* The name of type t's list parameter, or NULL. */
static const char *
list_name(const mc_dist_type *t)
{
	int k;

	for (k = 0; t->p[k].name != NULL; k++)
		if (t->p[k].kind == MC_PARAM_LIST)
			return t->p[k].name;
	return NULL;
}

int
mc_dist_set_dim(mc_dist *d, unsigned dim, const double *c, mc_err *err)
{
	const mc_dist_type *t = d->type;
	unsigned fixed = mc_dist_fixed_dim(d);
	int rc;

	if (fixed != 0 && dim != fixed)
		return mc_err_set(err, EX_USAGE, "%s: %s= has %u numbers, one a "
		    "column, but %u columns were asked for", t->name,
		    list_name(t), fixed, dim);
	d->dim = dim;
	if (c != NULL && !(t->flags & MC_DIST_CORR))
		return mc_err_set(err, EX_USAGE, "%s: takes no correlation "
		    "matrix", t->name);
	if (c != NULL && mc_dist_given(d, "rho"))
		return mc_err_set(err, EX_USAGE, "%s: give a correlation matrix "
		    "or rho=, not both", t->name);
	if (c != NULL) {
		rc = set_chol(d, c, dim, err);
		return rc != 1 ? rc : mc_err_set(err, EX_USAGE, "not a "
		    "correlation matrix (not positive definite)");
	}
	if (mc_dist_given(d, "rho"))
		return equicorr(d, mc_dist_get(d, "rho"), dim, err);
	return 0;
}

/* ---- Access and drawing ----------------------------------------------- */

const mc_dist_type *
mc_dist_typeof(const mc_dist *d)
{
	return d->type;
}

unsigned
mc_dist_dim(const mc_dist *d)
{
	return d->dim;
}

unsigned
mc_dist_fixed_dim(const mc_dist *d)
{
	return (d->type->flags & MC_DIST_LISTDIM) ? (unsigned)d->nlist : 0;
}

double
mc_dist_get(const mc_dist *d, const char *name)
{
	int k = param_index(d->type, name);

	if (k < 0)
		return NAN;
	return d->type->p[k].kind == MC_PARAM_LIST ? (double)d->nlist :
	    d->v[k];
}

int
mc_dist_given(const mc_dist *d, const char *name)
{
	int k = param_index(d->type, name);

	return k >= 0 && d->given[k];
}

const double *
mc_dist_list(const mc_dist *d, size_t *n)
{
	*n = d->nlist;
	return d->list;
}

void
mc_dist_row(const mc_dist *d, gsl_rng *r, double *x)
{
	const mc_dist_type *t = d->type;
	unsigned k;

	if (t->row != NULL) {
		t->row(d, r, x);
		return;
	}
	for (k = 0; k < d->dim; k++)
		x[k] = t->draw(d, r);
	if (t->finish != NULL)
		t->finish(d, x);
}

int
mc_dist_has_quantile(const mc_dist *d)
{
	return d->type->quantile != NULL;
}

void
mc_dist_qrow(const mc_dist *d, const double *u, size_t stride, double *x)
{
	const mc_dist_type *t = d->type;
	unsigned k;

	for (k = 0; k < d->dim; k++)
		x[k] = t->quantile(d, u[k * stride]);
	if (t->finish != NULL)
		t->finish(d, x);
}

double
mc_dist_cdf(const mc_dist *d, unsigned col, double x)
{
	if (d->type->cdf == NULL || col >= d->dim || isnan(x))
		return NAN;
	return d->type->cdf(d, col, x);
}
