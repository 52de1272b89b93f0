/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcprice: Monte Carlo prices of an option book.
 *
 * Reads a book (CSV, one contract a row) or one contract from long
 * options, and writes every input column, then price, stderr, ci_lo, ci_hi,
 * paths, ref and, with --greeks, the Greeks with their standard errors.
 * With --partial it writes what a shard knows instead (the book's columns,
 * book_row, paths_per_n, then name,n,sum,sumsq per statistic), and --merge
 * turns such rows back into the final rows, byte for byte as one process
 * would have printed them.
 *
 * Rows are written as soon as they are priced.  A bad row stops the run
 * with exit status 65: the rows before it stand, it and the rows after it
 * are not written, and no row is ever written in part.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_price.h"
#include "mc_rng.h"

#define NFIELDS 30	/* entries of mc_contract_fields */

struct options {
	mc_price_opts p;
	double level;
	int partial, merge, progress;
	const char *input;
	const char *fields[NFIELDS];	/* contract given as options */
	int single;
};

static const char usage[] =
    "usage: mcprice [-n count] [-s seed] [-j threads] [--shard I/N] "
    "[--partial]\n"
    "               [--antithetic] [--qmc sobol] [--rng name] "
    "[--tolerance x]\n"
    "               [--greeks] [--level L] [--progress] [file]\n"
    "       mcprice [options] --type call|put --spot S --strike K "
    "--maturity T\n"
    "               --rate r [--vol v] [--COLUMN value ...]\n"
    "       mcprice --merge [--level L] [file]\n";

static void
die(int status, const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "mcprice: %s\n", msg);
	exit(status);
}

/* The final columns after the book's own. */
static void
final_header(FILE *fp, int greeks)
{
	int s;

	fputs("price,stderr,ci_lo,ci_hi,paths,ref", fp);
	if (greeks)
		for (s = 1; s < MC_NSTAT; s++)
			fprintf(fp, ",%s,%s_se", mc_price_stat_names[s],
			    mc_price_stat_names[s]);
	putc('\n', fp);
}

/* A number, or nothing for an absent one (NaN). */
static void
put_num(FILE *fp, double x, int absent)
{
	if (!(absent && isnan(x)))
		mc_csv_putd(fp, x);
}

/*
 * The result columns of contract c.  Everything is computed before the
 * first byte is written, so no row is ever left half-written by an error.
 * A sample without spread leaves the stderr (and the interval, unless a
 * bound is known) empty, with a warning at where.
 */
static int
final_fields(FILE *fp, const mc_contract *c, const mc_acc *acc, int greeks,
    unsigned unit, double ref, double level, const char *where, mc_err *err)
{
	mc_est e[MC_NSTAT];
	mc_err note;
	int s, st, ns = greeks ? MC_NSTAT : 1, absent;

	if ((st = mc_price_estimate(c, &acc[0], unit, level, &e[0], &note))
	    != 0)
		return mc_err_set(err, st, "estimate failed");
	for (s = 1; s < ns; s++)
		if ((st = mc_acc_estimate(&acc[s], level, &e[s])) != 0)
			return mc_err_set(err, st, "estimate failed");
	absent = note.msg[0] != '\0';
	if (absent)
		fprintf(stderr, "mcprice: %s: %s\n", where, note.msg);
	mc_csv_putd(fp, e[0].mean);
	putc(',', fp);
	put_num(fp, e[0].se, absent);
	putc(',', fp);
	put_num(fp, e[0].ci_lo, absent);
	putc(',', fp);
	put_num(fp, e[0].ci_hi, absent);
	fprintf(fp, ",%llu,", (unsigned long long)(e[0].n * unit));
	if (!isnan(ref))
		mc_csv_putd(fp, ref);
	for (s = 1; s < ns; s++) {
		putc(',', fp);
		mc_csv_putd(fp, e[s].mean);
		putc(',', fp);
		mc_csv_putd(fp, e[s].se);
	}
	putc('\n', fp);
	return 0;
}

/* A row's own fields, as read. */
struct row {
	size_t n;
	const char *const *name;	/* column names */
	const char **val;
};

static const char *
row_get(void *ctx, const char *name)
{
	const struct row *r = ctx;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0)
			return r->val[i];
	return NULL;
}

/*
 * Whether a book column is named like a result column.  In final rows the
 * result replaces it, so that a priced book priced again (or a book with
 * its own paths column) has each column once and reads back.  The Greeks
 * rho and theta are left alone: a book's rho and theta are Heston's
 * correlation and long variance.
 */
static int
is_result(const char *name)
{
	static const char *const names[] = {
		"price", "stderr", "ci_lo", "ci_hi", "paths", "ref", "delta",
		"gamma", "vega", "delta_se", "gamma_se", "vega_se", "rho_se",
		"theta_se", NULL
	};
	int k;

	for (k = 0; names[k] != NULL; k++)
		if (strcmp(name, names[k]) == 0)
			return 1;
	return 0;
}

/* Writes a row's own fields; final rows leave out result-named ones. */
static void
put_fields(FILE *fp, const struct row *r, int final)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (final && is_result(r->name[i]))
			continue;
		mc_csv_puts(fp, r->val[i]);
		putc(',', fp);
	}
}

/* Prints the message of a bad contract and exits. */
static void
bad_contract(const char *where, int single, const char *col, mc_err *err)
{
	fflush(stdout);
	if (single)
		fprintf(stderr, "mcprice: --%s: %s\n", col, err->msg);
	else
		fprintf(stderr, "mcprice: %s: column '%s': %s\n", where, col,
		    err->msg);
	exit(single ? EX_USAGE : err->status);
}

/*
 * The ref column.  A reference that cannot be computed (a Fourier
 * integral that does not converge at extreme parameters) is left empty
 * with a warning: the Monte Carlo price does not depend on it.
 */
static double
contract_ref(const mc_contract *c, const char *where)
{
	mc_err err = { 0, "" };
	double ref;

	if (mc_contract_ref(c, &ref, &err) != 0) {
		fprintf(stderr, "mcprice: %s: ref left empty: %s\n", where,
		    err.msg);
		return NAN;
	}
	return ref;
}

/* Prices one contract and writes its row (final or partial). */
static void
price_row(const struct options *o, const struct row *r, uint64_t rowno,
    const char *where)
{
	mc_contract c;
	mc_price_result res;
	const char *col = NULL;
	mc_err err = { 0, "" };
	char msg[2 * MC_ERR_MSG + 100];
	double ref;
	int st, s;

	if ((st = mc_contract_parse(&c, row_get, (void *)r, &col, &err)) != 0) {
		if (col == NULL)
			die(st, err.msg);
		bad_contract(where, o->single, col, &err);
	}
	ref = contract_ref(&c, where);
	if ((st = mc_price_run(&c, &o->p, &res, &err)) != 0) {
		snprintf(msg, sizeof(msg), "%s: %s", where, err.msg);
		die(st, msg);
	}
	if (o->partial) {
		for (s = 0; s < (o->p.greeks ? MC_NSTAT : 1); s++) {
			put_fields(stdout, r, 0);
			printf("%llu,%u,%s,", (unsigned long long)rowno,
			    res.unit, mc_price_stat_names[s]);
			mc_acc_write_partial(stdout, &res.acc[s]);
			putchar('\n');
		}
	} else {
		put_fields(stdout, r, 1);
		if ((st = final_fields(stdout, &c, res.acc, o->p.greeks,
		    res.unit, ref, o->level, where, &err)) != 0)
			die(st, err.msg);
	}
	mc_contract_free(&c);
	if (o->progress)
		fprintf(stderr, "mcprice: %s: priced, %llu paths\n", where,
		    (unsigned long long)(res.acc[0].n * res.unit));
}

static const char *const partial_cols[] = {
	"book_row", "paths_per_n", "name", "n", "sum", "sumsq", NULL
};

static void
header(const struct options *o, const struct row *r, const char *where)
{
	char msg[2 * MC_ERR_MSG];
	size_t i;
	int k;

	for (i = 0; i < r->n; i++) {
		if (!o->partial && is_result(r->name[i]))
			continue;
		mc_csv_puts(stdout, r->name[i]);
		putchar(',');
		for (k = 0; o->partial && partial_cols[k] != NULL; k++)
			if (strcmp(r->name[i], partial_cols[k]) == 0) {
				snprintf(msg, sizeof(msg), "%s:1: column '%s': "
				    "--partial needs this name for its own "
				    "column", where, r->name[i]);
				die(EX_DATAERR, msg);
			}
	}
	if (o->partial)
		puts("book_row,paths_per_n,name," MC_ACC_PARTIAL_COLS);
	else
		final_header(stdout, o->p.greeks);
}

static void
run_single(const struct options *o)
{
	const char *names[NFIELDS], *vals[NFIELDS];
	struct row r = { 0, names, vals };
	int i;

	for (i = 0; mc_contract_fields[i] != NULL; i++)
		if (o->fields[i] != NULL) {
			names[r.n] = mc_contract_fields[i];
			vals[r.n++] = o->fields[i];
		}
	/* Check first, so that a bad option leaves stdout empty. */
	{
		mc_contract c;
		const char *col = NULL;
		mc_err err = { 0, "" };
		if (mc_contract_parse(&c, row_get, &r, &col, &err) != 0) {
			if (col == NULL)
				die(err.status, err.msg);
			bad_contract("options", 1, col, &err);
		}
		mc_contract_free(&c);
	}
	header(o, &r, "options");
	price_row(o, &r, 1, "options");
}

static void
run_book(const struct options *o)
{
	const char *name;
	mc_err err = { 0, "" };
	FILE *fp = mc_io_open_in(o->input, &name, &err);
	mc_csv_reader *rd;
	const char **names, **vals;
	struct row r;
	char where[MC_ERR_MSG];
	uint64_t rowno = 0;
	size_t i, nc;
	int st;

	if (fp == NULL)
		die(err.status, err.msg);
	if ((rd = mc_csv_open(fp, name, &err)) == NULL)
		die(err.status, err.msg);
	nc = mc_csv_ncols(rd);
	names = calloc(nc + 1, sizeof(*names));
	vals = calloc(nc + 1, sizeof(*vals));
	if (names == NULL || vals == NULL)
		die(EX_OSERR, "out of memory");
	for (i = 0; i < nc; i++)
		names[i] = mc_csv_colname(rd, i);
	r.n = nc;
	r.name = names;
	r.val = vals;
	if (mc_csv_find(rd, "type") < 0) {
		snprintf(where, sizeof(where), "%s:1: no column 'type' in the "
		    "header", name);
		die(EX_DATAERR, where);
	}
	header(o, &r, name);
	while ((st = mc_csv_next(rd, &err)) == 1) {
		for (i = 0; i < nc; i++)
			vals[i] = mc_csv_field(rd, i);
		snprintf(where, sizeof(where), "%s:%lu", name, mc_csv_line(rd));
		price_row(o, &r, ++rowno, where);
	}
	if (st < 0)
		die(err.status, err.msg);
	mc_csv_free(rd);
	if (fp != stdin)
		fclose(fp);
	free(names);
	free(vals);
}

/* --merge: one group of partial rows per book row. */
struct group {
	uint64_t rowno;
	unsigned unit;
	char **val;		/* the book's fields */
	mc_acc acc[MC_NSTAT];
	int has[MC_NSTAT];
	unsigned long line;
};

static int
by_row(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->rowno > y->rowno) - (x->rowno < y->rowno);
}

static void
run_merge(const struct options *o)
{
	const char *name, *why;
	mc_err err = { 0, "" };
	FILE *fp = mc_io_open_in(o->input, &name, &err);
	mc_csv_reader *rd;
	struct group *g = NULL;
	size_t ng = 0, cap = 0, nc, nb, i, k;
	char msg[2 * MC_ERR_MSG + 100];
	int st, s, greeks = 0;

	if (fp == NULL)
		die(err.status, err.msg);
	if ((rd = mc_csv_open(fp, name, &err)) == NULL)
		die(err.status, err.msg);
	nc = mc_csv_ncols(rd);
	if (nc < 6) {
		snprintf(msg, sizeof(msg), "%s:1: not mcprice partial rows "
		    "(expected ...,book_row,paths_per_n,name,n,sum,sumsq)", name);
		die(EX_DATAERR, msg);
	}
	nb = nc - 6;
	for (k = 0; k < 6; k++)
		if (strcmp(mc_csv_colname(rd, nb + k), partial_cols[k]) != 0) {
			snprintf(msg, sizeof(msg), "%s:1: not mcprice partial "
			    "rows (expected ...,book_row,paths_per_n,name,n,"
			    "sum,sumsq)", name);
			die(EX_DATAERR, msg);
		}
	while ((st = mc_csv_next(rd, &err)) == 1) {
		/* Shard outputs joined with cat repeat the header. */
		if (mc_csv_is_header(rd))
			continue;
		uint64_t rowno, unit;
		unsigned long line = mc_csv_line(rd);
		const char *stat = mc_csv_field(rd, nb + 2);
		if (mc_parse_count(mc_csv_field(rd, nb), &rowno) != NULL ||
		    mc_parse_count(mc_csv_field(rd, nb + 1), &unit) != NULL ||
		    (unit != 1 && unit != 2 && unit != MC_BLOCK)) {
			snprintf(msg, sizeof(msg), "%s:%lu: column '%s': "
			    "expected a count", name, line, mc_csv_field(rd, nb)
			    == NULL ? "" : "book_row");
			die(EX_DATAERR, msg);
		}
		for (s = 0; s < MC_NSTAT; s++)
			if (strcmp(stat, mc_price_stat_names[s]) == 0)
				break;
		if (s == MC_NSTAT) {
			char q[64];
			snprintf(msg, sizeof(msg), "%s:%lu: column 'name': "
			    "expected price, delta, gamma, vega, rho or theta, "
			    "got %s", name, line, mc_err_quote(q, sizeof(q),
			    stat));
			die(EX_DATAERR, msg);
		}
		for (i = 0; i < ng; i++)
			if (g[i].rowno == rowno)
				break;
		if (i == ng) {
			if (ng == cap) {
				cap = cap ? 2 * cap : 16;
				if ((g = realloc(g, cap * sizeof(*g))) == NULL)
					die(EX_OSERR, "out of memory");
			}
			memset(&g[ng], 0, sizeof(g[ng]));
			g[ng].rowno = rowno;
			g[ng].unit = (unsigned)unit;
			g[ng].line = line;
			if ((g[ng].val = calloc(nb + 1, sizeof(char *))) == NULL)
				die(EX_OSERR, "out of memory");
			for (k = 0; k < nb; k++)
				if ((g[ng].val[k] = strdup(mc_csv_field(rd, k)))
				    == NULL)
					die(EX_OSERR, "out of memory");
			for (s = 0; s < MC_NSTAT; s++)
				mc_acc_init(&g[ng].acc[s]);
			ng++;
		}
		for (k = 0; k < nb; k++)
			if (strcmp(g[i].val[k], mc_csv_field(rd, k)) != 0 ||
			    g[i].unit != unit) {
				snprintf(msg, sizeof(msg), "%s:%lu: book_row %llu "
				    "differs from line %lu in column '%s'", name,
				    line, (unsigned long long)rowno, g[i].line,
				    mc_csv_colname(rd, k));
				die(EX_DATAERR, msg);
			}
		for (s = 0; s < MC_NSTAT; s++)
			if (strcmp(stat, mc_price_stat_names[s]) == 0)
				break;
		if ((why = mc_acc_parse_partial(&g[i].acc[s],
		    mc_csv_field(rd, nb + 3), mc_csv_field(rd, nb + 4),
		    mc_csv_field(rd, nb + 5))) != NULL) {
			char q[64];
			snprintf(msg, sizeof(msg), "%s:%lu: column '%s': not a "
			    "partial sum, got %s", name, line, why,
			    mc_err_quote(q, sizeof(q), mc_csv_field(rd, nb +
			    (strcmp(why, "n") == 0 ? 3 : strcmp(why, "sum") ==
			    0 ? 4 : 5))));
			die(EX_DATAERR, msg);
		}
		g[i].has[s] = 1;
		if (s > 0)
			greeks = 1;
	}
	if (st < 0)
		die(err.status, err.msg);
	qsort(g, ng, sizeof(*g), by_row);
	for (k = 0; k < nb; k++) {
		if (is_result(mc_csv_colname(rd, k)))
			continue;
		mc_csv_puts(stdout, mc_csv_colname(rd, k));
		putchar(',');
	}
	final_header(stdout, greeks);
	for (i = 0; i < ng; i++) {
		struct row r;
		mc_contract c;
		const char *col = NULL;
		double ref = NAN;
		r.n = nb;
		r.name = (const char *const *)NULL;
		{
			const char **names = calloc(nb + 1, sizeof(*names));
			if (names == NULL)
				die(EX_OSERR, "out of memory");
			for (k = 0; k < nb; k++)
				names[k] = mc_csv_colname(rd, k);
			r.name = names;
		}
		r.val = (const char **)g[i].val;
		snprintf(msg, sizeof(msg), "%s:%lu", name, g[i].line);
		if ((st = mc_contract_parse(&c, row_get, &r, &col, &err)) != 0) {
			if (col == NULL)
				die(st, err.msg);
			bad_contract(msg, 0, col, &err);
		}
		ref = contract_ref(&c, msg);
		put_fields(stdout, &r, 1);
		if ((st = final_fields(stdout, &c, g[i].acc, greeks, g[i].unit,
		    ref, o->level, msg, &err)) != 0)
			die(st, err.msg);
		mc_contract_free(&c);
		free((void *)r.name);
		for (k = 0; k < nb; k++)
			free(g[i].val[k]);
		free(g[i].val);
	}
	free(g);
	mc_csv_free(rd);
	if (fp != stdin)
		fclose(fp);
}

enum {
	OPT_SHARD = 256, OPT_PARTIAL, OPT_MERGE, OPT_ANTI, OPT_QMC, OPT_TOL,
	OPT_GREEKS, OPT_LEVEL, OPT_PROGRESS, OPT_RNG, OPT_VERSION,
	OPT_FIELD = 512
};

int
main(int argc, char **argv)
{
	static const struct option base[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "antithetic", no_argument, NULL, OPT_ANTI },
		{ "qmc", required_argument, NULL, OPT_QMC },
		{ "tolerance", required_argument, NULL, OPT_TOL },
		{ "greeks", no_argument, NULL, OPT_GREEKS },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "rng", required_argument, NULL, OPT_RNG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
	};
	struct option longopts[sizeof(base) / sizeof(base[0]) + NFIELDS + 1];
	struct options o;
	mc_err err = { 0, "" };
	size_t nb = sizeof(base) / sizeof(base[0]), i;
	int c, st, sharded = 0;

	gsl_set_error_handler_off();
	mc_io_init();
	memset(&o, 0, sizeof(o));
	memset(longopts, 0, sizeof(longopts));
	memcpy(longopts, base, sizeof(base));
	for (i = 0; mc_contract_fields[i] != NULL; i++) {
		longopts[nb + i].name = mc_contract_fields[i];
		longopts[nb + i].has_arg = required_argument;
		longopts[nb + i].val = OPT_FIELD + (int)i;
	}
	o.p.n = 100000;
	o.p.seed = MC_SEED_DEFAULT;
	o.p.threads = 1;
	o.p.nshards = 1;
	o.level = 0.95;
	o.progress = isatty(STDERR_FILENO);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hn:s:j:", longopts, NULL)) !=
	    -1) {
		st = 0;
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return mc_io_finish(&err) ? EX_IOERR : 0;
		case OPT_VERSION:
			puts("mcprice (mctools) 0.1");
			return mc_io_finish(&err) ? EX_IOERR : 0;
		case 'n':
			st = mc_opt_count("-n", optarg, &o.p.n, &err);
			break;
		case 's':
			st = mc_opt_seed(optarg, &o.p.seed, &err);
			break;
		case 'j':
			st = mc_opt_threads(optarg, &o.p.threads, &err);
			break;
		case OPT_SHARD:
			st = mc_opt_shard(optarg, &o.p.shard, &o.p.nshards,
			    &err);
			sharded = 1;
			break;
		case OPT_PARTIAL:
			o.partial = 1;
			break;
		case OPT_MERGE:
			o.merge = 1;
			break;
		case OPT_ANTI:
			o.p.antithetic = 1;
			break;
		case OPT_QMC:
			if (strcmp(optarg, "sobol") != 0) {
				char q[64];
				st = mc_err_set(&err, EX_USAGE, "--qmc: expected "
				    "sobol, got %s", mc_err_quote(q, sizeof(q),
				    optarg));
			}
			o.p.qmc = 1;
			break;
		case OPT_TOL:
			st = mc_opt_real("--tolerance", optarg, 0, 1, INFINITY,
			    1, &o.p.tolerance, &err);
			break;
		case OPT_GREEKS:
			o.p.greeks = 1;
			break;
		case OPT_LEVEL:
			st = mc_opt_level(optarg, &o.level, &err);
			break;
		case OPT_PROGRESS:
			o.progress = 1;
			break;
		case OPT_RNG:
			{
				mc_rng *r = mc_rng_alloc(optarg, 1, &err);
				st = r == NULL ? err.status : 0;
				mc_rng_free(r);
				o.p.rng = optarg;
			}
			break;
		default:
			if (c >= OPT_FIELD && c < OPT_FIELD + NFIELDS) {
				o.fields[c - OPT_FIELD] = optarg;
				o.single = 1;
				break;
			}
			/* One line naming the option, as every program. */
			mc_opt_bad(c, argv, optind, optopt, "mcprice", &err);
			die(EX_USAGE, err.msg);
		}
		if (st != 0)
			die(st, err.msg);
	}
	if (argc - optind > 1) {
		fputs(usage, stderr);
		return EX_USAGE;
	}
	o.input = optind < argc ? argv[optind] : "-";
	if (o.p.tolerance > 0 && (sharded || o.partial))
		die(EX_USAGE, "--tolerance: cannot be split into shards or "
		    "partial rows (the count depends on all of them)");
	if (o.p.qmc && o.p.rng != NULL)
		die(EX_USAGE, "--qmc: not with --rng (Sobol points replace the "
		    "generator)");
	if (o.merge && (o.single || o.partial))
		die(EX_USAGE, "--merge: reads partial rows, not a contract");
	if (o.single && optind < argc)
		die(EX_USAGE, "a contract from options reads no file");
	if (!o.single && !o.merge && optind == argc && isatty(STDIN_FILENO))
		o.single = 1;
	if (o.single && o.fields[0] == NULL)
		die(EX_USAGE, "--type: required, call or put");
	if (o.merge)
		run_merge(&o);
	else if (o.single)
		run_single(&o);
	else
		run_book(&o);
	if ((st = mc_io_finish(&err)) != 0)
		die(st, err.msg);
	return 0;
}
