/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_dist: the distributions mcgen draws from, in one table.
 *
 * Each entry has a name, its parameters (names, defaults, ranges), a
 * sampler on a gsl_rng, the inverse CDF where one exists (for --qmc
 * sobol), the CDF of each column (for the tests), and its mean and
 * variance as formulas (for mcgen(1) and the tests, which evaluate them).
 *
 * Parameter names are R's: base R's where it has the distribution
 * (rgamma's shape and scale or rate, rbinom's size and prob, rhyper's m, n
 * and k), otherwise the R package's named in mcgen(1), with words rather
 * than Greek letters (location and scale).  Three names are older than
 * this rule and stay: uniform a and b, beta a and b, poisson mean.
 *
 * A row is dim numbers.  Scalar distributions draw dim independent
 * variates; vector distributions (mvnormal, mvt, multinomial, dirichlet,
 * sphere) draw one vector of dim coordinates.  Draws use only the gsl_rng
 * they are given, so a row drawn from Philox stream i depends on (seed, i)
 * alone.
 */
#ifndef MC_DIST_H
#define MC_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "mc_err.h"

#define MC_DIST_MAXPARAM 12	/* parameters of a type, with the NULL end */
#define MC_DIST_MAXDIM 100000	/* columns of a vector distribution */

/*
 * Counts stay below 2^53, where a double still holds every whole number,
 * with all but a negligible probability: whole-number parameters stop at
 * 2^53, and the count distributions' means at MC_DIST_MAXMEAN.
 */
#define MC_DIST_WHOLE_MAX 9007199254740992.0	/* 2^53 */
#define MC_DIST_MAXMEAN 1e15

/* A parameter's kind. */
enum {
	MC_PARAM_REAL,		/* a number */
	MC_PARAM_WHOLE,		/* a whole number */
	MC_PARAM_LIST,		/* numbers split by ',' (weights, alpha) */
	MC_PARAM_RECIP		/* 1/x of the parameter before it: give one */
};

/* A PARAM=VALUE word: its default (NAN: required) and range. */
typedef struct mc_dist_param {
	const char *name;
	double def, lo, hi;
	unsigned char lo_open, hi_open, kind;
} mc_dist_param;

/* Flags of a type. */
enum {
	MC_DIST_WHOLE = 1,	/* draws are whole numbers */
	MC_DIST_VECTOR = 2,	/* a row is one draw of dim coordinates */
	MC_DIST_CORR = 4,	/* takes a correlation matrix or rho= */
	MC_DIST_LISTDIM = 8,	/* dim is the length of its list parameter */
	MC_DIST_PATH = 16	/* a path model: parameters only, no sampler */
};

typedef struct mc_dist mc_dist;

/*
 * A table entry.  draw gives one variate (for a vector type, one
 * coordinate before finish); row, when set, draws a whole row instead;
 * finish turns coordinates drawn one by one into the row (mvnormal's
 * Cholesky factor).  quantile is NULL where there is no inverse CDF;
 * cdf(d, k, x) is column k's marginal CDF, NAN where none is known or
 * GSL's is not accurate (counts beyond about 1e6 to 1e7).
 * check tests the parameters against each other and prepares what the
 * sampler needs.  mean and var are formulas in the parameters' names
 * (NULL: none exists), as mcgen(1) shows them: + - * / ^, exp log sqrt
 * gamma erfc dnorm pnorm, pi, euler (Euler's constant), d (columns),
 * k (the column), X_k and X_0 (list X's k-th number and its sum), p_k =
 * X_k / X_0, sum(f) over k, and in var, mean; "f if c" holds where c does.
 */
typedef struct mc_dist_type {
	const char *name, *alias;
	unsigned flags;
	mc_dist_param p[MC_DIST_MAXPARAM];
	const char *mean, *var;
	double (*draw)(const mc_dist *d, gsl_rng *r);
	void (*row)(const mc_dist *d, gsl_rng *r, double *x);
	void (*finish)(const mc_dist *d, double *x);
	double (*quantile)(const mc_dist *d, double u);
	double (*cdf)(const mc_dist *d, unsigned col, double x);
	int (*check)(mc_dist *d, mc_err *err);
} mc_dist_type;

/* The table, in the order mcgen(1) lists it. */
extern const mc_dist_type mc_dist_types[];
extern const size_t mc_dist_ntypes;

/* The entry named name (or its alias), or NULL. */
const mc_dist_type *mc_dist_find(const char *name);

/* Writes the table's names, comma-separated, into buf. */
void mc_dist_names(char *buf, size_t size);

/*
 * Parses the PARAM=VALUE words that follow type's name: every parameter
 * once, in its range, defaults for the rest.  Any type with parameters
 * will do, path models too.  Returns the distribution with one column,
 * or NULL and sets err (EX_USAGE for bad words, EX_OSERR).
 */
mc_dist *mc_dist_alloc(const mc_dist_type *type, char *const *words,
    int nwords, mc_err *err);

/* Frees d; NULL is fine. */
void mc_dist_free(mc_dist *d);

/*
 * Sets the number of columns, and for a type that takes one
 * (MC_DIST_CORR), the correlation matrix c (dim x dim, row-major; NULL:
 * rho= if given, or none).  Must be called once before drawing, also
 * with dim 1.  Returns 0, or EX_USAGE: dim other than the list's length
 * for multinomial and dirichlet, c given to a type that takes none or
 * with rho=, c not positive definite ("not a correlation matrix (not
 * positive definite)"), rho= impossible for dim columns; or EX_OSERR.
 */
int mc_dist_set_dim(mc_dist *d, unsigned dim, const double *c, mc_err *err);

/* The type d was made from. */
const mc_dist_type *mc_dist_typeof(const mc_dist *d);

/* The number of columns. */
unsigned mc_dist_dim(const mc_dist *d);

/*
 * The number of columns d's parameters fix (the length of a list for
 * multinomial and dirichlet), or 0 when any number will do.
 */
unsigned mc_dist_fixed_dim(const mc_dist *d);

/* The value of parameter name (a list's length), NAN if d has none. */
double mc_dist_get(const mc_dist *d, const char *name);

/* Whether parameter name was given rather than defaulted. */
int mc_dist_given(const mc_dist *d, const char *name);

/* The list parameter's numbers (sum-normalised weights), and how many. */
const double *mc_dist_list(const mc_dist *d, size_t *n);

/*
 * Draws one row of dim numbers into x from r's current position.  Not for
 * path models, which have no sampler here.
 */
void mc_dist_row(const mc_dist *d, gsl_rng *r, double *x);

/* 1 if rows can be drawn by mc_dist_qrow (an inverse CDF exists). */
int mc_dist_has_quantile(const mc_dist *d);

/*
 * One row by the inverse CDF: coordinate k from u[k * stride], a point
 * in (0, 1).
 */
void mc_dist_qrow(const mc_dist *d, const double *u, size_t stride,
    double *x);

/*
 * Column col's marginal CDF at x, from GSL's CDFs or closed forms; NAN
 * where none is known (stable, landau, vonmises) or GSL's is not accurate
 * (poisson mean above 1e6, binomial size above 1e7, ...).
 */
double mc_dist_cdf(const mc_dist *d, unsigned col, double x);

#endif
