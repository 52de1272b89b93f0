/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_io's output files: replaced only by a complete file, and never when
 * they are not files to replace (a device, a FIFO, a link to one); its
 * unnamed temporary files go in $TMPDIR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_io.h"
#include "unit.h"

static char dir[] = "/tmp/test_io.XXXXXX";

static const char *
at(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* Writes text through mc_io_atomic to path.  Returns the status. */
static int
put(const char *path, const char *text, mc_err *err)
{
	mc_io_atomic a;
	int rc = mc_io_atomic_open(&a, path, err);

	if (rc != 0)
		return rc;
	fputs(text, a.fp);
	return mc_io_atomic_commit(&a, err);
}

static const char *
slurp(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

	buf[n] = '\0';
	if (fp)
		fclose(fp);
	return buf;
}

/* The number of entries in dir (temporary files left behind show). */
static int
entries(void)
{
	char cmd[300];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

int
main(void)
{
	mc_err err = { 0, "" };
	struct stat st;
	char link[64];
	ssize_t n;
	FILE *fp;

	if (mkdtemp(dir) == NULL)
		return 1;
	/* A new file, then a replaced one that keeps its mode. */
	CHECK(put(at("a.csv"), "one\n", &err) == 0);
	CHECK_STR(slurp(at("a.csv")), "one\n");
	chmod(at("a.csv"), 0640);
	CHECK(put(at("a.csv"), "two\n", &err) == 0);
	CHECK_STR(slurp(at("a.csv")), "two\n");
	CHECK(stat(at("a.csv"), &st) == 0 && (st.st_mode & 0777) == 0640);
	/* A link to a file stays a link; its target is replaced. */
	CHECK(symlink("a.csv", at("l.csv")) == 0);
	CHECK(put(at("l.csv"), "three\n", &err) == 0);
	n = readlink(at("l.csv"), link, sizeof(link) - 1);
	CHECK(n == 5 && memcmp(link, "a.csv", 5) == 0);
	CHECK_STR(slurp(at("a.csv")), "three\n");
	/*
	 * Links to a device are written to, never replaced.  (Only links
	 * here: a test that failed on /dev/null itself, run as root, would
	 * replace the machine's.)
	 */
	CHECK(symlink("/dev/null", at("n.csv")) == 0);
	CHECK(put(at("n.csv"), "gone\n", &err) == 0);
	CHECK(lstat(at("n.csv"), &st) == 0 && S_ISLNK(st.st_mode));
	/* A FIFO with a reader stays a FIFO. */
	CHECK(mkfifo(at("f.csv"), 0600) == 0);
	if (fork() == 0) {
		FILE *r = fopen(at("f.csv"), "r");
		char b[64] = "";
		size_t k = r ? fread(b, 1, sizeof(b) - 1, r) : 0;
		_exit(k == 5 && memcmp(b, "fifo\n", 5) == 0 ? 0 : 1);
	}
	CHECK(put(at("f.csv"), "fifo\n", &err) == 0);
	{
		int status;
		wait(&status);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK(lstat(at("f.csv"), &st) == 0 && S_ISFIFO(st.st_mode));
	/* A full device: the error, with the name. */
	CHECK(symlink("/dev/full", at("full.csv")) == 0);
	CHECK(put(at("full.csv"), "x\n", &err) == EX_IOERR);
	CHECK(strstr(err.msg, "full.csv: write error: No space left on "
	    "device") != NULL);
	CHECK(lstat(at("full.csv"), &st) == 0 && S_ISLNK(st.st_mode));
	/* A directory cannot be written. */
	CHECK(put(dir, "x\n", &err) == EX_CANTCREAT);
	/* Nothing left behind: a.csv l.csv n.csv f.csv full.csv. */
	CHECK(entries() == 5);

	/* Unnamed temporary files in $TMPDIR, which must exist. */
	setenv("TMPDIR", dir, 1);
	CHECK((fp = mc_io_tmpfile(&err)) != NULL);
	if (fp != NULL)
		fclose(fp);
	CHECK(entries() == 5);
	setenv("TMPDIR", at("none"), 1);
	CHECK(mc_io_tmpfile(&err) == NULL);
	CHECK(err.status == EX_CANTCREAT && strstr(err.msg, "none: No such "
	    "file or directory") != NULL);

	unlink(at("a.csv"));
	unlink(at("l.csv"));
	unlink(at("n.csv"));
	unlink(at("f.csv"));
	unlink(at("full.csv"));
	rmdir(dir);
	return unit_done("test_io");
}
