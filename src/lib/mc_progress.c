/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_progress.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

double
mc_progress_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
mc_progress_si(char *buf, double x, int bytes)
{
	static const char pre[] = " kMGTPEZY";
	int i = 0, dec;

	/* The prefix that leaves fewer than 1000 after rounding to three
	 * digits: 999.7k is "1.00M", not "1000k". */
	while (x >= 999.5 && i < 8) {
		x /= 1000;
		i++;
	}
	if (i == 0 && x == floor(x))
		dec = 0;
	else
		dec = x < 9.995 ? 2 : x < 99.95 ? 1 : 0;
	if (i == 0 && dec > 0 && x != 0)
		return snprintf(buf, 16, "%.3g%s", x, bytes ? " B" : "");
	if (bytes)
		return snprintf(buf, 16, "%.*f %.*sB", dec, x, i > 0, pre + i);
	return snprintf(buf, 16, "%.*f%.*s", dec, x, i > 0, pre + i);
}

int
mc_progress_duration(char *buf, double s)
{
	unsigned long long t;

	if (!(s < 99 * 86400.0 + 0.5))
		return snprintf(buf, 16, ">99d");
	t = (unsigned long long)(s + 0.5);
	if (t < 3600)
		return snprintf(buf, 16, "%llu:%02llu", t / 60, t % 60);
	if (t < 100 * 3600)
		return snprintf(buf, 16, "%llu:%02llu:%02llu", t / 3600,
		    t / 60 % 60, t % 60);
	return snprintf(buf, 16, "%llud%02lluh", t / 86400, t / 3600 % 24);
}

/*
 * The fraction of the whole run done, and the seconds it took, for the
 * time left: with parts whose number is known, the parts done plus the
 * current one's fraction, over the run's time (parts are taken as equal,
 * the only guess there is before they run); else the part's own.
 * Returns 0 when nothing says how far the run is.
 */
static int
fraction(const mc_progress *p, uint64_t done, double now, double *f,
    double *secs)
{
	double in = p->total ? (double)done / (double)p->total : 0;

	if (in > 1)
		in = 1;
	if (p->part != NULL && p->nparts > 0) {
		*f = ((double)(p->index - 1) + in) / (double)p->nparts;
		*secs = now - p->start;
	} else {
		*f = in;
		*secs = now - p->part_start;
	}
	return *f > 0 && *secs > 0;
}

size_t
mc_progress_format(const mc_progress *p, uint64_t done, double now,
    char *buf, size_t size)
{
	int bytes = strcmp(p->unit, "bytes") == 0;
	char a[16], b[16];
	double f, secs, el = now - p->part_start;
	size_t n = 0;

#define PUT(...) do { \
	int k_ = snprintf(buf + n, size - n, __VA_ARGS__); \
	n += k_ > 0 ? (size_t)k_ : 0; \
	if (n >= size) \
		n = size - 1; \
} while (0)
	PUT("%s: ", p->prog);
	if (p->part != NULL && p->nparts > 0)
		PUT("%s %llu of %llu: ", p->part, (unsigned long long)p->index,
		    (unsigned long long)p->nparts);
	else if (p->part != NULL)
		PUT("%s %llu: ", p->part, (unsigned long long)p->index);
	mc_progress_si(a, (double)done, bytes);
	if (p->total) {
		mc_progress_si(b, (double)p->total, bytes);
		PUT("%s of %s", a, b);
	} else {
		PUT("%s", a);
	}
	if (!bytes)
		PUT(" %s", p->unit);
	if (p->total)
		PUT(" (%d%%)", (int)(done >= p->total ? 100 :
		    100.0 * (double)done / (double)p->total));
	if (el > 0 && done > 0) {
		mc_progress_si(a, (double)done / el, bytes);
		if (bytes)
			PUT(", %s/s", a);
		else
			PUT(", %s %s/s", a, p->unit);
	}
	if (fraction(p, done, now, &f, &secs)) {
		mc_progress_duration(a, f >= 1 ? 0 : secs * (1 - f) / f);
		PUT(", ETA %s", a);
	}
#undef PUT
	return n;
}

void
mc_progress_init(mc_progress *p, FILE *fp, int mode, const char *prog,
    const char *unit, double now)
{
	memset(p, 0, sizeof(*p));
	p->fp = mode ? fp : NULL;
	p->mode = mode;
	p->prog = prog;
	p->unit = unit;
	p->start = p->part_start = now;
	p->shown = -1;
	pthread_mutex_init(&p->lock, NULL);
}

/* Whether the line is due at now; p->lock held. */
static int
due(const mc_progress *p, double now)
{
	if (p->fp == NULL)
		return 0;
	/* On a terminal a run shorter than a tick shows nothing; a log
	 * asked for with --progress gets the line at once. */
	if (p->shown < 0)
		return p->mode == 2 || now - p->start >= MC_PROGRESS_TICK;
	return now - p->shown >= MC_PROGRESS_TICK;
}

/* The terminal's width, or 0 when fp is not a terminal. */
static size_t
columns(FILE *fp)
{
	struct winsize ws;

	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 0;
}

/*
 * Draws the line over the one before; p->lock held.  Errors on fp are
 * left to the program's own writes to report: a progress line that
 * fails to show is not a failed run.
 */
static void
draw(mc_progress *p, uint64_t done, double now)
{
	char line[MC_PROGRESS_LINE];
	size_t n = mc_progress_format(p, done, now, line, sizeof(line));
	size_t cols = columns(p->fp);

	/* A line as wide as the terminal wraps, and "\r" would go back to
	 * its last screen line only. */
	if (cols && n > cols - 1)
		n = cols - 1;
	fprintf(p->fp, "\r%.*s%*s", (int)n, line,
	    p->width > n ? (int)(p->width - n) : 0, "");
	fflush(p->fp);
	p->width = n > p->width ? n : p->width;
	p->shown = now;
}

/* Wipes the line; p->lock held. */
static void
wipe(mc_progress *p)
{
	if (p->fp == NULL || p->width == 0)
		return;
	fprintf(p->fp, "\r%*s\r", (int)p->width, "");
	fflush(p->fp);
	p->width = 0;
}

void
mc_progress_part(mc_progress *p, const char *part, uint64_t index,
    uint64_t nparts, uint64_t total, double now)
{
	if (p->fp == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->part = part;
	p->index = index;
	p->nparts = nparts;
	p->total = total;
	p->done = 0;
	p->part_start = now;
	if (p->watching) {
		atomic_store(&p->count->done, 0);
		atomic_store(&p->count->total, total);
	}
	pthread_mutex_unlock(&p->lock);
}

void
mc_progress_total(mc_progress *p, uint64_t total, double now)
{
	if (p->fp == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->total = total;
	if (p->watching)
		atomic_store(&p->count->total, total);
	if (due(p, now))
		draw(p, p->done, now);
	pthread_mutex_unlock(&p->lock);
}

void
mc_progress_file(mc_progress *p, FILE *fp, uint64_t index, uint64_t nfiles,
    double now)
{
	struct stat sb;
	int sized;

	if (p->fp == NULL)
		return;
	sized = fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    ftello(fp) >= 0;
	p->unit = sized ? "bytes" : "rows";
	mc_progress_part(p, nfiles > 1 ? "file" : NULL, index, nfiles,
	    sized ? (uint64_t)sb.st_size : 0, now);
}

void
mc_progress_read(mc_progress *p, FILE *fp, uint64_t rows, double now)
{
	off_t at;

	if (p->fp == NULL)
		return;
	if (strcmp(p->unit, "bytes") == 0 && (at = ftello(fp)) >= 0)
		rows = (uint64_t)at;
	mc_progress_update(p, rows, now);
}

void
mc_progress_update(mc_progress *p, uint64_t done, double now)
{
	if (p->fp == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->done = done;
	if (due(p, now))
		draw(p, done, now);
	pthread_mutex_unlock(&p->lock);
}

void
mc_progress_hold(mc_progress *p)
{
	if (p->fp == NULL || p->held++ > 0)
		return;
	pthread_mutex_lock(&p->lock);
	wipe(p);
}

void
mc_progress_release(mc_progress *p)
{
	if (p->fp == NULL || --p->held > 0)
		return;
	pthread_mutex_unlock(&p->lock);
}

void
mc_progress_end(mc_progress *p, uint64_t done, double now)
{
	mc_progress_unwatch(p);
	pthread_mutex_lock(&p->lock);
	if (p->fp != NULL && p->mode == 2)
		draw(p, done, now);
	wipe(p);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_destroy(&p->lock);
}

/* The thread of mc_progress_watch: a drawing every tick until stopped. */
static void *
watch(void *arg)
{
	mc_progress *p = arg;
	struct timespec ts;
	double now;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)(MC_PROGRESS_TICK * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		/* The wake-up of unwatch ends the wait at once, so that
		 * a short run is not held up by a tick. */
		if (pthread_cond_timedwait(&p->wake, &p->lock, &ts) != ETIMEDOUT
		    || p->stop)
			continue;
		p->done = atomic_load_explicit(&p->count->done,
		    memory_order_relaxed);
		p->total = atomic_load_explicit(&p->count->total,
		    memory_order_relaxed);
		now = p->clock();
		if (due(p, now))
			draw(p, p->done, now);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
mc_progress_watch(mc_progress *p, mc_progress_count *c,
    double (*clock)(void))
{
	pthread_condattr_t ca;
	int st = 0;

	if (p->fp == NULL)
		return 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_lock(&p->lock);
	p->count = c;
	p->clock = clock;
	p->stop = 0;
	atomic_store(&c->done, p->done);
	atomic_store(&c->total, p->total);
	p->watching = pthread_create(&p->tid, NULL, watch, p) == 0;
	if (!p->watching)
		st = EX_OSERR;
	pthread_mutex_unlock(&p->lock);
	if (st != 0)
		pthread_cond_destroy(&p->wake);
	return st;
}

void
mc_progress_unwatch(mc_progress *p)
{
	if (p->fp == NULL || !p->watching)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->tid, NULL);
	pthread_cond_destroy(&p->wake);
	p->watching = 0;
	p->done = atomic_load(&p->count->done);
	p->total = atomic_load(&p->count->total);
}
