-- European prices and Greeks through SQL: named arguments, every model, the limits.
-- Values are rounded to 10 significant digits so the pinned output reads easily; the
-- full-precision checks against test/reference are the C unit tests and pgTAP.
CREATE FUNCTION pg_temp.sig(x float8, n int DEFAULT 10) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN x = 0 OR x IS NULL OR x = 'Infinity' OR x = '-Infinity' THEN x
               ELSE round(x::numeric, n - 1 - floor(log(abs(x::numeric)))::int)::float8 END $$;

-- A 45-day SPX call and put, r 4.5%, q 1.3%
SELECT pg_temp.sig(bs_price('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013)) AS call,
       pg_temp.sig(bs_price('P', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013)) AS put;

-- put-call parity: C - P = S e^{-qT} - K e^{-rT}
SELECT abs((bs_price('call', 5800, 5900, 0.5, 0.2, 0.045, 0.013)
          - bs_price('put', 5800, 5900, 0.5, 0.2, 0.045, 0.013))
         - (5800 * exp(-0.013 * 0.5) - 5900 * exp(-0.045 * 0.5))) < 1e-9 AS parity;

-- all ten Greeks, by LATERAL over a small chain
SELECT c.cp, c.strike, pg_temp.sig(g.price) AS price, pg_temp.sig(g.delta) AS delta,
       pg_temp.sig(g.gamma) AS gamma, pg_temp.sig(g.vega) AS vega,
       pg_temp.sig(g.theta) AS theta, pg_temp.sig(g.rho) AS rho, pg_temp.sig(g.phi) AS phi,
       pg_temp.sig(g.vanna) AS vanna, pg_temp.sig(g.volga) AS volga,
       pg_temp.sig(g.charm) AS charm
FROM (VALUES ('P', 5500.0), ('P', 5800.0), ('C', 5800.0), ('C', 6100.0)) AS c(cp, strike),
     LATERAL bs_greeks(c.cp, 5800, c.strike, 30/365.0, 0.15, r => 0.045, q => 0.013) AS g;

-- cp accepts C, P, call, put in any case
SELECT bs_price('c', 100, 100, 1, 0.2) = bs_price('CALL', 100, 100, 1, 0.2) AS c_call,
       bs_price('p', 100, 100, 1, 0.2) = bs_price('Put', 100, 100, 1, 0.2) AS p_put;

-- t = 0: intrinsic value, delta the exercise indicator (1/2 at the money), rest 0
SELECT cp, strike, (g).*
FROM (SELECT cp, strike, bs_greeks(cp, 100, strike, 0, 0.2, 0.05) AS g
      FROM (VALUES ('C', 90.0), ('C', 100.0), ('P', 90.0), ('P', 110.0)) v(cp, strike)) s;

-- vol = 0: discounted intrinsic value of the forward
SELECT pg_temp.sig(bs_price('C', 100, 90, 1, 0, 0.05, 0.01)) AS c0,
       pg_temp.sig(100 * exp(-0.01) - 90 * exp(-0.05)) AS fwd_intrinsic,
       bs_price('P', 100, 90, 1, 0, 0.05, 0.01) AS p0;

-- continuity: a 1-second expiry and a 1e-9 vol sit on the limits
SELECT pg_temp.sig(bs_price('C', 5800, 5790, 1/31536000.0, 0.2)) AS one_second,
       pg_temp.sig(bs_price('C', 100, 90, 1, 1e-9, 0.05, 0.01)) AS tiny_vol;

-- far wings keep relative accuracy (no cancellation to zero or negative)
SELECT bs_price('C', 100, 400, 0.25, 0.2) > 0 AS far_otm_positive,
       pg_temp.sig(bs_price('C', 100, 400, 0.25, 0.2), 6) AS far_otm_call,
       pg_temp.sig(bs_price('P', 100, 25, 0.25, 0.2), 6) AS far_otm_put;

-- Black-76: a VIX call off the future; delta and gamma with respect to the future
SELECT pg_temp.sig(g.price) AS price, pg_temp.sig(g.delta) AS delta,
       pg_temp.sig(g.gamma) AS gamma, pg_temp.sig(g.vega) AS vega,
       pg_temp.sig(g.theta) AS theta, pg_temp.sig(g.rho) AS rho, g.phi
FROM black76_greeks('C', 18.5, 22, 35/365.0, 0.95, r => 0.045) AS g;

-- Black-76 rho holds the forward fixed: rho = -t V / 100
SELECT abs((g).rho + 0.5 * (g).price / 100) < 1e-15 AS rho_is_minus_tv
FROM (SELECT black76_greeks('P', 20, 18, 0.5, 0.8, 0.05) AS g) s;

-- Bachelier: any sign of forward and strike (a rate option around zero)
SELECT pg_temp.sig(bachelier_price('C', -0.0025, 0.0010, 1, 0.0080, 0.02)) AS call,
       pg_temp.sig(bachelier_price('P', -0.0025, 0.0010, 1, 0.0080, 0.02)) AS put,
       pg_temp.sig((bachelier_greeks('C', 100, 105, 0.25, 20)).delta) AS delta;

-- NULL in, NULL out
SELECT bs_price(NULL, 100, 100, 1, 0.2) IS NULL AS null_cp,
       bs_price('C', 100, NULL, 1, 0.2) IS NULL AS null_strike,
       bs_greeks('C', 100, 100, 1, NULL) IS NULL AS null_vol;

-- The density underflows (d1 = 38.8 and 39.3): gamma, vanna and volga are below the
-- double range and are zeros, never whatever the memory held before
SELECT (bs_greeks('C', 5800, 4640, 1/365.0, 0.11, 0.045, 0.013)).*;
SELECT (black76_greeks('P', 20, 60, 1/365.0, 0.3, 0.045)).*;
-- and where a large spot brings them back into range, their true values
SELECT g.vega, g.volga, g.theta
FROM bs_greeks('P', 1e300, 8e299, 1/365.0, 0.11, 0.045, 0.013) g;

-- bs_delta ... bs_charm: each a field of bs_greeks as a plain float8, the same bits
-- (float8send compares bits: -0, 0 and the zero-vol spike's Infinity included), over
-- calls and puts, t = 0, vol = 0 and the wings; in each row two strikes, so that the
-- calls of one row alternate between two sets of arguments.
CREATE TEMP TABLE sc AS
SELECT CASE WHEN i % 2 = 0 THEN 'C' ELSE 'P' END AS cp, 5800.0::float8 AS s,
       (3000 + 25 * i)::float8 AS k, (i % 7) / 52.0 AS t, (i % 5) * 0.07 AS vol,
       0.045::float8 AS r, 0.013::float8 AS q
FROM generate_series(0, 239) i;
SELECT f, count(*) AS calls, count(*) FILTER (WHERE float8send(x) <> float8send(y)) AS differ
FROM sc,
     LATERAL bs_greeks(cp, s, k, t, vol, r, q) g,
     LATERAL bs_greeks(cp, s, k + 5, t, vol, r, q) g5,
     LATERAL (VALUES ('delta', bs_delta(cp, s, k, t, vol, r, q), g.delta),
                     ('delta', bs_delta(cp, s, k + 5, t, vol, r, q), g5.delta),
                     ('gamma', bs_gamma(cp, s, k, t, vol, r, q), g.gamma),
                     ('gamma', bs_gamma(cp, s, k + 5, t, vol, r, q), g5.gamma),
                     ('vega', bs_vega(cp, s, k, t, vol, r, q), g.vega),
                     ('vega', bs_vega(cp, s, k + 5, t, vol, r, q), g5.vega),
                     ('theta', bs_theta(cp, s, k, t, vol, r, q), g.theta),
                     ('theta', bs_theta(cp, s, k + 5, t, vol, r, q), g5.theta),
                     ('rho', bs_rho(cp, s, k, t, vol, r, q), g.rho),
                     ('rho', bs_rho(cp, s, k + 5, t, vol, r, q), g5.rho),
                     ('phi', bs_phi(cp, s, k, t, vol, r, q), g.phi),
                     ('phi', bs_phi(cp, s, k + 5, t, vol, r, q), g5.phi),
                     ('vanna', bs_vanna(cp, s, k, t, vol, r, q), g.vanna),
                     ('vanna', bs_vanna(cp, s, k + 5, t, vol, r, q), g5.vanna),
                     ('volga', bs_volga(cp, s, k, t, vol, r, q), g.volga),
                     ('volga', bs_volga(cp, s, k + 5, t, vol, r, q), g5.volga),
                     ('charm', bs_charm(cp, s, k, t, vol, r, q), g.charm),
                     ('charm', bs_charm(cp, s, k + 5, t, vol, r, q), g5.charm)) v(f, x, y)
GROUP BY f ORDER BY f;

-- the units of type greeks: vega and rho per point (0.01), theta per calendar day
SELECT pg_temp.sig(bs_delta('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013), 6) AS delta,
       pg_temp.sig(bs_vega('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013), 6) AS vega,
       pg_temp.sig(bs_theta('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013), 6) AS theta,
       pg_temp.sig(bs_rho('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013), 6) AS rho,
       pg_temp.sig((bs_price('C', 5800, 5900, 45/365.0, 0.17, 0.045, 0.013)
                    - bs_price('C', 5800, 5900, 45/365.0, 0.15, 0.045, 0.013)) / 2, 6) AS vega_by_difference,
       pg_temp.sig(bs_price('C', 5800, 5900, 44/365.0, 0.16, 0.045, 0.013)
                   - bs_price('C', 5800, 5900, 45/365.0, 0.16, 0.045, 0.013), 6) AS one_day_decay,
       bs_gamma('C', 100, 100, 1, 0) AS zero_vol_spike,
       bs_vega(NULL, 100, 100, 1, 0.2) IS NULL AS null_in_null_out;
