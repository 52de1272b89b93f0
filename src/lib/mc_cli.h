/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_cli: the command-line layer every program shares.
 *
 * One table holds the options the programs share (-n, -s, -j, --shard,
 * --partial, --level, --rng, --qmc, --progress, -o, -t, -h, --version); a
 * program picks the ones it takes and adds its own in a table of
 * mc_cli_opt.  mc_cli_main is the one driver: it parses argv with
 * getopt_long, refuses an option given twice, lets the program check its
 * operands and options together, points standard output at -o's file,
 * runs the program, prints "prog: MESSAGE" once on failure and checks the
 * output's close (mc_io_finish).  It returns the exit status; it never
 * exits.
 *
 * The rules it applies to every program:
 * - A usage error is one line on stderr, nothing on stdout, exit 64.
 * - An option given twice is a usage error ("-n: given twice"), unless
 *   its table entry says it is a list by nature (many).
 * - In long option names '-' and '_' are the same character:
 *   --barrier-type and --barrier_type are one option.
 * - Messages about a value name the option in front of what the value
 *   parser said: "-n: expected a count of 1 or more, got \"0\"".  An
 *   option is named by its short form if it has one, else its long form.
 * - -o FILE: the output goes to a temporary file beside FILE, renamed
 *   into place when the run succeeded and removed when it failed, so the
 *   old FILE stays; "-o -" is standard output, and -o on something that
 *   is not a regular file (/dev/null, a FIFO, a terminal) writes to it
 *   directly.
 * - -t CHAR: the field separator of the input and the output ("tab" for
 *   a tab), for the program to pass to mc_csv.
 */
#ifndef MC_CLI_H
#define MC_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "mc_err.h"

/* The shared options a program may take; -o, -t, -h and --version are
 * taken by every program. */
enum {
	MC_CLI_COUNT = 1 << 0,		/* -n COUNT, --count */
	MC_CLI_SEED = 1 << 1,		/* -s SEED, --seed */
	MC_CLI_THREADS = 1 << 2,	/* -j N, --threads */
	MC_CLI_SHARD = 1 << 3,		/* --shard I/N */
	MC_CLI_PARTIAL = 1 << 4,	/* --partial */
	MC_CLI_LEVEL = 1 << 5,		/* --level L */
	MC_CLI_RNG = 1 << 6,		/* --rng NAME */
	MC_CLI_QMC = 1 << 7,		/* --qmc sobol */
	MC_CLI_PROGRESS = 1 << 8,	/* --progress */
	MC_CLI_OUTPUT = 1 << 9,		/* -o FILE, --output */
	MC_CLI_SEP = 1 << 10		/* -t CHAR, --field-separator */
};

/* The values of the shared options, with their defaults. */
typedef struct mc_cli {
	uint64_t n;		/* -n: the program sets its own default */
	uint64_t seed;		/* -s: MC_SEED_DEFAULT */
	unsigned threads;	/* -j: 1 */
	uint64_t shard, nshards;	/* --shard I/N: 0/1 */
	int partial;		/* --partial */
	double level;		/* --level: 0.95 */
	const char *rng;	/* --rng NAME, checked; NULL for Philox */
	int qmc;		/* --qmc sobol */
	int progress;		/* 1 when stderr is a terminal, 2 for
				 * --progress, 0 otherwise */
	const char *out;	/* -o FILE, or NULL */
	char sep;		/* -t: ',' */
	unsigned given;		/* the MC_CLI_* options given */
	FILE *fp;		/* where the output goes: stdout, which
				 * mc_cli_main points at -o's file */
	const char *isa;	/* the instruction-set cap, or NULL: main()
				 * sets it from MCTOOLS_ISA */
} mc_cli;

/* Whether an option takes a value. */
enum { MC_CLI_FLAG, MC_CLI_VALUE, MC_CLI_OPTVALUE };

/*
 * A program's own option.  Its id, passed to set, is its index in the
 * program's table; programs name the ids OPT_<LONG_NAME> in an enum and
 * fill the table with designated initializers ([OPT_BY] = { "by", ... }).
 */
typedef struct mc_cli_opt {
	const char *name;	/* the long name, or NULL */
	char letter;		/* the short letter, or 0 */
	int arg;		/* MC_CLI_FLAG, _VALUE or _OPTVALUE */
	int many;		/* 1: a list by nature, may be repeated */
} mc_cli_opt;

typedef struct mc_cli_prog {
	const char *name;	/* "mcpi": the start of every message */
	const char *usage;	/* the synopsis -h prints, ending in '\n' */
	unsigned shared;	/* the MC_CLI_* options it takes */
	const mc_cli_opt *opts;	/* its own options */
	int nopts;
	/*
	 * Stores the value of option id (arg is NULL for a flag, or for an
	 * optional value left out).  Returns 0, or a status with a message
	 * about the value; mc_cli_main puts the option's name in front.
	 */
	int (*set)(void *ctx, int id, const char *arg, mc_err *err);
	/*
	 * Takes the operands (what is left of argv after the options) and
	 * checks the options together.  Returns 0, or a status with a whole
	 * message.  May be NULL when the program takes no operands.
	 */
	int (*check)(void *ctx, int argc, char **argv, mc_err *err);
	/* Does the work, writing its output to cli->fp.  Returns 0 or a
	 * status with a message. */
	int (*run)(void *ctx, mc_err *err);
} mc_cli_prog;

/* The shared options' defaults: n = 0 (the program sets its own). */
void mc_cli_init(mc_cli *c);

/*
 * The driver: parses argv into c (shared options) and ctx (through
 * p->set), checks, opens -o, runs, reports and finishes.  Returns the exit
 * status: 0, or the status of the first failure, whose message it has
 * printed as "PROG: MESSAGE".
 */
int mc_cli_main(const mc_cli_prog *p, mc_cli *c, void *ctx, int argc,
    char **argv);

/* The version of mctools, config.mk's VERSION ("0.1"). */
const char *mc_cli_version(void);

#endif
