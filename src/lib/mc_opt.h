/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_opt: the values of options: counts, seeds, shards, threads, levels,
 * ranges, PARAM=VALUE words.
 *
 * Each function parses one value, checks its range, and on failure
 * returns EX_USAGE with "what was expected, got \"x\"".  The messages
 * speak of the value only: the caller (mc_cli, or a program) puts the
 * option's name in front.
 */
#ifndef MC_OPT_H
#define MC_OPT_H

#include <stdint.h>

#include "mc_err.h"

/* A count of 1 or more, as digits or 1e6 forms (-n COUNT). */
int mc_opt_count(const char *arg, uint64_t *out, mc_err *err);

/* A 64-bit unsigned integer: digits, 0x hex or 1e6 forms (-s SEED). */
int mc_opt_seed(const char *arg, uint64_t *out, mc_err *err);

/* I/N with 0 <= I < N, N >= 1 (--shard I/N). */
int mc_opt_shard(const char *arg, uint64_t *i, uint64_t *n, mc_err *err);

/* A number of threads, 1 to 1024 (-j N). */
int mc_opt_threads(const char *arg, unsigned *out, mc_err *err);

/*
 * A confidence level strictly between 0 and 1 whose two-sided quantile
 * mc_acc_estimate can compute (--level L): finite for the normal law and
 * for Student's t at every number of degrees of freedom.
 */
int mc_opt_level(const char *arg, double *out, mc_err *err);

/*
 * A finite real number in [lo, hi]; lo_open/hi_open make that end open.
 * Messages name the range: "expected a number > 0, got \"x\"".
 */
int mc_opt_real(const char *arg, double lo, int lo_open, double hi,
    int hi_open, double *out, mc_err *err);

/*
 * A field separator: one ASCII character that cannot be part of a number
 * or a quoted field (not a letter, digit, '.', '+', '-', '"', CR or LF),
 * or the word "tab" (or "\t") for a tab.
 */
int mc_opt_sep(const char *arg, char *out, mc_err *err);

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

#endif
