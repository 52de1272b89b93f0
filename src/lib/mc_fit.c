/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fit: the fit file (see mc_fit.h).  Writing builds each line's
 * values in memory, hashes the fields and writes them through mc_csv_out;
 * reading checks each line's hash before it reads a number, and every
 * count against what the row line announced, so that a fit that is read
 * is whole and of the shape it claims (mc_price_run checks that shape
 * against the contract).
 */
#include "mc_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_fmt.h"
#include "mc_prov.h"

enum { F_ROW, F_JOB, F_WHAT, F_CONTRACT, F_SLICE, F_VALUES, F_CHECK, NF };

static const char *const cols[NF] = {
	"fit_row", "fit_job", "fit_what", "fit_contract", "fit_slice",
	"fit_values", "fit_check"
};

/* The most contracts a row may have, and rules a row may hold. */
#define MAX_NVAR 64
#define MAX_RULES (UINT64_C(1) << 24)

struct entry {
	uint64_t row, job;
	unsigned long line;	/* of its row line */
	uint64_t nrules;	/* rule lines read */
	mc_price_fit fit;
};

struct mc_fit_file {
	char *name;
	struct entry *e;
	size_t n, cap;
};

uint64_t
mc_fit_job(uint64_t job, uint64_t seed)
{
	uint64_t h = mc_prov_addu(MC_PROV_FNV0, "job", job);

	h = mc_prov_addu(h, "seed", seed);
	return mc_prov_add(h, "fit", "1");
}

/* The hash of the six fields of a line, for fit_check. */
static uint64_t
line_check(const char *const *f)
{
	uint64_t h = MC_PROV_FNV0;
	int i;

	for (i = 0; i < F_CHECK; i++)
		h = mc_prov_field(h, f[i], strlen(f[i]));
	return h;
}

void
mc_fit_header(FILE *fp, char sep)
{
	mc_csv_out w;
	int i;

	mc_csv_out_init(&w, fp, sep);
	for (i = 0; i < NF; i++)
		mc_csv_out_str(&w, cols[i]);
	mc_csv_out_end(&w);
}

/* Writes one line: its fields f[0..F_VALUES] and their check. */
static void
put_line(FILE *fp, char sep, const char **f)
{
	char check[17];
	mc_csv_out w;
	int i;

	snprintf(check, sizeof(check), "%016llx",
	    (unsigned long long)line_check(f));
	f[F_CHECK] = check;
	mc_csv_out_init(&w, fp, sep);
	for (i = 0; i < NF; i++)
		mc_csv_out_str(&w, f[i]);
	mc_csv_out_end(&w);
}

/* Appends ";x" (or "x" first) to the memory stream m. */
static void
put_num(FILE *m, int first, double x)
{
	char b[MC_FMT_DBL + 1];

	b[mc_fmt_double(b, x)] = '\0';
	fprintf(m, "%s%s", first ? "" : ";", b);
}

/* Appends the F - 1 dates of coefficients beta; a date without a rule
 * (beta NaN) has its other coefficients unset, and NaN written. */
static void
put_beta(FILE *m, const mc_lsm_exercise *ex, const double *beta)
{
	unsigned f, k;

	for (f = 0; f + 1 < ex->F; f++)
		for (k = 0; k < ex->p; k++)
			put_num(m, 0, isnan(beta[f * ex->p]) ? NAN :
			    beta[f * ex->p + k]);
}

void
mc_fit_write(FILE *fp, char sep, uint64_t row, uint64_t job,
    const mc_price_fit *f)
{
	char srow[24], sjob[17], sk[24], sv[24], *vals = NULL;
	const char *fl[NF] = { srow, sjob, "row", "", "", NULL, NULL };
	uint64_t i;
	size_t len;
	unsigned f2;
	FILE *m;

	snprintf(srow, sizeof(srow), "%llu", (unsigned long long)row);
	snprintf(sjob, sizeof(sjob), "%016llx", (unsigned long long)job);
	for (i = 0; i <= f->nvar * f->nslices; i++) {
		const mc_lsm_exercise *ex = i > 0 ? &f->ex[i - 1] : NULL;
		if ((m = open_memstream(&vals, &len)) == NULL)
			return;
		if (ex == NULL) {
			put_num(m, 1, f->nvar);
			put_num(m, 0, (double)f->nslices);
			put_num(m, 0, f->cv);
			put_num(m, 0, f->cv_b);
		} else {
			put_num(m, 1, ex->F);
			put_num(m, 0, ex->p);
			put_num(m, 0, ex->beta2 != NULL);
			for (f2 = 0; f2 + 1 < ex->F; f2++) {
				put_num(m, 0, ex->zone[f2].lo);
				put_num(m, 0, ex->zone[f2].hi);
			}
			put_beta(m, ex, ex->beta);
			if (ex->beta2 != NULL)
				put_beta(m, ex, ex->beta2);
			snprintf(sv, sizeof(sv), "%llu",
			    (unsigned long long)((i - 1) / f->nslices));
			snprintf(sk, sizeof(sk), "%llu",
			    (unsigned long long)((i - 1) % f->nslices));
			fl[F_WHAT] = "rule";
			fl[F_CONTRACT] = sv;
			fl[F_SLICE] = sk;
		}
		fclose(m);
		fl[F_VALUES] = vals;
		put_line(fp, sep, fl);
		free(vals);
		vals = NULL;
	}
}

void
mc_fit_free(mc_fit_file *ff)
{
	size_t i;

	if (ff == NULL)
		return;
	for (i = 0; i < ff->n; i++)
		mc_price_fit_free(&ff->e[i].fit);
	free(ff->e);
	free(ff->name);
	free(ff);
}

/*
 * The numbers of s, ';'-separated, into x[0..*n) (malloc'd); returns 0,
 * or EX_DATAERR with the reason and the bad number in err.
 */
static int
parse_values(const char *s, double **x, size_t *n, mc_err *err)
{
	size_t cap = 1, k = 0, len;
	const char *p, *why, *end;
	char *tok;
	int st = 0;

	*n = 0;
	for (p = s; *p != '\0'; p++)
		cap += *p == ';';
	*x = malloc(cap * sizeof(**x));
	tok = malloc(strlen(s) + 1);
	if (*x == NULL || tok == NULL) {
		free(tok);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (p = s; st == 0 && k < cap; p = end + 1) {
		end = strchr(p, ';');
		end = end != NULL ? end : p + strlen(p);
		len = (size_t)(end - p);
		memcpy(tok, p, len);
		tok[len] = '\0';
		if ((why = mc_parse_double(tok, &(*x)[k++])) != NULL) {
			char q[64];
			st = mc_err_set(err, EX_DATAERR, "column 'fit_values': "
			    "%s, got %s", why, mc_err_quote(q, sizeof(q), tok));
		}
	}
	free(tok);
	*n = k;
	return st;
}

/* Whether x is a whole number from lo to hi. */
static int
whole(double x, double lo, double hi)
{
	return x >= lo && x <= hi && x == floor(x);
}

/* A row line: a new entry of ff, after the last one is whole. */
static int
read_row(mc_fit_file *ff, uint64_t row, uint64_t job, unsigned long line,
    const double *x, size_t n, mc_err *err)
{
	struct entry *e;

	if (n != 4 || !whole(x[0], 1, MAX_NVAR) || !whole(x[1], 0,
	    (double)MAX_RULES) || x[0] * x[1] > (double)MAX_RULES ||
	    !whole(x[2], 0, 1) || !isfinite(x[3]))
		return mc_err_set(err, EX_DATAERR, "column 'fit_values': "
		    "expected a row's NVAR;NSLICES;CV;B");
	if (ff->n > 0 && ff->e[ff->n - 1].row >= row)
		return mc_err_set(err, EX_DATAERR, "book row %llu after row "
		    "%llu: the rows are out of order",
		    (unsigned long long)row,
		    (unsigned long long)ff->e[ff->n - 1].row);
	if (ff->n == ff->cap) {
		size_t cap = ff->cap ? 2 * ff->cap : 64;
		struct entry *ne = realloc(ff->e, cap * sizeof(*ne));
		if (ne == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		ff->e = ne;
		ff->cap = cap;
	}
	e = &ff->e[ff->n++];
	memset(e, 0, sizeof(*e));
	e->row = row;
	e->job = job;
	e->line = line;
	e->fit.nvar = (unsigned)x[0];
	e->fit.nslices = (uint64_t)x[1];
	e->fit.cv = (int)x[2];
	e->fit.cv_b = x[3];
	if (e->fit.nslices > 0 && (e->fit.ex = calloc(e->fit.nvar *
	    e->fit.nslices, sizeof(*e->fit.ex))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	return 0;
}

/* Copies the F - 1 dates of p coefficients at x into beta (F p of them,
 * the last date's unused and zero). */
static double *
get_beta(const double *x, unsigned F, unsigned p)
{
	double *beta = calloc((size_t)F * p, sizeof(*beta));

	if (beta != NULL)
		memcpy(beta, x, (size_t)(F - 1) * p * sizeof(*beta));
	return beta;
}

/* A rule line of the last entry: contract iv, slice k, values x[0..n). */
static int
read_rule(mc_fit_file *ff, uint64_t row, uint64_t job, uint64_t iv,
    uint64_t k, const double *x, size_t n, mc_err *err)
{
	struct entry *e = ff->n > 0 ? &ff->e[ff->n - 1] : NULL;
	mc_lsm_exercise *ex;
	unsigned F, p, f;
	int two;

	if (e == NULL || e->row != row || e->job != job)
		return mc_err_set(err, EX_DATAERR, "a rule of book row %llu "
		    "without its row line before it", (unsigned long long)row);
	if (iv >= e->fit.nvar || k >= e->fit.nslices ||
	    e->fit.ex[iv * e->fit.nslices + k].beta != NULL)
		return mc_err_set(err, EX_DATAERR, "rule %llu of contract %llu "
		    "given twice or beyond the row's %u contracts of %llu "
		    "rules", (unsigned long long)k, (unsigned long long)iv,
		    e->fit.nvar, (unsigned long long)e->fit.nslices);
	if (n < 3 || !whole(x[0], 1, MC_CONTRACT_MAX_DATES) ||
	    (x[1] != 4 && x[1] != 6) || !whole(x[2], 0, 1) || n != 3 +
	    (size_t)(x[0] - 1) * (2 + (size_t)x[1] * (1 + (size_t)x[2])))
		return mc_err_set(err, EX_DATAERR, "column 'fit_values': "
		    "expected a rule's F;P;TWO, zones and coefficients");
	F = (unsigned)x[0];
	p = (unsigned)x[1];
	two = x[2] != 0;
	ex = &e->fit.ex[iv * e->fit.nslices + k];
	ex->F = F;
	ex->p = p;
	ex->zone = calloc(F, sizeof(*ex->zone));
	ex->beta = get_beta(x + 3 + 2 * (F - 1), F, p);
	ex->beta2 = two ? get_beta(x + 3 + (2 + p) * (F - 1), F, p) : NULL;
	if (ex->zone == NULL || ex->beta == NULL || (two && ex->beta2 ==
	    NULL))
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (f = 0; f + 1 < F; f++) {
		ex->zone[f].lo = x[3 + 2 * f];
		ex->zone[f].hi = x[4 + 2 * f];
	}
	e->nrules++;
	return 0;
}

/* Whether the last entry has every rule its row line announced. */
static int
whole_entry(const mc_fit_file *ff, mc_err *err)
{
	const struct entry *e = ff->n > 0 ? &ff->e[ff->n - 1] : NULL;

	if (e != NULL && e->nrules != e->fit.nvar * e->fit.nslices)
		return mc_err_set(err, EX_DATAERR, "book row %llu has %llu of "
		    "its %llu exercise rules (a cut fit file)",
		    (unsigned long long)e->row,
		    (unsigned long long)e->nrules,
		    (unsigned long long)(e->fit.nvar * e->fit.nslices));
	return 0;
}

/* Parses "%016llx" exactly. */
static int
parse_hex16(const char *s, uint64_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 16; i++) {
		int c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return s[16] == '\0' ? 0 : -1;
}

/* Reads the current line of rd, whose columns are at col, into ff. */
static int
read_line(mc_fit_file *ff, mc_csv_reader *rd, const size_t *col,
    mc_err *err)
{
	const char *f[NF];
	uint64_t row, job, check, iv = 0, k = 0;
	double *x = NULL;
	size_t n, i;
	int st, rule;

	for (i = 0; i < NF; i++)
		f[i] = mc_csv_field(rd, col[i]);
	if (parse_hex16(f[F_CHECK], &check) != 0 || check != line_check(f))
		return mc_err_set(err, EX_DATAERR, "the line does not match "
		    "its fit_check (a damaged fit file); make it again with "
		    "mcprice --fit");
	rule = strcmp(f[F_WHAT], "rule") == 0;
	if (mc_parse_u64(f[F_ROW], &row) != NULL || row == 0 ||
	    parse_hex16(f[F_JOB], &job) != 0 || (!rule &&
	    strcmp(f[F_WHAT], "row") != 0) || (rule &&
	    (mc_parse_u64(f[F_CONTRACT], &iv) != NULL ||
	    mc_parse_u64(f[F_SLICE], &k) != NULL)))
		return mc_err_set(err, EX_DATAERR, "expected a fit's book row, "
		    "job, row or rule, contract and slice");
	if ((st = parse_values(f[F_VALUES], &x, &n, err)) == 0) {
		if (rule)
			st = read_rule(ff, row, job, iv, k, x, n, err);
		else if ((st = whole_entry(ff, err)) == 0)
			st = read_row(ff, row, job, mc_csv_line(rd), x, n,
			    err);
	}
	free(x);
	return st;
}

/* Reads every line of rd into ff. */
static int
read_all(mc_fit_file *ff, mc_csv_reader *rd, mc_err *err)
{
	char where[MC_ERR_MSG];
	size_t col[NF];
	int i, st;

	for (i = 0; i < NF; i++)
		if (mc_csv_require(rd, cols[i], &col[i], err) != 0)
			return mc_err_set(err, EX_DATAERR, "%s:1: not a fit file "
			    "(no column '%s'; mcprice --fit writes one)",
			    ff->name, cols[i]);
	while ((st = mc_csv_next(rd, err)) == 1)
		if ((st = read_line(ff, rd, col, err)) != 0) {
			snprintf(where, sizeof(where), "%s:%lu", ff->name,
			    mc_csv_line(rd));
			err->status = st;
			return mc_err_prefix(err, where);
		}
	if (st < 0)
		return err->status;
	if ((st = whole_entry(ff, err)) != 0)
		return mc_err_prefix(err, ff->name);
	if (ff->n == 0)
		return mc_err_set(err, EX_DATAERR, "%s: a fit file without a "
		    "row", ff->name);
	return 0;
}

mc_fit_file *
mc_fit_read(FILE *fp, const char *name, char sep, mc_err *err)
{
	mc_fit_file *ff = calloc(1, sizeof(*ff));
	mc_csv_reader *rd;
	int st;

	if (ff == NULL || (ff->name = strdup(name)) == NULL) {
		free(ff);
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	if ((rd = mc_csv_open_sep(fp, name, sep, err)) == NULL) {
		mc_fit_free(ff);
		return NULL;
	}
	st = read_all(ff, rd, err);
	mc_csv_free(rd);
	if (st != 0) {
		mc_fit_free(ff);
		return NULL;
	}
	return ff;
}

int
mc_fit_find(const mc_fit_file *ff, uint64_t row, uint64_t job,
    const mc_price_fit **f, mc_err *err)
{
	size_t lo = 0, hi = ff->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ff->e[mid].row < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ff->n || ff->e[lo].row != row)
		return mc_err_set(err, EX_DATAERR, "%s: no fit of book row %llu "
		    "(a fit of another book?); make one with mcprice --fit",
		    ff->name, (unsigned long long)row);
	if (ff->e[lo].job != job)
		return mc_err_set(err, EX_DATAERR, "%s:%lu: the fit of book row "
		    "%llu is of another job (another row, seed, -n or option); "
		    "make one with mcprice --fit and this run's options",
		    ff->name, ff->e[lo].line, (unsigned long long)row);
	*f = &ff->e[lo].fit;
	return 0;
}
