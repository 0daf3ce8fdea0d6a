-- test/bench/scale_setup.sql -- the tables of the scaling benchmark (scripts/bench,
-- section scale), :rows rows each, deterministic, with a row number "id" so that the
-- smaller sizes are the first rows of the largest:
--   s_chain  quotes (cp and six float8): ten Greeks, greeks_total
--   s_iv     quotes with prices from known vols (20% 0DTE in minutes): implied_vol
--   s_legs   legs of 4-leg iron condors (position = id / 4): strategy_agg + analytics
--   s_vix    one-minute quote times of 2 expiries x 20 strikes, calls and puts (80 rows
--            per quote time): vix_index per quote time
SELECT setseed(0.42);
CREATE TABLE s_chain AS
SELECT g AS id, CASE WHEN random() < 0.5 THEN 'C' ELSE 'P' END AS cp,
       5800.0::float8 AS spot,
       (4640 + 5 * floor(random() * 465))::float8 AS strike,
       ((1 + floor(random() * 90)) / 365.0)::float8 AS t,
       (0.10 + 0.25 * random())::float8 AS vol,
       0.045::float8 AS r,
       0.013::float8 AS q
FROM generate_series(1, :rows) g;

CREATE TABLE s_iv AS
SELECT id, cp, spot, strike, t, r, q, bs_price(cp, spot, strike, t, vol, r, q) AS price
FROM (SELECT g AS id, CASE WHEN random() < 0.5 THEN 'C' ELSE 'P' END AS cp,
             5800.0::float8 AS spot,
             (4640 + 5 * floor(random() * 465))::float8 AS strike,
             CASE WHEN random() < 0.2 THEN (5 + floor(random() * 385)) / 525600.0
                  ELSE (1 + floor(random() * 90)) / 365.0 END::float8 AS t,
             (0.08 + 0.4 * random())::float8 AS vol,
             0.045::float8 AS r, 0.013::float8 AS q
      FROM generate_series(1, :rows) g) x;

CREATE TABLE s_legs AS
SELECT g AS id, (g - 1) / 4 AS position, l.qty, l.cp,
       CASE l.cp WHEN 'P' THEN c - l.off ELSE c + l.off END AS strike,
       timestamptz '2025-10-31 20:00+00' + ((g - 1) / 4 % 2) * interval '7 days' AS expiry,
       round((1 + 20 * random())::numeric, 2)::float8 AS premium
FROM generate_series(1, :rows) g,
     LATERAL (SELECT (5500 + 5 * (hashint4((g - 1) / 4) & 63))::float8 AS c) cc,
     LATERAL (SELECT (ARRAY[-1.0, 1.0, -1.0, 1.0])[1 + (g - 1) % 4] AS qty,
                     (ARRAY['P', 'P', 'C', 'C'])[1 + (g - 1) % 4] AS cp,
                     (ARRAY[100.0, 150.0, 100.0, 150.0])[1 + (g - 1) % 4] AS off) l;

-- row g: quote time (g - 1) / 80 minutes after the open, then expiry, strike, cp
CREATE TABLE s_vix AS
SELECT g AS id, timestamptz '2025-01-02 14:30+00' + ((g - 1) / 80) * interval '1 minute' AS as_of,
       timestamptz '2025-01-02 14:30+00' + ((g - 1) / 80) * interval '1 minute' + d * interval '1 day' AS expiry,
       cp, k AS strike, greatest(p - 0.05, 0) AS bid, p + 0.05 AS ask, 0.045::float8 AS rate
FROM generate_series(1, :rows) g,
     LATERAL (SELECT (ARRAY[25, 35])[1 + (g - 1) / 40 % 2] AS d,
                     (5800 + 25 * ((g - 1) / 2 % 20 - 10))::float8 AS k,
                     (ARRAY['C', 'P'])[1 + (g - 1) % 2] AS cp) x,
     LATERAL bs_price(cp, 5800, k, d / 365.0, 0.15, 0.045, 0.013) p;
