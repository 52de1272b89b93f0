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
 * Writes s to fp as a gnuplot single-quoted string: inside single quotes
 * gnuplot expands neither backquotes, "@" macros nor backslash escapes, and
 * the only special character is the quote itself, which is doubled.
 * Control characters (bytes below 0x20 and 0x7f) are left out, so the
 * string cannot end the line it stands on.  Quotes at the start become a
 * double-quoted string of quotes alone joined with ".", as in "''".'x',
 * because gnuplot reads a leading '' as an empty string.
 */
void mc_gp_quote(FILE *fp, const char *s);

/* A running gnuplot. */
typedef struct mc_gp {
	FILE *fp;		/* the script goes here */
	pid_t pid;
	int termsig;		/* after mc_gp_finish: the signal that ended
				 * gnuplot, or 0 */
	void (*oldpipe)(int);
} mc_gp;

/*
 * Finds gnuplot in PATH and starts it reading its script from g->fp, with
 * its standard output on the descriptor outfd and its standard error shared
 * with the caller, so that its own messages reach the user.  It runs with
 * -d (no ~/.gnuplot), so the same script gives the same picture anywhere.
 * While it runs, SIGPIPE is ignored, so that a gnuplot that stops early
 * shows up as a failed write and an exit status rather than killing the
 * caller.  Returns 0, or EX_UNAVAILABLE "gnuplot not found in PATH
 * (install gnuplot-nox)", or EX_OSERR when a pipe or process cannot be
 * made.
 */
int mc_gp_start(mc_gp *g, int outfd, mc_err *err);

/*
 * Ends the script, waits for gnuplot and restores SIGPIPE.  Returns 0 when
 * gnuplot exited with status 0, or EX_SOFTWARE "gnuplot failed (exit
 * status N)" or "gnuplot killed by signal N" (g->termsig tells which
 * signal), or EX_IOERR when the script could not be written although
 * gnuplot succeeded.
 */
int mc_gp_finish(mc_gp *g, mc_err *err);

#endif
