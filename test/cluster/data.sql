-- test/cluster/data.sql -- fills the tables of schema.sql (first schema of the search_path)
-- from the sample data, deterministically.  Run from the repository root after
-- data/sample_chain.sql and data/market_history.sql, in the same schema.

-- Three quote times a minute apart: the sample chain, then its quotes 0.4% and 0.8%
-- higher (rounded to cents, so they are prices a feed sends).
INSERT INTO chain
SELECT row_number() OVER (ORDER BY root, m, expiry, cp, strike), quote_ts + m * interval '1 minute',
       root, expiry, expiry_ts, cp, strike,
       round((bid * (1 + 0.004 * m))::numeric, 2)::float8,
       round((ask * (1 + 0.004 * m))::numeric, 2)::float8, spot, iv
FROM (SELECT quote_ts, root, expiry, expiry_ts, cp, strike, bid, ask, spot, iv FROM spx_chain
      UNION ALL
      SELECT quote_ts, 'VIX', expiry, expiry_ts, cp, strike, bid, ask, future, iv FROM vix_chain) c,
     generate_series(0, 2) m;

INSERT INTO pairs
SELECT row_number() OVER (ORDER BY c.expiry, c.strike), c.quote_ts, c.root, c.expiry, c.expiry_ts,
       c.strike, c.bid, c.ask, p.bid, p.ask, c.spot, c.iv
FROM spx_chain c JOIN spx_chain p USING (quote_ts, expiry, strike)
WHERE c.cp = 'C' AND p.cp = 'P';

-- Positions: p % 4 picks the kind, the expiry and the distance of the short strikes come
-- from p; premiums are the mids of the sample chain.  Every tenth a VIX call spread.
WITH e AS (
	SELECT expiry, expiry_ts, row_number() OVER (ORDER BY expiry) - 1 AS n,
	       count(*) OVER () AS ne
	FROM spx_expiries WHERE expiry > '2025-09-15'),
pos AS (
	SELECT p, p % 4 AS kind, 100 + (p * 37 % 9) * 25 AS d, 25 * (1 + p % 2) AS w,
	       e1.expiry_ts AS x1, e2.expiry_ts AS x2, e1.expiry AS book_expiry
	FROM generate_series(1, 2000) p
	JOIN e e1 ON e1.n = p * 7 % (e1.ne - 2)
	JOIN e e2 ON e2.n = e1.n + 2
	WHERE p % 10 <> 9),
legs AS (
	SELECT p, book_expiry, l.qty, l.cp, l.strike, l.expiry
	FROM pos,
	LATERAL (VALUES (-1.0, 'P', 5800.0 - d, x1, kind IN (0, 1)),
	                (1.0, 'P', 5800.0 - d - w, x1, kind IN (0, 1)),
	                (-1.0, 'C', 5800.0 + d, x1, kind IN (0, 2, 3)),
	                (1.0, 'C', 5800.0 + d + w, x1, kind = 0),
	                (1.0, 'C', 5800.0 + d, x2, kind = 2),
	                (100.0, 'U', NULL, NULL, kind = 3)) l(qty, cp, strike, expiry, used)
	WHERE l.used)
INSERT INTO book
SELECT row_number() OVER (ORDER BY p, l.cp, l.strike, l.expiry), p, 'SPXW', book_expiry, m.quote_ts,
       qty, l.cp, l.strike, l.expiry, c.expiry,
       coalesce((c.bid + c.ask) / 2, m.spx), CASE WHEN l.cp = 'U' THEN 1 ELSE 100 END, m.spx, c.iv
FROM legs l CROSS JOIN market m
LEFT JOIN spx_chain c ON (c.cp, c.strike, c.expiry_ts) = (l.cp, l.strike, l.expiry);

INSERT INTO book
SELECT (SELECT max(id) FROM book) + row_number() OVER (ORDER BY p, k),
       p, 'VIX', v.expiry, v.quote_ts, q, 'C', k, v.expiry_ts, v.expiry, (v.bid + v.ask) / 2, 100, v.future, v.iv
FROM generate_series(9, 2000, 10) p
CROSS JOIN LATERAL (VALUES (1.0, 18 + p % 5), (-1.0, 25 + p % 5)) l(q, k)
JOIN vix_chain v ON v.cp = 'C' AND v.strike = l.k
               AND v.expiry = (ARRAY[date '2025-10-22', '2025-11-19'])[1 + p / 10 % 2];

-- Cash flows: an outlay, then 6 to 19 inflows (one rate); every seventh account also has
-- a second outlay (two sign changes, where the guess matters).
INSERT INTO flows
SELECT row_number() OVER (ORDER BY a, n), a, d, (d + time '16:00') AT TIME ZONE 'America/New_York', n,
       CASE WHEN n = 0 THEN -1000.0 - 10 * a
            WHEN a % 7 = 0 AND n = 3 THEN -2000.0
            ELSE 80 + (a * n % 13) * 3 END
FROM generate_series(1, 40) a,
     LATERAL generate_series(0, 5 + a % 14) n,
     LATERAL (SELECT date '2025-01-02' + n * (7 + a % 5) AS d) x;

-- bars: the close of the sample history, an open off the previous close, a range around both
INSERT INTO history
SELECT row_number() OVER (ORDER BY s, day), s, day, (day + time '16:00') AT TIME ZONE 'America/New_York',
       o, greatest(o, c) * (1 + 0.004 + 0.003 * sin(n)), least(o, c) * (1 - 0.004 - 0.003 * cos(n)), c
FROM (SELECT s, day, c, row_number() OVER (PARTITION BY s ORDER BY day) AS n,
             coalesce(lag(c) OVER (PARTITION BY s ORDER BY day), c) * (1 + 0.002 * sin(day - date '2024-01-01')) AS o
      FROM daily, (VALUES ('SPX'), ('VIX')) v(s), LATERAL (SELECT CASE s WHEN 'SPX' THEN spx ELSE vix END AS c) cc) b;

INSERT INTO positions
SELECT position_id, underlying, min(quote_ts), min(spot),
       strategy_agg(qty, cp, strike, expiry, premium, multiplier)
FROM book WHERE position_id % 4 <> 2	-- not the calendars
GROUP BY position_id, underlying;

-- the quote rows of each position's legs at the three quote times, and the index level
-- as a 'U' row where a position holds the underlying
INSERT INTO marks
SELECT row_number() OVER (ORDER BY position_id, quote_ts, cp, strike, expiry_ts), *
FROM (SELECT p.id AS position_id, p.underlying, p.s, c.quote_ts, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot
      FROM positions p
      CROSS JOIN LATERAL (SELECT DISTINCT kind, strike, expiry FROM legs(p.s)) l
      JOIN chain c ON (c.root, c.cp, c.strike, c.expiry_ts) = (p.underlying, l.kind, l.strike, l.expiry)
      UNION ALL
      SELECT p.id, p.underlying, p.s, q.quote_ts, 'U', NULL, NULL, q.spot, q.spot, q.spot
      FROM positions p
      JOIN (SELECT DISTINCT root, quote_ts, spot FROM chain) q ON q.root = p.underlying
      WHERE EXISTS (SELECT FROM legs(p.s) WHERE kind = 'U')) m;

ANALYZE chain, pairs, book, flows, history, positions, marks;
