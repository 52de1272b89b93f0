/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_opt.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "mc_fmt.h"
#include "mc_rng.h"

int
mc_opt_count(const char *arg, uint64_t *out, mc_err *err)
{
	const char *why = mc_parse_count(arg, out);
	char q[64];

	/* Options want at least one: say so for -5 as for 0. */
	if ((why == NULL && *out == 0) ||
	    (why != NULL && strcmp(why, "expected a count of 0 or more") == 0))
		why = "expected a count of 1 or more";
	if (why != NULL)
		return mc_err_set(err, EX_USAGE, "%s, got %s", why,
		    mc_err_quote(q, sizeof(q), arg));
	return 0;
}

int
mc_opt_seed(const char *arg, uint64_t *out, mc_err *err)
{
	const char *why = mc_parse_u64(arg, out);
	char q[64];

	if (why != NULL)
		return mc_err_set(err, EX_USAGE, "%s, got %s", why,
		    mc_err_quote(q, sizeof(q), arg));
	return 0;
}

int
mc_opt_shard(const char *arg, uint64_t *i, uint64_t *n, mc_err *err)
{
	const char *slash = strchr(arg, '/');
	char q[64], buf[64];

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, (size_t)(slash - arg));
	buf[slash - arg] = '\0';
	if (mc_parse_count(buf, i) != NULL || mc_parse_count(slash + 1, n) !=
	    NULL || *n == 0)
		goto bad;
	if (*i >= *n)
		return mc_err_set(err, EX_USAGE, "I must be below N (shards are "
		    "numbered 0 to N-1), got %s",
		    mc_err_quote(q, sizeof(q), arg));
	return 0;
bad:
	return mc_err_set(err, EX_USAGE, "expected I/N with 0 <= I < N, "
	    "got %s", mc_err_quote(q, sizeof(q), arg));
}

int
mc_opt_threads(const char *arg, unsigned *out, mc_err *err)
{
	uint64_t n;
	char q[64];

	if (mc_parse_count(arg, &n) != NULL || n < 1 || n > 1024)
		return mc_err_set(err, EX_USAGE, "expected a number of threads "
		    "from 1 to 1024, got %s", mc_err_quote(q, sizeof(q), arg));
	*out = (unsigned)n;
	return 0;
}

int
mc_opt_level(const char *arg, double *out, mc_err *err)
{
	double p, df;
	char q[64];
	int rc;

	if ((rc = mc_opt_real(arg, 0, 1, 1, 1, out, err)) != 0)
		return rc;
	/* The probability mc_acc_estimate takes the t quantile of: a level
	 * within about 1e-16 of 1 makes it round to 1. */
	p = 0.5 + *out / 2;
	/* The t quantile falls as the degrees of freedom grow, from its
	 * largest at 1 towards the normal one; GSL's answer is checked up to
	 * 1e15 (beyond, GSL gives nan at ordinary levels such as 0.9). */
	rc = p < 1 && isfinite(gsl_cdf_ugaussian_Pinv(p));
	for (df = 1; rc && df <= 1e15; df *= 10)
		rc = isfinite(gsl_cdf_tdist_Pinv(p, df));
	if (!rc)
		return mc_err_set(err, EX_USAGE, "expected a level whose "
		    "quantile is finite (at most 0.9999999999999998), got %s",
		    mc_err_quote(q, sizeof(q), arg));
	return 0;
}

int
mc_opt_real(const char *arg, double lo, int lo_open, double hi,
    int hi_open, double *out, mc_err *err)
{
	char q[64], range[96], a[MC_FMT_DBL], b[MC_FMT_DBL];
	const char *why;
	double v;

	mc_fmt_double(a, lo);
	mc_fmt_double(b, hi);
	if (isinf(lo) && isinf(hi))
		snprintf(range, sizeof(range), "a finite number");
	else if (isinf(hi))
		snprintf(range, sizeof(range), "a number %s %s",
		    lo_open ? ">" : ">=", a);
	else if (isinf(lo))
		snprintf(range, sizeof(range), "a number %s %s",
		    hi_open ? "<" : "<=", b);
	else
		snprintf(range, sizeof(range), "a number %s %s and %s %s",
		    lo_open ? ">" : ">=", a, hi_open ? "<" : "<=", b);
	why = mc_parse_double(arg, &v);
	if (why != NULL || !isfinite(v) || v < lo || v > hi ||
	    (lo_open && v == lo) || (hi_open && v == hi))
		return mc_err_set(err, EX_USAGE, "expected %s, got %s", range,
		    mc_err_quote(q, sizeof(q), arg));
	*out = v;
	return 0;
}

int
mc_opt_sep(const char *arg, char *out, mc_err *err)
{
	unsigned char c = (unsigned char)arg[0];
	char q[64];

	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) {
		*out = '\t';
		return 0;
	}
	/* A separator that can be part of a number would need numbers
	 * quoted; one that is part of quoting cannot work at all. */
	if (c == '\0' || arg[1] != '\0' || c >= 0x80 || isalnum(c) ||
	    (iscntrl(c) && c != '\t') || strchr(".+-\"", c) != NULL)
		return mc_err_set(err, EX_USAGE, "expected one character such "
		    "as ';', or tab, got %s",
		    mc_err_quote(q, sizeof(q), arg));
	*out = (char)c;
	return 0;
}

void
mc_shard_range(uint64_t n, uint64_t i, uint64_t nshards, uint64_t *lo,
    uint64_t *hi)
{
	uint64_t blocks = n / MC_BLOCK + (n % MC_BLOCK != 0);
	unsigned __int128 b0 = (unsigned __int128)blocks * i / nshards;
	unsigned __int128 b1 = (unsigned __int128)blocks * (i + 1) / nshards;

	*lo = (uint64_t)b0 * MC_BLOCK;
	*hi = (uint64_t)b1 * MC_BLOCK;
	if (*lo > n)
		*lo = n;
	if (*hi > n)
		*hi = n;
}

int
mc_opt_param(const char *word, char *name, size_t size, double *value,
    mc_err *err)
{
	const char *eq = strchr(word, '=');
	char q[64], n[64];
	const char *why;

	if (eq == NULL || eq == word || (size_t)(eq - word) >= size)
		return mc_err_set(err, EX_USAGE, "expected PARAM=VALUE, got %s",
		    mc_err_quote(q, sizeof(q), word));
	memcpy(name, word, (size_t)(eq - word));
	name[eq - word] = '\0';
	if ((why = mc_parse_double(eq + 1, value)) != NULL || !isfinite(*value))
		return mc_err_set(err, EX_USAGE, "%s: expected a finite "
		    "number, got %s", mc_err_name(n, sizeof(n), name),
		    mc_err_quote(q, sizeof(q), eq + 1));
	return 0;
}
