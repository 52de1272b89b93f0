/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "mc_io.h"
#include "mc_isa.h"
#include "mc_opt.h"
#include "mc_rng.h"

#ifndef MC_VERSION
#error "MC_VERSION comes from config.mk's VERSION (make passes it)"
#endif

/*
 * The shared options, in one table.  help and version come last and are
 * taken by every program, as are -o and -t.
 */
enum {
	S_COUNT, S_SEED, S_THREADS, S_SHARD, S_PARTIAL, S_LEVEL, S_RNG, S_QMC,
	S_PROGRESS, S_OUTPUT, S_SEP, S_HELP, S_VERSION, NSHARED
};

static const struct {
	mc_cli_opt o;
	unsigned bit;		/* its MC_CLI_* bit, 0 for help and version */
} shared[NSHARED] = {
	[S_COUNT] = { { "count", 'n', MC_CLI_VALUE, 0 }, MC_CLI_COUNT },
	[S_SEED] = { { "seed", 's', MC_CLI_VALUE, 0 }, MC_CLI_SEED },
	[S_THREADS] = { { "threads", 'j', MC_CLI_VALUE, 0 }, MC_CLI_THREADS },
	[S_SHARD] = { { "shard", 0, MC_CLI_VALUE, 0 }, MC_CLI_SHARD },
	[S_PARTIAL] = { { "partial", 0, MC_CLI_FLAG, 0 }, MC_CLI_PARTIAL },
	[S_LEVEL] = { { "level", 0, MC_CLI_VALUE, 0 }, MC_CLI_LEVEL },
	[S_RNG] = { { "rng", 0, MC_CLI_VALUE, 0 }, MC_CLI_RNG },
	[S_QMC] = { { "qmc", 0, MC_CLI_VALUE, 0 }, MC_CLI_QMC },
	[S_PROGRESS] = { { "progress", 0, MC_CLI_FLAG, 0 }, MC_CLI_PROGRESS },
	[S_OUTPUT] = { { "output", 'o', MC_CLI_VALUE, 0 }, MC_CLI_OUTPUT },
	[S_SEP] = { { "field-separator", 't', MC_CLI_VALUE, 0 }, MC_CLI_SEP },
	[S_HELP] = { { "help", 'h', MC_CLI_FLAG, 0 }, 0 },
	[S_VERSION] = { { "version", 0, MC_CLI_FLAG, 0 }, 0 },
};

/* Every program takes these. */
#define ALWAYS (MC_CLI_OUTPUT | MC_CLI_SEP)

/* A program's options, shared ones first: code k < NSHARED is shared[k],
 * code NSHARED + i is the program's option i.  getopt_long returns
 * CODE0 + code for a long option. */
#define CODE0 256

struct table {
	const mc_cli_prog *p;
	int n;			/* codes */
	const mc_cli_opt **opt;	/* each code's entry, NULL if not taken */
	int *seen;		/* times each code was given */
	struct option *lo;	/* for getopt_long, with '-'/'_' aliases */
	char **alias;		/* the aliases' names, to free */
	char optstring[3 * 128 + 2];
	int code_of[128];	/* a short letter's code, or -1 */
};

void
mc_cli_init(mc_cli *c)
{
	memset(c, 0, sizeof(*c));
	c->seed = MC_SEED_DEFAULT;
	c->threads = 1;
	c->nshards = 1;
	c->level = 0.95;
	c->progress = isatty(STDERR_FILENO);
	c->sep = ',';
	c->fp = stdout;
}

const char *
mc_cli_version(void)
{
	return MC_VERSION;
}

static void
table_free(struct table *t)
{
	int i;

	for (i = 0; t->alias != NULL && i < t->n; i++)
		free(t->alias[i]);
	free(t->alias);
	free(t->opt);
	free(t->seen);
	free(t->lo);
}

/*
 * Adds code k's long name, and its alias with '-' and '_' swapped.
 * Returns 0, EX_OSERR when out of memory, or EX_SOFTWARE when the name
 * is taken (a bug).
 */
static int
add_long(struct table *t, int k, size_t *nlo)
{
	const mc_cli_opt *o = t->opt[k];
	size_t i;
	static const int has[] = {
		[MC_CLI_FLAG] = no_argument,
		[MC_CLI_VALUE] = required_argument,
		[MC_CLI_OPTVALUE] = optional_argument,
	};
	char *a;

	for (i = 0; i < *nlo; i++)
		if (strcmp(t->lo[i].name, o->name) == 0)
			return EX_SOFTWARE;
	t->lo[(*nlo)++] = (struct option){ o->name, has[o->arg], NULL,
	    CODE0 + k };
	if (strpbrk(o->name, "-_") == NULL)
		return 0;
	if ((a = t->alias[k] = strdup(o->name)) == NULL)
		return EX_OSERR;
	for (; *a != '\0'; a++)
		*a = *a == '-' ? '_' : *a == '_' ? '-' : *a;
	t->lo[(*nlo)++] = (struct option){ t->alias[k], has[o->arg], NULL,
	    CODE0 + k };
	return 0;
}

/* Builds the getopt_long tables of p's options.  Returns 0 or EX_OSERR. */
static int
table_build(struct table *t, const mc_cli_prog *p, mc_err *err)
{
	unsigned take = p->shared | ALWAYS;
	size_t nlo = 0, len = 1;
	int k, rc;

	memset(t, 0, sizeof(*t));
	t->p = p;
	t->n = NSHARED + p->nopts;
	t->opt = calloc((size_t)t->n, sizeof(*t->opt));
	t->seen = calloc((size_t)t->n, sizeof(*t->seen));
	t->alias = calloc((size_t)t->n, sizeof(*t->alias));
	t->lo = calloc(2 * (size_t)t->n + 1, sizeof(*t->lo));
	if (t->opt == NULL || t->seen == NULL || t->alias == NULL ||
	    t->lo == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (k = 0; k < NSHARED; k++)
		if (shared[k].bit == 0 || (take & shared[k].bit))
			t->opt[k] = &shared[k].o;
	for (k = 0; k < p->nopts; k++)
		t->opt[NSHARED + k] = &p->opts[k];
	/* ':' first: getopt_long reports, mc_cli words the message. */
	t->optstring[0] = ':';
	memset(t->code_of, -1, sizeof(t->code_of));
	for (k = 0; k < t->n; k++) {
		const mc_cli_opt *o = t->opt[k];
		if (o == NULL)
			continue;
		if (o->name != NULL && (rc = add_long(t, k, &nlo)) != 0)
			return mc_err_set(err, rc, rc == EX_OSERR ? "out of "
			    "memory" : "option --%s is defined twice", o->name);
		if (o->letter == 0)
			continue;
		/* One meaning per letter in a program: a clash is a bug. */
		if (t->code_of[(unsigned char)o->letter] >= 0)
			return mc_err_set(err, EX_SOFTWARE, "option -%c is "
			    "defined twice", o->letter);
		t->code_of[(unsigned char)o->letter] = k;
		t->optstring[len++] = o->letter;
		if (o->arg != MC_CLI_FLAG)
			t->optstring[len++] = ':';
		if (o->arg == MC_CLI_OPTVALUE)
			t->optstring[len++] = ':';
	}
	return 0;
}

/* The option's name in messages: its short form if it has one. */
static const char *
name_of(const mc_cli_opt *o, char buf[64])
{
	if (o->letter != 0)
		snprintf(buf, 64, "-%c", o->letter);
	else
		snprintf(buf, 64, "--%s", o->name);
	return buf;
}

/*
 * The message for an option getopt_long refused: c is what it returned
 * ('?' or ':'), argv, optind and optopt as it left them.
 */
static int
refused(int c, char *const argv[], const char *prog, mc_err *err)
{
	char q[64], opt[8];
	const char *arg = argv[optind - 1];

	/* For a short option in a cluster (-xn), argv holds the cluster. */
	if (optopt != 0 && (arg[0] != '-' || arg[1] != '-')) {
		snprintf(opt, sizeof(opt), "-%c", optopt);
		arg = opt;
	}
	if (c == ':')
		return mc_err_set(err, EX_USAGE, "option %s needs a value; "
		    "see '%s --help'", mc_err_quote(q, sizeof(q), arg), prog);
	return mc_err_set(err, EX_USAGE, "unknown option %s; see '%s --help'",
	    mc_err_quote(q, sizeof(q), arg), prog);
}

static int
set_rng(mc_cli *c, const char *arg, mc_err *err)
{
	/* Checks the name now, so that a bad one is a usage error. */
	mc_rng *r = mc_rng_alloc(arg, 1, err);

	if (r == NULL)
		return err->status;
	mc_rng_free(r);
	c->rng = arg;
	return 0;
}

/* Stores shared option k's value. */
static int
set_shared(mc_cli *c, int k, const char *arg, mc_err *err)
{
	char q[64];

	switch (k) {
	case S_COUNT:
		return mc_opt_count(arg, &c->n, err);
	case S_SEED:
		return mc_opt_seed(arg, &c->seed, err);
	case S_THREADS:
		return mc_opt_threads(arg, &c->threads, err);
	case S_SHARD:
		return mc_opt_shard(arg, &c->shard, &c->nshards, err);
	case S_PARTIAL:
		c->partial = 1;
		return 0;
	case S_LEVEL:
		return mc_opt_level(arg, &c->level, err);
	case S_RNG:
		return set_rng(c, arg, err);
	case S_QMC:
		c->qmc = 1;
		if (strcmp(arg, "sobol") == 0)
			return 0;
		return mc_err_set(err, EX_USAGE, "expected sobol, got %s",
		    mc_err_quote(q, sizeof(q), arg));
	case S_PROGRESS:
		c->progress = 2;
		return 0;
	case S_OUTPUT:
		c->out = arg;
		return 0;
	case S_SEP:
		return mc_opt_sep(arg, &c->sep, err);
	}
	return mc_err_set(err, EX_SOFTWARE, "no shared option %d", k);
}

/*
 * Puts the option's name in front of a message about its value.  A
 * message that starts with the name already (mc_rng's "--rng: ...") is
 * left as it is.
 */
static int
name_message(const mc_cli_opt *o, int rc, mc_err *err)
{
	char name[64];
	size_t len;

	name_of(o, name);
	len = strlen(name);
	err->status = rc;
	if (strncmp(err->msg, name, len) == 0 && err->msg[len] == ':')
		return rc;
	return mc_err_prefix(err, name);
}

/* Handles one option; returns 0, a status, or -1 after -h or --version. */
static int
one_option(struct table *t, mc_cli *c, void *ctx, int code, mc_err *err)
{
	char name[64];
	int rc;

	/* The last of two values silently winning hides a typo. */
	if (t->seen[code]++ > 0 && !t->opt[code]->many)
		return mc_err_set(err, EX_USAGE, "%s: given twice",
		    name_of(t->opt[code], name));
	if (code == S_HELP || code == S_VERSION) {
		if (code == S_HELP)
			fputs(t->p->usage, stdout);
		else
			printf("%s (mctools) %s\n", t->p->name, MC_VERSION);
		return -1;
	}
	if (code < NSHARED) {
		c->given |= shared[code].bit;
		rc = set_shared(c, code, optarg, err);
	} else
		rc = t->p->set(ctx, code - NSHARED, optarg, err);
	return rc == 0 ? 0 : name_message(t->opt[code], rc, err);
}

/* Parses the options; returns 0, a status, or -1 after -h or --version. */
static int
parse(struct table *t, mc_cli *c, void *ctx, int argc, char **argv,
    mc_err *err)
{
	int ch, code, rc = 0;

	opterr = 0;
	optind = 1;
	while (rc == 0 && (ch = getopt_long(argc, argv, t->optstring, t->lo,
	    NULL)) != -1) {
		if (ch >= CODE0 && ch < CODE0 + t->n)
			code = ch - CODE0;
		else if (ch > 0 && ch < 128 && ch != '?' && ch != ':')
			code = t->code_of[ch];
		else
			return refused(ch, argv, t->p->name, err);
		rc = one_option(t, c, ctx, code, err);
	}
	return rc;
}

/* Makes fd (from open, or -1 with errno) the standard output. */
static int
redirect(const char *path, int fd, int own, mc_err *err)
{
	int e;

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		e = errno;
		if (own && fd >= 0)
			close(fd);
		return mc_err_set(err, EX_CANTCREAT, "%s: %s", path,
		    strerror(e));
	}
	if (own)
		close(fd);
	return 0;
}

/*
 * Points standard output at -o's file.  A regular file, or a name not yet
 * taken, is written as a temporary file beside it (a) that finish renames
 * into place; through a symbolic link, beside the file it names, so the
 * link stays.  Anything else (a FIFO, a device, a dangling link) is
 * written directly and never replaced, and a name for the standard output
 * itself (/dev/stdout) leaves it as it is.  Returns 0 or EX_CANTCREAT.
 */
static int
open_output(const mc_cli *c, mc_io_atomic *a, mc_err *err)
{
	const char *path = c->out;
	struct stat st, out;
	char *real = NULL;
	int rc;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0) {
		if (fstat(STDOUT_FILENO, &out) == 0 && st.st_dev == out.st_dev &&
		    st.st_ino == out.st_ino)
			return 0;
		if (!S_ISREG(st.st_mode))
			return redirect(path, open(path, O_WRONLY), 1, err);
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		    (path = real = realpath(c->out, NULL)) == NULL)
			return mc_err_set(err, EX_CANTCREAT, "%s: %s", c->out,
			    strerror(errno));
	} else if (lstat(path, &st) == 0)
		return redirect(path, open(path, O_WRONLY | O_CREAT | O_TRUNC,
		    0666), 1, err);
	rc = mc_io_atomic_open(a, path, err);
	free(real);
	return rc != 0 ? rc : redirect(c->out, fileno(a->fp), 0, err);
}

/* Ends a successful run: closes stdout and renames -o's file into place. */
static int
finish(const mc_cli *c, mc_io_atomic *a, mc_err *err)
{
	int rc = mc_io_finish(err);

	if (rc != 0 && c->out != NULL && strcmp(c->out, "-") != 0)
		mc_err_prefix(err, c->out);
	if (rc == 0 && a->fp != NULL)
		return mc_io_atomic_commit(a, err);
	return rc;
}

/* Checks the operands and options together, then runs the program with
 * its output in place. */
static int
check_run(const mc_cli_prog *p, const mc_cli *c, void *ctx, int argc,
    char **argv, mc_err *err)
{
	mc_io_atomic a = { 0 };
	char q[64];
	int rc = 0;

	if (p->check != NULL)
		rc = p->check(ctx, argc, argv, err);
	else if (argc > 0)
		rc = mc_err_set(err, EX_USAGE, "unexpected argument %s",
		    mc_err_quote(q, sizeof(q), argv[0]));
	if (rc == 0)
		rc = open_output(c, &a, err);
	if (rc == 0)
		rc = p->run(ctx, err);
	if (rc == 0)
		rc = finish(c, &a, err);
	else
		fflush(stdout);
	mc_io_atomic_abort(&a);
	return rc;
}

int
mc_cli_main(const mc_cli_prog *p, mc_cli *c, void *ctx, int argc,
    char **argv)
{
	mc_err err = { 0, "" };
	struct table t = { 0 };
	int rc;

	mc_io_init();
	gsl_set_error_handler_off();
	/* The program read MCTOOLS_ISA (mctools(7)): the library never
	 * reads the environment for a setting of its own. */
	rc = mc_isa_cap(c->isa, "MCTOOLS_ISA", &err);
	if (rc == 0)
		rc = table_build(&t, p, &err);
	if (rc == 0)
		rc = parse(&t, c, ctx, argc, argv, &err);
	table_free(&t);
	if (rc < 0)		/* -h or --version, done once written */
		rc = mc_io_finish(&err);
	else if (rc == 0)
		rc = check_run(p, c, ctx, argc - optind, argv + optind, &err);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", p->name, err.msg);
	return rc;
}
