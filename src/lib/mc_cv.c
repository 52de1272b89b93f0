/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Control variates (see mc_cv.h). */
#include "mc_cv.h"

#include <math.h>

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
