/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_split: the shards of a book cover every row's units exactly, in
 * contiguous ranges, at about equal cost, with at most N - 1 rows cut;
 * a book of one row is cut as mc_shard_range cuts its blocks.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mc_opt.h"
#include "mc_rng.h"
#include "mc_split.h"
#include "unit.h"

#define MAXROWS 64

/* A small generator for the books: the same numbers on every run. */
static uint64_t
next(uint64_t *x)
{
	*x = *x * 6364136223846793005u + 1442695040888963407u;
	return *x >> 33;
}

/* The ranges [lo, hi) of shard i of n over rows r[0..nr). */
static void
cut(const mc_split_cost *r, int nr, uint64_t i, uint64_t n, uint64_t *lo,
    uint64_t *hi)
{
	mc_split s;
	int k;

	mc_split_init(&s, i, n);
	for (k = 0; k < nr; k++)
		mc_split_add(&s, &r[k]);
	for (k = 0; k < nr; k++)
		mc_split_next(&s, &r[k], &lo[k], &hi[k]);
}

/* One row: mc_shard_range's blocks, for many counts and shards. */
static void
one_row(void)
{
	uint64_t units, n, i, lo, hi, blo, bhi;
	mc_split_cost c = { 0, 7, 0 };
	int bad = 0;

	for (units = 0; units < 40; units++)
		for (n = 1; n < 12; n++)
			for (i = 0; i < n; i++) {
				c.units = units;
				cut(&c, 1, i, n, &lo, &hi);
				mc_shard_range(units * MC_BLOCK, i, n, &blo, &bhi);
				bad += lo * MC_BLOCK != blo || hi * MC_BLOCK != bhi;
			}
	CHECK(bad == 0);
}

/*
 * Random books: every row's ranges, shard after shard, are contiguous
 * and cover its units; a row of at most a quarter of a shard's cost is
 * one shard's, whole; each shard's cost is within a unit, a row's fixed
 * work and a quarter of a shard of W / N (a whole row moves each end by
 * half its cost); and rows priced by more than one shard add at most
 * N - 1 shards in all.
 */
static void
books(void)
{
	static mc_split_cost r[MAXROWS];
	static uint64_t lo[12][MAXROWS], hi[12][MAXROWS];
	uint64_t x = 42, n, i, w, maxu, maxf;
	double total, mine, slack;
	int nr, k, trial, bad = 0, uneven = 0, extra;

	for (trial = 0; trial < 300; trial++) {
		nr = 1 + (int)(next(&x) % MAXROWS);
		total = 0;
		maxu = maxf = 0;
		for (k = 0; k < nr; k++) {
			r[k].units = next(&x) % 9;
			r[k].unit = 1 + next(&x) % 1000;
			/* A row without paths has no fixed work either. */
			r[k].fixed = next(&x) % 3 || r[k].units == 0 ? 0 :
			    next(&x) % 20000;
			total += r[k].fixed + (double)r[k].units * r[k].unit;
			maxu = r[k].unit > maxu ? r[k].unit : maxu;
			maxf = r[k].fixed > maxf ? r[k].fixed : maxf;
		}
		n = 1 + next(&x) % 11;
		for (i = 0; i < n; i++)
			cut(r, nr, i, n, lo[i], hi[i]);
		extra = 0;
		for (k = 0; k < nr; k++) {
			int touch = 0;
			bad += lo[0][k] != 0 || hi[n - 1][k] != r[k].units;
			for (i = 0; i < n; i++) {
				bad += lo[i][k] > hi[i][k];
				bad += i > 0 && lo[i][k] != hi[i - 1][k];
				touch += lo[i][k] < hi[i][k];
			}
			extra += touch > 1 ? touch - 1 : 0;
			bad += touch > 1 && (r[k].fixed + (double)r[k].units *
			    r[k].unit) * 4 * (double)n <= total;
		}
		bad += extra > (int)n - 1;
		for (i = 0; i < n; i++) {
			mine = 0;
			for (k = 0; k < nr; k++) {
				w = hi[i][k] - lo[i][k];
				mine += w ? r[k].fixed + (double)w * r[k].unit : 0;
			}
			slack = maxu + maxf + total / (4.0 * (double)n);
			uneven += mine > total / (double)n + slack ||
			    mine < total / (double)n - slack;
		}
	}
	CHECK(bad == 0);
	CHECK(uneven == 0);
}

/* A row past the first reading's end is the last shard's, whole. */
static void
past_end(void)
{
	mc_split_cost c = { 5, 10, 0 };
	uint64_t lo, hi;
	mc_split s;

	mc_split_init(&s, 0, 2);
	mc_split_add(&s, &c);
	mc_split_next(&s, &c, &lo, &hi);
	CHECK(lo == 0 && hi == 2);
	mc_split_next(&s, &c, &lo, &hi);
	CHECK(lo == 5 && hi == 5);
	mc_split_init(&s, 1, 2);
	mc_split_add(&s, &c);
	mc_split_next(&s, &c, &lo, &hi);
	CHECK(lo == 2 && hi == 5);
	mc_split_next(&s, &c, &lo, &hi);
	CHECK(lo == 0 && hi == 5);
}

/* The largest counts and costs, and 2^64 - 1 shards, still cut. */
static void
extremes(void)
{
	mc_split_cost r[3] = {
		{ UINT64_MAX, UINT64_MAX, UINT64_MAX },
		{ 0, 0, 5 },
		{ UINT64_MAX / 3, 1, 0 },
	};
	uint64_t ns[3] = { 1, 3, UINT64_MAX }, lo[3][3], hi[3][3];
	uint64_t is[3], i;
	int a, b, k, bad = 0;

	for (a = 0; a < 3; a++) {
		is[0] = 0;
		is[1] = ns[a] / 2;
		is[2] = ns[a] - 1;
		for (b = 0; b < 3; b++) {
			i = is[b];
			cut(r, 3, i, ns[a], lo[b], hi[b]);
			for (k = 0; k < 3; k++)
				bad += lo[b][k] > hi[b][k] ||
				    hi[b][k] > r[k].units;
		}
		for (k = 0; k < 3; k++)
			bad += lo[0][k] != 0 || hi[2][k] != r[k].units;
	}
	CHECK(bad == 0);
}

int
main(void)
{
	one_row();
	books();
	past_end();
	extremes();
	return unit_done("split");
}
