/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV reader over arbitrary bytes.  Invariants: it never crashes or
 * reads out of bounds (the sanitizers watch that); it either reports an
 * error (EX_DATAERR, one printable line) or gives rows of the header's
 * width whose fields, written back with mc_csv_write and read again, come
 * out identical; every field is a number or mc_csv_number says why in one
 * line.
 */
#include <math.h>
#include <sysexits.h>

#include "fuzz.h"
#include "mc_csv.h"
#include "mc_fmt.h"

struct table {
	char **f;		/* fields, row after row */
	size_t *len;
	size_t n, cap, ncols;
	uint64_t lines;		/* a hash of the rows' line numbers */
	mc_err err;		/* the error that ended the reading */
};

static void
push(struct table *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->f = realloc(t->f, t->cap * sizeof(*t->f));
		t->len = realloc(t->len, t->cap * sizeof(*t->len));
		if (t->f == NULL || t->len == NULL)
			abort();
	}
	if ((t->f[t->n] = malloc(len + 1)) == NULL)
		abort();
	memcpy(t->f[t->n], s, len + 1);
	t->len[t->n++] = len;
}

static void
drop(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->f[i]);
	free(t->f);
	free(t->len);
}

/* Reads fp into t, with mc_csv_open_flags's flags; returns the status
 * (0 when the whole input read). */
static int
slurp(FILE *fp, struct table *t, int check_numbers, unsigned flags)
{
	mc_err err = { 0, "" };
	mc_csv_reader *r = mc_csv_open_flags(fp, "fuzz", ',', flags, &err);
	unsigned long last = 1;
	size_t i;
	int rc;

	if (r == NULL) {
		FUZZ_ASSERT(err.status == EX_DATAERR);
		FUZZ_ASSERT(fuzz_one_line(err.msg));
		t->err = err;
		return err.status;
	}
	t->ncols = mc_csv_ncols(r);
	FUZZ_ASSERT(t->ncols >= 1);
	for (i = 0; i < t->ncols; i++)
		push(t, mc_csv_colname(r, i), strlen(mc_csv_colname(r, i)));
	while ((rc = mc_csv_next(r, &err)) == 1) {
		/* Lines count '\n' only: rows ended by a bare CR share one. */
		FUZZ_ASSERT(mc_csv_line(r) >= last);
		last = mc_csv_line(r);
		t->lines = t->lines * 31 + last;
		for (i = 0; i < t->ncols; i++) {
			const char *s = mc_csv_field(r, i);
			size_t len = mc_csv_fieldlen(r, i);
			double x, y;
			mc_err e2 = { 0, "" };

			FUZZ_ASSERT(strlen(s) == len);
			push(t, s, len);
			if (!check_numbers)
				continue;
			if (mc_csv_number(r, i, &x, &e2) == 0) {
				FUZZ_ASSERT(mc_parse_double(s, &y) == NULL);
				FUZZ_ASSERT(x == y || (isnan(x) && isnan(y)));
			} else {
				FUZZ_ASSERT(e2.status == EX_DATAERR);
				FUZZ_ASSERT(fuzz_one_line(e2.msg));
			}
		}
	}
	if (rc < 0) {
		FUZZ_ASSERT(err.status == EX_DATAERR);
		FUZZ_ASSERT(fuzz_one_line(err.msg));
		/* After an error the reader stays failed. */
		t->err = err;
		FUZZ_ASSERT(mc_csv_next(r, &err) == -1);
	}
	mc_csv_free(r);
	return rc < 0 ? err.status : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table a = { 0 }, b = { 0 }, c = { 0 };
	char *out = NULL;
	size_t outlen = 0, i;
	FILE *fp;

	/* glibc's fmemopen refuses an empty buffer. */
	fp = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	if (fp == NULL)
		abort();
	slurp(fp, &a, 1, 0);
	fclose(fp);

	/* The fast path for plain lines reads what libcsv reads: the same
	 * fields, lines and error. */
	fp = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	if (fp == NULL)
		abort();
	slurp(fp, &c, 0, MC_CSV_LIBCSV);
	fclose(fp);
	FUZZ_ASSERT(a.ncols == c.ncols && a.n == c.n && a.lines == c.lines);
	FUZZ_ASSERT(a.err.status == c.err.status &&
	    strcmp(a.err.msg, c.err.msg) == 0);
	for (i = 0; i < a.n; i++)
		FUZZ_ASSERT(a.len[i] == c.len[i] &&
		    memcmp(a.f[i], c.f[i], a.len[i]) == 0);
	if (a.ncols == 0)
		goto done;

	/* Whatever was read (all of it, or the rows before an error) is
	 * written back and must read back the same. */
	if ((fp = open_memstream(&out, &outlen)) == NULL)
		abort();
	for (i = 0; i < a.n; i++) {
		/*
		 * A row of one empty field would be an empty line, which RFC
		 * 4180 readers (libcsv too) skip: mc_csv_write cannot see the
		 * row, so a writer of one-column tables must quote it.
		 */
		if (a.ncols == 1 && a.len[i] == 0)
			fputs("\"\"", fp);
		mc_csv_write(fp, a.f[i], a.len[i]);
		putc((i + 1) % a.ncols == 0 ? '\n' : ',', fp);
	}
	fclose(fp);
	fp = fmemopen(out, outlen, "r");
	FUZZ_ASSERT(slurp(fp, &b, 0, 0) == 0);
	fclose(fp);
	FUZZ_ASSERT(a.ncols == b.ncols && a.n == b.n);
	for (i = 0; i < a.n; i++)
		FUZZ_ASSERT(a.len[i] == b.len[i] &&
		    memcmp(a.f[i], b.f[i], a.len[i]) == 0);
done:
	free(out);
	drop(&a);
	drop(&b);
	drop(&c);
	return 0;
}
