/*
 * test_calendar.c -- unit tests of the NYSE rules (src/num/calendar.c).
 *
 * 1. Easter Sunday against a hand-typed table of known dates (2000-2040 and the
 *    extremes of the computus: March 22, April 25).
 * 2. The day-number arithmetic: every day of 2000-2100 round-trips through y-m-d,
 *    the number of days is CN_CAL_DAYS, known weekdays.
 * 3. Every weekday of twelve years against the holidays and 13:00 closes NYSE
 *    published for them, typed by hand (without the one-off closures, which are rows of
 *    condor_closures, not rules): nothing more is closed or shortened than listed.
 * 4. Session counts per year as NYSE states them, and the running totals against a
 *    plain loop.
 */
#include "unit.h"
#include "calendar.h"

static const char *easter_known[] = {
	"2000-04-23", "2001-04-15", "2002-03-31", "2003-04-20", "2004-04-11", "2005-03-27",
	"2006-04-16", "2007-04-08", "2008-03-23", "2009-04-12", "2010-04-04", "2011-04-24",
	"2012-04-08", "2013-03-31", "2014-04-20", "2015-04-05", "2016-03-27", "2017-04-16",
	"2018-04-01", "2019-04-21", "2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09",
	"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01",
	"2030-04-21", "2031-04-13", "2032-03-28", "2033-04-17", "2034-04-09", "2035-03-25",
	"2036-04-13", "2037-04-05", "2038-04-25", "2039-04-10", "2040-04-01",
	/* the earliest and latest possible dates, and a few far years */
	"1818-03-22", "2285-03-22", "1943-04-25", "1954-04-18", "1981-04-19", "2049-04-18",
	"2076-04-19", "2100-03-28",
};

/*
 * NYSE's published holidays ("H") and 13:00 early closes ("E") of some years, one-off
 * closures left out.  2002 has the last Friday-after-July-4 early close, 2013 the first
 * Wednesday-before; 2021 and 2027 put Christmas on a Saturday (Friday Dec 24 closed);
 * 2022 has New Year's Day on a Saturday (nothing closed for it); 2027 has Juneteenth on
 * a Saturday (Friday June 18 closed).
 */
typedef struct known_year
{
	int			year;
	int			sessions;		/* the rules' sessions (NYSE's count, + one-offs) */
	const char *days;
} known_year;

static const known_year nyse_known[] = {
	{2000, 252, "H01-17 H02-21 H04-21 H05-29 E07-03 H07-04 H09-04 H11-23 E11-24 H12-25"},
	{2001, 252, "H01-01 H01-15 H02-19 H04-13 H05-28 E07-03 H07-04 H09-03 H11-22 E11-23 E12-24 H12-25"},
	{2002, 252, "H01-01 H01-21 H02-18 H03-29 H05-27 H07-04 E07-05 H09-02 H11-28 E11-29 E12-24 H12-25"},
	{2012, 252, "H01-02 H01-16 H02-20 H04-06 H05-28 E07-03 H07-04 H09-03 H11-22 E11-23 E12-24 H12-25"},
	{2013, 252, "H01-01 H01-21 H02-18 H03-29 H05-27 E07-03 H07-04 H09-02 H11-28 E11-29 E12-24 H12-25"},
	{2020, 253, "H01-01 H01-20 H02-17 H04-10 H05-25 H07-03 H09-07 H11-26 E11-27 E12-24 H12-25"},
	{2021, 252, "H01-01 H01-18 H02-15 H04-02 H05-31 H07-05 H09-06 H11-25 E11-26 H12-24"},
	{2022, 251, "H01-17 H02-21 H04-15 H05-30 H06-20 H07-04 H09-05 H11-24 E11-25 H12-26"},
	{2023, 250, "H01-02 H01-16 H02-20 H04-07 H05-29 H06-19 E07-03 H07-04 H09-04 H11-23 E11-24 H12-25"},
	{2024, 252, "H01-01 H01-15 H02-19 H03-29 H05-27 H06-19 E07-03 H07-04 H09-02 H11-28 E11-29 E12-24 H12-25"},
	{2025, 251, "H01-01 H01-20 H02-17 H04-18 H05-26 H06-19 E07-03 H07-04 H09-01 H11-27 E11-28 E12-24 H12-25"},
	{2026, 251, "H01-01 H01-19 H02-16 H04-03 H05-25 H06-19 H07-03 H09-07 H11-26 E11-27 E12-24 H12-25"},
	{2027, 251, "H01-01 H01-18 H02-15 H03-26 H05-31 H06-18 H07-05 H09-06 H11-25 E11-26 H12-24"},
};

/* 'H', 'E' or 0 for month-day of a known year. */
static char
listed(const char *days, int m, int d)
{
	char		want[8];
	const char *p;

	snprintf(want, sizeof(want), "%02d-%02d", m, d);
	for (p = days; (p = strstr(p, want)) != NULL; p++)
		if (p > days && (p[-1] == 'H' || p[-1] == 'E'))
			return p[-1];
	return 0;
}

static void
test_easter(void)
{
	for (size_t i = 0; i < sizeof(easter_known) / sizeof(*easter_known); i++)
	{
		int			y,
					m,
					d,
					gy,
					gm,
					gd;

		sscanf(easter_known[i], "%d-%d-%d", &y, &m, &d);
		cn_civil_from_days(cn_easter(y), &gy, &gm, &gd);
		UNIT_CHECK(gy == y && gm == m && gd == d, "Easter %d: got %04d-%02d-%02d, want %s",
				   y, gy, gm, gd, easter_known[i]);
		UNIT_CHECK(cn_weekday(cn_easter(y)) == 0, "Easter %d is not a Sunday", y);
	}
}

static void
test_days(void)
{
	int			bad = 0;

	UNIT_CHECK(cn_days_from_civil(2000, 1, 1) == 0, "2000-01-01 is day 0");
	UNIT_CHECK(cn_days_from_civil(2101, 1, 1) == CN_CAL_DAYS, "CN_CAL_DAYS is 2101-01-01");
	UNIT_CHECK(cn_days_from_civil(1970, 1, 1) == -10957, "1970-01-01 is day -10957");
	UNIT_CHECK(cn_weekday(0) == 6, "2000-01-01 was a Saturday");
	UNIT_CHECK(cn_weekday(cn_days_from_civil(2025, 11, 28)) == 5, "2025-11-28 is a Friday");
	UNIT_CHECK(cn_weekday(cn_days_from_civil(1999, 12, 31)) == 5, "1999-12-31 was a Friday");
	UNIT_CHECK(cn_weekday(cn_days_from_civil(2100, 12, 31)) == 5, "2100-12-31 is a Friday");
	for (int32_t day = -800; day <= CN_CAL_DAYS + 800; day++)
	{
		int			y,
					m,
					d;

		cn_civil_from_days(day, &y, &m, &d);
		if (cn_days_from_civil(y, m, d) != day || m < 1 || m > 12 || d < 1 || d > 31)
			bad++;
		if (cn_weekday(day + 1) != (cn_weekday(day) + 1) % 7)
			bad++;
	}
	UNIT_CHECK(bad == 0, "%d days fail the y-m-d round trip or the weekday sequence", bad);
}

static void
test_known_years(void)
{
	for (size_t i = 0; i < sizeof(nyse_known) / sizeof(*nyse_known); i++)
	{
		const known_year *k = &nyse_known[i];
		int32_t		first = cn_days_from_civil(k->year, 1, 1);
		int32_t		last = cn_days_from_civil(k->year + 1, 1, 1);
		int			sessions = 0,
					bad = 0;

		for (int32_t day = first; day < last; day++)
		{
			int			y,
						m,
						d,
						close = cn_nyse_close(day),
						wd = cn_weekday(day);
			char		want;

			cn_civil_from_days(day, &y, &m, &d);
			want = listed(k->days, m, d);
			sessions += close > 0;
			if (wd == 0 || wd == 6)
			{
				if (close != 0 || want)
					bad++;
				continue;
			}
			if ((want == 'H' && close != 0) ||
				(want == 'E' && close != CN_CAL_EARLY_CLOSE) ||
				(want == 0 && close != CN_CAL_CLOSE))
			{
				bad++;
				UNIT_CHECK(0, "%04d-%02d-%02d: rules close %d, NYSE %s", y, m, d, close,
						   want == 'H' ? "closed" : want == 'E' ? "13:00" : "16:00");
			}
			if (want == 'H')
				UNIT_CHECK(cn_nyse_rule(day) > CN_WEEKEND, "%04d-%02d-%02d has no rule name", y, m, d);
		}
		UNIT_CHECK(bad == 0, "%d: %d days differ from NYSE's calendar", k->year, bad);
		UNIT_CHECK(sessions == k->sessions, "%d: %d sessions, NYSE %d", k->year, sessions,
				   k->sessions);
	}
}

static void
test_rules_misc(void)
{
	/* New Year's Day on a Saturday: the Friday before is a full session */
	UNIT_CHECK(cn_nyse_close(cn_days_from_civil(2021, 12, 31)) == CN_CAL_CLOSE, "2021-12-31 open");
	UNIT_CHECK(cn_nyse_close(cn_days_from_civil(2010, 12, 31)) == CN_CAL_CLOSE, "2010-12-31 open");
	UNIT_CHECK(cn_nyse_close(cn_days_from_civil(2032, 12, 31)) == CN_CAL_CLOSE, "2032-12-31 open");
	/* Juneteenth not before 2022 */
	UNIT_CHECK(cn_nyse_close(cn_days_from_civil(2021, 6, 18)) == CN_CAL_CLOSE, "2021-06-18 open");
	UNIT_CHECK(cn_nyse_rule(cn_days_from_civil(2023, 6, 19)) == CN_JUNETEENTH, "2023-06-19 Juneteenth");
	/* names */
	UNIT_CHECK(strcmp(cn_dayrule_name(cn_nyse_rule(cn_days_from_civil(2025, 4, 18))), "Good Friday") == 0,
			   "2025-04-18 is Good Friday");
	UNIT_CHECK(cn_nyse_rule(cn_days_from_civil(2100, 3, 26)) == CN_GOOD_FRIDAY, "2100-03-26 Good Friday");
	UNIT_CHECK(cn_nyse_rule(cn_days_from_civil(2100, 12, 24)) == CN_CHRISTMAS, "2100-12-24 observed Christmas");
}

static void
test_totals(void)
{
	int32_t		s = 0,
				mins = 0;
	int			bad = 0;

	for (int32_t day = 0; day <= CN_CAL_DAYS; day++)
	{
		if (cn_nyse_sessions_before(day) != s || cn_nyse_minutes_before(day) != mins)
			bad++;
		if (day < CN_CAL_DAYS && cn_nyse_close(day) > 0)
		{
			s++;
			mins += cn_nyse_close(day) - CN_CAL_OPEN;
		}
	}
	UNIT_CHECK(bad == 0, "%d running totals differ from a plain count", bad);
	/* every year of the calendar has 249 to 253 sessions by the rules */
	for (int y = CN_CAL_FIRST_YEAR; y <= CN_CAL_LAST_YEAR; y++)
	{
		int32_t		n = cn_nyse_sessions_before(cn_days_from_civil(y + 1, 1, 1)) -
			cn_nyse_sessions_before(cn_days_from_civil(y, 1, 1));

		UNIT_CHECK(n >= 249 && n <= 253, "%d has %d sessions", y, n);
	}
}

int
main(void)
{
	test_easter();
	test_days();
	test_known_years();
	test_rules_misc();
	test_totals();
	return unit_report("calendar");
}
