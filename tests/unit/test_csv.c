/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV reader and writer on RFC 4180 edge cases. */
#define _GNU_SOURCE		/* fopencookie */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_csv.h"
#include "unit.h"

/* Opens text as a stream. */
static FILE *
mem(const char *text, size_t len)
{
	return fmemopen((void *)text, len, "r");
}

/* Reads all of text; returns the rows as "f1|f2;..." or the error. */
static const char *
slurp(const char *text, size_t len, char *out, size_t size)
{
	FILE *fp = mem(text, len);
	mc_err err = { 0, "" };
	mc_csv_reader *r = mc_csv_open(fp, "t", &err);
	size_t i, n = 0;
	int rc;

	out[0] = '\0';
	if (r == NULL) {
		snprintf(out, size, "E%d %s", err.status, err.msg);
		fclose(fp);
		return out;
	}
	for (i = 0; i < mc_csv_ncols(r); i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
		    mc_csv_colname(r, i));
	while ((rc = mc_csv_next(r, &err)) == 1) {
		n += (size_t)snprintf(out + n, size - n, ";%lu:",
		    mc_csv_line(r));
		for (i = 0; i < mc_csv_ncols(r); i++)
			n += (size_t)snprintf(out + n, size - n, "%s%s",
			    i ? "|" : "", mc_csv_field(r, i));
	}
	if (rc < 0)
		snprintf(out + n, size - n, " E%d %s", err.status, err.msg);
	mc_csv_free(r);
	fclose(fp);
	return out;
}

#define S(lit) lit, sizeof(lit) - 1

/* An endless input: a prefix, then one byte over and over; counts what
 * the reader took, to show that it stops early. */
struct endless {
	const char *prefix;
	size_t plen, pos;
	char fill;
	size_t taken;
};

static ssize_t
endless_read(void *cookie, char *buf, size_t size)
{
	struct endless *e = cookie;
	size_t i;

	for (i = 0; i < size; i++, e->pos++)
		buf[i] = e->pos < e->plen ? e->prefix[e->pos] : e->fill;
	e->taken += size;
	return (ssize_t)size;
}

/*
 * Reads the endless input prefix + fill...; returns the message of the
 * error it must end with, and sets *taken to the bytes the reader took.
 */
static const char *
endless(const char *prefix, char fill, size_t *taken, char *out,
    size_t size)
{
	struct endless e = { prefix, strlen(prefix), 0, fill, 0 };
	cookie_io_functions_t io = { endless_read, NULL, NULL, NULL };
	FILE *fp = fopencookie(&e, "r", io);
	mc_err err = { 0, "" };
	mc_csv_reader *r;
	int rc = 0;

	setvbuf(fp, NULL, _IOFBF, 4096);
	if ((r = mc_csv_open(fp, "t", &err)) != NULL)
		while ((rc = mc_csv_next(r, &err)) == 1)
			;
	snprintf(out, size, "%s%s", r != NULL && rc == 0 ? "end " : "",
	    err.msg);
	mc_csv_free(r);
	fclose(fp);
	*taken = e.taken;
	return out;
}

/* A header of n columns c0,c1,...; the last named last when given. */
static char *
wide_header(size_t n, const char *last)
{
	char *h = malloc(n * 12 + 64), *p = h;
	size_t i;

	for (i = 0; i + 1 < n; i++)
		p += sprintf(p, "c%zu,", i);
	if (last != NULL)
		p += sprintf(p, "%s\n", last);
	else
		p += sprintf(p, "c%zu\n", n - 1);
	return h;
}

static void
writes(const char *in, const char *want)
{
	char buf[256] = "";
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	mc_csv_puts(fp, in);
	fclose(fp);
	CHECK_STR(buf, want);
}

int
main(void)
{
	char out[4096];
	char *big;
	size_t i;

	CHECK_STR(slurp(S("a,b\n1,2\n3,4\n"), out, sizeof(out)),
	    "a|b;2:1|2;3:3|4");
	/* No final newline, CRLF, a BOM, blank lines. */
	CHECK_STR(slurp(S("a,b\r\n1,2\r\n3,4"), out, sizeof(out)),
	    "a|b;2:1|2;3:3|4");
	CHECK_STR(slurp(S("\xef\xbb\xbf" "a,b\n1,2\n"), out, sizeof(out)),
	    "a|b;2:1|2");
	CHECK_STR(slurp(S("a,b\n\n1,2\n\n3,4\n"), out, sizeof(out)),
	    "a|b;3:1|2;5:3|4");
	/* Quotes, embedded commas, quotes and newlines; line numbers. */
	CHECK_STR(slurp(S("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"1\n2\",3\n4,5\n"),
	    out, sizeof(out)),
	    "a|b;2:x,y|say \"hi\";4:1\n2|3;5:4|5");
	/* Empty fields and an empty header name. */
	CHECK_STR(slurp(S("a,,c\n,,\n"), out, sizeof(out)), "a||c;2:||");
	/* Errors. */
	CHECK_STR(slurp(S(""), out, sizeof(out)),
	    "E65 t: empty input, expected a header row");
	CHECK_STR(slurp(S("a,a\n"), out, sizeof(out)),
	    "E65 t:1: column \"a\" appears twice in the header");
	CHECK_STR(slurp(S("a,b\n1,2\n3\n"), out, sizeof(out)),
	    "a|b;2:1|2 E65 t:3: expected 2 fields as in the header, got 1");
	CHECK_STR(slurp(S("a,b\n1,2,3\n"), out, sizeof(out)),
	    "a|b E65 t:2: expected 2 fields as in the header, got 3");
	CHECK_STR(slurp(S("a,b\n\"1,2\n"), out, sizeof(out)),
	    "a|b E65 t:2: unterminated quoted field at the end of the input");
	CHECK_STR(slurp(S("a,b\n1\"x,2\n"), out, sizeof(out)),
	    "a|b E65 t:2: malformed CSV: a quote inside an unquoted field or "
	    "after a closing quote");
	CHECK_STR(slurp(S("a,b\n1,2\n3,\0\n"), out, sizeof(out)),
	    "a|b;2:1|2 E65 t:3: NUL byte in the input");

	/* A field of a megabyte, across many read chunks. */
	big = malloc(1 << 20);
	memcpy(big, "h\n\"", 3);
	for (i = 3; i < (1 << 20) - 2; i++)
		big[i] = (char)('a' + i % 26);
	memcpy(big + (1 << 20) - 2, "\"\n", 2);
	{
		FILE *fp = mem(big, 1 << 20);
		mc_err err;
		mc_csv_reader *r = mc_csv_open(fp, "big", &err);
		CHECK(r != NULL && mc_csv_next(r, &err) == 1);
		CHECK(r != NULL && mc_csv_fieldlen(r, 0) == (1 << 20) - 5);
		CHECK(r != NULL && mc_csv_next(r, &err) == 0);
		mc_csv_free(r);
		fclose(fp);
	}
	free(big);

	/*
	 * A NUL is reported where it stands, without reading on (it used to
	 * read all of /dev/zero first); rows before it are read.
	 */
	{
		size_t taken;
		CHECK_STR(endless("", '\0', &taken, out, sizeof(out)),
		    "t:1: NUL byte in the input");
		CHECK(taken <= 1 << 17);
		CHECK_STR(endless("a,b\n1,2\n\"x\ny", '\0', &taken, out,
		    sizeof(out)), "t:4: NUL byte in the input");
		CHECK(taken <= 1 << 17);
		CHECK_STR(slurp(S("a,b\n1,2\n3,4\0\n5,6\n"), out, sizeof(out)),
		    "a|b;2:1|2 E65 t:3: NUL byte in the input");
		CHECK_STR(slurp(S("a\0b,c\n"), out, sizeof(out)),
		    "E65 t:1: NUL byte in the input");
	}

	/*
	 * An endless line or field is refused at a fixed size, whatever the
	 * input: memory is bounded by the limits, not by the input.
	 */
	{
		size_t taken;
		char want[128];
		snprintf(want, sizeof(want), "t:2: a row longer than %d MiB "
		    "(the most a row may hold)", MC_CSV_MAX_ROW >> 20);
		CHECK_STR(endless("a,b\n1,", 'x', &taken, out, sizeof(out)),
		    want);
		CHECK(taken <= MC_CSV_MAX_ROW + (1 << 17));
		CHECK_STR(endless("a,b\n1,\"", 'x', &taken, out, sizeof(out)),
		    want);
		CHECK(taken <= MC_CSV_MAX_ROW + (1 << 17));
		snprintf(want, sizeof(want), "t:1: a row of more than %d "
		    "fields (the most a row may hold)", MC_CSV_MAX_FIELDS);
		CHECK_STR(endless("a", ',', &taken, out, sizeof(out)), want);
		CHECK(taken <= MC_CSV_MAX_FIELDS + (1 << 17));
	}

	/*
	 * A wide header: every name is found, and a name given twice is
	 * found however far apart (by hashing, not by comparing all pairs).
	 */
	{
		char *h = wide_header(100000, NULL);
		FILE *fp = mem(h, strlen(h));
		mc_err err;
		mc_csv_reader *r = mc_csv_open(fp, "wide", &err);
		CHECK(r != NULL && mc_csv_ncols(r) == 100000);
		CHECK(r != NULL && mc_csv_find(r, "c99999") == 99999);
		CHECK(r != NULL && mc_csv_find(r, "c0") == 0);
		CHECK(r != NULL && mc_csv_find(r, "c100000") == -1);
		CHECK(r != NULL && mc_csv_find(r, "") == -1);
		CHECK_STR(r ? mc_csv_colname(r, 4321) : "", "c4321");
		mc_csv_free(r);
		fclose(fp);
		free(h);
		h = wide_header(100000, "c7");
		CHECK_STR(slurp(h, strlen(h), out, sizeof(out)),
		    "E65 t:1: column \"c7\" appears twice in the header");
		free(h);
		CHECK_STR(slurp(S("a,,b,\n"), out, sizeof(out)),
		    "E65 t:1: column \"\" appears twice in the header");
	}

	/* Numbers in fields, with messages. */
	{
		FILE *fp = mem(S("vol\n0.2\nabc\n"));
		mc_err err;
		mc_csv_reader *r = mc_csv_open(fp, "book.csv", &err);
		double x;
		CHECK(mc_csv_next(r, &err) == 1);
		CHECK(mc_csv_number(r, 0, &x, &err) == 0 && x == 0.2);
		CHECK(mc_csv_next(r, &err) == 1);
		CHECK(mc_csv_number(r, 0, &x, &err) == 65);
		CHECK_STR(err.msg, "book.csv:3: column 'vol': expected a "
		    "number, got \"abc\"");
		mc_csv_free(r);
		fclose(fp);
	}

	/* Writing quotes only what needs it. */
	writes("plain", "plain");
	writes("a,b", "\"a,b\"");
	writes("say \"hi\"", "\"say \"\"hi\"\"\"");
	writes("two\nlines", "\"two\nlines\"");
	writes(" pad", "\" pad\"");
	writes("", "");
	mc_csv_free(NULL);
	return unit_done("test_csv");
}
