/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_rows: rows priced by worker threads, finishing in any order, are
 * written in file order, with their warnings before them, whatever the
 * threads and the window; the read hook sees each row in the calling
 * thread in file order before it is priced; a row that fails stops the
 * run at its place (the rows before it written, then its warnings, and
 * nothing after it); a row that does not read is reported after the
 * rows before it are written; a row taken once the end is read gets the
 * threads left.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mc_csv.h"
#include "mc_err.h"
#include "mc_rows.h"
#include "unit.h"

#define MAXROWS 300

struct book {
	pthread_t caller;	/* the thread that calls mc_rows_run */
	uint64_t fail_at;	/* the row whose pricing fails, or 0 */
	uint64_t nread;		/* rows the read hook saw */
	int bad;		/* hooks seen out of order or thread */
	unsigned threads[MAXROWS + 1];	/* each row's threads */
	FILE *log;		/* what the write hook got */
};

/* A book of n rows "k,vK", then the text tail (a bad row, or ""). */
static char *
book_text(int n, const char *tail)
{
	char *text;
	size_t len;
	FILE *fp = open_memstream(&text, &len);
	int k;

	fputs("k,v\n", fp);
	for (k = 1; k <= n; k++)
		fprintf(fp, "%d,v%d\n", k, k);
	fputs(tail, fp);
	fclose(fp);
	return text;
}

static void
read_hook(void *ctx, mc_rows_row *row)
{
	struct book *b = ctx;

	if (!pthread_equal(pthread_self(), b->caller) ||
	    row->rowno != ++b->nread)
		b->bad = 1;
	row->data[0] = 3 * row->rowno;
	row->data[1] = 1;
}

/*
 * Prices a row: after a pause that depends on the row, so that rows
 * finish out of order, its warning (every third row) and its output,
 * which says what the read hook set; row fail_at fails.
 */
static int
price_hook(void *ctx, const mc_rows_row *row, unsigned threads, FILE *out,
    FILE *msgs, mc_err *err)
{
	struct book *b = ctx;
	struct timespec ts = { 0, (long)(row->rowno * 7919 % 5) * 100000 };

	nanosleep(&ts, NULL);
	b->threads[row->rowno] = threads;
	if (row->rowno % 3 == 0)
		fprintf(msgs, "warn %s\n", row->where);
	if (row->rowno == b->fail_at)
		return mc_err_set(err, EX_DATAERR, "%s: row %s fails",
		    row->where, row->val[0]);
	fprintf(out, "%s=%s %s=%s %llu %llu\n", row->name[0], row->val[0],
	    row->name[1], row->val[1], (unsigned long long)row->data[0],
	    (unsigned long long)row->data[1]);
	return 0;
}

static void
write_hook(void *ctx, const char *out, size_t nout, const char *msgs,
    size_t nmsgs)
{
	struct book *b = ctx;

	if (!pthread_equal(pthread_self(), b->caller))
		b->bad = 1;
	fwrite(msgs, 1, nmsgs, b->log);
	fwrite(out, 1, nout, b->log);
}

/* What the write hook should get for rows 1 to n, row fail (if not 0)
 * failing after its warning. */
static char *
want_text(uint64_t n, uint64_t fail)
{
	char *text;
	size_t len;
	FILE *fp = open_memstream(&text, &len);
	uint64_t k;

	for (k = 1; k <= n; k++) {
		if (k % 3 == 0)
			fprintf(fp, "warn book:%llu\n", (unsigned long long)k + 1);
		if (k == fail)
			break;
		fprintf(fp, "k=%llu v=v%llu %llu 1\n", (unsigned long long)k,
		    (unsigned long long)k, (unsigned long long)(3 * k));
	}
	fclose(fp);
	return text;
}

/*
 * 1 if got is want; otherwise says where they part on stderr (the texts
 * are long) and returns 0.
 */
static int
same(const char *got, const char *want)
{
	size_t i = 0;

	while (got[i] != '\0' && got[i] == want[i])
		i++;
	if (got[i] == want[i])
		return 1;
	fprintf(stderr, "texts part at byte %zu: got \"%.40s\", want "
	    "\"%.40s\"\n", i, got + i, want + i);
	return 0;
}

/*
 * Runs mc_rows over text on threads threads with a window of cap rows,
 * row fail_at failing, into b; returns the status, the write hook's
 * text in *got (to free).
 */
static int
run(const char *text, unsigned threads, uint64_t cap, uint64_t fail_at,
    struct book *b, char **got, mc_err *err)
{
	mc_rows_hooks h = { price_hook, read_hook, write_hook, b };
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	mc_csv_reader *rd;
	size_t len;
	int st;

	memset(b, 0, sizeof(*b));
	b->caller = pthread_self();
	b->fail_at = fail_at;
	b->log = open_memstream(got, &len);
	if ((rd = mc_csv_open(in, "book", err)) == NULL)
		st = err->status;
	else
		st = mc_rows_run(rd, threads, cap, &h, err);
	mc_csv_free(rd);
	fclose(in);
	fclose(b->log);
	return st;
}

/* Every row, in order, for threads 1 to 4 and windows 1 to 16. */
static void
order(void)
{
	static const uint64_t caps[] = { 1, 2, 3, 16 };
	char *text = book_text(MAXROWS, ""), *want = want_text(MAXROWS, 0);
	struct book b;
	unsigned t, i;
	mc_err err;

	for (t = 1; t <= 4; t++)
		for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
			char *got;
			CHECK(run(text, t, caps[i], 0, &b, &got, &err) == 0);
			CHECK(same(got, want));
			CHECK(b.nread == MAXROWS && !b.bad);
			free(got);
		}
	free(text);
	free(want);
}

/*
 * A failing row: the rows before it, its warning, its message, and
 * nothing after it, whether it fails early, late or last.
 */
static void
stops(void)
{
	static const uint64_t at[] = { 1, 57, MAXROWS - 1, MAXROWS };
	char *text = book_text(MAXROWS, "");
	struct book b;
	unsigned t, i;
	mc_err err;

	for (t = 1; t <= 3; t += 2)
		for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			char *got, *want = want_text(at[i], at[i]), msg[64];
			snprintf(msg, sizeof(msg), "book:%llu: row %llu fails",
			    (unsigned long long)at[i] + 1,
			    (unsigned long long)at[i]);
			CHECK(run(text, t, 4 * t, at[i], &b, &got, &err) ==
			    EX_DATAERR);
			CHECK_STR(err.msg, msg);
			CHECK(same(got, want));
			free(got);
			free(want);
		}
	free(text);
}

/* A row that does not read: reported once the rows before it are
 * written, whatever the window. */
static void
read_error(void)
{
	char *text = book_text(40, "41,v41,extra\n42,v42\n");
	char *want = want_text(40, 0), *got;
	struct book b;
	mc_err err, want_err;
	mc_csv_reader *rd;
	FILE *in;
	uint64_t cap;

	/* The reader's own message for the row, read on its own. */
	in = fmemopen(text, strlen(text), "r");
	rd = mc_csv_open(in, "book", &want_err);
	while (mc_csv_next(rd, &want_err) == 1)
		;
	mc_csv_free(rd);
	fclose(in);
	for (cap = 1; cap <= 64; cap *= 4) {
		CHECK(run(text, 2, cap, 0, &b, &got, &err) == EX_DATAERR);
		CHECK_STR(err.msg, want_err.msg);
		CHECK(same(got, want));
		free(got);
	}
	free(text);
	free(want);
}

/*
 * Threads: a row taken once the end is read shares the threads left;
 * one taken before gets one.
 */
static void
threads(void)
{
	char *text = book_text(1, ""), *got;
	struct book b;
	mc_err err;

	CHECK(run(text, 4, 8, 0, &b, &got, &err) == 0);
	CHECK(b.threads[1] == 4);
	free(got);
	/* A window of one row holds it before the end is read. */
	CHECK(run(text, 4, 1, 0, &b, &got, &err) == 0);
	CHECK(b.threads[1] == 1);
	free(got);
	free(text);
	/* Two rows and the end read at once: half the threads or more. */
	text = book_text(2, "");
	CHECK(run(text, 4, 8, 0, &b, &got, &err) == 0);
	CHECK(b.threads[1] == 2);
	CHECK(b.threads[2] == 2 || b.threads[2] == 4);
	free(got);
	free(text);
}

/* An empty book: nothing written, status 0. */
static void
empty(void)
{
	char *text = book_text(0, ""), *got;
	struct book b;
	mc_err err;

	CHECK(run(text, 3, 12, 0, &b, &got, &err) == 0);
	CHECK_STR(got, "");
	CHECK(b.nread == 0);
	free(got);
	free(text);
}

int
main(void)
{
	order();
	stops();
	read_error();
	threads();
	empty();
	return unit_done("test_rows");
}
