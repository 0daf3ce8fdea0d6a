-- Market signals as running window aggregates, and returns.
CREATE TEMP TABLE s (i int, x float8);
INSERT INTO s VALUES (1, 44.34), (2, 44.09), (3, 44.15), (4, 43.61), (5, 44.33), (6, 44.83),
  (7, 45.10), (8, 45.42), (9, 45.84), (10, 46.08), (11, 45.89), (12, 46.03), (13, 45.61),
  (14, 46.28), (15, 46.28), (16, 46.00), (17, 46.03), (18, 46.41), (19, 46.22), (20, 45.64);

-- EMA(5): NULL for four rows, the mean of the first five, then alpha = 1/3
SELECT i, x, round(ema5::numeric, 6) AS ema5
FROM (SELECT i, x, ema(x, 5) OVER (ORDER BY i) AS ema5 FROM s) e WHERE i <= 8 ORDER BY i;
SELECT round(((44.34 + 44.09 + 44.15 + 43.61 + 44.33) / 5)::numeric, 6) AS hand_sma5,
       round(((44.34 + 44.09 + 44.15 + 43.61 + 44.33) / 5 * 2 / 3 + 44.83 / 3)::numeric, 6) AS hand_ema_row6;

-- RSI(14) on Wilder's classic series: first value at row 15
-- (WHERE filters before the window runs: filter outside it)
SELECT i, round(rsi14::numeric, 4) AS rsi14
FROM (SELECT i, rsi(x) OVER (ORDER BY i) AS rsi14 FROM s) r WHERE i >= 13 ORDER BY i;

-- an independent check: RSI(3) by the textbook recursion in SQL
WITH RECURSIVE d AS (
	SELECT i, x - lag(x) OVER (ORDER BY i) AS ch FROM s),
	seed AS (SELECT 4 AS i, avg(greatest(ch, 0)) AS g, avg(greatest(-ch, 0)) AS l FROM d WHERE i BETWEEN 2 AND 4),
	w AS (SELECT i, g, l FROM seed
		  UNION ALL
		  SELECT d.i, (w.g * 2 + greatest(d.ch, 0)) / 3, (w.l * 2 + greatest(-d.ch, 0)) / 3
		  FROM w JOIN d ON d.i = w.i + 1)
SELECT bool_and(abs(100 * w.g / (w.g + w.l) - r.rsi3) < 1e-12) AS rsi3_matches_textbook, count(*)
FROM w JOIN (SELECT i, rsi(x, 3) OVER (ORDER BY i) AS rsi3 FROM s) r USING (i);

-- MACD(3, 6, 2) with its parts
SELECT i, round((m).macd::numeric, 6) AS macd, round((m).signal::numeric, 6) AS signal,
       round((m).histogram::numeric, 6) AS histogram
FROM (SELECT i, macd(x, 3, 6, 2) OVER (ORDER BY i) AS m FROM s) q WHERE i BETWEEN 5 AND 9 ORDER BY i;
-- as a plain aggregate: the last value of the series
SELECT round((macd(x ORDER BY i)).histogram::numeric, 6) AS last_histogram FROM s;

-- partitions: one series per symbol
SELECT sym, i, round(rsi5::numeric, 4) AS rsi5
FROM (SELECT sym, i, rsi(x, 5) OVER (PARTITION BY sym ORDER BY i) AS rsi5
      FROM (SELECT 'A' AS sym, i, x FROM s UNION ALL SELECT 'B', i, 100 - x FROM s) z) r
WHERE i = 20 ORDER BY sym;

-- returns: xirr (ACT/365) and irr
SELECT round(xirr(a, d)::numeric, 9) AS excel_example
FROM (VALUES (-10000, date '2008-01-01'), (2750, '2008-03-01'), (4250, '2008-10-30'),
             (3250, '2009-02-15'), (2750, '2009-04-01')) v(a, d);
SELECT round(xirr(a, d)::numeric, 9) AS shuffled
FROM (VALUES (3250, date '2009-02-15'), (-10000, '2008-01-01'), (2750, '2009-04-01'),
             (4250, '2008-10-30'), (2750, '2008-03-01')) v(a, d);
SELECT round(xirr(a, d)::numeric, 12) AS ten_pct FROM (VALUES (-1000, timestamptz '2025-01-01 00:00+00'), (1100, '2026-01-01 00:00+00')) v(a, d);
SELECT xirr(a, d) IS NULL AS no_sign_change FROM (VALUES (100, date '2025-01-01'), (50, '2025-06-01')) v(a, d);
SELECT round(irr(a, p)::numeric, 9) AS irr FROM (VALUES (-100, 0), (60, 1), (60, 2)) v(a, p);

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT ema(x, 0) OVER (ORDER BY i) FROM s$$,
  $$SELECT rsi(x, -3) OVER (ORDER BY i) FROM s$$,
  $$SELECT macd(x, 26, 12, 9) OVER (ORDER BY i) FROM s$$,
  $$SELECT rsi(x) OVER (ORDER BY i) FROM (SELECT i, CASE WHEN i = 5 THEN 'NaN' ELSE x END AS x FROM s) z$$,
  $$SELECT xirr('NaN'::float8, current_date)$$
]) AS q;
