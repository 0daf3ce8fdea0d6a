-- The volatility dashboard: constant-maturity vol, skew, realized vol, IV rank and
-- percentile, touch and in-the-money probabilities.  Figures on the sample data, the
-- NULL cases and their reasons, errors, crafted states, parallel plans.  (The
-- comparisons with independent computations are test/pgtap/dashboard.sql and the C
-- unit tests.)
SET TIME ZONE 'UTC';
CREATE SCHEMA dashboard;
SET search_path = dashboard, public;
\set QUIET on
\i data/market_history.sql
\i data/vol_history.sql
\set QUIET off
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- One end-of-day chain (2025-10-08, VIX 23.4): six Friday expiries, 2 to 37 days
CREATE TEMP VIEW eod AS
SELECT quote_ts, expiry_ts, year_frac(quote_ts, expiry_ts) AS t, strike, forward, iv
FROM spx_eod WHERE quote_ts = '2025-10-08 20:00+00';

-- IV1 .. IV60: flat vol before the first expiry (2 days) and after the last (37 days);
-- the form over year fractions agrees
SELECT target, round(cm_vol(quote_ts, expiry_ts, strike, forward, iv, target)::numeric, 6) AS iv,
       cm_vol(quote_ts, expiry_ts, strike, forward, iv, target) = cm_vol(t, strike, forward, iv, target) AS t_form,
       cm_vol_status(quote_ts, expiry_ts, strike, forward, iv, target) AS status
FROM eod, unnest(ARRAY[1, 7, 30, 37, 60]::float8[]) target
GROUP BY target ORDER BY target;

-- skew of each expiry
SELECT expiry_ts::date AS expiry, round((s).atm::numeric, 5) AS atm, round((s).put25::numeric, 5) AS put25,
       round((s).call25::numeric, 5) AS call25, round((s).rr25::numeric, 5) AS rr25,
       round((s).bf25::numeric, 5) AS bf25, round((s).m90::numeric, 5) AS m90,
       round((s).m110::numeric, 5) AS m110, round((s).put25_strike::numeric, 2) AS put25_k,
       round((s).call25_strike::numeric, 2) AS call25_k
FROM (SELECT expiry_ts, skew(strike, iv, forward, t) AS s FROM eod GROUP BY expiry_ts) x
ORDER BY expiry;

-- the vol at other deltas (10-delta put and call, 50-delta call)
SELECT expiry_ts::date AS expiry, round(delta_vol(strike, iv, forward, t, -0.10)::numeric, 5) AS put10,
       round(delta_vol(strike, iv, forward, t, 0.10)::numeric, 5) AS call10,
       round(delta_vol(strike, iv, forward, t, 0.50)::numeric, 5) AS call50
FROM eod GROUP BY expiry_ts ORDER BY expiry_ts;

-- a call and a put at one strike are one node, their variances averaged: the chain with
-- every strike twice (vols 2% apart) gives the 30-day vol of the averaged variances
SELECT abs(cm_vol(quote_ts, expiry_ts, strike, forward, v, 30)
           / (SELECT cm_vol(quote_ts, expiry_ts, strike, forward, sqrt((iv * iv + (1.02 * iv) ^ 2) / 2), 30) FROM eod)
           - 1) < 1e-15 AS duplicates_averaged
FROM eod, LATERAL (VALUES (iv), (1.02 * iv)) x(v);

-- NULL and why
SELECT cm_vol(t, k, 100, v, 30) AS unbracketed, cm_vol_status(t, k, 100, v, 30) AS why
FROM (VALUES (0.1, 110.0, 0.2), (0.1, 120.0, 0.22), (0.2, 101.0, 0.2)) x(t, k, v);
SELECT cm_vol(as_of, e, 100, 100, 0.2, 30) AS expired, cm_vol_status(as_of, e, 100, 100, 0.2, 30) AS why
FROM (VALUES ('2025-09-15 14:30+00'::timestamptz, '2025-09-12 20:00+00'::timestamptz)) x(as_of, e);
SELECT cm_vol_status(t, k, 100, v, 30) AS no_rows FROM (VALUES (0.1, 1.0, 0.2)) x(t, k, v) WHERE false;
-- one strike at the forward: ATM alone; all strikes above it: no atm, no bf25
SELECT round((s).atm::numeric, 10) AS atm, round((s).put25::numeric, 10) AS put25,
       round((s).call25::numeric, 10) AS call25, round((s).bf25::numeric, 10) AS bf25,
       round((s).m90::numeric, 10) AS m90, round((s).put25_strike::numeric, 8) AS put25_k
FROM (SELECT skew(k, v, 100, 0.25) AS s FROM (VALUES (100.0, 0.2)) x(k, v)) y;
SELECT round((s).atm::numeric, 10) AS atm, round((s).put25::numeric, 10) AS put25,
       round((s).call25::numeric, 10) AS call25, round((s).bf25::numeric, 10) AS bf25,
       round((s).m110::numeric, 10) AS m110, round((s).call25_strike::numeric, 8) AS call25_k
FROM (SELECT skew(k, v, 100, 0.25) AS s FROM (VALUES (105.0, 0.2), (110.0, 0.25)) x(k, v)) y;
SELECT skew(k, v, 100, 0.25) IS NULL AS no_rows FROM (VALUES (105.0, 0.2)) x(k, v) WHERE false;

-- Realized vol on the sample bars: the last five days, 20 returns (21 rows) each;
-- NULL while the window holds too few rows
SELECT day, round(realized_vol(day, close) OVER w::numeric, 6) AS c2c,
       round(realized_vol(day, close, 252, true) OVER w::numeric, 6) AS c2c_zero_mean,
       round(parkinson_vol(day, open, high, low, close) OVER w::numeric, 6) AS parkinson,
       round(garman_klass_vol(day, open, high, low, close) OVER w::numeric, 6) AS garman_klass,
       round(rogers_satchell_vol(day, open, high, low, close) OVER w::numeric, 6) AS rogers_satchell,
       round(yang_zhang_vol(day, open, high, low, close) OVER w::numeric, 6) AS yang_zhang
FROM spx_bars WINDOW w AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)
ORDER BY day OFFSET 290;
SELECT day, round(realized_vol(day, close) OVER w::numeric, 10) AS c2c, realized_vol(day, close, 252, true) OVER w IS NULL AS zm_null,
       yang_zhang_vol(day, open, high, low, close) OVER w IS NULL AS yz_null,
       parkinson_vol(day, open, high, low, close) OVER w IS NULL AS pk_null
FROM spx_bars WINDOW w AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)
ORDER BY day LIMIT 3;
-- a date argument works through the implicit cast to timestamptz
SELECT round(realized_vol(day, spx)::numeric, 6) AS year_c2c FROM daily WHERE day <= '2025-09-15';

-- IV rank and percentile of the VIX close over a trailing year
SELECT day, vix, round(iv_rank(day, vix) OVER w::numeric, 4) AS rank,
       round(iv_percentile(day, vix) OVER w::numeric, 4) AS pct
FROM daily WINDOW w AS (ORDER BY day ROWS BETWEEN 251 PRECEDING AND CURRENT ROW)
ORDER BY day OFFSET 285;
SELECT iv_rank(ts, v) AS flat_rank, iv_percentile(ts, v) AS flat_pct
FROM (VALUES ('2025-01-01'::timestamptz, 0.2), ('2025-01-02', 0.2)) x(ts, v);
SELECT iv_rank(ts, v) AS one_rank, iv_percentile(ts, v) AS one_pct
FROM (VALUES ('2025-01-01'::timestamptz, 0.2)) x(ts, v);

-- Probabilities
SELECT round(prob_itm('C', 5800, 5900, 45 / 365.0, 0.16, 0.045, 0.013)::numeric, 6) AS call_itm,
       round(prob_itm('P', 5800, 5900, 45 / 365.0, 0.16, 0.045, 0.013)::numeric, 6) AS put_itm,
       round(prob_touch(5800, 5900, 45 / 365.0, 0.16, 0.045, 0.013)::numeric, 6) AS touch_up,
       round(prob_touch(5800, 5465, 46 / 365.0, 0.16, 0.045, 0.013)::numeric, 6) AS touch_down,
       prob_touch(5800, 5800, 0.1, 0.2) AS at_spot, prob_touch(5800, 5900, 0, 0.2) AS no_time,
       prob_itm('C', 5800, 5700, 0, 0.2) AS expired_itm;
SELECT leg, kind, strike, qty, round(t::numeric, 6) AS t, round(prob_itm::numeric, 6) AS prob_itm,
       round(prob_touch::numeric, 6) AS prob_touch
FROM short_strikes('-1 P 5465 2025-10-31T20:00:00Z @ 33.55; 1 P 5415 2025-10-31T20:00:00Z @ 29.05; -1 C 6100 2025-10-31T20:00:00Z @ 10.6; 1 C 6150 2025-10-31T20:00:00Z @ 6.4',
                   5800, '2025-09-15 14:30+00', 0.16, 0.045, 0.013);

-- Errors: 22023 naming the argument
SELECT pg_temp.err(q) FROM unnest(ARRAY[
 $$SELECT cm_vol(0.1, -5, 100, 0.2, 30)$$,
 $$SELECT cm_vol(0.1, 100, 100, 0, 30)$$,
 $$SELECT cm_vol(0.1, 100, 100, 0.2, 'NaN')$$,
 $$SELECT cm_vol(now(), 'infinity', 100, 100, 0.2, 30)$$,
 $$SELECT skew(100, 0.2, 100, 0)$$,
 $$SELECT delta_vol(100, 0.2, 100, 0.1, 0)$$,
 $$SELECT delta_vol(100, 0.2, 100, 0.1, 1)$$,
 $$SELECT delta_vol(100, 0.2, 100, 0.1, 'NaN')$$,
 $$SELECT realized_vol(now(), 0)$$,
 $$SELECT realized_vol(now(), 100, -252)$$,
 $$SELECT parkinson_vol('2025-01-02', 100, 99, 98, 99.5)$$,
 $$SELECT yang_zhang_vol('2025-01-02', 100, 101, 100.5, 99)$$,
 $$SELECT iv_rank(now(), 'Infinity')$$,
 $$SELECT prob_itm('X', 100, 100, 1, 0.2)$$,
 $$SELECT prob_itm('C', 100, 100, -1, 0.2)$$,
 $$SELECT prob_touch(100, 0, 1, 0.2)$$,
 $$SELECT prob_touch(100, 110, 1, -0.2)$$,
 $$SELECT * FROM short_strikes('-1 P 90 2026-01-01 @ 1', 100, 'infinity', 0.2)$$,
 $$SELECT * FROM short_strikes('-1 P 90 2026-01-01 @ 1', 100, now(), ARRAY[0.2, 0.3])$$,
 $$SELECT * FROM short_strikes('-1 P 90 2026-01-01 @ 1', 100, now(), ARRAY[-0.2])$$]) q;
-- grouping mistakes: two forwards on one expiry, two quote times, two rows at one time
SELECT pg_temp.err($$SELECT cm_vol('2025-09-15 14:30+00', '2025-10-17 20:00+00', k, f, 0.2, 30)
                     FROM (VALUES (100.0, 100.0), (110.0, 100.5)) x(k, f)$$);
SELECT pg_temp.err($$SELECT cm_vol(0.1, k, f, 0.2, 30) FROM (VALUES (100.0, 100.0), (110.0, 100.5)) x(k, f)$$);
SELECT pg_temp.err($$SELECT cm_vol(a, '2025-10-17 20:00+00', 100, 100, 0.2, 30)
                     FROM (VALUES ('2025-09-15 14:30+00'::timestamptz), ('2025-09-16 14:30+00')) x(a)$$);
SELECT pg_temp.err($$SELECT skew(100, 0.2, f, 0.1) FROM (VALUES (100.0), (101.0)) x(f)$$);
SELECT pg_temp.err($$SELECT realized_vol(d, c) FROM (VALUES ('2025-01-02'::date, 100.0), ('2025-01-03', 101), ('2025-01-03', 102)) x(d, c)$$);
SELECT pg_temp.err($$SELECT iv_percentile(d, c) FROM (VALUES ('2025-01-02'::date, 0.1), ('2025-01-02', 0.2)) x(d, c)$$);

-- Crafted states: every final function checks shape and values first
CREATE TEMP TABLE finals (fn text);
INSERT INTO finals VALUES ('cm_vol_ts_final'), ('cm_vol_final'), ('cm_vol_ts_status_final'),
 ('cm_vol_status_final'), ('skew_final'), ('delta_vol_final'), ('realized_vol_final'),
 ('parkinson_vol_final'), ('garman_klass_vol_final'), ('rogers_satchell_vol_final'),
 ('yang_zhang_vol_final'), ('iv_rank_final'), ('iv_percentile_final');
CREATE TEMP TABLE states (label text, st text);
INSERT INTO states VALUES
 ('2-D', '{{1,2},{3,4}}'), ('NULLs', '{1,NULL,3,4,5,6,7}'), ('lower bound 0', '[0:1]={1,2}'),
 ('NaN', '{NaN,NaN,NaN,NaN,NaN,NaN,NaN}'), ('negative', '{-1,-1,-1,-1,-1,-1,-1}'),
 ('fractional time', '{0.5,252,0.5,100,101,99,100}'), ('delta 0', '{100,0.1,0,100,0.2}'),
 ('bar high < low', '{252,0,100,90,110,100}'), ('zero-mean flag 2', '{252,2,0,100,86400000000,101,172800000000,102}');
SELECT fn, count(*) FILTER (WHERE r LIKE '22023: %') AS refused,
       string_agg(label, ', ' ORDER BY label) FILTER (WHERE r NOT LIKE '22023: %') AS accepted
FROM (SELECT fn, label, pg_temp.err(format('SELECT %I(%L::float8[])', fn, st)) AS r
      FROM finals, states) x
GROUP BY fn ORDER BY fn;
SELECT pg_temp.err($$SELECT delta_vol_final('{100,0.1,0,100,0.2}')$$);
SELECT pg_temp.err($$SELECT parkinson_vol_final('{252,0,100,90,110,100}')$$);
-- support functions outside an aggregate: 0A000
SELECT pg_temp.err($$SELECT cm_vol_sfunc(NULL, 0.1, 100, 100, 0.2, 30)$$);
SELECT pg_temp.err($$SELECT realized_vol_combine('{252,0}', '{252,0}')$$);
SELECT pg_temp.err($$SELECT iv_rank_sfunc(NULL, now(), 0.2)$$);

-- States read back from their text form give the same result
CREATE AGGREGATE pg_temp.cm_state(timestamptz, timestamptz, float8, float8, float8, float8) (
	SFUNC = cm_vol_ts_sfunc, STYPE = float8[]);
CREATE AGGREGATE pg_temp.bar_state(timestamptz, float8, float8, float8, float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[]);
SELECT cm_vol_ts_final(st) = cm_vol_ts_final(st::text::float8[]) AS cm_round_trip,
       st::text::float8[] = st AS same_state
FROM (SELECT pg_temp.cm_state(quote_ts, expiry_ts, strike, forward, iv, 30) AS st FROM eod) s;
SELECT yang_zhang_vol_final(st) = yang_zhang_vol_final(st::text::float8[]) AS yz_round_trip
FROM (SELECT pg_temp.bar_state(day, open, high, low, close) AS st FROM spx_bars) s;

-- Parallel plans: partial aggregates in workers, combined in the leader, the same bits
CREATE TEMP TABLE serial AS
SELECT quote_ts, cm_vol(quote_ts, expiry_ts, strike, forward, iv, 30) AS iv30
FROM spx_eod GROUP BY quote_ts;
CREATE TABLE eod_copy AS SELECT * FROM spx_eod;
ANALYZE eod_copy;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT quote_ts, cm_vol(quote_ts, expiry_ts, strike, forward, iv, 30) FROM eod_copy GROUP BY quote_ts;
CREATE TEMP TABLE par AS
SELECT quote_ts, cm_vol(quote_ts, expiry_ts, strike, forward, iv, 30) AS iv30
FROM eod_copy GROUP BY quote_ts;
EXPLAIN (COSTS OFF)
SELECT realized_vol(quote_ts, forward), iv_rank(quote_ts, iv), skew(strike, iv, 5800, 0.1) FROM eod_copy;
SELECT realized_vol(expiry_ts + strike * interval '1 microsecond', iv) AS rv,
       iv_percentile(expiry_ts + strike * interval '1 microsecond', iv) AS pct
FROM eod_copy WHERE quote_ts = '2025-10-31 20:00+00' \gset par_
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS quote_times, count(*) FILTER (WHERE s.iv30 IS DISTINCT FROM p.iv30) AS differ
FROM serial s JOIN par p USING (quote_ts);
SELECT realized_vol(expiry_ts + strike * interval '1 microsecond', iv) = :par_rv AS rv_same,
       iv_percentile(expiry_ts + strike * interval '1 microsecond', iv) = :par_pct AS pct_same
FROM eod_copy WHERE quote_ts = '2025-10-31 20:00+00';
RESET max_parallel_workers_per_gather;
RESET search_path;
DROP SCHEMA dashboard CASCADE;
