/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_qmc.h"

#include <stdlib.h>
#include <string.h>

#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_qmc_table.h"

/*
 * BITS direction numbers are kept a dimension, enough for the plain
 * sequence up to 2^32 points; a replicate uses the first LOGB of them.
 */
#define BITS 32
#define LOGB 12
#define NWORDS 7	/* Philox calls for one replicate and dimension */

_Static_assert(MC_BLOCK == 1 << LOGB, "a replicate is one MC_BLOCK");

struct mc_qmc {
	unsigned dim;
	mc_stream st;		/* the scramble streams of the seed */
	uint32_t *v;		/* v[k * BITS + j]: direction number j + 1 */
	/* The scramble of replicate rep, for mc_qmc_block. */
	uint64_t rep;
	int have_rep;
	uint64_t *w;		/* w[k * LOGB + j]: scrambled v, 64 bits */
	uint64_t *shift;	/* shift[k] */
	uint64_t *y;		/* y[k]: the scrambled point next - 1 */
	uint64_t next;		/* the index after the last one produced */
	int have_next;
};

unsigned
mc_qmc_maxdim(void)
{
	return MC_SOBOL_DIMS;
}

/*
 * Fills v[0 .. BITS-1] with the direction numbers of the dimension whose
 * primitive polynomial has degree s and inner coefficients a, from the
 * initial numbers m[0 .. s-1], by Bratley and Fox's recurrence.  Direction
 * number j + 1 is m_{j+1} / 2^{j+1}, kept as a 32-bit fraction.
 */
static void
directions(unsigned s, unsigned a, const uint16_t *m, uint32_t *v)
{
	uint32_t mm[BITS];
	unsigned j, k;

	for (j = 0; j < BITS; j++) {
		if (j < s) {
			mm[j] = m[j];
		} else {
			mm[j] = mm[j - s] ^ (mm[j - s] << s);
			for (k = 1; k < s; k++)
				if ((a >> (s - 1 - k)) & 1)
					mm[j] ^= mm[j - k] << k;
		}
		v[j] = mm[j] << (BITS - 1 - j);
	}
}

mc_qmc *
mc_qmc_alloc(unsigned dim, uint64_t seed, mc_err *err)
{
	const uint16_t *p = mc_sobol_jk;
	mc_qmc *q;
	unsigned j, k;

	if (dim < 1 || dim > MC_SOBOL_DIMS) {
		mc_err_set(err, EX_USAGE, "--qmc sobol: at most %u dimensions",
		    (unsigned)MC_SOBOL_DIMS);
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->v = malloc((size_t)dim * BITS * sizeof(*q->v))) == NULL ||
	    (q->w = malloc((size_t)dim * LOGB * sizeof(*q->w))) == NULL ||
	    (q->shift = malloc((size_t)dim * sizeof(*q->shift))) == NULL ||
	    (q->y = malloc((size_t)dim * sizeof(*q->y))) == NULL) {
		mc_qmc_free(q);
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	q->dim = dim;
	mc_stream_init(&q->st, seed, MC_STREAM_SCRAMBLE);
	for (j = 0; j < BITS; j++)
		q->v[j] = UINT32_C(1) << (BITS - 1 - j);
	for (k = 1; k < dim; k++) {
		directions(p[0], p[1], p + 2, q->v + (size_t)k * BITS);
		p += 2 + p[0];
	}
	return q;
}

void
mc_qmc_free(mc_qmc *q)
{
	if (q == NULL)
		return;
	free(q->v);
	free(q->w);
	free(q->shift);
	free(q->y);
	free(q);
}

unsigned
mc_qmc_dim(const mc_qmc *q)
{
	return q->dim;
}

/*
 * Draws the scramble of replicate r in dimension k: w[0 .. LOGB-1] the
 * scrambled direction numbers M v_j, and *shift the digital shift.  The
 * matrix M is lower triangular with unit diagonal; only its first LOGB
 * columns matter, since a replicate's points have no digits below LOGB.
 * Column l has its diagonal bit and random bits below it.
 */
static void
scramble(const mc_qmc *q, uint64_t r, unsigned k, uint64_t *w,
    uint64_t *shift)
{
	uint32_t words[4 * NWORDS];
	uint64_t col[LOGB], v;
	unsigned c, j, l;

	/* Draw c of dimension k: the draw's high word is the dimension. */
	for (c = 0; c < NWORDS; c++)
		mc_stream_words(&q->st, r, (uint64_t)k << 32 | c, words + 4 * c);
	for (l = 0; l < LOGB; l++) {
		uint64_t diag = UINT64_C(1) << (63 - l);
		uint64_t rnd = (uint64_t)words[2 * l] << 32 | words[2 * l + 1];
		col[l] = diag | (rnd & (diag - 1));
	}
	*shift = (uint64_t)words[2 * LOGB] << 32 | words[2 * LOGB + 1];
	for (j = 0; j < LOGB; j++) {
		v = (uint64_t)q->v[(size_t)k * BITS + j] << 32;
		w[j] = 0;
		for (l = 0; l <= j; l++)
			if ((v >> (63 - l)) & 1)
				w[j] ^= col[l];
	}
}

/*
 * The top 53 bits of y as a double strictly inside (0, 1): as mc_u53,
 * whose (k + 1/2) 2^-53 would round to 1 for the top k.
 */
static double
to_unit(uint64_t y)
{
	double u = ((double)(y >> 11) + 0.5) * 0x1p-53;

	return u < 1 ? u : MC_U53_MAX;
}

/* Point n of a replicate whose scramble is w and shift, as 64 bits. */
static uint64_t
scrambled(const uint64_t *w, uint64_t shift, unsigned n)
{
	unsigned g = n ^ (n >> 1), j;
	uint64_t y = shift;

	for (j = 0; g != 0; j++, g >>= 1)
		if (g & 1)
			y ^= w[j];
	return y;
}

void
mc_qmc_point(const mc_qmc *q, uint64_t index, double *u)
{
	uint64_t w[LOGB], shift;
	unsigned k, n = (unsigned)(index % MC_BLOCK);

	for (k = 0; k < q->dim; k++) {
		scramble(q, index / MC_BLOCK, k, w, &shift);
		u[k] = to_unit(scrambled(w, shift, n));
	}
}

void
mc_qmc_block(mc_qmc *q, uint64_t first, size_t count, double *u)
{
	size_t j;
	unsigned k;

	for (j = 0; j < count; j++) {
		uint64_t i = first + j, r = i / MC_BLOCK;
		unsigned n = (unsigned)(i % MC_BLOCK);

		if (!q->have_rep || q->rep != r) {
			for (k = 0; k < q->dim; k++)
				scramble(q, r, k, q->w + (size_t)k * LOGB,
				    q->shift + k);
			q->rep = r;
			q->have_rep = 1;
			q->have_next = 0;
		}
		if (q->have_next && q->next == i && n != 0) {
			/* Gray code: n - 1 and n differ in bit ctz(n). */
			unsigned b = (unsigned)__builtin_ctz(n);
			for (k = 0; k < q->dim; k++)
				q->y[k] ^= q->w[(size_t)k * LOGB + b];
		} else {
			for (k = 0; k < q->dim; k++)
				q->y[k] = scrambled(q->w + (size_t)k * LOGB,
				    q->shift[k], n);
		}
		q->next = i + 1;
		q->have_next = 1;
		for (k = 0; k < q->dim; k++)
			u[(size_t)k * count + j] = to_unit(q->y[k]);
	}
}

void
mc_qmc_sobol(const mc_qmc *q, uint64_t n, double *u)
{
	uint64_t g = n ^ (n >> 1);
	unsigned j, k;

	for (k = 0; k < q->dim; k++) {
		uint32_t x = 0;
		for (j = 0; j < BITS; j++)
			if ((g >> j) & 1)
				x ^= q->v[(size_t)k * BITS + j];
		u[k] = x * 0x1p-32;
	}
}
