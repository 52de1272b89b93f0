/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_io.h"

#include <errno.h>
#include <fcntl.h>
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
mc_io_tmpfile(const char *dir, mc_err *err)
{
	char *path;
	FILE *fp = NULL;
	int fd, e;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((path = malloc(strlen(dir) + sizeof("/.mctools-XXXXXX"))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory"), NULL;
	strcpy(path, dir);
	strcat(path, "/.mctools-XXXXXX");
	if ((fd = mkstemp(path)) >= 0) {
		unlink(path);
		if ((fp = fdopen(fd, "w+")) == NULL)
			close(fd);
	}
	e = errno;
	free(path);
	if (fp == NULL)
		mc_err_set(err, EX_CANTCREAT, "temporary file in %s: %s", dir,
		    strerror(e));
	return fp;
}

FILE *
mc_io_reread(FILE *fp, const char *name, char **buf, off_t *at, mc_err *err)
{
	struct stat sb;
	char chunk[65536];
	size_t len = 0, k;
	FILE *m, *in = NULL;
	int full = 0;

	*buf = NULL;
	*at = 0;
	if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (*at = ftello(fp)) >= 0)
		return fp;
	*at = 0;
	if ((m = open_memstream(buf, &len)) == NULL) {
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	while (!full && (k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		full = fwrite(chunk, 1, k, m) != k;
	if (fclose(m) != 0)
		full = 1;
	if (ferror(fp))
		mc_err_set(err, EX_IOERR, "%s: read error: %s", name,
		    strerror(errno));
	else if (full || (in = fmemopen(*buf, len, "r")) == NULL)
		mc_err_set(err, EX_OSERR, "out of memory");
	if (in == NULL) {
		free(*buf);
		*buf = NULL;
	}
	return in;
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

/*
 * Whether -o PATH names something other than a file to replace: a
 * device, a FIFO, a socket, a directory, or a path through /dev or /proc
 * (/dev/stdout, /proc/self/fd/1), where renaming would replace the name
 * instead of writing to what it stands for.
 */
static int
is_direct(const char *path, const struct stat *st)
{
	char link[16];
	ssize_t n;

	if (!S_ISREG(st->st_mode))
		return 1;
	if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
		return 1;
	n = readlink(path, link, sizeof(link));
	return n >= 5 && (strncmp(link, "/dev/", 5) == 0 ||
	    (n >= 6 && strncmp(link, "/proc/", 6) == 0));
}

/* Opens path to write to it as it is: no temporary file, no rename. */
static int
open_direct(mc_io_atomic *a, const char *path, mc_err *err)
{
	/* Appending, so that a file behind /dev/stdout opened with >>
	 * keeps what it held, and one opened with > is empty anyway. */
	int fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY), e;

	a->direct = 1;
	if (fd < 0 || (a->fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		mc_io_atomic_abort(a);
		return mc_err_set(err, EX_CANTCREAT, "%s: %s", path,
		    strerror(e));
	}
	return 0;
}

int
mc_io_atomic_open(mc_io_atomic *a, const char *path, mc_err *err)
{
	const char *slash, *dest = path;
	size_t dirlen;
	struct stat st;
	mode_t mode;
	int fd = -1, exists;

	memset(a, 0, sizeof(*a));
	if ((a->path = strdup(path)) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	exists = stat(path, &st) == 0;
	if (exists && is_direct(path, &st))
		return open_direct(a, path, err);
	/* A symbolic link to a file stays a link: its target is replaced,
	 * and the temporary file goes beside the target. */
	if (exists && (a->real = realpath(path, NULL)) != NULL)
		dest = a->real;
	slash = strrchr(dest, '/');
	dirlen = slash ? (size_t)(slash - dest) + 1 : 0;
	if ((a->tmp = malloc(dirlen + 32)) == NULL) {
		mc_io_atomic_abort(a);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	/* A hidden name in the same directory, so rename is atomic. */
	memcpy(a->tmp, dest, dirlen);
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
	/* mkstemp makes the file 0600: give it the mode of the file it
	 * replaces, or the one a new file gets. */
	if (exists)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	fchmod(fd, mode);
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
	if (a->direct) {
		mc_io_atomic_abort(a);
		return 0;
	}
	if (rename(a->tmp, a->real ? a->real : a->path) != 0) {
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
	free(a->real);
	memset(a, 0, sizeof(*a));
}
