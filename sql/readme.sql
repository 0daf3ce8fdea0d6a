-- The README's examples, run as written (keep the two in step).
SET TIME ZONE 'UTC';
CREATE TEMP TABLE spx_chain AS
SELECT timestamptz '2025-09-15 10:30 America/New_York' AS quote_ts,
       expiry_ts(date '2025-10-31') AS expiry_ts, cp, 5800.0::float8 AS spot,
       strike::float8, iv
FROM (VALUES ('P', 5600, 0.185), ('P', 5700, 0.160), ('C', 5900, 0.124), ('C', 6000, 0.105)) v(cp, strike, iv);

-- Greeks of every row of a chain
SELECT c.cp, c.strike, round(g.delta::numeric, 4) AS delta, round(g.gamma::numeric, 6) AS gamma,
       round(g.vega::numeric, 3) AS vega, round(g.theta::numeric, 3) AS theta
FROM spx_chain c,
     LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv,
                       r => 0.045, q => 0.013) g
ORDER BY c.strike;

-- The fast form for all ten Greeks as plain columns
SELECT cp, strike, round((g).price::numeric, 2) AS price, round((g).delta::numeric, 4) AS delta,
       round((g).charm::numeric, 6) AS charm
FROM (SELECT cp, strike,
             bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, r => 0.045, q => 0.013) AS g
      FROM spx_chain OFFSET 0) s
ORDER BY strike;

-- A position's Greeks in currency: quantity x multiplier, summed
SELECT round((p).delta::numeric, 2) AS delta, round((p).vega::numeric, 2) AS vega,
       round((p).theta::numeric, 2) AS theta
FROM (SELECT greeks_total(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013)
                          * (CASE WHEN strike IN (5700, 5900) THEN -1 ELSE 1 END * 100.0)) AS p
      FROM spx_chain) s;

SELECT round(bs_price('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013)::numeric, 4) AS bs,
       round(black76_price('C', 18.5, 22, 35/365.0, 0.95, r => 0.045)::numeric, 4) AS b76,
       round(bachelier_price('P', -0.0025, 0.0010, 1, 0.0080)::numeric, 6) AS bach;
SELECT year_frac('2025-09-15 10:30 America/New_York', expiry_ts('2025-09-15')) * 525600 AS minutes_to_close,
       expiry_ts('2025-10-22', 'AM') AS vix_expiry;
RESET TIME ZONE;
