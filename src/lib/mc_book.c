/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_book.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mc_acc.h"
#include "mc_csv.h"
#include "mc_fmt.h"
#include "mc_map.h"
#include "mc_rng.h"

enum { FINAL, GREEKS, DUAL, PARTIAL };

/*
 * Every column mcprice adds, in the order it writes them.  The GREEKS
 * entry stands for each of mc_price_stat_names but the price, followed by
 * its standard error NAME_se.
 */
static const struct col {
	const char *name;
	int kind;
} cols[] = {
	{ "price", FINAL }, { "stderr", FINAL }, { "ci_lo", FINAL },
	{ "ci_hi", FINAL }, { "paths", FINAL }, { "ref", FINAL },
	{ NULL, GREEKS },
	{ "upper", DUAL }, { "upper_se", DUAL }, { "bracket_lo", DUAL },
	{ "bracket_hi", DUAL },
	{ "book_row", PARTIAL }, { "paths_per_n", PARTIAL },
	{ "name", PARTIAL }, { "n", PARTIAL }, { "sum", PARTIAL },
	{ "sumsq", PARTIAL }, { "mc_seed", PARTIAL }, { "mc_shard", PARTIAL },
	{ "mc_job", PARTIAL },
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))
/* Room for every added name, the Greeks spelt out. */
#define NADDED (NCOLS + 2 * MC_NSTAT)

/* Whether name is a Greek's column or its standard error's. */
static int
is_greek(const char *name)
{
	size_t len;
	int s;

	for (s = 1; s < MC_NSTAT; s++) {
		len = strlen(mc_price_stat_names[s]);
		if (strncmp(name, mc_price_stat_names[s], len) == 0 &&
		    (name[len] == '\0' || strcmp(name + len, "_se") == 0))
			return 1;
	}
	return 0;
}

/*
 * Whether name is one of the added columns of kind (FINAL: the Greeks
 * and the duality columns too).
 */
static int
is_added(const char *name, int kind)
{
	size_t i;

	if (kind == FINAL && is_greek(name))
		return 1;
	for (i = 0; i < NCOLS; i++)
		if ((cols[i].kind == kind || (kind == FINAL && cols[i].kind ==
		    DUAL)) && strcmp(cols[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Appends the added columns of partial or final rows to v (from *n on),
 * the names of the Greeks' standard errors made in se.
 */
static void
added(const char **v, size_t *n, int partial, int greeks, int dual,
    char se[MC_NSTAT][32])
{
	size_t i;
	int s;

	for (i = 0; i < NCOLS; i++) {
		if (cols[i].kind == PARTIAL && partial)
			v[(*n)++] = cols[i].name;
		else if (cols[i].kind == FINAL && !partial)
			v[(*n)++] = cols[i].name;
		else if (cols[i].kind == DUAL && !partial && dual)
			v[(*n)++] = cols[i].name;
		else if (cols[i].kind == GREEKS && !partial && greeks)
			for (s = 1; s < MC_NSTAT; s++) {
				snprintf(se[s], sizeof(se[s]), "%s_se",
				    mc_price_stat_names[s]);
				v[(*n)++] = mc_price_stat_names[s];
				v[(*n)++] = se[s];
			}
	}
}

int
mc_book_init(mc_book *b, FILE *fp, char sep, const char *name,
    const char *const *names, size_t ncols, int partial, int greeks,
    double level, mc_err *err)
{
	char c[64];
	size_t i;

	memset(b, 0, sizeof(*b));
	b->fp = fp;
	b->sep = sep;
	b->name = name;
	b->cols = names;
	b->ncols = ncols;
	b->partial = partial;
	b->greeks = greeks;
	b->level = level;
	if (partial) {
		for (i = 0; i < ncols; i++)
			if (is_added(names[i], PARTIAL))
				return mc_err_set(err, EX_USAGE, "%s:1: the "
				    "book's column '%s' is also a column of "
				    "partial rows; rename it", name,
				    mc_err_name(c, sizeof(c), names[i]));
		return 0;
	}
	if ((b->drop = calloc(ncols + 1, 1)) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < ncols; i++)
		b->drop[i] = (unsigned char)is_added(names[i], FINAL);
	return 0;
}

void
mc_book_free(mc_book *b)
{
	free(b->drop);
	b->drop = NULL;
}

int
mc_book_header(const mc_book *b, mc_err *err)
{
	const char **v = malloc((b->ncols + NADDED) * sizeof(*v));
	char se[MC_NSTAT][32];
	mc_csv_out w;
	size_t i, n = 0;
	int st;

	if (v == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < b->ncols; i++)
		if (b->drop == NULL || !b->drop[i])
			v[n++] = b->cols[i];
	added(v, &n, b->partial, b->greeks, b->dual, se);
	mc_csv_out_init(&w, b->fp, b->sep);
	st = mc_csv_header(&w, v, n, err);
	free(v);
	return st;
}

const char *
mc_book_get(void *ctx, int f)
{
	const mc_book_fields *r = ctx;
	const char *name;
	size_t i;

	if (r->col != NULL)
		return r->col[f] < 0 ? NULL : r->val[r->col[f]];
	name = mc_contract_field_name(f);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0)
			return r->val[i];
	return NULL;
}

void
mc_book_index(mc_book_cols col, const char *const *name, size_t n)
{
	size_t i;
	int f;

	for (f = 0; f <= MC_FIELD_seed; f++)
		col[f] = -1;
	/* The first of two columns of one name, as a scan finds it. */
	for (i = n; i-- > 0;)
		if ((f = mc_contract_field_id(name[i])) >= 0)
			col[f] = (int)i;
}

uint64_t
mc_book_job(const mc_book_fields *r, const mc_split_cost *k,
    const mc_price_opts *o)
{
	uint64_t h = mc_prov_add(MC_PROV_FNV0, "program", "mcprice");
	const char *v;
	int i;

	h = mc_prov_add(h, "shards", "runs of rows, a row under a quarter "
	    "of a shard whole");
	h = mc_prov_addu(h, "cost units", k->units);
	h = mc_prov_addu(h, "cost unit", k->unit);
	h = mc_prov_addu(h, "cost fixed", k->fixed);
	h = mc_prov_addu(h, "n", o->n);
	h = mc_prov_add(h, "rng", mc_rng_name(o->rng));
	h = mc_prov_addu(h, "qmc", (uint64_t)o->qmc);
	h = mc_prov_addu(h, "antithetic", (uint64_t)o->antithetic);
	h = mc_prov_addu(h, "greeks", (uint64_t)o->greeks);
	for (i = 0; mc_contract_fields[i] != NULL; i++)
		if ((v = mc_book_get((void *)r, i)) !=
		    NULL && *v != '\0')
			h = mc_prov_add(h, mc_contract_fields[i], v);
	return h;
}

double
mc_book_ref(const mc_contract *c, const char *where, mc_book_warn warn,
    void *ctx)
{
	mc_err e = { 0, "" };
	char msg[2 * MC_ERR_MSG];
	double ref;

	if (mc_contract_ref(c, &ref, &e) != 0) {
		if (warn != NULL) {
			snprintf(msg, sizeof(msg), "%s: ref left empty: %s",
			    where, e.msg);
			warn(ctx, msg);
		}
		return NAN;
	}
	return ref;
}

/* Writes the book's fields of a row through w. */
static void
put_fields(const mc_book *b, mc_csv_out *w, const char *const *val)
{
	size_t i;

	for (i = 0; i < b->ncols; i++)
		if (b->drop == NULL || !b->drop[i])
			mc_csv_out_str(w, val[i]);
}

/* A number, or an empty field for an absent one (NaN). */
static void
put_num(mc_csv_out *w, double x, int absent)
{
	if (absent && isnan(x))
		mc_csv_out_mem(w, "", 0);
	else
		mc_csv_out_num(w, x);
}

/*
 * A final row.  A sample without spread (mc_price_estimate) leaves the
 * stderr, and the interval unless a bound is known, empty, and says why.
 */
static int
final_row(const mc_book *b, const char *const *val, uint64_t rowno,
    const mc_price_result *res, double ref, const double *dual, mc_err *err)
{
	mc_est e[MC_NSTAT];
	mc_err note;
	char msg[2 * MC_ERR_MSG];
	mc_csv_out w;
	int s, ns = b->greeks ? MC_NSTAT : 1, absent;

	for (s = 0; s < ns; s++) {
		int st = s == 0 ? mc_price_estimate(res, b->level, &e[0],
		    &note) : mc_acc_estimate(&res->acc[s], b->level, &e[s]);
		/* Right or absent: no NaN, infinity or overflowed spread is
		 * printed as a price. */
		if (st == EX_DATAERR)
			return mc_err_set(err, EX_DATAERR, "no finite %s: the "
			    "payoffs or their spread lie beyond the double range "
			    "(the contract's values are too extreme to price)",
			    mc_price_stat_names[s]);
		if (st != 0)
			return mc_err_set(err, EX_SOFTWARE, "GSL could not "
			    "compute the t quantile");
	}
	absent = note.msg[0] != '\0';
	if (absent && b->warn != NULL) {
		snprintf(msg, sizeof(msg), "%s: row %llu: %s", b->name,
		    (unsigned long long)rowno, note.msg);
		b->warn(b->warn_ctx, msg);
	}
	mc_csv_out_init(&w, b->fp, b->sep);
	put_fields(b, &w, val);
	mc_csv_out_num(&w, e[0].mean);
	put_num(&w, e[0].se, absent);
	put_num(&w, e[0].ci_lo, absent);
	put_num(&w, e[0].ci_hi, absent);
	mc_csv_out_count(&w, e[0].n * res->unit);
	/* No closed form: the field is empty (a missing value). */
	if (isnan(ref))
		mc_csv_out_mem(&w, "", 0);
	else
		mc_csv_out_num(&w, ref);
	for (s = 1; s < ns; s++) {
		mc_csv_out_num(&w, e[s].mean);
		mc_csv_out_num(&w, e[s].se);
	}
	for (s = 0; b->dual && s < 4; s++)
		put_num(&w, dual != NULL ? dual[s] : NAN, 1);
	mc_csv_out_end(&w);
	return 0;
}

int
mc_book_row(const mc_book *b, const char *const *val, uint64_t rowno,
    const mc_price_result *res, double ref, const mc_prov *p, mc_err *err)
{
	return mc_book_row_dual(b, val, rowno, res, ref, p, NULL, err);
}

int
mc_book_row_dual(const mc_book *b, const char *const *val,
    uint64_t rowno, const mc_price_result *res, double ref,
    const mc_prov *p, const double *dual, mc_err *err)
{
	mc_csv_out w;
	int s;

	if (!b->partial)
		return final_row(b, val, rowno, res, ref, dual, err);
	mc_csv_out_init(&w, b->fp, b->sep);
	for (s = 0; s < (b->greeks ? MC_NSTAT : 1); s++) {
		put_fields(b, &w, val);
		mc_csv_out_count(&w, rowno);
		mc_csv_out_count(&w, res->unit);
		mc_csv_out_str(&w, mc_price_stat_names[s]);
		mc_acc_out_partial(&w, &res->acc[s]);
		mc_prov_write(&w, p);
		mc_csv_out_end(&w);
	}
	return 0;
}

/* --- The merge --- */

/* What the partial rows of one book row add up to. */
struct group {
	uint64_t rowno;
	unsigned unit;
	unsigned long line;	/* of its first row */
	char **val;		/* the book's fields */
	mc_acc *acc[MC_NSTAT];	/* NULL until a row of the statistic */
	mc_prov_set set[MC_NSTAT];
};

struct merge {
	mc_csv_reader *rd;
	const char *name;
	size_t nb;		/* the book's columns */
	mc_map *rows;		/* book_row -> group */
	struct group *g;
	size_t ng, cap;
};

/* Checks that the header ends with the partial columns. */
static int
merge_header(struct merge *m, mc_err *err)
{
	size_t nc = mc_csv_ncols(m->rd), np = 0, i, len = 0;
	const char *want[NCOLS];
	char list[256];

	for (i = 0; i < NCOLS; i++)
		if (cols[i].kind == PARTIAL)
			want[np++] = cols[i].name;
	for (i = 0; i < np && nc >= np; i++)
		if (strcmp(mc_csv_colname(m->rd, nc - np + i), want[i]) != 0)
			break;
	if (nc >= np && i == np) {
		m->nb = nc - np;
		return 0;
	}
	for (i = 0; i < np; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, ",%s",
		    want[i]);
	return mc_err_set(err, EX_DATAERR, "%s:1: not mcprice partial rows "
	    "(expected the columns ...%s)", m->name, list);
}

/* Puts "NAME:LINE: column 'col': " in front of err's message. */
static int
place(const struct merge *m, unsigned long line, const char *col,
    mc_err *err)
{
	char msg[MC_ERR_MSG];

	snprintf(msg, sizeof(msg), "%s", err->msg);
	return mc_err_set(err, err->status, "%s:%lu: column '%s': %s",
	    m->name, line, col, msg);
}

static int
bad_field(const struct merge *m, unsigned long line, const char *col,
    const char *why, const char *val, mc_err *err)
{
	char q[64];

	return mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': %s, got %s",
	    m->name, line, col, why, mc_err_quote(q, sizeof(q), val));
}

/* A new group for book row rowno, from the current row. */
static struct group *
new_group(struct merge *m, uint64_t rowno, unsigned unit, mc_err *err)
{
	struct group *g;
	size_t k;
	int s;

	if (m->ng == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		if ((g = realloc(m->g, cap * sizeof(*g))) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
		m->g = g;
		m->cap = cap;
	}
	g = &m->g[m->ng++];
	memset(g, 0, sizeof(*g));
	g->rowno = rowno;
	g->unit = unit;
	g->line = mc_csv_line(m->rd);
	for (s = 0; s < MC_NSTAT; s++)
		mc_prov_set_init(&g->set[s]);
	if ((g->val = calloc(m->nb + 1, sizeof(char *))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
	for (k = 0; k < m->nb; k++)
		if ((g->val[k] = strdup(mc_csv_field(m->rd, k))) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
	return g;
}

/* The group of book row rowno; the row must agree with its first row. */
static struct group *
find_group(struct merge *m, uint64_t rowno, unsigned unit, mc_err *err)
{
	unsigned char key[8];
	const char *col = NULL;
	struct group *g;
	size_t k;
	long i;

	for (k = 0; k < 8; k++)
		key[k] = (unsigned char)(rowno >> (8 * k));
	if ((i = mc_map_intern(m->rows, (const char *)key, 8)) < 0)
		return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
	if ((size_t)i == m->ng)
		return new_group(m, rowno, unit, err);
	g = &m->g[i];
	for (k = 0; k < m->nb && col == NULL; k++)
		if (strcmp(g->val[k], mc_csv_field(m->rd, k)) != 0)
			col = mc_csv_colname(m->rd, k);
	if (col == NULL && g->unit != unit)
		col = "paths_per_n";
	if (col == NULL)
		return g;
	{
		char c[64];
		mc_err_set(err, EX_DATAERR, "%s:%lu: book_row %llu differs "
		    "from line %lu in column '%s'", m->name,
		    mc_csv_line(m->rd), (unsigned long long)rowno, g->line,
		    mc_err_name(c, sizeof(c), col));
	}
	return NULL;
}

/* The statistic named s, or -1. */
static int
stat_index(const char *s)
{
	int i;

	for (i = 0; i < MC_NSTAT; i++)
		if (strcmp(s, mc_price_stat_names[i]) == 0)
			return i;
	return -1;
}

/* Reads the current row into its group. */
static int
merge_row(struct merge *m, mc_err *err)
{
	const char *f[9], *col = NULL;
	unsigned long line = mc_csv_line(m->rd);
	uint64_t rowno, unit;
	struct group *g;
	mc_prov p;
	int k, s, st;

	for (k = 0; k < 9; k++)
		f[k] = mc_csv_field(m->rd, m->nb + (size_t)k);
	if (mc_parse_count(f[0], &rowno) != NULL)
		return bad_field(m, line, "book_row", "expected a count", f[0],
		    err);
	/* A path, an antithetic pair, or a Sobol replicate of any size. */
	if (mc_parse_count(f[1], &unit) != NULL || unit < 1 ||
	    unit > UINT32_MAX)
		return bad_field(m, line, "paths_per_n", "expected a count "
		    "from 1 to 4294967295", f[1], err);
	if ((s = stat_index(f[2])) < 0)
		return bad_field(m, line, "name", "expected price, delta, "
		    "gamma, vega, rho or theta", f[2], err);
	if ((g = find_group(m, rowno, (unsigned)unit, err)) == NULL)
		return err->status;
	if (g->acc[s] == NULL) {
		if ((g->acc[s] = malloc(sizeof(mc_acc))) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		mc_acc_init(g->acc[s]);
	}
	if ((st = mc_acc_parse_partial(g->acc[s], f[3], f[4], f[5], &col,
	    err)) != 0 || (st = mc_prov_parse(&p, f[6], f[7], f[8], &col,
	    err)) != 0)
		return place(m, line, col, err);
	return mc_prov_set_add(&g->set[s], &p, m->name, line, err);
}

static int
by_row(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->rowno > y->rowno) - (x->rowno < y->rowno);
}

/* Checks that group g has the price, and the Greeks if the book has. */
static int
merge_stats(const struct merge *m, const struct group *g, int greeks,
    mc_err *err)
{
	unsigned long long r = (unsigned long long)g->rowno;
	int s;

	if (g->acc[0] == NULL)
		return mc_err_set(err, EX_DATAERR, "%s:%lu: book_row %llu has "
		    "no 'price' rows", m->name, g->line, r);
	for (s = 1; s < MC_NSTAT; s++) {
		if (greeks && g->acc[s] == NULL)
			return mc_err_set(err, EX_DATAERR, "%s:%lu: book_row "
			    "%llu has no '%s' rows, but the book's rows have "
			    "Greeks", m->name, g->line, r,
			    mc_price_stat_names[s]);
		if (!greeks && g->acc[s] != NULL)
			return mc_err_set(err, EX_DATAERR, "%s:%lu: book_row "
			    "%llu has '%s' rows, but book_row 1 has no Greeks",
			    m->name, g->line, r, mc_price_stat_names[s]);
	}
	return 0;
}

/*
 * Checks that the set is whole: every book row from 1 up, each with its
 * price and with the Greeks if the first has them, from every shard.
 */
static int
merge_check(struct merge *m, int *greeks, mc_err *err)
{
	size_t i;
	int s, st;

	qsort(m->g, m->ng, sizeof(*m->g), by_row);
	*greeks = 0;
	for (s = 1; m->ng > 0 && s < MC_NSTAT; s++)
		*greeks |= m->g[0].acc[s] != NULL;
	for (i = 0; i < m->ng; i++) {
		struct group *g = &m->g[i];
		if (g->rowno != i + 1)
			return mc_err_set(err, EX_DATAERR, "%s: no rows of "
			    "book_row %zu (the rows go up to book_row %llu)",
			    m->name, i + 1, (unsigned long long)
			    m->g[m->ng - 1].rowno);
		if ((st = merge_stats(m, g, *greeks, err)) != 0)
			return st;
		for (s = 0; s < MC_NSTAT; s++)
			if ((st = mc_prov_set_check(&g->set[s], err)) != 0)
				return st;
	}
	return 0;
}

/* The ref of every group, before a byte is written. */
static int
merge_refs(struct merge *m, const char *const *names, double *ref,
    double *range, mc_book_warn warn, mc_err *err)
{
	char where[MC_ERR_MSG], msg[MC_ERR_MSG];
	const char *col = NULL;
	mc_book_cols fcol;
	mc_contract c;
	size_t i;
	int st;

	mc_book_index(fcol, names, m->nb);
	for (i = 0; i < m->ng; i++) {
		mc_book_fields r = { m->nb, names,
		    (const char *const *)m->g[i].val, fcol };
		snprintf(where, sizeof(where), "%s:%lu", m->name, m->g[i].line);
		st = mc_contract_parse(&c, mc_book_get, &r, &col, err);
		if (st == 0) {
			ref[i] = mc_book_ref(&c, where, warn, NULL);
			mc_price_range(&c, &range[2 * i], &range[2 * i + 1]);
		}
		mc_contract_free(&c);
		if (st != 0 && col == NULL)
			return st;
		if (st != 0)
			return mc_err_set(err, st, "%s: %s", where,
			    mc_contract_message(msg, sizeof(msg), col,
			    err->msg, 0));
	}
	return 0;
}

static int
merge_write(struct merge *m, FILE *out, char sep, double level,
    mc_book_warn warn, mc_err *err)
{
	const char **names = calloc(m->nb + 1, sizeof(*names));
	double *ref = calloc(m->ng + 1, sizeof(double));
	double *range = calloc(2 * m->ng + 1, sizeof(double));
	mc_price_result res;
	mc_book b = { 0 };
	size_t i;
	int greeks, s, st;

	if (names == NULL || ref == NULL || range == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	for (i = 0; i < m->nb; i++)
		names[i] = mc_csv_colname(m->rd, i);
	if ((st = merge_check(m, &greeks, err)) != 0 ||
	    (st = merge_refs(m, names, ref, range, warn, err)) != 0 ||
	    (st = mc_book_init(&b, out, sep, m->name, names, m->nb, 0, greeks,
	    level, err)) != 0 || (st = mc_book_header(&b, err)) != 0)
		goto out;
	b.warn = warn;
	for (s = 0; s < MC_NSTAT; s++)
		mc_acc_init(&res.acc[s]);
	for (i = 0; i < m->ng && st == 0; i++) {
		for (s = 0; s < MC_NSTAT; s++)
			if (m->g[i].acc[s] != NULL)
				res.acc[s] = *m->g[i].acc[s];
		res.unit = m->g[i].unit;
		res.lo = range[2 * i];
		res.hi = range[2 * i + 1];
		st = mc_book_row(&b, (const char *const *)m->g[i].val,
		    m->g[i].rowno, &res, ref[i], NULL, err);
	}
out:
	mc_book_free(&b);
	free(names);
	free(ref);
	free(range);
	return st;
}

static void
merge_free(struct merge *m)
{
	size_t i, k;
	int s;

	for (i = 0; i < m->ng; i++) {
		for (k = 0; m->g[i].val != NULL && k < m->nb; k++)
			free(m->g[i].val[k]);
		free(m->g[i].val);
		for (s = 0; s < MC_NSTAT; s++) {
			free(m->g[i].acc[s]);
			mc_prov_set_free(&m->g[i].set[s]);
		}
	}
	free(m->g);
	mc_map_free(m->rows);
	mc_csv_free(m->rd);
}

int
mc_book_merge(FILE *in, const char *name, FILE *out, char sep,
    double level, mc_book_warn warn, mc_err *err)
{
	struct merge m = { 0 };
	int st;

	m.name = name;
	if ((m.rows = mc_map_alloc()) == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	if ((m.rd = mc_csv_open_sep(in, name, sep, err)) == NULL) {
		st = err->status;
		goto out;
	}
	if ((st = merge_header(&m, err)) != 0)
		goto out;
	while ((st = mc_csv_next(m.rd, err)) == 1)
		/* Shard outputs joined with cat repeat the header. */
		if (!mc_csv_is_header(m.rd) && (st = merge_row(&m, err)) != 0)
			goto out;
	if (st < 0) {
		st = err->status;
		goto out;
	}
	st = merge_write(&m, out, sep, level, warn, err);
out:
	merge_free(&m);
	return st;
}
