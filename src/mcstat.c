/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcstat: estimate rows for columns of a CSV, per group, and the exact
 * merge of partial rows from shards.
 *
 * Sums go into exact accumulators, so the order of the rows does not
 * change a digit: rows split over shards, summarised with --partial and
 * merged with --merge print the same bytes as one pass over all of them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "mc_acc.h"
#include "mc_cli.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_hist.h"
#include "mc_io.h"
#include "mc_map.h"
#include "mc_opt.h"
#include "mc_progress.h"
#include "mc_prov.h"

static const char usage[] =
    "usage: mcstat [-c COL[,COL...]] [--by COL[,COL...]] [--level L]\n"
    "              [--skip-empty] [--progress]\n"
    "              [--partial | --quantiles P[,P...] |\n"
    "               --hist BINS [--range LO,HI]] [-o FILE] [-t CHAR] "
    "[FILE ...]\n"
    "       mcstat --merge [--level L] [-o FILE] [-t CHAR] [FILE ...]\n";

/* A list of names from a comma-separated option. */
struct list {
	char **v;
	size_t n;
	char *buf;
};

enum { OPT_COLS, OPT_BY, OPT_MERGE, OPT_HIST, OPT_RANGE, OPT_QUANTILES,
	OPT_SKIP_EMPTY, NOPTS };

static const mc_cli_opt options[NOPTS] = {
	[OPT_COLS] = { "cols", 'c', MC_CLI_VALUE, 0 },
	[OPT_BY] = { "by", 0, MC_CLI_VALUE, 0 },
	[OPT_MERGE] = { "merge", 0, MC_CLI_FLAG, 0 },
	[OPT_HIST] = { "hist", 0, MC_CLI_VALUE, 0 },
	[OPT_RANGE] = { "range", 0, MC_CLI_VALUE, 0 },
	[OPT_QUANTILES] = { "quantiles", 0, MC_CLI_VALUE, 0 },
	[OPT_SKIP_EMPTY] = { "skip-empty", 0, MC_CLI_FLAG, 0 },
};

struct opts {
	mc_cli c;		/* the shared options */
	struct list cols, by, quant;
	double lo, hi, *probs;
	uint64_t bins;
	int merge, range, skip_empty;
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
	mc_prov_set *set;	/* --merge: the shards added */
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
	mc_csv_out out;		/* the output, with -t's separator */
	size_t prov[3];		/* --merge: mc_seed, mc_shard, mc_job */
	const char *fname;	/* the file being read (the caller's string) */
	uint64_t digest;	/* --partial: of the data rows read */
	uint64_t *skipped;	/* --skip-empty: per column summarised */
	mc_hist range;		/* --hist with --range: the bins */
	mc_progress pg;		/* the progress line */
	uint64_t rows;		/* rows read, for it */
};

static int
split_list(const char *arg, struct list *l, mc_err *err)
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
		return mc_err_set(err, EX_USAGE, "expected column names "
		    "separated by commas, got \"%s\"", arg);
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
	if (c->set != NULL)
		mc_prov_set_free(c->set);
	free(c->set);
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

/*
 * The columns mcstat writes after the key, comma-separated, in a new
 * string (NULL when out of memory).  With reserve, --partial's include
 * those that --merge will write from its rows.
 */
static char *
own_cols(const struct opts *o, int reserve)
{
	size_t i, len = 64 + strlen(MC_ACC_FINAL_COLS MC_ACC_PARTIAL_COLS
	    MC_PROV_COLS);
	char *buf;

	for (i = 0; i < o->quant.n; i++)
		len += strlen(o->quant.v[i]) + 2;
	if ((buf = malloc(len)) == NULL)
		return NULL;
	if (o->merge)
		strcpy(buf, MC_ACC_FINAL_COLS);
	else if (o->bins)
		strcpy(buf, "name,lo,hi,mid,count,density");
	else if (o->c.partial)
		strcpy(buf, reserve ? "name," MC_ACC_PARTIAL_COLS ","
		    MC_PROV_COLS "," MC_ACC_FINAL_COLS : "name,"
		    MC_ACC_PARTIAL_COLS "," MC_PROV_COLS);
	else
		strcpy(buf, "name," MC_ACC_FINAL_COLS);
	for (i = 0; !o->merge && !o->bins && !o->c.partial && i < o->quant.n;
	    i++)
		strcat(strcat(buf, ",q"), o->quant.v[i]);
	return buf;
}

/* Whether name is one of the comma-separated names in list. */
static int
in_list(const char *name, const char *list)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; p != NULL; p = strchr(p, ',') ? strchr(p, ',') + 1 :
	    NULL)
		if (strncmp(p, name, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return 1;
	return 0;
}

/*
 * The rule for a --by column named like a column mcstat writes: a usage
 * error naming both, before anything is read.
 */
static int
check_by(const struct opts *o, mc_err *err)
{
	char *own = own_cols(o, 1), c[64];
	size_t i, j;
	int rc = 0;

	if (own == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; rc == 0 && i < o->by.n; i++) {
		mc_err_name(c, sizeof(c), o->by.v[i]);
		if (in_list(o->by.v[i], own))
			rc = mc_err_set(err, EX_USAGE, "--by: column '%s' would "
			    "meet mcstat's own column '%s' in the output; "
			    "rename it in the input", c, c);
		for (j = 0; rc == 0 && j < i; j++)
			if (strcmp(o->by.v[i], o->by.v[j]) == 0)
				rc = mc_err_set(err, EX_USAGE, "--by: column "
				    "'%s' given twice", c);
	}
	free(own);
	return rc;
}

/*
 * --merge: the sums are n, sum and sumsq, the provenance mc_seed,
 * mc_shard and mc_job; every other column is a key column, in order, and
 * may not be named like a column of the merged rows.
 */
static int
merge_columns(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	static const char *const sums[] = { "n", "sum", "sumsq", "mc_seed",
	    "mc_shard", "mc_job" };
	size_t i, j, k = 0, idx[6];
	char c[64];

	for (j = 0; j < 6; j++)
		if (mc_csv_require(r, sums[j], &idx[j], err) != 0)
			return err->status;
	for (i = 0; i < mc_csv_ncols(r); i++) {
		for (j = 0; j < 6 && idx[j] != i; j++)
			;
		if (j < 6)
			continue;
		if (in_list(mc_csv_colname(r, i), MC_ACC_FINAL_COLS))
			return mc_err_set(err, EX_DATAERR, "%s:1: column '%s' "
			    "is a key of these partial rows and a column of "
			    "the merged rows; rename it", mc_csv_name(r),
			    mc_err_name(c, sizeof(c), mc_csv_colname(r, i)));
		s->bycol[k++] = i;
	}
	for (j = 0; j < 3; j++) {
		s->col[j] = idx[j];
		s->prov[j] = idx[3 + j];
	}
	s->nkey = k;
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
	if (o->merge)
		return merge_columns(s, r, err);
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
	const char *col = NULL;
	char msg[MC_ERR_MSG], q[64];
	mc_prov p;
	mc_acc a;

	if (c == NULL)
		return err->status;
	mc_acc_init(&a);
	if (mc_acc_parse_partial(&a, mc_csv_field(r, s->col[0]),
	    mc_csv_field(r, s->col[1]), mc_csv_field(r, s->col[2]), &col,
	    err) != 0 || mc_prov_parse(&p, mc_csv_field(r, s->prov[0]),
	    mc_csv_field(r, s->prov[1]), mc_csv_field(r, s->prov[2]), &col,
	    err) != 0) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': %s",
		    mc_csv_name(r), mc_csv_line(r), col, msg);
	}
	/* The row's count is checked alone; the group's total too. */
	if (a.n > UINT64_C(0x7fffffffffffffff) - cell_n(c))
		return mc_err_set(err, EX_DATAERR, "%s:%lu: column 'n': "
		    "expected a count, got %s", mc_csv_name(r), mc_csv_line(r),
		    mc_err_quote(q, sizeof(q), mc_csv_field(r, s->col[0])));
	if ((c->set == NULL && (c->set = calloc(1, sizeof(*c->set))) ==
	    NULL) || cell_merge(c, &a) != 0)
		return mc_err_set(err, EX_OSERR, "out of memory");
	return mc_prov_set_add(c->set, &p, s->fname, mc_csv_line(r), err);
}

/*
 * Adds the values of the current row to its group.  An empty field is a
 * missing value: an error, or with --skip-empty skipped and counted.
 */
static int
read_values(struct state *s, const mc_csv_reader *r, mc_err *err)
{
	struct cell *c = group_cells(s, r, err);
	char n[64];
	size_t i;
	double x;

	if (c == NULL)
		return err->status;
	for (i = 0; i < s->ncols; i++) {
		if (mc_csv_fieldlen(r, s->col[i]) == 0) {
			if (s->o->skip_empty) {
				s->skipped[i]++;
				continue;
			}
			return mc_err_set(err, EX_DATAERR, "%s:%lu: column "
			    "'%s': empty (a missing value); --skip-empty "
			    "skips such fields", mc_csv_name(r),
			    mc_csv_line(r), mc_err_name(n, sizeof(n),
			    mc_csv_colname(r, s->col[i])));
		}
		/* NaN and infinities have no mean, sd, quantile or bin:
		 * refused, as in mcpi, rather than printed. */
		if (mc_csv_finite(r, s->col[i], &x, err) != 0)
			return err->status;
		if (cell_add(&c[i], x) != 0 || keep_value(s, &c[i], x) != 0)
			return mc_err_set(err, EX_OSERR, "out of memory");
	}
	return 0;
}

/* Continues the digest of the data rows with the current row. */
static void
digest_row(struct state *s, const mc_csv_reader *r)
{
	size_t i;

	for (i = 0; i < mc_csv_ncols(r); i++)
		s->digest = mc_prov_field(s->digest, mc_csv_field(r, i),
		    mc_csv_fieldlen(r, i));
}

static int
read_file(struct state *s, FILE *fp, const char *name, mc_err *err)
{
	mc_csv_reader *r;
	int rc;

	if ((r = mc_csv_open_sep(fp, name, s->o->c.sep, err)) == NULL)
		return err->status;
	s->fname = name;
	if (s->col == NULL) {
		size_t n = mc_csv_ncols(r);
		s->col = calloc(n + 3, sizeof(size_t));
		s->bycol = calloc(n + 1, sizeof(size_t));
		s->skipped = calloc(n + 1, sizeof(uint64_t));
		if (s->col == NULL || s->bycol == NULL || s->skipped == NULL) {
			mc_csv_free(r);
			return mc_err_set(err, EX_OSERR, "out of memory");
		}
		s->ncols = s->o->merge ? 1 : s->o->cols.n ? s->o->cols.n :
		    n - s->o->by.n;
		s->nkey = s->o->by.n;
	}
	if (check_header(s, r, err) != 0 || find_columns(s, r, err) != 0)
		goto fail;
	while ((rc = mc_csv_next(r, err)) == 1) {
		if (++s->rows % 4096 == 0)
			mc_progress_read(&s->pg, fp, s->rows, mc_progress_clock());
		if (mc_csv_is_header(r))
			continue;
		if (s->o->c.partial)
			digest_row(s, r);
		if ((s->o->merge ? read_merge_row(s, r, err) :
		    read_values(s, r, err)) != 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	mc_csv_free(r);
	return 0;
fail:
	mc_csv_free(r);
	return err->status;
}

/* Writes the key fields of group g. */
static void
put_key(struct state *s, size_t g)
{
	const char *k = mc_map_key(s->groups, g, NULL);
	size_t i;

	for (i = 0; i < s->nkey; i++) {
		mc_csv_out_str(&s->out, k);
		k += strlen(k) + 1;
	}
}

/* Writes the key of group g and the name (unless NULL). */
static void
put_start(struct state *s, size_t g, const char *name)
{
	put_key(s, g);
	if (name != NULL)
		mc_csv_out_str(&s->out, name);
}

/*
 * Writes the header: the key columns (--by's, or --merge's), then
 * mcstat's own, through mc_csv_header, which refuses a name twice.
 */
static int
put_header(struct state *s, mc_err *err)
{
	const struct opts *o = s->o;
	char *own = own_cols(o, 0), *p;
	const char **v = calloc(s->nheader + o->by.n + 16 + o->quant.n,
	    sizeof(*v));
	size_t i, n = 0;
	int rc;

	if (own == NULL || v == NULL) {
		free(own);
		free(v);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (i = 0; o->merge && i < s->nkey; i++)
		v[n++] = s->header[s->bycol[i]];
	for (i = 0; !o->merge && i < o->by.n; i++)
		v[n++] = o->by.v[i];
	for (p = strtok(own, ","); p != NULL; p = strtok(NULL, ","))
		v[n++] = p;
	rc = mc_csv_header(&s->out, v, n, err);
	free(own);
	free(v);
	return rc;
}

/* The job of --partial's rows: the program, the input's columns, --by. */
static uint64_t
partial_job(const struct state *s)
{
	uint64_t h = mc_prov_add(MC_PROV_FNV0, "program", "mcstat");
	size_t i;

	for (i = 0; i < s->nheader; i++)
		h = mc_prov_add(h, "column", s->header[i]);
	for (i = 0; i < s->o->by.n; i++)
		h = mc_prov_add(h, "by", s->o->by.v[i]);
	return h;
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
put_hist(struct state *s, size_t g, const char *name,
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
		mc_csv_out_num(&s->out, mc_hist_edge(&h, b));
		mc_csv_out_num(&s->out, mc_hist_edge(&h, b + 1));
		mc_csv_out_num(&s->out, mc_hist_mid(&h, b));
		mc_csv_out_count(&s->out, k);
		mc_csv_out_num(&s->out, n ? mc_hist_density(&h, (double)k,
		    (double)n) : NAN);
		mc_csv_out_end(&s->out);
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
put_estimate(struct state *s, size_t g, const char *name,
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
	st = mc_acc_estimate(&a, o->c.level, &e);
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
	mc_acc_out_est(&s->out, &e);
	if (nv > 0)
		qsort(k->v, nv, sizeof(double), cmp_double);
	for (i = 0; i < o->quant.n; i++)
		mc_csv_out_num(&s->out, nv ? quantile(k->v, nv, o->probs[i]) :
		    NAN);
	mc_csv_out_end(&s->out);
	return 0;
}

static int
put_rows(struct state *s, mc_err *err)
{
	const struct opts *o = s->o;
	mc_prov pv = { 0 };
	size_t g, i;

	/* Shards of data are told apart by what they read. */
	pv.job = partial_job(s);
	pv.data = 1;
	pv.digest = s->digest;
	if (put_header(s, err) != 0)
		return err->status;
	for (g = 0; g < mc_map_count(s->groups); g++) {
		for (i = 0; i < s->ncols; i++) {
			struct cell *c = &s->cells[g * s->ncols + i];
			const char *name = o->merge ? NULL : s->header[s->col[i]];
			mc_acc a;
			if (o->bins) {
				if (put_hist(s, g, name, c, err) != 0)
					return err->status;
			} else if (o->c.partial) {
				cell_acc(c, &a);
				put_start(s, g, name);
				mc_acc_out_partial(&s->out, &a);
				mc_prov_write(&s->out, &pv);
				mc_csv_out_end(&s->out);
			} else if (put_estimate(s, g, name, c, err) != 0)
				return err->status;
		}
	}
	return 0;
}

/* --skip-empty: what was skipped, a line per column, on stderr. */
static void
report_skipped(const struct state *s)
{
	char c[64];
	size_t i;

	for (i = 0; s->skipped != NULL && i < s->ncols; i++)
		if (s->skipped[i] > 0)
			fprintf(stderr, "mcstat: skipped %llu empty field%s of "
			    "column '%s'\n", (unsigned long long)s->skipped[i],
			    s->skipped[i] > 1 ? "s" : "", mc_err_name(c,
			    sizeof(c), s->header[s->col[i]]));
}

static int
run(void *ctx, mc_err *err)
{
	const struct opts *o = ctx;
	struct state s;
	const char *name;
	size_t i;
	int f, rc = 0;
	FILE *fp;

	memset(&s, 0, sizeof(s));
	s.o = o;
	mc_csv_out_init(&s.out, o->c.fp, o->c.sep);
	s.digest = MC_PROV_FNV0;
	if ((rc = check_by(o, err)) != 0)
		return rc;
	if (o->range)
		mc_hist_init(&s.range, o->lo, o->hi, o->bins);
	if ((s.groups = mc_map_alloc()) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	mc_progress_init(&s.pg, stderr, o->c.progress, "mcstat", "rows",
	    mc_progress_clock());
	for (f = 0; rc == 0 && f < (o->nfiles ? o->nfiles : 1); f++) {
		if ((fp = mc_io_open_in(o->nfiles ? o->files[f] : "-", &name,
		    err)) == NULL) {
			rc = err->status;
			break;
		}
		mc_progress_file(&s.pg, fp, (uint64_t)f + 1, o->nfiles,
		    mc_progress_clock());
		rc = read_file(&s, fp, name, err);
		if (fp != stdin)
			fclose(fp);
	}
	mc_progress_end(&s.pg, rc != 0 ? s.pg.done : s.pg.total ? s.pg.total :
	    s.rows, mc_progress_clock());
	/* A merge prints nothing unless every set of shards is whole. */
	for (i = 0; rc == 0 && o->merge && i < s.nused; i++)
		if (s.cells[i].set != NULL)
			rc = mc_prov_set_check(s.cells[i].set, err);
	if (rc == 0)
		rc = put_rows(&s, err);
	if (rc == 0)
		report_skipped(&s);
	for (i = 0; i < s.nused; i++)
		cell_free(&s.cells[i]);
	free(s.skipped);
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
	return mc_err_set(err, EX_USAGE, "expected LO,HI with LO < HI, got "
	    "\"%s\"", arg);
}

static int
parse_quantiles(struct opts *o, const char *arg, mc_err *err)
{
	size_t i;

	if (split_list(arg, &o->quant, err) != 0)
		return err->status;
	free(o->probs);
	if ((o->probs = calloc(o->quant.n, sizeof(double))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < o->quant.n; i++)
		if (mc_parse_double(o->quant.v[i], &o->probs[i]) != NULL ||
		    !(o->probs[i] >= 0 && o->probs[i] <= 1))
			return mc_err_set(err, EX_USAGE, "expected probabilities "
			    "from 0 to 1, got \"%s\"",
			    o->quant.v[i]);
	return 0;
}

static int
set(void *ctx, int id, const char *arg, mc_err *err)
{
	struct opts *o = ctx;
	int rc;

	switch (id) {
	case OPT_COLS:
		return split_list(arg, &o->cols, err);
	case OPT_BY:
		return split_list(arg, &o->by, err);
	case OPT_MERGE:
		o->merge = 1;
		return 0;
	case OPT_HIST:
		if ((rc = mc_opt_count(arg, &o->bins, err)) == 0 &&
		    o->bins > 1000000)
			rc = mc_err_set(err, EX_USAGE, "at most 1000000 bins, "
			    "got \"%s\"", arg);
		return rc;
	case OPT_RANGE:
		o->range = 1;
		return parse_range(arg, &o->lo, &o->hi, err);
	case OPT_QUANTILES:
		return parse_quantiles(o, arg, err);
	case OPT_SKIP_EMPTY:
		o->skip_empty = 1;
		return 0;
	}
	return mc_err_set(err, EX_SOFTWARE, "no option %d", id);
}

static int
check(void *ctx, int argc, char **argv, mc_err *err)
{
	struct opts *o = ctx;

	if (o->merge && (o->cols.n || o->by.n || o->c.partial || o->bins ||
	    o->quant.n))
		return mc_err_set(err, EX_USAGE, "--merge takes the key from "
		    "the partial rows; -c, --by, --partial, --hist and "
		    "--quantiles do not apply");
	if (o->c.partial + (o->bins > 0) + (o->quant.n > 0) > 1)
		return mc_err_set(err, EX_USAGE, "--partial, --hist and "
		    "--quantiles do not go together");
	if (o->range && !o->bins)
		return mc_err_set(err, EX_USAGE, "--range goes with --hist");
	o->files = argv;
	o->nfiles = argc;
	return 0;
}

int
main(int argc, char **argv)
{
	static const mc_cli_prog prog = {
		"mcstat", usage, MC_CLI_PARTIAL | MC_CLI_LEVEL | MC_CLI_PROGRESS,
		options, NOPTS,
		set, check, run
	};
	struct opts o = { 0 };
	int rc;

	mc_cli_init(&o.c);
	o.c.isa = getenv("MCTOOLS_ISA");
	rc = mc_cli_main(&prog, &o.c, &o, argc, argv);
	free(o.cols.buf);
	free(o.cols.v);
	free(o.by.buf);
	free(o.by.v);
	free(o.quant.buf);
	free(o.quant.v);
	free(o.probs);
	return rc;
}
