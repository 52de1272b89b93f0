/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV reader's fast path against libcsv: random tables (blanks, empty
 * fields, quotes, CRs, blank lines, bad quoting and ragged rows now and
 * then, separators ',', tab, ';' and space, inputs across many read
 * chunks) read both ways give the same rows, fields, lines and errors.
 */
#define _GNU_SOURCE		/* open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_csv.h"
#include "unit.h"

/* Blanks around fields, a blank line, a row of two empty fields. */
#define S_FIXED "a,b\n 1 ,\t2\n3,4 \n\n , \n"

/* A fixed-seed generator (xorshift64*), the same on every host. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* 1 with probability 1 / n. */
static int
one_in(uint64_t *s, unsigned n)
{
	return rnd(s) % n == 0;
}

/* Appends one random field: mostly numbers and words with blanks around
 * them; with odd (the rate of oddities), quotes, CRs and bad quoting. */
static void
put_field(FILE *fp, uint64_t *s, unsigned odd)
{
	static const char *const words[] = { "1.5", "-0.25", "x y", "abc",
	    "", "1e-3", "nan", "42" };
	const char *w = words[rnd(s) % 8];

	if (one_in(s, 4))
		fputs(one_in(s, 2) ? " " : "\t ", fp);
	if (odd && one_in(s, odd))
		switch (rnd(s) % 5) {
		case 0: fprintf(fp, "\"%s,\"\"q\"\"\n%s\"", w, w); break;
		case 1: fprintf(fp, "\"%s\"", w); break;
		case 2: fprintf(fp, "%s\r", w); break;
		case 3: fprintf(fp, "%s\"%s", w, w); break;
		default: fprintf(fp, "\"%s\" ", w); break;
		}
	else
		fputs(w, fp);
	if (one_in(s, 4))
		fputs(one_in(s, 2) ? "  " : " \t", fp);
}

/* A random table of cols columns and about rows lines. */
static char *
table(uint64_t *s, char sep, size_t cols, size_t rows, unsigned odd,
    size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	size_t i, j, n;

	if (one_in(s, 3))
		fputs("\xef\xbb\xbf", fp);
	for (j = 0; j < cols; j++)
		fprintf(fp, "%sc%zu", j ? (char[]){ sep, 0 } : "", j);
	fputc('\n', fp);
	for (i = 0; i < rows; i++) {
		if (one_in(s, 50)) {
			fputs(one_in(s, 2) ? "\n" : " \t \n", fp);
			continue;
		}
		/* A ragged row, rarely, when oddities are on. */
		n = odd && one_in(s, 40 * odd) ? cols + 1 : cols;
		for (j = 0; j < n; j++) {
			if (j)
				fputc(sep, fp);
			put_field(fp, s, odd);
		}
		fputs(odd && one_in(s, odd) ? "\r\n" : "\n", fp);
	}
	if (one_in(s, 3))
		fputs("1", fp);	/* a last line without its newline */
	fclose(fp);
	return buf;
}

/* Reads text with flags; the rows, lines and error as text. */
static char *
dump(const char *text, size_t len, char sep, unsigned flags)
{
	FILE *in = fmemopen((void *)text, len, "r"), *out;
	char *buf = NULL;
	size_t blen, i;
	mc_err err = { 0, "" };
	mc_csv_reader *r = mc_csv_open_flags(in, "t", sep, flags, &err);
	int rc = -1;

	out = open_memstream(&buf, &blen);
	if (r != NULL) {
		for (i = 0; i < mc_csv_ncols(r); i++)
			fprintf(out, "[%s]", mc_csv_colname(r, i));
		while ((rc = mc_csv_next(r, &err)) == 1) {
			fprintf(out, "\n%lu:", mc_csv_line(r));
			for (i = 0; i < mc_csv_ncols(r); i++)
				fprintf(out, "[%s|%zu]", mc_csv_field(r, i),
				    mc_csv_fieldlen(r, i));
		}
	}
	if (rc < 0)
		fprintf(out, "\nE%d %s", err.status, err.msg);
	fclose(out);
	mc_csv_free(r);
	fclose(in);
	return buf;
}

/* Whether text reads the same both ways; says where not. */
static int
same(const char *text, size_t len, char sep)
{
	char *a = dump(text, len, sep, 0);
	char *b = dump(text, len, sep, MC_CSV_LIBCSV);
	int ok = strcmp(a, b) == 0;
	size_t i;

	if (!ok) {
		for (i = 0; a[i] == b[i]; i++)
			;
		fprintf(stderr, "fast and libcsv differ at byte %zu:\n"
		    "fast: %.200s\nlibcsv: %.200s\n", i,
		    a + (i > 100 ? i - 100 : 0), b + (i > 100 ? i - 100 : 0));
	}
	free(a);
	free(b);
	return ok;
}

int
main(void)
{
	static const char seps[] = { ',', '\t', ';', ' ' };
	static const char *const fixed[] = {
		"a,b\n 1 , 2 \n\t3\t,\t4\t\n", "a\n \n\t\n\n x \n",
		"a,b\n,\n , \n", "a\tb\n\t\n \t \n", "a,b\n1,2\r\n3,4\n",
		"a,b\n1,\"2\n3\",4\n5,6\n", "a,b\n1,2\n3,4", "a,b\n1,2\n\"3",
		"a\n1\n2\n3\n\n", "a,b\n1,2,3\n", "a,b\n1,\"2\"x\n",
	};
	uint64_t s = 42;
	size_t i, len;
	char *t;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		CHECK(same(fixed[i], strlen(fixed[i]),
		    strchr(fixed[i], '\t') && !strchr(fixed[i], ',') ? '\t' :
		    ','));
	/* The fast path splits as libcsv does. */
	t = dump(S_FIXED, sizeof(S_FIXED) - 1, ',', 0);
	CHECK_STR(t, "[a][b]\n2:[1|1][2|1]\n3:[3|1][4|1]\n5:[|0][|0]");
	free(t);
	/* Small tables, and tables across many 64 KiB read chunks, with
	 * oddities from none (all fast) to many (mostly libcsv). */
	for (i = 0; i < 400; i++) {
		char sep = seps[rnd(&s) % 4];
		size_t rows = i % 10 == 0 ? 3000 + rnd(&s) % 6000 :
		    rnd(&s) % 40;
		unsigned odd = (unsigned[]){ 0, 0, 3, 20, 200, 2000 }[i % 6];
		t = table(&s, sep, 1 + rnd(&s) % 5, rows, odd, &len);
		CHECK(same(t, len, sep));
		free(t);
	}
	return unit_done("test_csv_fast");
}
