-- scripts/demo.sql -- what condor shows on the sample chain (run by scripts/demo).
\pset footer off
\echo
\echo '=== The sample chain: one quote time, SPXW expiries 0-90 days, VIX futures and options'
SELECT root, count(DISTINCT expiry) AS expiries, count(*) AS quotes,
       min(strike) AS min_strike, max(strike) AS max_strike, min(quote_ts) AS quote_ts
FROM spx_chain GROUP BY root
UNION ALL
SELECT 'VIX', count(DISTINCT expiry), count(*), min(strike), max(strike), min(quote_ts)
FROM vix_chain;

\echo
\echo '=== Greeks for the ~45-day SPXW expiry near the money (units: vega per vol point, theta per day)'
SELECT c.expiry, c.cp, c.strike, c.bid, c.ask, round(c.iv::numeric, 4) AS iv,
       round(g.price::numeric, 2) AS model, round(g.delta::numeric, 4) AS delta,
       round(g.gamma::numeric, 6) AS gamma, round(g.vega::numeric, 3) AS vega,
       round(g.theta::numeric, 3) AS theta
FROM spx_chain c
JOIN market m USING (quote_ts),
     LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv,
                       r => m.r, q => m.q) g
WHERE c.expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)
  AND c.strike BETWEEN 5650 AND 5950 AND c.strike::int % 50 = 0
ORDER BY c.cp, c.strike;

\echo
\echo '=== 0DTE: time measured in minutes to the 16:00 close'
SELECT c.cp, c.strike, round((year_frac(c.quote_ts, c.expiry_ts) * 525600)::numeric) AS minutes,
       c.bid, c.ask, round(g.delta::numeric, 4) AS delta, round(g.gamma::numeric, 5) AS gamma,
       round(g.theta::numeric, 2) AS theta_per_day
FROM spx_chain c
JOIN market m USING (quote_ts),
     LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv, m.r, m.q) g
WHERE c.expiry = date '2025-09-15' AND c.strike IN (5750, 5800, 5850)
ORDER BY c.cp, c.strike;

\echo
\echo '=== VIX options with Black-76 off the VIX future (delta with respect to the future)'
SELECT v.expiry, v.future, v.cp, v.strike, v.bid, v.ask, round(v.iv::numeric, 3) AS iv,
       round(g.delta::numeric, 4) AS delta, round(g.vega::numeric, 4) AS vega
FROM vix_chain v
JOIN market m USING (quote_ts),
     LATERAL black76_greeks(v.cp, v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, m.r) g
WHERE v.cp = 'C' AND v.strike IN (18, 20, 25, 30)
ORDER BY v.expiry, v.strike;

\echo
\echo '=== A position: short the 45-day 6000/6100 call spread and 5600/5500 put spread, 10 lots'
WITH legs(qty, cp, strike) AS (VALUES (-10, 'C', 6000.0), (10, 'C', 6100.0),
                                      (-10, 'P', 5600.0), (10, 'P', 5500.0))
SELECT round((p).price::numeric, 0) AS value, round((p).delta::numeric, 2) AS delta,
       round((p).gamma::numeric, 4) AS gamma, round((p).vega::numeric, 0) AS vega_per_pt,
       round((p).theta::numeric, 0) AS theta_per_day
FROM (SELECT greeks_total(g * (l.qty * 100.0)) AS p
      FROM legs l
      JOIN spx_chain c ON c.cp = l.cp AND c.strike = l.strike
      JOIN market m USING (quote_ts),
           LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv, m.r, m.q) g
      WHERE c.expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)) s;
