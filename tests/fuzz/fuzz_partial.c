/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Partial rows, as mcstat --merge reads them.  The input is cut at its
 * first two newlines into the n, sum and sumsq fields.  Whatever
 * mc_acc_parse_partial accepts is written with mc_acc_write_partial, read
 * again, and written again: both writings must be the same bytes (the text
 * form is lossless); what it refuses (EX_DATAERR naming a field) must
 * leave the accumulator as it was.
 * mc_xsum_parse_add gets the whole input the same way.
 */
#include <math.h>

#include "fuzz.h"
#include "mc_acc.h"
#include "mc_xsum.h"

static char *
partial_text(const mc_acc *a)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	if (fp == NULL)
		abort();
	mc_acc_write_partial(fp, a);
	fclose(fp);
	return out;
}

static void
check_partial(char *s)
{
	char *f[3] = { s, "", "" }, *p, *t1, *t2;
	const char *col = NULL;
	mc_err e = { 0, "" };
	mc_acc a, b;
	int i;

	for (i = 1, p = s; i < 3 && (p = strchr(p, '\n')) != NULL; i++) {
		*p++ = '\0';
		f[i] = p;
	}
	mc_acc_init(&a);
	mc_acc_add(&a, 1.5);	/* a non-empty start: a refusal keeps it */
	t1 = partial_text(&a);
	if (mc_acc_parse_partial(&a, f[0], f[1], f[2], &col, &e) != 0) {
		FUZZ_ASSERT(e.status == EX_DATAERR && col != NULL);
		t2 = partial_text(&a);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
		free(t1);
		free(t2);
		return;
	}
	free(t1);
	t1 = partial_text(&a);
	/* Read the written row back into an empty accumulator. */
	{
		char *copy = strdup(t1), *c1, *c2;

		FUZZ_ASSERT(copy != NULL);
		c1 = copy + strcspn(copy, ",");
		FUZZ_ASSERT(*c1 == ',');
		*c1++ = '\0';
		c2 = strchr(c1, ',');
		FUZZ_ASSERT(c2 != NULL && strchr(c2 + 1, ',') == NULL);
		*c2++ = '\0';
		mc_acc_init(&b);
		FUZZ_ASSERT(mc_acc_parse_partial(&b, copy, c1, c2, &col, &e)
		    == 0);
		free(copy);
	}
	t2 = partial_text(&b);
	FUZZ_ASSERT(strcmp(t1, t2) == 0);
	FUZZ_ASSERT(a.n == b.n);
	free(t1);
	free(t2);
}

static void
check_xsum(const char *s)
{
	mc_xsum a, b;
	char buf[8192], buf2[8192];
	int len, len2;
	double r;

	mc_xsum_init(&a);
	if (mc_xsum_parse_add(&a, s) != 0)
		return;
	len = mc_xsum_format(&a, buf, sizeof(buf));
	FUZZ_ASSERT(len >= 0 && len < (int)sizeof(buf));
	/* The programs format into 4096 bytes (mc_acc's put_xsum). */
	FUZZ_ASSERT(len < 4096);
	/* The first term is the sum rounded. */
	r = mc_xsum_round(&a);
	FUZZ_ASSERT(strtod(buf, NULL) == r || (isnan(r) &&
	    isnan(strtod(buf, NULL))) || (isinf(strtod(buf, NULL))));
	mc_xsum_init(&b);
	FUZZ_ASSERT(mc_xsum_parse_add(&b, buf) == 0);
	len2 = mc_xsum_format(&b, buf2, sizeof(buf2));
	FUZZ_ASSERT(len2 == len && strcmp(buf, buf2) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);

	check_xsum(s);
	check_partial(s);
	free(s);
	return 0;
}
