/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Greeks per path (see mc_greeks.h). */
#include "mc_greeks.h"

#include <math.h>

#include "mc_price.h"

#define H_SPOT 0.01
#define H_VOL 0.01
#define H_RATE 0.001
#define H_MAT 0.01

int
mc_greeks_pathwise(const mc_contract *c)
{
	return c->m.model == MC_MODEL_GBM &&
	    (c->style == MC_EUROPEAN || c->style == MC_DIGITAL);
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

/* The bump of vol (or of sqrt(v0) under Heston) for contract i = 3, 4. */
static double
bump_vol(const mc_contract *c, int sgn, mc_contract *v)
{
	if (c->style == MC_BASKET) {
		v->vadd = sgn * 0.001;
		return 0.001;
	}
	if (c->m.model == MC_MODEL_HESTON) {
		/* In sqrt(v0), one-sided at v0 = 0. */
		double h = H_VOL * (c->m.v0 > 0 ? sqrt(c->m.v0) : 1);
		double s = sqrt(c->m.v0) + sgn * h;
		v->m.v0 = s > 0 ? s * s : 0;
		return c->m.v0 > 0 ? h : h / 2;
	}
	v->m.vol = c->m.vol * (1 + sgn * H_VOL);
	return H_VOL * c->m.vol;
}

int
mc_greeks_bump(const mc_contract *c, int i, mc_contract *v, double *h)
{
	int sgn = i % 2 ? 1 : -1;
	double b0 = 0;
	unsigned a;

	if (mc_contract_copy(v, c) != 0)
		return EX_OSERR;
	*h = 0;
	switch (i) {
	case 1:
	case 2:
		if (c->style == MC_BASKET) {
			for (a = 0; a < c->nassets; a++)
				b0 += c->weights[a] * c->spots[a];
			v->smul = 1 + sgn * H_SPOT;
			*h = H_SPOT * b0;
		} else {
			v->m.spot = c->m.spot * (1 + sgn * H_SPOT);
			*h = H_SPOT * c->m.spot;
		}
		break;
	case 3:
	case 4:
		*h = bump_vol(c, sgn, v);
		break;
	case 5:
	case 6:
		v->m.rate = c->m.rate + sgn * H_RATE;
		*h = H_RATE;
		break;
	case 7:
	case 8:
		v->m.maturity = c->m.maturity * (1 + sgn * H_MAT);
		*h = H_MAT * c->m.maturity;
		break;
	}
	return 0;
}

void
mc_greeks_paths(const mc_contract *c, int pathwise, int s,
    const double *const *Y, const double *ST, const double *h, size_t cnt,
    double *out)
{
	size_t j;
	int k;

	/* One loop per Greek: a switch per path does not vectorise. */
	if (pathwise) {
		for (j = 0; j < cnt; j++)
			out[j] = pw_greek(c, s, ST[j], Y[0][j]);
	} else if (s == MC_STAT_GAMMA) {
		for (j = 0; j < cnt; j++)
			out[j] = (Y[1][j] - 2 * Y[0][j] + Y[2][j]) /
			    (h[1] * h[1]);
	} else {
		/* Delta, vega, rho, theta: the central difference of the
		 * bumped pair k, k + 1 = 1, 3, 5, 7; theta is minus the
		 * maturity derivative. */
		k = 2 * s - 1 - 2 * (s > MC_STAT_GAMMA);
		for (j = 0; j < cnt; j++)
			out[j] = (Y[k][j] - Y[k + 1][j]) / (2 * h[k]);
		if (s == MC_STAT_THETA)
			for (j = 0; j < cnt; j++)
				out[j] = -out[j];
	}
}
