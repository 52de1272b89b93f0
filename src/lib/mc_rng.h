/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_rng: counter-based random streams.
 *
 * The default generator is Philox4x32-10 (mc_philox).  Path, row or
 * point i draws from its own Philox stream, whose key and counter
 * mc_stream gives: the numbers of index i depend on (seed, i) only, so
 * any split into shards or threads draws the same numbers.
 *
 * Philox is also a gsl_rng_type, so every gsl_ran_* distribution runs on
 * it.  GSL's own generators (mt19937, ranlxd2, taus2, ...) are offered too;
 * they are reseeded at the start of every block of MC_BLOCK indices from
 * (seed, block), so block-aligned shards and threads agree with each
 * other, but their blocks are not provably independent streams.
 */
#ifndef MC_RNG_H
#define MC_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "mc_err.h"
#include "mc_isa.h"
#include "mc_philox.h"

/* Indices come in blocks of this many; shards and threads split by block. */
#define MC_BLOCK 4096

/* The documented default seed. */
#define MC_SEED_DEFAULT 1

/* Philox4x32-10 as a GSL generator type, named "philox". */
extern const gsl_rng_type *mc_rng_philox;

typedef struct mc_rng mc_rng;

/* The default generator's name, which --rng and provenance rows use. */
#define MC_RNG_DEFAULT "philox"

/*
 * The generator that name stands for: name itself, or MC_RNG_DEFAULT when
 * it is NULL (no --rng).
 */
const char *mc_rng_name(const char *name);

/*
 * A GSL generator's name, or NULL when name is NULL or the default:
 * those take the Philox kernels of their own modules.
 */
const char *mc_rng_gsl_name(const char *name);

/*
 * Allocates generator name ("philox", or any name in gsl_rng_types) with
 * the given seed, positioned at index 0.  Returns NULL and sets err
 * (EX_USAGE for an unknown name, with a message about the name, which a
 * program puts after its option's; EX_OSERR when out of memory).
 */
mc_rng *mc_rng_alloc(const char *name, uint64_t seed, mc_err *err);

/* Frees r; NULL is fine. */
void mc_rng_free(mc_rng *r);

/*
 * Moves to the start of index's stream.  For Philox any index may be
 * visited in any order.  GSL's generators are reseeded when index is a
 * multiple of MC_BLOCK and otherwise go on where they are, so they must
 * visit the indices of a block in order from its start.
 */
void mc_rng_seek(mc_rng *r, uint64_t index);

/* The gsl_rng to draw from, for gsl_rng_uniform and gsl_ran_*. */
gsl_rng *mc_rng_gsl(mc_rng *r);

/* 1 if the generator is Philox, whose streams depend on the index only. */
int mc_rng_is_philox(const mc_rng *r);

/* Writes the names of the available generators, comma-separated. */
void mc_rng_list(char *buf, size_t size);

#endif
