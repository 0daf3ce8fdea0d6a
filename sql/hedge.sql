-- Hedge ratios: hedge_qty, hedge_solve, vix_hedge, beta_weighted_delta.
-- a position short 150 vega dollars per point: how many of an instrument with 12.5 per contract
SELECT hedge_qty(-150, 12.5) AS full_hedge, hedge_qty(-150, 12.5, 0.35) AS hedge_35pct,
       hedge_qty(200, -40, 0.5) AS sign_included;

-- 35% of a condor's $145.26 vega with VIX calls of delta 0.4984 (beta 1): buy about 1 call
SELECT round(vix_hedge(-145.26, 0.4984)::numeric, 4) AS calls,
       round(vix_hedge(-145.26, 0.4984, fraction => 0.40, beta => 0.8)::numeric, 4) AS calls_40pct_beta08,
       round(vix_hedge(145.26, 0.4984)::numeric, 4) AS long_vega_sells;

-- the hedge does what it says: n x delta x 100 offsets fraction x vega x beta
SELECT abs(vix_hedge(-145.26, 0.4984, 0.35, 0.9) * 0.4984 * 100 - 0.35 * 145.26 * 0.9) < 1e-9 AS offsets;

-- beta-weighted delta: 100 deltas of a 600 stock with beta 1.1, in SPX (5800) units
SELECT round(beta_weighted_delta(100, 600, 1.1, 5800)::numeric, 6) AS spx_delta;

-- hedge_solve: zero the delta and vega of a short straddle with the future and a long call
WITH g AS (
	SELECT greeks_total(x) AS position FROM (
		SELECT bs_greeks('C', 5800, 5800, 30/365.0, 0.15, 0.045, 0.013) * -100 AS x
		UNION ALL
		SELECT bs_greeks('P', 5800, 5800, 30/365.0, 0.15, 0.045, 0.013) * -100) s),
	inst AS (
	SELECT ROW(5800, 50, 0, 0, 0, 0, 0, 0, 0, 0)::greeks AS fut,		-- one future: delta 50
		   bs_greeks('C', 5800, 6000, 60/365.0, 0.13, 0.045, 0.013) * 100 AS call)
SELECT round(h.qty_a::numeric, 6) AS futures, round(h.qty_b::numeric, 6) AS calls,
       round(((g.position + i.fut * h.qty_a + i.call * h.qty_b)).delta::numeric, 9) AS delta_after,
       round(((g.position + i.fut * h.qty_a + i.call * h.qty_b)).vega::numeric, 9) AS vega_after
FROM g, inst i, LATERAL hedge_solve(g.position, i.fut, i.call) h;

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT hedge_qty(100, 0)$$,
  $$SELECT hedge_qty(100, 5, 1.5)$$,
  $$SELECT hedge_qty(100, 5, 0)$$,
  $$SELECT hedge_qty('NaN', 5)$$,
  $$SELECT vix_hedge(-100, 0.5, -0.35)$$,
  $$SELECT vix_hedge(-100, 0)$$,
  $$SELECT vix_hedge(-100, 0.5, 0.35, 1, 0)$$,
  $$SELECT hedge_solve(ROW(0,1,0,1,0,0,0,0,0,0)::greeks, ROW(0,1,0,2,0,0,0,0,0,0)::greeks, ROW(0,2,0,4,0,0,0,0,0,0)::greeks)$$,
  $$SELECT hedge_solve(ROW(0,1,0,1,0,0,0,0,0,0)::greeks, ROW(0,1,0,2,0,0,0,0,0,0)::greeks, ROW(0,2,0,5,0,0,0,0,0,0)::greeks, 'delta', 'delta')$$,
  $$SELECT hedge_solve(ROW(0,1,0,1,0,0,0,0,0,0)::greeks, ROW(0,1,0,2,0,0,0,0,0,0)::greeks, ROW(0,2,0,5,0,0,0,0,0,0)::greeks, 'delta', 'speed')$$
]) AS q;
