/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_rows: the rows of a CSV file priced by worker threads and written in
 * file order, a bounded window of them at a time.
 *
 * The calling thread reads rows into a window of cap slots (row k in
 * slot k % cap), never more than cap past the first row not yet written;
 * workers take them in order and price each with the threads that are
 * idle: one a row while more rows wait, and once the end is read the
 * threads shared out over the rows being priced and left.  Each row is
 * priced into memory (its output rows and its warnings, two memory
 * streams the module owns), and the calling thread hands them to the
 * caller's write hook in file order.  So the bytes are those of pricing
 * the rows one after another in one thread when a row's output does not
 * depend on its threads, memory holds a window of rows, and a row that
 * fails stops the run at its place: the rows before it are written, then
 * its warnings, and nothing of the rows after it, some of which may have
 * been priced.  A reading error past the last good row is returned only
 * after the rows before it are written.
 *
 * The module knows nothing of what a row holds: the caller's hooks
 * price it, see it as it is read, and write it.  It prints nothing and
 * never exits.
 */
#ifndef MC_ROWS_H
#define MC_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_csv.h"
#include "mc_err.h"

/* One row of the file, as the hooks see it. */
typedef struct mc_rows_row {
	uint64_t rowno;		/* in the file, from 1 */
	const char *where;	/* "FILE:LINE", for messages */
	size_t n;		/* the file's columns */
	const char *const *name;	/* their names */
	const char *const *val;	/* the row's fields, one a column */
	uint64_t data[2];	/* the read hook's, 0 before it */
} mc_rows_row;

typedef struct mc_rows_hooks {
	/*
	 * Prices row on threads threads (at least 1), in a worker thread
	 * or in the calling one, at the same time as other rows (so it
	 * changes nothing that ctx shares): writes its output to out and
	 * its warnings to msgs, which the module closes.  Returns 0, or a
	 * status with err set, which stops the run at this row.
	 */
	int (*price)(void *ctx, const mc_rows_row *row, unsigned threads,
	    FILE *out, FILE *msgs, mc_err *err);
	/*
	 * NULL, or sees each row in the calling thread, in file order, as
	 * it is read, before it is priced; it may set row->data.
	 */
	void (*read)(void *ctx, mc_rows_row *row);
	/*
	 * Takes what a row wrote, in the calling thread, in file order:
	 * its output (none for a row that failed) and its warnings; the
	 * texts are not NUL-terminated and may be empty, never NULL.
	 */
	void (*write)(void *ctx, const char *out, size_t nout,
	    const char *msgs, size_t nmsgs);
	void *ctx;		/* every hook's first argument */
} mc_rows_hooks;

/*
 * Prices the rows of rd, from the next one to its end, on threads
 * threads (at least 1) with a window of cap rows (at least 1; 4 a
 * thread keeps the workers busy), through the hooks h.  Returns 0 when
 * every row was priced and written, or the first failure in file order,
 * with err set: the price hook's status and message; mc_csv_next's for
 * a row that does not read; EX_OSERR with "out of memory".  When no
 * worker thread starts, the calling thread prices each row itself, one
 * thread a row.
 */
int mc_rows_run(mc_csv_reader *rd, unsigned threads, uint64_t cap,
    const mc_rows_hooks *h, mc_err *err);

#endif
