-- Positions as values: the strategy type, its algebra and analytics.
SET TIME ZONE 'UTC';

-- text form: every field round-trips; legs are normalised (sorted, merged)
SELECT '-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 "2025-10-31 16:00-04" @ 8.1'::strategy AS put_spread;
SELECT '1 C 100 2025-12-19T21:00:00Z @ 2; 1 C 100 2025-12-19T21:00:00Z @ 2'::strategy AS merged,
       '1 C 100 2025-12-19T21:00:00Z @ 2; -1 C 100 2025-12-19T21:00:00Z @ 2'::strategy AS cancelled,
       '100 U @ 5800.25 x1; -1 call 5900 2025-12-19 @ 45.5'::strategy AS covered_call;
SELECT s::text::strategy = s AS text_roundtrip
FROM (SELECT '-0.5 P 5432.1 2025-10-31T20:00:00.123456Z @ 0.1 x50; 3 U @ 1e-3 x0.25'::strategy s) x;

-- equal positions compare equal whatever the order they were written in
SELECT '1 C 110 2025-12-19T21:00:00Z @ 1; -1 C 100 2025-12-19T21:00:00Z @ 3'::strategy
     = '-1 C 100 2025-12-19T21:00:00Z @ 3; 1 C 110 2025-12-19T21:00:00Z @ 1'::strategy AS order_free;

-- legs() for BI tools
SELECT * FROM legs('-1 P 5600 2025-10-31T20:00:00Z @ 12.35; 1 P 5500 2025-10-31T20:00:00Z @ 8.1; 100 U @ 5800 x1');

-- the classics at expiry: break-evens, max profit, max loss (magnitudes), net premium
CREATE TEMP TABLE classic (name text, s strategy);
INSERT INTO classic VALUES
  ('bull call spread', '1 C 100 2025-12-19T21:00:00Z @ 3; -1 C 110 2025-12-19T21:00:00Z @ 1'),
  ('bear put spread', '1 P 110 2025-12-19T21:00:00Z @ 9; -1 P 100 2025-12-19T21:00:00Z @ 3'),
  ('long straddle', '1 C 100 2025-12-19T21:00:00Z @ 4; 1 P 100 2025-12-19T21:00:00Z @ 3.5'),
  ('short strangle', '-1 C 110 2025-12-19T21:00:00Z @ 1.2; -1 P 90 2025-12-19T21:00:00Z @ 1.3'),
  ('long butterfly', '1 C 90 2025-12-19T21:00:00Z @ 11; -2 C 100 2025-12-19T21:00:00Z @ 4; 1 C 110 2025-12-19T21:00:00Z @ 1'),
  ('iron condor', '1 P 80 2025-12-19T21:00:00Z @ 0.5; -1 P 90 2025-12-19T21:00:00Z @ 1.5; -1 C 110 2025-12-19T21:00:00Z @ 1.4; 1 C 120 2025-12-19T21:00:00Z @ 0.4'),
  ('1x2 ratio call spread', '1 C 100 2025-12-19T21:00:00Z @ 4; -2 C 110 2025-12-19T21:00:00Z @ 1.5'),
  ('covered call', '100 U @ 98 x1; -1 C 105 2025-12-19T21:00:00Z @ 2');
SELECT name, breakevens(s), max_profit(s), max_loss(s), net_premium(s), payoff(s, 100) AS pnl_at_100
FROM classic ORDER BY name;

-- arithmetic: close = negate; a roll is new + (-old); * scales the size
SELECT s + (-s) = ''::strategy AS closes_to_nothing,
       (s * 2) = s + s AS doubling,
       max_loss(s * 1.5) = 1.5 * max_loss(s) AS scaled_risk
FROM classic WHERE name = 'iron condor';
SELECT '-1 P 95 2026-01-16T21:00:00Z @ 2.1; 1 P 85 2026-01-16T21:00:00Z @ 0.9'::strategy
       - '-1 P 90 2025-12-19T21:00:00Z @ 1.5; 1 P 80 2025-12-19T21:00:00Z @ 0.5'::strategy AS roll;

-- under the model: value, P&L, Greeks in currency, POP, break-evens at a date
SELECT round(strategy_value(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)::numeric, 4) AS value,
       round(strategy_pnl(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)::numeric, 4) AS pnl,
       round((strategy_greeks(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)).vega::numeric, 4) AS vega,
       round((strategy_greeks(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)).theta::numeric, 4) AS theta,
       round(pop(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)::numeric, 6) AS pop,
       (SELECT array_agg(round(b::numeric, 6)) FROM unnest(breakevens(s, 100, '2025-11-19 21:00+00', 0.25, 0.04)) b) AS breakevens_t0
FROM classic WHERE name = 'iron condor';
SELECT round(expected_move(5800, 0.15, 30/365.0)::numeric, 4) AS one_sd_30d;

-- per-leg vols follow legs() order
SELECT round(strategy_value(s, 100, '2025-11-19 21:00+00', ARRAY[0.30, 0.27, 0.22, 0.21], 0.04)::numeric, 4) AS skewed_value
FROM classic WHERE name = 'iron condor';

-- the wing test: 0 inside the short strike, 0.8 = 80% of the way to the long wing
SELECT spot, wing_test(s, spot) FROM classic, unnest(ARRAY[100, 110, 112, 118, 120, 88, 82]::float8[]) spot
WHERE name = 'iron condor';

-- dashboards
SELECT spot, round(pnl_expiry::numeric, 2) AS pnl_expiry, round(pnl_now::numeric, 2) AS pnl_now
FROM classic, risk_graph(s, 100, '2025-11-19 21:00+00', 0.25, 0.04, 0, 80, 120, 4) WHERE name = 'iron condor';
SELECT spot_move, vol_move, days, round(pnl::numeric, 2) AS pnl, round(delta::numeric, 4) AS delta
FROM classic, scenario_grid(s, 100, '2025-11-19 21:00+00', 0.25, 0.04, 0, ARRAY[-0.05, 0, 0.05], ARRAY[0, 0.05], ARRAY[0, 14])
WHERE name = 'iron condor' ORDER BY days, vol_move, spot_move;

-- strategy_agg from leg rows, and iron_condor from a chain
CREATE TEMP TABLE ledger (position int, qty float8, cp text, strike float8, expiry timestamptz, premium float8);
INSERT INTO ledger VALUES
  (1, -1, 'P', 90, '2025-12-19 21:00+00', 1.5), (1, 1, 'P', 80, '2025-12-19 21:00+00', 0.5),
  (1, -1, 'C', 110, '2025-12-19 21:00+00', 1.4), (1, 1, 'C', 120, '2025-12-19 21:00+00', 0.4),
  (2, 100, 'U', NULL, NULL, 98), (2, -1, 'C', 105, '2025-12-19 21:00+00', 2);
SELECT position, strategy_agg(qty, cp, strike, expiry, premium) FROM ledger GROUP BY position ORDER BY position;
SELECT strategy_agg(qty, cp, strike, expiry, premium) = (SELECT s FROM classic WHERE name = 'iron condor') AS agg_equals_literal
FROM ledger WHERE position = 1;

CREATE TEMP TABLE chain AS
SELECT timestamptz '2025-12-19 21:00+00' AS expiry, cp, k::float8 AS strike,
       greatest(p - 0.05, 0) AS bid, p + 0.05 AS ask, (bs_greeks(cp, 100, k, 0.25, 0.2, 0.04)).delta AS delta
FROM generate_series(70, 130, 5) k, unnest(ARRAY['C', 'P']) cp,
     LATERAL bs_price(cp, 100, k, 0.25, 0.2, 0.04) p;
SELECT iron_condor(expiry, cp, strike, bid, ask, delta) AS at_mid,
       iron_condor(expiry, cp, strike, bid, ask, delta, 0.25, 10) AS delta25_width10,
       iron_condor(expiry, cp, strike, bid, ask, delta, 0.16, 10, true) AS natural_fills
FROM chain;
SELECT iron_condor(expiry, cp, strike, bid, ask, delta) IS NULL AS no_calls_no_condor FROM chain WHERE cp = 'P';

-- bad literals: 22P02 with the leg and the bad part; too many legs: 54000
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	DECLARE d text;
	BEGIN
		GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
		RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || d, '');
	END;
END $$;
SELECT lit, pg_temp.err(format('SELECT %L::strategy', lit)) AS result FROM unnest(ARRAY[
  '1 X 100 2025-12-19 @ 1',
  'one C 100 2025-12-19 @ 1',
  '1 C -100 2025-12-19 @ 1',
  '1 C 100 @ 1',
  '1 C 100 2025-12-19 1',
  '1 C 100 2025-12-19 @',
  '1 C 100 2025-12-19 @ 1 x0',
  '1 C 100 2025-12-19 @ 1;',
  '1 C 100 2025-12-19 @ 1 extra',
  '1 C 100 "2025-12-19 @ 1',
  '1 C 100 infinity @ 1',
  '1 C NaN 2025-12-19 @ 1'
]) AS lit;
SELECT pg_temp.err(format('SELECT %L::strategy', string_agg(format('1 C %s 2025-12-19 @ 1', k), ';'))) AS too_many_legs
FROM generate_series(1, 65) k;
RESET TIME ZONE;
