/*
 * time.c -- time to expiry: year_frac (ACT/365 to the microsecond) and expiry_ts (the
 * moment an exchange-listed option expires).
 */
#include "condor.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#define USECS_PER_YEAR_365 (365.0 * USECS_PER_DAY)

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
 * expiry_ts(expiry date, settlement text): 16:00 America/New_York for PM-settled
 * options (SPXW, equity options), 09:30 for AM-settled ones (SPX monthlies, VIX), as a
 * timestamptz; daylight saving time is the zone database's.
 */
PG_FUNCTION_INFO_V1(expiry_ts);
Datum
expiry_ts(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	text	   *settle = PG_GETARG_TEXT_PP(1);
	char	   *s = text_to_cstring(settle);
	int64		minutes;
	Timestamp	local;

	if (pg_strcasecmp(s, "PM") == 0)
		minutes = 16 * 60;
	else if (pg_strcasecmp(s, "AM") == 0)
		minutes = 9 * 60 + 30;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid settlement \"%s\"", s),
				 errhint("Use 'PM' (16:00 New York) or 'AM' (09:30 New York).")));

	if (DATE_NOT_FINITE(d))
	{
		if (DATE_IS_NOBEGIN(d))
			PG_RETURN_TIMESTAMPTZ(DT_NOBEGIN);
		PG_RETURN_TIMESTAMPTZ(DT_NOEND);
	}
	local = (Timestamp) d * USECS_PER_DAY + minutes * USECS_PER_MINUTE;
	if (!IS_VALID_TIMESTAMP(local))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range for timestamp")));
	return DirectFunctionCall2(timestamp_zone,
							   CStringGetTextDatum("America/New_York"),
							   TimestampGetDatum(local));
}
