/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The progress line: its numbers, its durations and its look. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mc_progress.h"
#include "unit.h"

static const char *
si(double x, int bytes)
{
	static char buf[16];

	mc_progress_si(buf, x, bytes);
	return buf;
}

static const char *
dur(double s)
{
	static char buf[16];

	mc_progress_duration(buf, s);
	return buf;
}

static const char *
line(const mc_progress *p, uint64_t done, double now)
{
	static char buf[MC_PROGRESS_LINE];

	mc_progress_format(p, done, now, buf, sizeof(buf));
	return buf;
}

static void
test_numbers(void)
{
	CHECK_STR(si(0, 0), "0");
	CHECK_STR(si(999, 0), "999");
	CHECK_STR(si(1000, 0), "1.00k");
	CHECK_STR(si(1234, 0), "1.23k");
	CHECK_STR(si(12345, 0), "12.3k");
	CHECK_STR(si(123456, 0), "123k");
	/* Rounding that reaches 1000 takes the next prefix. */
	CHECK_STR(si(999600, 0), "1.00M");
	CHECK_STR(si(1e7, 0), "10.0M");
	CHECK_STR(si(3.1e9, 0), "3.10G");
	CHECK_STR(si(2.5e13, 0), "25.0T");
	/* Rates keep their fraction below 1000. */
	CHECK_STR(si(0.5, 0), "0.5");
	CHECK_STR(si(12.345, 0), "12.3");
	CHECK_STR(si(999.4, 0), "999");
	CHECK_STR(si(512, 1), "512 B");
	CHECK_STR(si(12.5e6, 1), "12.5 MB");
	CHECK_STR(si(1e8, 1), "100 MB");
	CHECK_STR(si(1.5e3, 1), "1.50 kB");
	CHECK_STR(si(0.25, 1), "0.25 B");
}

static void
test_durations(void)
{
	CHECK_STR(dur(0), "0:00");
	CHECK_STR(dur(4.6), "0:05");
	CHECK_STR(dur(59.4), "0:59");
	CHECK_STR(dur(754), "12:34");
	CHECK_STR(dur(3599.4), "59:59");
	CHECK_STR(dur(3600), "1:00:00");
	CHECK_STR(dur(3723), "1:02:03");
	CHECK_STR(dur(99 * 3600 + 59 * 60 + 59), "99:59:59");
	CHECK_STR(dur(100 * 3600), "4d04h");
	CHECK_STR(dur(5 * 86400 + 3 * 3600 + 1800), "5d03h");
	CHECK_STR(dur(99 * 86400), "99d00h");
	CHECK_STR(dur(1e9), ">99d");
	CHECK_STR(dur(1.0 / 0.0), ">99d");
}

static void
test_lines(void)
{
	FILE *fp = tmpfile();
	mc_progress p;

	/* The line drawn goes to fp; what it says is read from format. */
	if (fp == NULL) {
		CHECK(!"tmpfile");
		return;
	}

	/* One contract: paths of the run, a rate and the time left. */
	mc_progress_init(&p, fp, 2, "mcprice", "paths", 100);
	mc_progress_part(&p, NULL, 0, 0, 10000000, 100);
	CHECK_STR(line(&p, 0, 100), "mcprice: 0 of 10.0M paths (0%)");
	CHECK_STR(line(&p, 1250000, 102),
	    "mcprice: 1.25M of 10.0M paths (12%), 625k paths/s, ETA 0:14");
	mc_progress_end(&p, 0, 0);

	/* A book of 3 rows, rows taken as equal: half of row 2 after 25 s
	 * of the run is half of the book, 25 s left; row 2 done after 30
	 * s is two thirds, 15 s left. */
	mc_progress_init(&p, fp, 2, "mcprice", "paths", 0);
	mc_progress_part(&p, "row", 2, 3, 1000, 20);
	CHECK_STR(line(&p, 500, 25),
	    "mcprice: row 2 of 3: 500 of 1.00k paths (50%), 100 paths/s, "
	    "ETA 0:25");
	CHECK_STR(line(&p, 1000, 30),
	    "mcprice: row 2 of 3: 1.00k of 1.00k paths (100%), 100 paths/s, "
	    "ETA 0:15");
	/* Rows from a pipe: their number is unknown, the row's own ETA. */
	mc_progress_part(&p, "row", 7, 0, 1000, 20);
	CHECK_STR(line(&p, 250, 21),
	    "mcprice: row 7: 250 of 1.00k paths (25%), 250 paths/s, ETA 0:03");
	mc_progress_end(&p, 0, 0);

	/* Bytes of a file, and rows where the size is unknown. */
	mc_progress_init(&p, fp, 1, "mcstat", "bytes", 0);
	mc_progress_part(&p, NULL, 0, 0, 100000000, 0);
	CHECK_STR(line(&p, 12500000, 0.25),
	    "mcstat: 12.5 MB of 100 MB (12%), 50.0 MB/s, ETA 0:02");
	p.unit = "rows";
	mc_progress_part(&p, NULL, 0, 0, 0, 0);
	CHECK_STR(line(&p, 3100000, 1), "mcstat: 3.10M rows, 3.10M rows/s");
	mc_progress_end(&p, 0, 0);
	fclose(fp);
}

/* What the line writes to a file: when, and that it is wiped. */
static void
test_drawing(void)
{
	char buf[4096];
	FILE *fp = tmpfile();
	mc_progress p;
	size_t n;

	if (fp == NULL) {
		CHECK(!"tmpfile");
		return;
	}
	/* Mode 1 waits a tick after the start, then a tick between. */
	mc_progress_init(&p, fp, 1, "mcgen", "values", 10);
	mc_progress_part(&p, NULL, 0, 0, 100, 10);
	mc_progress_update(&p, 10, 10.1);
	CHECK(ftell(fp) == 0);
	mc_progress_update(&p, 30, 10.3);
	CHECK(ftell(fp) > 0);
	n = (size_t)ftell(fp);
	mc_progress_update(&p, 40, 10.4);
	CHECK((size_t)ftell(fp) == n);
	mc_progress_update(&p, 60, 10.6);
	mc_progress_end(&p, 100, 11);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	CHECK(buf[0] == '\r');
	CHECK(strstr(buf, "mcgen: 30 of 100 values (30%)") != NULL);
	CHECK(strstr(buf, "mcgen: 60 of 100 values (60%)") != NULL);
	CHECK(strstr(buf, "of 100 values (40%)") == NULL);
	/* Mode 1 ends wiped, without the finished state. */
	CHECK(strstr(buf, "(100%)") == NULL);
	CHECK(n > 2 && buf[n - 1] == '\r' && buf[n - 2] == ' ');
	fclose(fp);

	/* Mode 2: at once, and the finished state before the wipe. */
	fp = tmpfile();
	mc_progress_init(&p, fp, 2, "mcprice", "paths", 0);
	mc_progress_part(&p, "row", 1, 3, 0, 0);
	mc_progress_total(&p, 10, 0);
	mc_progress_part(&p, "row", 2, 3, 10, 0.01);
	mc_progress_update(&p, 0, 0.01);
	mc_progress_part(&p, "row", 3, 3, 10, 0.3);
	mc_progress_update(&p, 0, 0.3);
	mc_progress_end(&p, 10, 0.31);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	CHECK(strstr(buf, "\rmcprice: row 1 of 3: 0 of 10 paths (0%)") != NULL);
	CHECK(strstr(buf, "row 2 of 3") == NULL);
	CHECK(strstr(buf, "\rmcprice: row 3 of 3: 0 of 10 paths (0%)") != NULL);
	CHECK(strstr(buf, "row 3 of 3: 10 of 10 paths (100%)") != NULL);
	CHECK(buf[n - 1] == '\r' && strchr(buf, '\n') == NULL);
	fclose(fp);

	/* Mode 0 writes nothing at all. */
	fp = tmpfile();
	mc_progress_init(&p, fp, 0, "mcpi", "darts", 0);
	mc_progress_part(&p, NULL, 0, 0, 10, 0);
	mc_progress_update(&p, 5, 100);
	mc_progress_end(&p, 10, 200);
	CHECK(ftell(fp) == 0);
	fclose(fp);
}

/* A clock that moves a second at each reading, read under the lock. */
static double fake_now;

static double
fake_clock(void)
{
	return fake_now += 1;
}

/* The watch draws from the count that threads add to. */
static void
test_watch(void)
{
	char buf[4096] = "";
	FILE *fp = tmpfile();
	mc_progress_count c;
	mc_progress p;
	size_t n = 0;
	int i;

	if (fp == NULL) {
		CHECK(!"tmpfile");
		return;
	}
	mc_progress_init(&p, fp, 1, "mcpi", "darts", 0);
	mc_progress_part(&p, NULL, 0, 0, 100, 0);
	CHECK(mc_progress_watch(&p, &c, fake_clock) == 0);
	atomic_store(&c.done, 42);
	/* The thread draws at its next tick; wait for it as long as a
	 * loaded machine needs, without a time limit that could fail. */
	for (i = 0; i < 1000 && strstr(buf, "42 of 100") == NULL; i++) {
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&p.lock);
		fflush(fp);
		n = (size_t)ftell(fp);
		rewind(fp);
		n = fread(buf, 1, n < sizeof(buf) ? n : sizeof(buf) - 1, fp);
		buf[n] = '\0';
		fseek(fp, 0, SEEK_END);
		pthread_mutex_unlock(&p.lock);
	}
	CHECK(strstr(buf, "\rmcpi: 42 of 100 darts (42%)") != NULL);
	mc_progress_end(&p, 100, fake_clock());
	CHECK(!p.watching);
	fclose(fp);
}

int
main(void)
{
	test_numbers();
	test_durations();
	test_lines();
	test_drawing();
	test_watch();
	return unit_done("test_progress");
}
