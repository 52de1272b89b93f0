/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_csv: reading and writing RFC 4180 CSV.
 *
 * Reading goes through libcsv, so quoted fields, embedded commas, quotes and
 * newlines, CRLF line ends and a UTF-8 byte-order mark all work.  The first
 * row is the header; columns are found by name.  Every data row must have
 * as many fields as the header.  Rows come one at a time and carry the line
 * number they stand on, for messages.
 */
#ifndef MC_CSV_H
#define MC_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "mc_err.h"

typedef struct mc_csv_reader mc_csv_reader;

/*
 * The most a row may hold: bytes (its fields' text, before unquoting) and
 * fields.  A longer row is refused as bad data when the reader has taken
 * little more than the limit, so that no input (/dev/zero, a file with no
 * newline, a header of a million commas) makes the reader grow without
 * bound.
 */
#define MC_CSV_MAX_ROW (64 << 20)
#define MC_CSV_MAX_FIELDS (1 << 22)

/*
 * Starts reading fp, whose name ("stdin" or a path) is used in messages,
 * and reads the header.  Returns NULL and sets err (EX_DATAERR for empty
 * input, a malformed or duplicated header; EX_IOERR for a read error; or
 * EX_OSERR when out of memory).  fp stays the caller's to close.
 */
mc_csv_reader *mc_csv_open(FILE *fp, const char *name, mc_err *err);

/* The same with sep between fields instead of ',' (-t: a tab, ';'). */
mc_csv_reader *mc_csv_open_sep(FILE *fp, const char *name, char sep,
    mc_err *err);

/*
 * The same with flags: MC_CSV_NO_HEADER reads the first row as data, and
 * names the columns by number from 1 ("1", "2", ...).  MC_CSV_LIBCSV
 * reads every line through libcsv, without the fast path for lines free
 * of quotes and CRs: the same rows, lines and errors, more slowly (the
 * reference that tests compare the fast path with).
 */
#define MC_CSV_NO_HEADER 1u
#define MC_CSV_LIBCSV 2u
mc_csv_reader *mc_csv_open_flags(FILE *fp, const char *name, char sep,
    unsigned flags, mc_err *err);

/* Frees r; NULL is fine. */
void mc_csv_free(mc_csv_reader *r);

/* The number of columns, the name of column i, and the input's name. */
size_t mc_csv_ncols(const mc_csv_reader *r);
const char *mc_csv_colname(const mc_csv_reader *r, size_t i);
const char *mc_csv_name(const mc_csv_reader *r);

/* Returns the index of the column called name, or -1. */
long mc_csv_find(const mc_csv_reader *r, const char *name);

/*
 * Like mc_csv_find, but a missing column is an error: returns 0 and sets
 * *col, or returns EX_DATAERR with "NAME:1: no column 'x' in the header".
 */
int mc_csv_require(const mc_csv_reader *r, const char *name, size_t *col,
    mc_err *err);

/*
 * Moves to the next data row.  Returns 1 when there is one, 0 at the end of
 * the input, and -1 on error with err set: EX_DATAERR for a malformed row
 * (bad quoting, a NUL byte, a field count that differs from the header's),
 * EX_IOERR for a read error.  Fields of the previous row become invalid.
 */
int mc_csv_next(mc_csv_reader *r, mc_err *err);

/* Field i of the current row (NUL-terminated) and its length. */
const char *mc_csv_field(const mc_csv_reader *r, size_t i);
size_t mc_csv_fieldlen(const mc_csv_reader *r, size_t i);

/*
 * Returns 1 if the current row repeats the header field for field, as in
 * shard outputs joined with cat, and 0 otherwise.
 */
int mc_csv_is_header(const mc_csv_reader *r);

/* The line the current row stands on (the header is line 1). */
unsigned long mc_csv_line(const mc_csv_reader *r);

/*
 * Parses field col of the current row as a number.  Returns 0, or
 * EX_DATAERR with "NAME:LINE: column 'x': expected a number, got \"abc\"".
 */
int mc_csv_number(const mc_csv_reader *r, size_t col, double *out,
    mc_err *err);

/*
 * Like mc_csv_number, but NaN and infinities are refused as well:
 * EX_DATAERR with "NAME:LINE: column 'x': expected a finite number, got
 * \"nan\"".
 */
int mc_csv_finite(const mc_csv_reader *r, size_t col, double *out,
    mc_err *err);

/*
 * Writes s (len bytes) as one CSV field, in double quotes when it holds a
 * comma, quote, CR, LF, or blanks at either end, with quotes doubled.
 */
void mc_csv_write(FILE *fp, const char *s, size_t len);

/* Writes s, a NUL-terminated string, as mc_csv_write does. */
void mc_csv_puts(FILE *fp, const char *s);

/* Writes x in the form of mc_fmt_double. */
void mc_csv_putd(FILE *fp, double x);

/*
 * A writer of rows whose fields it separates by sep (',' or -t's
 * character, which is never one that a number holds), quoting a text
 * field that holds sep, a quote, CR, LF, blanks at either end or a
 * leading byte-order mark.  Programs write every field through it and
 * never a separator by hand.
 */
typedef struct mc_csv_out {
	FILE *fp;
	char sep;
	int mid;		/* a field has been written on this row */
} mc_csv_out;

/* Starts a writer on fp, at the start of a row. */
void mc_csv_out_init(mc_csv_out *w, FILE *fp, char sep);

/* Writes one field: text (quoted as needed), len bytes of text, a
 * number in the form of mc_fmt_double, or a count. */
void mc_csv_out_str(mc_csv_out *w, const char *s);
void mc_csv_out_mem(mc_csv_out *w, const char *s, size_t len);
void mc_csv_out_num(mc_csv_out *w, double x);
void mc_csv_out_count(mc_csv_out *w, uint64_t n);

/* Writes a field for each of a list of names separated by commas, as in
 * MC_ACC_FINAL_COLS ("n,mean,..."). */
void mc_csv_out_names(mc_csv_out *w, const char *names);

/* Ends the row. */
void mc_csv_out_end(mc_csv_out *w);

/*
 * Writes a header row through w: the n names as fields, then the end of
 * the row.  No header that a program writes holds a name twice
 * (mctools(7)): a name given twice is refused before a byte is written,
 * with EX_SOFTWARE and "column 'x' would be twice in the header", since
 * the program should have applied its own rule for a user's column that
 * meets one of its own.
 * Returns 0, that, or EX_OSERR when out of memory.
 */
int mc_csv_header(mc_csv_out *w, const char *const *names, size_t n,
    mc_err *err);

#endif
