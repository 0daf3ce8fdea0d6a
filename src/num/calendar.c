/*
 * calendar.c -- the NYSE calendar from its rules, 2000 to 2100.
 *
 * Full-day closures (NYSE Rule 7.2, "Holidays"): New Year's Day, Martin Luther King,
 * Jr. Day (third Monday of January, observed by the exchange since 1998), Washington's
 * Birthday (third Monday of February), Good Friday (two days before Easter Sunday),
 * Memorial Day (last Monday of May), Juneteenth National Independence Day (June 19,
 * since 2022), Independence Day (July 4), Labor Day (first Monday of September),
 * Thanksgiving Day (fourth Thursday of November) and Christmas Day.  A holiday falling
 * on a Saturday closes the preceding Friday, one falling on a Sunday the following
 * Monday -- except New Year's Day on a Saturday, which is not made up: the rule lets the
 * exchange stay open when the Friday ends a yearly accounting period, and it always has
 * (2004-12-31, 2010-12-31 and 2021-12-31 were full sessions).
 *
 * Early closes at 13:00 are not in the rule book; NYSE announces them with each year's
 * calendar, and since 2000 they have followed a fixed pattern (checked against every
 * session of 2000-2022 as an exchange-calendar library records them, and NYSE's
 * published calendars since):
 *   - the day after Thanksgiving;
 *   - Christmas Eve when it is Monday to Thursday (on a Friday it is the observed
 *     Christmas holiday; on a weekend there is nothing to shorten);
 *   - July 3 when it is Monday, Tuesday or Thursday, i.e. when July 4 is a Tuesday,
 *     Wednesday or Friday (July 3 on a Friday is the observed holiday, and when July 4
 *     is a Monday the Friday before is a full session);
 *   - when July 4 is a Thursday: July 3 (Wednesday) from 2013 on, and before 2013 the
 *     Friday after, July 5, instead (2002-07-05 closed at 13:00, 2002-07-03 did not).
 * One-offs (2003-12-26 closed at 13:00; the closures of 2001, 2004, 2007, 2012, 2018,
 * 2025) are rows of the condor_closures table, not rules.
 */
#include "calendar.h"

/*
 * Day number of a proleptic Gregorian date, counted from 2000-01-01.  Howard Hinnant's
 * days_from_civil: years start on March 1 so the leap day is the last day of a year,
 * and 400-year eras of 146097 days make the arithmetic exact for any year.
 */
int32_t
cn_days_from_civil(int y, int m, int d)
{
	int			era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* 730425 days from 0000-03-01 to 2000-01-01 */
	return era * 146097 + doe - 730425;
}

/* The inverse of cn_days_from_civil. */
void
cn_civil_from_days(int32_t days, int *y, int *m, int *d)
{
	int32_t		z = days + 730425;
	int32_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t		doe = z - era * 146097;
	int32_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t		mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday ... 6 = Saturday; 2000-01-01 was a Saturday. */
int
cn_weekday(int32_t days)
{
	int			r = (int) ((days + 6) % 7);

	return r < 0 ? r + 7 : r;
}

/*
 * Easter Sunday by the anonymous Gregorian algorithm (Meeus, "Astronomical
 * Algorithms", ch. 8): the Paschal full moon from the Metonic cycle (a) with the
 * century corrections for the solar (b/4) and lunar (g) equations, then the following
 * Sunday.
 */
int32_t
cn_easter(int year)
{
	int			a = year % 19,
				b = year / 100,
				c = year % 100,
				d = b / 4,
				e = b % 4,
				f = (b + 8) / 25,
				g = (b - f + 1) / 3,
				h = (19 * a + b - d - g + 15) % 30,
				i = c / 4,
				k = c % 4,
				l = (32 + 2 * e + 2 * i - h - k) % 7,
				m = (a + 11 * h + 22 * l) / 451,
				n = h + l - 7 * m + 114;

	return cn_days_from_civil(year, n / 31, n % 31 + 1);
}

cn_dayrule
cn_nyse_rule(int32_t day)
{
	int			wd = cn_weekday(day);
	int			y,
				m,
				d;

	if (wd == 0 || wd == 6)
		return CN_WEEKEND;
	cn_civil_from_days(day, &y, &m, &d);
	/* From here on day is Monday to Friday; wd 1 = Monday, 5 = Friday. */
	switch (m)
	{
		case 1:
			/* Jan 2 on a Monday: Jan 1 was a Sunday.  No Dec 31 for a Saturday. */
			if (d == 1 || (d == 2 && wd == 1))
				return CN_NEW_YEARS_DAY;
			if (wd == 1 && d >= 15 && d <= 21 && y >= 1998)
				return CN_MLK_DAY;
			break;
		case 2:
			if (wd == 1 && d >= 15 && d <= 21)
				return CN_PRESIDENTS_DAY;
			break;
		case 3:
		case 4:
			if (wd == 5 && day == cn_easter(y) - 2)
				return CN_GOOD_FRIDAY;
			break;
		case 5:
			if (wd == 1 && d >= 25)
				return CN_MEMORIAL_DAY;
			break;
		case 6:
			if (y >= 2022 &&
				(d == 19 || (d == 18 && wd == 5) || (d == 20 && wd == 1)))
				return CN_JUNETEENTH;
			break;
		case 7:
			if (d == 4 || (d == 3 && wd == 5) || (d == 5 && wd == 1))
				return CN_INDEPENDENCE_DAY;
			break;
		case 9:
			if (wd == 1 && d <= 7)
				return CN_LABOR_DAY;
			break;
		case 11:
			if (wd == 4 && d >= 22 && d <= 28)
				return CN_THANKSGIVING;
			break;
		case 12:
			if (d == 25 || (d == 24 && wd == 5) || (d == 26 && wd == 1))
				return CN_CHRISTMAS;
			break;
	}
	return CN_SESSION;
}

const char *
cn_dayrule_name(cn_dayrule r)
{
	switch (r)
	{
		case CN_SESSION:
			return "";
		case CN_WEEKEND:
			return "weekend";
		case CN_NEW_YEARS_DAY:
			return "New Year's Day";
		case CN_MLK_DAY:
			return "Martin Luther King, Jr. Day";
		case CN_PRESIDENTS_DAY:
			return "Washington's Birthday";
		case CN_GOOD_FRIDAY:
			return "Good Friday";
		case CN_MEMORIAL_DAY:
			return "Memorial Day";
		case CN_JUNETEENTH:
			return "Juneteenth National Independence Day";
		case CN_INDEPENDENCE_DAY:
			return "Independence Day";
		case CN_LABOR_DAY:
			return "Labor Day";
		case CN_THANKSGIVING:
			return "Thanksgiving Day";
		case CN_CHRISTMAS:
			return "Christmas Day";
	}
	return "";
}

int
cn_nyse_close(int32_t day)
{
	int			wd,
				y,
				m,
				d;

	if (cn_nyse_rule(day) != CN_SESSION)
		return 0;
	wd = cn_weekday(day);
	cn_civil_from_days(day, &y, &m, &d);
	/* the Friday after the fourth Thursday of November (the 22nd to the 28th) */
	if (m == 11 && wd == 5 && d >= 23 && d <= 29)
		return CN_CAL_EARLY_CLOSE;
	/* a session on Dec 24 is Monday to Thursday: a Friday Dec 24 is a holiday */
	if (m == 12 && d == 24)
		return CN_CAL_EARLY_CLOSE;
	if (m == 7 && d == 3 && (wd != 3 || y >= 2013))
		return CN_CAL_EARLY_CLOSE;
	if (m == 7 && d == 5 && wd == 5 && y < 2013)
		return CN_CAL_EARLY_CLOSE;
	return CN_CAL_CLOSE;
}

/*
 * Running totals, built once on first use (about 37,000 days): sessions and session
 * minutes before each day.  A backend is single-threaded, so a flag suffices.
 */
static int32_t cum_sessions[CN_CAL_DAYS + 1];
static int32_t cum_minutes[CN_CAL_DAYS + 1];
static int	cum_built = 0;

static void
build_totals(void)
{
	int32_t		s = 0,
				mins = 0;

	for (int32_t day = 0; day < CN_CAL_DAYS; day++)
	{
		int			close = cn_nyse_close(day);

		cum_sessions[day] = s;
		cum_minutes[day] = mins;
		if (close > 0)
		{
			s++;
			mins += close - CN_CAL_OPEN;
		}
	}
	cum_sessions[CN_CAL_DAYS] = s;
	cum_minutes[CN_CAL_DAYS] = mins;
	cum_built = 1;
}

int32_t
cn_nyse_sessions_before(int32_t day)
{
	if (!cum_built)
		build_totals();
	if (day <= 0)
		return 0;
	if (day >= CN_CAL_DAYS)
		return cum_sessions[CN_CAL_DAYS];
	return cum_sessions[day];
}

int32_t
cn_nyse_minutes_before(int32_t day)
{
	if (!cum_built)
		build_totals();
	if (day <= 0)
		return 0;
	if (day >= CN_CAL_DAYS)
		return cum_minutes[CN_CAL_DAYS];
	return cum_minutes[day];
}
