/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mc_gp_quote: gnuplot strings that stay strings. */
#include <stdio.h>
#include <stdlib.h>

#include "mc_gp.h"
#include "unit.h"

/* Returns what mc_gp_quote writes for s, in a static buffer. */
static const char *
quoted(const char *s)
{
	static char buf[256];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	mc_gp_quote(fp, s);
	fclose(fp);
	return buf;
}

int
main(void)
{
	CHECK_STR(quoted(""), "''");
	CHECK_STR(quoted("abc"), "'abc'");
	/*
	 * Quotes go in double-quoted strings of quotes alone: gnuplot 5.4
	 * reads a leading '' as an empty string, and ends '12'''' pipe'
	 * at its second doubled quote.
	 */
	CHECK_STR(quoted("a'b"), "'a'.\"'\".'b'");
	CHECK_STR(quoted("x'"), "'x'.\"'\"");
	CHECK_STR(quoted("'"), "\"'\"");
	CHECK_STR(quoted("''x"), "\"''\".'x'");
	CHECK_STR(quoted("12'' pipe"), "'12'.\"''\".' pipe'");
	CHECK_STR(quoted("a''b''''c'"),
	    "'a'.\"''\".'b'.\"''''\".'c'.\"'\"");
	CHECK_STR(quoted("'.system(\"id\").'"),
	    "\"'\".'.system(\"id\").'.\"'\"");
	/* Backquotes, macros and backslashes stay as they are. */
	CHECK_STR(quoted("`id` @m \\"), "'`id` @m \\'");
	/* Control characters go, so the string stays on its line. */
	CHECK_STR(quoted("a\nb\r\tc\x7f"), "'abc'");
	CHECK_STR(quoted("\n'\x01'x"), "\"''\".'x'");
	CHECK_STR(quoted("\x01'\n"), "\"'\"");
	/* UTF-8 passes through. */
	CHECK_STR(quoted("\xcf\x80"), "'\xcf\x80'");
	return unit_done("test_gp");
}
