/*
 * Philox4x32-10 for a run of consecutive indices at once, in SIMD lanes.
 *
 * Philox is integer arithmetic only (32x32->64 multiplies, xors), so every
 * lane width gives the same words as mc_philox(); the SSE2 version is the
 * x86-64 baseline and AVX2 and AVX-512 versions are chosen at run time when
 * the CPU has them.  tests/unit/test_philox.c compares every width the CPU
 * runs against mc_philox().  The lanes are GCC vector types; only the
 * widening multiply (pmuludq) needs an intrinsic.
 */
#include <stddef.h>
#include <stdint.h>

#include "mc_rng.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MC_PHILOX_SIMD 1
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
		w2[j] = w[2];
		w3[j] = w[3];
	}
}

#ifdef MC_PHILOX_SIMD
/*
 * One kernel, stamped out per lane width: V is W lanes of uint32_t, V64
 * the same bits as W/2 lanes of uint64_t, MUL the even-lane widening
 * multiply.  The odd lanes are shifted down and multiplied too, and the
 * halves of the products are put back in lane order.  Whole groups of W
 * indices only; block() does the tail one at a time.
 */
#define PHILOX_KERNEL(NAME, TARGET, W, MUL)				\
typedef uint32_t NAME##_v __attribute__((vector_size(4 * W)));		\
typedef uint64_t NAME##_v64 __attribute__((vector_size(4 * W)));	\
TARGET static void							\
NAME(const uint32_t key[2], uint32_t d0, uint32_t d1, uint64_t first,	\
    size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3) \
{									\
	const NAME##_v64 lo32 = (NAME##_v64){ 0 } + UINT64_C(0xffffffff); \
	NAME##_v iota;							\
	size_t j, l;							\
									\
	for (l = 0; l < W; l++)						\
		iota[l] = (uint32_t)l;					\
									\
	for (j = 0; j + W <= count; j += W) {				\
		NAME##_v x0, x1, x2, x3, m0, m1, lo0, hi0, lo1, hi1;	\
		NAME##_v64 e, o;					\
		uint32_t k0 = key[0], k1 = key[1];			\
		int r;							\
									\
		x0 = (NAME##_v){ 0 } + d0;				\
		/* Low index words count up from the first; a lane whose	\
		 * low word wrapped past 2^32 carries into the high word	\
		 * (the comparison is -1 there). */			\
		x2 = (NAME##_v){ 0 } + (uint32_t)(first + j);		\
		x3 = (NAME##_v){ 0 } + (uint32_t)((first + j) >> 32);	\
		x1 = x2 + iota;						\
		x3 -= (NAME##_v)(x1 < x2);				\
		x2 = x1;						\
		x1 = (NAME##_v){ 0 } + d1;				\
		m0 = (NAME##_v){ 0 } + UINT32_C(0xD2511F53);		\
		m1 = (NAME##_v){ 0 } + UINT32_C(0xCD9E8D57);		\
		for (r = 0; r < 10; r++) {				\
			if (r > 0) {					\
				k0 += UINT32_C(0x9E3779B9);		\
				k1 += UINT32_C(0xBB67AE85);		\
			}						\
			e = (NAME##_v64)MUL(x0, m0);			\
			o = (NAME##_v64)MUL((NAME##_v)((NAME##_v64)x0 >> 32), \
			    m0);					\
			lo0 = (NAME##_v)((e & lo32) | (o << 32));	\
			hi0 = (NAME##_v)((e >> 32) | (o & ~lo32));	\
			e = (NAME##_v64)MUL(x2, m1);			\
			o = (NAME##_v64)MUL((NAME##_v)((NAME##_v64)x2 >> 32), \
			    m1);					\
			lo1 = (NAME##_v)((e & lo32) | (o << 32));	\
			hi1 = (NAME##_v)((e >> 32) | (o & ~lo32));	\
			x0 = hi1 ^ x1 ^ k0;				\
			x1 = lo1;					\
			x2 = hi0 ^ x3 ^ k1;				\
			x3 = lo0;					\
		}							\
		__builtin_memcpy(w0 + j, &x0, sizeof(x0));		\
		__builtin_memcpy(w1 + j, &x1, sizeof(x1));		\
		__builtin_memcpy(w2 + j, &x2, sizeof(x2));		\
		__builtin_memcpy(w3 + j, &x3, sizeof(x3));		\
	}								\
}

#define MUL_SSE2(a, b) _mm_mul_epu32((__m128i)(a), (__m128i)(b))
#define MUL_AVX2(a, b) _mm256_mul_epu32((__m256i)(a), (__m256i)(b))
#define MUL_AVX512(a, b) _mm512_mul_epu32((__m512i)(a), (__m512i)(b))

PHILOX_KERNEL(block_sse2, , 4, MUL_SSE2)
PHILOX_KERNEL(block_avx2, __attribute__((target("avx2"))), 8, MUL_AVX2)
PHILOX_KERNEL(block_avx512, __attribute__((target("avx512f"))), 16,
    MUL_AVX512)
#endif

int
mc_philox_block_isa(int isa, const uint32_t key[2], uint32_t d0,
    uint32_t d1, uint64_t first, size_t count, uint32_t *w0, uint32_t *w1,
    uint32_t *w2, uint32_t *w3)
{
	size_t done = 0;

	switch (isa) {
	case MC_ISA_SCALAR:
		break;
#ifdef MC_PHILOX_SIMD
	case MC_ISA_SSE2:
		block_sse2(key, d0, d1, first, count, w0, w1, w2, w3);
		done = count / 4 * 4;
		break;
	case MC_ISA_AVX2:
		if (!__builtin_cpu_supports("avx2"))
			return -1;
		block_avx2(key, d0, d1, first, count, w0, w1, w2, w3);
		done = count / 8 * 8;
		break;
	case MC_ISA_AVX512:
		if (!__builtin_cpu_supports("avx512f"))
			return -1;
		block_avx512(key, d0, d1, first, count, w0, w1, w2, w3);
		done = count / 16 * 16;
		break;
#endif
	default:
		return -1;
	}
	block_scalar(key, d0, d1, first + done, count - done, w0 + done,
	    w1 + done, w2 + done, w3 + done);
	return 0;
}

int
mc_isa_best(void)
{
#ifdef MC_PHILOX_SIMD
	if (__builtin_cpu_supports("avx512f"))
		return MC_ISA_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return MC_ISA_AVX2;
	return MC_ISA_SSE2;
#else
	return MC_ISA_SCALAR;
#endif
}

void
mc_philox_block(const uint32_t key[2], uint32_t d0, uint32_t d1,
    uint64_t first, size_t count, uint32_t *w0, uint32_t *w1, uint32_t *w2,
    uint32_t *w3)
{
	mc_philox_block_isa(mc_isa_best(), key, d0, d1, first, count, w0, w1,
	    w2, w3);
}
