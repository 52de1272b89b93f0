/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_opt: the options every program shares.
 *
 * Each function parses one option argument, checks its range, and on
 * failure returns EX_USAGE with "--opt: what was expected, got \"x\"".
 */
#ifndef MC_OPT_H
#define MC_OPT_H

#include <stdint.h>

#include "mc_err.h"

/* -n COUNT: a count of 1 or more, as digits or 1e6 forms. */
int mc_opt_count(const char *opt, const char *arg, uint64_t *out,
    mc_err *err);

/* -s SEED: a 64-bit unsigned integer (digits, 0x hex or 1e6 forms). */
int mc_opt_seed(const char *arg, uint64_t *out, mc_err *err);

/* --shard I/N: 0 <= I < N, N >= 1. */
int mc_opt_shard(const char *arg, uint64_t *i, uint64_t *n, mc_err *err);

/* -j N: threads, 1 to 1024. */
int mc_opt_threads(const char *arg, unsigned *out, mc_err *err);

/* --level L: a confidence level strictly between 0 and 1. */
int mc_opt_level(const char *arg, double *out, mc_err *err);

/*
 * A real number for option opt, in [lo, hi]; lo_open/hi_open make that end
 * open.  Messages name the range: "--vol: expected a number > 0, got ...".
 */
int mc_opt_real(const char *opt, const char *arg, double lo, int lo_open,
    double hi, int hi_open, double *out, mc_err *err);

/*
 * The index range [*lo, *hi) of shard i of nshards over n indices.  Shards
 * are contiguous and split at multiples of MC_BLOCK, so that they draw
 * whole blocks; some may be empty when there are fewer blocks than shards.
 */
void mc_shard_range(uint64_t n, uint64_t i, uint64_t nshards, uint64_t *lo,
    uint64_t *hi);

/*
 * A PARAM=VALUE word, as in "mcgen normal mean=0 sd=1".  Splits word at
 * '=' into the name (copied into name, size bytes) and a number.  Returns
 * 0, or EX_USAGE for a word without '=' or a value that is not a number.
 */
int mc_opt_param(const char *word, char *name, size_t size, double *value,
    mc_err *err);

/*
 * Builds the message for an option getopt_long refused (opterr = 0 and
 * an optstring starting with ':'): c is what getopt_long returned ('?' or
 * ':'), argv and optind as it left them.  Returns EX_USAGE.
 */
int mc_opt_bad(int c, char *const argv[], int optind, int optopt,
    const char *prog, mc_err *err);

#endif
