/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcprice's book: a CSV of contracts read as mcprice reads it (mc_csv,
 * then mc_contract_parse on each row through a getter by field number).
 * Invariants: a row is accepted, or refused with EX_DATAERR naming one of
 * the book's fields and a one-line message; an accepted contract has the
 * ranges the pricer relies on, copies and frees cleanly, and its reference
 * value is NaN or finite (never a crash or UB on its way).
 */
#include <math.h>
#include <sysexits.h>

#include <gsl/gsl_errno.h>

#include "fuzz.h"
#include "mc_contract.h"
#include "mc_csv.h"

static const char *
get(void *ctx, int f)
{
	mc_csv_reader *r = ctx;
	long i = mc_csv_find(r, mc_contract_field_name(f));

	return i < 0 ? NULL : mc_csv_field(r, (size_t)i);
}

static int
known(const char *col)
{
	size_t i;

	for (i = 0; mc_contract_fields[i] != NULL; i++)
		if (strcmp(mc_contract_fields[i], col) == 0)
			return 1;
	/* A book column, though not an option: the row's own seed. */
	return strcmp(col, "seed") == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;
	mc_err err = { 0, "" };
	mc_csv_reader *r;
	int rows = 0;

	/* As the programs do: a GSL failure is a status, not an abort. */
	gsl_set_error_handler_off();
	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	if ((r = mc_csv_open(fp, "fuzz", &err)) == NULL)
		goto out;
	/* Some rows are enough: each may cost a Fourier integral. */
	while (rows++ < 8 && mc_csv_next(r, &err) == 1) {
		mc_contract c, d;
		const char *col = NULL;
		mc_err e = { 0, "" };
		double ref;
		int st = mc_contract_parse(&c, get, r, &col, &e);

		if (st != 0) {
			FUZZ_ASSERT(st == EX_DATAERR && e.status == st);
			FUZZ_ASSERT(col != NULL && known(col));
			FUZZ_ASSERT(fuzz_one_line(e.msg));
			mc_contract_free(&c);
			continue;
		}
		FUZZ_ASSERT(c.put == 0 || c.put == 1);
		FUZZ_ASSERT(c.style >= MC_EUROPEAN && c.style <= MC_BASKET);
		FUZZ_ASSERT(c.m.spot > 0 && isfinite(c.m.spot));
		FUZZ_ASSERT(c.m.maturity > 0 && isfinite(c.m.maturity));
		FUZZ_ASSERT(isfinite(c.m.rate) && isfinite(c.m.dividend));
		FUZZ_ASSERT(c.steps >= 1);
		FUZZ_ASSERT(c.fixings == 0 || c.steps % c.fixings == 0);
		if (c.style == MC_BASKET)
			FUZZ_ASSERT(c.nassets >= 1 && c.spots != NULL &&
			    c.vols != NULL && c.weights != NULL);
		FUZZ_ASSERT(mc_contract_copy(&d, &c) == 0);
		mc_contract_free(&d);
		if (mc_contract_ref(&c, &ref, &e) == 0)
			FUZZ_ASSERT(isnan(ref) || isfinite(ref));
		else
			FUZZ_ASSERT(fuzz_one_line(e.msg));
		mc_contract_free(&c);
	}
out:
	mc_csv_free(r);
	fclose(fp);
	return 0;
}
