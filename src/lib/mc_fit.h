/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_fit: a book's fitted state as CSV (mcprice --fit), read back so that
 * shards only price (mcprice --fit-file).
 *
 * Each book row's mc_price_fit is one "row" line, then one "rule" line
 * per exercise rule (contract, slice), under the header
 *     fit_row,fit_job,fit_what,fit_contract,fit_slice,fit_values,fit_check
 *   fit_row       the book row, from 1;
 *   fit_job       16 hex digits of mc_fit_job: the row's job (mc_book_job:
 *                 program, -n, generator, --qmc, --antithetic, --greeks,
 *                 every contract field) and its seed, so that a fit is
 *                 used only by the job it was made for;
 *   fit_what      "row" or "rule";
 *   fit_contract  a rule's contract: 0, or a bumped one of the Greeks;
 *   fit_slice     a rule's slice of paths;
 *   fit_values    ';'-separated numbers in shortest round-trip form (they
 *                 read back to the same doubles): a row's "NVAR;NSLICES;
 *                 CV;B", a rule's "F;P;TWO", its F - 1 zones (lo;hi), its
 *                 F - 1 dates of P coefficients, and with TWO the second
 *                 rule's;
 *   fit_check     16 hex digits of an FNV-1a hash of the six fields before
 *                 it, so that a damaged number is refused, not used.
 */
#ifndef MC_FIT_H
#define MC_FIT_H

#include <stdint.h>
#include <stdio.h>

#include "mc_err.h"
#include "mc_price.h"

/* The fit's fingerprint of a row's job (mc_book_job) with seed seed. */
uint64_t mc_fit_job(uint64_t job, uint64_t seed);

/* Writes the header of a fit file to fp, fields separated by sep. */
void mc_fit_header(FILE *fp, char sep);

/* Writes the lines of f, book row row of fingerprint job, to fp. */
void mc_fit_write(FILE *fp, char sep, uint64_t row, uint64_t job,
    const mc_price_fit *f);

typedef struct mc_fit_file mc_fit_file;

/*
 * Reads the fit file fp (named name, fields separated by sep) whole.
 * Returns it, or NULL with err set: EX_DATAERR with "NAME:LINE: ..." for
 * a file that is not a fit file (its header), a line whose fit_check
 * does not match it (a damaged file), a number or count that does not
 * read, values of the wrong count for a rule, rows out of order, a rule
 * given twice or missing; EX_OSERR, EX_IOERR as reading goes.
 */
mc_fit_file *mc_fit_read(FILE *fp, const char *name, char sep, mc_err *err);

/*
 * Finds the fit of book row row into *f (ff's; valid until mc_fit_free).
 * Returns 0, or EX_DATAERR when ff has no fit of that row ("NAME: no fit
 * of book row 7 ...") or one of another job ("NAME:LINE: the fit of book
 * row 7 is of another job ...").
 */
int mc_fit_find(const mc_fit_file *ff, uint64_t row, uint64_t job,
    const mc_price_fit **f, mc_err *err);

/* Frees ff; NULL is fine. */
void mc_fit_free(mc_fit_file *ff);

#endif
