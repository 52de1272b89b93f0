/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_gp: talking to gnuplot safely.
 *
 * gnuplot runs backquoted commands inside double-quoted strings and offers
 * system(), "< cmd" data files and "| cmd" outputs, so any text that comes
 * from data or options must reach it as an inert string.  mc_gp_quote makes
 * such strings; mc_gp_start and mc_gp_finish run gnuplot as a child process
 * (fork and exec, never a shell) with the script written to its stdin.
 */
#ifndef MC_GP_H
#define MC_GP_H

#include <stdio.h>
#include <sys/types.h>

#include "mc_err.h"

/*
 * Writes s to fp as a gnuplot string expression that is only ever a
 * string: single-quoted pieces, inside which gnuplot expands neither
 * backquotes, "@" macros nor backslash escapes, joined with "." to each
 * run of quotes written as a double-quoted string of quotes alone (so no
 * quote is ever doubled: gnuplot 5.4 misreads some doubled ones).
 * Control characters (bytes below 0x20 and 0x7f) are left out, so the
 * string cannot end the line it stands on.
 */
void mc_gp_quote(FILE *fp, const char *s);

/* A running gnuplot. */
typedef struct mc_gp {
	FILE *fp;		/* the script goes here */
	pid_t pid;
	pid_t sink;		/* copies gnuplot's output, checking writes */
	int termsig;		/* after mc_gp_finish: the signal that ended
				 * gnuplot, or 0 */
	void (*oldpipe)(int);
} mc_gp;

/*
 * Finds gnuplot in PATH and starts it reading its script from g->fp, with
 * its standard error shared with the caller, so that its own messages
 * reach the user.  Its output goes through a pipe to a small child, the
 * sink, which writes it to the descriptor outfd and checks every write:
 * gnuplot itself exits 0 when its writes fail.  It runs with -d (no
 * ~/.gnuplot) and without the environment variables that change what a
 * script does (GNUTERM, GNUPLOT_LIB, ...), so the same script gives the
 * same picture anywhere.  While it runs, SIGPIPE is ignored, so that a
 * gnuplot that stops early shows up as a failed write and an exit status
 * rather than killing the caller; and SIGINT, SIGTERM and SIGHUP (unless
 * ignored) are passed on to gnuplot and the sink, which are waited for
 * before the caller's own handling of the signal, so that no gnuplot
 * outlives its caller.  Returns 0, or EX_UNAVAILABLE "gnuplot not found
 * in PATH (install gnuplot-nox)", or EX_OSERR when a pipe or process
 * cannot be made.
 */
int mc_gp_start(mc_gp *g, int outfd, mc_err *err);

/*
 * Ends the script, waits for gnuplot and the sink, and restores the
 * signals.  Returns 0 when gnuplot exited with status 0 and all its output
 * was written; EX_IOERR "write error: REASON" when it was not (the caller
 * names the file), with g->termsig SIGPIPE when a closed pipe ended it;
 * EX_SOFTWARE "gnuplot failed (exit status N)" or "gnuplot killed by
 * signal N" (g->termsig tells which signal); or EX_IOERR when the script
 * could not be written although gnuplot succeeded.
 */
int mc_gp_finish(mc_gp *g, mc_err *err);

#endif
