/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_isa.h"

#include <string.h>

static const char *const names[] = { "scalar", "sse2", "avx2", "avx512" };

/* The cap of mc_isa_best(): an option flag, set once by a program. */
static int cap = MC_ISA_AVX512;

int
mc_isa_have(int isa)
{
	switch (isa) {
	case MC_ISA_SCALAR:
		return 1;
#ifdef MC_ISA_SIMD
	case MC_ISA_SSE2:
		return 1;
	case MC_ISA_AVX2:
		return __builtin_cpu_supports("avx2") != 0;
	case MC_ISA_AVX512:
		return __builtin_cpu_supports("avx512f") != 0;
#endif
	default:
		return 0;
	}
}

int
mc_isa_best(void)
{
	int isa;

	for (isa = cap; isa > MC_ISA_SCALAR; isa--)
		if (mc_isa_have(isa))
			return isa;
	return MC_ISA_SCALAR;
}

int
mc_isa_cap(const char *name, const char *what, mc_err *err)
{
	char q[64];
	int isa;

	if (name == NULL || *name == '\0') {
		cap = MC_ISA_AVX512;
		return 0;
	}
	for (isa = MC_ISA_SSE2; isa <= MC_ISA_AVX512; isa++)
		if (strcmp(name, names[isa]) == 0) {
			cap = isa;
			return 0;
		}
	return mc_err_set(err, EX_USAGE, "%s: expected sse2, avx2 or avx512, "
	    "got %s", what, mc_err_quote(q, sizeof(q), name));
}

const char *
mc_isa_name(int isa)
{
	return isa >= MC_ISA_SCALAR && isa <= MC_ISA_AVX512 ? names[isa] :
	    "unknown";
}
