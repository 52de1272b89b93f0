/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_hist.h"

#include <math.h>

void
mc_hist_init(mc_hist *h, double lo, double hi, uint64_t bins)
{
	double span = hi - lo;

	h->lo = lo;
	h->hi = hi;
	h->bins = bins;
	h->s = 0;
	/* Half scale when the span overflows; up to about 1 when the width
	 * would be subnormal (or zero). */
	if (!isfinite(span))
		h->s = 1;
	else if (span / (double)bins < 0x1p-960)
		h->s = ilogb(span);
	h->l = ldexp(lo, -h->s);
	h->w = (ldexp(hi, -h->s) - h->l) / (double)bins;
}

void
mc_hist_around(double x, double *lo, double *hi)
{
	double d = 0.5;

	if (!(x - d < x + d))
		d = fabs(x) * 0x1p-20;
	*lo = x - d;
	*hi = x + d;
	if (!isfinite(*lo))
		*lo = x;
	if (!isfinite(*hi))
		*hi = x;
}

double
mc_hist_edge(const mc_hist *h, uint64_t b)
{
	if (b >= h->bins)
		return h->hi;
	return ldexp(h->l + h->w * (double)b, h->s);
}

double
mc_hist_width(const mc_hist *h)
{
	return ldexp(h->w, h->s);
}

double
mc_hist_mid(const mc_hist *h, uint64_t b)
{
	return ldexp(h->l + h->w * ((double)b + 0.5), h->s);
}

int64_t
mc_hist_bin(const mc_hist *h, double x)
{
	double t;
	uint64_t b;

	if (!(x >= h->lo && x <= h->hi))
		return -1;
	/* Non-negative and finite here, so the cast is defined. */
	t = (ldexp(x, -h->s) - h->l) / h->w;
	b = t < (double)h->bins ? (uint64_t)t : h->bins - 1;
	/* Rounding may put x a bin off its printed edges: they decide. */
	while (b > 0 && x < mc_hist_edge(h, b))
		b--;
	while (b + 1 < h->bins && x >= mc_hist_edge(h, b + 1))
		b++;
	return (int64_t)b;
}

double
mc_hist_density(const mc_hist *h, double count, double total)
{
	return ldexp(count / total / h->w, -h->s);
}
