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

/* Whether a and b print the same partial fields: the same exact sums. */
static int
same_acc(const mc_acc *a, const mc_acc *b)
{
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&ta, &la), *fb = open_memstream(&tb, &lb);
	int same;

	if (fa == NULL || fb == NULL)
		return 0;
	mc_acc_write_partial(fa, a);
	mc_acc_write_partial(fb, b);
	fclose(fa);
	fclose(fb);
	same = strcmp(ta, tb) == 0;
	if (!same)
		fprintf(stderr, "%s\n%s\n", ta, tb);
	free(ta);
	free(tb);
	return same;
}

/*
 * A book's shard prices the units that o->split names: pieces of a
 * contract's units, priced apart and merged, hold the sums of the whole
 * (the first piece empty); and mc_price_cost counts the units and the
 * fixed work that a shard of them does.
 */
static void
split_units(mc_contract c)
{
	mc_price_opts o;
	mc_price_result whole, part, sum;
	mc_split_cost k;
	uint64_t cuts[] = { 0, 0, 2, 3, 5 }, i;
	mc_err err;
	int s, ok = 1;

	memset(&o, 0, sizeof(o));
	o.seed = 11;
	o.n = 18000;
	o.threads = 1;
	mc_price_cost(&c, &o, &k);
	CHECK(k.units == 5);
	CHECK(c.style == MC_AMERICAN ? k.fixed > 0 : k.fixed == 0);
	CHECK(mc_price_run(&c, &o, &whole, &err) == 0);
	for (s = 0; s < MC_NSTAT; s++)
		mc_acc_init(&sum.acc[s]);
	o.split = 1;
	for (i = 0; i + 1 < sizeof(cuts) / sizeof(cuts[0]); i++) {
		o.unit_lo = cuts[i];
		o.unit_hi = cuts[i + 1];
		CHECK(mc_price_shard_paths(&c, &o) == (cuts[i + 1] == 5 ?
		    18000 - cuts[i] * MC_BLOCK : (cuts[i + 1] - cuts[i]) *
		    MC_BLOCK));
		ok &= mc_price_run(&c, &o, &part, &err) == 0;
		for (s = 0; s < MC_NSTAT; s++)
			mc_acc_merge(&sum.acc[s], &part.acc[s]);
	}
	CHECK(ok);
	CHECK(same_acc(&sum.acc[0], &whole.acc[0]));
	o.split = 0;
	o.qmc = 1;
	mc_price_cost(&c, &o, &k);
	CHECK(k.units == 32);
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
	c.style = MC_EUROPEAN;
	c.put = 1;
	c.strike = 100;
	split_units(c);
	c.style = MC_AMERICAN;
	c.steps = c.fixings = 10;
	split_units(c);
	return unit_done("test_price");
}
