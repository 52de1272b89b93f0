/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_contract: one option contract, read from a book row or from options.
 *
 * The fields are named as in DESIGN.md's book (type, style, spot, ...).
 * A contract is parsed through a getter that returns a field by number (NULL
 * or "" when it is absent), so a CSV row and a program's long options go
 * through the same checks and give the same messages.
 */
#ifndef MC_CONTRACT_H
#define MC_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "mc_path.h"

/* The most assets a basket may hold: its correlation factor is n * n
 * doubles (128 MiB at the limit), and its decomposition O(n^3). */
#define MC_CONTRACT_MAX_ASSETS 4096

/* The most exercise dates of an american or bermudan: an exercise rule is
 * fitted on at least 4096 calibration paths at each date, in at most
 * 2^24 values (mc_lsm), half as many dates under heston, which keeps the
 * variance too.  The default grid of an american stops there. */
#define MC_CONTRACT_MAX_DATES 4096

/* The most jumps a step of a continuously monitored merton grid may
 * expect: its bridge places each jump, at most MC_PAYOFF_JUMPS_MAX of
 * them, and more than 64 come once in 4e19 steps at 16.  The default
 * grid expects at most 4. */
#define MC_CONTRACT_JUMPS_STEP 16

enum mc_style {
	MC_EUROPEAN, MC_DIGITAL, MC_ASIAN, MC_BARRIER, MC_LOOKBACK,
	MC_AMERICAN, MC_BERMUDAN, MC_BASKET
};

typedef struct mc_contract {
	int put;		/* 0 call, 1 put */
	int style;		/* enum mc_style */
	mc_model_params m;	/* model, spot, rate, dividend, vol, T, ... */
	double strike;
	int geometric;		/* asian: geometric average */
	unsigned fixings;	/* dates T/n .. T; 0: continuous monitoring */
	double barrier, rebate;
	int down, out;		/* barrier_type */
	int floating;		/* lookback: floating strike */
	double payout;		/* digital */
	unsigned nassets;	/* basket */
	double *spots, *vols, *weights, *chol;	/* chol: lower, row-major */
	double smul, vadd;	/* basket bumps: spots times smul, vols + vadd */
	unsigned steps;		/* time steps of the path grid */
	uint64_t paths;		/* 0: the command line's count */
	int has_seed;		/* the row's own seed, over the command line's */
	uint64_t seed;
} mc_contract;


/*
 * The contract fields, in book order: each is a book column and a long
 * option of the same name.  X(name) is applied to each, so the count and
 * the names come from this one list.
 */
#define MC_CONTRACT_FIELD_LIST(X) \
	X(type) X(style) X(model) X(spot) X(strike) X(maturity) X(rate) \
	X(dividend) X(vol) X(v0) X(kappa) X(vbar) X(xi) X(rho_sv) \
	X(lambda) X(jump_mean) X(jump_vol) X(average) X(fixings) \
	X(barrier) X(barrier_type) X(rebate) X(strike_type) X(payout) \
	X(spots) X(vols) X(weights) X(correlation) X(steps) X(paths)

#define MC_CONTRACT_ONE_(name) + 1
enum { MC_CONTRACT_NFIELDS = 0 MC_CONTRACT_FIELD_LIST(MC_CONTRACT_ONE_) };

/* Their names, NULL-terminated. */
extern const char *const mc_contract_fields[MC_CONTRACT_NFIELDS + 1];

/*
 * Their numbers, MC_FIELD_type to MC_FIELD_paths in list order, and then
 * MC_FIELD_seed: the book column "seed", a row's own seed (not a field
 * above, since the command line's -s is the option).
 */
#define MC_CONTRACT_ID_(name) MC_FIELD_##name,
enum mc_contract_field {
	MC_CONTRACT_FIELD_LIST(MC_CONTRACT_ID_) MC_FIELD_seed
};

/* Returns the name of field number f, MC_FIELD_seed's included. */
const char *mc_contract_field_name(int f);

/* Returns the number of the field named name, or -1 for no field. */
int mc_contract_field_id(const char *name);

/*
 * Returns field number f of the row (an enum mc_contract_field), or NULL;
 * an empty value is absent too.  Looked up by number, so that a book's
 * reader can index its columns once for every row.
 */
typedef const char *(*mc_contract_get)(void *ctx, int f);

/*
 * Parses and checks a contract, and the book column "seed" (a row's own
 * seed; not a field above, since the command line's -s is the option).
 * Returns 0, or EX_DATAERR with *col set to the offending field's name and
 * err->msg to what is wrong with it ("expected a number > 0, got \"-1\""),
 * for the caller to place with mc_contract_message.  EX_OSERR when out of
 * memory.  Free with mc_contract_free either way.
 */
int mc_contract_parse(mc_contract *c, mc_contract_get get, void *ctx,
    const char **col, mc_err *err);

/*
 * Writes the message of a failed mc_contract_parse into buf (size bytes):
 * "column 'vol': expected a number > 0, got \"0\"", or "column 'vbar'
 * (long-run variance) is required for model heston"; with opt, "--vol"
 * stands for "column 'vol'".  Returns buf.
 */
const char *mc_contract_message(char *buf, size_t size, const char *col,
    const char *msg, int opt);

/*
 * The first field of c whose value looks like a percentage typed where a
 * fraction is meant (vol 20 for 20%, rate 5 for 5%): a vol, a basket's
 * vol or a jump vol above 5, a rate or dividend above 1 in size.  Returns
 * the field's name with *x set to the value, or NULL when none looks so.
 * Such values are legal (a vol of 600% exists), so this is for a warning.
 */
const char *mc_contract_suspect(const mc_contract *c, double *x);

/* Whether c is monitored continuously: a barrier or lookback without
 * fixings, bridged between the grid's dates. */
int mc_contract_continuous(const mc_contract *c);

/* Frees the basket lists; c itself is the caller's. */
void mc_contract_free(mc_contract *c);

/* Copies src into dst with lists of its own.  Returns 0 or EX_OSERR. */
int mc_contract_copy(mc_contract *dst, const mc_contract *src);

/*
 * The reference value (closed form or Fourier integral) where one exists
 * for the contract; NaN when none does.  Returns 0 or an error status.
 */
int mc_contract_ref(const mc_contract *c, double *ref, mc_err *err);

#endif
