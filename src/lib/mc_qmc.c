/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_qmc.h"

#include <stdlib.h>
#include <string.h>

#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_qmc_table.h"

/*
 * BITS direction numbers are kept a dimension, enough for the plain
 * sequence and for replicates up to 2^32 points; a replicate of P points
 * uses the first ncol = bits(P - 1) of them, and as many columns of its
 * scramble matrix.
 */
#define BITS 32
/*
 * The Philox draws of one replicate and dimension.  Draws 0 .. 6 hold
 * columns 0 .. 11 (words 0 .. 23) and the shift (words 24, 25), the
 * layout of the 4096-point replicates that came first, so that those
 * points have not changed; draws 7 .. 16 hold columns 12 .. 31, and
 * draw 17 the rotation of a rotating generator (words 0, 1).
 */
#define LOW_COLS 12
#define LOW_DRAWS 7
#define NWORDS_MAX (4 * LOW_DRAWS + 2 * (BITS - LOW_COLS))
#define ROT_DRAW (LOW_DRAWS + (BITS - LOW_COLS) / 2)

struct mc_qmc {
	unsigned dim;		/* coordinates of a point */
	unsigned sdim;		/* of them Sobol's: min(dim, table) */
	uint64_t points;	/* per replicate */
	unsigned ncol;		/* bits(points - 1) */
	int rotate;		/* add a random rotation mod 1 */
	mc_stream st;		/* the scramble streams of the seed */
	mc_stream tail;		/* the uniforms of coordinates >= sdim */
	uint32_t *v;		/* v[k * BITS + j]: direction number j + 1 */
	/* The scramble of replicate rep, for mc_qmc_block. */
	uint64_t rep;
	int have_rep;
	uint64_t *w;		/* w[k * BITS + j]: scrambled v, 64 bits */
	uint64_t *shift;	/* shift[k] */
	uint64_t *rot;		/* rot[k]: the rotation, or 0 */
	uint64_t *y;		/* y[k]: the scrambled point next - 1 */
	uint64_t next;		/* the index after the last one produced */
	int have_next;
	uint32_t *words;	/* 4 x MC_BLOCK Philox words for the tail */
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
directions(unsigned s, unsigned a, const MC_SOBOL_TYPE *m, uint32_t *v)
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
	mc_qmc_opts o = { MC_BLOCK, 0, 0 };

	return mc_qmc_alloc_rep(dim, seed, &o, err);
}

mc_qmc *
mc_qmc_alloc_rep(unsigned dim, uint64_t seed, const mc_qmc_opts *o,
    mc_err *err)
{
	const MC_SOBOL_TYPE *p = mc_sobol_jk;
	uint64_t points = o->points;
	mc_qmc *q;
	unsigned j, k, sdim, sobol = o->sobol;

	if (sobol == 0 || sobol > MC_SOBOL_DIMS)
		sobol = MC_SOBOL_DIMS;
	sdim = dim < sobol ? dim : sobol;

	if (dim < 1) {
		mc_err_set(err, EX_USAGE, "sobol points: dimension %u, "
		    "expected 1 or more", dim);
		return NULL;
	}
	if (points < 1 || points > (UINT64_C(1) << BITS)) {
		mc_err_set(err, EX_USAGE, "sobol points: %llu points a "
		    "replicate, expected 1 to 2^%d", (unsigned long long)points,
		    BITS);
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->v = malloc((size_t)sdim * BITS * sizeof(*q->v))) == NULL ||
	    (q->w = malloc((size_t)sdim * BITS * sizeof(*q->w))) == NULL ||
	    (q->shift = malloc((size_t)sdim * sizeof(*q->shift))) == NULL ||
	    (q->rot = malloc((size_t)sdim * sizeof(*q->rot))) == NULL ||
	    (q->y = malloc((size_t)sdim * sizeof(*q->y))) == NULL ||
	    (dim > sdim && (q->words = malloc(4 * (size_t)MC_BLOCK *
	    sizeof(*q->words))) == NULL)) {
		mc_qmc_free(q);
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	q->dim = dim;
	q->sdim = sdim;
	q->points = points;
	q->rotate = o->rotate;
	for (q->ncol = 0; q->ncol < BITS && (points - 1) >> q->ncol; q->ncol++)
		;
	mc_stream_init(&q->st, seed, MC_STREAM_SCRAMBLE);
	mc_stream_init(&q->tail, seed, MC_STREAM_SOBOL_TAIL);
	for (j = 0; j < BITS; j++)
		q->v[j] = UINT32_C(1) << (BITS - 1 - j);
	for (k = 1; k < sdim; k++) {
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
	free(q->rot);
	free(q->y);
	free(q->words);
	free(q);
}

unsigned
mc_qmc_dim(const mc_qmc *q)
{
	return q->dim;
}

uint64_t
mc_qmc_points(const mc_qmc *q)
{
	return q->points;
}

/*
 * Draws the scramble of replicate r in dimension k: w[0 .. ncol-1] the
 * scrambled direction numbers M v_j, *shift the digital shift and *rot
 * the rotation (0 unless the generator rotates).  The
 * matrix M is lower triangular with unit diagonal; only its first ncol
 * columns matter, since a replicate's points have no digits below ncol.
 * Column l has its diagonal bit and random bits below it.
 */
static void
scramble(const mc_qmc *q, uint64_t r, unsigned k, uint64_t *w,
    uint64_t *shift, uint64_t *rot)
{
	uint32_t words[NWORDS_MAX];
	uint64_t col[BITS], v;
	unsigned c, j, l, nc = q->ncol;
	unsigned ndraw = LOW_DRAWS + (nc > LOW_COLS ? (nc - LOW_COLS + 1) / 2 :
	    0);

	/* Draw c of dimension k: the draw's high word is the dimension. */
	for (c = 0; c < ndraw; c++)
		mc_stream_words(&q->st, r, (uint64_t)k << 32 | c, words + 4 * c);
	for (l = 0; l < nc; l++) {
		uint64_t diag = UINT64_C(1) << (63 - l);
		unsigned o = l < LOW_COLS ? 2 * l : 4 * LOW_DRAWS +
		    2 * (l - LOW_COLS);
		uint64_t rnd = (uint64_t)words[o] << 32 | words[o + 1];
		col[l] = diag | (rnd & (diag - 1));
	}
	*shift = (uint64_t)words[2 * LOW_COLS] << 32 | words[2 * LOW_COLS + 1];
	*rot = 0;
	if (q->rotate) {
		mc_stream_words(&q->st, r, (uint64_t)k << 32 | ROT_DRAW, words);
		*rot = (uint64_t)words[0] << 32 | words[1];
	}
	for (j = 0; j < nc; j++) {
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

/*
 * The coordinate of scrambled bits y under rotation rot: y itself
 * without one, else the baker's (tent) map of y + rot mod 2^64,
 * v -> 2v below 1/2 and 2(1 - v) above, as a double inside (0, 1).
 */
static double
rotated(uint64_t y, uint64_t rot)
{
	if (rot == 0)
		return to_unit(y);
	y += rot;
	y = (y >> 63 ? ~y : y) << 1;
	return to_unit(y);
}

/* Point n of a replicate whose scramble is w and shift, as 64 bits. */
static uint64_t
scrambled(const uint64_t *w, uint64_t shift, uint64_t n)
{
	uint64_t g = n ^ (n >> 1), y = shift;
	unsigned j;

	for (j = 0; g != 0; j++, g >>= 1)
		if (g & 1)
			y ^= w[j];
	return y;
}

/*
 * Coordinates sdim .. dim-1 of count points from first, past the Sobol
 * table: uniform e = k - sdim of point i is word pair e % 2 of draw e / 2
 * of i's MC_STREAM_SOBOL_TAIL stream (mc_u53), as a path's uniforms are
 * laid out (mc_path), written to u[k * stride + j].
 */
static void
tail_block(mc_qmc *q, uint64_t first, size_t count, size_t stride, double *u)
{
	uint32_t *w0 = q->words, *w1 = w0 + MC_BLOCK, *w2 = w1 + MC_BLOCK;
	uint32_t *w3 = w2 + MC_BLOCK;
	unsigned e, ne = q->dim - q->sdim;
	size_t off, j;

	for (off = 0; off < count; off += MC_BLOCK) {
		size_t cnt = count - off < MC_BLOCK ? count - off : MC_BLOCK;
		for (e = 0; e < ne; e += 2) {
			double *u0 = u + (size_t)(q->sdim + e) * stride + off;
			mc_stream_block(&q->tail, e / 2, first + off, cnt, w0, w1,
			    w2, w3);
			for (j = 0; j < cnt; j++)
				u0[j] = mc_u53(w0[j], w1[j]);
			if (e + 1 < ne)
				for (j = 0; j < cnt; j++)
					u0[stride + j] = mc_u53(w2[j], w3[j]);
		}
	}
}

void
mc_qmc_point(const mc_qmc *q, uint64_t index, double *u)
{
	uint64_t w[BITS], shift, rot, n = index % q->points;
	uint32_t out[4];
	unsigned k, e;

	for (k = 0; k < q->sdim; k++) {
		scramble(q, index / q->points, k, w, &shift, &rot);
		u[k] = rotated(scrambled(w, shift, n), rot);
	}
	for (e = 0; q->sdim + e < q->dim; e += 2) {
		mc_stream_words(&q->tail, index, e / 2, out);
		u[q->sdim + e] = mc_u53(out[0], out[1]);
		if (q->sdim + e + 1 < q->dim)
			u[q->sdim + e + 1] = mc_u53(out[2], out[3]);
	}
}

void
mc_qmc_block(mc_qmc *q, uint64_t first, size_t count, double *u)
{
	size_t j;
	unsigned k, sd = q->sdim;

	for (j = 0; j < count; j++) {
		uint64_t i = first + j, r = i / q->points, n = i % q->points;

		if (!q->have_rep || q->rep != r) {
			for (k = 0; k < sd; k++)
				scramble(q, r, k, q->w + (size_t)k * BITS,
				    q->shift + k, q->rot + k);
			q->rep = r;
			q->have_rep = 1;
			q->have_next = 0;
		}
		if (q->have_next && q->next == i && n != 0) {
			/* Gray code: n - 1 and n differ in bit ctz(n). */
			unsigned b = (unsigned)__builtin_ctzll(n);
			for (k = 0; k < sd; k++)
				q->y[k] ^= q->w[(size_t)k * BITS + b];
		} else {
			for (k = 0; k < sd; k++)
				q->y[k] = scrambled(q->w + (size_t)k * BITS,
				    q->shift[k], n);
		}
		q->next = i + 1;
		q->have_next = 1;
		for (k = 0; k < sd; k++)
			u[(size_t)k * count + j] = rotated(q->y[k],
			    q->rot[k]);
	}
	if (q->dim > sd)
		tail_block(q, first, count, count, u);
}

void
mc_qmc_sobol(const mc_qmc *q, uint64_t n, double *u)
{
	uint64_t g = n ^ (n >> 1);
	unsigned j, k;

	for (k = 0; k < q->dim; k++) {
		uint32_t x = 0;
		if (k >= q->sdim) {
			u[k] = __builtin_nan("");
			continue;
		}
		for (j = 0; j < BITS; j++)
			if ((g >> j) & 1)
				x ^= q->v[(size_t)k * BITS + j];
		u[k] = x * 0x1p-32;
	}
}
