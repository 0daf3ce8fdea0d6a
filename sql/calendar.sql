-- The exchange calendar: sessions, closes, expiry instants and trading time.
SET TIME ZONE 'America/New_York';
SET DateStyle = 'ISO, YMD';

-- 2025 as NYSE published it: every weekday without a regular 16:00 session
SELECT d::date AS day, to_char(d, 'Dy') AS dow, session_close(d::date)::time AS close
FROM generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') d
WHERE extract(isodow FROM d) < 6 AND session_close(d::date) IS DISTINCT FROM d::date + time '16:00'
ORDER BY 1;

-- sessions per year (NYSE: 2019 252, 2020 253, 2021 252, 2022 251, 2023 250, 2024 252;
-- 2025 250 with the Carter day of mourning)
SELECT y, trading_days(make_date(y, 1, 1), make_date(y + 1, 1, 1)) AS sessions
FROM generate_series(2019, 2027) y ORDER BY y;

-- [start, stop): the start day counts, the stop day does not; counts add up
SELECT trading_days('2025-11-24', '2025-11-28') AS mon_to_fri_excl,
       trading_days('2025-11-24', '2025-11-29') AS mon_to_sat,
       trading_days('2025-11-28', '2025-11-24') AS reversed,
       trading_days('2025-11-24', '2025-11-24') AS empty,
       trading_days('2000-01-01', '2101-01-01') AS whole_calendar,
       trading_days('2000-01-01', '2101-01-01') =
         trading_days('2000-01-01', '2050-07-04') + trading_days('2050-07-04', '2101-01-01') AS additive;

-- next_trading_day: over Good Friday, a weekend, a day of mourning, a year end
SELECT next_trading_day('2025-04-17') AS after_thursday_good_friday,
       next_trading_day('2025-04-21', -1) AS before_easter_monday,
       next_trading_day('2025-04-18', 0) AS zero_rolls_forward,
       next_trading_day('2025-04-17', 0) AS zero_on_a_session,
       next_trading_day('2025-01-08') AS over_carter_day,
       next_trading_day('2025-12-31', 2) AS second_of_2026,
       next_trading_day('2025-01-02', -2) AS two_back_over_new_year,
       next_trading_day('2025-01-01', 250) AS the_250th;

-- closes: 13:00 on early-close days, in standard and in daylight time; NULL when closed
SELECT session_close('2025-11-28') AS day_after_thanksgiving,
       session_close('2025-07-03') AS july_3,
       session_close('2025-12-24') AS christmas_eve,
       session_close('2002-07-05') AS july_5_2002,
       session_close('2003-12-26') AS dec_26_2003,
       session_close('2025-12-25') AS christmas;

-- expiry_ts: PM at the close (13:00 on an early close), AM at 09:30; a day without a
-- session means the session before (Good Friday monthlies settle on Thursday)
SELECT expiry_ts('2025-11-28') AS pm_early_close,
       expiry_ts('2025-11-28', 'AM') AS am_early_close,
       expiry_ts('2025-04-18', 'AM') AS good_friday_am,
       expiry_ts('2025-04-18') AS good_friday_pm,
       expiry_ts('2025-01-09') AS carter_day,
       expiry_ts('2025-10-25') AS saturday;

-- year_frac_trading: Friday 15:00 to Monday 09:30 is one session hour
SELECT year_frac_trading('2025-11-21 15:00', '2025-11-24 09:30') * 252 * 390 AS session_minutes,
       year_frac_trading('2025-11-21 15:00', '2025-11-24 09:30', 1)
         = year_frac('2025-11-21 15:00', '2025-11-24 09:30') AS weight_1_is_act365,
       year_frac_trading('2025-11-24 09:30', '2025-11-21 15:00') * 252 * 390 AS reversed,
       round((year_frac_trading('2025-11-21 15:00', '2025-11-24 09:30', 0.1) * 525600)::numeric, 4) AS weight_01_minutes;
-- a week of five full sessions is 5/252; Thanksgiving week 3 + 3.5/6.5 sessions
SELECT year_frac_trading('2025-11-10 00:00', '2025-11-17 00:00') * 252 AS full_week,
       round((year_frac_trading('2025-11-24 00:00', '2025-12-01 00:00') * 252 * 6.5)::numeric, 9) AS thanksgiving_week_hours,
       year_frac_trading('2025-11-28 12:00', '2025-11-28 16:00') * 252 * 390 AS after_early_close,
       year_frac_trading('2025-03-07 16:00', '2025-03-10 09:30', 1) * 525600 AS dst_weekend_minutes;
-- a year of sessions: 2025 has 250 sessions, 3 of them early closes
SELECT round((year_frac_trading('2025-01-01', '2026-01-01') * 252)::numeric, 9) AS sessions_2025,
       round(247 + 3 * 3.5 / 6.5, 9) AS by_hand,
       year_frac_trading('-infinity', now()) AS minus_inf, year_frac_trading(now(), 'infinity') AS plus_inf;

-- condor_closures: an added closure, a reopened holiday, a shortened day; a row for a
-- day that has one replaces it
BEGIN;
INSERT INTO condor_closures VALUES ('2025-12-26', NULL, 'test: closed'),
                                   ('2025-12-25', '16:00', 'test: open on Christmas'),
                                   ('2025-12-29', '12:00', 'test: noon close');
SELECT is_trading_day('2025-12-26') AS dec26, is_trading_day('2025-12-25') AS dec25,
       session_close('2025-12-29') AS dec29, trading_days('2025-12-01', '2026-01-01') AS december,
       round((year_frac_trading('2025-12-29 00:00', '2025-12-30 00:00') * 252 * 390)::numeric, 6) AS dec29_minutes,
       expiry_ts('2025-12-26') AS expiry_dec26, next_trading_day('2025-12-24') AS after_dec24;
INSERT INTO condor_closures VALUES ('2025-12-29', '14:30', 'test: replaced');
SELECT day, close, note FROM condor_closures WHERE day = '2025-12-29';
ROLLBACK;
SELECT trading_days('2025-12-01', '2026-01-01') AS december_again;

-- Errors: outside the calendar 22008, a bad weight 22023, a bad table row refused
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT is_trading_day('1999-12-31')$$,
  $$SELECT is_trading_day('2101-01-01')$$,
  $$SELECT is_trading_day('infinity')$$,
  $$SELECT trading_days('1999-12-31', '2025-01-01')$$,
  $$SELECT trading_days('2025-01-01', '2101-01-02')$$,
  $$SELECT next_trading_day('2100-12-30', 2)$$,
  $$SELECT next_trading_day('2000-01-03', -1)$$,
  $$SELECT next_trading_day('2025-01-01', -2147483648)$$,
  $$SELECT session_close('1999-12-31')$$,
  $$SELECT expiry_ts('1999-12-17')$$,
  $$SELECT expiry_ts('2000-01-01')$$,
  $$SELECT expiry_ts('2025-11-28', 'EOD')$$,
  $$SELECT year_frac_trading('1999-12-31 12:00', '2025-01-01')$$,
  $$SELECT year_frac_trading('2025-01-01', '2101-01-01 00:00:01')$$,
  $$SELECT year_frac_trading('2025-01-01', '2025-02-01', -0.1)$$,
  $$SELECT year_frac_trading('2025-01-01', '2025-02-01', 1.5)$$,
  $$SELECT year_frac_trading('2025-01-01', '2025-02-01', 'NaN')$$,
  $$SELECT year_frac_trading('infinity', 'infinity')$$,
  $$INSERT INTO condor_closures VALUES ('2025-12-29', '09:30', 'no session')$$,
  $$INSERT INTO condor_closures VALUES ('1999-12-31', NULL, 'before the calendar')$$
]) AS q;

-- NULL in, NULL out
SELECT is_trading_day(NULL) AS a, trading_days(NULL, '2025-01-01') AS b,
       next_trading_day('2025-01-01', NULL) AS c, session_close(NULL) AS d,
       year_frac_trading(NULL, now()) AS e, year_frac_trading(now(), now(), NULL) AS f;

-- the same answers in a parallel plan as in a serial one
CREATE TABLE cal_rows AS
SELECT i, timestamptz '2024-01-01 00:00 America/New_York' + i * interval '17 minutes 13 seconds' AS ts
FROM generate_series(1, 60000) i;
ANALYZE cal_rows;
CREATE TEMP TABLE serial_answer AS
SELECT count(*) FILTER (WHERE is_trading_day((ts AT TIME ZONE 'America/New_York')::date)) AS sessions,
       sum(year_frac_trading(ts, expiry_ts((ts AT TIME ZONE 'America/New_York')::date + 7), 0.05)) AS t
FROM cal_rows;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT count(*) FILTER (WHERE is_trading_day((ts AT TIME ZONE 'America/New_York')::date)) AS sessions,
       sum(year_frac_trading(ts, expiry_ts((ts AT TIME ZONE 'America/New_York')::date + 7), 0.05)) AS t
FROM cal_rows;
SELECT p.sessions = s.sessions AS same_sessions, abs(p.t - s.t) < 1e-9 * s.t AS same_t
FROM (SELECT count(*) FILTER (WHERE is_trading_day((ts AT TIME ZONE 'America/New_York')::date)) AS sessions,
             sum(year_frac_trading(ts, expiry_ts((ts AT TIME ZONE 'America/New_York')::date + 7), 0.05)) AS t
      FROM cal_rows) p, serial_answer s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE cal_rows;

RESET DateStyle;
RESET TIME ZONE;
