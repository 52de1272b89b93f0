/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcgen: random variates and price paths as CSV.
 *
 * Row (or path) i draws from the random stream of index i only, so the
 * output of any --shard split, concatenated, is the unsharded output.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_path.h"
#include "mc_qmc.h"
#include "mc_rng.h"
#include "mc_stream.h"

#define MAXDIM 100000
#define MAXSTEPS 10000
#define MAXPARAM 12
#define CHUNK 256		/* rows or paths generated at a time */
#define OUTBUF (1 << 16)

static const char usage[] =
    "usage: mcgen [-h] [--version] [-n COUNT] [-s SEED] [-d DIM] "
    "[--shard I/N]\n"
    "             [--rng NAME] [--qmc sobol] [--corr MATRIX] [--progress] "
    "DIST\n"
    "             [PARAM=VALUE ...]\n";

enum kind {
	UNIFORM, NORMAL, LOGNORMAL, EXPONENTIAL, GAMMA, BETA, STUDENT_T,
	POISSON, MVNORMAL, GBM, HESTON, MERTON
};

/* A PARAM=VALUE word: its default and range (NAN: required). */
struct param {
	const char *name;
	double def, lo, hi;
	int lo_open, hi_open, whole;
};

struct dist {
	const char *name;
	enum kind kind;
	struct param p[MAXPARAM];
};

#define ANY -INFINITY, INFINITY, 0, 0, 0
#define POS 0, INFINITY, 1, 0, 0
#define NONNEG 0, INFINITY, 0, 0, 0
#define SPOT {"spot", 100, POS}, {"rate", 0.05, ANY}, \
	{"dividend", 0, ANY}
#define TIME {"maturity", 1, POS}, {"steps", 252, 1, MAXSTEPS, 0, 0, 1}

static const struct dist dists[] = {
	{"uniform", UNIFORM, {{"a", 0, ANY}, {"b", 1, ANY}}},
	{"normal", NORMAL, {{"mean", 0, ANY}, {"sd", 1, POS}}},
	{"lognormal", LOGNORMAL, {{"meanlog", 0, ANY}, {"sdlog", 1, POS}}},
	{"exponential", EXPONENTIAL, {{"mean", 1, POS}, {"rate", 1, POS}}},
	{"gamma", GAMMA, {{"shape", 1, POS}, {"scale", 1, POS}}},
	{"beta", BETA, {{"a", 1, POS}, {"b", 1, POS}}},
	{"student-t", STUDENT_T, {{"df", NAN, POS}}},
	{"poisson", POISSON, {{"mean", 1, POS}}},
	{"mvnormal", MVNORMAL, {{"mean", 0, ANY}, {"sd", 1, POS},
	    {"rho", 0, -1, 1, 1, 1, 0}}},
	{"gbm", GBM, {SPOT, {"vol", 0.2, POS}, TIME}},
	{"heston", HESTON, {SPOT, TIME, {"v0", 0.04, NONNEG},
	    {"kappa", 2, POS}, {"theta", 0.04, NONNEG}, {"xi", 0.3, POS},
	    {"rho", -0.7, -1, 1, 0, 0, 0}}},
	{"merton", MERTON, {SPOT, {"vol", 0.2, POS}, TIME,
	    {"lambda", 0.5, NONNEG}, {"jump_mean", -0.1, ANY},
	    {"jump_vol", 0.15, NONNEG}}},
};
#define NDIST (sizeof(dists) / sizeof(dists[0]))

struct opts {
	uint64_t n, seed, shard, nshards;
	unsigned dim;
	int dim_set, qmc;
	int progress;		/* 1 when stderr is a terminal, 2 if asked */
	const char *rng;	/* NULL: Philox through the fast paths */
	const char *corr;
	const struct dist *dist;
	double v[MAXPARAM];	/* the parameters, in dist->p's order */
	int given[MAXPARAM];
	double *chol;		/* mvnormal: dim x dim lower Cholesky factor */
};

/* Text output a buffer at a time, bytes as mc_csv_putd writes them. */
struct out {
	char buf[OUTBUF];
	size_t len;
	int err;		/* errno of the first failed write */
	int progress;		/* 1: show progress; 2: as --progress asked */
	uint64_t total;		/* rows or paths this run writes */
	double shown;		/* when progress was last shown, or began */
	int printed;		/* whether a progress line is on stderr */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Shows how far the run is, at most four times a second; last ends it. */
static void
tick(struct out *o, uint64_t done, int last)
{
	double t;

	if (!o->progress || (!last && (t = now()) - o->shown < 0.25))
		return;
	/* A run shorter than a tick says nothing unless --progress asked. */
	if (last && !o->printed && o->progress < 2)
		return;
	o->printed = 1;
	o->shown = last ? o->shown : t;
	fprintf(stderr, "\rmcgen: %llu of %llu (%.0f%%)%s",
	    (unsigned long long)done, (unsigned long long)o->total,
	    o->total ? 100.0 * (double)done / (double)o->total : 100.0,
	    last ? "\n" : "");
}

/* Writes the buffer out; -1 after a write error, which stops the run. */
static int
out_flush(struct out *o)
{
	errno = 0;
	if (fwrite(o->buf, 1, o->len, stdout) != o->len && o->err == 0)
		o->err = errno ? errno : EIO;
	o->len = 0;
	return o->err ? -1 : 0;
}

static inline void
out_num(struct out *o, double x, char sep)
{
	o->len += (size_t)mc_fmt_double(o->buf + o->len, x);
	o->buf[o->len++] = sep;
}

static inline int
out_room(struct out *o)
{
	return o->len + MC_FMT_DBL + 2 < OUTBUF || out_flush(o) == 0;
}

static double
param(const struct opts *op, const char *name)
{
	int k;

	for (k = 0; op->dist->p[k].name != NULL; k++)
		if (strcmp(op->dist->p[k].name, name) == 0)
			return op->v[k];
	return NAN;
}

static int
given(const struct opts *op, const char *name)
{
	int k;

	for (k = 0; op->dist->p[k].name != NULL; k++)
		if (strcmp(op->dist->p[k].name, name) == 0)
			return op->given[k];
	return 0;
}

/* One variate of a scalar distribution from r's current stream. */
static double
draw(const struct opts *op, gsl_rng *r)
{
	const double *v = op->v;

	switch (op->dist->kind) {
	case UNIFORM:
		return gsl_ran_flat(r, v[0], v[1]);
	case NORMAL:
		return v[0] + gsl_ran_gaussian_ziggurat(r, v[1]);
	case MVNORMAL:
		return gsl_ran_gaussian_ziggurat(r, 1);
	case LOGNORMAL:
		return gsl_ran_lognormal(r, v[0], v[1]);
	case EXPONENTIAL:
		return gsl_ran_exponential(r, v[0]);
	case GAMMA:
		return gsl_ran_gamma(r, v[0], v[1]);
	case BETA:
		return gsl_ran_beta(r, v[0], v[1]);
	case STUDENT_T:
		return gsl_ran_tdist(r, v[0]);
	case POISSON:
		return gsl_ran_poisson(r, v[0]);
	default:
		return NAN;
	}
}

/* The same variate by the inverse CDF of u, for --qmc sobol. */
static double
inverse(const struct opts *op, double u)
{
	const double *v = op->v;

	switch (op->dist->kind) {
	case UNIFORM:
		return v[0] * (1 - u) + v[1] * u;
	case NORMAL:
		return v[0] + v[1] * gsl_cdf_ugaussian_Pinv(u);
	case MVNORMAL:
		return gsl_cdf_ugaussian_Pinv(u);
	case LOGNORMAL:
		return gsl_cdf_lognormal_Pinv(u, v[0], v[1]);
	case EXPONENTIAL:
		return gsl_cdf_exponential_Pinv(u, v[0]);
	case GAMMA:
		return gsl_cdf_gamma_Pinv(u, v[0], v[1]);
	case BETA:
		return gsl_cdf_beta_Pinv(u, v[0], v[1]);
	case STUDENT_T:
		return gsl_cdf_tdist_Pinv(u, v[0]);
	default:
		return NAN;
	}
}

/*
 * mvnormal: x holds independent standard normals z; makes it mean +
 * sd L z, in place (L is lower triangular, so going from the last
 * coordinate down needs no copy).  Other distributions are left as drawn.
 */
static void
finish(const struct opts *op, double *x)
{
	double mean = op->v[0], sd = op->v[1];
	unsigned d = op->dim, a, b;

	if (op->dist->kind != MVNORMAL)
		return;
	for (a = d; a-- > 0;) {
		double s = x[a];
		if (op->chol != NULL)
			for (s = 0, b = 0; b <= a; b++)
				s += op->chol[a * d + b] * x[b];
		x[a] = mean + sd * s;
	}
}

/* Writes the header; for paths "path,step,t,value", else x1 .. xd. */
static int
header(struct out *o, const struct opts *op)
{
	unsigned k;

	if (op->dist->kind >= GBM) {
		fputs("path,step,t,value\n", stdout);
		return 0;
	}
	for (k = 1; k <= op->dim; k++) {
		if (!out_room(o))
			return -1;
		o->len += (size_t)sprintf(o->buf + o->len, "x%u%c", k,
		    k == op->dim ? '\n' : ',');
	}
	return 0;
}

/*
 * The hot path of uniform from Philox: variate k of row i is word pair
 * k % 2 of Philox block (counter k / 2, index i), scaled as gsl_ran_flat
 * does, so it equals what --rng philox draws through GSL.
 */
static int
run_uniform(const struct opts *op, uint64_t lo, uint64_t hi, struct out *o)
{
	uint32_t w[4];
	double a = op->v[0], b = op->v[1], u;
	uint64_t i;
	unsigned k;
	mc_stream st;

	mc_stream_init(&st, op->seed, MC_STREAM_PATH);
	if (header(o, op) != 0)
		return -1;
	for (i = lo; i < hi; i++) {
		if ((i - lo) % 4096 == 0)
			tick(o, i - lo, 0);
		for (k = 0; k < op->dim; k++) {
			if (k % 2 == 0)
				mc_stream_words(&st, i, k / 2, w);
			u = mc_u53(w[2 * (k % 2)], w[2 * (k % 2) + 1]);
			if (!out_room(o))
				return -1;
			out_num(o, a * (1 - u) + b * u,
			    k + 1 == op->dim ? '\n' : ',');
		}
	}
	return 0;
}

static int
run_scalar(const struct opts *op, uint64_t lo, uint64_t hi, struct out *o,
    mc_err *err)
{
	size_t d = op->dim, j, cnt, k;
	double *x = NULL, *u = NULL;
	mc_rng *r = NULL;
	mc_qmc *q = NULL;
	uint64_t i;
	int rc = 0;

	if (op->qmc)
		q = mc_qmc_alloc(op->dim, op->seed, err);
	else
		r = mc_rng_alloc(op->rng ? op->rng : "philox", op->seed, err);
	if (q == NULL && r == NULL)
		return err->status;
	x = malloc(d * sizeof(*x));
	if (q != NULL)
		u = malloc(d * CHUNK * sizeof(*u));
	if (x == NULL || (q != NULL && u == NULL)) {
		rc = mc_err_set(err, EX_OSERR, "out of memory");
		goto done;
	}
	rc = header(o, op);
	for (i = lo; i < hi && rc == 0; i += cnt) {
		tick(o, i - lo, 0);
		cnt = hi - i < CHUNK ? (size_t)(hi - i) : CHUNK;
		if (q != NULL)
			mc_qmc_block(q, i, cnt, u);
		for (j = 0; j < cnt; j++) {
			if (q != NULL) {
				for (k = 0; k < d; k++)
					x[k] = inverse(op, u[k * cnt + j]);
			} else {
				mc_rng_seek(r, i + j);
				for (k = 0; k < d; k++)
					x[k] = draw(op, mc_rng_gsl(r));
			}
			finish(op, x);
			for (k = 0; k < d; k++) {
				if (!out_room(o)) {
					rc = -1;
					break;
				}
				out_num(o, x[k], k + 1 == d ? '\n' : ',');
			}
			if (rc != 0)
				break;
		}
	}
done:
	free(x);
	free(u);
	mc_rng_free(r);
	mc_qmc_free(q);
	return rc;
}

static int
run_paths(const struct opts *op, uint64_t lo, uint64_t hi, struct out *o,
    mc_err *err)
{
	mc_model_params m = {0};
	mc_path_opts po = {0};
	mc_path_gen *g;
	unsigned steps = (unsigned)param(op, "steps"), k;
	char (*t)[2 * MC_FMT_DBL] = NULL;
	double *S = NULL;
	uint64_t i;
	size_t j, cnt;
	int rc = 0;

	m.model = op->dist->kind == GBM ? MC_MODEL_GBM :
	    op->dist->kind == HESTON ? MC_MODEL_HESTON : MC_MODEL_MERTON;
	m.spot = param(op, "spot");
	m.rate = param(op, "rate");
	m.dividend = param(op, "dividend");
	m.vol = param(op, "vol");
	m.maturity = param(op, "maturity");
	m.v0 = param(op, "v0");
	m.kappa = param(op, "kappa");
	m.theta = param(op, "theta");
	m.xi = param(op, "xi");
	m.rho = param(op, "rho");
	m.lambda = param(op, "lambda");
	m.jump_mean = param(op, "jump_mean");
	m.jump_vol = param(op, "jump_vol");
	po.steps = steps;
	po.seed = op->seed;
	po.rng = op->rng;
	po.qmc = op->qmc;
	if ((g = mc_path_alloc(&m, &po, err)) == NULL)
		return err->status;
	/* The "step,t," text of every date, made once. */
	t = malloc((steps + 1) * sizeof(*t));
	S = malloc((size_t)(steps + 1) * CHUNK * sizeof(*S));
	if (t == NULL || S == NULL) {
		rc = mc_err_set(err, EX_OSERR, "out of memory");
		goto done;
	}
	for (k = 0; k <= steps; k++) {
		int len = snprintf(t[k], sizeof(t[k]), "%u,", k);
		len += mc_fmt_double(t[k] + len, (double)k * m.maturity /
		    steps);
		t[k][len] = ',';
		t[k][len + 1] = '\0';
	}
	header(o, op);
	for (i = lo; i < hi && rc == 0; i += cnt) {
		tick(o, i - lo, 0);
		cnt = hi - i < CHUNK ? (size_t)(hi - i) : CHUNK;
		if ((rc = mc_path_block(g, i, cnt, S, NULL, err)) != 0)
			break;
		for (j = 0; j < cnt && rc == 0; j++) {
			char path[32];
			int plen = snprintf(path, sizeof(path), "%llu,",
			    (unsigned long long)(i + j));
			for (k = 0; k <= steps; k++) {
				if (o->len + 5 * MC_FMT_DBL >= OUTBUF &&
				    out_flush(o) != 0) {
					rc = -1;
					break;
				}
				memcpy(o->buf + o->len, path, (size_t)plen);
				o->len += (size_t)plen;
				o->len += (size_t)(stpcpy(o->buf + o->len, t[k]) -
				    (o->buf + o->len));
				out_num(o, S[(size_t)k * cnt + j], '\n');
			}
		}
	}
done:
	free(t);
	free(S);
	mc_path_free(g);
	return rc;
}

/*
 * Each run_ function allocates what it needs before it writes the
 * header, so that a failure leaves stdout empty.  They return 0, an
 * error status, or -1 after a write error, reported here with the
 * errno of the write that failed.
 */
static int
run(const struct opts *op, mc_err *err)
{
	struct out *o = malloc(sizeof(*o));
	uint64_t lo, hi;
	int rc;

	if (o == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	o->len = 0;
	o->err = 0;
	mc_shard_range(op->n, op->shard, op->nshards, &lo, &hi);
	o->progress = op->progress;
	o->total = hi - lo;
	o->shown = now();
	o->printed = 0;
	if (op->dist->kind >= GBM)
		rc = run_paths(op, lo, hi, o, err);
	else if (op->dist->kind == UNIFORM && op->rng == NULL && !op->qmc)
		rc = run_uniform(op, lo, hi, o);
	else
		rc = run_scalar(op, lo, hi, o, err);
	if (rc <= 0 && out_flush(o) == 0 && fflush(stdout) != 0)
		o->err = errno;
	tick(o, hi - lo, 1);
	if (rc <= 0 && o->err != 0)
		rc = mc_err_set(err, EX_IOERR, "write error: %s",
		    strerror(o->err));
	free(o);
	return rc > 0 ? rc : 0;
}

/*
 * Checks that c (d x d) is a correlation matrix and keeps its lower
 * Cholesky factor in op->chol.  Returns 0, or 1 when c is not positive
 * definite (the caller words the message), or EX_OSERR.
 */
static int
set_corr(struct opts *op, const double *c, unsigned d, mc_err *err)
{
	gsl_matrix_view mv;
	unsigned a, b;

	if ((op->chol = malloc((size_t)d * d * sizeof(*op->chol))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	memcpy(op->chol, c, (size_t)d * d * sizeof(*c));
	op->dim = d;
	mv = gsl_matrix_view_array(op->chol, d, d);
	if (gsl_linalg_cholesky_decomp1(&mv.matrix) != 0)
		return 1;
	for (a = 0; a < d; a++)
		for (b = a + 1; b < d; b++)
			op->chol[a * d + b] = 0;
	return 0;
}

/*
 * --corr "1,0.5;0.5,1": rows split by ';', entries by ','; a symmetric
 * matrix with unit diagonal, entries from -1 to 1, positive definite.
 */
static int
parse_corr(struct opts *op, const char *s, mc_err *err)
{
	char q[64], num[64];
	unsigned d = 1, a, b;
	const char *p, *end;
	double *c;
	int rc, ok = 1;

	mc_err_quote(q, sizeof(q), s);
	for (p = s; *p; p++)
		d += *p == ';';
	if (op->dim_set && op->dim != d)
		return mc_err_set(err, EX_USAGE, "--corr: a %ux%u matrix, but "
		    "-d %u", d, d, op->dim);
	if ((c = malloc((size_t)d * d * sizeof(*c))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (p = s, a = 0; a < d && ok; a++) {
		for (b = 0; b < d && ok; b++, p = end + 1) {
			end = p + strcspn(p, ",;");
			ok = (size_t)(end - p) < sizeof(num) &&
			    *end == (b + 1 < d ? ',' : a + 1 < d ? ';' : '\0');
			if (ok) {
				memcpy(num, p, (size_t)(end - p));
				num[end - p] = '\0';
				ok = mc_parse_double(num, &c[a * d + b]) == NULL &&
				    isfinite(c[a * d + b]);
			}
		}
	}
	if (!ok) {
		free(c);
		return mc_err_set(err, EX_USAGE, "--corr: expected a square "
		    "matrix, rows split by ';' and entries by ',' (like "
		    "1,0.5;0.5,1), got %s", q);
	}
	for (a = 0; a < d && ok; a++) {
		ok = c[a * d + a] == 1;
		for (b = 0; b < a && ok; b++)
			ok = c[a * d + b] == c[b * d + a] &&
			    fabs(c[a * d + b]) <= 1;
	}
	rc = ok ? set_corr(op, c, d, err) : 0;
	free(c);
	if (!ok)
		return mc_err_set(err, EX_USAGE, "--corr: expected a symmetric "
		    "matrix with 1 on the diagonal and entries from -1 to 1, "
		    "got %s", q);
	if (rc == 1)
		return mc_err_set(err, EX_USAGE, "--corr: not a correlation "
		    "matrix (not positive definite), got %s", q);
	return rc;
}

/* mvnormal rho=R: the same correlation R between every two columns. */
static int
equicorr(struct opts *op, double rho, mc_err *err)
{
	unsigned d = op->dim, a, b;
	char buf[MC_FMT_DBL];
	double *c;
	int rc;

	if ((c = malloc((size_t)d * d * sizeof(*c))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (a = 0; a < d; a++)
		for (b = 0; b < d; b++)
			c[a * d + b] = a == b ? 1 : rho;
	rc = set_corr(op, c, d, err);
	free(c);
	mc_fmt_double(buf, rho);
	if (rc == 1)
		return mc_err_set(err, EX_USAGE, "rho: %s is no correlation "
		    "between every two of %u columns (it needs rho > "
		    "-1/(d-1))", buf, d);
	return rc;
}

static int
parse_params(struct opts *op, char **words, int n, mc_err *err)
{
	const struct dist *dt = op->dist;
	char name[64], names[256] = "", q[64];
	double x;
	int i, k;

	for (k = 0; dt->p[k].name != NULL; k++) {
		op->v[k] = dt->p[k].def;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", k ? ", " : "", dt->p[k].name);
	}
	for (i = 0; i < n; i++) {
		const struct param *p;
		const char *eq = strchr(words[i], '=');
		int rc;
		if (eq == NULL || eq == words[i] ||
		    (size_t)(eq - words[i]) >= sizeof(name))
			return mc_err_set(err, EX_USAGE, "expected PARAM=VALUE "
			    "after %s, got %s", dt->name,
			    mc_err_quote(q, sizeof(q), words[i]));
		memcpy(name, words[i], (size_t)(eq - words[i]));
		name[eq - words[i]] = '\0';
		for (k = 0; dt->p[k].name != NULL; k++)
			if (strcmp(dt->p[k].name, name) == 0)
				break;
		if (dt->p[k].name == NULL)
			return mc_err_set(err, EX_USAGE, "%s: unknown parameter "
			    "%s (%s takes %s)", dt->name,
			    mc_err_quote(q, sizeof(q), name), dt->name, names);
		p = &dt->p[k];
		if (op->given[k])
			return mc_err_set(err, EX_USAGE, "%s: given twice",
			    p->name);
		if ((rc = mc_opt_real(p->name, eq + 1, p->lo, p->lo_open,
		    p->hi, p->hi_open, &x, err)) != 0)
			return rc;
		if (p->whole && x != floor(x))
			return mc_err_set(err, EX_USAGE, "%s: expected a whole "
			    "number, got %s", p->name,
			    mc_err_quote(q, sizeof(q), eq + 1));
		op->v[k] = x;
		op->given[k] = 1;
	}
	for (k = 0; dt->p[k].name != NULL; k++)
		if (isnan(op->v[k]))
			return mc_err_set(err, EX_USAGE, "%s: %s=VALUE is "
			    "required", dt->name, dt->p[k].name);
	if (dt->kind == UNIFORM && !(op->v[0] < op->v[1]))
		return mc_err_set(err, EX_USAGE, "uniform: expected a < b");
	if (dt->kind == EXPONENTIAL) {
		if (op->given[0] && op->given[1])
			return mc_err_set(err, EX_USAGE, "exponential: give mean "
			    "or rate, not both");
		if (op->given[1])
			op->v[0] = 1 / op->v[1];
	}
	return 0;
}

/* Checks the options against each other once DIST is known. */
static int
check(struct opts *op, mc_err *err)
{
	enum kind kind = op->dist->kind;

	if (kind >= GBM) {
		if (op->dim_set || op->corr != NULL)
			return mc_err_set(err, EX_USAGE, "%s: paths take no %s "
			    "(one value a date: set steps=)", op->dist->name,
			    op->dim_set ? "-d" : "--corr");
		return 0;
	}
	if (op->qmc && op->rng != NULL)
		return mc_err_set(err, EX_USAGE, "--qmc sobol and --rng: "
		    "choose one");
	if (op->qmc && kind == POISSON)
		return mc_err_set(err, EX_USAGE, "--qmc sobol: poisson has no "
		    "inverse CDF to map Sobol points through; drop --qmc");
	if (kind != MVNORMAL) {
		if (op->corr != NULL)
			return mc_err_set(err, EX_USAGE, "--corr: only mvnormal "
			    "takes a correlation matrix");
		return 0;
	}
	if (op->corr != NULL && given(op, "rho"))
		return mc_err_set(err, EX_USAGE, "mvnormal: give --corr or "
		    "rho=, not both");
	if (op->corr != NULL)
		return parse_corr(op, op->corr, err);
	if (given(op, "rho") && op->dim < 2)
		return mc_err_set(err, EX_USAGE, "mvnormal: rho= needs -d 2 "
		    "or more");
	if (given(op, "rho"))
		return equicorr(op, param(op, "rho"), err);
	return 0;
}

/* mc_rng speaks of the name; the message names the option too. */
static int
rng_failed(mc_err *err)
{
	mc_err e = *err;

	return mc_err_set(err, e.status, "--rng: %s", e.msg);
}

static int
parse(int argc, char **argv, struct opts *op, mc_err *err)
{
	static const struct option longopts[] = {
		{"count", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"dim", required_argument, NULL, 'd'},
		{"shard", required_argument, NULL, 'S'},
		{"rng", required_argument, NULL, 'r'},
		{"qmc", required_argument, NULL, 'q'},
		{"corr", required_argument, NULL, 'c'},
		{"progress", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	char q[64], list[1024];
	uint64_t x;
	size_t k;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:s:d:h", longopts, NULL)) !=
	    -1) {
		rc = 0;
		switch (c) {
		case 'n':
			rc = mc_opt_count("-n", optarg, &op->n, err);
			break;
		case 's':
			rc = mc_opt_seed(optarg, &op->seed, err);
			break;
		case 'd':
			if (mc_parse_count(optarg, &x) != NULL || x < 1 ||
			    x > MAXDIM)
				return mc_err_set(err, EX_USAGE, "-d: expected "
				    "a dimension from 1 to %d, got %s", MAXDIM,
				    mc_err_quote(q, sizeof(q), optarg));
			op->dim = (unsigned)x;
			op->dim_set = 1;
			break;
		case 'S':
			rc = mc_opt_shard(optarg, &op->shard, &op->nshards,
			    err);
			break;
		case 'r':
			{
				/* Checks the name now, for a usage error. */
				mc_rng *r = mc_rng_alloc(optarg, 1, err);
				if (r == NULL)
					return rng_failed(err);
				mc_rng_free(r);
				op->rng = optarg;
			}
			break;
		case 'q':
			if (strcmp(optarg, "sobol") != 0)
				return mc_err_set(err, EX_USAGE, "--qmc: "
				    "expected sobol, got %s",
				    mc_err_quote(q, sizeof(q), optarg));
			op->qmc = 1;
			break;
		case 'c':
			op->corr = optarg;
			break;
		case 'P':
			op->progress = 2;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case 'V':
			puts("mcgen (mctools) 0.1");
			return -1;
		default:
			return mc_opt_bad(c, argv, optind, optopt, "mcgen",
			    err);
		}
		if (rc != 0)
			return rc;
	}
	list[0] = '\0';
	for (k = 0; k < NDIST; k++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", k ? ", " : "", dists[k].name);
	if (optind >= argc)
		return mc_err_set(err, EX_USAGE, "no distribution given (one "
		    "of %s)", list);
	for (k = 0; k < NDIST; k++)
		if (strcmp(dists[k].name, argv[optind]) == 0)
			op->dist = &dists[k];
	if (op->dist == NULL)
		return mc_err_set(err, EX_USAGE, "unknown distribution %s (one "
		    "of %s)", mc_err_quote(q, sizeof(q), argv[optind]), list);
	if ((rc = parse_params(op, argv + optind + 1, argc - optind - 1,
	    err)) != 0)
		return rc;
	return check(op, err);
}

int
main(int argc, char **argv)
{
	struct opts op = {0};
	mc_err err = {0};
	int rc;

	mc_io_init();
	gsl_set_error_handler_off();
	op.n = 10;
	op.seed = MC_SEED_DEFAULT;
	op.nshards = 1;
	op.dim = 1;
	op.progress = isatty(STDERR_FILENO);
	rc = parse(argc, argv, &op, &err);
	if (rc == 0)
		rc = run(&op, &err);
	free(op.chol);
	if (rc == -1)
		rc = 0;
	if (rc == 0)
		rc = mc_io_finish(&err);
	else
		fclose(stdout);
	if (rc != 0) {
		fprintf(stderr, "mcgen: %s\n", err.msg);
		return rc;
	}
	return 0;
}
