/*
 * time.c -- time to expiry: year_frac (ACT/365 to the microsecond), year_frac_trading
 * (trading time, from the exchange calendar) and expiry_ts (the moment an
 * exchange-listed option expires).
 */
#include "condor.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "market.h"

#define USECS_PER_YEAR_365 (365.0 * USECS_PER_DAY)

/* Raise 22008 naming the argument unless New York time local is within the calendar. */
static void
check_calendar_instant(Timestamp local, TimestampTz t, const char *what)
{
	if (local < 0 || local > (Timestamp) CN_CAL_DAYS * USECS_PER_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s \"%s\" is outside the trading calendar", what,
						DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)))),
				 errdetail("The calendar covers 2000-01-01 00:00 to 2101-01-01 00:00 New York time.")));
}

/*
 * year_frac(start, stop): (stop - start) in years of 365 days, to the microsecond, so
 * 0DTE positions are timed in minutes (one minute = 1/525600).  Negative when stop is
 * before start; +-Infinity for infinite timestamps.
 */
PG_FUNCTION_INFO_V1(year_frac);
Datum
year_frac(PG_FUNCTION_ARGS)
{
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz stop = PG_GETARG_TIMESTAMPTZ(1);

	if (TIMESTAMP_NOT_FINITE(start) || TIMESTAMP_NOT_FINITE(stop))
	{
		if (TIMESTAMP_NOT_FINITE(start) && TIMESTAMP_NOT_FINITE(stop) &&
			TIMESTAMP_IS_NOBEGIN(start) == TIMESTAMP_IS_NOBEGIN(stop))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("year_frac of two equal infinite timestamps is undefined")));
		PG_RETURN_FLOAT8((TIMESTAMP_IS_NOEND(stop) || TIMESTAMP_IS_NOBEGIN(start))
						 ? get_float8_infinity() : -get_float8_infinity());
	}
	/* Differences of int64 microseconds are exact; one division rounds. */
	PG_RETURN_FLOAT8((double) (stop - start) / USECS_PER_YEAR_365);
}

/*
 * expiry_ts(expiry date, settlement text): the instant an option expiring on that date
 * settles, as a timestamptz.  PM (SPXW, equity options): the close of the day's
 * session -- 16:00 New York, 13:00 on early-close days.  AM (SPX monthlies, VIX): 09:30,
 * the opening on which the Special Opening Quotation is computed.  When the date has no
 * session (a holiday, a weekend, a row of condor_closures), the exchanges have moved the
 * expiry to the session before, and so does this: the close or 09:30 of that session.
 * STABLE, since condor_closures can change.
 */
PG_FUNCTION_INFO_V1(expiry_ts);
Datum
expiry_ts(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	text	   *settle = PG_GETARG_TEXT_PP(1);
	const char *s = VARDATA_ANY(settle);
	int			n = VARSIZE_ANY_EXHDR(settle);
	bool		am;

	if (n == 2 && pg_strncasecmp(s, "PM", 2) == 0)
		am = false;
	else if (n == 2 && pg_strncasecmp(s, "AM", 2) == 0)
		am = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid settlement \"%s\"", text_to_cstring(settle)),
				 errhint("Use 'PM' (the close, 16:00 New York or 13:00 on early-close days) or 'AM' (09:30 New York).")));
	PG_RETURN_TIMESTAMPTZ(condor_expiry_instant(d, am));
}

/*
 * The trading-time year.  A nominal year is 365 days (525,600 minutes) of which 252
 * sessions of 6.5 hours (98,280 minutes) are trading time.
 */
#define SESSION_USECS_PER_YEAR (252.0 * 390.0 * USECS_PER_MINUTE)

/*
 * year_frac_trading(start, stop, overnight_weight): the time from start to stop in
 * years on a clock that runs at rate 1 while the exchange is in session and at rate
 * overnight_weight (0 to 1) otherwise -- nights, weekends, holidays, the afternoon of
 * an early close -- normalised over the nominal year:
 *
 *     T = (S + w N) / (98,280 min + w 427,320 min)
 *
 * with S the session time and N the rest of [start, stop).  w = 0 counts sessions only,
 * each full one 1/252 (an early close pro rata, 3.5/6.5 of that); w = 1 gives back
 * ACT/365, year_frac to the bit.  Sessions are 09:30 to the close, New York time, from
 * the calendar (rules and condor_closures), hence STABLE.
 */
PG_FUNCTION_INFO_V1(year_frac_trading);
Datum
year_frac_trading(PG_FUNCTION_ARGS)
{
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz stop = PG_GETARG_TIMESTAMPTZ(1);
	double		w = PG_GETARG_FLOAT8(2);
	Timestamp	ls,
				le;
	int64		sess,
				total;

	if (!(w >= 0 && w <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid overnight_weight \"%s\"", condor_float8_text(w)),
				 errdetail("overnight_weight must be between 0 and 1.")));
	if (TIMESTAMP_NOT_FINITE(start) || TIMESTAMP_NOT_FINITE(stop))
	{
		if (TIMESTAMP_NOT_FINITE(start) && TIMESTAMP_NOT_FINITE(stop) &&
			TIMESTAMP_IS_NOBEGIN(start) == TIMESTAMP_IS_NOBEGIN(stop))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("year_frac_trading of two equal infinite timestamps is undefined")));
		PG_RETURN_FLOAT8((TIMESTAMP_IS_NOEND(stop) || TIMESTAMP_IS_NOBEGIN(start))
						 ? get_float8_infinity() : -get_float8_infinity());
	}
	ls = condor_utc_to_ny(start);
	le = condor_utc_to_ny(stop);
	check_calendar_instant(ls, start, "start");
	check_calendar_instant(le, stop, "stop");
	sess = condor_session_usec_until(le) - condor_session_usec_until(ls);
	total = stop - start;
	/* with w = 1 the numerator is total and the denominator 365 days, both exact */
	PG_RETURN_FLOAT8(((double) sess + w * (double) (total - sess)) /
					 (SESSION_USECS_PER_YEAR + w * (USECS_PER_YEAR_365 - SESSION_USECS_PER_YEAR)));
}
