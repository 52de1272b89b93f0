/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_isa.h"

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

	for (isa = MC_ISA_AVX512; isa > MC_ISA_SCALAR; isa--)
		if (mc_isa_have(isa))
			return isa;
	return MC_ISA_SCALAR;
}
