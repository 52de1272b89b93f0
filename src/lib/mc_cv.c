/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Control variates (see mc_cv.h). */
#include "mc_cv.h"

#include <math.h>

#include <gsl/gsl_sf_erf.h>

#include "mc_bs.h"

double
mc_cv_asian_ref(const mc_contract *c)
{
	const mc_model_params *m = &c->m;

	if (c->style != MC_ASIAN || c->geometric || m->model != MC_MODEL_GBM)
		return NAN;
	return mc_bs_geo_asian(c->put, m->spot, c->strike, m->maturity,
	    m->rate, m->dividend, m->vol, c->fixings);
}

int
mc_cv_european_ref(const mc_contract *c, double *ref)
{
	mc_contract e = *c;
	mc_err ignored;

	if (c->style != MC_AMERICAN && c->style != MC_BERMUDAN &&
	    c->style != MC_BARRIER)
		return 0;
	e.style = MC_EUROPEAN;
	return mc_contract_ref(&e, ref, &ignored) == 0 && !isnan(*ref);
}

void
mc_cv_pilot_add(mc_cv_pilot *p, const double *Y, const double *C,
    size_t cnt)
{
	size_t j;

	for (j = 0; j < cnt; j++) {
		double dy = Y[j] - p->my, dc = C[j] - p->mc;
		p->n++;
		p->my += dy / p->n;
		p->mc += dc / p->n;
		/* The old mean's deviation times the new one's. */
		p->scc += dc * (C[j] - p->mc);
		p->syc += dy * (C[j] - p->mc);
	}
}

int
mc_cv_coef(const mc_cv_pilot *p, double *b)
{
	if (!(p->scc > 0))
		return 0;
	*b = p->syc / p->scc;
	return 1;
}

void
mc_cv_apply(double b, double ref, const double *C, size_t cnt, double *Y)
{
	size_t j;

	for (j = 0; j < cnt; j++)
		Y[j] -= b * (C[j] - ref);
}

/* The total variance of log S_T that c's model gives, or NaN. */
static double
total_variance(const mc_model_params *m)
{
	double T = m->maturity, k = m->kappa;

	switch (m->model) {
	case MC_MODEL_GBM:
		return m->vol * m->vol * T;
	case MC_MODEL_MERTON:
		return m->vol * m->vol * T + m->lambda * T *
		    (m->jump_mean * m->jump_mean + m->jump_vol * m->jump_vol);
	case MC_MODEL_HESTON:
		/* E of the integral of v: v0 relaxing to theta (vbar). */
		if (k * T < 1e-8)
			return m->v0 * T;
		return m->theta * T + (m->v0 - m->theta) * -expm1(-k * T) / k;
	default:
		return NAN;
	}
}

/* log Phi(x), accurate far into the left tail. */
static double
log_ncdf(double x)
{
	return log(0.5) + gsl_sf_log_erfc(-x / M_SQRT2);
}

/*
 * The variances of (S - K)^+ (call) and (K - S)^+ (put) for S lognormal
 * with forward F and total variance w > 0: E[X^2] from E[S^2; S > K]
 * = F^2 e^w Phi(d1 + sqrt w) and its mirror, taken in logs so that the
 * put's side never meets inf * 0.
 */
static void
lognormal_variances(double F, double K, double w, double *vcall,
    double *vput)
{
	double sw = sqrt(w), d1 = (log(F / K) + w / 2) / sw, d2 = d1 - sw;
	double lf2 = 2 * log(F) + w;
	double c1 = F * 0.5 * erfc(-d1 / M_SQRT2) - K * 0.5 * erfc(-d2 /
	    M_SQRT2);
	double p1 = K * 0.5 * erfc(d2 / M_SQRT2) - F * 0.5 * erfc(d1 /
	    M_SQRT2);

	*vcall = exp(lf2 + log_ncdf(d1 + sw)) - 2 * K * F * 0.5 *
	    erfc(-d1 / M_SQRT2) + K * K * 0.5 * erfc(-d2 / M_SQRT2) - c1 * c1;
	*vput = exp(lf2 + log_ncdf(-d1 - sw)) - 2 * K * F * 0.5 *
	    erfc(d1 / M_SQRT2) + K * K * 0.5 * erfc(d2 / M_SQRT2) - p1 * p1;
}

int
mc_cv_parity(const mc_contract *c, double *shift)
{
	const mc_model_params *m = &c->m;
	double T = m->maturity, w = total_variance(m), F, vc, vp;

	if (c->put || c->style != MC_EUROPEAN || !(w > 0) || !(c->strike > 0))
		return 0;
	F = m->spot * exp((m->rate - m->dividend) * T);
	lognormal_variances(F, c->strike, w, &vc, &vp);
	/* An overflowed call variance (inf or NaN) is the heavy tail. */
	if (!(vp < vc) && !(isfinite(vp) && !isfinite(vc)))
		return 0;
	*shift = mc_cv_parity_greek(c, 0);
	return 1;
}

double
mc_cv_parity_greek(const mc_contract *c, int s)
{
	const mc_model_params *m = &c->m;
	double T = m->maturity, K = c->strike;
	double fq = m->spot * exp(-m->dividend * T), dk = K * exp(-m->rate * T);

	switch (s) {
	case 0:
		return fq - dk;
	case 1:
		return exp(-m->dividend * T);
	case 4:
		return T * dk;
	case 5:
		return m->dividend * fq - m->rate * dk;
	default:
		return 0;	/* gamma, vega */
	}
}
