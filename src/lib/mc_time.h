/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_time: times read from text, and tick marks for a time axis.
 *
 * Times are seconds since 1970-01-01 00:00:00 UTC, as doubles, read with
 * a strptime(3) format and taken as UTC whatever TZ says, so that a plot
 * does not move with the machine's time zone.  The ticks of an axis fall
 * on round times (whole minutes, midnights, first days of months, new
 * years), few enough for their labels to fit, each labelled in a format
 * that says no more than the step needs.
 */
#ifndef MC_TIME_H
#define MC_TIME_H

#include <stddef.h>

/*
 * Reads s with the strptime(3) format fmt into seconds since the epoch
 * (UTC), into *t.  The format "%s" alone reads a number of seconds, which
 * may have a fraction or a sign.  Fields that fmt does not hold are those
 * of 1900-01-01 00:00:00 (a format without a date reads a time of day on
 * that day).  Returns 0, or -1 when s does not match fmt as a whole or is
 * not a time (a day 31 in April is read as May 1, as timegm does).
 */
int mc_time_parse(const char *fmt, const char *s, double *t);

/* The most ticks that mc_time_ticks writes. */
#define MC_TIME_MAXTICKS 64

/*
 * Chooses ticks for an axis from lo to hi (seconds, lo <= hi, both
 * finite): the round step that gives at most max ticks (1 to
 * MC_TIME_MAXTICKS) inside [lo, hi], the ticks themselves in ticks[]
 * (which holds MC_TIME_MAXTICKS), and the strftime(3) format of their
 * labels in *fmt (a static string: "%Y", "%Y-%m", "%Y-%m-%d",
 * "%m-%d %H:%M", "%H:%M" or "%H:%M:%S").  Returns the number of ticks,
 * which is 0 only when no round time lies in [lo, hi] (a range of less
 * than a second between two whole seconds).
 */
size_t mc_time_ticks(double lo, double hi, size_t max, double *ticks,
    const char **fmt);

#endif
