/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE		/* timegm, and tm_gmtoff from %z */
#include <math.h>
#include <string.h>
#include <time.h>

#include "mc_fmt.h"
#include "mc_time.h"

int
mc_time_parse(const char *fmt, const char *s, double *t)
{
	struct tm tm;
	const char *end;
	long off;

	if (strcmp(fmt, "%s") == 0)
		return mc_parse_double(s, t) != NULL || !isfinite(*t) ? -1 : 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = 1;
	/* glibc's %s goes through the local time zone; only "%s" alone,
	 * above, reads epoch seconds. */
	if (*s == '\0' || strstr(fmt, "%s") != NULL ||
	    (end = strptime(s, fmt, &tm)) == NULL || *end != '\0')
		return -1;
	/* %z sets the offset from UTC (without it, it stays 0); timegm
	 * clears it. */
	off = tm.tm_gmtoff;
	*t = (double)timegm(&tm) - (double)off;
	return 0;
}

/* Steps below a month, in seconds: the round ones a clock shows. */
static const double sec_steps[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
	10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400
};

/* Times beyond about 300000 years have no calendar that gmtime keeps. */
#define CALENDAR_LIMIT 1e13

/*
 * Writes the multiples of step in [lo, hi] to ticks, weeks starting on
 * Mondays (1970-01-05).  Returns how many there are, stopping past max.
 */
static size_t
uniform(double lo, double hi, double step, size_t max, double *ticks)
{
	double off = fmod(step, 7 * 86400) == 0 ? 4 * 86400 : 0, t;
	size_t n = 0;

	for (t = ceil((lo - off) / step) * step + off; t <= hi && n <= max;
	    t += step)
		if (n < max)
			ticks[n++] = t;
		else
			n++;
	return n;
}

/* The time at the start of month mi (months since year 0). */
static double
month_start(long long mi)
{
	struct tm tm;
	long long y = mi >= 0 ? mi / 12 : -((11 - mi) / 12);

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)(mi - 12 * y);
	tm.tm_mday = 1;
	return (double)timegm(&tm);
}

/*
 * Writes the starts of every k-th month in [lo, hi] (months counted from
 * year 0, so that k = 12 gives new years and k = 120 decades) to ticks.
 * Returns how many there are, stopping past max.
 */
static size_t
monthly(double lo, double hi, long long k, size_t max, double *ticks)
{
	time_t u = (time_t)floor(lo);
	struct tm tm;
	long long mi, q;
	size_t n = 0;
	double t;

	if (gmtime_r(&u, &tm) == NULL)
		return max + 1;
	mi = (tm.tm_year + 1900LL) * 12 + tm.tm_mon;
	q = mi >= 0 ? (mi + k - 1) / k : -(-mi / k);
	for (mi = q * k; (t = month_start(mi)) <= hi && n <= max; mi += k) {
		if (t < lo)
			continue;
		if (n < max)
			ticks[n] = t;
		n++;
	}
	return n;
}

size_t
mc_time_ticks(double lo, double hi, size_t max, double *ticks,
    const char **fmt)
{
	static const long long mult[] = { 1, 2, 5 };
	size_t i, n;
	long long k;

	if (max < 1)
		max = 1;
	if (max > MC_TIME_MAXTICKS)
		max = MC_TIME_MAXTICKS;
	*fmt = "%Y";
	if (!(fabs(lo) < CALENDAR_LIMIT && fabs(hi) < CALENDAR_LIMIT))
		return 0;
	for (i = 0; i < sizeof(sec_steps) / sizeof(sec_steps[0]); i++)
		if ((n = uniform(lo, hi, sec_steps[i], max, ticks)) <= max) {
			if (sec_steps[i] >= 86400)
				*fmt = "%Y-%m-%d";
			else if (sec_steps[i] < 60)
				*fmt = "%H:%M:%S";
			else if (floor(lo / 86400) == floor(hi / 86400))
				*fmt = "%H:%M";
			else
				*fmt = "%m-%d %H:%M";
			return n;
		}
	for (k = 1; k <= 6; k += k == 1 ? 1 : k == 2 ? 1 : 3)
		if ((n = monthly(lo, hi, k, max, ticks)) <= max) {
			*fmt = "%Y-%m";
			return n;
		}
	/* Years: 1, 2, 5, 10, 20, 50, ... */
	for (k = 12; k <= 12LL * 1000000; k *= 10)
		for (i = 0; i < 3; i++)
			if ((n = monthly(lo, hi, k * mult[i], max, ticks)) <=
			    max)
				return n;
	return 0;
}
