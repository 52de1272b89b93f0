/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_progress: the one progress line of every program, on standard error.
 *
 *     mcprice: row 2 of 3: 1.25M of 10.0M paths (12%), 3.10M paths/s, ETA 0:03
 *     mcstat: 12.5 MB of 100 MB (12%), 50.0 MB/s, ETA 0:02
 *
 * Parts (a book's rows, mcstat's files) done of parts, units (paths,
 * darts, values, bytes) done within the current part, their rate, and
 * the time left for the whole run, redrawn in place ("\r", padded over
 * the line before, cut to the terminal's width) at most every
 * MC_PROGRESS_TICK seconds, and wiped at the end.  mc_cli sets the mode:
 * 0 (stderr is not a terminal and --progress was not given) keeps the
 * program silent, 1 (a terminal) draws once a run has lasted a tick, 2
 * (--progress) draws from the first update and, before wiping the line,
 * the finished state, so that a log gets the first and the last line
 * even of a short run.
 *
 * Where it writes: the program passes the stream (stderr) to
 * mc_progress_init, as it passes its output stream to mc_csv; the module
 * never picks a stream itself, and what it writes is progress only,
 * never a message, so the house rule (library code returns a status and
 * the program prints) holds: the program decides whether and where.  The
 * text of the line is a pure function (mc_progress_format) of the state,
 * the count and the time, so that its look is unit-tested byte by byte.
 * The time is passed in: every call takes "now" in seconds, and
 * mc_progress_watch the clock its thread reads (mc_progress_clock, or a
 * test's); the module keeps no global state.
 *
 * Threads: a program whose work runs in threads, or in a library call
 * that takes long (mc_price_run), counts units in an mc_progress_count
 * and lets mc_progress_watch's thread draw from it; the counting costs
 * one relaxed atomic add per block.  Every function takes the lock, so
 * the program may change parts or wipe the line (before a warning) while
 * the thread draws.
 */
#ifndef MC_PROGRESS_H
#define MC_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Seconds between two drawings of the line. */
#define MC_PROGRESS_TICK 0.25

/* The longest line mc_progress_format writes, with its '\0'. */
#define MC_PROGRESS_LINE 160

/* Units done, and in all (0 while unknown), counted by worker threads. */
typedef struct mc_progress_count {
	atomic_uint_fast64_t done;
	atomic_uint_fast64_t total;
} mc_progress_count;

typedef struct mc_progress {
	FILE *fp;		/* where the line goes; NULL: silent */
	int mode;		/* 0, 1 or 2, as mc_cli's progress */
	const char *prog;	/* "mcprice", in front of the line */
	const char *unit;	/* "paths"; "bytes" writes sizes */
	const char *part;	/* "row", "file", or NULL: no parts */
	uint64_t index;		/* the current part, from 1 */
	uint64_t nparts;	/* parts in all, 0 while unknown */
	uint64_t total;		/* units in the part (or run), 0: unknown */
	uint64_t done;		/* units done, as last told */
	double start;		/* when the run began */
	double part_start;	/* when the current part began */
	double shown;		/* when the line was last drawn, or -1 */
	size_t width;		/* of the line on fp; 0: none there */
	int held;		/* mc_progress_hold's depth */
	pthread_mutex_t lock;	/* over all of the above and fp */
	/* mc_progress_watch's thread. */
	pthread_cond_t wake;
	pthread_t tid;
	int watching, stop;
	mc_progress_count *count;
	double (*clock)(void);
} mc_progress;

/* Seconds on the monotonic clock, for "now". */
double mc_progress_clock(void);

/*
 * Sets p up for a run that began at now, of program prog counting unit
 * (both kept as pointers), to draw on fp in mode (mc_cli's progress: 0
 * makes every later call a no-op that writes nothing).
 */
void mc_progress_init(mc_progress *p, FILE *fp, int mode, const char *prog,
    const char *unit, double now);

/*
 * Starts part index (from 1) of nparts (0 when unknown), named part
 * ("row"), of total units (0 when unknown), at now; the units done go
 * back to 0, and so does a watched count.  With part NULL, sets the
 * run's total.  It draws nothing: the part's first update, or its
 * total, does, when the line is due.
 */
void mc_progress_part(mc_progress *p, const char *part, uint64_t index,
    uint64_t nparts, uint64_t total, double now);

/* Sets the units of the current part (or run) to total (0: unknown) at
 * now, and draws the line if it is due. */
void mc_progress_total(mc_progress *p, uint64_t total, double now);

/*
 * Tells p that done units are done at now, and draws the line if it is
 * due: a tick after the last drawing (mode 1: after the start), or at
 * once in mode 2 if it was never drawn.
 */
void mc_progress_update(mc_progress *p, uint64_t done, double now);

/*
 * Starts part index of nfiles: the reading of the file fp, whose units
 * are its bytes, of its size, when fp is a regular file, else its rows
 * (of a pipe, a terminal), whose number is not known.  Not while a
 * watch runs (it changes the unit).
 */
void mc_progress_file(mc_progress *p, FILE *fp, uint64_t index,
    uint64_t nfiles, double now);

/* Tells p how far the reading of fp is: its position in the file, or
 * rows rows read. */
void mc_progress_read(mc_progress *p, FILE *fp, uint64_t rows, double now);

/*
 * Takes the line off fp and holds the drawing back until the matching
 * mc_progress_release, so that the program can write a warning on fp,
 * or its output on a terminal that fp shares, with no line in the way;
 * the next drawing is at the next tick.  Holds nest: a function that
 * holds may call one that holds too.  In between, the program calls no
 * other mc_progress function.
 */
void mc_progress_hold(mc_progress *p);

/* Ends a hold of mc_progress_hold. */
void mc_progress_release(mc_progress *p);

/*
 * Ends the run: stops a watch, in mode 2 draws the state reached (done
 * units of the last part), and wipes the line.  p may be set up again.
 */
void mc_progress_end(mc_progress *p, uint64_t done, double now);

/*
 * Starts a thread that draws, every tick, c's count (c->total as the
 * part's total when it is not 0), at the time clock() says.  Returns 0,
 * or EX_OSERR when no thread can be started: the run goes on without a
 * line.  In mode 0 it starts nothing and returns 0.
 */
int mc_progress_watch(mc_progress *p, mc_progress_count *c,
    double (*clock)(void));

/* Stops the thread of mc_progress_watch, if one runs, and waits for it;
 * the count's last values become p's. */
void mc_progress_unwatch(mc_progress *p);

/*
 * Writes the text of the line for done units at now into buf (size
 * bytes, at least MC_PROGRESS_LINE), without "\r" or padding.  Returns
 * its length.
 */
size_t mc_progress_format(const mc_progress *p, uint64_t done, double now,
    char *buf, size_t size);

/*
 * x in three significant digits with an SI prefix: "999", "1.25k",
 * "10.0M", "312G"; rates below 1000 keep their fraction ("0.5", "12.3"),
 * counts (integral x) do not.  bytes adds " B", " kB", " MB".  Returns
 * the length written into buf (at least 16 bytes).
 */
int mc_progress_si(char *buf, double x, int bytes);

/*
 * Seconds s as "0:05", "12:34" (minutes), "1:02:03" (hours), "5d03h"
 * (from 100 hours), ">99d" beyond 99 days.  Returns the length written
 * into buf (at least 16 bytes).
 */
int mc_progress_duration(char *buf, double s);

#endif
