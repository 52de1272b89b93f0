/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_summ: the statistics of mcstat -s against answers known by hand (R's
 * type 7 quantiles worked out on paper), and the exact merge: values
 * split into shards, written as partial rows and merged, print the bytes
 * of one pass, for every split and order.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_err.h"
#include "mc_summ.h"
#include "unit.h"

/* The fields that mc_summ_out writes for ops, as one string. */
static char *
out(mc_summ *s, const char *ops, int *rc)
{
	mc_summ_ops o = { 0 };
	mc_csv_out w;
	mc_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (mc_summ_ops_parse(&o, ops, &err) != 0)
		fprintf(stderr, "%s\n", err.msg);
	mc_csv_out_init(&w, fp, ',');
	*rc = mc_summ_out(&w, s, &o, 0.95, &err);
	fclose(fp);
	mc_summ_ops_free(&o);
	return buf;
}

/* Adds the values to s, keeping what ops need. */
static void
add_all(mc_summ *s, const double *v, size_t n, const char *ops)
{
	mc_summ_ops o = { 0 };
	mc_err err;
	size_t i;

	mc_summ_ops_parse(&o, ops, &err);
	for (i = 0; i < n; i++)
		CHECK(mc_summ_add(s, v[i], o.need) == 0);
	mc_summ_ops_free(&o);
}

static void
check_known(void)
{
	/* 1..10 in a shuffled order, then 4 again: 11 values. */
	static const double v[] = { 7, 3, 10, 1, 4, 9, 2, 8, 6, 5, 4 };
	static const char ops[] = "count,rows,sum,min,max,range,mean,"
	    "first,last,median,q1,q3,iqr,p90,perc:10,perc,mode,countunique";
	mc_summ s = { 0 };
	char *got;
	int rc;

	add_all(&s, v, 11, ops);
	CHECK(mc_summ_missing(&s, MC_SUMM_ROWS) == 0);
	got = out(&s, ops, &rc);
	CHECK(rc == 0);
	/*
	 * Sorted: 1 2 3 4 4 5 6 7 8 9 10.  Type 7 puts p at index 10 p:
	 * median 5; q1 at 2.5: 3.5; q3 at 7.5: 7.5; p90 at 9: 9; p10 at 1:
	 * 2; p95 at 9.5: 9.5.  The mean is 59/11.
	 */
	CHECK_STR(got, "11,12,59,1,10,9,5.363636363636363,7,4,5,3.5,7.5,4,9,"
	    "2,9.5,4,10");
	free(got);
	mc_summ_free(&s);
}

/* Statistics of no values: counts 0, the rest nan. */
static void
check_empty(void)
{
	mc_summ s = { 0 };
	char *got;
	int rc;

	got = out(&s, "count,sum,min,median,mode,countunique,first,mean", &rc);
	CHECK(rc == 0);
	CHECK_STR(got, "0,0,nan,nan,nan,0,nan,nan");
	free(got);
}

/* -0 comes before 0, in whatever order they came. */
static void
check_zeros(void)
{
	static const double a[] = { 0.0, -0.0 }, b[] = { -0.0, 0.0 };
	mc_summ s = { 0 }, t = { 0 };
	char *x, *y;
	int rc;

	add_all(&s, a, 2, "min,max,median,mode,countunique");
	add_all(&t, b, 2, "min,max,median,mode,countunique");
	x = out(&s, "min,max,mode,countunique", &rc);
	y = out(&t, "min,max,mode,countunique", &rc);
	CHECK_STR(x, "-0,0,-0,1");
	CHECK_STR(y, x);
	free(x);
	free(y);
	mc_summ_free(&s);
	mc_summ_free(&t);
}

/* Results beyond the double range: an error, and nothing written. */
static void
check_range(void)
{
	static const double v[] = { 1e308, 1.5e308, -1.7e308 };
	mc_summ s = { 0 };
	char *got;
	int rc;

	add_all(&s, v, 2, "sum,range");
	got = out(&s, "min,sum", &rc);
	CHECK(rc == EX_DATAERR);
	CHECK_STR(got, "");
	free(got);
	mc_summ_free(&s);
	add_all(&s, v + 1, 2, "range");
	got = out(&s, "count,range", &rc);
	CHECK(rc == EX_DATAERR);
	CHECK_STR(got, "");
	free(got);
	/* The mean of 1.5e308 and -1.7e308 is fine: the sums are exact. */
	got = out(&s, "mean", &rc);
	CHECK(rc == 0);
	/* (1.5e308 - 1.7e308) / 2 of the doubles, in exact rationals. */
	CHECK_STR(got, "-9.999999999999996e+306");
	free(got);
	/* Its sd is not. */
	got = out(&s, "mean,sd", &rc);
	CHECK(rc == EX_DATAERR);
	CHECK_STR(got, "");
	free(got);
	mc_summ_free(&s);
}

/* Writes the partial fields of s into buf, split at commas into f. */
static void
partial_fields(const mc_summ *s, unsigned need, char **buf, const char *f[6])
{
	mc_csv_out w;
	size_t len = 0, i = 0;
	FILE *fp = open_memstream(buf, &len);
	char *p;

	mc_csv_out_init(&w, fp, ',');
	mc_summ_out_partial(&w, s, need);
	mc_csv_out_end(&w);
	fclose(fp);
	(*buf)[strcspn(*buf, "\n")] = '\0';
	f[3] = f[4] = f[5] = NULL;
	for (p = *buf; i < 6; i++) {
		f[i] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	if (!(need & MC_SUMM_MINMAX) && (need & MC_SUMM_ROWS))
		f[5] = f[3];
}

/* A value of any size and sign, from a fixed LCG. */
static double
draw(uint64_t *x)
{
	double u, e;

	*x = *x * 6364136223846793005u + 1442695040888963407u;
	u = (double)(*x >> 11) / 9007199254740992.0;
	e = (double)((*x >> 3) % 64) - 32;
	if ((*x & 7) == 0)
		return (*x & 8) ? -0.0 : 0.0;
	return ((*x >> 5) & 1 ? -u : u) * ldexp(1, (int)e * ((*x & 16) ?
	    9 : 1));
}

/*
 * n values split into k shards at fixed cuts, each written as a partial
 * row and merged (in order, then backwards): the statistics print the
 * bytes of one pass.
 */
static void
check_merge(size_t n, size_t k, unsigned need, int missing)
{
	static const char ops[] = "count,rows,sum,min,max,range,mean,sd,"
	    "stderr,ci_lo,ci_hi";
	double *v = malloc(n * sizeof(*v));
	mc_summ one = { 0 }, fwd = { 0 }, back = { 0 }, *sh;
	uint64_t x = 42 + n + k;
	char *a, *b, *c, **buf;
	const char *f[6], *col;
	size_t i, j;
	mc_err err;
	int rc;

	sh = calloc(k, sizeof(*sh));
	buf = calloc(k, sizeof(*buf));
	for (i = 0; i < n; i++) {
		v[i] = draw(&x);
		CHECK(mc_summ_add(&one, v[i], need) == 0);
		/* Shard j holds the values from j n / k on. */
		CHECK(mc_summ_add(&sh[i * k / n], v[i], need) == 0);
		if (missing && i % 3 == 0) {
			mc_summ_missing(&one, need);
			mc_summ_missing(&sh[i * k / n], need);
		}
	}
	for (j = 0; j < k; j++) {
		partial_fields(&sh[j], need, &buf[j], f);
		CHECK(mc_summ_merge_partial(&fwd, f, need, &col, &err) == 0);
	}
	for (j = k; j-- > 0;) {
		free(buf[j]);
		partial_fields(&sh[j], need, &buf[j], f);
		CHECK(mc_summ_merge_partial(&back, f, need, &col, &err) == 0);
	}
	a = out(&one, need & MC_SUMM_ROWS ? ops : "count,sum,min,max,range",
	    &rc);
	b = out(&fwd, need & MC_SUMM_ROWS ? ops : "count,sum,min,max,range",
	    &rc);
	c = out(&back, need & MC_SUMM_ROWS ? ops : "count,sum,min,max,range",
	    &rc);
	CHECK_STR(b, a);
	CHECK_STR(c, a);
	free(a);
	free(b);
	free(c);
	for (j = 0; j < k; j++) {
		free(buf[j]);
		mc_summ_free(&sh[j]);
	}
	free(sh);
	free(buf);
	free(v);
	mc_summ_free(&one);
	mc_summ_free(&fwd);
	mc_summ_free(&back);
}

/* Partial rows that no values have are refused, naming the field. */
static void
check_bad_partial(void)
{
	static const struct {
		const char *f[6];
		const char *col, *msg;
	} bad[] = {
		{ { "2", "3", "5", "2", "1", "2" }, "max",
		    "expected a number not below min, got \"1\"" },
		{ { "0", "0", "0", "1", "1", "0" }, "min",
		    "expected an empty field for a count of 0, got \"1\"" },
		{ { "2", "3", "5", "nan", "2", "2" }, "min",
		    "expected a finite number, got \"nan\"" },
		{ { "2", "3", "5", "1", "", "2" }, "max",
		    "expected a finite number, got \"\"" },
		{ { "2", "3", "5", "1", "2", "1" }, "rows",
		    "expected a count of rows, at least n, got \"1\"" },
		{ { "2", "3", "5", "1", "2", "x" }, "rows",
		    "expected a count of rows, at least n, got \"x\"" },
	};
	mc_summ s = { 0 };
	const char *col;
	mc_err err;
	size_t i;
	char *got;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		col = NULL;
		CHECK(mc_summ_merge_partial(&s, bad[i].f, MC_SUMM_MINMAX |
		    MC_SUMM_ROWS, &col, &err) == EX_DATAERR);
		CHECK_STR(col ? col : "", bad[i].col);
		CHECK_STR(err.msg, bad[i].msg);
	}
	/* Nothing of them was kept. */
	got = out(&s, "count", &rc);
	CHECK_STR(got, "0");
	free(got);
	mc_summ_free(&s);
}

static void
check_parse(void)
{
	mc_summ_ops o = { 0 };
	const char *why;
	mc_err err;

	CHECK(mc_summ_ops_parse(&o, "sstdev,sem,n,perc:2.5,p50", &err) == 0);
	CHECK(o.n == 5);
	CHECK_STR(o.v[0].name, "sd");
	CHECK_STR(o.v[1].name, "stderr");
	CHECK_STR(o.v[2].name, "count");
	CHECK_STR(o.v[3].name, "p2.5");
	CHECK(o.v[3].p == 0.025);
	CHECK(o.need == MC_SUMM_VALUES);
	CHECK(mc_summ_ops_unmergeable(&o, &why) == &o.v[3]);
	CHECK(mc_summ_ops_parse(&o, "sum,min,rows", &err) == 0);
	CHECK(mc_summ_ops_unmergeable(&o, &why) == NULL);
	CHECK(o.need == (MC_SUMM_MINMAX | MC_SUMM_ROWS));
	CHECK(mc_summ_ops_parse(&o, "sum,last", &err) == 0);
	CHECK(mc_summ_ops_unmergeable(&o, &why) == &o.v[1]);
	CHECK_STR(why, "shards carry no order");
	CHECK(mc_summ_ops_parse(&o, "sd,sstdev", &err) == EX_USAGE);
	CHECK_STR(err.msg, "statistic \"sd\" given twice");
	CHECK(mc_summ_ops_parse(&o, "perc:101", &err) == EX_USAGE);
	CHECK(mc_summ_ops_parse(&o, "p1e1", &err) == EX_USAGE);
	CHECK(mc_summ_ops_parse(&o, ",", &err) == EX_USAGE);
	CHECK(mc_summ_ops_parse(&o, "avg", &err) == EX_USAGE);
	CHECK(strncmp(err.msg, "unknown statistic \"avg\"; ", 25) == 0);
	CHECK(mc_summ_ops_parse(&o, "sum,rows,range", &err) == 0);
	CHECK(mc_summ_ops_lacking(&o, MC_SUMM_ROWS, &why) == &o.v[2]);
	CHECK_STR(why, "min");
	CHECK(mc_summ_ops_lacking(&o, MC_SUMM_MINMAX, &why) == &o.v[1]);
	CHECK_STR(why, "rows");
	CHECK(mc_summ_ops_lacking(&o, MC_SUMM_MINMAX | MC_SUMM_ROWS, &why) ==
	    NULL);
	mc_summ_ops_free(&o);
	CHECK_STR(mc_summ_partial_cols(MC_SUMM_ROWS | MC_SUMM_VALUES),
	    "n,sum,sumsq,rows");
	CHECK_STR(mc_summ_partial_cols(MC_SUMM_MINMAX | MC_SUMM_ROWS),
	    "n,sum,sumsq,min,max,rows");
}

/* The partial columns are found by name, in any order. */
static void
check_find(void)
{
	static const struct {
		const char *header;
		int rc;
		unsigned have;
		size_t col[6];
	} t[] = {
		{ "k,n,sum,sumsq\n", 0, 0, { 1, 2, 3, SIZE_MAX, SIZE_MAX,
		    SIZE_MAX } },
		{ "rows,max,sumsq,min,sum,n\n", 0, MC_SUMM_MINMAX | MC_SUMM_ROWS,
		    { 5, 4, 2, 3, 1, 0 } },
		{ "n,sum,sumsq,max\n", EX_DATAERR, 0, { 0 } },
		{ "n,sumsq\n", EX_DATAERR, 0, { 0 } },
	};
	size_t i, j, col[6];
	unsigned have;
	mc_err err;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		FILE *fp = fmemopen((void *)t[i].header, strlen(t[i].header),
		    "r");
		mc_csv_reader *r = mc_csv_open(fp, "t", &err);
		have = 99;
		CHECK(mc_summ_find_partial(r, col, &have, &err) == t[i].rc);
		for (j = 0; t[i].rc == 0 && j < 6; j++)
			CHECK(col[j] == t[i].col[j]);
		CHECK(t[i].rc != 0 || have == t[i].have);
		mc_csv_free(r);
		fclose(fp);
	}
	CHECK_STR(err.msg, "t:1: no column \"sum\" in the header");
}

/* The partial fields of a summary, or of an accumulator, as a string. */
static char *
partial_text(const mc_summ *s, const mc_acc *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	mc_csv_out w;

	mc_csv_out_init(&w, fp, ',');
	if (s != NULL)
		mc_summ_out_partial(&w, s, 0);
	else
		mc_acc_out_partial(&w, a);
	fclose(fp);
	return buf;
}

/*
 * Past MC_SUMM_BLOCK values a summary takes values in blocks: at every
 * count, with values waiting in a block or not, ordinary or so far apart
 * that the windows give way to the full accumulator, its count and sums
 * are those of the values added one by one to an mc_acc.
 */
static void
check_blocks(void)
{
	uint64_t r = 99;
	size_t n, kind;

	for (kind = 0; kind < 3; kind++) {
		mc_summ s = { 0 };
		mc_acc a;
		mc_acc_init(&a);
		for (n = 0; n < 300; n++) {
			char *x, *y;
			double v;
			r = r * UINT64_C(6364136223846793005) + 1442695040888963407u;
			v = ldexp((double)(r >> 11) * 0x1p-53 - 0.5, kind == 0 ?
			    (int)(r % 7) : kind == 1 ? (int)(r % 200) - 100 :
			    (int)(r % 1800) - 900);
			CHECK(mc_summ_add(&s, v, 0) == 0);
			mc_acc_add(&a, v);
			CHECK(mc_summ_n(&s) == n + 1);
			if (n % 7 != 0 && n < 250)
				continue;
			x = partial_text(&s, NULL);
			y = partial_text(NULL, &a);
			CHECK_STR(x, y);
			free(x);
			free(y);
		}
		/* A partial row merged while values wait in the block. */
		{
			const char *f[6] = { "2", "3", "5", NULL, NULL, NULL };
			const char *col;
			mc_err err;
			char *x, *y;
			CHECK(s.nblk > 0 || s.wide != NULL);
			CHECK(mc_summ_merge_partial(&s, f, 0, &col, &err) == 0);
			mc_acc_add(&a, 1);
			mc_acc_add(&a, 2);
			x = partial_text(&s, NULL);
			y = partial_text(NULL, &a);
			CHECK_STR(x, y);
			free(x);
			free(y);
		}
		mc_summ_free(&s);
	}
}

int
main(void)
{
	static const size_t sizes[] = { 1, 2, 7, 100, 1000 };
	size_t i, k;

	check_parse();
	check_known();
	check_empty();
	check_zeros();
	check_range();
	check_bad_partial();
	check_find();
	check_blocks();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (k = 1; k <= 8 && k <= sizes[i]; k++) {
			check_merge(sizes[i], k, MC_SUMM_MINMAX |
			    MC_SUMM_ROWS, 1);
			check_merge(sizes[i], k, MC_SUMM_MINMAX, 0);
		}
	return unit_done("test_summ");
}
