/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_book: the rows mcprice writes, and the merge of its partial rows.
 *
 * One table (cols[] in mc_book.c) names every column that mcprice adds
 * to a book's own: the final ones (price, stderr, ci_lo, ci_hi, paths,
 * ref, then each Greek of mc_price_stat_names and its _se, then with
 * --dual upper, upper_se, bracket_lo, bracket_hi) and the
 * partial ones (book_row, paths_per_n, name, n, sum, sumsq and mc_prov's
 * mc_seed, mc_shard, mc_job).  Headers, rows and the rules for a book
 * column that meets an added one all come from it:
 *  - final rows: a book column named like a final column (a Greek or a
 *    duality column too, with or without them) is replaced: it is left out where it stands
 *    and the result is written at the end, so a priced book priced again
 *    has each column once;
 *  - partial rows carry every book column, and a book column named like
 *    a partial column is a usage error that names it.
 *
 * A partial row is the book's fields, then book_row (the row's number in
 * the book, from 1), paths_per_n (paths in one accumulated value), name
 * (the statistic), n, sum, sumsq, and the provenance; mc_book_merge turns
 * a whole set of them into the bytes one process would have written.
 */
#ifndef MC_BOOK_H
#define MC_BOOK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_contract.h"
#include "mc_err.h"
#include "mc_price.h"
#include "mc_prov.h"

/* Prints a warning (the program puts its name in front); ctx is the
 * program's, given with the function (mc_book's warn_ctx). */
typedef void (*mc_book_warn)(void *ctx, const char *msg);

typedef struct mc_book {
	FILE *fp;		/* where the rows go */
	char sep;		/* between their fields */
	const char *name;	/* the book's name, for messages */
	size_t ncols;		/* the book's columns */
	const char *const *cols;
	int partial;		/* partial rows instead of final ones */
	int greeks;
	int dual;		/* final rows: the duality columns (mc_dual) */
	double level;		/* of the final rows' interval */
	unsigned char *drop;	/* final rows: book columns replaced */
	mc_book_warn warn;	/* NULL, or where a final row's note goes */
	void *warn_ctx;		/* warn's first argument */
} mc_book;

/*
 * Sets b up to write rows to fp, their fields separated by sep, of a book
 * whose columns are cols (ncols of them, which b keeps pointing at).  Returns 0, EX_OSERR, or for partial rows
 * EX_USAGE when a book column has the name of a partial column: "NAME:1:
 * the book's column 'n' is also a column of partial rows; rename it".
 */
int mc_book_init(mc_book *b, FILE *fp, char sep, const char *name,
    const char *const *cols, size_t ncols, int partial, int greeks,
    double level, mc_err *err);

/* Frees what b holds; b itself is the caller's. */
void mc_book_free(mc_book *b);

/* Writes the header.  Returns 0, or mc_csv_header's status. */
int mc_book_header(const mc_book *b, mc_err *err);

/*
 * The fields of one row: n column names and values, and col, NULL or the
 * column of each contract field (MC_FIELD_seed's included) with -1 for
 * none, which mc_book_index makes once for a header.  Without col a
 * lookup compares names.
 */
typedef struct mc_book_fields {
	size_t n;
	const char *const *name;
	const char *const *val;
	const int *col;
} mc_book_fields;

/* The contract fields' columns in a header (see mc_book_fields). */
typedef int mc_book_cols[MC_FIELD_seed + 1];

/* Fills col for the n column names. */
void mc_book_index(mc_book_cols col, const char *const *name, size_t n);

/* Returns field f of r (an mc_book_fields), or NULL: an mc_contract_get. */
const char *mc_book_get(void *r, int f);

/*
 * The job of a row of fields r priced under o (see mc_prov.h): the
 * program, how a book's shards are cut (runs of rows, mc_split: shards
 * cut by mctools before it, a slice of every row, must never merge with
 * them, where they would count some paths twice and others not at all),
 * the row's cost k as mc_price_cost models it (where a shard's run
 * starts and ends: shards cut by two models of the work would count
 * paths twice or not at all), -n, the generator, --qmc, --antithetic,
 * --greeks and the text of each contract field the row has.
 */
uint64_t mc_book_job(const mc_book_fields *r, const mc_split_cost *k,
    const mc_price_opts *o);

/*
 * The ref column of contract c: its reference value, or NaN when there is
 * none, or when it cannot be computed (a Fourier integral that does not
 * converge at extreme parameters): then warn gets ctx and "WHERE: ref
 * left empty: WHY", since the Monte Carlo price does not depend on it.
 */
double mc_book_ref(const mc_contract *c, const char *where,
    mc_book_warn warn, void *ctx);

/*
 * Writes the row of fields val (b->ncols of them), book row rowno, priced
 * as res: its final row (ref NaN is written empty; the price's estimate
 * by mc_price_estimate, whose stderr and interval may be absent, written
 * empty, with its note to b->warn as "NAME: row N: NOTE"), or its partial
 * rows (one per statistic) with provenance p.  Everything is computed before a
 * byte is written.  Returns 0 or EX_SOFTWARE when an estimate fails.
 */
int mc_book_row(const mc_book *b, const char *const *val, uint64_t rowno,
    const mc_price_result *res, double ref, const mc_prov *p, mc_err *err);

/*
 * The same, with b->dual set, with the final row's upper, upper_se,
 * bracket_lo and bracket_hi from dual[0..4) (NaN written empty: a row
 * without a bound); dual is unused otherwise.
 */
int mc_book_row_dual(const mc_book *b, const char *const *val,
    uint64_t rowno, const mc_price_result *res, double ref,
    const mc_prov *p, const double *dual, mc_err *err);

/*
 * Reads partial rows from in (named name), their fields separated by sep,
 * and writes to out, likewise, the final rows, in book order, that one process would have written, at level.
 * Refuses with EX_DATAERR, before a byte is written, one line naming the
 * place: rows that are not partial rows or whose sums cannot be, rows of
 * one book row that differ in a book column or in paths_per_n, shards of
 * different jobs or seeds, a shard given twice, a shard or a book row
 * missing.  EX_OSERR, EX_IOERR as reading goes; warn as mc_book_ref,
 * with a NULL ctx.
 */
int mc_book_merge(FILE *in, const char *name, FILE *out, char sep,
    double level, mc_book_warn warn, mc_err *err);

#endif
