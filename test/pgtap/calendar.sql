-- pgTAP: the exchange calendar against NYSE's published calendars (typed by hand) and
-- against independent re-computations in SQL: the rules written again day by day with
-- Knuth's Easter algorithm (the C code uses Meeus's), session counts and n-th sessions
-- by counting, trading time by summing each day's overlap with its session through
-- PostgreSQL's own time-zone arithmetic; and OCC symbols round-tripped.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(15);
SET LOCAL TIME ZONE 'America/New_York';
SELECT setseed(0.1414);

-- Weekdays without a session, from NYSE's calendars and its record of closings
CREATE TEMP TABLE nyse_closed (day date PRIMARY KEY);
INSERT INTO nyse_closed SELECT unnest(ARRAY[
  '2001-01-01', '2001-01-15', '2001-02-19', '2001-04-13', '2001-05-28', '2001-07-04', '2001-09-03',
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2001-11-22', '2001-12-25',
  '2003-01-01', '2003-01-20', '2003-02-17', '2003-04-18', '2003-05-26', '2003-07-04', '2003-09-01',
  '2003-11-27', '2003-12-25',
  '2004-01-01', '2004-01-19', '2004-02-16', '2004-04-09', '2004-05-31', '2004-06-11', '2004-07-05',
  '2004-09-06', '2004-11-25', '2004-12-24',
  '2007-01-01', '2007-01-02', '2007-01-15', '2007-02-19', '2007-04-06', '2007-05-28', '2007-07-04',
  '2007-09-03', '2007-11-22', '2007-12-25',
  '2012-01-02', '2012-01-16', '2012-02-20', '2012-04-06', '2012-05-28', '2012-07-04', '2012-09-03',
  '2012-10-29', '2012-10-30', '2012-11-22', '2012-12-25',
  '2018-01-01', '2018-01-15', '2018-02-19', '2018-03-30', '2018-05-28', '2018-07-04', '2018-09-03',
  '2018-11-22', '2018-12-05', '2018-12-25',
  '2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05',
  '2022-11-24', '2022-12-26',
  '2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19',
  '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25',
  '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03',
  '2026-09-07', '2026-11-26', '2026-12-25'
]::date[]);
-- ... and the 13:00 closes of the same years
CREATE TEMP TABLE nyse_early (day date PRIMARY KEY);
INSERT INTO nyse_early SELECT unnest(ARRAY[
  '2001-07-03', '2001-11-23', '2001-12-24',
  '2003-07-03', '2003-11-28', '2003-12-24', '2003-12-26',
  '2004-11-26',
  '2007-07-03', '2007-11-23', '2007-12-24',
  '2012-07-03', '2012-11-23', '2012-12-24',
  '2018-07-03', '2018-11-23', '2018-12-24',
  '2022-11-25',
  '2025-07-03', '2025-11-28', '2025-12-24',
  '2026-11-27', '2026-12-24'
]::date[]);
CREATE TEMP TABLE known_days AS
SELECT d::date AS day
FROM unnest(ARRAY[2001, 2003, 2004, 2007, 2012, 2018, 2022, 2025, 2026]) y,
     generate_series(make_date(y, 1, 1), make_date(y, 12, 31), interval '1 day') d
WHERE extract(isodow FROM d) < 6;

SELECT set_eq($$SELECT day FROM known_days WHERE NOT is_trading_day(day)$$,
              $$SELECT day FROM nyse_closed$$,
              'closed weekdays of nine years are NYSE''s');
SELECT set_eq($$SELECT day FROM known_days WHERE session_close(day)::time = '13:00'$$,
              $$SELECT day FROM nyse_early$$,
              '13:00 closes of nine years are NYSE''s');
SELECT is((SELECT count(*) FROM known_days
           WHERE day NOT IN (SELECT day FROM nyse_closed UNION ALL SELECT day FROM nyse_early)
             AND session_close(day) <> (day + time '16:00') AT TIME ZONE 'America/New_York'),
          0::bigint, 'every other weekday closes at 16:00 New York');

-- The rules written again in SQL for every day of 2000-2100.  Easter by Knuth's
-- algorithm (TAOCP 1.3.2, ex. 14: golden number, century corrections, epact).
CREATE TEMP TABLE easter AS
SELECT y, CASE WHEN n > 31 THEN make_date(y, 4, n - 31) ELSE make_date(y, 3, n) END AS sunday
FROM (SELECT y, n2 + 7 - ((d + n2) % 7) AS n
      FROM (SELECT y, d, CASE WHEN 44 - e < 21 THEN 74 - e ELSE 44 - e END AS n2
            FROM (SELECT y, d, CASE WHEN (e0 = 25 AND g > 11) OR e0 = 24 THEN e0 + 1 ELSE e0 END AS e
                  FROM (SELECT y, g, (5 * y) / 4 - x - 10 AS d, (11 * g + 20 + z - x) % 30 AS e0
                        FROM (SELECT y, y % 19 + 1 AS g, (3 * (y / 100 + 1)) / 4 - 12 AS x,
                                     (8 * (y / 100 + 1) + 5) / 25 - 5 AS z
                              FROM generate_series(2000, 2100) y) a) b) c) e) f;
SELECT is((SELECT count(*) FROM easter WHERE extract(isodow FROM sunday) <> 7
              OR sunday < make_date(y, 3, 22) OR sunday > make_date(y, 4, 25)), 0::bigint,
          'Knuth''s Easter is a Sunday from March 22 to April 25');

CREATE TEMP TABLE sql_rules AS
SELECT day, CASE
  WHEN dow IN (0, 6) THEN NULL
  WHEN (m = 1 AND d = 1) OR (m = 1 AND d = 2 AND dow = 1) THEN NULL             -- New Year's Day
  WHEN m = 1 AND dow = 1 AND d BETWEEN 15 AND 21 THEN NULL                      -- MLK
  WHEN m = 2 AND dow = 1 AND d BETWEEN 15 AND 21 THEN NULL                      -- Washington
  WHEN day = good_friday THEN NULL                                              -- Good Friday
  WHEN m = 5 AND dow = 1 AND d >= 25 THEN NULL                                  -- Memorial
  WHEN m = 6 AND y >= 2022 AND (d = 19 OR (d = 18 AND dow = 5) OR (d = 20 AND dow = 1)) THEN NULL
  WHEN m = 7 AND (d = 4 OR (d = 3 AND dow = 5) OR (d = 5 AND dow = 1)) THEN NULL
  WHEN m = 9 AND dow = 1 AND d <= 7 THEN NULL                                   -- Labor
  WHEN m = 11 AND dow = 4 AND d BETWEEN 22 AND 28 THEN NULL                     -- Thanksgiving
  WHEN m = 12 AND (d = 25 OR (d = 24 AND dow = 5) OR (d = 26 AND dow = 1)) THEN NULL
  WHEN m = 11 AND dow = 5 AND d BETWEEN 23 AND 29 THEN time '13:00'
  WHEN m = 12 AND d = 24 THEN time '13:00'
  WHEN m = 7 AND d = 3 AND (dow <> 3 OR y >= 2013) THEN time '13:00'
  WHEN m = 7 AND d = 5 AND dow = 5 AND y < 2013 THEN time '13:00'
  ELSE time '16:00' END AS close
FROM (SELECT g::date AS day, extract(dow FROM g)::int AS dow, extract(year FROM g)::int AS y,
             extract(month FROM g)::int AS m, extract(day FROM g)::int AS d
      FROM generate_series(date '2000-01-01', date '2100-12-31', interval '1 day') g) x
JOIN (SELECT y, sunday - 2 AS good_friday FROM easter) e USING (y);
-- condor_closures overrides the rules
UPDATE sql_rules r SET close = c.close FROM condor_closures c WHERE c.day = r.day;
CREATE INDEX ON sql_rules (day);
ANALYZE sql_rules;
SELECT is((SELECT count(*) FROM sql_rules), 36890::bigint, '2000-2100 is 36,890 days');
SELECT is((SELECT count(*) FROM sql_rules
           WHERE session_close(day) IS DISTINCT FROM (day + close) AT TIME ZONE 'America/New_York'
              OR is_trading_day(day) <> (close IS NOT NULL)),
          0::bigint, 'every day of 2000-2100 as the rules written again in SQL say');

-- trading_days counts; next_trading_day is the n-th counted session
CREATE TEMP TABLE sessions AS
SELECT day FROM sql_rules WHERE close IS NOT NULL;
CREATE INDEX ON sessions (day);
ANALYZE sessions;
CREATE TEMP TABLE spans AS
SELECT date '2000-01-01' + floor(random() * 36890)::int AS a,
       date '2000-01-01' + floor(random() * 36890)::int AS b,
       floor(random() * 61)::int - 30 AS n
FROM generate_series(1, 400);
SELECT is((SELECT count(*) FROM spans
           WHERE trading_days(a, b) <> CASE WHEN a <= b
                 THEN (SELECT count(*) FROM sessions WHERE day >= a AND day < b)
                 ELSE -(SELECT count(*) FROM sessions WHERE day >= b AND day < a) END),
          0::bigint, 'trading_days counts the sessions of [start, stop) on 400 random spans');
SELECT is((SELECT count(*) FROM spans s
           WHERE a BETWEEN '2000-03-01' AND '2100-11-01'
             AND next_trading_day(a, n) <> CASE
                 WHEN n > 0 THEN (SELECT day FROM sessions WHERE day > a ORDER BY day OFFSET n - 1 LIMIT 1)
                 WHEN n < 0 THEN (SELECT day FROM sessions WHERE day < a ORDER BY day DESC OFFSET -n - 1 LIMIT 1)
                 ELSE (SELECT min(day) FROM sessions WHERE day >= a) END),
          0::bigint, 'next_trading_day is the n-th session after (before) the day');

-- expiry_ts: the close (PM) or 09:30 (AM) of the day, or of the session before it
CREATE TEMP TABLE prev_session AS
SELECT day, max(day) FILTER (WHERE close IS NOT NULL) OVER (ORDER BY day) AS s FROM sql_rules;
SELECT is((SELECT count(*) FROM prev_session p
           WHERE p.day >= '2000-01-03'
             AND (expiry_ts(p.day) <> session_close(p.s)
                  OR expiry_ts(p.day, 'AM') <> (p.s + time '09:30') AT TIME ZONE 'America/New_York')),
          0::bigint, 'expiry_ts of every day is its session''s close or 09:30, or the previous session''s');

-- year_frac_trading against each day's overlap with its session, summed in SQL
CREATE TEMP TABLE instants AS
SELECT t0, t0 + (random() * random() * 40 * 86400) * interval '1 second' * (CASE WHEN random() < 0.2 THEN -1 ELSE 1 END) AS t1,
       (ARRAY[0, 0.05, 0.3, 1])[1 + floor(random() * 4)::int]::float8 AS w
FROM (SELECT timestamptz '2000-02-01 00:00' + random() * (timestamptz '2100-11-01' - timestamptz '2000-02-01') AS t0
      FROM generate_series(1, 300)) x;
CREATE TEMP TABLE spans_t AS
SELECT *, (lo AT TIME ZONE 'America/New_York')::date AS d0, (hi AT TIME ZONE 'America/New_York')::date AS d1
FROM (SELECT *, least(t0, t1) AS lo, greatest(t0, t1) AS hi FROM instants) i;
CREATE TEMP TABLE by_sql AS
SELECT i.t0, i.t1, i.w, sign(extract(epoch FROM i.t1 - i.t0)) AS sgn, extract(epoch FROM i.hi - i.lo) AS secs,
       coalesce(sum(extract(epoch FROM greatest(interval '0',
                    least(i.hi, (r.day + r.close) AT TIME ZONE 'America/New_York')
                    - greatest(i.lo, (r.day + time '09:30') AT TIME ZONE 'America/New_York'))))
                FILTER (WHERE r.day IS NOT NULL), 0) AS sess_secs
FROM spans_t i
LEFT JOIN sql_rules r ON r.close IS NOT NULL AND r.day BETWEEN i.d0 AND i.d1
GROUP BY 1, 2, 3, 4, 5;
SELECT is((SELECT count(*) FROM by_sql
           WHERE abs(year_frac_trading(t0, t1, w)
                     - sgn * (sess_secs + w * (secs - sess_secs)) / (98280 * 60 + w * 427320 * 60))
                 > 1e-12 * (1 + abs(year_frac_trading(t0, t1, w)))),
          0::bigint, 'year_frac_trading on 300 random spans equals the day-by-day sum');
SELECT is((SELECT count(*) FROM instants WHERE year_frac_trading(t0, t1, 1) <> year_frac(t0, t1)),
          0::bigint, 'year_frac_trading with weight 1 is year_frac, bit for bit');
SELECT is((SELECT count(*) FROM instants
           WHERE year_frac_trading(t0, t1, w) < least(year_frac_trading(t0, t1, 0), year_frac(t0, t1)) - 1e-15
              OR year_frac_trading(t0, t1, w) > greatest(year_frac_trading(t0, t1, 0), year_frac(t0, t1)) + 1e-15),
          0::bigint, 'every weight gives a time between trading time and ACT/365');

-- a closure added in this transaction is seen at once, and gone with the rollback
SAVEPOINT before_edit;
INSERT INTO condor_closures VALUES ('2026-03-11', NULL, 'test');
SELECT is(trading_days('2026-03-01', '2026-04-01'), 21, 'an added closure counts at once');
ROLLBACK TO SAVEPOINT before_edit;
SELECT is(trading_days('2026-03-01', '2026-04-01'), 22, 'and is gone after the rollback');

-- OCC symbols: 2,000 random contracts round-trip, in both forms
CREATE TEMP TABLE occ_rnd AS
SELECT (ARRAY['SPX', 'SPXW', 'VIX', 'VIXW', 'SPY', 'QQQ', 'IWM', 'AAPL', 'BRKB', 'X', 'GOOGL1'])[1 + floor(random() * 11)::int] AS root,
       date '2000-01-01' + floor(random() * 36525)::int AS expiry,
       (ARRAY['C', 'P'])[1 + floor(random() * 2)::int] AS cp,
       round((0.001 + random() * 99999.998)::numeric, (floor(random() * 4))::int)::float8 AS strike
FROM generate_series(1, 2000);
SELECT is((SELECT count(*) FROM occ_rnd
           WHERE strike > 0 AND (occ_parse(occ_symbol(root, expiry, cp, strike)) <> ROW(root, expiry, cp, strike)::occ_option
                 OR occ_parse(replace(occ_symbol(root, expiry, cp, strike), ' ', '')) <> ROW(root, expiry, cp, strike)::occ_option)),
          0::bigint, 'occ_parse(occ_symbol(x)) = x for 2,000 random contracts, padded and compact');

SELECT * FROM finish();
ROLLBACK;
