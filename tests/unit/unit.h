/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small unit-test harness: CHECK records a failure with its place and
 * goes on; unit_done prints "N passed, N failed" and returns the exit
 * status.
 */
#ifndef UNIT_H
#define UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond) do { \
	if (cond) { \
		unit_pass++; \
	} else { \
		unit_fail++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (strcmp(g_, w_) == 0) { \
		unit_pass++; \
	} else { \
		unit_fail++; \
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", \
		    __FILE__, __LINE__, g_, w_); \
	} \
} while (0)

/* 1 if |got - want| <= tol; otherwise says so on stderr and returns 0. */
static inline int
unit_near(double got, double want, double tol)
{
	if (fabs(got - want) <= tol)
		return 1;
	fprintf(stderr, "got %.12g, want %.12g (tol %g)\n", got, want, tol);
	return 0;
}

static inline int
unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_pass, unit_fail);
	return unit_fail != 0;
}

#endif
