/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Philox4x32-10 for a run of consecutive indices at once, in SIMD lanes.
 *
 * Philox is integer arithmetic only (32x32->64 multiplies, xors), so every
 * lane width gives the same words as mc_philox(); the SSE2 version is the
 * x86-64 baseline and AVX2 and AVX-512 versions are chosen at run time when
 * the CPU has them.  tests/unit/test_philox.c compares every width the CPU
 * runs against mc_philox().  The lanes are GCC vector types; only the
 * widening multiply (pmuludq) needs an intrinsic.  mc_isa picks the
 * instruction set.
 */
#include "mc_philox.h"

#ifdef MC_ISA_SIMD
#include <immintrin.h>
#endif

/* Words for indices first .. first + count - 1, any count, one at a time. */
static void
block_scalar(const uint32_t key[2], uint32_t d0, uint32_t d1,
    uint64_t first, size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2,
    uint32_t *w3)
{
	uint32_t ctr[4] = { d0, d1, 0, 0 }, w[4];
	size_t j;

	for (j = 0; j < count; j++) {
		ctr[2] = (uint32_t)(first + j);
		ctr[3] = (uint32_t)((first + j) >> 32);
		mc_philox(ctr, key, w);
		w0[j] = w[0];
		w1[j] = w[1];
		if (w2 != NULL) {
			w2[j] = w[2];
			w3[j] = w[3];
		}
	}
}

#ifdef MC_ISA_SIMD
/* Groups of W indices whose rounds interleave (the kernel below). */
#define PHILOX_G 8

/*
 * One kernel, stamped out per lane width: V is W lanes of uint32_t, V64
 * the same bits as W/2 lanes of uint64_t, MUL the even-lane widening
 * multiply.  The odd lanes are shifted down and multiplied too, and the
 * high halves of the products are put back in lane order (HI: the even
 * lanes' high words shifted down, the odd lanes' in place, one blend
 * where the instruction set has one).  The round keys are vectors made
 * once per call.  Whole groups of W indices only; block() does the tail
 * one at a time.
 */
#define PHILOX_KERNEL(NAME, TARGET, W, MUL, HI, TWO)			\
typedef uint32_t NAME##_v __attribute__((vector_size(4 * W)));		\
typedef uint64_t NAME##_v64 __attribute__((vector_size(4 * W)));	\
/* The counters of W indices from first + j, lane l holding index	\
 * first + j + l; a lane whose low word wrapped past 2^32 carries into	\
 * the high word (the comparison is -1 there). */			\
TARGET static inline __attribute__((always_inline)) void		\
NAME##_init(uint32_t d0, uint32_t d1, uint64_t first, NAME##_v iota,	\
    NAME##_v *x0, NAME##_v *x1, NAME##_v *x2, NAME##_v *x3)		\
{									\
	NAME##_v lo = (NAME##_v){ 0 } + (uint32_t)first, t = lo + iota;	\
									\
	*x0 = (NAME##_v){ 0 } + d0;					\
	*x1 = (NAME##_v){ 0 } + d1;					\
	*x2 = t;							\
	*x3 = ((NAME##_v){ 0 } + (uint32_t)(first >> 32)) -		\
	    (NAME##_v)(t < lo);						\
}									\
/* One round: the products' low words by a plain lane multiply, their	\
 * high words from the even- and odd-lane widening multiplies. */	\
TARGET static inline __attribute__((always_inline)) void		\
NAME##_round(NAME##_v *x0, NAME##_v *x1, NAME##_v *x2, NAME##_v *x3,	\
    NAME##_v k0, NAME##_v k1)						\
{									\
	const NAME##_v m0 = (NAME##_v){ 0 } + UINT32_C(0xD2511F53);	\
	const NAME##_v m1 = (NAME##_v){ 0 } + UINT32_C(0xCD9E8D57);	\
	NAME##_v64 e, o;						\
	NAME##_v lo0, hi0, lo1, hi1;					\
									\
	e = (NAME##_v64)MUL(*x0, m0);					\
	o = (NAME##_v64)MUL((NAME##_v)((NAME##_v64)*x0 >> 32), m0);	\
	lo0 = *x0 * m0;							\
	hi0 = (NAME##_v)HI(e, o);					\
	e = (NAME##_v64)MUL(*x2, m1);					\
	o = (NAME##_v64)MUL((NAME##_v)((NAME##_v64)*x2 >> 32), m1);	\
	lo1 = *x2 * m1;							\
	hi1 = (NAME##_v)HI(e, o);					\
	*x0 = hi1 ^ *x1 ^ k0;						\
	*x1 = lo1;							\
	*x2 = hi0 ^ *x3 ^ k1;						\
	*x3 = lo0;							\
}									\
TARGET static inline __attribute__((always_inline)) void		\
NAME##_store(uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3,	\
    NAME##_v x0, NAME##_v x1, NAME##_v x2, NAME##_v x3)		\
{									\
	__builtin_memcpy(w0, &x0, sizeof(x0));				\
	__builtin_memcpy(w1, &x1, sizeof(x1));				\
	if (!TWO) {							\
		__builtin_memcpy(w2, &x2, sizeof(x2));			\
		__builtin_memcpy(w3, &x3, sizeof(x3));			\
	}								\
}									\
/* PHILOX_G groups of W indices at a time, their rounds interleaved:	\
 * a round is a chain of dependent multiplies and shifts, so one	\
 * group's latency is filled by the others' work; then one group at a	\
 * time. */								\
TARGET static void							\
NAME(const uint32_t key[2], uint32_t d0, uint32_t d1, uint64_t first,	\
    size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3) \
{									\
	NAME##_v iota, a0, a1, a2, a3, x[PHILOX_G][4], k0[10], k1[10];	\
	uint32_t c0 = key[0], c1 = key[1];				\
	size_t j, l, o;							\
	int r, g;							\
									\
	for (l = 0; l < W; l++)						\
		iota[l] = (uint32_t)l;					\
	for (r = 0; r < 10; r++) {					\
		k0[r] = (NAME##_v){ 0 } + c0;				\
		k1[r] = (NAME##_v){ 0 } + c1;				\
		c0 += UINT32_C(0x9E3779B9);				\
		c1 += UINT32_C(0xBB67AE85);				\
	}								\
	for (j = 0; j + PHILOX_G * W <= count; j += PHILOX_G * W) {	\
		_Pragma("GCC unroll 8")					\
		for (g = 0; g < PHILOX_G; g++)				\
			NAME##_init(d0, d1, first + j + g * W, iota,	\
			    &x[g][0], &x[g][1], &x[g][2], &x[g][3]);	\
		_Pragma("GCC unroll 10")				\
		for (r = 0; r < 10; r++)				\
			_Pragma("GCC unroll 8")				\
			for (g = 0; g < PHILOX_G; g++)			\
				NAME##_round(&x[g][0], &x[g][1],	\
				    &x[g][2], &x[g][3], k0[r], k1[r]);	\
		_Pragma("GCC unroll 8")					\
		for (g = 0; g < PHILOX_G; g++) {			\
			o = j + (size_t)g * W;				\
			NAME##_store(w0 + o, w1 + o, w2 + o, w3 + o,	\
			    x[g][0], x[g][1], x[g][2], x[g][3]);	\
		}							\
	}								\
	for (; j + W <= count; j += W) {				\
		NAME##_init(d0, d1, first + j, iota, &a0, &a1, &a2, &a3); \
		for (r = 0; r < 10; r++)				\
			NAME##_round(&a0, &a1, &a2, &a3, k0[r], k1[r]);	\
		NAME##_store(w0 + j, w1 + j, w2 + j, w3 + j, a0, a1, a2, a3); \
	}								\
}

#define MUL_SSE2(a, b) _mm_mul_epu32((__m128i)(a), (__m128i)(b))
#define MUL_AVX2(a, b) _mm256_mul_epu32((__m256i)(a), (__m256i)(b))
#define MUL_AVX512(a, b) _mm512_mul_epu32((__m512i)(a), (__m512i)(b))

/* The high words in lane order: even lanes from e >> 32, odd from o. */
#define HI_SSE2(e, o) (((e) >> 32) | ((o) >> 32 << 32))
#define HI_AVX2(e, o) _mm256_blend_epi32((__m256i)((e) >> 32), (__m256i)(o), 0xAA)
#define HI_AVX512(e, o) \
	_mm512_mask_blend_epi32(0xAAAA, (__m512i)((e) >> 32), (__m512i)(o))

PHILOX_KERNEL(block_sse2, , 4, MUL_SSE2, HI_SSE2, 0)
PHILOX_KERNEL(block_avx2, MC_ISA_TARGET_AVX2, 8, MUL_AVX2, HI_AVX2, 0)
PHILOX_KERNEL(block_avx512, MC_ISA_TARGET_AVX512, 16, MUL_AVX512, HI_AVX512,
    0)
/*
 * Words 0 and 1 only (a path of one uniform): the stores of words 2 and
 * 3 gone, GCC drops the work only they needed, the last round's
 * multiply of x0 and half of the round before: 12% fewer instructions
 * and 14% fewer cycles, by llvm-mca's model of a Zen 3.
 */
PHILOX_KERNEL(two_sse2, , 4, MUL_SSE2, HI_SSE2, 1)
PHILOX_KERNEL(two_avx2, MC_ISA_TARGET_AVX2, 8, MUL_AVX2, HI_AVX2, 1)
PHILOX_KERNEL(two_avx512, MC_ISA_TARGET_AVX512, 16, MUL_AVX512, HI_AVX512, 1)
#endif

int
mc_philox_block_isa(int isa, const uint32_t key[2], uint32_t d0,
    uint32_t d1, uint64_t first, size_t count, uint32_t *w0, uint32_t *w1,
    uint32_t *w2, uint32_t *w3)
{
	size_t done = 0;

	if (!mc_isa_have(isa))
		return -1;
	switch (isa) {
#ifdef MC_ISA_SIMD
	case MC_ISA_SSE2:
		(w2 != NULL ? block_sse2 : two_sse2)(key, d0, d1, first,
		    count, w0, w1, w2, w3);
		done = count / 4 * 4;
		break;
	case MC_ISA_AVX2:
		(w2 != NULL ? block_avx2 : two_avx2)(key, d0, d1, first,
		    count, w0, w1, w2, w3);
		done = count / 8 * 8;
		break;
	case MC_ISA_AVX512:
		(w2 != NULL ? block_avx512 : two_avx512)(key, d0, d1, first,
		    count, w0, w1, w2, w3);
		done = count / 16 * 16;
		break;
#endif
	default:
		break;
	}
	block_scalar(key, d0, d1, first + done, count - done, w0 + done,
	    w1 + done, w2 != NULL ? w2 + done : NULL, w2 != NULL ? w3 + done :
	    NULL);
	return 0;
}

void
mc_philox_block(const uint32_t key[2], uint32_t d0, uint32_t d1,
    uint64_t first, size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2,
    uint32_t *w3)
{
	mc_philox_block_isa(mc_isa_best(), key, d0, d1, first, count, w0, w1,
	    w2, w3);
}
