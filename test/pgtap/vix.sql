-- pgTAP: vix_index (C) against a straightforward re-implementation of the Cboe
-- methodology in SQL, on a chain generated from a known smooth smile; and
-- implied_forward under corrupted quotes.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(5);

-- two expiries bracketing 30 days, strikes every 5 around 5800, a skewed SVI smile,
-- bids and asks a tick around the model price (zero bids in the far wings)
CREATE TEMP TABLE ch AS
SELECT timestamptz '2025-09-15 14:30+00' AS as_of, e.expiry, e.rate, cp, k::float8 AS strike,
       greatest(round((p - 0.05)::numeric, 2), 0)::float8 AS bid,
       round((p + 0.05)::numeric, 2)::float8 AS ask
FROM (VALUES (timestamptz '2025-10-10 14:30+00', 0.0431), (timestamptz '2025-10-17 14:30+00', 0.0437)) e(expiry, rate),
     generate_series(4000, 7000, 5) k,
     (VALUES ('C'), ('P')) c(cp),
     LATERAL (SELECT year_frac('2025-09-15 14:30+00', e.expiry) AS t) tt,
     LATERAL (SELECT ln(k / (5800 * exp((e.rate - 0.013) * tt.t))) AS x) xx,
     LATERAL (SELECT sqrt((0.001 * tt.t / 0.07 + 0.02 * sqrt(tt.t / 0.07)
                           * (-0.7 * xx.x + sqrt(xx.x * xx.x + 0.0025 * tt.t / 0.07))) / tt.t) AS v) vv,
     LATERAL bs_price(cp, 5800, k, tt.t, vv.v, e.rate, 0.013) p;

-- the methodology, step by step, in SQL
CREATE TEMP TABLE mid AS
SELECT c.expiry, c.rate, c.strike, (c.bid + c.ask) / 2 AS cm, (p.bid + p.ask) / 2 AS pm,
       c.bid AS cbid, p.bid AS pbid,
       extract(epoch FROM c.expiry - c.as_of) / 60 AS minutes
FROM ch c JOIN ch p USING (as_of, expiry, strike) WHERE c.cp = 'C' AND p.cp = 'P';
CREATE TEMP TABLE term AS
SELECT DISTINCT ON (expiry) expiry, rate, minutes, minutes / 525600 AS t,
       strike + exp(rate * minutes / 525600) * (cm - pm) AS f
FROM mid ORDER BY expiry, abs(cm - pm), strike;
ALTER TABLE term ADD COLUMN k0 float8;
UPDATE term SET k0 = (SELECT max(strike) FROM mid WHERE mid.expiry = term.expiry AND strike <= term.f);
-- out-of-the-money side of each strike; walking away from K0 two zero bids in a row end it
CREATE TEMP TABLE side AS
SELECT m.expiry, m.strike, CASE WHEN m.strike < t.k0 THEN m.pbid ELSE m.cbid END AS bid,
       CASE WHEN m.strike < t.k0 THEN m.pm WHEN m.strike > t.k0 THEN m.cm ELSE (m.cm + m.pm) / 2 END AS q,
       CASE WHEN m.strike < t.k0 THEN -1 WHEN m.strike > t.k0 THEN 1 ELSE 0 END AS dir
FROM mid m JOIN term t USING (expiry);
CREATE TEMP TABLE walk AS
SELECT s.*, lag(bid) OVER (PARTITION BY expiry, dir ORDER BY abs(strike - t.k0)) AS prev_bid,
       abs(strike - t.k0) AS dist
FROM side s JOIN term t USING (expiry);
CREATE TEMP TABLE strip AS
SELECT w.expiry, w.strike, w.q
FROM walk w
WHERE (w.dir = 0 OR w.bid > 0)
  AND w.dist < coalesce((SELECT min(x.dist) FROM walk x WHERE x.expiry = w.expiry AND x.dir = w.dir
                          AND x.dir <> 0 AND x.bid = 0 AND x.prev_bid = 0), 'Infinity');
CREATE TEMP TABLE contrib AS
SELECT expiry, strike, q,
       (coalesce(lead(strike) OVER w, strike) - coalesce(lag(strike) OVER w, strike))
       / CASE WHEN lead(strike) OVER w IS NULL OR lag(strike) OVER w IS NULL THEN 1 ELSE 2 END AS dk
FROM strip WINDOW w AS (PARTITION BY expiry ORDER BY strike);
CREATE TEMP TABLE var AS
SELECT t.expiry, t.t, t.minutes,
       2 / t.t * sum(c.dk / (c.strike * c.strike) * exp(t.rate * t.t) * c.q) - (t.f / t.k0 - 1) ^ 2 / t.t AS v
FROM term t JOIN contrib c USING (expiry) GROUP BY t.expiry, t.t, t.minutes, t.rate, t.f, t.k0;
CREATE TEMP TABLE sql_vix AS
SELECT 100 * sqrt((n.t * n.v * (x.minutes - 43200) / (x.minutes - n.minutes)
                   + x.t * x.v * (43200 - n.minutes) / (x.minutes - n.minutes)) * 525600 / 43200) AS vix
FROM var n, var x WHERE n.expiry < x.expiry;

SELECT ok((SELECT count(*) FROM ch WHERE bid = 0) > 20, 'the chain has zero bids in its wings');
SELECT ok(abs((SELECT vix_index(as_of, expiry, cp, strike, bid, ask, rate) FROM ch) - (SELECT vix FROM sql_vix)) < 1e-10,
          'vix_index equals the SQL re-implementation to 1e-10');
SELECT ok((SELECT bool_and(abs(v.variance - s.v) < 1e-12 AND abs(v.forward - t.f) < 1e-9 AND v.k0 = t.k0)
           FROM (SELECT (unnest(vix_terms(as_of, expiry, cp, strike, bid, ask, rate))).* FROM ch) v
           JOIN var s USING (expiry) JOIN term t USING (expiry)),
          'each term''s forward, K0 and variance agree');

-- implied_forward on the same quotes; with 5% of them corrupted (call prices 20% off) the
-- forward moves by less than 1e-8 relative (measured 7.4e-10): the bad quotes are dropped
CREATE TEMP TABLE fq AS
SELECT strike, cm, pm, (row_number() OVER (ORDER BY strike)) % 20 = 7 AS bad
FROM mid WHERE expiry = '2025-10-10 14:30+00' AND cbid > 0 AND pbid > 0;
SELECT ok((SELECT abs((implied_forward(strike, cm, pm, 25 / 365.0)).forward / (SELECT f FROM term WHERE expiry = '2025-10-10 14:30+00') - 1) FROM fq) < 1e-3,
          'implied_forward matches the Cboe forward of the same quotes to 1e-3 (mid quotes carry tick noise)');
SELECT ok((SELECT abs((implied_forward(strike, CASE WHEN bad THEN cm * 1.2 ELSE cm END, pm, 25 / 365.0)).forward
                  / (implied_forward(strike, cm, pm, 25 / 365.0)).forward - 1) FROM fq) < 1e-8,
          'implied_forward moves less than 1e-8 when 5% of quotes are 20% off');

SELECT * FROM finish();
ROLLBACK;
