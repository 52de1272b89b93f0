/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcpi: estimate pi by throwing darts at the unit square.
 *
 * Point i is (x, y) from one Philox block at counter (0, 0, i): it depends
 * on the seed and i only, so threads and shards throw the same darts.  A
 * dart inside the quarter circle scores 4, outside 0; the estimate row is
 * the mean score with its standard error.  Hits are counted per block of
 * MC_BLOCK darts as integers and added to an exact accumulator, so the
 * result is the same for every -j and every --shard split.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_acc.h"
#include "mc_cli.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_progress.h"
#include "mc_prov.h"
#include "mc_rng.h"
#include "mc_stream.h"
#include "mc_vmath.h"

static const char usage[] =
    "usage: mcpi [-n COUNT] [-s SEED] [--shard I/N] [--partial] [-j N]\n"
    "            [--trace K] [--dump] [--level L] [--rng NAME] [--progress]\n"
    "            [-o FILE] [-t CHAR]\n"
    "       mcpi --points [--cols X,Y] [--partial] [--trace K] [--dump]\n"
    "            [--level L] [-o FILE] [-t CHAR] [FILE]\n";

enum { OPT_TRACE, OPT_DUMP, OPT_POINTS, OPT_COLS, NOPTS };

static const mc_cli_opt options[NOPTS] = {
	[OPT_TRACE] = { "trace", 0, MC_CLI_VALUE, 0 },
	[OPT_DUMP] = { "dump", 0, MC_CLI_FLAG, 0 },
	[OPT_POINTS] = { "points", 0, MC_CLI_FLAG, 0 },
	[OPT_COLS] = { "cols", 0, MC_CLI_VALUE, 0 },
};

struct opts {
	mc_cli c;		/* the shared options */
	uint64_t trace;
	const char *cols, *file;
	int points, dump;
};

/* A range of darts for one thread, and what it found. */
struct job {
	const struct opts *o;
	uint64_t lo, hi;	/* the shard's range */
	atomic_uint_fast64_t *next;	/* the range's next block, shared */
	mc_rng *rng;		/* GSL generators only */
	uint64_t hits;
	atomic_uint_fast64_t *done;
};

/* Darts per call of the block kernel: four words each, in L1. */
#define LANES 512

/*
 * Counts the hits among darts [first, first + count) of Philox: the
 * words of LANES darts at a time from the SIMD block kernel, then the
 * hits in SIMD lanes too (mc_vhits): the same count as mc_u53 and the
 * one-dart loop of run_serial give, which mc_vhits's single-precision
 * filter defers to near the rim (tests/speed.bats checks it).
 */
static uint64_t
philox_hits(const mc_stream *st, uint64_t first, uint64_t count)
{
	uint32_t w0[LANES], w1[LANES], w2[LANES], w3[LANES];
	uint64_t hits = 0, done, n;

	for (done = 0; done < count; done += n) {
		n = count - done < LANES ? count - done : LANES;
		mc_stream_block(st, 0, first + done, n, w0, w1, w2, w3);
		hits += mc_vhits(w0, w1, w2, w3, n);
	}
	return hits;
}

/* The same for a GSL generator, which must start at a block boundary. */
static uint64_t
gsl_hits(mc_rng *r, uint64_t first, uint64_t count)
{
	gsl_rng *g = mc_rng_gsl(r);
	uint64_t i, hits = 0;
	double x, y;

	mc_rng_seek(r, first);
	for (i = 0; i < count; i++) {
		x = gsl_rng_uniform_pos(g);
		y = gsl_rng_uniform_pos(g);
		hits += x * x + y * y <= 1.0;
	}
	return hits;
}

/*
 * A thread takes the range's next block until none is left: whole
 * blocks, in any order, so a thread on a core that runs slower (a VM's
 * neighbour, a sibling thread) takes fewer, and the count is the same.
 */
static void *
work(void *arg)
{
	struct job *j = arg;
	const mc_cli *o = &j->o->c;
	uint64_t b, first, count, hits = 0;
	mc_stream st;

	mc_stream_init(&st, o->seed, MC_STREAM_PATH);
	/* The hits stay in a register, and the count of darts done is
	 * shared only under a progress line: the threads' jobs share a
	 * cache line, which a write per block would pass to and fro. */
	for (;;) {
		b = j->lo / MC_BLOCK + atomic_fetch_add_explicit(j->next, 1,
		    memory_order_relaxed);
		if (b * MC_BLOCK >= j->hi)
			break;
		first = b * MC_BLOCK;
		count = j->hi - first < MC_BLOCK ? j->hi - first : MC_BLOCK;
		hits += j->rng ? gsl_hits(j->rng, first, count) :
		    philox_hits(&st, first, count);
		if (j->done != NULL)
			atomic_fetch_add_explicit(j->done, count,
			    memory_order_relaxed);
	}
	j->hits = hits;
	return NULL;
}

/*
 * Where a partial row comes from: the darts' seed and shard, or for
 * --points a digest of the points read.
 */
static void
put_prov(mc_csv_out *w, const struct opts *op, uint64_t digest)
{
	const mc_cli *o = &op->c;
	uint64_t h = mc_prov_add(MC_PROV_FNV0, "program", "mcpi");
	mc_prov p = { 0 };

	if (op->points) {
		p.job = mc_prov_add(h, "points", op->cols);
		p.data = 1;
		p.digest = digest;
	} else {
		p.job = mc_prov_add(mc_prov_addu(h, "n", o->n), "rng",
		    mc_rng_name(o->rng));
		p.seeded = 1;
		p.seed = o->seed;
		p.shard = o->shard;
		p.nshards = o->nshards;
	}
	mc_prov_write(w, &p);
}

static void
put_row(const struct opts *o, uint64_t n, uint64_t hits, uint64_t digest)
{
	mc_csv_out w;
	mc_acc a;
	mc_est e;

	mc_acc_init(&a);
	mc_acc_add_sums(&a, n, 4.0 * (double)hits, 16.0 * (double)hits);
	mc_csv_out_init(&w, o->c.fp, o->c.sep);
	mc_csv_out_str(&w, "pi");
	if (o->c.partial) {
		mc_acc_out_partial(&w, &a);
		put_prov(&w, o, digest);
	} else {
		mc_acc_estimate(&a, o->c.level, &e);
		mc_acc_out_est(&w, &e);
	}
	mc_csv_out_end(&w);
	/* A trace is watched as it grows (plotxy --stream): no buffering. */
	if (o->trace)
		fflush(o->c.fp);
}

static void
put_header(const struct opts *o)
{
	char final[] = "name," MC_ACC_FINAL_COLS, dump[] = "x,y,inside";
	char partial[] = "name," MC_ACC_PARTIAL_COLS "," MC_PROV_COLS;
	const char *v[16];
	char *p;
	size_t n = 0;
	mc_csv_out w;

	for (p = strtok(o->dump ? dump : o->c.partial ? partial : final, ",");
	    p != NULL; p = strtok(NULL, ","))
		v[n++] = p;
	mc_csv_out_init(&w, o->c.fp, o->c.sep);
	mc_csv_header(&w, v, n, NULL);
}

static void
put_dart(const struct opts *o, double x, double y, int inside)
{
	mc_csv_out w;

	mc_csv_out_init(&w, o->c.fp, o->c.sep);
	mc_csv_out_num(&w, x);
	mc_csv_out_num(&w, y);
	mc_csv_out_count(&w, (uint64_t)inside);
	mc_csv_out_end(&w);
}

/* mc_rng speaks of the name; the message names the option too. */
static int
rng_failed(mc_err *err)
{
	mc_err e = *err;

	return mc_err_set(err, e.status, "--rng: %s", e.msg);
}

/*
 * Darts one at a time, in order: for --trace and --dump, whose output
 * follows the order of the darts.
 */
static int
run_serial(const struct opts *op, uint64_t lo, uint64_t hi, mc_progress *pg,
    mc_err *err)
{
	const mc_cli *o = &op->c;
	uint32_t w[4];
	mc_stream st;
	mc_rng *r = NULL;
	uint64_t i, hits = 0;
	double x, y;
	int in;

	if (mc_rng_gsl_name(o->rng) != NULL &&
	    (r = mc_rng_alloc(mc_rng_gsl_name(o->rng), o->seed, err)) == NULL)
		return rng_failed(err);
	mc_stream_init(&st, o->seed, MC_STREAM_PATH);
	put_header(op);
	for (i = lo; i < hi; i++) {
		if ((i - lo) % MC_BLOCK == 0)
			mc_progress_update(pg, i - lo, mc_progress_clock());
		if (r != NULL) {
			mc_rng_seek(r, i);
			x = gsl_rng_uniform_pos(mc_rng_gsl(r));
			y = gsl_rng_uniform_pos(mc_rng_gsl(r));
		} else {
			mc_stream_words(&st, i, 0, w);
			x = mc_u53(w[0], w[1]);
			y = mc_u53(w[2], w[3]);
		}
		in = x * x + y * y <= 1.0;
		hits += in;
		if (op->dump)
			put_dart(op, x, y, in);
		else if ((i - lo + 1) % op->trace == 0 || i + 1 == hi)
			put_row(op, i - lo + 1, hits, 0);
	}
	if (!op->dump && lo == hi)
		put_row(op, 0, 0, 0);
	mc_rng_free(r);
	return 0;
}

static int
run_threads(const struct opts *op, uint64_t lo, uint64_t hi, mc_progress *pg,
    mc_err *err)
{
	const mc_cli *o = &op->c;
	struct job *jobs;
	pthread_t *tid;
	mc_progress_count count;
	atomic_uint_fast64_t next = 0;
	uint64_t hits = 0;
	unsigned t, started = 0;
	int rc = 0;

	atomic_init(&count.done, 0);
	atomic_init(&count.total, 0);
	jobs = calloc(o->threads, sizeof(*jobs));
	tid = calloc(o->threads, sizeof(*tid));
	if (jobs == NULL || tid == NULL) {
		rc = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	for (t = 0; t < o->threads; t++) {
		jobs[t] = (struct job){ op, lo, hi, &next, NULL, 0,
		    pg->fp != NULL ? &count.done : NULL };
		if (mc_rng_gsl_name(o->rng) != NULL && (jobs[t].rng =
		    mc_rng_alloc(mc_rng_gsl_name(o->rng), o->seed, err)) == NULL) {
			rc = rng_failed(err);
			goto out;
		}
	}
	/* The main thread only waits, so a watch costs the darts nothing. */
	mc_progress_watch(pg, &count, mc_progress_clock);
	mc_progress_update(pg, 0, mc_progress_clock());
	for (t = 0; t < o->threads; t++, started++)
		if (pthread_create(&tid[t], NULL, work, &jobs[t]) != 0) {
			rc = mc_err_set(err, EX_OSERR, "cannot start a thread");
			break;
		}
	for (t = 0; t < started; t++) {
		pthread_join(tid[t], NULL);
		hits += jobs[t].hits;
	}
	mc_progress_end(pg, atomic_load(&count.done), mc_progress_clock());
	if (rc == 0) {
		put_header(op);
		put_row(op, hi - lo, hits, 0);
	}
out:
	for (t = 0; jobs != NULL && t < o->threads; t++)
		mc_rng_free(jobs[t].rng);
	free(jobs);
	free(tid);
	return rc;
}

/* --points: darts from the columns of a CSV, in order. */
static int
run_points(const struct opts *o, mc_err *err)
{
	const char *name, *comma = strchr(o->cols, ',');
	char xcol[256], ycol[256], q[64], c[64];
	mc_csv_reader *r = NULL;
	size_t cx, cy;
	uint64_t n = 0, hits = 0, digest = MC_PROV_FNV0;
	double x, y;
	int in, rc;
	FILE *fp;

	if (comma == NULL || comma == o->cols || comma[1] == '\0' ||
	    strchr(comma + 1, ',') != NULL ||
	    (size_t)(comma - o->cols) >= sizeof(xcol) ||
	    strlen(comma + 1) >= sizeof(ycol))
		return mc_err_set(err, EX_USAGE, "--cols: expected two column "
		    "names X,Y, got %s", mc_err_quote(q, sizeof(q), o->cols));
	snprintf(xcol, sizeof(xcol), "%.*s", (int)(comma - o->cols), o->cols);
	snprintf(ycol, sizeof(ycol), "%s", comma + 1);
	if ((fp = mc_io_open_in(o->file, &name, err)) == NULL)
		return err->status;
	if ((r = mc_csv_open_sep(fp, name, o->c.sep, err)) == NULL ||
	    mc_csv_require(r, xcol, &cx, err) != 0 ||
	    mc_csv_require(r, ycol, &cy, err) != 0)
		goto fail;
	/* Darts and traces stream; a lone estimate waits for all rows. */
	if (o->dump || o->trace)
		put_header(o);
	while ((rc = mc_csv_next(r, err)) == 1) {
		if (mc_csv_number(r, cx, &x, err) != 0 ||
		    mc_csv_number(r, cy, &y, err) != 0)
			goto fail;
		/* A dart at nan or inf is not a miss but a broken input. */
		if (!isfinite(x) || !isfinite(y)) {
			size_t bad = isfinite(x) ? cy : cx;
			mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': "
			    "expected a finite number, got %s", name,
			    mc_csv_line(r), mc_err_name(c, sizeof(c),
			    mc_csv_colname(r, bad)), mc_err_quote(q, sizeof(q),
			    mc_csv_field(r, bad)));
			goto fail;
		}
		in = x * x + y * y <= 1.0;
		hits += in;
		n++;
		digest = mc_prov_field(mc_prov_field(digest, mc_csv_field(r,
		    cx), mc_csv_fieldlen(r, cx)), mc_csv_field(r, cy),
		    mc_csv_fieldlen(r, cy));
		if (o->dump)
			put_dart(o, x, y, in);
		else if (o->trace && n % o->trace == 0)
			put_row(o, n, hits, digest);
	}
	if (rc < 0)
		goto fail;
	if (!o->dump && !o->trace)
		put_header(o);
	if (!o->dump && (!o->trace || n % o->trace != 0 || n == 0))
		put_row(o, n, hits, digest);
	mc_csv_free(r);
	if (fp != stdin)
		fclose(fp);
	return 0;
fail:
	mc_csv_free(r);
	if (fp != stdin)
		fclose(fp);
	return err->status;
}

static int
run(void *ctx, mc_err *err)
{
	const struct opts *o = ctx;
	mc_progress pg;
	uint64_t lo, hi;
	int rc;

	if (o->points)
		return run_points(o, err);
	mc_shard_range(o->c.n, o->c.shard, o->c.nshards, &lo, &hi);
	mc_progress_init(&pg, stderr, o->c.progress, "mcpi", "darts",
	    mc_progress_clock());
	mc_progress_part(&pg, NULL, 0, 0, hi - lo, mc_progress_clock());
	if (o->trace || o->dump) {
		rc = run_serial(o, lo, hi, &pg, err);
		mc_progress_end(&pg, rc == 0 ? hi - lo : pg.done,
		    mc_progress_clock());
		return rc;
	}
	return run_threads(o, lo, hi, &pg, err);
}

static int
set(void *ctx, int id, const char *arg, mc_err *err)
{
	struct opts *o = ctx;

	switch (id) {
	case OPT_TRACE:
		return mc_opt_count(arg, &o->trace, err);
	case OPT_DUMP:
		o->dump = 1;
		return 0;
	case OPT_POINTS:
		o->points = 1;
		return 0;
	case OPT_COLS:
		o->cols = arg;
		return 0;
	}
	return mc_err_set(err, EX_SOFTWARE, "no option %d", id);
}

static int
check(void *ctx, int argc, char **argv, mc_err *err)
{
	struct opts *o = ctx;
	char q[64];

	if (o->points && ((o->c.given & MC_CLI_COUNT) || o->c.nshards > 1 ||
	    o->c.threads > 1))
		return mc_err_set(err, EX_USAGE, "--points reads its darts from "
		    "the input; -n, --shard and -j do not apply");
	if (o->points && argc > 1)
		return mc_err_set(err, EX_USAGE, "--points reads one FILE");
	if (!o->points && argc > 0)
		return mc_err_set(err, EX_USAGE, "unexpected argument %s (FILE "
		    "goes with --points)", mc_err_quote(q, sizeof(q), argv[0]));
	if (o->dump && o->c.partial)
		return mc_err_set(err, EX_USAGE, "--dump writes darts, not "
		    "estimates; it does not go with --partial");
	if (argc == 1)
		o->file = argv[0];
	/* Darts and traces on a terminal would run into the line; --points
	 * reads at the pace of its input, which shows its own. */
	if (((o->trace || o->dump) && o->c.progress == 1 &&
	    isatty(STDOUT_FILENO)) || o->points)
		o->c.progress = 0;
	return 0;
}

int
main(int argc, char **argv)
{
	static const mc_cli_prog prog = {
		"mcpi", usage, MC_CLI_COUNT | MC_CLI_SEED | MC_CLI_THREADS |
		    MC_CLI_SHARD | MC_CLI_PARTIAL | MC_CLI_LEVEL | MC_CLI_RNG |
		    MC_CLI_PROGRESS,
		options, NOPTS, set, check, run
	};
	struct opts o = { .cols = "x1,x2", .file = "-" };

	mc_cli_init(&o.c);
	o.c.isa = getenv("MCTOOLS_ISA");
	o.c.n = 1000000;
	return mc_cli_main(&prog, &o.c, &o, argc, argv);
}
