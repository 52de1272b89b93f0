/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_io.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
mc_io_init(void)
{
	signal(SIGPIPE, SIG_DFL);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
}

int
mc_io_finish(mc_err *err)
{
	int bad = ferror(stdout);

	errno = 0;
	if (fclose(stdout) != 0 || bad)
		return mc_err_set(err, EX_IOERR, "write error: %s",
		    errno ? strerror(errno) : "output failed");
	return 0;
}

FILE *
mc_io_open_in(const char *path, const char **name, mc_err *err)
{
	FILE *fp;

	if (strcmp(path, "-") == 0) {
		*name = "stdin";
		return stdin;
	}
	*name = path;
	if ((fp = fopen(path, "r")) == NULL)
		mc_err_set(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	return fp;
}

/*
 * The temporary file of the atomic output being written, for the signal
 * handler to remove: a killed run leaves neither half a file nor a stray
 * temporary one.  A signal handler can only reach it through a static;
 * one atomic output at a time is all a program writes.
 */
static const char *volatile pending_tmp;
static const int fatal_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction old_sa[3];

static void
on_fatal(int sig)
{
	const char *p = pending_tmp;

	if (p != NULL)
		unlink(p);
	/* Die of the signal, so the parent sees how the run ended. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
watch(const char *tmp)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	pending_tmp = tmp;
	for (i = 0; i < 3; i++) {
		sigaction(fatal_sigs[i], NULL, &old_sa[i]);
		/* A signal ignored (nohup, a background job) stays so. */
		if (old_sa[i].sa_handler != SIG_IGN)
			sigaction(fatal_sigs[i], &sa, NULL);
	}
}

static void
unwatch(void)
{
	size_t i;

	if (pending_tmp == NULL)
		return;
	for (i = 0; i < 3; i++)
		sigaction(fatal_sigs[i], &old_sa[i], NULL);
	pending_tmp = NULL;
}

int
mc_io_atomic_open(mc_io_atomic *a, const char *path, mc_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	mode_t mask;
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if ((a->path = strdup(path)) == NULL ||
	    (a->tmp = malloc(dirlen + 32)) == NULL) {
		mc_io_atomic_abort(a);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	/* A hidden name in the same directory, so rename is atomic. */
	memcpy(a->tmp, path, dirlen);
	strcpy(a->tmp + dirlen, ".mctools-XXXXXX");
	if ((fd = mkstemp(a->tmp)) < 0 || (a->fp = fdopen(fd, "w")) == NULL) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(a->tmp);
		}
		free(a->tmp);
		a->tmp = NULL;
		mc_io_atomic_abort(a);
		return mc_err_set(err, EX_CANTCREAT, "%s: %s", path,
		    strerror(e));
	}
	/* mkstemp makes the file 0600; give it the mode a new file gets. */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	watch(a->tmp);
	return 0;
}

int
mc_io_atomic_commit(mc_io_atomic *a, mc_err *err)
{
	int bad = ferror(a->fp), e;

	errno = 0;
	if (fclose(a->fp) != 0 || bad) {
		e = errno;
		a->fp = NULL;
		mc_err_set(err, EX_IOERR, "%s: write error: %s", a->path,
		    e ? strerror(e) : "output failed");
		mc_io_atomic_abort(a);
		return EX_IOERR;
	}
	a->fp = NULL;
	if (rename(a->tmp, a->path) != 0) {
		e = errno;
		mc_err_set(err, EX_CANTCREAT, "%s: %s", a->path, strerror(e));
		mc_io_atomic_abort(a);
		return EX_CANTCREAT;
	}
	unwatch();
	free(a->tmp);
	a->tmp = NULL;
	mc_io_atomic_abort(a);
	return 0;
}

void
mc_io_atomic_abort(mc_io_atomic *a)
{
	if (a->fp != NULL)
		fclose(a->fp);
	if (a->tmp != NULL)
		unlink(a->tmp);
	/* After the unlink, so a signal in between finds the temporary
	 * file gone, never left behind; before the free. */
	if (a->tmp != NULL && pending_tmp == a->tmp)
		unwatch();
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}
