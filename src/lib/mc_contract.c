/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_contract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "mc_bs.h"
#include "mc_fmt.h"

#define NAME_(name) #name,
const char *const mc_contract_fields[MC_CONTRACT_NFIELDS + 1] = {
	MC_CONTRACT_FIELD_LIST(NAME_) NULL
};

const char *
mc_contract_field_name(int f)
{
	return f == MC_FIELD_seed ? "seed" : mc_contract_fields[f];
}

int
mc_contract_field_id(const char *name)
{
	int f;

	for (f = 0; f < MC_CONTRACT_NFIELDS; f++)
		if (strcmp(mc_contract_fields[f], name) == 0)
			return f;
	return strcmp(name, "seed") == 0 ? MC_FIELD_seed : -1;
}

static const char *const styles[] = {
	"european", "digital", "asian", "barrier", "lookback", "american",
	"bermudan", "basket", NULL
};

struct ctx {
	mc_contract_get get;
	void *ctx;
	const char **col;
	mc_err *err;
};

/* Field f of the row, or NULL when it is absent or empty. */
static const char *
field(struct ctx *x, int f)
{
	const char *s = x->get(x->ctx, f);

	return s != NULL && *s != '\0' ? s : NULL;
}

/* Sets the error: column name, then "WHY, got \"VALUE\"". */
static int
bad(struct ctx *x, int f, const char *why, const char *value)
{
	char q[80];

	*x->col = mc_contract_field_name(f);
	if (value == NULL)
		return mc_err_set(x->err, EX_DATAERR, "%s", why);
	return mc_err_set(x->err, EX_DATAERR, "%s, got %s", why,
	    mc_err_quote(q, sizeof(q), value));
}

/* bad() with the field's own value. */
static int
bad_value(struct ctx *x, int f, const char *why)
{
	return bad(x, f, why, field(x, f));
}

static int
missing(struct ctx *x, int f)
{
	return bad(x, f, "required, but missing or empty", NULL);
}

/* A number; def is used when the field is absent, unless required. */
static int
num(struct ctx *x, int f, int required, double def, double *out)
{
	const char *s = field(x, f), *why;

	if (s == NULL) {
		if (required)
			return missing(x, f);
		*out = def;
		return 0;
	}
	if ((why = mc_parse_double(s, out)) != NULL)
		return bad(x, f, why, s);
	if (!isfinite(*out))
		return bad(x, f, "expected a finite number", s);
	return 0;
}

static int
positive(struct ctx *x, int f, int required, double def, double *out)
{
	int st = num(x, f, required, def, out);

	if (st == 0 && !(*out > 0))
		return bad_value(x, f, "expected a number > 0");
	return st;
}

static int
count(struct ctx *x, int f, unsigned max, uint64_t *out)
{
	const char *s = field(x, f), *why;

	*out = 0;
	if (s == NULL)
		return 0;
	if ((why = mc_parse_count(s, out)) != NULL)
		return bad(x, f, "expected a count >= 1", s);
	if (*out < 1 || (max > 0 && *out > max))
		return bad(x, f, max > 0 ? "expected a count from 1 to "
		    "1000000" : "expected a count >= 1", s);
	return 0;
}

/* The row's own seed, when it has one. */
static int
seed(struct ctx *x, mc_contract *c)
{
	const char *s = field(x, MC_FIELD_seed), *why;

	if (s == NULL)
		return 0;
	if ((why = mc_parse_u64(s, &c->seed)) != NULL)
		return bad(x, MC_FIELD_seed, why, s);
	c->has_seed = 1;
	return 0;
}

/* One of words (NULL-terminated), or def when absent; -1 on error. */
static int
word(struct ctx *x, int f, const char *const *words, int def,
    const char *expect)
{
	const char *s = field(x, f);
	int i;

	if (s == NULL) {
		if (def < 0)
			missing(x, f);
		return def;
	}
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	bad(x, f, expect, s);
	return -1;
}

/* A ';'-separated list of numbers into a new array. */
static int
list(struct ctx *x, int f, double **out, unsigned *n)
{
	const char *s = field(x, f), *p;
	char *buf, *tok, *save;
	unsigned k = 1;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		k += *p == ';';
	if ((buf = strdup(s)) == NULL || (*out = malloc(k * sizeof(**out)))
	    == NULL) {
		free(buf);
		return mc_err_set(x->err, EX_OSERR, "out of memory");
	}
	/* strtok would skip empty items; they are errors here. */
	for (tok = buf, k = 0; tok != NULL; tok = save) {
		const char *why;
		if ((save = strchr(tok, ';')) != NULL)
			*save++ = '\0';
		if ((why = mc_parse_double(tok, *out + k)) != NULL ||
		    !isfinite((*out)[k])) {
			free(buf);
			return bad(x, f, "expected numbers separated by ';'",
			    s);
		}
		k++;
	}
	free(buf);
	*n = k;
	return 0;
}

/*
 * The semi-definite case of factor(): with a = V diag(lambda) V^T, the QR
 * decomposition of B^T, B = V diag(sqrt(lambda)), gives B B^T = R^T R,
 * so L = R^T, its columns signed to make the diagonal >= 0.
 */
static int
factor_psd(double *a, unsigned n, double *lmin)
{
	gsl_matrix_view av = gsl_matrix_view_array(a, n, n);
	gsl_matrix *v = gsl_matrix_alloc(n, n), *bt = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n), *tau = gsl_vector_alloc(n);
	gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
	unsigned i, j, k;
	int st = EX_OSERR;

	if (v == NULL || bt == NULL || ev == NULL || tau == NULL || w == NULL)
		goto out;
	st = EX_SOFTWARE;
	if (gsl_matrix_memcpy(bt, &av.matrix) != 0 ||
	    gsl_eigen_symmv(bt, ev, v, w) != 0)
		goto out;
	*lmin = gsl_vector_min(ev);
	/* The eigenvalues of a correlation matrix lie in [0, n]; a negative
	 * one within rounding of 0 is 0. */
	st = EX_DATAERR;
	if (*lmin < -1e-12 * n)
		goto out;
	for (k = 0; k < n; k++)
		for (i = 0; i < n; i++)
			gsl_matrix_set(bt, k, i, gsl_matrix_get(v, i, k) *
			    sqrt(fmax(gsl_vector_get(ev, k), 0)));
	st = EX_SOFTWARE;
	if (gsl_linalg_QR_decomp(bt, tau) != 0)
		goto out;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			a[i * n + j] = j > i ? 0 : gsl_matrix_get(bt, j, i) *
			    (gsl_matrix_get(bt, j, j) < 0 ? -1 : 1);
	st = 0;
out:
	gsl_matrix_free(v);
	gsl_matrix_free(bt);
	gsl_vector_free(ev);
	gsl_vector_free(tau);
	if (w != NULL)
		gsl_eigen_symmv_free(w);
	return st;
}

/*
 * Replaces the correlation matrix a (n x n, row-major) by a lower
 * triangular L with L L^T = a: Cholesky's when a is positive definite,
 * else factor_psd's when it is positive semi-definite (rho = 1 between
 * two assets, or any matrix of lower rank).  Returns 0, EX_OSERR,
 * EX_SOFTWARE when GSL fails, or EX_DATAERR with *lmin, the smallest
 * eigenvalue, when a is indefinite.
 */
static int
factor(double *a, unsigned n, double *lmin)
{
	gsl_matrix_view av = gsl_matrix_view_array(a, n, n);
	double *copy = malloc((size_t)n * n * sizeof(double));
	unsigned i, j;
	int st;

	if (copy == NULL)
		return EX_OSERR;
	memcpy(copy, a, (size_t)n * n * sizeof(double));
	if (gsl_linalg_cholesky_decomp1(&av.matrix) == 0) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				a[i * n + j] = 0;
		st = 0;
	} else {
		memcpy(a, copy, (size_t)n * n * sizeof(double));
		st = factor_psd(a, n, lmin);
	}
	free(copy);
	return st;
}

/*
 * The basket's correlation matrix (nc values: none, one pairwise, or all
 * n * n) into c->chol as its lower-triangular factor.
 */
static int
correlation(struct ctx *x, mc_contract *c, const double *corr, unsigned nc,
    unsigned n)
{
	char why[96];
	double lmin;
	unsigned i, j;
	int st;

	if (nc != 0 && nc != 1 && nc != n * n) {
		snprintf(why, sizeof(why), "expected 1 or %u values", n * n);
		return bad_value(x, MC_FIELD_correlation, why);
	}
	if ((c->chol = malloc((size_t)n * n * sizeof(double))) == NULL)
		return mc_err_set(x->err, EX_OSERR, "out of memory");
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			c->chol[i * n + j] = i == j ? 1 : nc == 0 ? 0 :
			    nc == 1 ? corr[0] : corr[i * n + j];
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double r = c->chol[i * n + j];
			if (!(r >= -1 && r <= 1) || r != c->chol[j * n + i] ||
			    (i == j && nc > 1 && corr[i * n + j] != 1))
				return bad_value(x, MC_FIELD_correlation,
				    "expected a symmetric matrix of numbers "
				    "from -1 to 1, with 1 on the diagonal");
		}
	if ((st = factor(c->chol, n, &lmin)) == EX_DATAERR) {
		snprintf(why, sizeof(why), "expected a positive semi-definite "
		    "matrix, but its smallest eigenvalue is %.6g", lmin);
		return bad_value(x, MC_FIELD_correlation, why);
	}
	if (st != 0)
		return mc_err_set(x->err, st, "%s", st == EX_OSERR ? "out of "
		    "memory" : "the eigen-decomposition failed");
	return 0;
}

static int
basket(struct ctx *x, mc_contract *c)
{
	unsigned n, nv, nw, nc, i;
	double *corr = NULL;
	int st;

	if ((st = list(x, MC_FIELD_spots, &c->spots, &n)) != 0)
		return st;
	if (n == 0)
		return missing(x, MC_FIELD_spots);
	/* The factor of the correlation and every path hold n * n and n
	 * values; a bound keeps a row's memory to what a basket needs. */
	if (n > MC_CONTRACT_MAX_ASSETS) {
		char why[64];
		snprintf(why, sizeof(why), "expected at most %u assets, got %u",
		    MC_CONTRACT_MAX_ASSETS, n);
		return bad(x, MC_FIELD_spots, why, NULL);
	}
	for (i = 0; i < n; i++)
		if (!(c->spots[i] > 0))
			return bad_value(x, MC_FIELD_spots,
			    "expected numbers > 0");
	if ((st = list(x, MC_FIELD_vols, &c->vols, &nv)) != 0)
		return st;
	if (nv == 0)
		return missing(x, MC_FIELD_vols);
	if ((st = list(x, MC_FIELD_weights, &c->weights, &nw)) != 0)
		return st;
	if ((st = list(x, MC_FIELD_correlation, &corr, &nc)) != 0)
		goto out;
	st = EX_DATAERR;
	if (nv != n) {
		char why[64];
		snprintf(why, sizeof(why), "expected %u values as in spots", n);
		bad_value(x, MC_FIELD_vols, why);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!(c->vols[i] > 0)) {
			bad_value(x, MC_FIELD_vols, "expected numbers > 0");
			goto out;
		}
	if (nw == 0) {
		if ((c->weights = malloc(n * sizeof(double))) == NULL) {
			st = mc_err_set(x->err, EX_OSERR, "out of memory");
			goto out;
		}
		for (i = 0; i < n; i++)
			c->weights[i] = 1.0 / n;
	} else if (nw != n) {
		char why[64];
		snprintf(why, sizeof(why), "expected %u values as in spots", n);
		bad_value(x, MC_FIELD_weights, why);
		goto out;
	}
	if ((st = correlation(x, c, corr, nc, n)) != 0)
		goto out;
	c->nassets = n;
	st = 0;
out:
	free(corr);
	return st;
}

static int
barrier(struct ctx *x, mc_contract *c)
{
	static const char *const types[] = {
		"down-out", "down-in", "up-out", "up-in", NULL
	};
	int t, st;

	if ((st = positive(x, MC_FIELD_barrier, 1, 0, &c->barrier)) != 0)
		return st;
	if ((t = word(x, MC_FIELD_barrier_type, types, -1, "expected down-out, "
	    "down-in, up-out or up-in")) < 0)
		return EX_DATAERR;
	c->down = t < 2;
	c->out = t % 2 == 0;
	if ((st = num(x, MC_FIELD_rebate, 0, 0, &c->rebate)) != 0)
		return st;
	if (c->rebate < 0)
		return bad_value(x, MC_FIELD_rebate, "expected a number >= 0");
	if (c->down && !(c->barrier < c->m.spot))
		return bad_value(x, MC_FIELD_barrier, "expected a level below "
		    "spot for a down barrier");
	if (!c->down && !(c->barrier > c->m.spot))
		return bad_value(x, MC_FIELD_barrier, "expected a level above "
		    "spot for an up barrier");
	return 0;
}

/* A model parameter: required, and its meaning said when missing. */
static int
param(struct ctx *x, int f, const char *meaning, const char *model,
    double *out)
{
	if (field(x, f) == NULL) {
		*x->col = mc_contract_field_name(f);
		return mc_err_set(x->err, EX_DATAERR, "(%s) is required for "
		    "model %s", meaning, model);
	}
	return num(x, f, 1, 0, out);
}

static int
model(struct ctx *x, mc_contract *c)
{
	mc_model_params *m = &c->m;
	const char *name, *why;
	int f, st;

	if (m->model == MC_MODEL_HESTON) {
		if ((st = param(x, MC_FIELD_v0, "initial variance", "heston",
		    &m->v0)) != 0 ||
		    (st = param(x, MC_FIELD_kappa, "mean reversion speed",
		    "heston", &m->kappa)) != 0 ||
		    (st = param(x, MC_FIELD_vbar, "long-run variance", "heston",
		    &m->theta)) != 0 ||
		    (st = param(x, MC_FIELD_xi, "volatility of variance",
		    "heston", &m->xi)) != 0 ||
		    (st = param(x, MC_FIELD_rho_sv, "spot-variance correlation",
		    "heston", &m->rho)) != 0)
			return st;
	} else if (c->style != MC_BASKET &&
	    (st = num(x, MC_FIELD_vol, 1, 0, &m->vol)) != 0) {
		return st;
	}
	if (m->model == MC_MODEL_MERTON &&
	    ((st = param(x, MC_FIELD_lambda, "jump intensity", "merton",
	    &m->lambda)) != 0 ||
	    (st = param(x, MC_FIELD_jump_mean, "mean of the log jump", "merton",
	    &m->jump_mean)) != 0 ||
	    (st = param(x, MC_FIELD_jump_vol, "sd of the log jump", "merton",
	    &m->jump_vol)) != 0))
		return st;
	/* mc_path names Heston's parameters as the literature does. */
	if ((name = mc_path_check(m, &why)) != NULL) {
		f = strcmp(name, "theta") == 0 ? MC_FIELD_vbar :
		    strcmp(name, "rho") == 0 ? MC_FIELD_rho_sv :
		    mc_contract_field_id(name);
		if (f < 0)
			return mc_err_set(x->err, EX_SOFTWARE, "%s: %s", name,
			    why);
		return bad_value(x, f, why);
	}
	return 0;
}

/* The path grid: a multiple of the fixings, finer where it must be. */
static void
grid(mc_contract *c, unsigned user)
{
	unsigned f = c->fixings ? c->fixings : 1, s = f;
	int continuous = mc_contract_continuous(c);

	if (c->m.model == MC_MODEL_HESTON) {
		double w = ceil(50 * c->m.maturity);
		if (w > s)
			s = w > 100000 ? 100000 : (unsigned)w;
	}
	/*
	 * A daily grid: a knock-out rebate is discounted from the hit by an
	 * expansion in the rate times the step, whose error is of its cube
	 * (near 1e-12 of the rebate at a rate of 10%).  And under heston a
	 * bridge between grid dates assumes the variance still over a step:
	 * on 50 steps a year an up-out call (xi 0.3 to 1, rho_sv -0.7) came
	 * out 1.5-2.3% low, 10 stderrs at -n 4e5, and a lookback 0.5% high;
	 * on 250, 0.3% low, the bias falling as the step (mcprice(1) says
	 * so).  Under merton the bridge runs between a step's jumps, exact
	 * on any grid, but places them one by one: a step expects at most
	 * 4 jumps, well under MC_CONTRACT_JUMPS_STEP.
	 */
	if (continuous && ((c->style == MC_BARRIER && c->out && c->rebate > 0)
	    || c->m.model == MC_MODEL_HESTON)) {
		double w = ceil(250 * c->m.maturity);
		if (w > s)
			s = w > 100000 ? 100000 : (unsigned)w;
	}
	if (continuous && c->m.model == MC_MODEL_MERTON) {
		double w = ceil(c->m.lambda * c->m.maturity / 4);
		if (w > s)
			s = w > 100000 ? 100000 : (unsigned)w;
	}
	if (user > 0)
		s = user;
	c->steps = (s + f - 1) / f * f;
}

/* The most exercise dates c's model lets a fitted rule have. */
static unsigned
max_dates(const mc_contract *c)
{
	return c->m.model == MC_MODEL_HESTON ? MC_CONTRACT_MAX_DATES / 2 :
	    MC_CONTRACT_MAX_DATES;
}

/* The fixings of c's style: fix when given, else the style's own. */
static void
fixings(mc_contract *c, uint64_t fix)
{
	switch (c->style) {
	case MC_ASIAN:
		c->fixings = fix ? (unsigned)fix : 12;
		break;
	case MC_AMERICAN: {
		/* 50 a year, bounded before the conversion (which a huge
		 * maturity would overflow) by what a fit may hold, and at
		 * least one date for a tiny maturity. */
		double w = ceil(50 * c->m.maturity - 1e-9);
		double most = max_dates(c);
		c->fixings = fix ? (unsigned)fix : w > most ? (unsigned)most :
		    w < 1 ? 1 : (unsigned)w;
		break;
	}
	case MC_BERMUDAN:
		c->fixings = fix ? (unsigned)fix : 12;
		break;
	case MC_BARRIER:
	case MC_LOOKBACK:
		c->fixings = (unsigned)fix;
		break;
	default:
		c->fixings = 0;
	}
	/* 50 dates a year, but at least one and at most 100000. */
	if (c->style == MC_AMERICAN && c->fixings > 100000)
		c->fixings = 100000;
	if (c->style == MC_AMERICAN && c->fixings < 1)
		c->fixings = 1;
}

int
mc_contract_parse(mc_contract *c, mc_contract_get get, void *vctx,
    const char **col, mc_err *err)
{
	static const char *const types[] = { "call", "put", NULL };
	static const char *const models[] = { "gbm", "heston", "merton",
	    NULL };
	static const char *const avg[] = { "arithmetic", "geometric", NULL };
	static const char *const kinds[] = { "fixed", "floating", NULL };
	struct ctx x = { get, vctx, col, err };
	uint64_t fix, steps;
	int st;

	memset(c, 0, sizeof(*c));
	c->smul = 1;
	if ((c->put = word(&x, MC_FIELD_type, types, -1, "expected call or "
	    "put")) < 0 ||
	    (c->style = word(&x, MC_FIELD_style, styles, MC_EUROPEAN,
	    "expected european, digital, asian, barrier, lookback, american, "
	    "bermudan or basket")) < 0 ||
	    (c->m.model = word(&x, MC_FIELD_model, models, MC_MODEL_GBM,
	    "expected gbm, heston or merton")) < 0)
		return EX_DATAERR;
	if (c->style == MC_BASKET && c->m.model != MC_MODEL_GBM)
		return bad_value(&x, MC_FIELD_model, "a basket is priced under "
		    "gbm only");
	if (c->style == MC_LOOKBACK && (c->floating = word(&x,
	    MC_FIELD_strike_type, kinds, 0, "expected fixed or floating")) < 0)
		return EX_DATAERR;
	if (c->style == MC_ASIAN && (c->geometric = word(&x, MC_FIELD_average,
	    avg, 0, "expected arithmetic or geometric")) < 0)
		return EX_DATAERR;
	if (c->style == MC_BASKET)
		c->m.spot = c->m.vol = 1;	/* the lists hold them */
	else if ((st = positive(&x, MC_FIELD_spot, 1, 0, &c->m.spot)) != 0)
		return st;
	if (!(c->style == MC_LOOKBACK && c->floating) &&
	    (st = positive(&x, MC_FIELD_strike, 1, 0, &c->strike)) != 0)
		return st;
	if ((st = positive(&x, MC_FIELD_maturity, 1, 0,
	    &c->m.maturity)) != 0 ||
	    (st = num(&x, MC_FIELD_rate, 1, 0, &c->m.rate)) != 0 ||
	    (st = num(&x, MC_FIELD_dividend, 0, 0, &c->m.dividend)) != 0 ||
	    (st = model(&x, c)) != 0)
		return st;
	if (c->style == MC_BASKET && (st = basket(&x, c)) != 0)
		return st;
	if (c->style == MC_BARRIER && (st = barrier(&x, c)) != 0)
		return st;
	if (c->style == MC_DIGITAL && (st = num(&x, MC_FIELD_payout, 0, 1,
	    &c->payout)) != 0)
		return st;
	if ((st = count(&x, MC_FIELD_fixings, 1000000, &fix)) != 0 ||
	    (st = count(&x, MC_FIELD_steps, 1000000, &steps)) != 0 ||
	    (st = count(&x, MC_FIELD_paths, 0, &c->paths)) != 0 ||
	    (st = seed(&x, c)) != 0)
		return st;
	fixings(c, fix);
	if ((c->style == MC_AMERICAN || c->style == MC_BERMUDAN) &&
	    c->fixings > max_dates(c)) {
		char why[160];
		snprintf(why, sizeof(why), "expected at most %u exercise dates "
		    "(a rule is fitted on 4096 paths at each date, in 2^24 "
		    "values%s)", max_dates(c), c->m.model == MC_MODEL_HESTON ?
		    " with the variances" : "");
		return bad_value(&x, MC_FIELD_fixings, why);
	}
	grid(c, (unsigned)steps);
	if (c->m.model == MC_MODEL_MERTON && mc_contract_continuous(c) &&
	    c->m.lambda * c->m.maturity > MC_CONTRACT_JUMPS_STEP *
	    (double)c->steps) {
		char why[160];
		snprintf(why, sizeof(why), "expected at most %d jumps a step "
		    "under continuous monitoring, where %g steps give %g: more "
		    "steps", MC_CONTRACT_JUMPS_STEP, (double)c->steps,
		    c->m.lambda * c->m.maturity / c->steps);
		return bad_value(&x, MC_FIELD_lambda, why);
	}
	return 0;
}

int
mc_contract_continuous(const mc_contract *c)
{
	return c->fixings == 0 && (c->style == MC_BARRIER ||
	    c->style == MC_LOOKBACK);
}

const char *
mc_contract_suspect(const mc_contract *c, double *x)
{
	unsigned i;

	if (fabs(c->m.rate) > 1)
		return *x = c->m.rate, "rate";
	if (fabs(c->m.dividend) > 1)
		return *x = c->m.dividend, "dividend";
	if (c->m.vol > 5)
		return *x = c->m.vol, "vol";
	if (c->m.model == MC_MODEL_MERTON && c->m.jump_vol > 5)
		return *x = c->m.jump_vol, "jump_vol";
	for (i = 0; c->style == MC_BASKET && i < c->nassets; i++)
		if (c->vols[i] > 5)
			return *x = c->vols[i], "vols";
	return NULL;
}

void
mc_contract_free(mc_contract *c)
{
	free(c->spots);
	free(c->vols);
	free(c->weights);
	free(c->chol);
	c->spots = c->vols = c->weights = c->chol = NULL;
}

static int
dup_list(double **dst, const double *src, size_t n)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	if ((*dst = malloc(n * sizeof(**dst))) == NULL)
		return -1;
	memcpy(*dst, src, n * sizeof(**dst));
	return 0;
}

int
mc_contract_copy(mc_contract *dst, const mc_contract *src)
{
	size_t n = src->nassets;

	*dst = *src;
	if (dup_list(&dst->spots, src->spots, n) || dup_list(&dst->vols,
	    src->vols, n) || dup_list(&dst->weights, src->weights, n) ||
	    dup_list(&dst->chol, src->chol, n * n)) {
		mc_contract_free(dst);
		return EX_OSERR;
	}
	return 0;
}

int
mc_contract_ref(const mc_contract *c, double *ref, mc_err *err)
{
	const mc_model_params *m = &c->m;
	double S = m->spot, K = c->strike, T = m->maturity, r = m->rate;
	double q = m->dividend, v = m->vol;

	*ref = NAN;
	if (m->model == MC_MODEL_HESTON) {
		if (c->style == MC_EUROPEAN)
			return mc_bs_heston(c->put, S, K, T, r, q, m->v0,
			    m->kappa, m->theta, m->xi, m->rho, ref, err);
		return 0;
	}
	if (m->model == MC_MODEL_MERTON) {
		if (c->style == MC_EUROPEAN)
			*ref = mc_bs_merton(c->put, S, K, T, r, q, v, m->lambda,
			    m->jump_mean, m->jump_vol);
		return 0;
	}
	switch (c->style) {
	case MC_EUROPEAN:
		*ref = mc_bs_price(c->put, S, K, T, r, q, v);
		break;
	case MC_DIGITAL:
		*ref = mc_bs_digital(c->put, S, K, T, r, q, v, c->payout);
		break;
	case MC_ASIAN:
		if (c->geometric)
			*ref = mc_bs_geo_asian(c->put, S, K, T, r, q, v,
			    c->fixings);
		break;
	case MC_BARRIER:
		if (c->fixings == 0)
			*ref = mc_bs_barrier(c->put, c->down, c->out, S, K,
			    c->barrier, c->rebate, T, r, q, v);
		break;
	case MC_LOOKBACK:
		if (c->fixings == 0)
			*ref = c->floating ?
			    mc_bs_lookback_float(c->put, S, S, T, r, q, v) :
			    mc_bs_lookback_fixed(c->put, S, S, K, T, r, q, v);
		break;
	}
	return 0;
}

const char *
mc_contract_message(char *buf, size_t size, const char *col,
    const char *msg, int opt)
{
	char c[64];

	mc_err_name(c, sizeof(c), col);
	/* A missing model parameter's message starts with its meaning. */
	if (opt)
		snprintf(buf, size, "--%s%s%s", c, msg[0] == '(' ? " " : ": ",
		    msg);
	else
		snprintf(buf, size, "column '%s'%s%s", c, msg[0] == '(' ?
		    " " : ": ", msg);
	return buf;
}
