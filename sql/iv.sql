-- Implied volatility through SQL: round trips, bid/mid/ask, bad quotes as data.
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) / abs(b) $$;

-- round trip: implied_vol(bs_price(sigma)) = sigma
SELECT cp, k, sigma, t,
       pg_temp.rel(implied_vol(bs_price(cp, 5800, k, t, sigma, 0.045, 0.013), cp, 5800, k, t, 0.045, 0.013), sigma) < 1e-12 AS round_trip
FROM (VALUES ('C', 5800.0, 0.15, 45/365.0), ('P', 5200.0, 0.28, 45/365.0),
             ('C', 6300.0, 0.11, 90/365.0), ('P', 5790.0, 0.12, 5/525600.0),
             ('C', 5825.0, 0.09, 30/525600.0), ('P', 4000.0, 0.80, 2.0)) v(cp, k, sigma, t);

-- Black-76 (VIX) and Bachelier round trips
SELECT pg_temp.rel(black76_implied_vol(black76_price('C', 17.6, 25, 0.1, 0.82, 0.045), 'C', 17.6, 25, 0.1, 0.045), 0.82) < 1e-12 AS black76,
       pg_temp.rel(bachelier_implied_vol(bachelier_price('P', -0.0025, 0.001, 1, 0.008, 0.02), 'P', -0.0025, 0.001, 1, 0.02), 0.008) < 1e-12 AS bachelier;

-- a quote with no attainable vol is NULL plus a reason, never an error
-- (intrinsic on the forward, discounted: S - K e^{-rT} for a call, K e^{-rT} - S for a put)
SELECT label, round(implied_vol(price, cp, 100, k, t, 0.05)::numeric, 12) AS vol,
       implied_vol_status(price, cp, 100, k, t, 0.05) AS status
FROM (VALUES ('ok', 10.0, 'C', 100.0, 1.0),
             ('call below discounted intrinsic 4.88', 4.0, 'C', 100.0, 1.0),
             ('put below discounted intrinsic 4.64', 3.0, 'P', 110.0, 1.0),
             ('put above intrinsic of spot is fine', 0.5, 'P', 100.0, 1.0),
             ('zero bid out of the money: vol 0', 0.0, 'C', 150.0, 1.0),
             ('call above spot', 100.5, 'C', 100.0, 1.0),
             ('put above discounted strike', 95.5, 'P', 100.0, 1.0),
             ('expired with time value', 1.0, 'C', 100.0, 0.0),
             ('expired at intrinsic', 0.0, 'C', 100.0, 0.0)) v(label, price, cp, k, t);

SELECT black76_implied_vol_status(30, 'C', 20, 10, 0.5) AS above_forward,
       black76_implied_vol_status(9, 'C', 20, 10, 0.5) AS below_intrinsic,
       bachelier_implied_vol_status(0.001, 'P', 0.01, 0.005, 1) AS bachelier_below;

-- errors: malformed arguments are not data
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT implied_vol(-1, 'C', 100, 100, 1)$$,
  $$SELECT implied_vol('NaN', 'C', 100, 100, 1)$$,
  $$SELECT implied_vol(5, 'X', 100, 100, 1)$$,
  $$SELECT implied_vol(5, 'C', 100, 0, 1)$$,
  $$SELECT implied_vol(5, 'C', 100, 100, -1)$$,
  $$SELECT implied_vol_status(5, 'C', 100, 100, 1, q => 'Infinity')$$,
  $$SELECT black76_implied_vol(5, 'P', -20, 100, 1)$$,
  $$SELECT bachelier_implied_vol(5, 'P', 1, 1, 'NaN')$$
]) AS q;

-- a chain: vols of bid, mid and ask (an empty bid has no vol: below_intrinsic)
SELECT cp, strike, bid, ask,
       round(implied_vol(bid, cp, 5800, strike, t, 0.045, 0.013)::numeric, 6) AS iv_bid,
       round(implied_vol((bid + ask) / 2, cp, 5800, strike, t, 0.045, 0.013)::numeric, 6) AS iv_mid,
       round(implied_vol(ask, cp, 5800, strike, t, 0.045, 0.013)::numeric, 6) AS iv_ask,
       implied_vol_status(bid, cp, 5800, strike, t, 0.045, 0.013) AS bid_status
FROM (VALUES ('P', 5500.0, 17.2, 17.9), ('P', 5800.0, 101.1, 104.2), ('C', 5800.0, 124.1, 128.0),
             ('C', 6300.0, 0.0, 0.05)) v(cp, strike, bid, ask),
     (SELECT 45 / 365.0 AS t) tt
ORDER BY cp, strike;
