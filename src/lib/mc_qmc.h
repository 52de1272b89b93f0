/*
 * mc_qmc: randomised quasi-Monte Carlo points (Sobol).
 *
 * OWNER: the mcgen work (issue 2) implements this; mcprice and mc_path use
 * it for --qmc sobol.  The interface below is the contract; extend it, but
 * keep what is here.
 *
 * Point i depends on (seed, i) only, so shards and threads agree.  The
 * randomisation makes each point uniform on (0,1)^dim, so estimates stay
 * unbiased and a standard error can be computed honestly (see the
 * implementation's notes on how replicates are formed).
 */
#ifndef MC_QMC_H
#define MC_QMC_H

#include <stdint.h>

#include "mc_err.h"

typedef struct mc_qmc mc_qmc;

/* The largest dimension supported. */
unsigned mc_qmc_maxdim(void);

/*
 * Allocates a randomised Sobol sequence of dimension dim (1 ..
 * mc_qmc_maxdim()) keyed by seed.  Returns NULL with EX_USAGE ("--qmc
 * sobol: at most D dimensions") or EX_OSERR.
 */
mc_qmc *mc_qmc_alloc(unsigned dim, uint64_t seed, mc_err *err);

/* Frees q; NULL is fine. */
void mc_qmc_free(mc_qmc *q);

/* Writes point index into u[0 .. dim-1], each strictly inside (0, 1). */
void mc_qmc_point(const mc_qmc *q, uint64_t index, double *u);

#endif
