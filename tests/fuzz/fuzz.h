/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by the fuzz targets.  Each target defines LLVMFuzzerTestOneInput;
 * a broken invariant aborts with a message, which libFuzzer reports as a
 * crash and saves the input.  The same targets link with driver.c (no
 * clang needed) to replay the seed corpora and past crashes in make check.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* The input as a NUL-terminated string, cut at its first NUL byte. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A message is one line of printable text (a place, never raw input). */
static inline int
fuzz_one_line(const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return msg[0] != '\0';
}

#endif
