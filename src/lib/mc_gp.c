/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_gp.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int
is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Writes a run of n quotes as a double-quoted string of quotes alone. */
static void
put_quotes(FILE *fp, size_t n)
{
	putc('"', fp);
	while (n-- > 0)
		putc('\'', fp);
	putc('"', fp);
}

void
mc_gp_quote(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t quotes = 0;
	int parts = 0, open = 0;

	/*
	 * gnuplot 5.4 reads '' at the start of a string as the empty string
	 * and ends a string at a second doubled quote (as in '12'''' pipe'),
	 * so no quote goes inside single quotes: each run of them becomes a
	 * double-quoted string of quotes alone (nothing there for gnuplot to
	 * expand), joined to the rest with the string operator ".".
	 */
	for (;; p++) {
		if (*p != '\0' && is_ctrl(*p))
			continue;
		if (*p == '\'') {
			quotes++;
			continue;
		}
		if (open && (quotes > 0 || *p == '\0')) {
			putc('\'', fp);
			open = 0;
		}
		if (quotes > 0) {
			if (parts++ > 0)
				putc('.', fp);
			put_quotes(fp, quotes);
			quotes = 0;
		}
		if (*p == '\0')
			break;
		if (!open) {
			if (parts++ > 0)
				putc('.', fp);
			putc('\'', fp);
			open = 1;
		}
		putc(*p, fp);
	}
	/* Nothing left: the empty string. */
	if (parts == 0)
		fputs("''", fp);
}

/*
 * Looks for an executable gnuplot in each directory of PATH, as execvp
 * would (an empty entry is the current directory).  Returns a malloc'd
 * path, or NULL.
 */
static char *
find_gnuplot(void)
{
	const char *path = getenv("PATH"), *p, *end;
	char *buf;
	size_t len;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if ((buf = malloc(len + sizeof("/gnuplot") + 1)) == NULL)
			return NULL;
		if (len == 0)
			strcpy(buf, "./gnuplot");
		else {
			memcpy(buf, p, len);
			strcpy(buf + len, "/gnuplot");
		}
		if (access(buf, X_OK) == 0)
			return buf;
		free(buf);
		if (end == NULL)
			return NULL;
	}
}

/*
 * gnuplot's environment variables that change what a script does or
 * where it reads from (GNUTERM=foo made every run fail): plotxy sets
 * its terminal and everything else in the script.
 */
static const char *const gp_env[] = {
	"GNUTERM", "GNUHELP", "GNUPLOT_LIB", "GNUPLOT_DRIVER_DIR",
	"GNUPLOT_PS_DIR", "GNUPLOT_FONTPATH", "FIT_SCRIPT", "FIT_LOG", NULL
};

/*
 * The children of the running gnuplot, for the signal handler, which can
 * reach them only through statics; one gnuplot runs at a time.
 */
static volatile pid_t fwd_pid[2];
static const int fwd_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction fwd_old[3];
static int fwd_on;

/*
 * A fatal signal while gnuplot runs: passed on to gnuplot and the sink,
 * which are waited for, so that none outlives the caller; then the
 * caller's own handling (mc_io removing a temporary file, or death).
 */
static void
on_fatal(int sig)
{
	int i;

	for (i = 0; i < 2; i++)
		if (fwd_pid[i] > 0)
			kill(fwd_pid[i], sig);
	for (i = 0; i < 2; i++)
		if (fwd_pid[i] > 0)
			while (waitpid(fwd_pid[i], NULL, 0) < 0 && errno == EINTR)
				;
	for (i = 0; i < 3; i++)
		if (fwd_sigs[i] == sig)
			sigaction(sig, &fwd_old[i], NULL);
	/* Pending until this handler returns, then handled as before. */
	raise(sig);
}

static void
forward(pid_t gp, pid_t sink)
{
	struct sigaction sa;
	int i;

	fwd_pid[0] = gp;
	fwd_pid[1] = sink;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++) {
		sigaction(fwd_sigs[i], NULL, &fwd_old[i]);
		/* A signal ignored (nohup, a background job) stays so. */
		if (fwd_old[i].sa_handler != SIG_IGN)
			sigaction(fwd_sigs[i], &sa, NULL);
	}
	fwd_on = 1;
}

static void
unforward(void)
{
	int i;

	if (!fwd_on)
		return;
	for (i = 0; i < 3; i++)
		sigaction(fwd_sigs[i], &fwd_old[i], NULL);
	fwd_pid[0] = fwd_pid[1] = 0;
	fwd_on = 0;
}

/*
 * The sink, in a child: copies gnuplot's output from in to out, checking
 * every write (gnuplot exits 0 when its own writes fail, as on a full
 * disk).  After a failed write it reads on to the end, so that gnuplot
 * finishes, and exits with the write's errno (below 128); a failed read
 * exits with 128 + errno; otherwise it exits with 0.  A closed pipe kills
 * it with SIGPIPE, as it would kill the caller.
 */
static void
sink(int in, int out)
{
	char buf[65536];
	ssize_t n, w, off;
	int bad = 0, i;

	signal(SIGPIPE, SIG_DFL);
	/* Past a file size limit, a write fails (EFBIG) like any other. */
	signal(SIGXFSZ, SIG_IGN);
	/* The caller's handlers (mc_io's removal of its temporary file)
	 * are the caller's: this process just dies of those signals. */
	for (i = 0; i < 3; i++)
		if (signal(fwd_sigs[i], SIG_DFL) == SIG_IGN)
			signal(fwd_sigs[i], SIG_IGN);
	for (;;) {
		if ((n = read(in, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(bad ? bad : 128 + (errno & 0x7f));
		if (n == 0)
			_exit(bad);
		for (off = 0; off < n && !bad; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				if (errno != EINTR)
					bad = errno & 0x7f ? errno & 0x7f : 1;
				w = 0;
			}
	}
}

/*
 * Starts gnuplot reading its script from fd[0] and writing to fd[3], with
 * gnuplot's environment cleared.  Returns the pid, or -1.
 */
static pid_t
spawn_gnuplot(const char *prog, const int *fd)
{
	char *argv[] = { "gnuplot", "-d", "/dev/stdin", NULL };
	pid_t pid = fork();
	size_t i;

	if (pid != 0)
		return pid;
	/* The script's write end held here would keep gnuplot waiting for
	 * more; the output's read end is the sink's. */
	close(fd[1]);
	close(fd[2]);
	/* Reading a named file rather than a bare stdin makes gnuplot stop
	 * at the first error and name the script's line. */
	if (dup2(fd[0], 0) < 0 || dup2(fd[3], 1) < 0)
		_exit(126);
	for (i = 0; gp_env[i] != NULL; i++)
		unsetenv(gp_env[i]);
	execv(prog, argv);
	_exit(127);
}

/* Closes the descriptors of fd that are open (>= 0). */
static void
close_all(const int *fd, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

int
mc_gp_start(mc_gp *g, int outfd, mc_err *err)
{
	char *prog;
	/* The script's pipe, then gnuplot's output pipe to the sink. */
	int fd[4] = { -1, -1, -1, -1 }, e;

	memset(g, 0, sizeof(*g));
	if ((prog = find_gnuplot()) == NULL)
		return mc_err_set(err, EX_UNAVAILABLE,
		    "gnuplot not found in PATH (install gnuplot-nox)");
	if (pipe(fd) != 0 || pipe(fd + 2) != 0) {
		e = errno;
		close_all(fd, 4);
		free(prog);
		return mc_err_set(err, EX_OSERR, "pipe: %s", strerror(e));
	}
	fflush(NULL);
	if ((g->sink = fork()) == 0) {
		/* Only the output pipe's read end: the script's write end
		 * held open here would keep gnuplot waiting for more. */
		close(fd[0]);
		close(fd[1]);
		close(fd[3]);
		sink(fd[2], outfd);
	}
	if (g->sink > 0)
		g->pid = spawn_gnuplot(prog, fd);
	e = errno;
	free(prog);
	close(fd[0]);
	close(fd[2]);
	close(fd[3]);
	if (g->sink < 0 || g->pid < 0) {
		close(fd[1]);
		if (g->sink > 0) {
			kill(g->sink, SIGKILL);
			waitpid(g->sink, NULL, 0);
		}
		g->pid = g->sink = 0;
		return mc_err_set(err, EX_OSERR, "fork: %s", strerror(e));
	}
	forward(g->pid, g->sink);
	g->oldpipe = signal(SIGPIPE, SIG_IGN);
	if ((g->fp = fdopen(fd[1], "w")) == NULL) {
		close(fd[1]);
		mc_gp_finish(g, NULL);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	return 0;
}

/* Waits for pid.  Returns its status, or -1 with *e set. */
static int
reap(pid_t pid, int *e)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			*e = errno;
			return -1;
		}
	}
	return status;
}

int
mc_gp_finish(mc_gp *g, mc_err *err)
{
	int bad = 0, status, sstatus, werr = 0, e = 0;

	if (g->fp != NULL) {
		bad = ferror(g->fp);
		errno = 0;
		if (fclose(g->fp) != 0 || bad) {
			bad = 1;
			werr = errno;
		}
		g->fp = NULL;
	}
	status = reap(g->pid, &e);
	sstatus = reap(g->sink, &e);
	unforward();
	signal(SIGPIPE, g->oldpipe == SIG_ERR ? SIG_DFL : g->oldpipe);
	g->termsig = 0;
	if (status == -1 || sstatus == -1)
		return mc_err_set(err, EX_OSERR, "waitpid: %s",
		    strerror(e));
	/* Output lost to a closed pipe ends the sink (and then gnuplot). */
	if (WIFSIGNALED(sstatus)) {
		g->termsig = WTERMSIG(sstatus);
		return mc_err_set(err, EX_IOERR, "write error: killed by "
		    "signal %d", g->termsig);
	}
	if (WIFSIGNALED(status)) {
		g->termsig = WTERMSIG(status);
		return mc_err_set(err, EX_SOFTWARE, "gnuplot killed by "
		    "signal %d", g->termsig);
	}
	if (WEXITSTATUS(status) != 0)
		return mc_err_set(err, EX_SOFTWARE, "gnuplot failed (exit "
		    "status %d)", WEXITSTATUS(status));
	/* gnuplot's output could not be written: no figure, whatever
	 * gnuplot thinks. */
	if (WEXITSTATUS(sstatus) >= 128)
		return mc_err_set(err, EX_IOERR, "reading gnuplot's output: "
		    "%s", strerror(WEXITSTATUS(sstatus) - 128));
	if (WEXITSTATUS(sstatus) != 0)
		return mc_err_set(err, EX_IOERR, "write error: %s",
		    strerror(WEXITSTATUS(sstatus)));
	if (bad)
		return mc_err_set(err, EX_IOERR, "writing to gnuplot: %s",
		    werr ? strerror(werr) : "output failed");
	return 0;
}
