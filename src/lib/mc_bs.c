/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Closed forms.  Formulas for barriers and lookbacks follow E. G. Haug,
 * "The Complete Guide to Option Pricing Formulas", 2nd ed., McGraw-Hill
 * 2007 (sections 4.17.1, 4.15.1 and 4.15.2), written with the cost of
 * carry b = r - q.
 */
#include "mc_bs.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>

#include "mc_poisson.h"

static double
N(double x)
{
	return gsl_cdf_ugaussian_P(x);
}

static double
npdf(double x)
{
	return exp(-0.5 * x * x) / sqrt(2 * M_PI);
}

double
mc_bs_mills(double x)
{
	double f = 0;
	int k;

	/* Below 8, exp(x^2 / 2) loses only a few ulps; above, Laplace's
	 * continued fraction x + 1/(x + 2/(x + ...)) has converged within
	 * 40 terms. */
	if (x < 8)
		return sqrt(M_PI / 2) * exp(0.5 * x * x) * erfc(x / M_SQRT2);
	for (k = 40; k >= 1; k--)
		f = k / (x + f);
	return 1 / (x + f);
}

double
mc_bs_price(int put, double S, double K, double T, double r, double q,
    double vol)
{
	double sq = vol * sqrt(T), phi = put ? -1 : 1;
	double d1 = (log(S / K) + (r - q + 0.5 * vol * vol) * T) / sq;
	double d2 = d1 - sq;

	return phi * (S * exp(-q * T) * N(phi * d1) -
	    K * exp(-r * T) * N(phi * d2));
}

void
mc_bs_greeks(int put, double S, double K, double T, double r, double q,
    double vol, mc_greeks *g)
{
	double sq = vol * sqrt(T), phi = put ? -1 : 1;
	double d1 = (log(S / K) + (r - q + 0.5 * vol * vol) * T) / sq;
	double d2 = d1 - sq, eq = exp(-q * T), er = exp(-r * T);

	g->delta = phi * eq * N(phi * d1);
	g->gamma = eq * npdf(d1) / (S * sq);
	g->vega = S * eq * npdf(d1) * sqrt(T);
	g->rho = phi * K * T * er * N(phi * d2);
	g->theta = -S * eq * npdf(d1) * vol / (2 * sqrt(T)) -
	    phi * r * K * er * N(phi * d2) + phi * q * S * eq * N(phi * d1);
}

double
mc_bs_digital(int put, double S, double K, double T, double r, double q,
    double vol, double payout)
{
	double sq = vol * sqrt(T), phi = put ? -1 : 1;
	double d2 = (log(S / K) + (r - q - 0.5 * vol * vol) * T) / sq;

	return payout * exp(-r * T) * N(phi * d2);
}

/*
 * log G = log S + (b - vol^2/2) T (n+1)/(2n) + vol/n sum W(t_i), whose
 * variance is vol^2 T (n+1)(2n+1)/(6n^2).
 */
double
mc_bs_geo_asian(int put, double S, double K, double T, double r, double q,
    double vol, unsigned n)
{
	double nn = n, phi = put ? -1 : 1;
	double mu = log(S) + (r - q - 0.5 * vol * vol) * T * (nn + 1) /
	    (2 * nn);
	double sg = vol * sqrt(T * (nn + 1) * (2 * nn + 1) / (6 * nn * nn));
	double d1 = (mu - log(K) + sg * sg) / sg, d2 = d1 - sg;

	return phi * exp(-r * T) * (exp(mu + 0.5 * sg * sg) * N(phi * d1) -
	    K * N(phi * d2));
}

double
mc_bs_barrier(int put, int down, int out, double S, double K, double H,
    double rebate, double T, double r, double q, double vol)
{
	double b = r - q, v2 = vol * vol, sq = vol * sqrt(T);
	double phi = put ? -1 : 1, eta = down ? 1 : -1;
	double mu = (b - 0.5 * v2) / v2, lam = sqrt(mu * mu + 2 * r / v2);
	double x1 = log(S / K) / sq + (1 + mu) * sq;
	double x2 = log(S / H) / sq + (1 + mu) * sq;
	double y1 = log(H * H / (S * K)) / sq + (1 + mu) * sq;
	double y2 = log(H / S) / sq + (1 + mu) * sq;
	double z = log(H / S) / sq + lam * sq;
	double eb = S * exp((b - r) * T), er = K * exp(-r * T);
	double hs = H / S, p1 = pow(hs, 2 * (mu + 1)), p0 = pow(hs, 2 * mu);
	double A, B, C, D, E, F;
	int above = K > H;

	/* Already beyond the barrier: knocked in or out at once. */
	if ((down && S <= H) || (!down && S >= H))
		return out ? rebate : mc_bs_price(put, S, K, T, r, q, vol);
	A = phi * eb * N(phi * x1) - phi * er * N(phi * x1 - phi * sq);
	B = phi * eb * N(phi * x2) - phi * er * N(phi * x2 - phi * sq);
	C = phi * eb * p1 * N(eta * y1) - phi * er * p0 *
	    N(eta * y1 - eta * sq);
	D = phi * eb * p1 * N(eta * y2) - phi * er * p0 *
	    N(eta * y2 - eta * sq);
	E = rebate * exp(-r * T) * (N(eta * x2 - eta * sq) - p0 *
	    N(eta * y2 - eta * sq));
	F = rebate * (pow(hs, mu + lam) * N(eta * z) + pow(hs, mu - lam) *
	    N(eta * z - 2 * eta * lam * sq));
	if (!out) {
		if (!put && down)
			return above ? C + E : A - B + D + E;
		if (!put)
			return above ? A + E : B - C + D + E;
		if (down)
			return above ? B - C + D + E : A + E;
		return above ? A - B + D + E : C + E;
	}
	if (!put && down)
		return above ? A - C + F : B - D + F;
	if (!put)
		return above ? F : A - B + C - D + F;
	if (down)
		return above ? A - B + C - D + F : F;
	return above ? B - D + F : A - C + F;
}

/*
 * The lookback formulas divide by b; at b = 0 they have a limit, taken
 * here as the mean of b = +h and b = -h, which is within O(h^2) of it.
 */
#define B_SMALL 1e-5

static double
lb_float(int put, double S, double m, double T, double r, double b,
    double vol)
{
	double sq = vol * sqrt(T), v2 = vol * vol;
	double a1 = (log(S / m) + (b + 0.5 * v2) * T) / sq, a2 = a1 - sq;
	double k = S * exp(-r * T) * v2 / (2 * b), pw = pow(S / m, -2 * b / v2);

	if (!put)
		return S * exp((b - r) * T) * N(a1) - m * exp(-r * T) * N(a2) +
		    k * (pw * N(-a1 + 2 * b * sqrt(T) / vol) -
		    exp(b * T) * N(-a1));
	return m * exp(-r * T) * N(-a2) - S * exp((b - r) * T) * N(-a1) +
	    k * (-pw * N(a1 - 2 * b * sqrt(T) / vol) + exp(b * T) * N(a1));
}

double
mc_bs_lookback_float(int put, double S, double m, double T, double r,
    double q, double vol)
{
	double b = r - q;

	if (fabs(b) < B_SMALL)
		return 0.5 * (lb_float(put, S, m, T, r, B_SMALL, vol) +
		    lb_float(put, S, m, T, r, -B_SMALL, vol));
	return lb_float(put, S, m, T, r, b, vol);
}

static double
lb_fixed(int put, double S, double m, double K, double T, double r,
    double b, double vol)
{
	double sq = vol * sqrt(T), v2 = vol * vol, er = exp(-r * T);
	double k = S * er * v2 / (2 * b), eb = S * exp((b - r) * T);
	double c = 2 * b * sqrt(T) / vol, x, d1, pw, base = 0;

	/* Past the strike already: the sure part plus a lookback on m. */
	if (!put) {
		x = K > m ? K : m;
		if (K <= m)
			base = er * (m - K);
		d1 = (log(S / x) + (b + 0.5 * v2) * T) / sq;
		pw = pow(S / x, -2 * b / v2);
		return base + eb * N(d1) - x * er * N(d1 - sq) +
		    k * (-pw * N(d1 - c) + exp(b * T) * N(d1));
	}
	x = K < m ? K : m;
	if (K >= m)
		base = er * (K - m);
	d1 = (log(S / x) + (b + 0.5 * v2) * T) / sq;
	pw = pow(S / x, -2 * b / v2);
	return base - eb * N(-d1) + x * er * N(-d1 + sq) +
	    k * (pw * N(-d1 + c) - exp(b * T) * N(-d1));
}

double
mc_bs_lookback_fixed(int put, double S, double m, double K, double T,
    double r, double q, double vol)
{
	double b = r - q;

	if (fabs(b) < B_SMALL)
		return 0.5 * (lb_fixed(put, S, m, K, T, r, B_SMALL, vol) +
		    lb_fixed(put, S, m, K, T, r, -B_SMALL, vol));
	return lb_fixed(put, S, m, K, T, r, b, vol);
}

/*
 * R. C. Merton, "Option pricing when underlying stock returns are
 * discontinuous", J. Financial Economics 3 (1976): given n jumps the log
 * price is normal, so the value is a Poisson mixture of Black-Scholes
 * values with lambda' = lambda (1 + k), vol_n^2 = vol^2 + n jv^2 / T and
 * r_n = r - lambda k + n log(1 + k) / T.
 */
struct merton {
	int put;
	double S, K, T, r, q, vol, lambda, k, jm, jv, lt;
};

/* The Black-Scholes value given n jumps. */
static double
merton_bs(const struct merton *m, double n)
{
	double vn = sqrt(m->vol * m->vol + n * m->jv * m->jv / m->T);
	double rn = m->r - m->lambda * m->k + n * (m->jm + 0.5 * m->jv *
	    m->jv) / m->T;

	return mc_bs_price(m->put, m->S, m->K, m->T, rn, m->q, vn);
}

/*
 * The series from n = 0 with weights e^-lt lt^n / n! by recurrence in
 * logarithms, for lt where e^-lt does not underflow, until beyond lt the
 * weights are below 1e-18 and the terms below 1e-17 of the sum and
 * falling (a put's terms peak at lambda T, beyond lt when the jumps are
 * large and negative); NaN when that takes over 1000 terms.
 */
static double
merton_from_0(const struct merton *m)
{
	double sum = 0, lw = -m->lt, prev = INFINITY;
	unsigned n;

	for (n = 0; n < 1000; n++) {
		double w = exp(lw), t = w * merton_bs(m, n);
		sum += t;
		if (n > m->lt && w < 1e-18 && t <= 1e-17 * sum && t <= prev)
			return sum;
		prev = t;
		lw += log(m->lt) - log(n + 1.0);
		if (m->lt == 0)
			return sum;
	}
	return NAN;
}

/*
 * The series from the mode outwards, each weight from mc_poisson's
 * logarithm (no underflow, no cancellation), until on each side the
 * weights are below 1e-20 and the terms below 1e-17 of the sum and
 * falling.  NaN when that takes more than MERTON_TERMS terms a side,
 * and at once when the mode is too large for the counts next to it to
 * be doubles of their own (from 2^53, n + 1 == n: the loop never ended).
 */
#define MERTON_TERMS 1e6

static double
merton_from_mode(const struct merton *m)
{
	double mode = floor(m->lt), sum = 0, n, w, t, prev;
	int dir;

	if (!(mode + MERTON_TERMS + 1 < 0x1p53))
		return NAN;
	for (dir = 1; dir >= -1; dir -= 2) {
		prev = INFINITY;
		for (n = dir > 0 ? mode : mode - 1; n >= 0; n += dir) {
			if (fabs(n - mode) > MERTON_TERMS)
				return NAN;
			w = exp(mc_poisson_log_pmf(n, m->lt));
			t = w * merton_bs(m, n);
			sum += t;
			if (w < 1e-20 && t <= 1e-17 * sum && t <= prev)
				break;
			prev = t;
		}
	}
	return sum;
}

double
mc_bs_merton(int put, double S, double K, double T, double r, double q,
    double vol, double lambda, double jm, double jv)
{
	double k = expm1(jm + 0.5 * jv * jv);
	struct merton m = { put, S, K, T, r, q, vol, lambda, k, jm, jv,
	    lambda * (1 + k) * T };
	double v;

	if (m.lt < 700 && !isnan(v = merton_from_0(&m)))
		return v;
	return merton_from_mode(&m);
}

struct heston_par {
	double x, lk, T, r, q, v0, kappa, theta, xi, rho;
	int j;
};

/* Re[e^{-i phi log K} f_j(phi) / (i phi)], the P_j integrand. */
static double
heston_integrand(double phi, void *vp)
{
	const struct heston_par *p = vp;
	double complex i = I, u = p->j == 1 ? 0.5 : -0.5;
	double b = p->j == 1 ? p->kappa - p->rho * p->xi : p->kappa;
	double complex bi = b - p->rho * p->xi * i * phi, d, g, C, D, f, e;
	double x2 = p->xi * p->xi;

	d = csqrt(bi * bi - x2 * (2 * u * i * phi - phi * phi));
	g = (bi - d) / (bi + d);
	e = cexp(-d * p->T);
	C = (p->r - p->q) * i * phi * p->T + p->kappa * p->theta / x2 *
	    ((bi - d) * p->T - 2 * clog((1 - g * e) / (1 - g)));
	D = (bi - d) / x2 * (1 - e) / (1 - g * e);
	f = cexp(C + D * p->v0 + i * phi * (p->x - p->lk));
	return creal(f / (i * phi));
}

int
mc_bs_heston(int put, double S, double K, double T, double r, double q,
    double v0, double kappa, double theta, double xi, double rho,
    double *price, mc_err *err)
{
	struct heston_par p = { log(S), log(K), T, r, q, v0, kappa, theta,
	    xi, rho, 1 };
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
	gsl_function fn = { heston_integrand, &p };
	double P[2], res, abserr, call;
	int st = 0;

	if (w == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (p.j = 1; p.j <= 2; p.j++) {
		st = gsl_integration_qagiu(&fn, 0, 1e-12, 1e-10, 2000, w,
		    &res, &abserr);
		if (st != 0)
			break;
		P[p.j - 1] = 0.5 + res / M_PI;
	}
	gsl_integration_workspace_free(w);
	if (st != 0)
		return mc_err_set(err, EX_SOFTWARE, "Heston integral: %s",
		    gsl_strerror(st));
	call = S * exp(-q * T) * P[0] - K * exp(-r * T) * P[1];
	*price = put ? call - S * exp(-q * T) + K * exp(-r * T) : call;
	return 0;
}

double
mc_bs_crr(int put, double S, double K, double T, double r, double q,
    double vol, unsigned n, unsigned every)
{
	double dt = T / n, u = exp(vol * sqrt(dt)), d = 1 / u;
	double p = (exp((r - q) * dt) - d) / (u - d), df = exp(-r * dt);
	double phi = put ? -1 : 1, *v = malloc((n + 1) * sizeof(*v));
	unsigned i, k;

	if (v == NULL)
		return NAN;
	for (i = 0; i <= n; i++) {
		double x = phi * (S * pow(u, 2.0 * i - n) - K);
		v[i] = x > 0 ? x : 0;
	}
	for (k = n; k-- > 0;) {
		for (i = 0; i <= k; i++) {
			v[i] = df * (p * v[i + 1] + (1 - p) * v[i]);
			if (k > 0 && k % every == 0) {
				double x = phi * (S * pow(u, 2.0 * i - k) - K);
				if (x > v[i])
					v[i] = x;
			}
		}
	}
	{
		double x = v[0];
		free(v);
		return x;
	}
}
