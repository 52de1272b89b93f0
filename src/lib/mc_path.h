/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_path: price paths of the one-asset models, a block of paths at a time.
 *
 * OWNER: the mcprice work (issue 3) implements this; mcgen's path mode
 * (gbm, heston, merton) calls it.  The interface below is the contract
 * between the two; extend it, but keep what is here.
 *
 * Paths are laid out step-major (structure of arrays): S[k * count + j] is
 * path first + j at date t_k = k T / steps, k = 0 .. steps, S[0 * count + j]
 * being the spot.  Loops over j then run over contiguous memory and
 * vectorise.  Path i draws from the random stream of index i only (Philox
 * counter (seed, i)), so any split of the paths into blocks, threads and
 * shards gives the same paths.
 */
#ifndef MC_PATH_H
#define MC_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

enum mc_model { MC_MODEL_GBM, MC_MODEL_HESTON, MC_MODEL_MERTON };

typedef struct mc_model_params {
	int model;				/* enum mc_model */
	double spot, rate, dividend, vol, maturity;
	double v0, kappa, theta, xi, rho;	/* Heston */
	double lambda, jump_mean, jump_vol;	/* Merton */
} mc_model_params;

typedef struct mc_path_opts {
	unsigned steps;		/* dates after 0; 1 or more */
	uint64_t seed;
	const char *rng;	/* "philox" (NULL means it) or a GSL name */
	int qmc;		/* 1: randomised Sobol, Brownian bridge */
	uint64_t qmc_points;	/* Sobol points a replicate; 0: MC_BLOCK */
	int qmc_rotate;		/* rotated replicates (mc_qmc_opts) */
	int antithetic;		/* paths 2m and 2m + 1 take opposite normals */
	int stream;		/* MC_STREAM_PATH (0) or MC_STREAM_CAL */
	int general;		/* 1: never a fast path nor terminal row
				 * alone (tests compare) */
	int jumps;		/* Merton: 1 keeps each step's jumps
				 * (mc_path_jumps) */
} mc_path_opts;

typedef struct mc_path_gen mc_path_gen;

/*
 * Checks the model parameters that m->model uses.  Returns NULL when they
 * are fine, or the name of the first bad one ("vol", "rho", ...) and sets
 * *why to what was expected ("expected a number > 0"), so that a program
 * can put the name in its own message ("FILE:LINE: column 'vol': ...").
 */
const char *mc_path_check(const mc_model_params *m, const char **why);

/*
 * The number of uniforms a path of m's model and steps dates draws: the
 * dimension of the Sobol points for --qmc sobol.
 */
unsigned mc_path_dim(int model, unsigned steps);

/*
 * Checks the parameters (EX_USAGE or EX_DATAERR with a message naming the
 * bad one: "vol: expected a number > 0") and allocates a generator.
 * Returns NULL on failure.  A generator is used by one thread at a time.
 */
mc_path_gen *mc_path_alloc(const mc_model_params *m, const mc_path_opts *o,
    mc_err *err);

/* Frees g; NULL is fine. */
void mc_path_free(mc_path_gen *g);

/*
 * A Merton generator made with o->jumps: the jumps of the last block it
 * made, step-major like its prices (row k is the step from date k to
 * k + 1): returns each step's count of jumps, and sets *sums to their
 * sum of log jumps (what the step added to the log price beyond the
 * diffusion).  NULL, both, for any other generator.
 */
const double *mc_path_jumps(const mc_path_gen *g, const double **sums);

/*
 * The paths in a piece of a block whose step-major arrays of rows dates
 * take about 256 KiB each, so that they stay in cache: a multiple of 16
 * paths (whole SIMD vectors, even for antithetic pairs), at most MC_BLOCK.
 */
size_t mc_path_sub_block(size_t rows);

/*
 * Simulates paths first .. first + count - 1 (count <= MC_BLOCK) into S
 * ((steps + 1) * count doubles, laid out as above) and, when var is not
 * NULL, the Heston variance beside it (the same layout; the constant vol^2
 * for the other models).  With a GSL generator, first must start a block
 * or follow the previous call's last path.  Returns 0 or an error status.
 */
int mc_path_block(mc_path_gen *g, uint64_t first, size_t count, double *S,
    double *var, mc_err *err);

/*
 * Writes the prices at maturity of paths first .. first + count - 1
 * (count <= MC_BLOCK) into ST, count doubles: bit for bit the last row
 * of mc_path_block's S, by the same rules.  A GBM of one step under
 * Philox without --qmc takes a fast path (unless o->general) that goes
 * from Philox words to normals to prices in one array, without the
 * date-0 row and the log prices; otherwise the paths are stepped as by
 * mc_path_block, but only the last date's log prices become prices
 * (o->general: mc_path_block's whole paths, which tests compare).  The
 * draws of a call serve no mc_path_block_again.  Returns 0 or an
 * error status (EX_OSERR when out of memory).
 */
int mc_path_terminal(mc_path_gen *g, uint64_t first, size_t count,
    double *ST, mc_err *err);

/*
 * Fills Z (steps * count doubles, Z[k * count + j]) with the independent
 * standard normals that paths first .. first + count - 1 would use for
 * their price increments, without the Brownian bridge: the draws of a
 * GBM generator of steps "dates" serve as steps correlated assets at one
 * date (mcprice's basket).  Same rules as mc_path_block.
 */
int mc_path_normals(mc_path_gen *g, uint64_t first, size_t count, double *Z,
    mc_err *err);

/*
 * Like mc_path_block, but for the paths src has just made (its last
 * mc_path_block call, the same first and count): g takes src's random
 * numbers instead of drawing them, so bumped models share the draws
 * (common random numbers) at the cost of the time stepping only.  g and
 * src must have the same model and steps.  Returns 0 or EX_SOFTWARE.
 */
int mc_path_block_again(mc_path_gen *g, const mc_path_gen *src,
    size_t count, double *S, double *var, mc_err *err);

/*
 * mc_path_block and mc_path_block_again, which also write the log prices
 * behind S into L when L is not NULL: steps * count doubles, L[(k - 1)
 * count + j] for date k = 1 .. steps, the numbers whose mc_vexp gives S
 * bit for bit, so that a payoff of log prices (a geometric average)
 * takes them exactly, without a log.  L NULL is mc_path_block.
 */
int mc_path_block_log(mc_path_gen *g, uint64_t first, size_t count,
    double *S, double *L, double *var, mc_err *err);
int mc_path_block_again_log(mc_path_gen *g, const mc_path_gen *src,
    size_t count, double *S, double *L, double *var, mc_err *err);

#endif
