-- Finite inputs give a finite result or an error: 22003 (a value beyond the float8
-- range, naming the argument that takes it there) or 22023 (a bad parameter) -- never
-- NaN or Infinity (except the documented zero-vol spike: gamma Infinity, and charm
-- +-Infinity, exactly at the forward).
CREATE FUNCTION pg_temp.err_detail(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	d text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || nullif(d, ''), '');
END $$;

-- 1. The issue's cases.  r = 800: the call is worth S e^{-qT} N(d1) - K e^{-800} N(d2),
--    which is 100 to the last digit (the old code formed the forward 100 e^800, which
--    overflows, and returned NaN); the put is 100 e^{-800} N(-d2) - 100 N(-d1) ~ 1e-346,
--    which rounds to 0.
SELECT bs_price('C', 100, 100, 1, 0.2, r => 800) AS call_r800,
       bs_price('P', 100, 100, 1, 0.2, r => 800) AS put_r800;
-- a subnormal strike: ln(F/K) = 736.8 is finite; the call is worth F - K = 1
SELECT black76_price('C', 1, 1e-320, 1, 0.2) AS subnormal_strike,
       black76_price('C', 1, 1e-320, 1, 0.2, 0.05) = exp(-0.05) AS discounted;
-- zero vega hedged at a subnormal multiplier: zero contracts (not 0/0)
SELECT vix_hedge(-0.0, 0.2, 0.01, 0.01, 4.9e-324) AS zero_vega;
SELECT q AS query, pg_temp.err_detail(q) AS result FROM unnest(ARRAY[
  -- t = 1e308 is far outside what the American engine is built for
  $$SELECT american_price('C', 1, 100, 1e308, 1e-12, 0.2, 0)$$,
  -- -1/1e-320 contracts is beyond the float8 range
  $$SELECT hedge_qty(1, 1e-320)$$,
  -- the put's discounted strike 100 e^800 is beyond the range; the call is not
  $$SELECT bs_price('P', 100, 100, 1, 0.2, r => -800)$$,
  $$SELECT bs_price('C', 100, 100, 1, 0.2, r => -800) < 1e-300$$,
  -- a gamma of 1/(S sigma sqrt T) at a subnormal spot
  $$SELECT bs_greeks('C', 1e-320, 1e-320, 1, 0.2)$$,
  $$SELECT bachelier_price('C', 1e308, -1e308, 1, 0.2)$$,
  $$SELECT implied_vol(5, 'C', 100, 100, 1, r => 800)$$,
  $$SELECT implied_vol_status(5, 'C', 100, 100, 1, r => 800)$$,
  $$SELECT black76_implied_vol(5, 'C', 100, 100, 1, -1e300)$$,
  $$SELECT american_greeks('P', 100, 100, 1, 20, 0.05, 0)$$,
  $$SELECT american_implied_vol(5, 'P', 100, 1e-15, 1, 0.05, 0)$$,
  $$SELECT early_exercise_premium('P', 100, 100, 1, 0.2, 2, 0)$$,
  $$SELECT bs_greeks('C', 100, 100, 1, 0.2) * 1e308$$,
  $$SELECT vix_hedge(-1e308, 1e-10)$$,
  $$SELECT beta_weighted_delta(1e300, 1e300, 1, 1)$$,
  $$SELECT hedge_solve(ROW(0,1e308,0,1e308,0,0,0,0,0,0)::greeks, ROW(0,1e-300,0,0,0,0,0,0,0,0)::greeks, ROW(0,0,0,1e-300,0,0,0,0,0,0)::greeks)$$,
  $$SELECT hedge_solve(ROW(0,'NaN',0,1,0,0,0,0,0,0)::greeks, ROW(0,1,0,0,0,0,0,0,0,0)::greeks, ROW(0,0,0,1,0,0,0,0,0,0)::greeks)$$
]) AS q;

-- the answers that are representable are given: a Bachelier vol with F - K = 2e308
-- (solved on the halves), the hedges of subnormal quantities, the greeks of a zero
-- position of the zero-vol spike
SELECT bachelier_implied_vol(1, 'C', -1e308, 1e308, 1) > 1e306 AS huge_normal_vol,
       hedge_qty(1e-310, 1e-310) AS subnormal_ratio,
       vix_hedge(-1e-300, 1e-300, 0.5, 1, 1) AS subnormal_hedge,
       (bs_greeks('C', 100, 100, 1, 0) * 0).gamma AS zero_times_spike;
-- the spike itself is kept, as documented: vol 0 exactly at the forward (here the
-- carry (r - q) t = 1e-330 rounds to 0, so r <> q and the forward is the strike)
SELECT (g).gamma, (g).charm FROM (SELECT bs_greeks('C', 100, 100, 1e-30, 0, 1e-300, 0) AS g) s;

-- 2. Every entry point over a grid of extreme finite values: the outcome is 'finite'
--    (or 'spike', or 'null' for an implied vol with no answer), '22003' or '22023'.
CREATE TEMP TABLE v (x float8);
INSERT INTO v VALUES ('-0'), (0), (4.9e-324), (1e-320), (1e-300), (1e-12), (1), (1e12), (1e300), (1e308);
CREATE TEMP TABLE rates (x float8);
INSERT INTO rates VALUES (-1e308), (-800), (-1), (0), (0.05), (800), (1e308);

CREATE FUNCTION pg_temp.outcome(f text, cp text, a float8, b float8, t float8, vol float8,
								r float8, q float8) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	x float8;
	g greeks;
	f8 float8[];
	spike boolean := false;
BEGIN
	CASE f
		WHEN 'bs_price' THEN x := bs_price(cp, a, b, t, vol, r, q);
		WHEN 'black76_price' THEN x := black76_price(cp, a, b, t, vol, r);
		WHEN 'bachelier_price' THEN x := bachelier_price(cp, a, b, t, vol, r);
		WHEN 'bs_greeks' THEN g := bs_greeks(cp, a, b, t, vol, r, q);
		WHEN 'black76_greeks' THEN g := black76_greeks(cp, a, b, t, vol, r);
		WHEN 'bachelier_greeks' THEN g := bachelier_greeks(cp, a, b, t, vol, r);
		WHEN 'implied_vol' THEN x := implied_vol(vol, cp, a, b, t, r, q);
		WHEN 'black76_implied_vol' THEN x := black76_implied_vol(vol, cp, a, b, t, r);
		WHEN 'bachelier_implied_vol' THEN x := bachelier_implied_vol(vol, cp, a, b, t, r);
		WHEN 'american_price' THEN x := american_price(cp, a, b, t, vol, r, q, true);
		WHEN 'early_exercise_premium' THEN x := early_exercise_premium(cp, a, b, t, vol, r, q, true);
		WHEN 'american_implied_vol' THEN x := american_implied_vol(vol, cp, a, b, t, r, q, true);
		WHEN 'american_greeks' THEN g := american_greeks(cp, a, b, t, vol, r, q, true);
		WHEN 'hedge_qty' THEN x := hedge_qty(a, b, 0.5);
		WHEN 'vix_hedge' THEN x := vix_hedge(a, b, 0.5, t, vol);
		WHEN 'beta_weighted_delta' THEN x := beta_weighted_delta(a, b, t, vol);
	END CASE;
	IF g IS NOT NULL THEN
		f8 := ARRAY[g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.phi, g.vanna,
					g.volga, g.charm];
		spike := vol = 0 AND (g.gamma = 'Infinity' OR g.charm IN ('Infinity', '-Infinity'));
		IF spike THEN
			f8[3] := 0;
			f8[10] := 0;
		END IF;
		IF EXISTS (SELECT 1 FROM unnest(f8) y WHERE y IS NULL OR y IN ('NaN', 'Infinity', '-Infinity')) THEN
			RETURN 'NON-FINITE';
		END IF;
		RETURN CASE WHEN spike THEN 'spike' ELSE 'finite' END;
	END IF;
	IF x IS NULL THEN
		RETURN 'null';
	END IF;
	RETURN CASE WHEN x IN ('NaN', 'Infinity', '-Infinity') THEN 'NON-FINITE' ELSE 'finite' END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

CREATE TEMP TABLE outcomes AS
SELECT f, pg_temp.outcome(f, cp, a.x, b.x, t.x, vol.x, r.x, q.x) AS outcome
FROM unnest(ARRAY['bs_price', 'bs_greeks', 'implied_vol']) f,
     unnest(ARRAY['C', 'P']) cp, v a, v b, v t, v vol, rates r,
     (VALUES (-1e300::float8), (0), (1e300)) q(x)
WHERE a.x IN (4.9e-324, 1e-300, 1, 1e300, 1e308) AND b.x IN (4.9e-324, 1e-300, 1, 1e300, 1e308)
  AND t.x IN ('-0', 4.9e-324, 1e-300, 1, 1e308) AND vol.x IN (0, 1e-320, 1, 1e12, 1e308)
UNION ALL
SELECT f, pg_temp.outcome(f, cp, a.x, b.x, t.x, vol.x, r.x, 0)
FROM unnest(ARRAY['black76_price', 'black76_greeks', 'black76_implied_vol']) f,
     unnest(ARRAY['C', 'P']) cp, v a, v b, v t, v vol, rates r
WHERE a.x > 0 AND b.x > 0 AND t.x IN ('-0', 4.9e-324, 1e-300, 1, 1e12, 1e308)
  AND vol.x IN (0, 4.9e-324, 1e-300, 1, 1e300)
UNION ALL
SELECT f, pg_temp.outcome(f, cp, s * a.x, b.x, t.x, vol.x, r.x, 0)
FROM unnest(ARRAY['bachelier_price', 'bachelier_greeks', 'bachelier_implied_vol']) f,
     unnest(ARRAY['C', 'P']) cp, (VALUES (1), (-1)) sg(s), v a, v b, v t, v vol, rates r
WHERE a.x IN (0, 4.9e-324, 1, 1e300, 1e308) AND b.x IN ('-0', 1e-320, 1, 1e308)
  AND t.x IN (0, 4.9e-324, 1, 1e308) AND vol.x IN ('-0', 1e-320, 1, 1e308)
UNION ALL
SELECT f, pg_temp.outcome(f, cp, a.x, b.x, t.x, vol.x, r.x, q.x)
FROM unnest(ARRAY['american_price', 'early_exercise_premium', 'american_implied_vol']) f,
     unnest(ARRAY['C', 'P']) cp, v a, v b, v t, v vol,
     (VALUES (-800::float8), (-0.05), (0), (0.05), (1e308)) r(x),
     (VALUES (-1e300::float8), (0), (0.02)) q(x)
WHERE a.x IN (1e-300, 1, 1e12, 1e308) AND b.x IN (1e-300, 1, 1e12)
  AND t.x IN (0, 1e-12, 1, 1e308) AND vol.x IN (0, 1e-12, 1, 1e12)
UNION ALL
SELECT 'american_greeks', pg_temp.outcome('american_greeks', cp, a.x, 1, t.x, vol.x, r.x, 0)
FROM unnest(ARRAY['C', 'P']) cp, v a, v t, v vol, (VALUES (-1e308::float8), (0), (0.05)) r(x)
WHERE a.x IN (1e-300, 0.5, 1e12) AND t.x IN (0, 1e-12, 1, 1e308) AND vol.x IN (0, 1e-12, 1, 1e12)
UNION ALL
SELECT f, pg_temp.outcome(f, NULL, a.x * s, b.x, t.x, vol.x, 0, 0)
FROM unnest(ARRAY['hedge_qty', 'vix_hedge', 'beta_weighted_delta']) f,
     (VALUES (1), (-1)) sg(s), v a, v b, v t, v vol
WHERE t.x IN (1, 1e300) AND vol.x IN (1e-320, 1, 1e308);

-- no NaN or Infinity anywhere, and no other error
SELECT count(*) AS calls,
       count(*) FILTER (WHERE outcome NOT IN ('finite', 'spike', 'null', '22003', '22023')) AS bad
FROM outcomes;
SELECT f, outcome, count(*) FROM outcomes GROUP BY f, outcome ORDER BY f, outcome;

-- 3. Positions.  Quantity x multiplier x price summed over legs can leave the double
--    range with every input finite: the sum is Infinity, or NaN from Infinity - Infinity
--    (the fuzzer's findings) -- 22003 instead.  A rate whose discount factor over the
--    legs' life cannot be formed is 22003 naming r, as in bs_price.
SELECT q AS query, pg_temp.err_detail(q) AS result FROM unnest(ARRAY[
  $$SELECT payoff('1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300'::strategy, 100000)$$,
  $$SELECT strategy_pnl('1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300'::strategy, 5800, '2262-04-11 23:47:16+00', 0.2)$$,
  $$SELECT extrinsic('1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300'::strategy, 0.001, '0001-01-01 00:00:00+00'::timestamptz, '{1e-320,0.9999999999999999}'::float8[])$$,
  $$SELECT leg_extrinsic('1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300'::strategy, 5800, '2262-04-11 23:47:16+00', 0.95)$$,
  $$SELECT max_profit('-1 C 6085 2025-10-31T20:00:00Z @ 20.15; 1 C 6135 2025-10-31T20:00:00Z @ 13.55; 1 P 5415 2025-10-31T20:00:00Z @ 29.05; -1 P 5465 2025-10-31T20:00:00Z @ 33.55'::strategy * 1.7976931348623157e308)$$,
  $$SELECT strategy_greeks('-1 P 5600 2025-10-31T20:00:00Z @ 12.35; 1 P 5500 2025-10-31T20:00:00Z @ 8.1'::strategy, 600, '2025-10-01 20:00:00+00', 0.95, -1e308, 0.013)$$,
  $$SELECT strategy_greeks('1e300 C 5800 2025-12-19T21:00:00Z @ 1 x1e300'::strategy, 5800, '2025-11-19 21:00+00', 0.2)$$,
  $$SELECT strategy_value('1 C 100 2025-12-19T21:00:00Z @ 3'::strategy, 100, '0001-01-01 00:00:00+00', 0.2, 0.05, 0)$$
]) q;
-- the same positions at ordinary sizes are ordinary numbers
SELECT round(payoff('1 C 100 2025-12-19T21:00:00Z @ 3; -1 U @ 100'::strategy, 110)::numeric, 6) AS covered,
       round(strategy_value('1 C 100 2025-12-19T21:00:00Z @ 3'::strategy, 100, '2025-11-19 21:00+00', 0.2, 0.05, 0)::numeric, 4) AS value;
-- probabilities at a vol far beyond use (vol^2 t overflows): the limits, not NaN -- a
-- call out of the money, a put in it, an upper strike touched with probability S/K
SELECT leg, kind, strike, prob_itm, round(prob_touch::numeric, 15) AS prob_touch
FROM short_strikes('-1 P 5600 2025-10-31T20:00:00Z @ 12.35; 1 P 5500 2025-10-31T20:00:00Z @ 8.1; -1 C 5600 2025-10-31T20:00:00Z @ 1'::strategy,
                   100, '1677-09-21 00:12:43+00', 1e308, 0.045, 0.013);
SELECT prob_itm('C', 100, 100.5, 1, 4.9e-324, 0.045, 0.013) AS tiny_vol_itm,
       prob_touch(100, 100.5, 1, 4.9e-324, 0.045, 0.013) AS tiny_vol_touch;
