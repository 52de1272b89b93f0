/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PARAM=VALUE words (mcgen's and mcprice's parameters).  The first byte
 * of the input picks the size of the name buffer; the rest is the word.
 * On success the name is the part before the first '=' and the value
 * is the finite number mc_parse_double reads after it; on failure the
 * status is EX_USAGE with a one-line message.
 */
#include <math.h>
#include <sysexits.h>

#include "fuzz.h"
#include "mc_fmt.h"
#include "mc_opt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *word, *name, *eq;
	size_t nsize;
	mc_err err = { 0, "" };
	double v = 0, w;
	int rc;

	if (size == 0)
		return 0;
	nsize = data[0] % 64 + 1;
	word = fuzz_string(data + 1, size - 1);
	if ((name = malloc(nsize)) == NULL)
		abort();
	rc = mc_opt_param(word, name, nsize, &v, &err);
	eq = strchr(word, '=');
	if (rc == 0) {
		FUZZ_ASSERT(eq != NULL && eq != word);
		FUZZ_ASSERT((size_t)(eq - word) < nsize);
		FUZZ_ASSERT(strlen(name) == (size_t)(eq - word) &&
		    memcmp(name, word, strlen(name)) == 0);
		FUZZ_ASSERT(isfinite(v));
		FUZZ_ASSERT(mc_parse_double(eq + 1, &w) == NULL && w == v);
	} else {
		FUZZ_ASSERT(rc == EX_USAGE && err.status == EX_USAGE);
		FUZZ_ASSERT(fuzz_one_line(err.msg));
		FUZZ_ASSERT(eq == NULL || eq == word ||
		    (size_t)(eq - word) >= nsize ||
		    mc_parse_double(eq + 1, &w) != NULL || !isfinite(w));
	}
	free(name);
	free(word);
	return 0;
}
