/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_prov: where a partial row comes from, and whether a set of partial
 * rows is the whole of one job.
 *
 * Every partial row (mcpi, mcstat and mcprice with --partial) ends with
 * the three columns of MC_PROV_COLS:
 *   mc_seed   the seed of the random numbers, in decimal; empty when the
 *             numbers come from data (mcstat, mcpi --points);
 *   mc_shard  "I/N": shard I of N of the path or point indices; for data,
 *             "data:" and 16 hex digits of a digest of the rows read;
 *   mc_job    the job: 16 lowercase hex digits of a 64-bit FNV-1a hash of
 *             the program's name and every option and contract field that
 *             changes the numbers, as "key=value\n" lines; never the seed
 *             or the shard (they have their columns), nor what changes
 *             only the speed or the printing (-j, --level).
 * mc_job comes last and has a fixed length, so a line cut short anywhere
 * is refused rather than read as a smaller number.
 *
 * A merge keeps one mc_prov_set for each group of rows that it adds up,
 * and refuses, naming the shards: rows of different jobs or seeds, shards
 * of different counts N, a shard given twice, a set with a shard missing.
 */
#ifndef MC_PROV_H
#define MC_PROV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_csv.h"
#include "mc_err.h"

#define MC_PROV_COLS "mc_seed,mc_shard,mc_job"

/* The start of every FNV-1a hash. */
#define MC_PROV_FNV0 UINT64_C(0xcbf29ce484222325)

typedef struct mc_prov {
	uint64_t job;		/* the fingerprint */
	int seeded;		/* 0: no seed, the numbers are data */
	uint64_t seed;
	int data;		/* 1: the shard is a digest of data rows */
	uint64_t shard, nshards;	/* I/N, when not data */
	uint64_t digest;	/* when data */
} mc_prov;

/* Returns hash h continued over the len bytes at p (FNV-1a). */
uint64_t mc_prov_hash(uint64_t h, const void *p, size_t len);

/* Returns h continued over the line "key=value\n". */
uint64_t mc_prov_add(uint64_t h, const char *key, const char *value);

/* Returns h continued over "key=V\n", V the decimal form of v. */
uint64_t mc_prov_addu(uint64_t h, const char *key, uint64_t v);

/*
 * Returns h continued over one data field of len bytes, its length first,
 * so that fields "ab","c" and "a","bc" give different digests.
 */
uint64_t mc_prov_field(uint64_t h, const char *s, size_t len);

/* Writes the three fields through w (seed empty when not seeded). */
void mc_prov_write(mc_csv_out *w, const mc_prov *p);

/*
 * Reads the three fields into p.  Returns 0, or EX_DATAERR with *col set
 * to "mc_seed", "mc_shard" or "mc_job" and err->msg to what is wrong with
 * it ("expected ..., got \"x\""), for the caller to place.
 */
int mc_prov_parse(mc_prov *p, const char *seed, const char *shard,
    const char *job, const char **col, mc_err *err);

/* Writes p's shard into buf ("2/8" or "data:..."); returns buf.  size must
 * be at least 64. */
const char *mc_prov_shard_name(char *buf, size_t size, const mc_prov *p);

/* One row seen by a set: its shard and its place. */
struct mc_prov_seen {
	uint64_t id;		/* shard I, or the digest */
	size_t seq;		/* order of arrival */
	const char *file;	/* the caller's, kept as given */
	unsigned long line;
};

/* The shards of one group of rows being merged. */
typedef struct mc_prov_set {
	mc_prov first;		/* the first row's provenance */
	const char *file0;	/* and its place */
	unsigned long line0;
	struct mc_prov_seen *seen;
	size_t n, cap;
} mc_prov_set;

/* Sets s to the empty set. */
void mc_prov_set_init(mc_prov_set *s);

/* Frees what s holds; s itself is the caller's. */
void mc_prov_set_free(mc_prov_set *s);

/*
 * Adds a row of provenance p, read at file:line (file must live as long
 * as s).  Returns 0, EX_OSERR, or EX_DATAERR with a message that names
 * the row and the set's first row when p is of another job, seed or shard
 * count: "FILE:LINE: shard 1/4 has seed 7, but shard 0/4 at FILE:2 has
 * seed 42".
 */
int mc_prov_set_add(mc_prov_set *s, const mc_prov *p, const char *file,
    unsigned long line, mc_err *err);

/*
 * Checks that the set is whole: no shard twice, and for I/N shards all N
 * of them.  (Shards of data carry no N: only repeats can be found.)
 * Returns 0 or EX_DATAERR with "FILE:LINE: shard 1/4 given twice (also at
 * FILE:3)" or "FILE:LINE: shard 2/4 is missing (the set of this row has 3
 * of 4)".  Sorts the rows seen.
 */
int mc_prov_set_check(mc_prov_set *s, mc_err *err);

#endif
