/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_io: standard streams and output files.
 */
#ifndef MC_IO_H
#define MC_IO_H

#include <stdio.h>

#include "mc_err.h"

/*
 * Prepares a program's standard streams: SIGPIPE back to its default (so
 * "mcgen | head" ends quietly even when the parent ignored it) and a large
 * buffer on stdout.
 */
void mc_io_init(void);

/*
 * Flushes and closes stdout.  Returns 0, or EX_IOERR with "write error:
 * REASON" if any write failed (a full disk, a closed pipe when SIGPIPE is
 * ignored).
 */
int mc_io_finish(mc_err *err);

/*
 * Opens the input named path ("-" for stdin).  Returns the stream, or NULL
 * with EX_NOINPUT "PATH: REASON".  *name is set to the name for messages
 * ("stdin" for "-").
 */
FILE *mc_io_open_in(const char *path, const char **name, mc_err *err);

/*
 * An output file written beside its final name and renamed into place on
 * success, so no reader ever sees half a file.
 */
typedef struct mc_io_atomic {
	FILE *fp;
	char *path;		/* the final name */
	char *tmp;		/* the temporary file beside it */
} mc_io_atomic;

/*
 * Creates a temporary file beside path with mkstemp.  Returns 0, or
 * EX_CANTCREAT "PATH: REASON".  Until commit or abort, SIGINT, SIGTERM
 * and SIGHUP (unless ignored) remove the temporary file before the
 * program dies of them; one atomic file at a time.
 */
int mc_io_atomic_open(mc_io_atomic *a, const char *path, mc_err *err);

/*
 * Closes and renames the file into place.  Returns 0, or EX_IOERR after
 * removing the temporary file.
 */
int mc_io_atomic_commit(mc_io_atomic *a, mc_err *err);

/* Closes and removes the temporary file; safe after commit or on a zeroed
 * struct. */
void mc_io_atomic_abort(mc_io_atomic *a);

#endif
