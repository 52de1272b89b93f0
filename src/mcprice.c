/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcprice: Monte Carlo prices of an option book.
 *
 * A read, price, write loop: each row of a book (CSV, one contract a row)
 * or the one contract given as long options is parsed (mc_contract),
 * priced (mc_price) and written (mc_book): every input column, then price,
 * stderr, ci_lo, ci_hi, paths, ref and, with --greeks, the Greeks with
 * their standard errors.  With --partial it writes what a shard knows
 * instead, and --merge turns such rows back into the final rows, byte for
 * byte as one process would have printed them (mc_book_merge).
 *
 * Rows are written as soon as they are priced.  A bad row stops the run
 * with exit status 65: the rows before it stand, it and the rows after it
 * are not written, and no row is ever written in part.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_book.h"
#include "mc_cli.h"
#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_dual.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_lsm.h"
#include "mc_opt.h"
#include "mc_price.h"
#include "mc_progress.h"
#include "mc_rng.h"

#define NFIELDS MC_CONTRACT_NFIELDS

/* mcprice's own options; contract field i is option NOWN + i. */
enum {
	OPT_MERGE, OPT_ANTITHETIC, OPT_TOLERANCE, OPT_GREEKS, OPT_DUAL,
	OPT_DUAL_INNER, NOWN
};

/* --dual-inner's default: inner paths a date (see mcprice(1)). */
#define DUAL_INNER 64

/*
 * The shared options are in c; check() copies those the run functions
 * read into p, level and partial.  Output goes to c.fp with c.sep
 * between fields.  run() points pg at the progress line and p.count at
 * the count of paths it draws from; tty says that c.fp is a terminal,
 * which the line shares.
 */
struct options {
	mc_cli c;
	mc_price_opts p;
	double level;
	int partial, merge, tty;
	uint64_t dual;		/* --dual: outer paths, or 0 */
	uint64_t dual_inner;	/* --dual-inner, or 0 for DUAL_INNER */
	mc_progress *pg;
	const char *input;
	const char *fields[NFIELDS];	/* contract given as options */
	int single;
};

static const char usage[] =
    "usage: mcprice [-n COUNT] [-s SEED] [-j THREADS] [--shard I/N] "
    "[--partial]\n"
    "               [--antithetic] [--qmc sobol] [--rng NAME] "
    "[--tolerance X]\n"
    "               [--greeks] [--dual N [--dual-inner M]] [--level L] "
    "[--progress]\n"
    "               [-o FILE] [-t CHAR] [FILE]\n"
    "       mcprice [options] --type call|put --spot S --strike K "
    "--maturity T\n"
    "               --rate r [--vol v] [--COLUMN VALUE ...]\n"
    "       mcprice --merge [--level L] [-o FILE] [-t CHAR] [FILE]\n";

/* A warning on stderr, with the progress line pg (or NULL) out of the way. */
static void
warn(void *pg, const char *msg)
{
	if (pg != NULL)
		mc_progress_hold(pg);
	fprintf(stderr, "mcprice: %s\n", msg);
	if (pg != NULL)
		mc_progress_release(pg);
}

/*
 * Parses the contract of row r.  A bad one gives EX_USAGE and "--vol:
 * ..." when it came from options, else its status and "WHERE: column
 * 'vol': ...".
 */
static int
parse_row(const struct options *o, const mc_book_fields *r, mc_contract *c,
    const char *where, mc_err *err)
{
	char msg[MC_ERR_MSG];
	const char *col = NULL;
	int st;

	if ((st = mc_contract_parse(c, mc_book_get, (void *)r, &col,
	    err)) == 0 || col == NULL)
		return st;
	mc_contract_free(c);
	mc_contract_message(msg, sizeof(msg), col, err->msg, o->single);
	if (o->single)
		return mc_err_set(err, EX_USAGE, "%s", msg);
	return mc_err_set(err, st, "%s: %s", where, msg);
}

/*
 * Warns of a value that looks like a percentage where a fraction is
 * meant: "--rate 5 --vol 20" prices a call at 0 with no word otherwise.
 */
static void
suspect(const struct options *o, const mc_contract *c, const char *where)
{
	char v[MC_FMT_DBL + 1], f[MC_FMT_DBL + 1], msg[2 * MC_ERR_MSG];
	const char *col;
	double x;

	if ((col = mc_contract_suspect(c, &x)) == NULL)
		return;
	v[mc_fmt_double(v, x)] = '\0';
	f[mc_fmt_double(f, x / 100)] = '\0';
	if (o->single)
		snprintf(msg, sizeof(msg), "warning: --%s %s looks like a "
		    "percentage; %s is a fraction (%s for %s%%)", col, v, col,
		    f, v);
	else
		snprintf(msg, sizeof(msg), "warning: %s: column '%s': %s looks "
		    "like a percentage; %s is a fraction (%s for %s%%)",
		    where, col, v, col, f, v);
	warn(o->pg, msg);
}

/*
 * The estimate of res at the level into *e, NaN where
 * mc_price_estimate leaves it absent.
 */
static int
estimate(const mc_price_result *res, double level, mc_est *e, mc_err *err)
{
	mc_err note;
	int st;

	if ((st = mc_price_estimate(res, level, e, &note)) != 0)
		return mc_err_set(err, st, "the price has no estimate");
	if (note.msg[0] != '\0')
		e->se = NAN;
	return 0;
}

/*
 * The --dual columns of contract c, priced as res under p, into out[4]:
 * upper, upper_se, bracket_lo, bracket_hi (mc_dual), or NaN for a row
 * without a bound.  An american's lower end is the price of its
 * Bermudan rule on its dates, priced again as a bermudan (the same
 * fits, so the same rule), not the extrapolated price.
 */
static int
dual_cols(const struct options *o, const mc_contract *c,
    const mc_price_opts *p, const mc_price_result *res, double out[4],
    mc_err *err)
{
	mc_dual_opts d = { o->dual, DUAL_INNER, p->seed, 0, 0, p->threads };
	mc_price_opts pb = *p;
	mc_price_result rb;
	mc_contract b;
	mc_est pe, le;
	mc_acc gap;
	mc_dual_bracket br;
	int k, st;

	for (k = 0; k < 4; k++)
		out[k] = NAN;
	if (!mc_dual_applies(c))
		return 0;
	if (o->dual_inner != 0)
		d.inner = (unsigned)o->dual_inner;
	if ((st = estimate(res, o->level, &pe, err)) != 0 ||
	    (st = mc_lsm_cal_paths(c, mc_price_paths(c, p), &d.ncal, err)) !=
	    0)
		return st;
	d.nslices = mc_price_rule_slices(pe.n * res->unit);
	le = pe;
	if (c->style == MC_AMERICAN) {
		if ((st = mc_contract_copy(&b, c)) != 0)
			return mc_err_set(err, st, "out of memory");
		b.style = MC_BERMUDAN;
		pb.greeks = 0;
		pb.count = NULL;
		st = mc_price_run(&b, &pb, &rb, err);
		mc_contract_free(&b);
		if (st != 0 || (st = estimate(&rb, o->level, &le, err)) != 0)
			return st;
	}
	if ((st = mc_dual_run(c, &d, &gap, err)) != 0 ||
	    (st = mc_dual_bracket_of(&pe, &le, &gap, o->level, &br, err)) !=
	    0)
		return st;
	out[0] = br.upper;
	out[1] = br.upper_se;
	out[2] = br.lo;
	out[3] = br.hi;
	return 0;
}

/* Prices row r, book row rowno, and writes its rows through b. */
static int
price_row(const struct options *o, const mc_book *b, const mc_book_fields *r,
    uint64_t rowno, const char *where, mc_err *err)
{
	mc_price_opts p = o->p;
	mc_price_result res;
	mc_contract c;
	mc_prov pv = { 0 };
	double ref, dual[4];
	int st;

	if ((st = parse_row(o, r, &c, where, err)) != 0)
		return st;
	suspect(o, &c, where);
	/* Rows share the command line's streams unless they have a seed. */
	if (c.has_seed)
		p.seed = c.seed;
	ref = mc_book_ref(&c, where, warn, o->pg);
	if (o->pg->fp != NULL) {
		uint64_t lo, hi;
		mc_shard_range(mc_price_paths(&c, &p), p.shard, p.nshards, &lo,
		    &hi);
		mc_progress_total(o->pg, hi - lo, mc_progress_clock());
	}
	st = mc_price_run(&c, &p, &res, err);
	if (st == 0 && o->dual)
		st = dual_cols(o, &c, &p, &res, dual, err);
	mc_contract_free(&c);
	pv.job = mc_book_job(r, &p);
	pv.seeded = 1;
	pv.seed = p.seed;
	pv.shard = p.shard;
	pv.nshards = p.nshards;
	/* On a terminal the row goes out at once, with the line out of
	 * its way; in a file it waits in the buffer. */
	if (o->tty)
		mc_progress_hold(o->pg);
	if (st == 0)
		st = mc_book_row_dual(b, r->val, rowno, &res, ref, &pv, dual,
		    err);
	if (o->tty) {
		fflush(o->c.fp);
		mc_progress_release(o->pg);
	}
	/* Pricing and writing fail at this row: the message says where. */
	if (st != 0) {
		err->status = st;
		return mc_err_prefix(err, where);
	}
	return 0;
}

static int
run_single(const struct options *o, mc_err *err)
{
	const char *names[NFIELDS], *vals[NFIELDS];
	mc_book_fields r = { 0, names, vals };
	mc_contract c;
	mc_book b;
	int i, st;

	for (i = 0; mc_contract_fields[i] != NULL; i++)
		if (o->fields[i] != NULL) {
			names[r.n] = mc_contract_fields[i];
			vals[r.n++] = o->fields[i];
		}
	/* Checked first, so that a bad option leaves stdout empty. */
	if ((st = parse_row(o, &r, &c, "options", err)) != 0)
		return st;
	mc_contract_free(&c);
	st = mc_book_init(&b, o->c.fp, o->c.sep, "options", names, r.n,
	    o->partial, o->p.greeks, o->level, err);
	b.warn = warn;
	b.warn_ctx = o->pg;
	b.dual = o->dual != 0;
	if (st == 0 && (st = mc_book_header(&b, err)) == 0)
		st = price_row(o, &b, &r, 1, "options", err);
	mc_book_free(&b);
	return st;
}

/* Prices the rows of the book rd, whose column names are r->name, of
 * nrows rows (0 when unknown). */
static int
price_book(const struct options *o, mc_csv_reader *rd, mc_book_fields *r,
    uint64_t nrows, mc_err *err)
{
	const char **vals = (const char **)r->val;
	const char *name = mc_csv_name(rd);
	char where[MC_ERR_MSG];
	uint64_t rowno = 0;
	mc_book b;
	size_t i;
	int st;

	if (mc_csv_find(rd, "type") < 0)
		return mc_err_set(err, EX_DATAERR, "%s:1: no column 'type' in "
		    "the header", name);
	st = mc_book_init(&b, o->c.fp, o->c.sep, name, r->name, r->n,
	    o->partial, o->p.greeks, o->level, err);
	b.warn = warn;
	b.warn_ctx = o->pg;
	b.dual = o->dual != 0;
	if (st != 0 || (st = mc_book_header(&b, err)) != 0)
		goto out;
	while ((st = mc_csv_next(rd, err)) == 1) {
		mc_progress_part(o->pg, "row", rowno + 1, nrows, 0,
		    mc_progress_clock());
		for (i = 0; i < r->n; i++)
			vals[i] = mc_csv_field(rd, i);
		snprintf(where, sizeof(where), "%s:%lu", name, mc_csv_line(rd));
		if ((st = price_row(o, &b, r, ++rowno, where, err)) != 0)
			goto out;
	}
	st = st < 0 ? err->status : 0;
out:
	mc_book_free(&b);
	return st;
}

/*
 * The rows of the book fp, for "row i of N" on the progress line: when
 * the line shows and fp is a regular file, read once ahead and put back
 * where it was; 0 (a count unknown) for a pipe or a book that does not
 * read, whose error the real reading reports.
 */
static uint64_t
count_rows(const struct options *o, FILE *fp, const char *name)
{
	struct stat sb;
	off_t at;
	mc_csv_reader *rd;
	mc_err e;
	uint64_t n = 0;
	int st = -1;

	if (o->pg->fp == NULL || fstat(fileno(fp), &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || (at = ftello(fp)) < 0)
		return 0;
	if ((rd = mc_csv_open_sep(fp, name, o->c.sep, &e)) != NULL) {
		while ((st = mc_csv_next(rd, &e)) == 1)
			n++;
		mc_csv_free(rd);
	}
	if (fseeko(fp, at, SEEK_SET) != 0)
		return 0;
	clearerr(fp);
	return st == 0 ? n : 0;
}

static int
run_book(const struct options *o, mc_err *err)
{
	const char *name, **names = NULL, **vals = NULL;
	mc_csv_reader *rd = NULL;
	mc_book_fields r;
	uint64_t nrows;
	FILE *fp;
	size_t i, nc;
	int st;

	if ((fp = mc_io_open_in(o->input, &name, err)) == NULL)
		return err->status;
	nrows = count_rows(o, fp, name);
	if ((rd = mc_csv_open_sep(fp, name, o->c.sep, err)) == NULL) {
		st = err->status;
		goto out;
	}
	nc = mc_csv_ncols(rd);
	names = calloc(nc + 1, sizeof(*names));
	vals = calloc(nc + 1, sizeof(*vals));
	if (names == NULL || vals == NULL) {
		st = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	for (i = 0; i < nc; i++)
		names[i] = mc_csv_colname(rd, i);
	r.n = nc;
	r.name = names;
	r.val = vals;
	st = price_book(o, rd, &r, nrows, err);
out:
	mc_csv_free(rd);
	if (fp != stdin)
		fclose(fp);
	free(names);
	free(vals);
	return st;
}

static int
run_merge(const struct options *o, mc_err *err)
{
	const char *name;
	FILE *fp = mc_io_open_in(o->input, &name, err);
	int st;

	if (fp == NULL)
		return err->status;
	st = mc_book_merge(fp, name, o->c.fp, o->c.sep, o->level, warn,
	    err);
	if (fp != stdin)
		fclose(fp);
	return st;
}

/*
 * The progress line shows the paths of the row being priced, which
 * mc_price_run counts, drawn by a thread that watches the count.
 */
static int
run(void *ctx, mc_err *err)
{
	struct options *o = ctx;
	mc_progress pg;
	mc_progress_count count;
	int st;

	if (o->merge)
		return run_merge(o, err);
	atomic_init(&count.done, 0);
	atomic_init(&count.total, 0);
	mc_progress_init(&pg, stderr, o->c.progress, "mcprice", "paths",
	    mc_progress_clock());
	o->pg = &pg;
	o->tty = pg.fp != NULL && isatty(fileno(o->c.fp));
	o->p.count = pg.fp != NULL ? &count : NULL;
	mc_progress_watch(&pg, &count, mc_progress_clock);
	st = o->single ? run_single(o, err) : run_book(o, err);
	mc_progress_end(&pg, atomic_load(&count.done), mc_progress_clock());
	o->pg = NULL;
	o->p.count = NULL;
	return st;
}

/* --dual-inner M: an even count, 2 to MC_DUAL_MAX_INNER. */
static int
dual_inner(const char *arg, uint64_t *m, mc_err *err)
{
	int st;

	if ((st = mc_opt_count(arg, m, err)) != 0)
		return st;
	if (*m < 2 || *m > MC_DUAL_MAX_INNER || *m % 2 != 0)
		return mc_err_set(err, EX_USAGE, "expected an even count from 2 "
		    "to %d (antithetic pairs), got %llu", MC_DUAL_MAX_INNER,
		    (unsigned long long)*m);
	return 0;
}

static int
set(void *ctx, int id, const char *arg, mc_err *err)
{
	struct options *o = ctx;

	switch (id) {
	case OPT_MERGE:
		o->merge = 1;
		return 0;
	case OPT_ANTITHETIC:
		o->p.antithetic = 1;
		return 0;
	case OPT_TOLERANCE:
		return mc_opt_real(arg, 0, 1, INFINITY, 1, &o->p.tolerance,
		    err);
	case OPT_GREEKS:
		o->p.greeks = 1;
		return 0;
	case OPT_DUAL:
		return mc_opt_count(arg, &o->dual, err);
	case OPT_DUAL_INNER:
		return dual_inner(arg, &o->dual_inner, err);
	}
	o->fields[id - NOWN] = arg;
	o->single = 1;
	return 0;
}

/* Takes the FILE, checks the options together, and hands the shared ones
 * to the run functions. */
static int
check(void *ctx, int argc, char **argv, mc_err *err)
{
	struct options *o = ctx;
	char q[64];

	if (argc > 1)
		return mc_err_set(err, EX_USAGE, "unexpected argument %s (one "
		    "FILE at most)", mc_err_quote(q, sizeof(q), argv[1]));
	if (o->p.tolerance > 0 && (o->c.given & MC_CLI_SHARD ||
	    o->c.partial))
		return mc_err_set(err, EX_USAGE, "--tolerance: cannot be split "
		    "into shards or partial rows (the count depends on all of "
		    "them)");
	if ((o->dual || o->dual_inner) && (o->c.given & MC_CLI_SHARD ||
	    o->c.partial || o->merge))
		return mc_err_set(err, EX_USAGE, "--dual: cannot be split into "
		    "shards, partial rows or a merge (the bound's paths are "
		    "not sharded)");
	if (o->dual_inner && !o->dual)
		return mc_err_set(err, EX_USAGE, "--dual-inner: needs --dual N "
		    "(the outer paths)");
	if (o->dual > MC_DUAL_MAX_OUTER)
		return mc_err_set(err, EX_USAGE, "--dual: at most 2^34 outer "
		    "paths, got %llu", (unsigned long long)o->dual);
	if (o->c.qmc && o->c.rng != NULL)
		return mc_err_set(err, EX_USAGE, "--qmc: not with --rng (Sobol "
		    "points replace the generator)");
	if (o->merge && (o->single || o->c.partial))
		return mc_err_set(err, EX_USAGE, "--merge: reads partial rows, "
		    "not a contract");
	if (o->single && argc > 0)
		return mc_err_set(err, EX_USAGE, "a contract from options reads "
		    "no file");
	if (!o->single && !o->merge && argc == 0 && isatty(STDIN_FILENO))
		o->single = 1;
	if (o->single && o->fields[0] == NULL)
		return mc_err_set(err, EX_USAGE, "--type: required, call or put");
	o->input = argc > 0 ? argv[0] : "-";
	o->p.n = o->c.n;
	o->p.seed = o->c.seed;
	o->p.threads = o->c.threads;
	o->p.shard = o->c.shard;
	o->p.nshards = o->c.nshards;
	o->p.rng = o->c.rng;
	o->p.qmc = o->c.qmc;
	o->level = o->c.level;
	o->partial = o->c.partial;
	return 0;
}

int
main(int argc, char **argv)
{
	static mc_cli_opt opts[NOWN + NFIELDS] = {
		[OPT_MERGE] = { "merge", 0, MC_CLI_FLAG, 0 },
		[OPT_ANTITHETIC] = { "antithetic", 0, MC_CLI_FLAG, 0 },
		[OPT_TOLERANCE] = { "tolerance", 0, MC_CLI_VALUE, 0 },
		[OPT_GREEKS] = { "greeks", 0, MC_CLI_FLAG, 0 },
		[OPT_DUAL] = { "dual", 0, MC_CLI_VALUE, 0 },
		[OPT_DUAL_INNER] = { "dual-inner", 0, MC_CLI_VALUE, 0 },
	};
	mc_cli_prog prog = {
		"mcprice", usage, MC_CLI_COUNT | MC_CLI_SEED | MC_CLI_THREADS |
		    MC_CLI_SHARD | MC_CLI_PARTIAL | MC_CLI_LEVEL | MC_CLI_RNG |
		    MC_CLI_QMC | MC_CLI_PROGRESS,
		opts, NOWN, set, check, run
	};
	struct options o = { 0 };

	/* The contract's columns are options too. */
	for (; mc_contract_fields[prog.nopts - NOWN] != NULL; prog.nopts++) {
		if (prog.nopts == NOWN + NFIELDS) {
			fputs("mcprice: more contract fields than NFIELDS\n",
			    stderr);
			return EX_SOFTWARE;
		}
		opts[prog.nopts] = (mc_cli_opt){
		    mc_contract_fields[prog.nopts - NOWN], 0, MC_CLI_VALUE, 0 };
	}
	mc_cli_init(&o.c);
	o.c.isa = getenv("MCTOOLS_ISA");
	o.c.n = 100000;
	return mc_cli_main(&prog, &o.c, &o, argc, argv);
}
