/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fit: a fit written and read back holds the same doubles, bit for bit,
 * and prices the same sums; a changed byte is refused.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_book.h"
#include "mc_fit.h"
#include "mc_price.h"
#include "unit.h"

/* Whether a and b hold the same bits, n of them. */
static int
same(const double *a, const double *b, size_t n)
{
	return memcmp(a, b, n * sizeof(*a)) == 0;
}

/*
 * Whether results a and b hold the same counts and exact sums.  The sums
 * are compared in their text form, which is canonical: an exact sum's
 * limbs hold carries that depend on the order of its additions, and
 * threads take blocks in any order.
 */
static int
same_sums(const mc_price_result *a, const mc_price_result *b)
{
	char x[4096], y[4096];
	int s;

	for (s = 0; s < MC_NSTAT; s++) {
		if (a->acc[s].n != b->acc[s].n)
			return 0;
		mc_xsum_format(&a->acc[s].sum, x, sizeof(x));
		mc_xsum_format(&b->acc[s].sum, y, sizeof(y));
		if (strcmp(x, y) != 0)
			return 0;
		mc_xsum_format(&a->acc[s].sumsq, x, sizeof(x));
		mc_xsum_format(&b->acc[s].sumsq, y, sizeof(y));
		if (strcmp(x, y) != 0)
			return 0;
	}
	return 1;
}

/* Whether the dates of rule coefficients x and y agree (a date without
 * a rule, x NaN, has no other coefficients to agree on). */
static int
same_dates(const mc_lsm_exercise *a, const double *x, const double *y)
{
	unsigned d;

	for (d = 0; d + 1 < a->F; d++)
		if (isnan(x[d * a->p]) ? !isnan(y[d * a->p]) : !same(x + d * a->p,
		    y + d * a->p, a->p))
			return 0;
	return 1;
}

/* The rules of f and g agree bit for bit on the dates they use. */
static int
same_fit(const mc_price_fit *f, const mc_price_fit *g)
{
	uint64_t i;
	unsigned d;

	if (f->nvar != g->nvar || f->nslices != g->nslices || f->cv != g->cv ||
	    memcmp(&f->cv_b, &g->cv_b, sizeof(double)) != 0)
		return 0;
	for (i = 0; i < f->nvar * f->nslices; i++) {
		const mc_lsm_exercise *a = &f->ex[i], *b = &g->ex[i];
		if (a->F != b->F || a->p != b->p || (a->beta2 == NULL) !=
		    (b->beta2 == NULL) || !same_dates(a, a->beta, b->beta) ||
		    (a->beta2 != NULL && !same_dates(a, a->beta2, b->beta2)))
			return 0;
		for (d = 0; d + 1 < a->F; d++)
			if (memcmp(&a->zone[d], &b->zone[d], sizeof(a->zone[d])))
				return 0;
	}
	return 1;
}

/* Reads the text buf as a fit file; NULL with err set when refused. */
static mc_fit_file *
read_text(const char *buf, size_t len, mc_err *err)
{
	FILE *fp = fmemopen((void *)buf, len, "r");
	mc_fit_file *ff = mc_fit_read(fp, "fit", ',', err);

	fclose(fp);
	return ff;
}

int
main(void)
{
	static const char *const names[] = { "type", "style", "spot",
	    "strike", "maturity", "rate", "vol", "fixings" };
	static const char *const vals[] = { "put", "american", "36", "40",
	    "1", "0.06", "0.2", "8" };
	mc_book_fields r = { 8, names, vals, NULL };
	mc_price_opts o = { 0 };
	mc_price_result a, b;
	mc_price_fit f;
	const mc_price_fit *g = NULL;
	mc_fit_file *ff;
	mc_contract c;
	mc_err err = { 0, "" };
	const char *col = NULL;
	char *buf = NULL, *bad;
	size_t len = 0, at;
	FILE *m;

	o.n = 300000;	/* two slices */
	o.seed = 5;
	o.threads = 2;
	o.greeks = 1;
	CHECK(mc_contract_parse(&c, mc_book_get, &r, &col, &err) == 0);
	CHECK(mc_price_fit_make(&c, &o, &f, &err) == 0);
	CHECK(f.nslices == 2 && f.nvar >= 1 && f.cv == 1);
	m = open_memstream(&buf, &len);
	mc_fit_header(m, ',');
	mc_fit_write(m, ',', 1, 77, &f);
	fclose(m);
	ff = read_text(buf, len, &err);
	CHECK(ff != NULL);
	CHECK(ff != NULL && mc_fit_find(ff, 1, 77, &g, &err) == 0);
	CHECK(g != NULL && same_fit(&f, g));
	CHECK(ff != NULL && mc_fit_find(ff, 1, 78, &g, &err) == EX_DATAERR);
	CHECK(ff != NULL && mc_fit_find(ff, 2, 77, &g, &err) == EX_DATAERR);
	/* The read fit prices the sums of a run that fits for itself. */
	o.shard = 1;
	o.nshards = 3;
	CHECK(mc_price_run(&c, &o, &a, &err) == 0);
	o.fit = &f;
	CHECK(mc_price_run(&c, &o, &b, &err) == 0);
	CHECK(same_sums(&a, &b));
	mc_fit_free(ff);
	/* Every digit changed, one at a time, is refused. */
	bad = malloc(len);
	for (at = strchr(buf, '\n') - buf; bad != NULL && at < len; at++) {
		if (buf[at] < '0' || buf[at] > '8')
			continue;
		memcpy(bad, buf, len);
		bad[at]++;
		ff = read_text(bad, len, &err);
		CHECK(ff == NULL && err.status == EX_DATAERR);
		mc_fit_free(ff);
	}
	free(bad);
	free(buf);
	mc_price_fit_free(&f);
	mc_contract_free(&c);
	return unit_done("test_fit");
}
