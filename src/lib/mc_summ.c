/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_summ: the summary of one column of one group, and its statistics.
 * See mc_summ.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"
#include "mc_summ.h"

/* What a summary keeps beyond its count and sums, allocated on demand
 * so that a group costs little when only sums are asked for. */
struct mc_summ_more {
	uint64_t missing;
	double min, max, first, last;
	double *v;
	size_t nv, cap;
	int sorted;
};

static const struct word {
	const char *word;
	int kind;
	const char *name;	/* the column; NULL: the word itself */
	unsigned need;
} words[] = {
	{ "count", MC_SUMM_COUNT, NULL, 0 },
	{ "n", MC_SUMM_COUNT, "count", 0 },
	{ "rows", MC_SUMM_ROWCOUNT, NULL, MC_SUMM_ROWS },
	{ "sum", MC_SUMM_SUM, NULL, 0 },
	{ "min", MC_SUMM_MIN, NULL, MC_SUMM_MINMAX },
	{ "max", MC_SUMM_MAX, NULL, MC_SUMM_MINMAX },
	{ "range", MC_SUMM_RANGE, NULL, MC_SUMM_MINMAX },
	{ "mean", MC_SUMM_MEAN, NULL, 0 },
	{ "sd", MC_SUMM_SD, NULL, 0 },
	{ "sstdev", MC_SUMM_SD, "sd", 0 },
	{ "stderr", MC_SUMM_STDERR, NULL, 0 },
	{ "sem", MC_SUMM_STDERR, "stderr", 0 },
	{ "ci_lo", MC_SUMM_CI_LO, NULL, 0 },
	{ "ci_hi", MC_SUMM_CI_HI, NULL, 0 },
	{ "first", MC_SUMM_FIRST, NULL, MC_SUMM_ENDS },
	{ "last", MC_SUMM_LAST, NULL, MC_SUMM_ENDS },
	{ "median", MC_SUMM_MEDIAN, NULL, MC_SUMM_VALUES },
	{ "q1", MC_SUMM_Q1, NULL, MC_SUMM_VALUES },
	{ "q3", MC_SUMM_Q3, NULL, MC_SUMM_VALUES },
	{ "iqr", MC_SUMM_IQR, NULL, MC_SUMM_VALUES },
	{ "mode", MC_SUMM_MODE, NULL, MC_SUMM_VALUES },
	{ "countunique", MC_SUMM_COUNTUNIQUE, NULL, MC_SUMM_VALUES },
	{ "perc", MC_SUMM_PERC, "p95", MC_SUMM_VALUES },
};

/*
 * Reads a percentile word, pP or perc:P, into op.  Returns 1 if word is
 * one, 0 if it is not, -1 if it is one with a bad P.
 */
static int
parse_perc(const char *word, mc_summ_op *op)
{
	const char *p;
	double x;

	if (strncmp(word, "perc:", 5) == 0)
		p = word + 5;
	else if (word[0] == 'p' && (word[1] == '.' || (word[1] >= '0' &&
	    word[1] <= '9')))
		p = word + 1;
	else
		return 0;
	if (*p == '\0' || strlen(p) > sizeof(op->name) - 2 ||
	    strspn(p, "0123456789.") != strlen(p) ||
	    mc_parse_double(p, &x) != NULL || !(x >= 0 && x <= 100))
		return -1;
	op->kind = MC_SUMM_PERC;
	op->p = x / 100;
	snprintf(op->name, sizeof(op->name), "p%s", p);
	return 1;
}

/* Reads one word into op.  Returns 0 or EX_USAGE. */
static int
parse_word(const char *word, mc_summ_op *op, unsigned *need, mc_err *err)
{
	char q[64];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i].word) == 0) {
			op->kind = words[i].kind;
			op->p = 0.95;
			snprintf(op->name, sizeof(op->name), "%s",
			    words[i].name ? words[i].name : word);
			*need |= words[i].need;
			return 0;
		}
	if ((rc = parse_perc(word, op)) > 0) {
		*need |= MC_SUMM_VALUES;
		return 0;
	}
	if (rc < 0)
		return mc_err_set(err, EX_USAGE, "expected a percentile from "
		    "0 to 100 (as p90 or perc:90), got %s", mc_err_quote(q,
		    sizeof(q), word));
	return mc_err_set(err, EX_USAGE, "unknown statistic %s; the "
	    "statistics are count, rows, sum, min, max, range, mean, sd, "
	    "stderr, ci_lo, ci_hi, first, last, median, q1, q3, iqr, pP, "
	    "mode, countunique", mc_err_quote(q, sizeof(q), word));
}

int
mc_summ_ops_parse(mc_summ_ops *ops, const char *list, mc_err *err)
{
	char *buf, *p, *save = NULL, q[64];
	size_t i;
	int rc = 0;

	mc_summ_ops_free(ops);
	if ((buf = strdup(list)) == NULL || (ops->v = calloc(strlen(list) + 1,
	    sizeof(*ops->v))) == NULL) {
		free(buf);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (p = strtok_r(buf, ",", &save); rc == 0 && p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if ((rc = parse_word(p, &ops->v[ops->n], &ops->need, err)) != 0)
			break;
		for (i = 0; i < ops->n; i++)
			if (strcmp(ops->v[i].name, ops->v[ops->n].name) == 0)
				rc = mc_err_set(err, EX_USAGE, "statistic %s "
				    "given twice", mc_err_quote(q, sizeof(q),
				    ops->v[i].name));
		ops->n++;
	}
	if (rc == 0 && ops->n == 0)
		rc = mc_err_set(err, EX_USAGE, "expected statistics separated "
		    "by commas, got %s", mc_err_quote(q, sizeof(q), list));
	free(buf);
	return rc;
}

void
mc_summ_ops_free(mc_summ_ops *ops)
{
	free(ops->v);
	memset(ops, 0, sizeof(*ops));
}

const mc_summ_op *
mc_summ_ops_unmergeable(const mc_summ_ops *ops, const char **why)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		int k = ops->v[i].kind;
		if (k == MC_SUMM_FIRST || k == MC_SUMM_LAST) {
			*why = "shards carry no order";
			return &ops->v[i];
		}
		if (k >= MC_SUMM_MEDIAN) {
			*why = "it needs every value";
			return &ops->v[i];
		}
	}
	return NULL;
}

const char *
mc_summ_partial_cols(unsigned need)
{
	static const char *const cols[] = {
		MC_ACC_PARTIAL_COLS, MC_ACC_PARTIAL_COLS ",min,max",
		MC_ACC_PARTIAL_COLS ",rows", MC_ACC_PARTIAL_COLS ",min,max,rows"
	};

	return cols[(need & MC_SUMM_MINMAX ? 1 : 0) +
	    (need & MC_SUMM_ROWS ? 2 : 0)];
}

int
mc_summ_find_partial(const mc_csv_reader *r, size_t col[6], unsigned *have,
    mc_err *err)
{
	static const char *const names[] = { "n", "sum", "sumsq", "min", "max",
	    "rows" };
	long at;
	size_t j;

	for (j = 0; j < 6; j++) {
		col[j] = SIZE_MAX;
		if (j < 3 && mc_csv_require(r, names[j], &col[j], err) != 0)
			return err->status;
		if (j >= 3 && (at = mc_csv_find(r, names[j])) >= 0)
			col[j] = (size_t)at;
	}
	if ((col[3] == SIZE_MAX) != (col[4] == SIZE_MAX))
		return mc_err_set(err, EX_DATAERR, "%s:1: partial rows with "
		    "column '%s' need column '%s' too", mc_csv_name(r),
		    col[3] == SIZE_MAX ? "max" : "min", col[3] == SIZE_MAX ?
		    "min" : "max");
	*have = (col[3] != SIZE_MAX ? MC_SUMM_MINMAX : 0) |
	    (col[5] != SIZE_MAX ? MC_SUMM_ROWS : 0);
	return 0;
}

const mc_summ_op *
mc_summ_ops_lacking(const mc_summ_ops *ops, unsigned have, const char **col)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		int k = ops->v[i].kind;
		unsigned need = k == MC_SUMM_ROWCOUNT ? MC_SUMM_ROWS :
		    k >= MC_SUMM_MIN && k <= MC_SUMM_RANGE ? MC_SUMM_MINMAX : 0;
		if (need & ~have) {
			*col = need == MC_SUMM_ROWS ? "rows" : "min";
			return &ops->v[i];
		}
	}
	return NULL;
}

void
mc_summ_free(mc_summ *s)
{
	if (s->more != NULL)
		free(s->more->v);
	free(s->more);
	free(s->wide);
	free(s->blk);
	memset(s, 0, sizeof(*s));
}

/* The extra part of s, allocated when first needed; NULL when out of
 * memory. */
static struct mc_summ_more *
more(mc_summ *s)
{
	if (s->more == NULL)
		s->more = calloc(1, sizeof(*s->more));
	return s->more;
}

/* Whether x comes before y: by value, and -0 before 0, so that the least
 * of equal values is the same whatever their order. */
static int
before(double x, double y)
{
	return x < y || (x == y && signbit(x) && !signbit(y));
}

static int
cmp_total(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return before(x, y) ? -1 : before(y, x);
}

uint64_t
mc_summ_n(const mc_summ *s)
{
	return (s->wide ? s->wide->n : s->n) + s->nblk;
}

/* The count and sums of s without the values waiting in its block. */
static void
sums(const mc_summ *s, mc_acc *a)
{
	if (s->wide != NULL) {
		*a = *s->wide;
		return;
	}
	mc_acc_init(a);
	a->n = s->n;
	mc_xwin_to_xsum(&s->sum, &a->sum);
	mc_xwin_to_xsum(&s->sumsq, &a->sumsq);
}

void
mc_summ_acc(const mc_summ *s, mc_acc *a)
{
	size_t i;

	sums(s, a);
	for (i = 0; i < s->nblk; i++)
		mc_acc_add(a, s->blk[i]);
}

/* Moves s's sums to a full accumulator.  Returns 0, or -1 when out of
 * memory. */
static int
widen(mc_summ *s)
{
	mc_acc *wide = malloc(sizeof(*wide));

	if (wide == NULL)
		return -1;
	sums(s, wide);
	s->wide = wide;
	return 0;
}

/* Moves the values of the block into the sums.  Returns 0, or -1 when
 * out of memory. */
static int
flush(mc_summ *s)
{
	size_t i, n = s->nblk;

	if (n == 0)
		return 0;
	if (s->wide == NULL && mc_xwin_add_block(&s->sum, &s->sumsq, s->blk,
	    n) == 0) {
		s->n += n;
		s->nblk = 0;
		return 0;
	}
	if (s->wide == NULL && widen(s) != 0)
		return -1;
	for (i = 0; i < n; i++)
		mc_acc_add(s->wide, s->blk[i]);
	s->nblk = 0;
	return 0;
}

/* Adds the sums of a to s.  Returns 0, or -1 when out of memory. */
static int
add_sums(mc_summ *s, const mc_acc *a)
{
	mc_xwin w, q;

	if (flush(s) != 0)
		return -1;
	w = s->sum;
	q = s->sumsq;
	if (s->wide == NULL && mc_xwin_add_xsum(&w, &a->sum) == 0 &&
	    mc_xwin_add_xsum(&q, &a->sumsq) == 0) {
		s->sum = w;
		s->sumsq = q;
		s->n += a->n;
		return 0;
	}
	if (s->wide == NULL && widen(s) != 0)
		return -1;
	mc_acc_merge(s->wide, a);
	return 0;
}

/* Adds x to the sums of s.  Returns 0, or -1 when out of memory. */
static int
add_value(mc_summ *s, double x)
{
	mc_xwin w = s->sum;

	/* Past its first values, a summary takes them in blocks. */
	if (s->blk == NULL && s->wide == NULL && s->n >= MC_SUMM_BLOCK)
		s->blk = malloc(MC_SUMM_BLOCK * sizeof(double));
	if (s->blk != NULL) {
		s->blk[s->nblk++] = x;
		return s->nblk == MC_SUMM_BLOCK ? flush(s) : 0;
	}
	if (s->wide == NULL && mc_xwin_add(&w, x) == 0 &&
	    mc_xwin_add_sq(&s->sumsq, x) == 0) {
		s->sum = w;
		s->n++;
		return 0;
	}
	if (s->wide == NULL && widen(s) != 0)
		return -1;
	mc_acc_add(s->wide, x);
	return 0;
}

/* Takes min and max into the least and greatest of m's values, of which
 * there were n before. */
static void
add_minmax(struct mc_summ_more *m, uint64_t n, double min, double max)
{
	if (n == 0 || before(min, m->min))
		m->min = min;
	if (n == 0 || before(m->max, max))
		m->max = max;
}

int
mc_summ_add(mc_summ *s, double x, unsigned need)
{
	uint64_t n = mc_summ_n(s);
	struct mc_summ_more *m;

	if (need & (MC_SUMM_MINMAX | MC_SUMM_ENDS | MC_SUMM_VALUES)) {
		if ((m = more(s)) == NULL)
			return -1;
		if (need & MC_SUMM_VALUES) {
			if (m->nv == m->cap) {
				size_t cap = m->cap ? 2 * m->cap : 16;
				double *v = realloc(m->v, cap * sizeof(*v));
				if (v == NULL)
					return -1;
				m->v = v;
				m->cap = cap;
			}
			m->v[m->nv++] = x;
			m->sorted = 0;
		}
		if (need & MC_SUMM_MINMAX)
			add_minmax(m, n, x, x);
		if (need & MC_SUMM_ENDS) {
			if (n == 0)
				m->first = x;
			m->last = x;
		}
	}
	return add_value(s, x);
}

int
mc_summ_missing(mc_summ *s, unsigned need)
{
	if (!(need & MC_SUMM_ROWS))
		return 0;
	if (more(s) == NULL)
		return -1;
	s->more->missing++;
	return 0;
}

const double *
mc_summ_values(const mc_summ *s, size_t *n)
{
	*n = s->more ? s->more->nv : 0;
	return *n ? s->more->v : NULL;
}

const double *
mc_summ_sorted(mc_summ *s, size_t *n)
{
	struct mc_summ_more *m = s->more;

	*n = 0;
	if (m == NULL || m->nv == 0)
		return NULL;
	if (!m->sorted)
		qsort(m->v, m->nv, sizeof(double), cmp_total);
	m->sorted = 1;
	*n = m->nv;
	return m->v;
}

double
mc_summ_quantile(const double *v, size_t n, double p)
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

void
mc_summ_out_partial(mc_csv_out *w, const mc_summ *s, unsigned need)
{
	const struct mc_summ_more *m = s->more;
	uint64_t n = mc_summ_n(s);
	mc_acc a;

	mc_summ_acc(s, &a);
	mc_acc_out_partial(w, &a);
	if (need & MC_SUMM_MINMAX) {
		if (n > 0) {
			mc_csv_out_num(w, m->min);
			mc_csv_out_num(w, m->max);
		} else {
			mc_csv_out_str(w, "");
			mc_csv_out_str(w, "");
		}
	}
	if (need & MC_SUMM_ROWS)
		mc_csv_out_count(w, n + (m ? m->missing : 0));
}

/* Reads min or max of a partial row of n values into *x.  Returns NULL,
 * or what is wrong with it. */
static const char *
parse_bound(const char *f, uint64_t n, double *x)
{
	if (n == 0)
		return *f ? "expected an empty field for a count of 0" : NULL;
	if (mc_parse_double(f, x) != NULL || !isfinite(*x))
		return "expected a finite number";
	return NULL;
}

/* Reads the min, max and rows fields of a partial row of n values.
 * Returns 0 or EX_DATAERR, as mc_summ_merge_partial. */
static int
parse_extra(const char *const *f, unsigned need, uint64_t n, double *min,
    double *max, uint64_t *rows, const char **col, mc_err *err)
{
	const char *why = NULL, *bad = NULL;
	char q[64];

	if ((need & MC_SUMM_MINMAX) && ((why = parse_bound(bad = f[3], n,
	    min)) != NULL || (why = parse_bound(bad = f[4], n, max)) != NULL ||
	    (n > 0 && before(*max, *min) && (why = "expected a number not "
	    "below min"))))
		*col = bad == f[3] ? "min" : "max";
	else if ((need & MC_SUMM_ROWS) && (mc_parse_count(bad = f[5], rows) !=
	    NULL || *rows < n || *rows > UINT64_C(0x7fffffffffffffff)))
		*col = "rows", why = "expected a count of rows, at least n";
	if (why == NULL)
		return 0;
	return mc_err_set(err, EX_DATAERR, "%s, got %s", why,
	    mc_err_quote(q, sizeof(q), bad));
}

int
mc_summ_merge_partial(mc_summ *s, const char *const *f, unsigned need,
    const char **col, mc_err *err)
{
	uint64_t rows = 0, n0 = mc_summ_n(s), miss0, extra;
	const uint64_t most = UINT64_C(0x7fffffffffffffff);
	double min = 0, max = 0;
	char q[64];
	mc_acc a;

	mc_acc_init(&a);
	if (mc_acc_parse_partial(&a, f[0], f[1], f[2], col, err) != 0)
		return err->status;
	if (parse_extra(f, need, a.n, &min, &max, &rows, col, err) != 0)
		return err->status;
	miss0 = s->more ? s->more->missing : 0;
	extra = need & MC_SUMM_ROWS ? rows - a.n : 0;
	/* The group's totals are checked too, before anything changes. */
	if (a.n > most - n0 || extra > most - n0 - a.n - miss0) {
		*col = a.n > most - n0 ? "n" : "rows";
		return mc_err_set(err, EX_DATAERR, "expected a count, got %s",
		    mc_err_quote(q, sizeof(q), *col[0] == 'n' ? f[0] : f[5]));
	}
	if ((need & (MC_SUMM_MINMAX | MC_SUMM_ROWS)) && more(s) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	if (add_sums(s, &a) != 0)
		return mc_err_set(err, EX_OSERR, "out of memory");
	if ((need & MC_SUMM_MINMAX) && a.n > 0)
		add_minmax(s->more, n0, min, max);
	if (need & MC_SUMM_ROWS)
		s->more->missing += extra;
	return 0;
}

/* The mode of n > 0 sorted values: the most frequent, the least of those
 * equally frequent. */
static double
mode(const double *v, size_t n)
{
	size_t i, run = 1, best = 0, start = 0;
	double m = v[0];

	for (i = 1; i <= n; i++) {
		if (i < n && v[i] == v[start]) {
			run++;
			continue;
		}
		if (run > best) {
			best = run;
			m = v[start];
		}
		start = i;
		run = 1;
	}
	return m;
}

/* The number of distinct values among n sorted ones (-0 equals 0). */
static uint64_t
distinct(const double *v, size_t n)
{
	uint64_t k = n > 0;
	size_t i;

	for (i = 1; i < n; i++)
		k += v[i] != v[i - 1];
	return k;
}

/* What one statistic needs: the summary, its estimate and its values. */
struct ctx {
	mc_summ *s;
	const mc_acc *a;
	const mc_est *e;
	int spread;		/* the estimate's spread is beyond range */
	const double *v;
	size_t nv;
};

/* Estimate statistic x, named what, unless the spread took it past the
 * double range. */
static const char *
est(const struct ctx *c, double e, const char *what, double *x)
{
	*x = e;
	return c->spread && !isfinite(e) ? what : NULL;
}

/*
 * Sets *x (or *k for a count, with *count = 1) to statistic op.  Returns
 * NULL, or the name of a result beyond the double range.
 */
static const char *
value(const struct ctx *c, const mc_summ_op *op, double *x, uint64_t *k,
    int *count)
{
	const struct mc_summ_more *m = c->s->more;
	uint64_t n = c->a->n;

	*count = 0;
	*x = NAN;
	switch (op->kind) {
	case MC_SUMM_COUNT:
	case MC_SUMM_ROWCOUNT:
	case MC_SUMM_COUNTUNIQUE:
		*count = 1;
		*k = op->kind == MC_SUMM_COUNT ? n : op->kind ==
		    MC_SUMM_COUNTUNIQUE ? distinct(c->v, c->nv) : n +
		    (m ? m->missing : 0);
		return NULL;
	case MC_SUMM_SUM:
		*x = mc_xsum_round(&c->a->sum);
		return isfinite(*x) ? NULL : "the sum";
	case MC_SUMM_MEAN: return est(c, c->e->mean, "the mean", x);
	case MC_SUMM_STDERR: return est(c, c->e->se, "the stderr", x);
	case MC_SUMM_CI_LO: return est(c, c->e->ci_lo, "the interval", x);
	case MC_SUMM_CI_HI: return est(c, c->e->ci_hi, "the interval", x);
	case MC_SUMM_SD: return est(c, c->e->sd, "the sd", x);
	}
	if (n == 0)
		return NULL;
	switch (op->kind) {
	case MC_SUMM_MIN: *x = m->min; return NULL;
	case MC_SUMM_MAX: *x = m->max; return NULL;
	case MC_SUMM_RANGE:
		*x = m->max - m->min;
		return isfinite(*x) ? NULL : "the range";
	case MC_SUMM_FIRST: *x = m->first; return NULL;
	case MC_SUMM_LAST: *x = m->last; return NULL;
	case MC_SUMM_MEDIAN: *x = mc_summ_quantile(c->v, c->nv, 0.5); return NULL;
	case MC_SUMM_Q1: *x = mc_summ_quantile(c->v, c->nv, 0.25); return NULL;
	case MC_SUMM_Q3: *x = mc_summ_quantile(c->v, c->nv, 0.75); return NULL;
	case MC_SUMM_PERC: *x = mc_summ_quantile(c->v, c->nv, op->p); return NULL;
	case MC_SUMM_MODE: *x = mode(c->v, c->nv); return NULL;
	case MC_SUMM_IQR:
		*x = mc_summ_quantile(c->v, c->nv, 0.75) -
		    mc_summ_quantile(c->v, c->nv, 0.25);
		return isfinite(*x) ? NULL : "the iqr";
	}
	return NULL;
}

/* Whether ops asks for a statistic of the estimate. */
static int
wants_estimate(const mc_summ_ops *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (ops->v[i].kind >= MC_SUMM_MEAN && ops->v[i].kind <=
		    MC_SUMM_SD)
			return 1;
	return 0;
}

int
mc_summ_out(mc_csv_out *w, mc_summ *s, const mc_summ_ops *ops, double level,
    mc_err *err)
{
	struct ctx c = { s, NULL, NULL, 0, NULL, 0 };
	const char *bad;
	uint64_t k;
	double x;
	size_t i;
	int st = 0, count;
	mc_acc a;
	mc_est e;

	mc_summ_acc(s, &a);
	c.a = &a;
	c.e = &e;
	if (a.sum.special || a.sumsq.special)
		return mc_err_set(err, EX_DATAERR, "sums of nan or inf values "
		    "have no statistics");
	memset(&e, 0, sizeof(e));
	if (wants_estimate(ops))
		st = mc_acc_estimate(&a, level, &e);
	/* A spread beyond the double range takes some of them past it:
	 * those are refused below, the others are right. */
	c.spread = st == EX_DATAERR;
	if (st != 0 && st != EX_DATAERR)
		return mc_err_set(err, EX_SOFTWARE, "GSL could not compute "
		    "the t quantile");
	if (ops->need & MC_SUMM_VALUES)
		c.v = mc_summ_sorted(s, &c.nv);
	/* Every statistic is checked before the first is written. */
	for (i = 0; i < ops->n; i++)
		if ((bad = value(&c, &ops->v[i], &x, &k, &count)) != NULL)
			return mc_err_set(err, EX_DATAERR, "%s lies beyond the "
			    "double range (values near +/-1.8e308)", bad);
	for (i = 0; w != NULL && i < ops->n; i++) {
		value(&c, &ops->v[i], &x, &k, &count);
		if (count)
			mc_csv_out_count(w, k);
		else
			mc_csv_out_num(w, x);
	}
	return 0;
}
