/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcgen: random variates and price paths as CSV.
 *
 * Row (or path) i draws from the random stream of index i only, so the
 * output of any --shard split, concatenated, is the unsharded output.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mc_cli.h"
#include "mc_csv.h"
#include "mc_dist.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_path.h"
#include "mc_progress.h"
#include "mc_qmc.h"
#include "mc_rng.h"
#include "mc_stream.h"

#define MAXDIM 100000
#define MAXSTEPS 10000
#define CHUNK 256		/* rows or paths generated at a time */
#define OUTBUF (1 << 16)

static const char usage[] =
    "usage: mcgen [-h] [--version] [-n COUNT] [-s SEED] [-d DIM] "
    "[--shard I/N]\n"
    "             [--rng NAME] [--qmc sobol] [--corr MATRIX] [--no-header]\n"
    "             [--progress] [-o FILE] [-t CHAR] DIST [PARAM=VALUE ...]\n";

/*
 * The path models: parameters parsed by mc_dist, paths drawn by mc_path.
 * The distributions are mc_dist's table.
 */
#define ANY -INFINITY, INFINITY, 0, 0, MC_PARAM_REAL
#define POS 0, INFINITY, 1, 0, MC_PARAM_REAL
#define NONNEG 0, INFINITY, 0, 0, MC_PARAM_REAL
#define SPOT {"spot", 100, POS}, {"rate", 0.05, ANY}, \
	{"dividend", 0, ANY}
#define TIME {"maturity", 1, POS}, \
	{"steps", 252, 1, MAXSTEPS, 0, 0, MC_PARAM_WHOLE}

static const mc_dist_type paths[] = {
	{.name = "gbm", .flags = MC_DIST_PATH,
	    .p = {SPOT, {"vol", 0.2, POS}, TIME}},
	{.name = "heston", .flags = MC_DIST_PATH,
	    .p = {SPOT, TIME, {"v0", 0.04, NONNEG}, {"kappa", 2, POS},
	    {"vbar", 0.04, NONNEG}, {"xi", 0.3, POS},
	    {"rho_sv", -0.7, -1, 1, 0, 0, MC_PARAM_REAL}}},
	{.name = "merton", .flags = MC_DIST_PATH,
	    .p = {SPOT, {"vol", 0.2, POS}, TIME, {"lambda", 0.5, NONNEG},
	    {"jump_mean", -0.1, ANY}, {"jump_vol", 0.15, NONNEG}}},
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

enum { OPT_DIM, OPT_CORR, OPT_NO_HEADER, NOPTS };

static const mc_cli_opt options[NOPTS] = {
	[OPT_DIM] = { "dim", 'd', MC_CLI_VALUE, 0 },
	[OPT_CORR] = { "corr", 0, MC_CLI_VALUE, 0 },
	[OPT_NO_HEADER] = { "no-header", 0, MC_CLI_FLAG, 0 },
};

struct opts {
	mc_cli c;		/* the shared options; c.rng NULL: Philox
				 * through the fast paths */
	unsigned dim;
	int dim_set;
	const char *corr;
	int no_header;
	const mc_dist_type *type;	/* DIST: a distribution or a path model */
	mc_dist *dist;		/* its parameters */
};

/* Text output a buffer at a time, bytes as mc_csv_putd writes them. */
struct out {
	char buf[OUTBUF];
	size_t len;
	FILE *fp;		/* where the buffer goes */
	char sep;		/* between fields: -t's character */
	int err;		/* errno of the first failed write */
	mc_progress prog;	/* the progress line on stderr */
	int tty;		/* fp is a terminal, which the line shares */
};

/* Tells the progress line that done rows or paths are written. */
static void
tick(struct out *o, uint64_t done)
{
	mc_progress_update(&o->prog, done, mc_progress_clock());
}

/* Writes the buffer out; -1 after a write error, which stops the run. */
static int
out_flush(struct out *o)
{
	errno = 0;
	if (o->tty)
		mc_progress_hold(&o->prog);
	if (fwrite(o->buf, 1, o->len, o->fp) != o->len && o->err == 0)
		o->err = errno ? errno : EIO;
	if (o->tty) {
		fflush(o->fp);
		mc_progress_release(&o->prog);
	}
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

/*
 * Writes the header, unless --no-header: for paths "path,step,t,value",
 * else x1 .. xd.
 */
static void
header(const struct opts *op)
{
	mc_csv_out w;
	char name[16];
	unsigned k;

	if (op->no_header)
		return;
	mc_csv_out_init(&w, op->c.fp, op->c.sep);
	if (op->type->flags & MC_DIST_PATH)
		mc_csv_out_names(&w, "path,step,t,value");
	for (k = 1; !(op->type->flags & MC_DIST_PATH) && k <= op->dim; k++) {
		snprintf(name, sizeof(name), "x%u", k);
		mc_csv_out_str(&w, name);
	}
	mc_csv_out_end(&w);
}

/*
 * The hot path of uniform from Philox: variate k of row i is word pair
 * k % 2 of Philox block (counter k / 2, index i), scaled as gsl_ran_flat
 * does, so it equals what --rng philox draws through GSL.
 */
static int
run_uniform(const struct opts *op, uint64_t lo, uint64_t hi, struct out *o)
{
	double a = mc_dist_get(op->dist, "a"), b = mc_dist_get(op->dist, "b"), u;
	uint32_t w[4];
	uint64_t i;
	unsigned k;
	mc_stream st;

	mc_stream_init(&st, op->c.seed, MC_STREAM_PATH);
	header(op);
	for (i = lo; i < hi; i++) {
		if ((i - lo) % 4096 == 0)
			tick(o, i - lo);
		for (k = 0; k < op->dim; k++) {
			if (k % 2 == 0)
				mc_stream_words(&st, i, k / 2, w);
			u = mc_u53(w[2 * (k % 2)], w[2 * (k % 2) + 1]);
			if (!out_room(o))
				return -1;
			out_num(o, a * (1 - u) + b * u,
			    k + 1 == op->dim ? '\n' : o->sep);
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

	if (op->c.qmc)
		q = mc_qmc_alloc(op->dim, op->c.seed, err);
	else
		r = mc_rng_alloc(op->c.rng ? op->c.rng : "philox", op->c.seed,
		    err);
	if (q == NULL && r == NULL)
		return err->status;
	x = malloc(d * sizeof(*x));
	if (q != NULL)
		u = malloc(d * CHUNK * sizeof(*u));
	if (x == NULL || (q != NULL && u == NULL)) {
		rc = mc_err_set(err, EX_OSERR, "out of memory");
		goto done;
	}
	header(op);
	for (i = lo; i < hi && rc == 0; i += cnt) {
		tick(o, i - lo);
		cnt = hi - i < CHUNK ? (size_t)(hi - i) : CHUNK;
		if (q != NULL)
			mc_qmc_block(q, i, cnt, u);
		for (j = 0; j < cnt; j++) {
			if (q != NULL) {
				mc_dist_qrow(op->dist, u + j, cnt, x);
			} else {
				mc_rng_seek(r, i + j);
				mc_dist_row(op->dist, mc_rng_gsl(r), x);
			}
			for (k = 0; k < d; k++) {
				if (!out_room(o)) {
					rc = -1;
					break;
				}
				out_num(o, x[k], k + 1 == d ? '\n' : o->sep);
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
	unsigned steps = (unsigned)mc_dist_get(op->dist, "steps"), k;
	char (*t)[2 * MC_FMT_DBL] = NULL;
	double *S = NULL;
	uint64_t i;
	size_t j, cnt;
	int rc = 0;

	m.model = op->type == &paths[0] ? MC_MODEL_GBM :
	    op->type == &paths[1] ? MC_MODEL_HESTON : MC_MODEL_MERTON;
	m.spot = mc_dist_get(op->dist, "spot");
	m.rate = mc_dist_get(op->dist, "rate");
	m.dividend = mc_dist_get(op->dist, "dividend");
	m.vol = mc_dist_get(op->dist, "vol");
	m.maturity = mc_dist_get(op->dist, "maturity");
	m.v0 = mc_dist_get(op->dist, "v0");
	m.kappa = mc_dist_get(op->dist, "kappa");
	m.theta = mc_dist_get(op->dist, "vbar");
	m.xi = mc_dist_get(op->dist, "xi");
	m.rho = mc_dist_get(op->dist, "rho_sv");
	m.lambda = mc_dist_get(op->dist, "lambda");
	m.jump_mean = mc_dist_get(op->dist, "jump_mean");
	m.jump_vol = mc_dist_get(op->dist, "jump_vol");
	po.steps = steps;
	po.seed = op->c.seed;
	po.rng = op->c.rng;
	po.qmc = op->c.qmc;
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
		int len = snprintf(t[k], sizeof(t[k]), "%u%c", k, o->sep);
		len += mc_fmt_double(t[k] + len, (double)k * m.maturity /
		    steps);
		t[k][len] = o->sep;
		t[k][len + 1] = '\0';
	}
	header(op);
	for (i = lo; i < hi && rc == 0; i += cnt) {
		tick(o, i - lo);
		cnt = hi - i < CHUNK ? (size_t)(hi - i) : CHUNK;
		if ((rc = mc_path_block(g, i, cnt, S, NULL, err)) != 0)
			break;
		for (j = 0; j < cnt && rc == 0; j++) {
			char path[32];
			int plen = snprintf(path, sizeof(path), "%llu%c",
			    (unsigned long long)(i + j), o->sep);
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
run(void *ctx, mc_err *err)
{
	const struct opts *op = ctx;
	struct out *o = malloc(sizeof(*o));
	uint64_t lo, hi;
	int rc;

	if (o == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	o->len = 0;
	o->fp = op->c.fp;
	o->sep = op->c.sep;
	o->err = 0;
	mc_shard_range(op->c.n, op->c.shard, op->c.nshards, &lo, &hi);
	mc_progress_init(&o->prog, stderr, op->c.progress, "mcgen",
	    op->type->flags & MC_DIST_PATH ? "paths" : "rows",
	    mc_progress_clock());
	mc_progress_part(&o->prog, NULL, 0, 0, hi - lo, mc_progress_clock());
	o->tty = o->prog.fp != NULL && isatty(fileno(o->fp));
	if (op->type->flags & MC_DIST_PATH)
		rc = run_paths(op, lo, hi, o, err);
	else if (strcmp(op->type->name, "uniform") == 0 && op->c.rng == NULL &&
	    !op->c.qmc)
		rc = run_uniform(op, lo, hi, o);
	else
		rc = run_scalar(op, lo, hi, o, err);
	if (rc <= 0 && out_flush(o) == 0 && fflush(o->fp) != 0)
		o->err = errno;
	mc_progress_end(&o->prog, rc == 0 && o->err == 0 ? hi - lo :
	    o->prog.done, mc_progress_clock());
	if (rc <= 0 && o->err != 0)
		rc = mc_err_set(err, EX_IOERR, "write error: %s",
		    strerror(o->err));
	free(o);
	return rc > 0 ? rc : 0;
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
	op->dim = d;
	rc = ok ? mc_dist_set_dim(op->dist, d, c, err) : 0;
	free(c);
	if (!ok)
		return mc_err_set(err, EX_USAGE, "--corr: expected a symmetric "
		    "matrix with 1 on the diagonal and entries from -1 to 1, "
		    "got %s", q);
	if (rc == EX_USAGE) {
		char why[MC_ERR_MSG];
		snprintf(why, sizeof(why), "%s", err->msg);
		return mc_err_set(err, EX_USAGE, "--corr: %s, got %s", why, q);
	}
	return rc;
}

/* Checks the options against each other once DIST is known. */
static int
check_dist(struct opts *op, mc_err *err)
{
	const char *name = op->type->name;
	unsigned fixed = mc_dist_fixed_dim(op->dist);

	if (op->type->flags & MC_DIST_PATH) {
		if (op->dim_set || op->corr != NULL)
			return mc_err_set(err, EX_USAGE, "%s: paths take no %s "
			    "(one value a date: set steps=)", name,
			    op->dim_set ? "-d" : "--corr");
		return 0;
	}
	if (op->c.qmc && op->c.rng != NULL)
		return mc_err_set(err, EX_USAGE, "--qmc sobol and --rng: "
		    "choose one");
	if (op->c.qmc && !mc_dist_has_quantile(op->dist))
		return mc_err_set(err, EX_USAGE, "--qmc sobol: %s has no "
		    "inverse CDF to map Sobol points through; drop --qmc", name);
	if (op->corr != NULL && !(op->type->flags & MC_DIST_CORR))
		return mc_err_set(err, EX_USAGE, "--corr: only mvnormal and mvt "
		    "take a correlation matrix");
	if (op->corr != NULL && mc_dist_given(op->dist, "rho"))
		return mc_err_set(err, EX_USAGE, "%s: give --corr or rho=, not "
		    "both", name);
	if (fixed != 0 && op->dim_set && op->dim != fixed)
		return mc_err_set(err, EX_USAGE, "-d %u, but %s's list has %u "
		    "numbers, one a column (drop -d)", op->dim, name, fixed);
	if (fixed != 0)
		op->dim = fixed;
	if (op->corr != NULL)
		return parse_corr(op, op->corr, err);
	if (mc_dist_given(op->dist, "rho") && op->dim < 2)
		return mc_err_set(err, EX_USAGE, "%s: rho= needs -d 2 or more",
		    name);
	return mc_dist_set_dim(op->dist, op->dim, NULL, err);
}

static int
set(void *ctx, int id, const char *arg, mc_err *err)
{
	struct opts *op = ctx;
	char q[64];
	uint64_t x;

	switch (id) {
	case OPT_DIM:
		if (mc_parse_count(arg, &x) != NULL || x < 1 || x > MAXDIM)
			return mc_err_set(err, EX_USAGE, "expected a dimension "
			    "from 1 to %d, got %s", MAXDIM,
			    mc_err_quote(q, sizeof(q), arg));
		op->dim = (unsigned)x;
		op->dim_set = 1;
		return 0;
	case OPT_CORR:
		op->corr = arg;
		return 0;
	case OPT_NO_HEADER:
		op->no_header = 1;
		return 0;
	}
	return mc_err_set(err, EX_SOFTWARE, "no option %d", id);
}

/* Takes DIST and its PARAM=VALUE words, and checks them with the options. */
static int
check(void *ctx, int argc, char **argv, mc_err *err)
{
	struct opts *op = ctx;
	char q[64], list[1024];
	size_t k;

	mc_dist_names(list, sizeof(list));
	for (k = 0; k < NPATHS; k++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    ", %s", paths[k].name);
	if (argc < 1)
		return mc_err_set(err, EX_USAGE, "no distribution given (one "
		    "of %s)", list);
	op->type = mc_dist_find(argv[0]);
	for (k = 0; k < NPATHS && op->type == NULL; k++)
		if (strcmp(paths[k].name, argv[0]) == 0)
			op->type = &paths[k];
	if (op->type == NULL)
		return mc_err_set(err, EX_USAGE, "unknown distribution %s (one "
		    "of %s)", mc_err_quote(q, sizeof(q), argv[0]), list);
	if ((op->dist = mc_dist_alloc(op->type, argv + 1, argc - 1, err)) ==
	    NULL)
		return err->status;
	return check_dist(op, err);
}

int
main(int argc, char **argv)
{
	static const mc_cli_prog prog = {
		"mcgen", usage, MC_CLI_COUNT | MC_CLI_SEED | MC_CLI_SHARD |
		    MC_CLI_RNG | MC_CLI_QMC | MC_CLI_PROGRESS,
		options, NOPTS, set, check, run
	};
	struct opts op = { .dim = 1 };
	int rc;

	mc_cli_init(&op.c);
	op.c.isa = getenv("MCTOOLS_ISA");
	op.c.n = 10;
	rc = mc_cli_main(&prog, &op.c, &op, argc, argv);
	mc_dist_free(op.dist);
	return rc;
}
