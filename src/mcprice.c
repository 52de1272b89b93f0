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
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_book.h"
#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_price.h"
#include "mc_rng.h"

#define NFIELDS MC_CONTRACT_NFIELDS

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

static void
warn(const char *msg)
{
	fprintf(stderr, "mcprice: %s\n", msg);
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

/* Prices row r, book row rowno, and writes its rows through b. */
static int
price_row(const struct options *o, const mc_book *b, const mc_book_fields *r,
    uint64_t rowno, const char *where, mc_err *err)
{
	mc_price_opts p = o->p;
	mc_price_result res;
	mc_contract c;
	mc_prov pv = { 0 };
	double ref;
	int st;

	if ((st = parse_row(o, r, &c, where, err)) != 0)
		return st;
	/* Rows share the command line's streams unless they have a seed. */
	if (c.has_seed)
		p.seed = c.seed;
	ref = mc_book_ref(&c, where, warn);
	st = mc_price_run(&c, &p, &res, err);
	mc_contract_free(&c);
	if (st != 0) {
		char msg[MC_ERR_MSG];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return mc_err_set(err, st, "%s: %s", where, msg);
	}
	pv.job = mc_book_job(r, &p);
	pv.seeded = 1;
	pv.seed = p.seed;
	pv.shard = p.shard;
	pv.nshards = p.nshards;
	if ((st = mc_book_row(b, r->val, rowno, &res, ref, &pv, err)) != 0)
		return st;
	if (o->progress)
		fprintf(stderr, "mcprice: %s: priced, %llu paths\n", where,
		    (unsigned long long)(res.acc[0].n * res.unit));
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
	if ((st = mc_book_init(&b, stdout, "options", names, r.n, o->partial,
	    o->p.greeks, o->level, err)) == 0 &&
	    (st = mc_book_header(&b, err)) == 0)
		st = price_row(o, &b, &r, 1, "options", err);
	mc_book_free(&b);
	return st;
}

/* Prices the rows of the book rd, whose column names are r->name. */
static int
price_book(const struct options *o, mc_csv_reader *rd, mc_book_fields *r,
    mc_err *err)
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
	if ((st = mc_book_init(&b, stdout, name, r->name, r->n, o->partial,
	    o->p.greeks, o->level, err)) != 0 ||
	    (st = mc_book_header(&b, err)) != 0)
		goto out;
	while ((st = mc_csv_next(rd, err)) == 1) {
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

static int
run_book(const struct options *o, mc_err *err)
{
	const char *name, **names = NULL, **vals = NULL;
	mc_csv_reader *rd = NULL;
	mc_book_fields r;
	FILE *fp;
	size_t i, nc;
	int st;

	if ((fp = mc_io_open_in(o->input, &name, err)) == NULL)
		return err->status;
	if ((rd = mc_csv_open(fp, name, err)) == NULL) {
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
	st = price_book(o, rd, &r, err);
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
	st = mc_book_merge(fp, name, stdout, o->level, warn, err);
	if (fp != stdin)
		fclose(fp);
	return st;
}

static int
run(const struct options *o, mc_err *err)
{
	if (o->merge)
		return run_merge(o, err);
	if (o->single)
		return run_single(o, err);
	return run_book(o, err);
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
	if ((st = run(&o, &err)) != 0 || (st = mc_io_finish(&err)) != 0)
		die(st, err.msg);
	return 0;
}
