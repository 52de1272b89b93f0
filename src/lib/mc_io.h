/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_io: standard streams and output files.
 */
#ifndef MC_IO_H
#define MC_IO_H

#include <stdio.h>
#include <sys/types.h>

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
 * A stream that can be read twice: fp itself when it is a regular file
 * (*at set to where it stands, for fseeko), or else what is left of fp
 * read into memory (*buf, which the caller frees after closing the
 * stream; *at 0).  Returns it, or NULL with EX_IOERR "NAME: read error:
 * REASON" or EX_OSERR "out of memory".
 */
FILE *mc_io_reread(FILE *fp, const char *name, char **buf, off_t *at,
    mc_err *err);

/*
 * Returns an unnamed temporary file, open for writing and reading, in dir
 * (the caller's $TMPDIR; /tmp when NULL or empty), or NULL with
 * EX_CANTCREAT "temporary file in DIR: REASON".
 */
FILE *mc_io_tmpfile(const char *dir, mc_err *err);

/*
 * An output file written beside its final name and renamed into place on
 * success, so no reader ever sees half a file.
 */
typedef struct mc_io_atomic {
	FILE *fp;
	char *path;		/* the final name */
	char *real;		/* what it links to, when it is a link */
	char *tmp;		/* the temporary file beside it */
	int direct;		/* written in place: not a file to replace */
} mc_io_atomic;

/*
 * Creates a temporary file beside path with mkstemp, with the mode of the
 * file it will replace (or the one a new file gets).  A symbolic link to
 * a file stays a link: its target is replaced.  Something that is not a
 * file to replace (/dev/null, a FIFO, a terminal, /dev/stdout or
 * /proc/self/fd/N) is opened and written directly, never renamed over.
 * Returns 0, or EX_CANTCREAT "PATH: REASON".  Until commit or abort,
 * SIGINT, SIGTERM and SIGHUP (unless ignored) remove the temporary file
 * before the program dies of them; one atomic file at a time.
 */
int mc_io_atomic_open(mc_io_atomic *a, const char *path, mc_err *err);

/*
 * Closes and renames the file into place (a direct one is only closed).
 * Returns 0, or EX_IOERR "PATH: write error: REASON" after removing the
 * temporary file.
 */
int mc_io_atomic_commit(mc_io_atomic *a, mc_err *err);

/* Closes and removes the temporary file; safe after commit or on a zeroed
 * struct. */
void mc_io_atomic_abort(mc_io_atomic *a);

#endif
