/*
 * market.h -- the exchange calendar for C code: sessions, closes and expiry instants.
 *
 * Two layers:
 *   - condor_rule_*: the NYSE rules alone (src/num/calendar.c); deterministic, fit for
 *     IMMUTABLE functions.
 *   - the others: the rules overridden by the rows of the condor_closures table (one-off
 *     closures and early closes, as the user keeps them), read under the active
 *     snapshot and cached until the snapshot changes; only for STABLE functions.
 * Days are DateADT, 2000-01-01 to 2100-12-31; outside, 22008 naming the argument.
 */
#ifndef CONDOR_MARKET_H
#define CONDOR_MARKET_H

#include "datatype/timestamp.h"
#include "utils/date.h"

/* 09:30 New York, in microseconds after midnight */
#define CONDOR_OPEN_USEC	(INT64CONST(570) * USECS_PER_MINUTE)

/* Raise 22008 naming argument 'what' unless d is in [2000-01-01, 2100-12-31]. */
extern void condor_check_day(DateADT d, const char *what);

/*
 * The close of the session on d in microseconds after midnight New York, 0 when the
 * exchange is closed all day (rules and condor_closures; d must be checked).
 */
extern int64 condor_close_usec(DateADT d);

/* Sessions on the days before d, d in [0, 36890] (2000-01-01 to 2101-01-01). */
extern int32 condor_sessions_before(DateADT d);

/* Session time, in microseconds, from 2000-01-01 00:00 New York to local instant x. */
extern int64 condor_session_usec_until(Timestamp x);

/* The day of the session with 0-based ordinal k, or -1 when k is outside the calendar. */
extern DateADT condor_session_day(int32 k);

/*
 * The close of the session on d as a timestamptz: false when the exchange is closed
 * on d.  condor_session_close consults condor_closures (STABLE); condor_rule_close the
 * rules only (IMMUTABLE).
 */
extern bool condor_session_close(DateADT d, TimestampTz *close);
extern bool condor_rule_close(DateADT d, TimestampTz *close);

/*
 * The instant an option expiring on date d settles: the close of d's session (PM) or
 * 09:30 (AM); when d has no session, those of the previous session, as exchanges move
 * an expiry that falls on a holiday.  Infinite d gives infinite instants.  STABLE: the
 * session comes from condor_session_close.  This is what a bare-date expiry means.
 */
extern TimestampTz condor_expiry_instant(DateADT d, bool am);

/* New York wall-clock time to an instant, and back (the zone database's rules). */
extern TimestampTz condor_ny_to_utc(Timestamp local);
extern Timestamp condor_utc_to_ny(TimestampTz t);

/* ISO text of a date (YYYY-MM-DD whatever DateStyle says), palloc'd, for messages. */
extern char *condor_date_text(DateADT d);

#endif
