/*
 * calendar.h -- the New York Stock Exchange calendar from its rules, 2000 to 2100, in
 * plain C (no PostgreSQL headers).
 *
 * Days are counted from 2000-01-01 (day 0), PostgreSQL's date epoch, so a DateADT is a
 * day number here without conversion.  Times of day are minutes after midnight, New
 * York wall clock.  Only the rules are here; the one-off closures (days of mourning,
 * storms) live in the condor_closures table and are merged in by src/pg/calendar.c.
 */
#ifndef CONDOR_CALENDAR_H
#define CONDOR_CALENDAR_H

#include <stdint.h>

#define CN_CAL_FIRST_YEAR	2000
#define CN_CAL_LAST_YEAR	2100
/* 2000-01-01 .. 2100-12-31: 101 years, 25 of them leap years (2000, 2004, ..., 2096) */
#define CN_CAL_DAYS			36890

#define CN_CAL_OPEN			(9 * 60 + 30)	/* 09:30 */
#define CN_CAL_CLOSE		(16 * 60)	/* 16:00 */
#define CN_CAL_EARLY_CLOSE	(13 * 60)	/* 13:00 */

/* Why the rules give no session on a day (CN_SESSION: they give one). */
typedef enum cn_dayrule
{
	CN_SESSION = 0,
	CN_WEEKEND,
	CN_NEW_YEARS_DAY,
	CN_MLK_DAY,
	CN_PRESIDENTS_DAY,
	CN_GOOD_FRIDAY,
	CN_MEMORIAL_DAY,
	CN_JUNETEENTH,
	CN_INDEPENDENCE_DAY,
	CN_LABOR_DAY,
	CN_THANKSGIVING,
	CN_CHRISTMAS
} cn_dayrule;

/* Proleptic Gregorian calendar: day number of y-m-d, and back. */
extern int32_t cn_days_from_civil(int y, int m, int d);
extern void cn_civil_from_days(int32_t days, int *y, int *m, int *d);

/* Day of the week: 0 = Sunday ... 6 = Saturday. */
extern int	cn_weekday(int32_t days);

/* Easter Sunday of a Gregorian year (anonymous Gregorian computus), as a day number. */
extern int32_t cn_easter(int year);

/* The rule that closes the exchange on a day, or CN_SESSION; any day number. */
extern cn_dayrule cn_nyse_rule(int32_t day);

/* English name of a rule ("Good Friday", ...); "" for CN_SESSION. */
extern const char *cn_dayrule_name(cn_dayrule r);

/*
 * The close of the rules' session on a day in minutes after midnight New York
 * (CN_CAL_CLOSE or CN_CAL_EARLY_CLOSE), 0 when the rules give no session.
 */
extern int	cn_nyse_close(int32_t day);

/*
 * Running totals over the calendar, for day in [0, CN_CAL_DAYS]: the number of the
 * rules' sessions on the days before day, and their length in minutes.
 */
extern int32_t cn_nyse_sessions_before(int32_t day);
extern int32_t cn_nyse_minutes_before(int32_t day);

#endif
