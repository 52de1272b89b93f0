/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcfan-run: the runner behind mcfan(1) on this host's cores.  mcfan
 * hands it a command whose word at -p is a shard's "I/N"; it runs shard I
 * of N for every I not yet done, at most -j at once, each in a process
 * group of its own with standard input from -i and its output and
 * messages in DIR/I and DIR/I.err, as GNU parallel's --results keeps them.
 * It writes parallel's joblog, runs a failed shard again up to -r tries in
 * all, stops after the failures that -H names (now: the running shards
 * too; soon: no new one), and stops a shard's process group after -t
 * seconds.  It exits 0 when every shard ended with status 0, 1 when
 * not (the joblog says which), 2 when one of those could not write (74),
 * 64 to 74 on its own errors (said on stderr), and 128 plus the signal
 * when one stopped it (the shards stop with it).
 *
 * With -G MERGER it runs no shard: it checks the outputs DIR/0 to
 * DIR/N-1 of a run that ended well (each printed something, all the same
 * header, none ends in the middle of a line: else exit 65, no answer from
 * part of the work) and hands them under one header to "MERGER --merge"
 * through a pipe; it exits with the merger's status.  mcfan did that in
 * bash, which took 30 to 40 ms of CPU for the 190 KB of a 200-row book's
 * eight shards, and a process more.  With -D DIR it then removes DIR, the
 * run's temporary directory, and what it holds.
 *
 * With -T TEMPLATE it makes the run's temporary directory (mkdtemp),
 * prints its name and puts in it the file "stdin": with -I a copy of
 * standard input, else empty.  It exits 73, silently, when it cannot
 * make the directory, and 74 with the reason when it cannot write the
 * copy (after printing the name, so that mcfan removes the directory).
 * One process where mktemp and cat were two, 10 ms of wall time each on
 * a small VM.
 *
 * Bash ran the shards before: a fork of bash costs 15 to 25 ms of CPU
 * on a small virtual machine, posix_spawn a fraction of one (no page
 * tables to copy), and a grid's thousand shards of a small book paid it
 * a thousand times.  This program is internal: mcfan is its only caller,
 * and its messages are mcfan's.
 */
/* nftw is XSI. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

struct options {
	unsigned long shards, slots, retries, maxfail;
	int soon, resume, pos;
	double timeout;
	const char *joblog, *dir, *in, *pre, *post, *gather, *rm, *temp;
	int copy;
	char **cmd;
};

struct shard {
	pid_t pid;
	unsigned long tries;
	int ok, late;
	struct timespec t0, deadline;
};

/* What a run counts, and where it is. */
struct run {
	const struct options *o;
	struct shard *s;
	unsigned long *todo, head, ntodo;	/* a ring of shards to start */
	unsigned long *live, nlive;		/* the running shards */
	unsigned long nfail;
	int full, logfd, logerr;
	sigset_t wait, orig;
	char shardword[64];
};

/* A message on stderr, as mcfan says it. */
static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mcfan: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Puts in *v the whole number s in [lo, hi]; returns 0, or -1 if it is
 * not one. */
static int
count(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end != '\0' || errno != 0 || *v < lo || *v > hi ? -1 : 0;
}

/* Parses --halt's forms: never, now,fail=K and soon,fail=K. */
static int
halt(const char *s, struct options *o)
{
	const char *k;

	if (strcmp(s, "never") == 0) {
		o->maxfail = 0;
		return 0;
	}
	if (strncmp(s, "now,fail=", 9) == 0)
		k = s + 9;
	else if (strncmp(s, "soon,fail=", 10) == 0) {
		k = s + 10;
		o->soon = 1;
	} else
		return -1;
	return count(k, 1, 999999999, &o->maxfail);
}

/* Sets the option c of the runner from arg; returns 0, or -1 if arg is
 * not a value for it (or c no option). */
static int
set(struct options *o, int c, const char *arg)
{
	unsigned long v;
	char *end;

	switch (c) {
	case 'G':
		o->gather = arg;
		return 0;
	case 'D':
		o->rm = arg;
		return 0;
	case 'T':
		o->temp = arg;
		return 0;
	case 'I':
		o->copy = 1;
		return 0;
	case 'l':
		o->joblog = arg;
		return 0;
	case 'o':
		o->dir = arg;
		return 0;
	case 'i':
		o->in = arg;
		return 0;
	case 'c':
		o->pre = arg;
		return 0;
	case 'C':
		o->post = arg;
		return 0;
	case 'N':
		return count(arg, 1, 1000000, &o->shards);
	case 'j':
		return count(arg, 1, 100000, &o->slots);
	case 'r':
		return count(arg, 1, 1000, &o->retries);
	case 'H':
		return halt(arg, o);
	case 't':
		o->timeout = strtod(arg, &end);
		return *end == '\0' && o->timeout > 0 ? 0 : -1;
	case 'p':
		if (count(arg, 1, INT_MAX, &v) != 0)
			return -1;
		o->pos = (int)v;
		return 0;
	case 'R':
		o->resume = 1;
		return 0;
	}
	return -1;
}

/* Parses the command line into o; returns 0, or -1 on a usage error. */
static int
parse(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt(argc, argv, "N:j:r:H:t:Rl:o:i:c:C:p:G:D:T:I")) !=
	    -1)
		if (set(o, c, optarg) != 0)
			return -1;
	o->cmd = argv + optind;
	if (o->temp != NULL)
		return optind != argc ? -1 : 0;
	if (o->gather != NULL)
		return o->dir == NULL || o->shards == 0 || optind != argc ? -1 : 0;
	if (o->joblog == NULL || o->dir == NULL || o->in == NULL ||
	    o->pre == NULL || o->post == NULL || o->shards == 0 ||
	    o->pos == 0 || o->pos >= argc - optind)
		return -1;
	return 0;
}

/* Adds sec seconds (0 or more) to *t. */
static void
add_seconds(struct timespec *t, double sec)
{
	t->tv_sec += (time_t)sec;
	t->tv_nsec += (long)((sec - (double)(time_t)sec) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * Reads a joblog for --resume-failed: a shard is done when its last line
 * says exit value 0 and signal 0.  Returns 0, or -1 when it cannot be read.
 */
static int
resume(struct run *r)
{
	FILE *fp = fopen(r->o->joblog, "r");
	char *line = NULL, *f[9], *p;
	size_t cap = 0;
	unsigned long seq;
	int n;

	if (fp == NULL)
		return -1;
	while (getline(&line, &cap, fp) != -1) {
		line[strcspn(line, "\n")] = '\0';
		for (n = 0, p = line; n < 9 && p != NULL; n++) {
			f[n] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		if (n < 8 || count(f[0], 1, r->o->shards, &seq) != 0)
			continue;
		r->s[seq - 1].ok = strcmp(f[6], "0") == 0 &&
		    strcmp(f[7], "0") == 0;
	}
	free(line);
	n = ferror(fp);
	return fclose(fp) != 0 || n ? -1 : 0;
}

/* Opens the joblog, with parallel's header unless the run resumes. */
static int
open_log(struct run *r)
{
	static const char head[] = "Seq\tHost\tStarttime\tJobRuntime\tSend\t"
	    "Receive\tExitval\tSignal\tCommand\n";
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC;

	if (!r->o->resume)
		flags |= O_TRUNC;
	r->logfd = open(r->o->joblog, flags, 0666);
	if (r->logfd < 0)
		return -1;
	if (!r->o->resume &&
	    write(r->logfd, head, sizeof head - 1) != (ssize_t)sizeof head - 1)
		return -1;
	return 0;
}

/*
 * Shard i's line in the joblog, in parallel's form: a timeout is exit
 * value -1 and signal 15, a death by a signal exit value 0 and the signal.
 * A lost line only makes a resumed run price the shard again, so a
 * failed write is said once and the run goes on.
 */
static void
log_shard(struct run *r, unsigned long i, int status)
{
	struct shard *s = &r->s[i];
	struct timespec t1;
	long ev = 0, sig = 0;
	double dt;

	clock_gettime(CLOCK_REALTIME, &t1);
	if (s->late) {
		ev = -1;
		sig = SIGTERM;
	} else if (WIFSIGNALED(status))
		sig = WTERMSIG(status);
	else
		ev = WEXITSTATUS(status);
	dt = since(&s->t0, &t1);
	if (dt < 0)
		dt = 0;
	if (dprintf(r->logfd, "%lu\t:\t%lld.%03ld\t%10.3f\t0\t0\t%ld\t%ld\t%s%lu%s\n",
	    i + 1, (long long)s->t0.tv_sec, s->t0.tv_nsec / 1000000, dt, ev,
	    sig, r->o->pre, i, r->o->post) < 0 && !r->logerr) {
		r->logerr = 1;
		say("cannot write the joblog %s: %s", r->o->joblog,
		    strerror(errno));
	}
}

/* nftw's callback for -D: removes a file or an emptied directory. */
static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* Writes all n bytes of buf to fd; returns 0, or -1 (errno set). */
static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	for (; n > 0; buf += w, n -= (size_t)w)
		if ((w = write(fd, buf, n)) < 0 && errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	return 0;
}

/* Returns the path DIR/NAME in memory of its own, or NULL. */
static char *
path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Returns shard i's file DIR/I with a suffix, or NULL. */
static char *
result(const char *dir, unsigned long i, const char *suffix)
{
	char name[64];

	snprintf(name, sizeof name, "%lu%s", i, suffix);
	return path_in(dir, name);
}

static int
add_files(posix_spawn_file_actions_t *fa, const struct options *o,
    unsigned long i)
{
	char *out = result(o->dir, i, ""), *err = result(o->dir, i, ".err");
	int st = -1;

	if (out != NULL && err != NULL &&
	    posix_spawn_file_actions_addopen(fa, 0, o->in, O_RDONLY, 0) == 0 &&
	    posix_spawn_file_actions_addopen(fa, 1, out,
	    O_WRONLY | O_CREAT | O_TRUNC, 0666) == 0 &&
	    posix_spawn_file_actions_addopen(fa, 2, err,
	    O_WRONLY | O_CREAT | O_TRUNC, 0666) == 0)
		st = 0;
	free(out);
	free(err);
	return st;
}

/*
 * Starts shard i in a process group of its own, with the signal mask and
 * dispositions mcfan-run was started with.  Returns 0, or the error of
 * posix_spawn (the shard then counts as a failure of status 126 or 127,
 * as a shell's would).
 */
static int
start(struct run *r, unsigned long i)
{
	const struct options *o = r->o;
	struct shard *s = &r->s[i];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int st;

	/* A try that cannot start is not late, whatever the last one was. */
	s->late = 0;
	snprintf(r->shardword, sizeof r->shardword, "%lu/%lu", i, o->shards);
	o->cmd[o->pos] = r->shardword;
	if ((st = posix_spawn_file_actions_init(&fa)) != 0)
		return st;
	if ((st = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return st;
	}
	if (add_files(&fa, o, i) != 0 ||
	    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK) != 0 ||
	    posix_spawnattr_setpgroup(&at, 0) != 0 ||
	    posix_spawnattr_setsigmask(&at, &r->orig) != 0)
		st = ENOMEM;
	else
		st = posix_spawn(&s->pid, o->cmd[0], &fa, &at, o->cmd, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	clock_gettime(CLOCK_REALTIME, &s->t0);
	if (st != 0)
		return st;
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	add_seconds(&s->deadline, o->timeout);
	r->live[r->nlive++] = i;
	return 0;
}

/* Stops every running shard's process group and waits for them, unlogged,
 * as parallel's --halt now does. */
static void
stop_all(struct run *r)
{
	unsigned long k;
	int status;

	for (k = 0; k < r->nlive; k++)
		kill(-r->s[r->live[k]].pid, SIGTERM);
	for (k = 0; k < r->nlive; k++)
		while (waitpid(r->s[r->live[k]].pid, &status, 0) < 0 &&
		    errno == EINTR)
			;
	r->nlive = 0;
}

/* A shard that ended with status: logged, done, tried again or failed. */
static void
ended(struct run *r, unsigned long i, int status)
{
	const struct options *o = r->o;
	struct shard *s = &r->s[i];

	log_shard(r, i, status);
	if (!s->late && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		s->ok = 1;
		return;
	}
	s->ok = 0;
	if (!s->late && WIFEXITED(status) && WEXITSTATUS(status) == EX_IOERR)
		r->full = 1;
	if (++s->tries < o->retries) {
		r->todo[(r->head + r->ntodo++) % o->shards] = i;
		return;
	}
	r->nfail++;
	if (o->maxfail > 0 && r->nfail >= o->maxfail && !o->soon)
		stop_all(r);
}

/* Reaps the shards that have ended; returns how many. */
static int
reap(struct run *r)
{
	unsigned long k;
	int status, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (k = 0; k < r->nlive && r->s[r->live[k]].pid != pid; k++)
			;
		if (k == r->nlive)
			continue;
		unsigned long i = r->live[k];
		r->live[k] = r->live[--r->nlive];
		ended(r, i, status);
		n++;
	}
	return n;
}

/* Stops the shards whose time is up; puts in *left the time to the next
 * deadline (NULL's caller waits without one). */
static int
deadlines(struct run *r, struct timespec *left)
{
	struct timespec now;
	double t, min = -1;
	unsigned long k;

	if (r->o->timeout <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (k = 0; k < r->nlive; k++) {
		struct shard *s = &r->s[r->live[k]];
		if (s->late)
			continue;
		t = since(&now, &s->deadline);
		if (t <= 0) {
			s->late = 1;
			kill(-s->pid, SIGTERM);
		} else if (min < 0 || t < min)
			min = t;
	}
	if (min < 0)
		return 0;
	/* A nanosecond past, so the wait ends after the deadline. */
	*left = (struct timespec){ 0, 1 };
	add_seconds(left, min);
	return 1;
}

/*
 * Starts shards while there are slots and shards to start and the
 * failures allow it.  A shard that cannot be started ends at once with a
 * shell's status.
 */
static void
fill(struct run *r)
{
	const struct options *o = r->o;
	unsigned long i;
	int st;

	while (r->nlive < o->slots && r->ntodo > 0 &&
	    (o->maxfail == 0 || r->nfail < o->maxfail)) {
		i = r->todo[r->head];
		r->head = (r->head + 1) % o->shards;
		r->ntodo--;
		if ((st = start(r, i)) != 0) {
			say("cannot run %s: %s", o->cmd[0], strerror(st));
			ended(r, i, (st == ENOENT ? 127 : 126) << 8);
		}
	}
}

/* The run's loop; returns 0, or the signal that stopped it. */
static int
loop(struct run *r)
{
	struct timespec left;
	int sig;

	for (;;) {
		fill(r);
		if (r->nlive == 0)
			return 0;
		if (reap(r) > 0)
			continue;
		sig = sigtimedwait(&r->wait, NULL,
		    deadlines(r, &left) ? &left : NULL);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			stop_all(r);
			return sig;
		}
	}
}

/*
 * Blocks the signals the loop waits for.  One that mcfan-run was started
 * with ignored stays ignored (nohup's SIGHUP); SIGCHLD must not be, or
 * the shards would be reaped unseen.
 */
static void
signals(struct run *r)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t k;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&r->wait);
	sigaddset(&r->wait, SIGCHLD);
	for (k = 0; k < sizeof stops / sizeof stops[0]; k++)
		if (sigaction(stops[k], NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_IGN)
			sigaddset(&r->wait, stops[k]);
	sigprocmask(SIG_BLOCK, &r->wait, &r->orig);
}

/* The run's status: 0 when every shard ended well, 2 when one that did
 * not could not write (74), else 1.  (A shard that failed its last try
 * is not ok.) */
static int
status(const struct run *r)
{
	unsigned long i;

	for (i = 0; i < r->o->shards; i++)
		if (!r->s[i].ok)
			return r->full ? 2 : 1;
	return 0;
}

static int
run(const struct options *o)
{
	struct run r = { .o = o, .logfd = -1 };
	unsigned long i;
	int sig, st;

	r.s = calloc(o->shards, sizeof *r.s);
	r.todo = calloc(o->shards, sizeof *r.todo);
	r.live = calloc(o->slots < o->shards ? o->slots : o->shards,
	    sizeof *r.live);
	if (r.s == NULL || r.todo == NULL || r.live == NULL) {
		say("out of memory");
		st = EX_OSERR;
	} else if (o->resume && resume(&r) != 0) {
		say("%s: %s", o->joblog, strerror(errno));
		st = EX_NOINPUT;
	} else if (open_log(&r) != 0) {
		say("cannot write the joblog %s: %s", o->joblog,
		    strerror(errno));
		st = EX_IOERR;
	} else {
		for (i = 0; i < o->shards; i++)
			if (!r.s[i].ok)
				r.todo[r.ntodo++] = i;
		signals(&r);
		sig = loop(&r);
		st = sig != 0 ? 128 + sig : status(&r);
	}
	if (r.logfd >= 0 && close(r.logfd) != 0 && st == 0 && !r.logerr) {
		say("cannot write the joblog %s: %s", o->joblog,
		    strerror(errno));
		st = EX_IOERR;
	}
	free(r.s);
	free(r.todo);
	free(r.live);
	return st;
}

/*
 * Reads the first line of shard i's output into *line (its newline
 * kept) and whether the output ends in a newline into *whole; returns 0,
 * 1 when the output is empty, or -1 on a read error (errno set).
 */
static int
first_line(const char *dir, unsigned long i, char **line, size_t *cap,
    ssize_t *len, int *whole)
{
	char *path = result(dir, i, "");
	FILE *fp;
	int st = -1;

	if (path == NULL || (fp = fopen(path, "r")) == NULL) {
		free(path);
		return -1;
	}
	if ((*len = getline(line, cap, fp)) == -1)
		st = ferror(fp) ? -1 : 1;
	else if (fseek(fp, -1, SEEK_END) == 0) {
		*whole = fgetc(fp) == '\n';
		st = ferror(fp) ? -1 : 0;
	}
	fclose(fp);
	free(path);
	return st;
}

/* The length of a line of len bytes without its newline. */
static size_t
bare(const char *line, ssize_t len)
{
	return len > 0 && line[len - 1] == '\n' ? (size_t)len - 1 :
	    (size_t)len;
}

/*
 * Checks the outputs of a run, as mcfan's merge does: every shard
 * printed something under the first one's header, then none ends in the
 * middle of a line (the first such is named).  Returns 0, or EX_DATAERR
 * or EX_IOERR with the message said.
 */
static int
check_outputs(const struct options *o)
{
	char *head = NULL, *line = NULL;
	size_t hcap = 0, cap = 0;
	ssize_t hlen = 0, len;
	unsigned long i, cut = o->shards;
	int whole = 0, st = 0;

	for (i = 0; i < o->shards && st == 0; i++) {
		int rd = first_line(o->dir, i, i == 0 ? &head : &line,
		    i == 0 ? &hcap : &cap, i == 0 ? &hlen : &len, &whole);
		if (rd < 0) {
			say("%s/%lu: %s", o->dir, i, strerror(errno));
			st = EX_IOERR;
		} else if (rd > 0) {
			say("shard %lu/%lu printed nothing", i, o->shards);
			st = EX_DATAERR;
		} else if (i > 0 && (bare(line, len) != bare(head, hlen) ||
		    memcmp(line, head, bare(head, hlen)) != 0)) {
			say("shard %lu/%lu printed the header \"%.*s\", not "
			    "\"%.*s\"", i, o->shards, (int)bare(line, len),
			    line, (int)bare(head, hlen), head);
			st = EX_DATAERR;
		} else if (!whole && cut == o->shards)
			cut = i;
	}
	if (st == 0 && cut < o->shards) {
		say("shard %lu/%lu: its output ends in the middle of a line",
		    cut, o->shards);
		st = EX_DATAERR;
	}
	free(head);
	free(line);
	return st;
}

/*
 * Copies shard i's output to out, from its first line's end unless i is
 * 0.  Returns 0, 1 when the output cannot be read (errno set), or 2 when
 * out cannot be written (the merger stopped reading).
 */
static int
copy_output(const char *dir, unsigned long i, FILE *out)
{
	char *path = result(dir, i, ""), buf[65536];
	FILE *fp;
	size_t n;
	int c = '\n', st;

	if (path == NULL || (fp = fopen(path, "r")) == NULL) {
		free(path);
		return 1;
	}
	while (i > 0 && (c = getc(fp)) != EOF && c != '\n')
		;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	st = ferror(fp) ? 1 : ferror(out) ? 2 : 0;
	fclose(fp);
	free(path);
	return st;
}

/*
 * Starts "merger --merge" reading from a pipe whose writing end goes in
 * *fd, with SIGPIPE as the runner found it; returns 0, or an error number.
 */
static int
start_merger(const char *merger, pid_t *pid, int *fd, const sigset_t *dfl)
{
	char *argv[] = { (char *)merger, "--merge", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int p[2], st;

	if (pipe(p) != 0)
		return errno;
	if ((st = posix_spawn_file_actions_init(&fa)) == 0) {
		if ((st = posix_spawnattr_init(&at)) == 0) {
			if (posix_spawn_file_actions_adddup2(&fa, p[0], 0) != 0 ||
			    posix_spawn_file_actions_addclose(&fa, p[1]) != 0 ||
			    posix_spawnattr_setsigdefault(&at, dfl) != 0 ||
			    posix_spawnattr_setflags(&at,
			    POSIX_SPAWN_SETSIGDEF) != 0)
				st = ENOMEM;
			else
				st = posix_spawn(pid, merger, &fa, &at, argv,
				    environ);
			posix_spawnattr_destroy(&at);
		}
		posix_spawn_file_actions_destroy(&fa);
	}
	close(p[0]);
	if (st != 0)
		close(p[1]);
	else
		*fd = p[1];
	return st;
}

/*
 * -G: the checked outputs under one header to o->gather's --merge.
 * Returns the merger's status, or a sysexits status with the message
 * said.  A merger that stops reading (an error it says) ends the copy.
 * An output that cannot be read stops the merger before its input ends:
 * at the end of part of the rows it would merge them, with status 0.
 */
static int
gather(const struct options *o)
{
	struct sigaction sa;
	sigset_t dfl;
	unsigned long i;
	FILE *out;
	pid_t pid;
	int st, bad = 0, fd = -1, status;

	if ((st = check_outputs(o)) != 0)
		return st;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&dfl);
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
		sigaddset(&dfl, SIGPIPE);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if ((st = start_merger(o->gather, &pid, &fd, &dfl)) != 0) {
		say("cannot run %s: %s", o->gather, strerror(st));
		return st == ENOENT ? EX_UNAVAILABLE : EX_OSERR;
	}
	/* bad: the sysexits status of a copy that did not end, where the
	 * merger is stopped before it could merge part of the rows. */
	if ((out = fdopen(fd, "w")) == NULL) {
		say("out of memory");
		bad = EX_OSERR;
		close(fd);
	}
	for (i = 0; !bad && st == 0 && i < o->shards; i++)
		if ((st = copy_output(o->dir, i, out)) == 1) {
			say("%s/%lu: %s", o->dir, i, strerror(errno));
			bad = EX_IOERR;
		}
	if (bad)
		kill(pid, SIGTERM);
	if (out != NULL)
		fclose(out);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EX_OSERR;
	if (o->rm != NULL)
		nftw(o->rm, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (bad)
		return bad;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* -T: the run's temporary directory, and its file "stdin". */
static int
make_temp(const struct options *o)
{
	char *dir = strdup(o->temp), *path = NULL, buf[65536];
	ssize_t n = 0;
	int fd = -1, st = 0;

	if (dir == NULL || mkdtemp(dir) == NULL) {
		free(dir);
		return EX_CANTCREAT;
	}
	if (printf("%s\n", dir) < 0 || fflush(stdout) != 0)
		st = EX_IOERR;
	else if ((path = path_in(dir, "stdin")) == NULL)
		st = EX_OSERR;
	else
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	while (st == 0 && fd >= 0 && o->copy &&
	    (n = read(0, buf, sizeof buf)) > 0)
		if (write_all(fd, buf, (size_t)n) != 0)
			n = -1;
	if (st == 0 && (fd < 0 || n < 0 || close(fd) != 0)) {
		say("cannot write %s: %s", path, strerror(errno));
		st = EX_IOERR;
	}
	free(path);
	free(dir);
	return st;
}

int
main(int argc, char **argv)
{
	struct options o = { .slots = 1, .retries = 1, .maxfail = 1 };

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: mcfan-run -N SHARDS [-j JOBS] [-r TRIES] "
		    "[-H HALT] [-t SECONDS] [-R] -l JOBLOG -o DIR -i INPUT "
		    "-c PRE -C POST -p POS -- COMMAND ARG ...\n"
		    "       mcfan-run -G MERGER -N SHARDS -o DIR [-D DIR]\n"
		    "       mcfan-run -T TEMPLATE [-I]\n"
		    "(mcfan's runner; see mcfan(1))\n");
		return EX_USAGE;
	}
	if (o.temp != NULL)
		return make_temp(&o);
	if (o.gather != NULL)
		return gather(&o);
#ifdef __linux__
	/* Killed with mcfan, however mcfan dies: its shards go too. */
	pid_t parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() != parent)
		return 128 + SIGTERM;
#endif
	return run(&o);
}
