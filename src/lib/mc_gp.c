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

void
mc_gp_quote(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t lead = 0;

	/*
	 * gnuplot reads '' at the start of a string as the empty string, so
	 * '''x' would not parse: leading quotes go in a double-quoted string
	 * of quotes alone (nothing there for gnuplot to expand), joined to
	 * the rest with the string operator ".".
	 */
	for (; *p != '\0' && (*p == '\'' || is_ctrl(*p)); p++)
		lead += *p == '\'';
	if (lead > 0) {
		putc('"', fp);
		while (lead-- > 0)
			putc('\'', fp);
		putc('"', fp);
		if (*p == '\0')
			return;
		putc('.', fp);
	}
	putc('\'', fp);
	for (; *p != '\0'; p++) {
		if (is_ctrl(*p))
			continue;
		if (*p == '\'')
			putc('\'', fp);
		putc(*p, fp);
	}
	putc('\'', fp);
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

int
mc_gp_start(mc_gp *g, int outfd, mc_err *err)
{
	char *prog;
	int fd[2];

	memset(g, 0, sizeof(*g));
	if ((prog = find_gnuplot()) == NULL)
		return mc_err_set(err, EX_UNAVAILABLE,
		    "gnuplot not found in PATH (install gnuplot-nox)");
	if (pipe(fd) != 0) {
		free(prog);
		return mc_err_set(err, EX_OSERR, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	if ((g->pid = fork()) < 0) {
		int e = errno;
		close(fd[0]);
		close(fd[1]);
		free(prog);
		return mc_err_set(err, EX_OSERR, "fork: %s", strerror(e));
	}
	if (g->pid == 0) {
		char *argv[] = { "gnuplot", "-d", "/dev/stdin", NULL };

		/* Reading a named file rather than a bare stdin makes gnuplot
		 * stop at the first error and name the script's line. */
		close(fd[1]);
		if (dup2(fd[0], 0) < 0 || dup2(outfd, 1) < 0)
			_exit(126);
		close(fd[0]);
		execv(prog, argv);
		_exit(127);
	}
	free(prog);
	close(fd[0]);
	g->oldpipe = signal(SIGPIPE, SIG_IGN);
	if ((g->fp = fdopen(fd[1], "w")) == NULL) {
		close(fd[1]);
		mc_gp_finish(g, NULL);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	return 0;
}

int
mc_gp_finish(mc_gp *g, mc_err *err)
{
	int bad = 0, status, werr = 0, e = 0;

	if (g->fp != NULL) {
		bad = ferror(g->fp);
		errno = 0;
		if (fclose(g->fp) != 0 || bad) {
			bad = 1;
			werr = errno;
		}
		g->fp = NULL;
	}
	while (waitpid(g->pid, &status, 0) < 0) {
		if (errno != EINTR) {
			e = errno;
			status = -1;
			break;
		}
	}
	signal(SIGPIPE, g->oldpipe == SIG_ERR ? SIG_DFL : g->oldpipe);
	g->termsig = 0;
	if (status == -1)
		return mc_err_set(err, EX_OSERR, "waitpid: %s",
		    strerror(e));
	if (WIFSIGNALED(status)) {
		g->termsig = WTERMSIG(status);
		return mc_err_set(err, EX_SOFTWARE, "gnuplot killed by "
		    "signal %d", g->termsig);
	}
	if (WEXITSTATUS(status) != 0)
		return mc_err_set(err, EX_SOFTWARE, "gnuplot failed (exit "
		    "status %d)", WEXITSTATUS(status));
	if (bad)
		return mc_err_set(err, EX_IOERR, "writing to gnuplot: %s",
		    werr ? strerror(werr) : "output failed");
	return 0;
}
