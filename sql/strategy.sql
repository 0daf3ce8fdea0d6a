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
-- the chain reaches 20 points beyond the 16-delta shorts: the default 50-point condor
-- cannot be formed (a wing is never narrower than half the width asked), a 20-point one can
SELECT iron_condor(expiry, cp, strike, bid, ask, delta) IS NULL AS no_50_point_condor,
       iron_condor(expiry, cp, strike, bid, ask, delta, 0.16, 20) AS at_mid_width20,
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

-- Several expiries.  The vol-free forms take every leg at intrinsic, which would value a
-- calendar's later leg as if it expired too: they refuse (22023, the hint names the
-- model form).  The model forms give the first-expiry line, later legs by BSM at their
-- vol, as thinkorswim and OptionNet Explorer draw a calendar's "expiration" line.
CREATE FUNCTION pg_temp.err_hint(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	DECLARE h text;
	BEGIN
		GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
		RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || h, '');
	END;
END $$;
CREATE TEMP TABLE cal AS
SELECT '-1 C 5800 2025-10-17T20:00:00Z @ 80; 1 C 5800 2025-11-21T21:00:00Z @ 130'::strategy AS s;
SELECT f, pg_temp.err_hint(format('SELECT %s FROM cal', f)) AS result
FROM unnest(ARRAY['payoff(s, 5800)', 'breakevens(s)', 'max_profit(s)', 'max_loss(s)']) f;
-- true: profit on (5661.26, 5977.74), peak about +5,922 at 14%; with q > 0 the later call
-- grows like S exp(-q t), slower than the October one: the loss is unbounded far up
SELECT (SELECT array_agg(round(b::numeric, 2)) FROM unnest(breakevens(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)) b) AS breakevens,
       round(max_profit(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 2) AS max_profit,
       max_loss(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013) AS max_loss,
       round(max_loss(s, '2025-09-15 14:30+00', 0.14, 0.045, 0)::numeric, 2) AS max_loss_q0,
       round(payoff(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 2) AS payoff_5800,
       round(pop(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 4) AS pop
FROM cal;
-- consistent with each other: the P&L vanishes at the break-evens and no point of a
-- half-point grid beats max_profit (which lies a few cents above the grid's best)
SELECT bool_and(abs(payoff(s, b, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)) < 1e-8) AS zero_at_breakevens,
       max(payoff(s, x, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)) <= max_profit(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013) AS grid_below_max,
       round(max_profit(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric
             - max(payoff(s, x, '2025-09-15 14:30+00', 0.14, 0.045, 0.013))::numeric, 2) AS max_above_grid
FROM cal, unnest(breakevens(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)) b,
     generate_series(5500, 6100, 0.5) x
GROUP BY s;

-- one expiry: the model forms are the exact vol-free ones
SELECT name, breakevens(s) = breakevens(s, '2025-11-19 21:00+00', 0.25, 0.04) AS same_breakevens,
       max_profit(s) = max_profit(s, '2025-11-19 21:00+00', 0.25, 0.04) AS same_profit,
       max_loss(s) = max_loss(s, '2025-11-19 21:00+00', ARRAY(SELECT 0.2 FROM legs(s)), 0.04) AS same_loss,
       payoff(s, 103.7) = payoff(s, 103.7, '2025-11-19 21:00+00', 0.25) AS same_payoff
FROM classic ORDER BY name;
-- the book of October and November VIX calls the playbook builds: the November calls are
-- worth their time value at the October expiry (0.1.0 gave {21.44}, all at intrinsic)
SELECT (SELECT array_agg(round(b::numeric, 4)) FROM unnest(breakevens(s, '2025-10-02 20:00+00', 0.8, 0.045, 0.045)) b) AS model,
       round(payoff(s, 21.44, '2025-10-02 20:00+00', 0.8, 0.045, 0.045)::numeric, 2) AS pnl_at_old_breakeven
FROM (SELECT '2 C 20 2025-10-22T13:30:00Z @ 0.8; -1 C 20 2025-10-22T13:30:00Z @ 3.52; 1.5 C 25 2025-11-19T14:30:00Z @ 2.24'::strategy s) x;
-- risk_graph's expiration line is the first-expiry line too
SELECT spot, round(pnl_expiry::numeric, 2) AS pnl_expiry,
       round(payoff(s, spot, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 2) AS payoff,
       round(pnl_now::numeric, 2) AS pnl_now
FROM cal, risk_graph(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013, 5600, 6000, 4);

-- max_profit and max_loss are the true extremes, never clamped at 0: a box bought $50
-- above its value loses $50 whatever happens, sold there it wins $50
SELECT round(max_profit(s)::numeric, 6) AS max_profit, round(max_loss(s)::numeric, 6) AS max_loss,
       round(max_profit(-s)::numeric, 6) AS sold_max_profit, round(max_loss(-s)::numeric, 6) AS sold_max_loss
FROM (SELECT '1 C 90 2025-12-19T21:00:00Z @ 12.5; -1 C 100 2025-12-19T21:00:00Z @ 3; 1 P 100 2025-12-19T21:00:00Z @ 1.5; -1 P 90 2025-12-19T21:00:00Z @ 0.5'::strategy s) x;

-- missing data is never skipped: a NULL in any column of strategy_agg is an error naming
-- the column and the row (0.1.0 dropped the NULL-premium put: a naked put, max loss 543145)
SELECT q, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $q$SELECT max_loss(strategy_agg(q, cp, k, e, p)) FROM (VALUES (-1, 'P', 5465.0, '2025-10-31T20:00:00Z'::timestamptz, 33.55), (1, 'P', 5415.0, '2025-10-31T20:00:00Z', NULL)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (NULL::float8, 'P', 5415.0, '2025-10-31T20:00:00Z'::timestamptz, 29.05)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (1, NULL, 5415.0, '2025-10-31T20:00:00Z'::timestamptz, 29.05)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (1, 'P', NULL::float8, '2025-10-31T20:00:00Z'::timestamptz, 29.05)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (1, 'P', 5415.0, NULL::timestamptz, 29.05)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p, m) FROM (VALUES (1, 'P', 5415.0, '2025-10-31T20:00:00Z'::timestamptz, 29.05, NULL::float8)) v(q, cp, k, e, p, m)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (NULL::float8, NULL::text, NULL::float8, NULL::date, NULL::float8)) v(q, cp, k, e, p)$q$,
  $q$SELECT strategy_agg(q, cp, k, e, p) FROM (VALUES (100, 'U', NULL::float8, NULL::timestamptz, 5800)) v(q, cp, k, e, p)$q$
]) AS q;

-- a bare date is the PM close, 16:00 America/New_York, whatever the session's zone (0.1.0:
-- midnight of the session, so a 0DTE position written that way was valued as expired)
SET TIME ZONE 'Asia/Tokyo';
SELECT '1 C 5800 2025-09-15 @ 10; 1 P 5800 2025-12-19 @ 10; 1 C 5800 "Dec 19 2025" @ 10'::strategy AS tokyo,
       strategy_agg(1, 'C', 5800, date '2025-09-15', 10) AS agg_date;
SET TIME ZONE 'UTC';
SELECT '1 C 5800 2025-09-15 @ 10; 1 P 5800 2025-12-19 @ 10; 1 C 5800 "Dec 19 2025" @ 10'::strategy AS utc,
       '1 C 5800 "2025-09-15 00:00" @ 10'::strategy AS explicit_midnight,
       round(strategy_value('1 C 5800 2025-09-15 @ 10', 5800, '2025-09-15 10:30 America/New_York', 0.14)::numeric, 2) AS zero_dte_value;
-- it is expiry_ts(date): 13:00 on an early close (the day after Thanksgiving), the close
-- of the session before on a holiday (2025-07-04: the 13:00 close of July 3)
SELECT s AS calendar,
       (SELECT array_agg(l.expiry ORDER BY l.leg) FROM legs(s) l)
         = ARRAY[expiry_ts('2025-11-28'), expiry_ts('2025-07-04')] AS same_as_expiry_ts
FROM (SELECT '1 C 5800 2025-11-28 @ 10; 1 P 5800 2025-07-04 @ 10'::strategy AS s) x;
SELECT q, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $q$SELECT '1 C 5800 1999-12-17 @ 10'::strategy$q$,
  $q$SELECT '1 C 5800 "1999-12-17 16:00 America/New_York" @ 10'::strategy$q$,
  $q$SELECT strategy_agg(1, 'C', 5800, date '2101-01-21', 10)$q$
]) AS q;

-- the wing test on a naked side: 0 at or inside the short strike, Infinity beyond it (0.1.0:
-- NULL, so "wing_test >= 0.8" never fired there); a covered side is not under pressure
SELECT name, spot, wing_test(s, spot)
FROM (VALUES ('short strangle', '-1 C 110 2025-12-19T21:00:00Z @ 1.2; -1 P 90 2025-12-19T21:00:00Z @ 1.3'::strategy),
             ('covered call', '100 U @ 98 x1; -1 C 105 2025-12-19T21:00:00Z @ 2'),
             ('bull call spread', '1 C 100 2025-12-19T21:00:00Z @ 3; -1 C 110 2025-12-19T21:00:00Z @ 1')) v(name, s),
     unnest(ARRAY[85, 90, 100, 110, 115]::float8[]) spot
ORDER BY name, spot;

-- Greeks of positions: -g and a - b (a roll's change of exposure)
SELECT (-(g)).delta = -(g).delta AND (-(g)).vega = -(g).vega AS negated,
       ((g - g2)).theta = (g).theta - (g2).theta AS difference,
       g - g = g * 0 AS self_difference_is_zero
FROM (SELECT bs_greeks('C', 100, 105, 0.25, 0.2, 0.04, 0.01) AS g,
             bs_greeks('P', 100, 95, 0.5, 0.25, 0.04, 0.01) AS g2) x;
SELECT (g - ROW(1, NULL, 0, 0, 0, 0, 0, 0, 0, 0)::greeks).delta IS NULL AS null_field_gives_null
FROM (SELECT bs_greeks('C', 100, 105, 0.25, 0.2) AS g) x;

-- one vol per leg (legs() order) for pop, risk_graph and scenario_grid: equal vols give
-- the flat-vol answer; pop's distribution takes the vol of the first expiry's leg nearest
-- the forward (here the 110 call, the first of legs())
SELECT pop(s, 100, '2025-11-19 21:00+00', ARRAY[0.25, 0.25, 0.25, 0.25], 0.04) = pop(s, 100, '2025-11-19 21:00+00', 0.25, 0.04) AS pop_same,
       pop(s, 100, '2025-11-19 21:00+00', ARRAY[0.30, 0.27, 0.22, 0.21], 0.04) = pop(s, 100, '2025-11-19 21:00+00', 0.30, 0.04) AS pop_atm_vol,
       (SELECT bool_and(a.pnl_now = b.pnl_now AND a.pnl_expiry = b.pnl_expiry)
        FROM risk_graph(s, 100, '2025-11-19 21:00+00', ARRAY[0.25, 0.25, 0.25, 0.25], 0.04, 0, 80, 120, 8) a
        JOIN risk_graph(s, 100, '2025-11-19 21:00+00', 0.25, 0.04, 0, 80, 120, 8) b USING (spot)) AS risk_graph_same,
       (SELECT bool_and(a.pnl = b.pnl AND a.vega = b.vega)
        FROM scenario_grid(s, 100, '2025-11-19 21:00+00', ARRAY[0.25, 0.25, 0.25, 0.25], 0.04, 0, ARRAY[-0.05, 0.05], ARRAY[0, 0.05], ARRAY[0, 7]) a
        JOIN scenario_grid(s, 100, '2025-11-19 21:00+00', 0.25, 0.04, 0, ARRAY[-0.05, 0.05], ARRAY[0, 0.05], ARRAY[0, 7]) b
        USING (spot_move, vol_move, days)) AS scenario_grid_same
FROM classic WHERE name = 'iron condor';
SELECT spot, round(pnl_now::numeric, 2) AS pnl_now_skewed
FROM classic, risk_graph(s, 100, '2025-11-19 21:00+00', ARRAY[0.30, 0.27, 0.22, 0.21], 0.04, 0, 90, 110, 2)
WHERE name = 'iron condor';
SELECT spot_move, vol_move, round(vol::numeric, 2) AS vol, round(pnl::numeric, 2) AS pnl
FROM classic, scenario_grid(s, 100, '2025-11-19 21:00+00', ARRAY[0.30, 0.27, 0.22, 0.21], 0.04, 0,
                            ARRAY[0], ARRAY[0, 0.05], ARRAY[0])
WHERE name = 'iron condor' ORDER BY vol_move;

-- scenario_grid's days_forward must keep as_of a timestamp (0.1.0: NaN rows, or an
-- overflowing conversion for 1e300)
SELECT d, pg_temp.err(format($q$SELECT * FROM scenario_grid('1 C 100 2025-12-19T21:00:00Z @ 3'::strategy, 100,
                                '2025-11-19 21:00+00', 0.25, 0.04, 0, ARRAY[0], ARRAY[0], ARRAY[%s]::float8[])$q$, d)) AS result
FROM unnest(ARRAY['1e300', '-1e7']) d;

-- Every value the type can hold goes out and comes back bit for bit, as text (whatever
-- extra_float_digits says) and as binary; a value that could not be written back is
-- refused where it would be made.  strategy_send compares every bit of every field.
CREATE TEMP TABLE adversarial (i int, s strategy);
INSERT INTO adversarial VALUES
  (1, '1e308 C 1.7976931348623157e308 2025-01-01T00:00:00Z @ -1.7976931348623157e308 x1e308'),
  (2, '4.9e-324 P 4.9e-324 2025-01-01T00:00:00Z @ -4.9e-324 x2.2250738585072009e-308'),
  (3, '-0.0 C 100 2025-01-01T00:00:00Z @ 1; -0 P 100 2025-01-01T00:00:00Z @ -0.0 x1'),
  (4, '1 C 100 2025-01-01T00:00:00Z @ -0.0; -1e-310 U @ -0 x1e-310'),
  (5, '1 C 100 "2025-03-09 02:30 America/New_York" @ 1; 1 P 100 "2025-11-02 01:30 America/New_York" @ 1'),
  (6, '1 C 100 0001-01-01T00:00:00Z @ 1; 1 P 100 9999-12-31T23:59:59.999999Z @ 1'),
  (7, '0.30000000000000004 C 100.00000000000001 2025-10-31T20:00:00.000001Z @ 0.1 x0.7; 1 C 100 2025-10-31T20:00:00.5Z @ 1'),
  (8, ''),
  (9, (SELECT string_agg(format('%s C %s 2025-10-31T20:00:%s.%sZ @ %s x%s', k / 3.0, 5000 + k / 7.0,
                                lpad((k % 60)::text, 2, '0'), lpad((k * 7919 % 1000000)::text, 6, '0'),
                                1 / k::float8, k * 0.1), '; ')::strategy
       FROM generate_series(1, 64) k));
SELECT i, s FROM adversarial WHERE i < 9 ORDER BY i;
SELECT count(*) AS legs FROM adversarial, legs(s) WHERE i = 9;
SET extra_float_digits = -15;
SELECT i, s::text FROM adversarial WHERE i IN (2, 7) ORDER BY i;
SELECT count(*) FILTER (WHERE strategy_send(s::text::strategy) = strategy_send(s)) AS text_same,
       count(*) AS n
FROM adversarial;
DO $$
DECLARE
	dir text := current_setting('data_directory');
BEGIN
	EXECUTE format('COPY adversarial TO %L', dir || '/condor_adversarial.txt');
	CREATE TEMP TABLE adv_text (LIKE adversarial);
	EXECUTE format('COPY adv_text FROM %L', dir || '/condor_adversarial.txt');
	EXECUTE format('COPY adversarial TO %L (FORMAT binary)', dir || '/condor_adversarial.bin');
	CREATE TEMP TABLE adv_bin (LIKE adversarial);
	EXECUTE format('COPY adv_bin FROM %L (FORMAT binary)', dir || '/condor_adversarial.bin');
END $$;
RESET extra_float_digits;
SELECT count(*) FILTER (WHERE strategy_send(t.s) = strategy_send(a.s)) AS copy_text_same,
       count(*) FILTER (WHERE strategy_send(b.s) = strategy_send(a.s)) AS copy_binary_same,
       count(*) AS n
FROM adversarial a JOIN adv_text t USING (i) JOIN adv_bin b USING (i);

-- refused where made: a merge or a product that overflows the quantity (22003), numbers
-- out of range in a literal (22003), expiries that are not timestamps or lie outside
-- years 1-9999 (22P02, naming the leg)
SELECT q, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $q$SELECT '1e308 C 100 2025-01-01T00:00:00Z @ 1; 1e308 C 100 2025-01-01T00:00:00Z @ 1'::strategy$q$,
  $q$SELECT '1e308 C 100 2025-01-01T00:00:00Z @ 1'::strategy * 10$q$,
  $q$SELECT '1e308 C 100 2025-01-01T00:00:00Z @ 1'::strategy + '1e308 C 100 2025-01-01T00:00:00Z @ 1'$q$,
  $q$SELECT '-1e308 C 100 2025-01-01T00:00:00Z @ 1'::strategy - '1e308 C 100 2025-01-01T00:00:00Z @ 1'$q$,
  $q$SELECT strategy_agg(1e308, 'C', 100, '2025-01-01T00:00:00Z', 1) FROM generate_series(1, 2)$q$,
  $q$SELECT '1e400 C 100 2025-01-01T00:00:00Z @ 1'::strategy$q$,
  $q$SELECT '1 C 100 2025-01-01T00:00:00Z @ -1e-400'::strategy$q$,
  $q$SELECT '1 C 100 "0001-01-01 BC" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 "0001-01-01 00:00+01" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 10000-01-01T00:00:00Z @ 1'::strategy$q$,
  $q$SELECT '1 C 100 "2025-02-30" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 "2025-10-31 25:00" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 "2025-10-31 16:00+99" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 2025-10-31T20:00:00Z @ 1; 1 P 100 "2025-10-31 16:00 Mars/Olympus" @ 1'::strategy$q$,
  $q$SELECT '1 C 100 soon @ 1'::strategy$q$,
  $q$SELECT strategy_agg(1, 'C', 100, '-infinity', 1)$q$,
  $q$SELECT strategy_agg(1, 'C', 100, '0044-03-15 BC', 1)$q$
]) AS q;

-- binary receive checks what text input checks: a COPY BINARY stream made by hand,
-- one strategy of one leg per expiry below (microseconds since 2000-01-01 UTC)
CREATE TEMP TABLE recv_one (s strategy);
CREATE FUNCTION pg_temp.recv(expiry int8) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/condor_recv.bin';
	leg bytea := int4send(1) || float8send(1) || '\x43'::bytea || float8send(100) || int8send(expiry)
	             || float8send(2.5) || float8send(100);
	stream bytea := '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0)
	                || int2send(1::int2) || int4send(length(leg)) || leg || int2send(-1::int2);
	lo oid := lo_from_bytea(0, stream);
	r text;
BEGIN
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	TRUNCATE recv_one;
	r := pg_temp.err(format('COPY recv_one FROM %L (FORMAT binary)', path));
	IF r = 'no error' THEN
		SELECT s::text INTO r FROM recv_one;
	END IF;
	RETURN r;
END $$;
SELECT e, pg_temp.recv(e) FROM unnest(ARRAY[
  815256000000000,        -- 2025-10-31 20:00 UTC
  -63082281600000000,     -- 0001-01-01 00:00 UTC, the earliest expiry
  -63082281600000001,     -- one microsecond before
  252455615999999999,     -- 9999-12-31 23:59:59.999999 UTC, the latest
  252455616000000000,     -- 10000-01-01
  -211813488000000001,    -- before the earliest timestamp PostgreSQL has
  9223371331200000000,    -- after the latest
  -9223372036854775808,   -- -infinity
  9223372036854775807     -- infinity
]::int8[]) AS e;
RESET TIME ZONE;
