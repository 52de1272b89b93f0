/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
mc_err_set(mc_err *e, int status, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return status;
	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return status;
}

int
mc_err_prefix(mc_err *e, const char *what)
{
	char msg[MC_ERR_MSG];

	memcpy(msg, e->msg, sizeof(msg));
	/* A message too long for the buffer is cut, as mc_err_set cuts. */
	if (snprintf(e->msg, sizeof(e->msg), "%s: %s", what, msg) < 0)
		e->msg[0] = '\0';
	return e->status;
}

const char *
mc_err_quote(char *buf, size_t size, const char *s)
{
	/* Keep room for the closing quote, "..." and the NUL. */
	size_t max = size - 6, len = 0;
	const unsigned char *p;

	buf[len++] = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (len + 4 > max || p - (const unsigned char *)s >= 40) {
			memcpy(buf + len, "...", 3);
			len += 3;
			break;
		}
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') {
			if (*p == '"' || *p == '\\') {
				buf[len++] = '\\';
				buf[len++] = (char)*p;
			} else {
				len += (size_t)snprintf(buf + len, 5, "\\x%02x", *p);
			}
		} else {
			buf[len++] = (char)*p;
		}
	}
	buf[len++] = '"';
	buf[len] = '\0';
	return buf;
}

const char *
mc_err_name(char *buf, size_t size, const char *s)
{
	size_t len = strlen(mc_err_quote(buf, size, s));

	memmove(buf, buf + 1, len - 2);
	buf[len - 2] = '\0';
	return buf;
}
