/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_err: status codes and error messages.
 *
 * Library functions never print or exit.  They return a status (0, or one
 * of the sysexits codes below) and, on failure, leave a one-line message in
 * an mc_err that the program prints as "prog: MESSAGE".
 */
#ifndef MC_ERR_H
#define MC_ERR_H

#include <stddef.h>
#include <sysexits.h>

/* Long enough for a place, a column name and a quoted, shortened value. */
#define MC_ERR_MSG 512

typedef struct mc_err {
	int status;		/* 0, or an EX_* code from <sysexits.h> */
	char msg[MC_ERR_MSG];	/* one line, without the program name */
} mc_err;

/*
 * Sets e's status and message (printf-style) and returns the status, so
 * that a caller can write "return mc_err_set(e, EX_DATAERR, ...)".
 * A NULL e is allowed and only the status is returned.
 */
int mc_err_set(mc_err *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Puts what (an option's or a parameter's name) in front of e's message,
 * as "WHAT: MESSAGE", for a caller that knows where the value came from.
 * Returns e's status.
 */
int mc_err_prefix(mc_err *e, const char *what);

/*
 * Writes s into buf as a double-quoted string fit for a message: control
 * characters and bytes outside printable ASCII are escaped as \xNN, and a
 * value longer than about 40 characters is cut with "...".  Returns buf.
 * size must be at least 64.
 */
const char *mc_err_quote(char *buf, size_t size, const char *s);

/*
 * Writes s into buf as mc_err_quote does but without the double quotes,
 * for a name shown in single quotes ("column 'x'"): a column name or a
 * parameter name comes from the input and may hold a newline.  Returns
 * buf.  size must be at least 64.
 */
const char *mc_err_name(char *buf, size_t size, const char *s);

#endif
