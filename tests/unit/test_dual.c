/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_dual: known answers of the duality bound (one exercise date, where
 * the bound is the price; a put so deep in the money that exercise at the
 * first date is optimal, whose value is K e^-r t_1 - S), the bound above
 * the price on every seed and above an independent Bermudan value (12
 * dates, by quadrature: testdata/refs/american.csv bm_put_36_12), the
 * same sums whatever the threads, and the contracts it refuses.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mc_acc.h"
#include "mc_book.h"
#include "mc_contract.h"
#include "mc_dual.h"
#include "mc_lsm.h"
#include "mc_price.h"
#include "mc_xsum.h"
#include "unit.h"

/* bm_put_36_12's bermudan value (own quadrature vs QuantLib FD). */
#define BM_PUT_36_12 4.4501759903

/* A contract from "name=value" words. */
static int
contract(mc_contract *c, const char *const *kv, size_t n)
{
	const char *names[16], *vals[16];
	char buf[16][32];
	mc_book_fields r = { n, names, vals, NULL };
	const char *col;
	mc_err e;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s", kv[i]);
		*strchr(buf[i], '=') = '\0';
		names[i] = buf[i];
		vals[i] = buf[i] + strlen(buf[i]) + 1;
	}
	return mc_contract_parse(c, mc_book_get, &r, &col, &e);
}

/* The price of c at n paths and seed, and its dual gap. */
static int
price_and_gap(const mc_contract *c, uint64_t n, uint64_t seed,
    uint64_t outer, unsigned inner, unsigned threads, mc_est *pe,
    mc_est *ge, mc_acc *gap)
{
	mc_price_opts po = { 0 };
	mc_price_result res;
	mc_dual_opts d = { outer, inner, seed, 0, 0, threads };
	mc_err e, note;

	po.n = n;
	po.seed = seed;
	po.threads = 1;
	po.nshards = 1;
	if (mc_price_run(c, &po, &res, &e) != 0 ||
	    mc_price_estimate(&res, 0.95, pe, &note) != 0 ||
	    mc_lsm_cal_paths(c, n, &d.ncal, &e) != 0)
		return -1;
	d.nslices = mc_price_rule_slices(n);
	if (mc_dual_run(c, &d, gap, &e) != 0)
		return -1;
	return mc_acc_estimate(gap, 0.95, ge);
}

static void
one_date(void)
{
	static const char *const kv[] = { "type=put", "style=bermudan",
	    "spot=36", "strike=40", "maturity=1", "rate=0.06", "vol=0.2",
	    "fixings=1" };
	mc_contract c;
	mc_est pe, ge;
	mc_acc gap;

	CHECK(contract(&c, kv, 8) == 0);
	CHECK(price_and_gap(&c, 4096, 3, 500, 16, 1, &pe, &ge, &gap) == 0);
	/* No date before the maturity: every gap is 0, U is the price. */
	CHECK(gap.n == 500);
	CHECK(ge.mean == 0 && ge.sd == 0);
	mc_contract_free(&c);
}

static void
deep_itm(void)
{
	static const char *const kv[] = { "type=put", "style=bermudan",
	    "spot=10", "strike=40", "maturity=1", "rate=0.06", "vol=0.2",
	    "fixings=4" };
	double v = 40 * exp(-0.06 * 0.25) - 10, u, se;
	mc_contract c;
	mc_est pe, ge;
	mc_acc gap;

	CHECK(contract(&c, kv, 8) == 0);
	CHECK(price_and_gap(&c, 20000, 5, 400, 16, 1, &pe, &ge, &gap) == 0);
	u = pe.mean + ge.mean;
	se = sqrt(pe.se * pe.se + ge.se * ge.se);
	CHECK(unit_near(pe.mean, v, 4 * pe.se));
	CHECK(unit_near(u, v, 4 * se));
	/* The rule is optimal: no gap beyond the inner estimates' noise. */
	CHECK(ge.mean >= 0 && ge.mean < 1e-3);
	mc_contract_free(&c);
}

/* U above L on every seed, and the bracket around the quadrature value. */
static void
every_seed(void)
{
	static const char *const kv[] = { "type=put", "style=bermudan",
	    "spot=36", "strike=40", "maturity=1", "rate=0.06", "vol=0.2",
	    "fixings=12" };
	mc_contract c;
	mc_est pe, ge;
	mc_acc gap;
	uint64_t s;

	CHECK(contract(&c, kv, 8) == 0);
	for (s = 1; s <= 8; s++) {
		double u, se;
		CHECK(price_and_gap(&c, 20000, s, 300, 16, 2, &pe, &ge,
		    &gap) == 0);
		u = pe.mean + ge.mean;
		se = sqrt(pe.se * pe.se + ge.se * ge.se);
		CHECK(ge.mean > 0);
		CHECK(u + 4 * se >= BM_PUT_36_12);
		CHECK(pe.mean - 4 * pe.se <= BM_PUT_36_12);
	}
	mc_contract_free(&c);
}

/* The same sums whatever the threads; an american's too. */
static void
threads(void)
{
	static const char *const kv[] = { "type=put", "style=american",
	    "spot=36", "strike=40", "maturity=1", "rate=0.06", "vol=0.2",
	    "fixings=12" };
	mc_contract c;
	mc_est pe, ge1, ge3;
	mc_acc g1, g3;
	char a[4096], b[4096];

	CHECK(contract(&c, kv, 8) == 0);
	CHECK(price_and_gap(&c, 4096, 7, 101, 8, 1, &pe, &ge1, &g1) == 0);
	CHECK(price_and_gap(&c, 4096, 7, 101, 8, 3, &pe, &ge3, &g3) == 0);
	CHECK(g1.n == 101 && g3.n == 101);
	mc_xsum_format(&g1.sum, a, sizeof(a));
	mc_xsum_format(&g3.sum, b, sizeof(b));
	CHECK_STR(a, b);
	CHECK(ge1.mean == ge3.mean && ge1.sd == ge3.sd);
	mc_contract_free(&c);
}

static void
refused(void)
{
	static const char *const eu[] = { "type=put", "spot=36",
	    "strike=40", "maturity=1", "rate=0.06", "vol=0.2" };
	static const char *const he[] = { "type=put", "style=bermudan",
	    "model=heston", "spot=36", "strike=40", "maturity=1", "rate=0.06",
	    "v0=0.04", "kappa=1", "vbar=0.04", "xi=0.3", "rho_sv=-0.5" };
	mc_dual_opts d = { 10, 8, 1, 4096, 1, 1 };
	mc_contract c;
	mc_acc gap;
	mc_err e;

	CHECK(contract(&c, eu, 6) == 0);
	CHECK(!mc_dual_applies(&c));
	CHECK(mc_dual_run(&c, &d, &gap, &e) == EX_DATAERR);
	mc_contract_free(&c);
	CHECK(contract(&c, he, 12) == 0);
	CHECK(!mc_dual_applies(&c));
	CHECK(mc_dual_run(&c, &d, &gap, &e) == EX_DATAERR);
	mc_contract_free(&c);
}

/* The bracket's arithmetic: ends at z = 1.96 of the stderrs. */
static void
bracket(void)
{
	mc_est price = { 100, 4.0, 0.03, 0, 0, 0.3 };
	mc_est lower = { 100, 3.9, 0.04, 0, 0, 0.4 };
	mc_dual_bracket b;
	mc_acc gap;
	mc_err e;

	mc_acc_init(&gap);
	mc_acc_add(&gap, 0.1);
	mc_acc_add(&gap, 0.3);
	CHECK(mc_dual_bracket_of(&price, &lower, &gap, 0.95, &b, &e) == 0);
	CHECK(unit_near(b.upper, 4.2, 1e-12));
	CHECK(unit_near(b.upper_se, sqrt(0.03 * 0.03 + 0.1 * 0.1), 1e-12));
	CHECK(unit_near(b.lo, 3.9 - 1.959963984540054 * 0.04, 1e-9));
	CHECK(unit_near(b.hi, b.upper + 1.959963984540054 * b.upper_se,
	    1e-9));
}

int
main(void)
{
	one_date();
	deep_itm();
	every_seed();
	threads();
	refused();
	bracket();
	return unit_done("test_dual");
}
