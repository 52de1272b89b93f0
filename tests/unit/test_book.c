/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The closed contract's library pieces: mc_csv_header refuses a name
 * twice; mc_prov writes and reads provenance and finds foreign, repeated
 * and missing shards; mc_acc_parse_partial refuses impossible sums;
 * mc_book's headers and collision rules; mc_contract's field count and
 * the factor of a semi-definite correlation matrix.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "mc_acc.h"
#include "mc_book.h"
#include "mc_contract.h"
#include "mc_csv.h"
#include "mc_prov.h"
#include "unit.h"

/* What f wrote, as a string in buf. */
static const char *
written(FILE *f, char *buf, size_t size)
{
	long n = ftell(f);

	rewind(f);
	n = (long)fread(buf, 1, size - 1, f);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void
header(void)
{
	const char *ok[] = { "a", "b,c", "q\"", "σ" };
	const char *twice[] = { "x", "y", "z", "y" };
	mc_err err = { 0, "" };
	char buf[256];
	FILE *f = tmpfile();
	mc_csv_out w;

	mc_csv_out_init(&w, f, ',');
	CHECK(mc_csv_header(&w, ok, 4, &err) == 0);
	CHECK_STR(written(f, buf, sizeof(buf)), "a,\"b,c\",\"q\"\"\",σ\n");
	fclose(f);
	f = tmpfile();
	mc_csv_out_init(&w, f, ',');
	CHECK(mc_csv_header(&w, twice, 4, &err) == EX_SOFTWARE);
	CHECK_STR(err.msg, "column 'y' would be twice in the header");
	CHECK_STR(written(f, buf, sizeof(buf)), "");
	fclose(f);
}

static void
prov(void)
{
	mc_prov p = { 0 }, q;
	mc_prov_set s;
	mc_err err = { 0, "" };
	const char *col = NULL;
	char buf[256];
	FILE *f = tmpfile();
	mc_csv_out w;
	uint64_t i;

	p.job = mc_prov_add(MC_PROV_FNV0, "program", "mcpi");
	p.seeded = 1;
	p.seed = 42;
	p.shard = 2;
	p.nshards = 5;
	mc_csv_out_init(&w, f, ',');
	mc_prov_write(&w, &p);
	CHECK_STR(written(f, buf, sizeof(buf)), "42,2/5,23a2926a47596a0d");
	fclose(f);
	/* FNV-1a of "program=mcpi\n", as python computes it from the
	 * definition (offset basis 0xcbf29ce484222325, prime 0x100000001b3). */
	CHECK(p.job == UINT64_C(0x23a2926a47596a0d));
	CHECK(mc_prov_parse(&q, "42", "2/5", "23a2926a47596a0d", &col,
	    &err) == 0);
	CHECK(q.seed == 42 && q.shard == 2 && q.nshards == 5 && q.job == p.job);
	CHECK(mc_prov_parse(&q, "", "5/5", "23a2926a47596a0d", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "mc_shard");
	CHECK(mc_prov_parse(&q, "", "data:0123456789abcdef",
	    "23a2926a47596a0", &col, &err) == EX_DATAERR);
	CHECK_STR(col, "mc_job");
	CHECK(mc_prov_parse(&q, "x", "0/1", "23a2926a47596a0d", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "mc_seed");
	/* Fields "ab","c" and "a","bc" digest apart. */
	CHECK(mc_prov_field(mc_prov_field(MC_PROV_FNV0, "ab", 2), "c", 1) !=
	    mc_prov_field(mc_prov_field(MC_PROV_FNV0, "a", 1), "bc", 2));

	/* Shards 0, 1, 3 of 5: 2 and 4 are missing. */
	mc_prov_set_init(&s);
	for (i = 0; i < 5; i++) {
		p.shard = i;
		if (i != 2 && i != 4)
			CHECK(mc_prov_set_add(&s, &p, "f", 10 + i, &err) == 0);
	}
	CHECK(mc_prov_set_check(&s, &err) == EX_DATAERR);
	CHECK_STR(err.msg, "f:10: shards 2/5, 4/5 are missing (the set of "
	    "this row has 3 of 5)");
	p.shard = 1;
	CHECK(mc_prov_set_add(&s, &p, "g", 3, &err) == 0);
	CHECK(mc_prov_set_check(&s, &err) == EX_DATAERR);
	CHECK_STR(err.msg, "g:3: shard 1/5 given twice (also at f:11)");
	p.seed = 7;
	CHECK(mc_prov_set_add(&s, &p, "g", 4, &err) == EX_DATAERR);
	CHECK_STR(err.msg, "g:4: shard 1/5 has seed 7, but shard 0/5 at f:10 "
	    "has seed 42");
	mc_prov_set_free(&s);
}

static void
sums(void)
{
	mc_acc a;
	mc_err err = { 0, "" };
	const char *col = NULL;

	mc_acc_init(&a);
	CHECK(mc_acc_parse_partial(&a, "4", "12", "36", &col, &err) == 0);
	CHECK(a.n == 4);
	CHECK(mc_acc_parse_partial(&a, "2", "4", "7", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "sumsq");
	CHECK(mc_acc_parse_partial(&a, "0", "0", "1", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "n");
	CHECK(mc_acc_parse_partial(&a, "1", "1", "-1", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "sumsq");
	CHECK(mc_acc_parse_partial(&a, "1", "1 x", "1", &col, &err) ==
	    EX_DATAERR);
	CHECK_STR(col, "sum");
	/* Refusals leave a as it was; NaN sums are values, not errors. */
	CHECK(a.n == 4);
	CHECK(mc_acc_parse_partial(&a, "1", "nan", "nan", &col, &err) == 0);
	CHECK(a.n == 5);
}

static void
book(void)
{
	const char *cols[] = { "id", "price", "rho", "theta_se", "name", "n" };
	mc_book b;
	mc_err err = { 0, "" };
	char buf[512];
	FILE *f = tmpfile();

	CHECK(mc_book_init(&b, f, ',', "bk", cols, 6, 0, 1, 0.95, &err) == 0);
	CHECK(mc_book_header(&b, &err) == 0);
	CHECK_STR(written(f, buf, sizeof(buf)), "id,name,n,price,stderr,ci_lo,"
	    "ci_hi,paths,ref,delta,delta_se,gamma,gamma_se,vega,vega_se,rho,"
	    "rho_se,theta,theta_se\n");
	mc_book_free(&b);
	CHECK(mc_book_init(&b, f, ',', "bk", cols, 6, 1, 1, 0.95, &err) ==
	    EX_USAGE);
	CHECK_STR(err.msg, "bk:1: the book's column 'name' is also a column "
	    "of partial rows; rename it");
	mc_book_free(&b);
	fclose(f);
	f = tmpfile();
	CHECK(mc_book_init(&b, f, ',', "bk", cols, 4, 1, 0, 0.95, &err) == 0);
	CHECK(mc_book_header(&b, &err) == 0);
	CHECK_STR(written(f, buf, sizeof(buf)), "id,price,rho,theta_se,"
	    "book_row,paths_per_n,name,n,sum,sumsq,mc_seed,mc_shard,mc_job\n");
	mc_book_free(&b);
	fclose(f);
}

static void
contract(void)
{
	/* Rank 2: assets 1 and 2 move as one. */
	static const double A[9] = { 1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1 };
	static const char *const names[] = { "type", "style", "strike",
	    "maturity", "rate", "spots", "vols", "correlation", "seed" };
	static const char *const vals[] = { "call", "basket", "100", "1",
	    "0.05", "100;100;100", "0.2;0.2;0.2", "1;1;0.5;1;1;0.5;0.5;0.5;1",
	    "9" };
	mc_book_fields psd = { 9, names, vals, NULL };
	const char *col = NULL;
	mc_contract c;
	mc_err err = { 0, "" };
	double worst = 0;
	int i, j, k, n = 0;

	for (i = 0; mc_contract_fields[i] != NULL; i++)
		n++;
	CHECK(n == MC_CONTRACT_NFIELDS);
	CHECK(mc_contract_parse(&c, mc_book_get, &psd, &col, &err) == 0);
	CHECK(c.has_seed && c.seed == 9);
	/* L lower triangular and L L^T = A. */
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			double v = 0;
			for (k = 0; k < 3; k++)
				v += c.chol[i * 3 + k] * c.chol[j * 3 + k];
			worst = fmax(worst, fabs(v - A[i * 3 + j]));
			if (j > i)
				CHECK(c.chol[i * 3 + j] == 0);
		}
	CHECK(worst < 1e-12);
	mc_contract_free(&c);
}

/*
 * A header's index gives what a scan of its names gives, for every field
 * and "seed": the first of two columns of one name, NULL for an absent
 * or empty one, and nothing for a column that is no field.
 */
static void
index_cols(void)
{
	static const char *const names[] = { "id", "strike", "seed", "type",
	    "vol", "strike", "notes", "spot", "rate" };
	static const char *const vals[] = { "7", "100", "42", "put", "",
	    "90", "x", "95", "0.05" };
	mc_book_cols col;
	mc_book_fields scan = { 9, names, vals, NULL };
	mc_book_fields idx = { 9, names, vals, col };
	int f, same = 1;

	mc_book_index(col, names, 9);
	for (f = 0; f <= MC_FIELD_seed; f++) {
		const char *a = mc_book_get(&scan, f), *b = mc_book_get(&idx, f);
		same &= a == b;
	}
	CHECK(same);
	CHECK(col[MC_FIELD_strike] == 1 && col[MC_FIELD_seed] == 2);
	CHECK(strcmp(mc_book_get(&idx, MC_FIELD_strike), "100") == 0);
	CHECK(strcmp(mc_book_get(&idx, MC_FIELD_seed), "42") == 0);
	CHECK(mc_book_get(&idx, MC_FIELD_maturity) == NULL);
	CHECK(*mc_book_get(&idx, MC_FIELD_vol) == '\0');
	CHECK(mc_contract_field_id("notes") == -1 &&
	    mc_contract_field_id("seed") == MC_FIELD_seed &&
	    mc_contract_field_id("rho_sv") == MC_FIELD_rho_sv);
	for (f = 0; f <= MC_FIELD_seed; f++)
		CHECK(mc_contract_field_id(mc_contract_field_name(f)) == f);
}

/*
 * A row's job names how its shards are cut: two models of its work, which
 * would cut it at other places, give two jobs, so that their shards never
 * merge; the same model gives the same job.
 */
static void
job_cost(void)
{
	static const char *const names[] = { "type", "spot", "strike" };
	static const char *const vals[] = { "put", "100", "95" };
	mc_book_fields r = { 3, names, vals, NULL };
	mc_split_cost k = { 5, 4096, 0 }, k2 = k;
	mc_price_opts o;
	uint64_t job;

	memset(&o, 0, sizeof(o));
	o.n = 20000;
	job = mc_book_job(&r, &k, &o);
	CHECK(mc_book_job(&r, &k2, &o) == job);
	k2.fixed = 1;
	CHECK(mc_book_job(&r, &k2, &o) != job);
	k2 = k;
	k2.unit = 4097;
	CHECK(mc_book_job(&r, &k2, &o) != job);
	k2 = k;
	k2.units = 6;
	CHECK(mc_book_job(&r, &k2, &o) != job);
}

int
main(void)
{
	gsl_set_error_handler_off();
	header();
	prov();
	sums();
	book();
	contract();
	index_cols();
	job_cost();
	return unit_done("test_book");
}
