/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_time: times read with strptime formats as UTC, and round ticks.
 * Expected epoch seconds are from date(1): date -u -d 2024-01-02 +%s.
 */
#include <stdlib.h>
#include <time.h>

#include "mc_time.h"
#include "unit.h"

/* Reads s with fmt; NAN when it does not parse. */
static double
parsed(const char *fmt, const char *s)
{
	double t;

	return mc_time_parse(fmt, s, &t) == 0 ? t : NAN;
}

/* The ticks from lo to hi at most max, and their format, as text. */
static const char *
ticks(double lo, double hi, size_t max)
{
	static char buf[2048];
	double t[MC_TIME_MAXTICKS];
	const char *fmt;
	size_t i, n = mc_time_ticks(lo, hi, max, t, &fmt), len;

	len = (size_t)snprintf(buf, sizeof(buf), "%s", fmt);
	for (i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %.0f",
		    t[i]);
	return buf;
}

int
main(void)
{
	setenv("TZ", "America/New_York", 1);
	tzset();
	/* UTC whatever TZ says. */
	CHECK(parsed("%Y-%m-%d", "2024-01-02") == 1704153600);
	CHECK(parsed("%Y-%m-%dT%H:%M:%S", "2024-01-02T10:00:00") ==
	    1704189600);
	CHECK(parsed("%Y-%m-%d %H:%M", "2024-07-01 00:30") == 1719793800);
	CHECK(parsed("%Y-%m-%dT%H:%M:%S%z", "2024-01-02T10:00:00+0100") ==
	    1704186000);
	CHECK(parsed("%d/%m/%Y", "31/12/1969") == -86400);
	CHECK(parsed("%H:%M", "01:00") == -2208985200.0);
	/* Epoch seconds, with a fraction and a sign. */
	CHECK(parsed("%s", "1704153600") == 1704153600);
	CHECK(parsed("%s", "-1.5") == -1.5);
	CHECK(isnan(parsed("%s", "")));
	CHECK(isnan(parsed("%s", "nan")));
	CHECK(isnan(parsed("%s", "12x")));
	/* The whole field, or nothing. */
	CHECK(isnan(parsed("%Y-%m-%d", "2024-01-02x")));
	CHECK(isnan(parsed("%Y-%m-%d", "2024-13-02")));
	CHECK(isnan(parsed("%Y-%m-%d", "")));
	CHECK(isnan(parsed("%Y-%m-%d", "x")));
	CHECK(isnan(parsed("%Y %s", "2024 5")));

	/* Days, then a step of two days, weeks from Mondays, months. */
	CHECK_STR(ticks(1704153600, 1704412800, 4),
	    "%Y-%m-%d 1704153600 1704240000 1704326400 1704412800");
	CHECK_STR(ticks(1704153600, 1704412800, 3),	/* even days */
	    "%Y-%m-%d 1704153600 1704326400");
	CHECK_STR(ticks(1704067200, 1706659200, 5),	/* January 2024 */
	    "%Y-%m-%d 1704067200 1704672000 1705276800 1705881600 "
	    "1706486400");
	CHECK_STR(ticks(1704067200, 1735603200, 5),	/* the year 2024 */
	    "%Y-%m 1704067200 1711929600 1719792000 1727740800");
	CHECK_STR(ticks(946684800, 1735603200, 3),	/* 2000 to 2024 */
	    "%Y 946684800 1262304000 1577836800");
	/* Hours in a day, and across days; seconds. */
	CHECK_STR(ticks(1704189600, 1704200400, 4),
	    "%H:%M 1704189600 1704193200 1704196800 1704200400");
	CHECK_STR(ticks(1704186000, 1704240000, 5),
	    "%m-%d %H:%M 1704196800 1704218400 1704240000");
	CHECK_STR(ticks(0.5, 3.5, 5), "%H:%M:%S 1 2 3");
	/* No round time in the range; times past any calendar. */
	CHECK_STR(ticks(0.25, 0.75, 5), "%H:%M:%S");
	CHECK_STR(ticks(-1e300, 1e300, 5), "%Y");
	CHECK(mc_time_ticks(0, 1e9, 1000, (double[MC_TIME_MAXTICKS]){ 0 },
	    &(const char *){ NULL }) <= MC_TIME_MAXTICKS);
	return unit_done("mc_time");
}
