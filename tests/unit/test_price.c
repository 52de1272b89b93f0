/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_price: the fast path of one-step GBM terminal prices (mc_path_
 * terminal) gives the general path's bits, for calls, puts and digitals,
 * with antithetic pairs, threads and shards, and with pathwise Greeks:
 * the same runs with mc_price_opts.general set both ways print the same
 * partial rows (the lossless text of the exact sums); also for contracts
 * far out of the money, whose terminal prices are importance sampled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_price.h"
#include "unit.h"

/* The partial rows of every statistic of a run, as text. */
static char *
run_text(const mc_contract *c, const mc_price_opts *o)
{
	mc_price_result res;
	mc_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int s;

	if (fp == NULL)
		return NULL;
	if (mc_price_run(c, o, &res, &err) != 0)
		fprintf(fp, "error %d: %s\n", err.status, err.msg);
	else
		for (s = 0; s < MC_NSTAT; s++) {
			mc_acc_write_partial(fp, &res.acc[s]);
			fputc('\n', fp);
		}
	fclose(fp);
	return buf;
}

/* Runs c under o with the fast path and without; 1 if the bits agree. */
static int
same_both_ways(const mc_contract *c, mc_price_opts o)
{
	char *fast, *general;
	int same;

	o.general = 0;
	fast = run_text(c, &o);
	o.general = 1;
	general = run_text(c, &o);
	same = fast != NULL && general != NULL && strcmp(fast, general) == 0 &&
	    strncmp(fast, "error", 5) != 0;
	if (!same)
		fprintf(stderr, "fast:\n%sgeneral:\n%s", fast ? fast : "",
		    general ? general : "");
	free(fast);
	free(general);
	return same;
}

int
main(void)
{
	static const struct {
		uint64_t n;
		int antithetic, greeks;
		unsigned threads;
		uint64_t shard, nshards;
	} runs[] = {
		{ 30001, 0, 0, 1, 0, 1 },
		{ 30001, 1, 0, 1, 0, 1 },
		{ 30001, 1, 0, 3, 0, 1 },
		{ 30001, 0, 0, 1, 2, 3 },
		{ 12345, 1, 0, 1, 3, 4 },
		{ 20000, 0, 1, 2, 0, 1 },
		{ 20001, 1, 1, 1, 1, 2 },
	};
	mc_contract c;
	mc_price_opts o;
	size_t i;
	int kind;

	memset(&c, 0, sizeof(c));
	c.m.model = MC_MODEL_GBM;
	c.m.spot = 100;
	c.m.maturity = 0.7;
	c.m.rate = 0.03;
	c.m.dividend = 0.01;
	c.m.vol = 0.35;
	c.strike = 95;
	c.payout = 1;
	c.steps = 1;
	c.smul = 1;
	/* Kinds 3 to 5: far out of the money, importance sampled. */
	for (kind = 0; kind < 6; kind++) {
		c.put = kind % 3 == 1;
		c.style = kind % 3 == 2 ? MC_DIGITAL : MC_EUROPEAN;
		c.strike = kind < 3 ? 95 : c.put ? 30 : 300;
		for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
			memset(&o, 0, sizeof(o));
			o.seed = 7;
			o.n = runs[i].n;
			o.antithetic = runs[i].antithetic;
			o.greeks = runs[i].greeks;
			o.threads = runs[i].threads;
			o.shard = runs[i].shard;
			o.nshards = runs[i].nshards;
			CHECK(same_both_ways(&c, o));
		}
	}
	return unit_done("test_price");
}
