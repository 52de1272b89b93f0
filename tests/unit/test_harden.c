/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Regressions for what the fuzz targets found (tests/fuzz), each checked
 * on the exact input that broke it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_opt.h"
#include "unit.h"

/* Reads text and returns the message of the first number that fails. */
static void
number_error(const char *text, size_t len, char *out, size_t size)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	mc_err err = { 0, "" };
	mc_csv_reader *r = mc_csv_open(fp, "t", &err);
	double x;
	size_t i;

	snprintf(out, size, "no error");
	while (r != NULL && mc_csv_next(r, &err) == 1)
		for (i = 0; i < mc_csv_ncols(r); i++)
			if (mc_csv_number(r, i, &x, &err) != 0) {
				snprintf(out, size, "%d %s", err.status,
				    err.msg);
				goto out;
			}
out:
	mc_csv_free(r);
	fclose(fp);
}

/* Writes s as a field, then reads the file "s\n1\n" back: the header. */
static void
bom_round_trip(void)
{
	const char *s = "\xef\xbb\xbfq";
	char buf[64] = "", got[64] = "";
	FILE *fp = fmemopen(buf, sizeof(buf), "w");
	mc_err err = { 0, "" };
	mc_csv_reader *r;

	mc_csv_puts(fp, s);
	fputs("\n1\n", fp);
	fclose(fp);
	CHECK_STR(buf, "\"\xef\xbb\xbfq\"\n1\n");
	fp = fmemopen(buf, strlen(buf), "r");
	if ((r = mc_csv_open(fp, "t", &err)) != NULL)
		snprintf(got, sizeof(got), "%s", mc_csv_colname(r, 0));
	CHECK_STR(got, s);
	mc_csv_free(r);
	fclose(fp);
	/* The file's own mark is still dropped. */
	fp = fmemopen("\xef\xbb\xbfq\n1\n", 7, "r");
	r = mc_csv_open(fp, "t", &err);
	CHECK(r != NULL && strcmp(mc_csv_colname(r, 0), "q") == 0);
	mc_csv_free(r);
	fclose(fp);
}

/* A contract given as NAME=VALUE pairs, NULL-terminated. */
static const char *
pairs_get(void *ctx, int f)
{
	const char *const *p, *name = mc_contract_field_name(f);
	size_t n = strlen(name);

	for (p = ctx; *p != NULL; p++)
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

/* fuzz book: an american's default dates, ceil(50 T), were converted to
 * unsigned before being bounded (UB for T = 1e300) and came out 0 for a
 * tiny T, and mcprice died of SIGFPE dividing by them. */
static void
american_dates(void)
{
	const char *huge[] = { "type=put", "style=american", "spot=100",
	    "strike=100", "maturity=1e300", "rate=0.05", "vol=0.2", NULL };
	const char *tiny[] = { "type=put", "style=american", "spot=100",
	    "strike=100", "maturity=1e-12", "rate=0.05", "vol=0.2", NULL };
	const char *col = NULL;
	mc_contract c;
	mc_err err = { 0, "" };

	CHECK(mc_contract_parse(&c, pairs_get, huge, &col, &err) == 0);
	CHECK(c.fixings == MC_CONTRACT_MAX_DATES && c.steps % c.fixings == 0);
	mc_contract_free(&c);
	CHECK(mc_contract_parse(&c, pairs_get, tiny, &col, &err) == 0);
	CHECK(c.fixings == 1 && c.steps >= 1);
	mc_contract_free(&c);
}

int
main(void)
{
	char msg[600];
	mc_err err = { 0, "" };
	char name[64];
	double v;

	/* fuzz csv: a control character in a column name reached the
	 * message raw (crash-colname-control). */
	number_error("a\x1c" "b\nx\n", 6, msg, sizeof(msg));
	CHECK_STR(msg, "65 t:2: column 'a\\x1cb': expected a number, got "
	    "\"x\"");
	number_error("\"a\nb\"\nx\n", 9, msg, sizeof(msg));
	CHECK_STR(msg, "65 t:3: column 'a\\x0ab': expected a number, got "
	    "\"x\"");
	number_error("vol\nabc\n", 8, msg, sizeof(msg));
	CHECK_STR(msg, "65 t:2: column 'vol': expected a number, got "
	    "\"abc\"");

	/* fuzz param: a newline in a parameter's name split the message. */
	CHECK(mc_opt_param("a\nb=x", name, sizeof(name), &v, &err) == 64);
	CHECK_STR(err.msg, "a\\x0ab: expected a finite number, got \"x\"");
	CHECK(mc_opt_param("sd=x", name, sizeof(name), &v, &err) == 64);
	CHECK_STR(err.msg, "sd: expected a finite number, got \"x\"");

	/* fuzz csv: a field starting with a byte-order mark lost it when
	 * written first in a file (crash-bom-in-field). */
	bom_round_trip();
	american_dates();
	return unit_done("test_harden");
}
