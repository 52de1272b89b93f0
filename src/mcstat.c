/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcstat: estimate rows for columns of a CSV, per group, and the exact
 * merge of partial rows from shards.
 *
 * Sums go into exact accumulators, so the order of the rows does not
 * change a digit: rows split over shards, summarised with --partial and
 * merged with --merge print the same bytes as one pass over all of them.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_hist.h"
#include "mc_io.h"
#include "mc_map.h"
#include "mc_opt.h"

static const char usage[] =
    "usage: mcstat [-c COL[,COL...]] [--by COL[,COL...]] [--level L]\n"
    "              [--partial | --quantiles P[,P...] |\n"
    "               --hist BINS [--range LO,HI]] [FILE ...]\n"
    "       mcstat --merge [--level L] [FILE ...]\n";

/* A list of names from a comma-separated option. */
struct list {
	char **v;
	size_t n;
	char *buf;
};

struct opts {
	struct list cols, by, quant;
	double level, lo, hi, *probs;
	uint64_t bins;
	int partial, merge, range;
	char **files;
	int nfiles;
};

/* What --quantiles and --hist keep of one group's column. */
struct keep {
	double *v;		/* the values, for quantiles and --hist */
	size_t nv, cap;
	uint64_t *count;	/* --hist with --range: counts per bin */
};

/*
 * What one group knows of one column: the count and exact sums, in
 * compact windows (about 100 bytes a cell, where a full mc_acc takes two
 * kilobytes) until a value does not fit them, then in a full mc_acc.
 * Either way the sums are exact, so the output is the same.  Zeroed
 * memory is an empty cell.
 */
struct cell {
	uint64_t n;
	mc_xwin sum, sumsq;
	mc_acc *wide;
	struct keep *keep;
};

struct state {
	const struct opts *o;
	mc_map *groups;
	struct cell *cells;	/* cells[g * ncols + c] */
	size_t ncells, nused;	/* room, and cells in use */
	size_t ncols;		/* columns summarised per group */
	char **header;		/* the first file's header */
	size_t nheader;
	size_t *col, *bycol;	/* column indices in the current file */
	size_t nkey;		/* key columns: --by's, or --merge's */
	char *key;		/* the group key being built */
	size_t keycap;
	mc_hist range;		/* --hist with --range: the bins */
};

static int
split_list(const char *opt, const char *arg, struct list *l, mc_err *err)
{
	char *p;

	free(l->buf);
	free(l->v);
	l->n = 0;
	if ((l->buf = strdup(arg)) == NULL ||
	    (l->v = calloc(strlen(arg) + 1, sizeof(char *))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (p = strtok(l->buf, ","); p != NULL; p = strtok(NULL, ","))
		l->v[l->n++] = p;
	if (l->n == 0)
		return mc_err_set(err, EX_USAGE, "%s: expected column names "
		    "separated by commas, got \"%s\"", opt, arg);
	return 0;
}

/* Builds the group key of the current row: the --by fields, NUL-joined. */
static int
make_key(struct state *s, const mc_csv_reader *r, size_t *len)
{
	size_t i, n = 0, need;

	for (i = 0; i < s->nkey; i++) {
		need = n + mc_csv_fieldlen(r, s->bycol[i]) + 1;
		if (need > s->keycap) {
			char *k = realloc(s->key, 2 * need);
			if (k == NULL)
				return -1;
			s->key = k;
			s->keycap = 2 * need;
		}
		memcpy(s->key + n, mc_csv_field(r, s->bycol[i]),
		    mc_csv_fieldlen(r, s->bycol[i]));
		n += mc_csv_fieldlen(r, s->bycol[i]);
		s->key[n++] = '\0';
	}
	*len = n;
	return 0;
}

/* Returns the cells of the row's group, adding the group if new. */
static struct cell *
group_cells(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	size_t len;
	long g;

	/* Without key columns, every row is the one group's. */
	if (s->nkey == 0 && mc_map_count(s->groups) == 1)
		g = 0;
	else if (make_key(s, r, &len) != 0 ||
	    (g = mc_map_intern(s->groups, s->key ? s->key : "", len)) < 0)
		return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
	if ((size_t)(g + 1) * s->ncols > s->ncells) {
		size_t n = 2 * (size_t)(g + 1) * s->ncols;
		struct cell *c = realloc(s->cells, n * sizeof(*c));
		if (c == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
		s->cells = c;
		s->ncells = n;
	}
	/* A new group's cells are cleared as it comes, so that memory
	 * reserved ahead is not touched before it is needed. */
	if ((size_t)g * s->ncols == s->nused) {
		memset(s->cells + s->nused, 0, s->ncols * sizeof(struct cell));
		s->nused += s->ncols;
	}
	return s->cells + (size_t)g * s->ncols;
}

/* Moves c's sums to a full accumulator.  Returns 0, or -1 when out of
 * memory. */
static int
widen(struct cell *c)
{
	if ((c->wide = malloc(sizeof(*c->wide))) == NULL)
		return -1;
	mc_acc_init(c->wide);
	c->wide->n = c->n;
	mc_xwin_to_xsum(&c->sum, &c->wide->sum);
	mc_xwin_to_xsum(&c->sumsq, &c->wide->sumsq);
	return 0;
}

/* Adds x to c.  Returns 0, or -1 when out of memory. */
static int
cell_add(struct cell *c, double x)
{
	mc_xwin s = c->sum;

	if (c->wide == NULL && mc_xwin_add(&s, x) == 0 &&
	    mc_xwin_add_sq(&c->sumsq, x) == 0) {
		c->sum = s;
		c->n++;
		return 0;
	}
	if (c->wide == NULL && widen(c) != 0)
		return -1;
	mc_acc_add(c->wide, x);
	return 0;
}

/* Adds the sums of a (a partial row) to c.  Returns 0, or -1 when out of
 * memory. */
static int
cell_merge(struct cell *c, const mc_acc *a)
{
	mc_xwin s = c->sum, q = c->sumsq;

	if (c->wide == NULL && mc_xwin_add_xsum(&s, &a->sum) == 0 &&
	    mc_xwin_add_xsum(&q, &a->sumsq) == 0) {
		c->sum = s;
		c->sumsq = q;
		c->n += a->n;
		return 0;
	}
	if (c->wide == NULL && widen(c) != 0)
		return -1;
	mc_acc_merge(c->wide, a);
	return 0;
}

/* The count of c. */
static uint64_t
cell_n(const struct cell *c)
{
	return c->wide ? c->wide->n : c->n;
}

/* Sets *a to c's exact accumulator. */
static void
cell_acc(const struct cell *c, mc_acc *a)
{
	if (c->wide != NULL) {
		*a = *c->wide;
		return;
	}
	mc_acc_init(a);
	a->n = c->n;
	mc_xwin_to_xsum(&c->sum, &a->sum);
	mc_xwin_to_xsum(&c->sumsq, &a->sumsq);
}

static void
cell_free(struct cell *c)
{
	if (c->keep != NULL) {
		free(c->keep->v);
		free(c->keep->count);
		free(c->keep);
	}
	free(c->wide);
}

/* Keeps x for --quantiles or --hist.  Returns 0, or -1 when out of
 * memory. */
static int
keep_value(struct state *s, struct cell *c, double x)
{
	const struct opts *o = s->o;
	struct keep *k = c->keep;
	int64_t b;

	if (!o->bins && !o->quant.n)
		return 0;
	if (k == NULL && (k = c->keep = calloc(1, sizeof(*k))) == NULL)
		return -1;
	if (o->bins && o->range) {
		if (k->count == NULL &&
		    (k->count = calloc(o->bins, sizeof(uint64_t))) == NULL)
			return -1;
		if ((b = mc_hist_bin(&s->range, x)) >= 0)
			k->count[b]++;
		return 0;
	}
	if (k->nv == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 256;
		double *v = realloc(k->v, cap * sizeof(double));
		if (v == NULL)
			return -1;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->nv++] = x;
	return 0;
}

/* Checks a file's header against the first one's; the first is kept. */
static int
check_header(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	size_t i, n = mc_csv_ncols(r);

	if (s->header == NULL) {
		if ((s->header = calloc(n, sizeof(char *))) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		for (i = 0; i < n; i++)
			if ((s->header[i] = strdup(mc_csv_colname(r, i))) ==
			    NULL)
				return mc_err_set(err, EX_OSERR, "out of memory");
		s->nheader = n;
		return 0;
	}
	for (i = 0; i < n && i < s->nheader; i++)
		if (strcmp(s->header[i], mc_csv_colname(r, i)) != 0)
			break;
	if (i < n || n != s->nheader)
		return mc_err_set(err, EX_DATAERR, "%s:1: the header differs "
		    "from the first input's", mc_csv_name(r));
	return 0;
}

/* Finds the columns to read in r, by name. */
static int
find_columns(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	const struct opts *o = s->o;
	size_t i, j, k = 0;

	for (i = 0; i < o->by.n; i++)
		if (mc_csv_require(r, o->by.v[i], &s->bycol[i], err) != 0)
			return err->status;
	if (o->merge) {
		/* Key columns are all but n, sum and sumsq, in order. */
		if (mc_csv_require(r, "n", &s->col[0], err) != 0 ||
		    mc_csv_require(r, "sum", &s->col[1], err) != 0 ||
		    mc_csv_require(r, "sumsq", &s->col[2], err) != 0)
			return err->status;
		for (i = 0; i < mc_csv_ncols(r); i++)
			if (i != s->col[0] && i != s->col[1] && i != s->col[2])
				s->bycol[k++] = i;
		return 0;
	}
	if (o->cols.n == 0) {
		/* Every column that is not a --by column. */
		for (i = 0; i < mc_csv_ncols(r); i++) {
			for (j = 0; j < o->by.n && s->bycol[j] != i; j++)
				;
			if (j == o->by.n)
				s->col[k++] = i;
		}
		return 0;
	}
	for (i = 0; i < o->cols.n; i++)
		if (mc_csv_require(r, o->cols.v[i], &s->col[i], err) != 0)
			return err->status;
	return 0;
}

static int
read_merge_row(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	struct cell *c = group_cells(s, r, err);
	const char *bad;
	char q[64];
	size_t col;
	mc_acc a;

	if (c == NULL)
		return err->status;
	mc_acc_init(&a);
	bad = mc_acc_parse_partial(&a, mc_csv_field(r, s->col[0]),
	    mc_csv_field(r, s->col[1]), mc_csv_field(r, s->col[2]));
	/* The row's count is checked alone; the group's total too. */
	if (bad == NULL && a.n > UINT64_C(0x7fffffffffffffff) - cell_n(c))
		bad = "n";
	if (bad == NULL)
		return cell_merge(c, &a) == 0 ? 0 :
		    mc_err_set(err, EX_OSERR, "out of memory");
	col = s->col[strcmp(bad, "n") == 0 ? 0 : strcmp(bad, "sum") == 0 ?
	    1 : 2];
	return mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': expected %s, "
	    "got %s", mc_csv_name(r), mc_csv_line(r), bad,
	    col == s->col[0] ? "a count" :
	    "an exact sum (numbers separated by spaces)",
	    mc_err_quote(q, sizeof(q), mc_csv_field(r, col)));
}

static int
read_file(struct state *s, FILE *fp, const char *name, mc_err *err)
{
	mc_csv_reader *r;
	struct cell *c;
	size_t i;
	double x;
	int rc;

	if ((r = mc_csv_open(fp, name, err)) == NULL)
		return err->status;
	if (s->ncols == 0) {
		size_t n = mc_csv_ncols(r);
		s->col = calloc(n + 3, sizeof(size_t));
		s->bycol = calloc(n + 1, sizeof(size_t));
		if (s->col == NULL || s->bycol == NULL) {
			mc_csv_free(r);
			return mc_err_set(err, EX_OSERR, "out of memory");
		}
		s->ncols = s->o->merge ? 1 : s->o->cols.n ? s->o->cols.n :
		    n - s->o->by.n;
		s->nkey = s->o->merge ? n - 3 : s->o->by.n;
	}
	if (check_header(s, r, err) != 0 || find_columns(s, r, err) != 0)
		goto fail;
	while ((rc = mc_csv_next(r, err)) == 1) {
		if (mc_csv_is_header(r))
			continue;
		if (s->o->merge) {
			if (read_merge_row(s, r, err) != 0)
				goto fail;
			continue;
		}
		if ((c = group_cells(s, r, err)) == NULL)
			goto fail;
		for (i = 0; i < s->ncols; i++) {
			/* NaN and infinities have no mean, sd, quantile or
			 * bin: refused, as in mcpi, rather than printed. */
			if (mc_csv_finite(r, s->col[i], &x, err) != 0)
				goto fail;
			if (cell_add(&c[i], x) != 0 ||
			    keep_value(s, &c[i], x) != 0) {
				mc_err_set(err, EX_OSERR, "out of memory");
				goto fail;
			}
		}
	}
	if (rc < 0)
		goto fail;
	mc_csv_free(r);
	return 0;
fail:
	mc_csv_free(r);
	return err->status;
}

/* Writes the key fields of group g, each followed by a comma. */
static void
put_key(const struct state *s, size_t g)
{
	const char *k = mc_map_key(s->groups, g, NULL);
	size_t i;

	for (i = 0; i < s->nkey; i++) {
		mc_csv_puts(stdout, k);
		putchar(',');
		k += strlen(k) + 1;
	}
}

/* Writes the key of group g and the name (unless NULL), each with a
 * comma after it. */
static void
put_start(const struct state *s, size_t g, const char *name)
{
	put_key(s, g);
	if (name != NULL) {
		mc_csv_puts(stdout, name);
		putchar(',');
	}
}

static void
put_header(const struct state *s)
{
	const struct opts *o = s->o;
	size_t i;

	if (o->merge) {
		for (i = 0; i < s->nheader; i++)
			if (i != s->col[0] && i != s->col[1] && i != s->col[2]) {
				mc_csv_puts(stdout, s->header[i]);
				putchar(',');
			}
		puts(MC_ACC_FINAL_COLS);
		return;
	}
	for (i = 0; i < o->by.n; i++) {
		mc_csv_puts(stdout, o->by.v[i]);
		putchar(',');
	}
	if (o->bins)
		puts("name,lo,hi,mid,count,density");
	else if (o->partial)
		puts("name," MC_ACC_PARTIAL_COLS);
	else {
		fputs("name," MC_ACC_FINAL_COLS, stdout);
		for (i = 0; i < o->quant.n; i++)
			printf(",q%s", o->quant.v[i]);
		putchar('\n');
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The quantile at p of n > 0 sorted values, interpolated as R's type 7.
 * A weight of zero takes the value alone, and the result stays between
 * its neighbours, whatever their size.
 */
static double
quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p, f, q;
	size_t i = (size_t)h;

	if (i >= n - 1)
		return v[n - 1];
	f = h - (double)i;
	if (f == 0)
		return v[i];
	q = (1 - f) * v[i] + f * v[i + 1];
	return q < v[i] ? v[i] : q > v[i + 1] ? v[i + 1] : q;
}

/*
 * The histogram of one cell: over --range, or over the values' own range
 * (counted here).  Returns 0, or -1 when out of memory.  *count is the
 * counts to free, or NULL.
 */
static int
cell_hist(const struct state *s, const struct cell *c, mc_hist *h,
    uint64_t **count, int *own)
{
	const struct opts *o = s->o;
	const struct keep *k = c->keep;
	double lo = INFINITY, hi = -INFINITY;
	size_t i, nv = k ? k->nv : 0;
	int64_t b;

	*own = 0;
	*count = k ? k->count : NULL;
	if (o->range) {
		*h = s->range;
		return 0;
	}
	for (i = 0; i < nv; i++) {
		lo = k->v[i] < lo ? k->v[i] : lo;
		hi = k->v[i] > hi ? k->v[i] : hi;
	}
	if (nv == 0)
		lo = 0;
	if (!(lo < hi))
		mc_hist_around(lo, &lo, &hi);
	mc_hist_init(h, lo, hi, o->bins);
	if ((*count = calloc(o->bins, sizeof(uint64_t))) == NULL)
		return -1;
	*own = 1;
	for (i = 0; i < nv; i++)
		if ((b = mc_hist_bin(h, k->v[i])) >= 0)
			(*count)[b]++;
	return 0;
}

/*
 * Writes the bins of one cell.  Returns 0, or a status with err set: out
 * of memory, or bins so narrow (below about 1e-308) that a density lies
 * beyond the double range, checked before any bin is written.
 */
static int
put_hist(const struct state *s, size_t g, const char *name,
    const struct cell *c, mc_err *err)
{
	const struct opts *o = s->o;
	uint64_t b, *count, n = cell_n(c), most = 0;
	mc_hist h;
	char q[64];
	int own;

	if (cell_hist(s, c, &h, &count, &own) != 0)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (b = 0; count != NULL && b < o->bins; b++)
		most = count[b] > most ? count[b] : most;
	if (!isfinite(mc_hist_density(&h, (double)most, (double)n))) {
		if (own)
			free(count);
		return mc_err_set(err, EX_DATAERR, "column '%s': bins of "
		    "width %g have densities beyond the double range",
		    mc_err_name(q, sizeof(q), name), mc_hist_width(&h));
	}
	for (b = 0; b < o->bins; b++) {
		/* With --range, a cell that saw no value has no counts. */
		uint64_t k = count ? count[b] : 0;
		put_start(s, g, name);
		mc_csv_putd(stdout, mc_hist_edge(&h, b));
		putchar(',');
		mc_csv_putd(stdout, mc_hist_edge(&h, b + 1));
		putchar(',');
		mc_csv_putd(stdout, mc_hist_mid(&h, b));
		printf(",%llu,", (unsigned long long)k);
		mc_csv_putd(stdout, n ? mc_hist_density(&h, (double)k,
		    (double)n) : NAN);
		putchar('\n');
	}
	if (own)
		free(count);
	return 0;
}

/*
 * Writes the estimate row of group g's cell c: the estimate, then the
 * quantiles.  Nothing is written when there is no estimate to print.
 * Returns 0, or a status with err set.
 */
static int
put_estimate(const struct state *s, size_t g, const char *name,
    struct cell *c, mc_err *err)
{
	const struct opts *o = s->o;
	struct keep *k = c->keep;
	size_t i, nv = k ? k->nv : 0;
	mc_acc a;
	mc_est e;
	char q[64];
	int st;

	cell_acc(c, &a);
	st = mc_acc_estimate(&a, o->level, &e);
	/* Only partial rows can bring NaN or infinite sums: values are
	 * refused as they are read. */
	if (st == EX_DATAERR && (a.sum.special || a.sumsq.special))
		return mc_err_set(err, EX_DATAERR, "partial rows: sums of "
		    "nan or inf values have no estimate");
	if (st == EX_DATAERR)
		return mc_err_set(err, EX_DATAERR, "%s%s%s: the sd or the "
		    "interval lies beyond the double range (values near "
		    "+/-1.8e308)", name ? "column '" : "partial rows",
		    name ? mc_err_name(q, sizeof(q), name) : "",
		    name ? "'" : "");
	if (st != 0)
		return mc_err_set(err, EX_SOFTWARE, "GSL could not compute "
		    "the t quantile");
	put_start(s, g, name);
	mc_acc_write_est(stdout, &e);
	if (nv > 0)
		qsort(k->v, nv, sizeof(double), cmp_double);
	for (i = 0; i < o->quant.n; i++) {
		putchar(',');
		mc_csv_putd(stdout, nv ? quantile(k->v, nv, o->probs[i]) :
		    NAN);
	}
	putchar('\n');
	return 0;
}

static int
put_rows(struct state *s, mc_err *err)
{
	const struct opts *o = s->o;
	size_t g, i;

	put_header(s);
	for (g = 0; g < mc_map_count(s->groups); g++) {
		for (i = 0; i < s->ncols; i++) {
			struct cell *c = &s->cells[g * s->ncols + i];
			const char *name = o->merge ? NULL : s->header[s->col[i]];
			mc_acc a;
			if (o->bins) {
				if (put_hist(s, g, name, c, err) != 0)
					return err->status;
			} else if (o->partial) {
				cell_acc(c, &a);
				put_start(s, g, name);
				mc_acc_write_partial(stdout, &a);
				putchar('\n');
			} else if (put_estimate(s, g, name, c, err) != 0)
				return err->status;
		}
	}
	return 0;
}

static int
run(const struct opts *o, mc_err *err)
{
	struct state s;
	const char *name;
	size_t i;
	int f, rc = 0;
	FILE *fp;

	memset(&s, 0, sizeof(s));
	s.o = o;
	if (o->range)
		mc_hist_init(&s.range, o->lo, o->hi, o->bins);
	if ((s.groups = mc_map_alloc()) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (f = 0; rc == 0 && f < (o->nfiles ? o->nfiles : 1); f++) {
		if ((fp = mc_io_open_in(o->nfiles ? o->files[f] : "-", &name,
		    err)) == NULL) {
			rc = err->status;
			break;
		}
		rc = read_file(&s, fp, name, err);
		if (fp != stdin)
			fclose(fp);
	}
	if (rc == 0)
		rc = put_rows(&s, err);
	for (i = 0; i < s.nused; i++)
		cell_free(&s.cells[i]);
	for (i = 0; i < s.nheader; i++)
		free(s.header[i]);
	free(s.header);
	free(s.cells);
	free(s.col);
	free(s.bycol);
	free(s.key);
	mc_map_free(s.groups);
	return rc;
}

static int
parse_range(const char *arg, double *lo, double *hi, mc_err *err)
{
	const char *comma = strchr(arg, ',');
	char buf[64];

	if (comma == NULL || (size_t)(comma - arg) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, (size_t)(comma - arg));
	buf[comma - arg] = '\0';
	if (mc_parse_double(buf, lo) != NULL || mc_parse_double(comma + 1, hi)
	    != NULL || !isfinite(*lo) || !isfinite(*hi) || !(*lo < *hi))
		goto bad;
	return 0;
bad:
	return mc_err_set(err, EX_USAGE, "--range: expected LO,HI with LO < HI, "
	    "got \"%s\"", arg);
}

static int
parse_quantiles(struct opts *o, const char *arg, mc_err *err)
{
	size_t i;

	if (split_list("--quantiles", arg, &o->quant, err) != 0)
		return err->status;
	free(o->probs);
	if ((o->probs = calloc(o->quant.n, sizeof(double))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < o->quant.n; i++)
		if (mc_parse_double(o->quant.v[i], &o->probs[i]) != NULL ||
		    !(o->probs[i] >= 0 && o->probs[i] <= 1))
			return mc_err_set(err, EX_USAGE, "--quantiles: expected "
			    "probabilities from 0 to 1, got \"%s\"",
			    o->quant.v[i]);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cols", required_argument, NULL, 'c' },
		{ "by", required_argument, NULL, 'b' },
		{ "level", required_argument, NULL, 'L' },
		{ "partial", no_argument, NULL, 'P' },
		{ "merge", no_argument, NULL, 'M' },
		{ "hist", required_argument, NULL, 'H' },
		{ "range", required_argument, NULL, 'r' },
		{ "quantiles", required_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o;
	mc_err err = { 0, "" };
	int c, rc = 0;

	mc_io_init();
	gsl_set_error_handler_off();
	memset(&o, 0, sizeof(o));
	o.level = 0.95;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":c:b:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			rc = split_list("-c", optarg, &o.cols, &err);
			break;
		case 'b':
			rc = split_list("--by", optarg, &o.by, &err);
			break;
		case 'L':
			rc = mc_opt_level(optarg, &o.level, &err);
			break;
		case 'P':
			o.partial = 1;
			break;
		case 'M':
			o.merge = 1;
			break;
		case 'H':
			rc = mc_opt_count("--hist", optarg, &o.bins, &err);
			if (rc == 0 && o.bins > 1000000)
				rc = mc_err_set(&err, EX_USAGE, "--hist: at most "
				    "1000000 bins, got \"%s\"", optarg);
			break;
		case 'r':
			rc = parse_range(optarg, &o.lo, &o.hi, &err);
			o.range = 1;
			break;
		case 'q':
			rc = parse_quantiles(&o, optarg, &err);
			break;
		case 'h':
			fputs(usage, stdout);
			return mc_io_finish(&err) ? EX_IOERR : 0;
		case 'V':
			puts("mcstat (mctools) 0.1");
			return mc_io_finish(&err) ? EX_IOERR : 0;
		default:
			rc = mc_opt_bad(c, argv, optind, optopt, "mcstat", &err);
		}
	}
	if (rc == 0 && o.merge && (o.cols.n || o.by.n || o.partial || o.bins ||
	    o.quant.n))
		rc = mc_err_set(&err, EX_USAGE, "--merge takes the key from the "
		    "partial rows; -c, --by, --partial, --hist and --quantiles "
		    "do not apply");
	if (rc == 0 && o.partial + (o.bins > 0) + (o.quant.n > 0) > 1)
		rc = mc_err_set(&err, EX_USAGE, "--partial, --hist and "
		    "--quantiles do not go together");
	if (rc == 0 && o.range && !o.bins)
		rc = mc_err_set(&err, EX_USAGE, "--range goes with --hist");
	o.files = argv + optind;
	o.nfiles = argc - optind;
	if (rc == 0)
		rc = run(&o, &err);
	if (rc == 0)
		rc = mc_io_finish(&err);
	if (rc != 0)
		fprintf(stderr, "mcstat: %s\n", err.msg);
	free(o.cols.buf);
	free(o.cols.v);
	free(o.by.buf);
	free(o.by.v);
	free(o.quant.buf);
	free(o.quant.v);
	free(o.probs);
	return rc;
}
