/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_acc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"

void
mc_acc_init(mc_acc *a)
{
	a->n = 0;
	mc_xsum_init(&a->sum);
	mc_xsum_init(&a->sumsq);
}

void
mc_acc_add(mc_acc *a, double x)
{
	a->n++;
	mc_xsum_add(&a->sum, x);
	mc_xsum_add_sq(&a->sumsq, x);
}

void
mc_acc_add_sums(mc_acc *a, uint64_t n, double sum, double sumsq)
{
	a->n += n;
	mc_xsum_add(&a->sum, sum);
	mc_xsum_add(&a->sumsq, sumsq);
}

void
mc_acc_merge(mc_acc *dst, const mc_acc *src)
{
	dst->n += src->n;
	mc_xsum_merge(&dst->sum, &src->sum);
	mc_xsum_merge(&dst->sumsq, &src->sumsq);
}

/* Double-double helpers: exact products and sums split in two doubles. */
static void
two_sum(double a, double b, double *s, double *e)
{
	double bb;

	*s = a + b;
	bb = *s - a;
	*e = (a - (*s - bb)) + (b - bb);
}

/* (ah, al) / d in double-double, d a double. */
static void
dd_div(double ah, double al, double d, double *qh, double *ql)
{
	double q1 = ah / d, r;

	r = fma(-q1, d, ah) + al;
	two_sum(q1, r / d, qh, ql);
}

/* Floor of e / 2, for either sign. */
static int
half_down(int e)
{
	return e >= 0 ? e / 2 : -((1 - e) / 2);
}

int
mc_acc_estimate(const mc_acc *a, double level, mc_est *e)
{
	double sh, sl, qh, ql, n = (double)a->n, mh, ml, ph, pl, m2, t, z;
	int es, eq, k;

	e->n = a->n;
	e->mean = e->se = e->ci_lo = e->ci_hi = e->sd = NAN;
	if (a->n == 0)
		return 0;
	if (a->sum.special || a->sumsq.special)
		return EX_DATAERR;
	/*
	 * The sums come scaled by powers of two, (hi + lo) * 2^e, so that
	 * neither a sum beyond the double range (three times 1e308) nor a
	 * sum of squares below it (values near 1e-170) is lost; scaling by
	 * powers of two is exact, so ordinary sums give the same bits as
	 * unscaled arithmetic would.
	 */
	es = mc_xsum_round2s(&a->sum, &sh, &sl);
	dd_div(sh, sl, n, &mh, &ml);
	e->mean = ldexp(mh + ml, es);
	if (a->n == 1)
		return 0;
	/*
	 * In units of 2^2k for squares and 2^k for values, with Q in [1, 4):
	 * S^2 / n <= Q, so nothing below overflows, and sd and se come back
	 * by 2^k.  M2 = Q - S * mean, with S * mean in double-double.
	 */
	eq = mc_xsum_round2s(&a->sumsq, &qh, &ql);
	k = half_down(eq);
	qh = ldexp(qh, eq - 2 * k);
	ql = ldexp(ql, eq - 2 * k);
	sh = ldexp(sh, es - k);
	sl = ldexp(sl, es - k);
	dd_div(sh, sl, n, &mh, &ml);
	ph = sh * mh;
	pl = fma(sh, mh, -ph) + sh * ml + sl * mh;
	two_sum(qh, -ph, &t, &z);
	m2 = t + (z + ql - pl);
	if (m2 < 0)
		m2 = 0;
	e->sd = ldexp(sqrt(m2 / (n - 1)), k);
	e->se = ldexp(sqrt(m2 / (n - 1) / n), k);
	t = gsl_cdf_tdist_Pinv(0.5 + level / 2, n - 1);
	if (!isfinite(t))
		return EX_SOFTWARE;
	e->ci_lo = e->mean - t * e->se;
	e->ci_hi = e->mean + t * e->se;
	/* A spread near the double range can take sd or the interval past
	 * it: no number is right then. */
	if (!isfinite(e->sd) || !isfinite(e->ci_lo) || !isfinite(e->ci_hi))
		return EX_DATAERR;
	return 0;
}

void
mc_acc_out_est(mc_csv_out *w, const mc_est *e)
{
	mc_csv_out_count(w, e->n);
	mc_csv_out_num(w, e->mean);
	mc_csv_out_num(w, e->se);
	mc_csv_out_num(w, e->ci_lo);
	mc_csv_out_num(w, e->ci_hi);
	mc_csv_out_num(w, e->sd);
}

void
mc_acc_write_est(FILE *fp, const mc_est *e)
{
	mc_csv_out w;

	mc_csv_out_init(&w, fp, ',');
	mc_acc_out_est(&w, e);
}

static void
put_xsum(mc_csv_out *w, const mc_xsum *s)
{
	/* Room for the longest text form (mc_xsum_format). */
	char buf[4096];

	mc_xsum_format(s, buf, sizeof(buf));
	mc_csv_out_str(w, buf);
}

void
mc_acc_out_partial(mc_csv_out *w, const mc_acc *a)
{
	mc_csv_out_count(w, a->n);
	put_xsum(w, &a->sum);
	put_xsum(w, &a->sumsq);
}

void
mc_acc_write_partial(FILE *fp, const mc_acc *a)
{
	mc_csv_out w;

	mc_csv_out_init(&w, fp, ',');
	mc_acc_out_partial(&w, a);
}

/*
 * Whether sums sh + sl and qh + ql can come from n numbers.  Block sums
 * of squares are rounded before they reach the exact sum, so sumsq may
 * fall short of sum^2/n by a relative 1e-15 or so when the numbers are all
 * alike; far more than that is not rounding.
 */
static const char *
impossible(uint64_t n, double sh, double qh, const char **col)
{
	double b;

	*col = n == 0 ? "n" : "sumsq";
	if (n == 0 && (sh != 0 || qh != 0))
		return "expected a count above 0 for sums that are not 0";
	if (qh < 0)
		return "expected a sum of squares, which is not negative";
	if (!isfinite(sh) || !isfinite(qh) || n == 0)
		return NULL;
	b = sh / sqrt((double)n);
	if (b * b * (1 - 1e-12) > qh)
		return "expected at least sum^2/n (no n numbers have these "
		    "sums)";
	return NULL;
}

int
mc_acc_parse_partial(mc_acc *a, const char *n, const char *sum,
    const char *sumsq, const char **col, mc_err *err)
{
	const char *why, *bad;
	char q[64];
	mc_acc t;
	uint64_t k;
	double sh, sl, qh, ql;

	mc_acc_init(&t);
	if (mc_parse_count(n, &k) != NULL || k > UINT64_C(0x7fffffffffffffff)
	    - a->n) {
		*col = "n";
		return mc_err_set(err, EX_DATAERR, "expected a count, got %s",
		    mc_err_quote(q, sizeof(q), n));
	}
	if (mc_xsum_parse_add(&t.sum, sum) != 0)
		*col = "sum", bad = sum;
	else if (mc_xsum_parse_add(&t.sumsq, sumsq) != 0)
		*col = "sumsq", bad = sumsq;
	else
		bad = NULL;
	if (bad != NULL)
		return mc_err_set(err, EX_DATAERR, "expected an exact sum "
		    "(numbers separated by spaces), got %s", mc_err_quote(q,
		    sizeof(q), bad));
	t.n = k;
	mc_xsum_round2(&t.sum, &sh, &sl);
	mc_xsum_round2(&t.sumsq, &qh, &ql);
	if ((why = impossible(k, sh, qh, col)) != NULL)
		return mc_err_set(err, EX_DATAERR, "%s, got %s", why,
		    mc_err_quote(q, sizeof(q), *col[0] == 'n' ? n : sumsq));
	mc_acc_merge(a, &t);
	return 0;
}
