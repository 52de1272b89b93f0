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
#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__GLIBC__) && defined(__linux__)
#include <sys/mman.h>
#endif
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_book.h"
#include "mc_cli.h"
#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_dual.h"
#include "mc_err.h"
#include "mc_fit.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_lsm.h"
#include "mc_opt.h"
#include "mc_price.h"
#include "mc_progress.h"
#include "mc_rng.h"
#include "mc_rows.h"
#include "mc_split.h"

#define NFIELDS MC_CONTRACT_NFIELDS

/* mcprice's own options; contract field i is option NOWN + i. */
enum {
	OPT_MERGE, OPT_ANTITHETIC, OPT_TOLERANCE, OPT_GREEKS, OPT_FIT,
	OPT_FIT_FILE, OPT_DUAL, OPT_DUAL_INNER, NOWN
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
	mc_progress_count *rows;	/* -j over rows: rows written */
	int fit;		/* --fit: write the fits, price nothing */
	const char *fit_file;	/* --fit-file */
	mc_fit_file *fits;	/* what run() read from it */
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
    "               [-o FILE] [-t CHAR] [--fit | --fit-file FIT] [FILE]\n"
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
suspect(const struct options *o, const mc_book *b, const mc_contract *c,
    const char *where)
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
	b->warn(b->warn_ctx, msg);
}

/*
 * --fit: computes the fit of contract c under p, book row rowno of
 * fingerprint job, and writes it through b.
 */
static int
fit_row(const struct options *o, const mc_book *b, const mc_contract *c,
    const mc_price_opts *p, uint64_t rowno, uint64_t job, mc_err *err)
{
	mc_price_fit f;
	int st;

	if ((st = mc_price_fit_make(c, p, &f, err)) != 0)
		return st;
	if (o->tty && b->fp == o->c.fp)
		mc_progress_hold(o->pg);
	mc_fit_write(b->fp, b->sep, rowno, job, &f);
	if (o->tty && b->fp == o->c.fp) {
		fflush(o->c.fp);
		mc_progress_release(o->pg);
	}
	mc_price_fit_free(&f);
	return 0;
}

/* Writes the header of b, or with --fit the fit file's. */
static int
header(const struct options *o, const mc_book *b, mc_err *err)
{
	if (!o->fit)
		return mc_book_header(b, err);
	mc_fit_header(b->fp, b->sep);
	return 0;
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

/*
 * Prices row r, book row rowno, on threads threads, and writes its rows
 * through b, whose warn takes its warnings: the units units[0] to
 * units[1] of its paths when units is not NULL (a book's shard, split by
 * mc_split), else shard I of N's.  The progress line counts its paths
 * when o->p.count is set (rows priced one at a time).
 */
static int
price_row(const struct options *o, const mc_book *b, const mc_book_fields *r,
    uint64_t rowno, const char *where, const uint64_t *units,
    unsigned threads, mc_err *err)
{
	mc_price_opts p = o->p;
	mc_price_result res;
	mc_contract c;
	mc_prov pv = { 0 };
	mc_split_cost k;
	double ref, dual[4];
	int st;

	if ((st = parse_row(o, r, &c, where, err)) != 0)
		return st;
	suspect(o, b, &c, where);
	p.threads = threads;
	if (units != NULL) {
		p.split = 1;
		p.unit_lo = units[0];
		p.unit_hi = units[1];
	}
	/* Rows share the command line's streams unless they have a seed. */
	if (c.has_seed)
		p.seed = c.seed;
	mc_price_cost(&c, &p, &k);
	pv.job = mc_book_job(r, &k, &p);
	if (o->fit || o->fits != NULL) {
		uint64_t job = mc_fit_job(pv.job, p.seed);
		st = o->fit ? fit_row(o, b, &c, &p, rowno, job, err) :
		    mc_fit_find(o->fits, rowno, job, &p.fit, err);
		if (o->fit || st != 0) {
			mc_contract_free(&c);
			return st != 0 ? mc_err_prefix(err, where) : 0;
		}
	}
	/* Partial rows have no ref: the merge computes it. */
	ref = o->partial ? NAN : mc_book_ref(&c, where, b->warn,
	    b->warn_ctx);
	if (p.count != NULL)
		mc_progress_total(o->pg, mc_price_shard_paths(&c, &p),
		    mc_progress_clock());
	st = mc_price_run(&c, &p, &res, err);
	if (st == 0 && o->dual)
		st = dual_cols(o, &c, &p, &res, dual, err);
	mc_contract_free(&c);
	pv.seeded = 1;
	pv.seed = p.seed;
	pv.shard = p.shard;
	pv.nshards = p.nshards;
	/* On a terminal the row goes out at once, with the line out of
	 * its way; in a file it waits in the buffer. */
	if (o->tty && b->fp == o->c.fp)
		mc_progress_hold(o->pg);
	if (st == 0)
		st = mc_book_row_dual(b, r->val, rowno, &res, ref, &pv, dual,
		    err);
	if (o->tty && b->fp == o->c.fp) {
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
	mc_book_fields r = { 0, names, vals, NULL };
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
	if (st == 0 && (st = header(o, &b, err)) == 0)
		st = price_row(o, &b, &r, 1, "options", NULL, o->p.threads,
		    err);
	mc_book_free(&b);
	return st;
}

/*
 * The work of row r (mc_price_cost) into *k.  Returns 0, or 1 for a row
 * that does not parse: its pricing fails, with the message, and the book
 * stops there.
 */
static int
row_cost(const struct options *o, const mc_book_fields *r, mc_split_cost *k)
{
	const char *col;
	mc_contract c;
	mc_err e;
	int bad;

	if (!(bad = mc_contract_parse(&c, mc_book_get, (void *)r, &col,
	    &e) != 0))
		mc_price_cost(&c, &o->p, k);
	mc_contract_free(&c);
	return bad;
}

/*
 * A book's shard: the units of row r that it prices, the rows given in
 * book order (mc_split); none for a row that does not parse.
 */
static void
row_units(const struct options *o, mc_split *sp, const mc_book_fields *r,
    uint64_t units[2])
{
	mc_split_cost k;

	units[0] = units[1] = 0;
	if (row_cost(o, r, &k) == 0)
		mc_split_next(sp, &k, &units[0], &units[1]);
}

/*
 * The fields of the rows of rd, into r: the column names, their index,
 * and room for a row's values.  Returns 0 or EX_OSERR; free them with
 * book_fields_free.
 */
static int
book_fields(mc_csv_reader *rd, mc_book_fields *r, mc_err *err)
{
	size_t i, nc = mc_csv_ncols(rd);
	const char **names = calloc(nc + 1, sizeof(*names));
	int *col = malloc(sizeof(mc_book_cols));

	r->n = nc;
	r->name = names;
	r->val = calloc(nc + 1, sizeof(*r->val));
	r->col = col;
	if (names == NULL || r->val == NULL || col == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < nc; i++)
		names[i] = mc_csv_colname(rd, i);
	mc_book_index(col, names, nc);
	return 0;
}

/* Frees what book_fields allocated in r. */
static void
book_fields_free(mc_book_fields *r)
{
	free((void *)r->name);
	free((void *)r->val);
	free((void *)r->col);
}

/*
 * Reads the book fp once ahead and puts it back at at: counts its rows
 * into *nrows, for "row i of N" on the progress line (0, a count
 * unknown, when one does not read: the real reading reports it), and
 * for a book's shard sp adds their work to it (mc_split_add) up to the
 * first that does not parse, where the pricing stops too.  Returns 0,
 * or EX_IOERR when fp cannot be put back, EX_OSERR.
 */
static int
read_ahead(const struct options *o, FILE *fp, const char *name, off_t at,
    mc_split *sp, uint64_t *nrows, mc_err *err)
{
	mc_csv_reader *rd;
	mc_book_fields r = { 0, NULL, NULL, NULL };
	mc_split_cost k;
	mc_err e;
	size_t i;
	int st = -1, costing = sp != NULL;

	*nrows = 0;
	if ((rd = mc_csv_open_sep(fp, name, o->c.sep, &e)) != NULL &&
	    (st = book_fields(rd, &r, err)) != 0)
		goto out;
	while (rd != NULL && (st = mc_csv_next(rd, &e)) == 1) {
		++*nrows;
		for (i = 0; costing && i < r.n; i++)
			((const char **)r.val)[i] = mc_csv_field(rd, i);
		if (costing && (costing = !row_cost(o, &r, &k)))
			mc_split_add(sp, &k);
	}
	if (st != 0)
		*nrows = 0;
	st = 0;
	if (fseeko(fp, at, SEEK_SET) != 0)
		st = mc_err_set(err, EX_IOERR, "%s: cannot read it again: %s",
		    name, strerror(errno));
	clearerr(fp);
out:
	book_fields_free(&r);
	mc_csv_free(rd);
	return st;
}

/*
 * -j over rows: a window of rows priced by worker threads into memory
 * and written in book order (mc_rows), so the bytes are those of -j 1.
 * The hooks' context: the book b, its header written, and sp, NULL or a
 * book's shard.
 */
struct rows {
	const struct options *o;
	const mc_book *b;
	mc_split *sp;
	const int *col;		/* the book's mc_book_index */
};

/* A warning of a row priced in a worker: kept in the row's memory. */
static void
keep_warning(void *fp, const char *msg)
{
	fprintf(fp, "mcprice: %s\n", msg);
}

/* mc_rows' price hook: price_row, its rows and warnings into memory. */
static int
rows_price(void *ctx, const mc_rows_row *row, unsigned threads, FILE *out,
    FILE *msgs, mc_err *err)
{
	const struct rows *x = ctx;
	mc_book_fields r = { row->n, row->name, row->val, x->col };
	mc_book b = *x->b;

	b.fp = out;
	b.warn = keep_warning;
	b.warn_ctx = msgs;
	return price_row(x->o, &b, &r, row->rowno, row->where, x->sp != NULL ?
	    row->data : NULL, threads, err);
}

/* mc_rows' read hook of a book's shard: the row's units, in book order. */
static void
rows_read(void *ctx, mc_rows_row *row)
{
	const struct rows *x = ctx;

	row_units(x->o, x->sp, &(mc_book_fields){ row->n, row->name,
	    row->val, x->col }, row->data);
}

/* mc_rows' write hook: a row's warnings, then its rows, with the
 * progress line out of their way. */
static void
rows_write(void *ctx, const char *out, size_t nout, const char *msgs,
    size_t nmsgs)
{
	const struct options *o = ((const struct rows *)ctx)->o;

	mc_progress_hold(o->pg);
	fwrite(msgs, 1, nmsgs, stderr);
	fwrite(out, 1, nout, o->c.fp);
	if (o->tty)
		fflush(o->c.fp);
	mc_progress_release(o->pg);
	if (o->rows != NULL)
		atomic_fetch_add_explicit(&o->rows->done, 1,
		    memory_order_relaxed);
}

/* Prices the rows of the book rd, whose column names are r->name, of
 * nrows rows (0 when unknown); sp, when not NULL, is a book's shard. */
static int
price_book(const struct options *o, mc_csv_reader *rd, mc_book_fields *r,
    uint64_t nrows, mc_split *sp, mc_err *err)
{
	const char **vals = (const char **)r->val;
	const char *name = mc_csv_name(rd);
	char where[MC_ERR_MSG];
	uint64_t rowno = 0, units[2];
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
	if (st != 0 || (st = header(o, &b, err)) != 0)
		goto out;
	if (o->p.threads > 1) {
		struct rows x = { o, &b, sp, r->col };
		mc_rows_hooks h = { rows_price, sp != NULL ? rows_read : NULL,
		    rows_write, &x };

		mc_progress_total(o->pg, nrows, mc_progress_clock());
		st = mc_rows_run(rd, o->p.threads, 4 * (uint64_t)o->p.threads,
		    &h, err);
		goto out;
	}
	while ((st = mc_csv_next(rd, err)) == 1) {
		mc_progress_part(o->pg, "row", rowno + 1, nrows, 0,
		    mc_progress_clock());
		for (i = 0; i < r->n; i++)
			vals[i] = mc_csv_field(rd, i);
		snprintf(where, sizeof(where), "%s:%lu", name, mc_csv_line(rd));
		if (sp != NULL)
			row_units(o, sp, r, units);
		if ((st = price_row(o, &b, r, ++rowno, where, sp != NULL ?
		    units : NULL, 1, err)) != 0)
			goto out;
	}
	st = st < 0 ? err->status : 0;
out:
	mc_book_free(&b);
	return st;
}

/*
 * A book in shards is cut into runs of rows of about equal cost, so
 * that each shard does the fixed work of its own rows only (mc_split):
 * it is read once ahead for the cost, from a file or from memory, and
 * again to be priced.  Under the progress line, a book in a file is read
 * ahead for its count of rows too (a pipe's count stays unknown).
 */
static int
run_book(const struct options *o, mc_err *err)
{
	const char *name;
	mc_csv_reader *rd = NULL;
	mc_book_fields r = { 0, NULL, NULL, NULL };
	mc_split split, *sp = NULL;
	uint64_t nrows = 0;
	struct stat sb;
	FILE *fp, *in;
	char *buf = NULL;
	off_t at = -1;
	int st = 0;

	if ((fp = mc_io_open_in(o->input, &name, err)) == NULL)
		return err->status;
	in = fp;
	if (o->p.nshards > 1) {
		sp = &split;
		mc_split_init(sp, o->p.shard, o->p.nshards);
		in = mc_io_reread(fp, name, &buf, &at, err);
	} else if (o->pg->fp != NULL && fstat(fileno(fp), &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		/* The progress line's count of rows, from a file only. */
		at = ftello(fp);
	}
	if (in == NULL || (at >= 0 && (st = read_ahead(o, in, name, at, sp,
	    &nrows, err)) != 0) ||
	    (rd = mc_csv_open_sep(in, name, o->c.sep, err)) == NULL ||
	    (st = book_fields(rd, &r, err)) != 0) {
		st = st != 0 ? st : err->status;
		goto out;
	}
	st = price_book(o, rd, &r, nrows, sp, err);
out:
	mc_csv_free(rd);
	if (in != NULL && in != fp)
		fclose(in);
	if (fp != stdin)
		fclose(fp);
	free(buf);
	book_fields_free(&r);
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

/* --fit-file: reads the fits into o->fits. */
static int
read_fits(struct options *o, mc_err *err)
{
	FILE *fp;

	if (o->fit_file == NULL)
		return 0;
	if ((fp = fopen(o->fit_file, "r")) == NULL)
		return mc_err_set(err, EX_NOINPUT, "--fit-file %s: %s",
		    o->fit_file, strerror(errno));
	o->fits = mc_fit_read(fp, o->fit_file, o->c.sep, err);
	fclose(fp);
	return o->fits != NULL ? 0 : err->status;
}

/*
 * The progress line shows the paths of the row being priced, which
 * mc_price_run counts, drawn by a thread that watches the count; with
 * -j over a book's rows, the rows written.
 */
static int
run(void *ctx, mc_err *err)
{
	struct options *o = ctx;
	mc_progress pg;
	mc_progress_count count;
	int rows, st;

	if (o->merge)
		return run_merge(o, err);
	atomic_init(&count.done, 0);
	atomic_init(&count.total, 0);
	rows = !o->single && o->p.threads > 1;
	mc_progress_init(&pg, stderr, o->c.progress, "mcprice", rows ? "rows" :
	    "paths", mc_progress_clock());
	o->pg = &pg;
	o->tty = pg.fp != NULL && isatty(fileno(o->c.fp));
	o->p.count = pg.fp != NULL && !rows ? &count : NULL;
	o->rows = pg.fp != NULL && rows ? &count : NULL;
	mc_progress_watch(&pg, &count, mc_progress_clock);
	if ((st = read_fits(o, err)) == 0)
		st = o->single ? run_single(o, err) : run_book(o, err);
	mc_fit_free(o->fits);
	o->fits = NULL;
	mc_progress_end(&pg, atomic_load(&count.done), mc_progress_clock());
	o->pg = NULL;
	o->p.count = NULL;
	o->rows = NULL;
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
	case OPT_FIT:
		o->fit = 1;
		return 0;
	case OPT_FIT_FILE:
		o->fit_file = arg;
		return 0;
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
	if (o->dual && (o->fit || o->fit_file != NULL))
		return mc_err_set(err, EX_USAGE, "--dual: not with %s (the bound "
		    "fits its own rules, in one process)", o->fit ? "--fit" :
		    "--fit-file");
	if (o->c.qmc && o->c.rng != NULL)
		return mc_err_set(err, EX_USAGE, "--qmc: not with --rng (Sobol "
		    "points replace the generator)");
	if ((o->fit || o->fit_file != NULL) && (o->merge || o->p.tolerance >
	    0))
		return mc_err_set(err, EX_USAGE, "%s: not with %s (%s)", o->fit ?
		    "--fit" : "--fit-file", o->merge ? "--merge" : "--tolerance",
		    o->merge ? "a merge prices nothing" : "its count of paths "
		    "comes from a pilot");
	if (o->fit && (o->fit_file != NULL || o->c.given & MC_CLI_SHARD ||
	    o->c.partial))
		return mc_err_set(err, EX_USAGE, "--fit: fits the whole job, "
		    "for every shard; not with %s", o->fit_file != NULL ?
		    "--fit-file" : o->c.partial ? "--partial" : "--shard");
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

/*
 * The heap in huge pages.  A process faults its working set in afresh
 * (a book's paths, pilots and calibration values: 1500 faults of 4 KiB,
 * the most of what a shard of a book costs beyond its share, 13% of the
 * CPU of a book in 8 shards on a machine where a fault costs tens of
 * microseconds).  The heap is made 64 MiB at once (M_TOP_PAD; memory
 * that is never touched costs nothing), and that range is marked
 * MADV_HUGEPAGE, so where transparent huge pages are on it is faulted
 * in 2 MiB at a time.  A hint: the numbers do not depend on it.
 */
static void
heap_huge(void)
{
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
	uintptr_t huge = (uintptr_t)2 << 20, lo, hi;
	void *p;

	(void)mallopt(M_TOP_PAD, 64 << 20);
	if ((p = malloc(1)) == NULL)
		return;
	lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	hi = (uintptr_t)sbrk(0) & ~(huge - 1);
	/* Only when p is in the heap just made (not where a sanitizer's
	 * malloc or an mmap'd arena put it). */
	if (hi > lo && hi - lo <= (uintptr_t)64 << 20)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p);
#endif
}

int
main(int argc, char **argv)
{
	static mc_cli_opt opts[NOWN + NFIELDS] = {
		[OPT_MERGE] = { "merge", 0, MC_CLI_FLAG, 0 },
		[OPT_ANTITHETIC] = { "antithetic", 0, MC_CLI_FLAG, 0 },
		[OPT_TOLERANCE] = { "tolerance", 0, MC_CLI_VALUE, 0 },
		[OPT_GREEKS] = { "greeks", 0, MC_CLI_FLAG, 0 },
		[OPT_FIT] = { "fit", 0, MC_CLI_FLAG, 0 },
		[OPT_FIT_FILE] = { "fit-file", 0, MC_CLI_VALUE, 0 },
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
	/*
	 * Each row allocates and frees its paths, a fit its calibration
	 * values (up to 26 MB); glibc gave them back to the kernel between
	 * rows, and worker threads' arenas dropped whole heaps, so every
	 * row faulted them in again, a zeroed 2 MiB huge page at a time
	 * under transparent huge pages: 2500 faults and 12% of the CPU of
	 * --fit -j 2 on a 200-row book.  One arena that keeps what it frees
	 * (below 16 MiB an allocation, up to 256 MiB in all) reuses them.
	 * Larger arrays (an american's 26 MB at 65536 calibration paths)
	 * are mapped and unmapped as before: kept in the heap, two threads'
	 * fits left it fragmented, and the peak of -n 1e6 -j 2 rose from
	 * 59 to 87 MB in two runs of twelve.  The numbers do not depend on
	 * it.
	 */
#if defined(__GLIBC__)
	(void)mallopt(M_ARENA_MAX, 1);
	(void)mallopt(M_MMAP_THRESHOLD, 16 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
	heap_huge();
	mc_cli_init(&o.c);
	o.c.isa = getenv("MCTOOLS_ISA");
	o.c.n = 100000;
	return mc_cli_main(&prog, &o.c, &o, argc, argv);
}
