/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_isa: the one CPU-feature dispatcher of the block kernels (mc_philox,
 * mc_vmath, mc_lsm).
 *
 * A kernel is written once as plain C (or GCC vector types) and stamped
 * into a baseline function and, where MC_ISA_SIMD is defined, functions
 * built for AVX2 and AVX-512 with the target attributes below.  At run
 * time a kernel takes mc_isa_best(); its *_isa twin takes a chosen
 * instruction set, so that the unit tests can require the same bits from
 * every build.  The numbers never depend on the choice.
 */
#ifndef MC_ISA_H
#define MC_ISA_H

#include <stddef.h>

#include "mc_err.h"

/* Instruction sets, slowest first. */
enum { MC_ISA_SCALAR, MC_ISA_SSE2, MC_ISA_AVX2, MC_ISA_AVX512 };

/*
 * MC_ISA_SIMD: x86-64 with GCC or clang, which stamp the AVX2 and AVX-512
 * kernels.  MC_ISA_AVX512 asks the compiler for 512-bit vectors, which
 * each compiler spells its own way (clang has no prefer-vector-width).
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define MC_ISA_SIMD 1
#define MC_ISA_TARGET_AVX2 __attribute__((target("avx2")))
#if defined(__clang__)
#define MC_ISA_TARGET_AVX512 \
	__attribute__((target("avx512f"), min_vector_width(512)))
#else
#define MC_ISA_TARGET_AVX512 \
	__attribute__((target("avx512f,prefer-vector-width=512")))
#endif
#endif

/*
 * The build of kernel k for isa, or NULL when this CPU or build lacks it:
 * k_avx512, k_avx2 or k_base, the names a file's stamps give its kernels
 * (the baseline serves both MC_ISA_SCALAR and MC_ISA_SSE2).
 */
#ifdef MC_ISA_SIMD
#define MC_ISA_PICK(isa, k)						\
	(!mc_isa_have(isa) ? NULL : (isa) == MC_ISA_AVX512 ? k##_avx512 : \
	(isa) == MC_ISA_AVX2 ? k##_avx2 : k##_base)
#else
#define MC_ISA_PICK(isa, k) (!mc_isa_have(isa) ? NULL : k##_base)
#endif

/*
 * Whether this CPU and build run isa's kernels: MC_ISA_SCALAR always,
 * MC_ISA_SSE2 on x86-64 (its baseline), AVX2 and AVX-512 when MC_ISA_SIMD
 * and the CPU has them.  Returns 1 or 0.
 */
int mc_isa_have(int isa);

/*
 * The fastest MC_ISA_* that mc_isa_have() allows, at most the cap that
 * mc_isa_cap() set.
 */
int mc_isa_best(void);

/*
 * Caps the instruction set that mc_isa_best() picks at the one named
 * ("sse2", "avx2" or "avx512"; "" or NULL takes the cap away), so that a
 * wide machine can run and time the kernels a narrower one would run.
 * The numbers do not change, only the speed.  A cap above what the CPU
 * has is no cap.  The programs take the name from the environment
 * variable MCTOOLS_ISA (mctools(7)); the library never reads the
 * environment.  Call it before any thread starts.  Returns 0, or
 * EX_USAGE with a message that starts with what (where the name came
 * from) and names the words it takes.
 */
int mc_isa_cap(const char *name, const char *what, mc_err *err);

/* The name of isa: "scalar", "sse2", "avx2" or "avx512". */
const char *mc_isa_name(int isa);

#endif
