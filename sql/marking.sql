-- Marking from the market: strategy_mark, market_greeks / market_vols /
-- market_greeks_status, breakeven_distance, extrinsic and leg_extrinsic, on the sample
-- chain.  Each figure is also computed another way (hand-built vol arrays, the
-- break-evens and year_frac, strategy_value minus intrinsic values) and compared.
SET TIME ZONE 'UTC';
SET extra_float_digits = 0;
-- JIT would spend seconds compiling the sample chain's generator, which runs in milliseconds
SET jit = off;
CREATE SCHEMA marking;
SET search_path = marking, public;
\set QUIET on
\i data/sample_chain.sql
\set QUIET off
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE VIEW chain_iv AS
SELECT c.*, year_frac(c.quote_ts, c.expiry_ts) AS t,
       implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), 0.045, 0.013) AS iv_mid
FROM spx_chain c;
CREATE TABLE book (id int PRIMARY KEY, s strategy);
INSERT INTO book
SELECT 1, iron_condor(expiry_ts, cp, strike, bid, ask, (bs_greeks(cp, spot, strike, t, iv_mid, 0.045, 0.013)).delta)
FROM chain_iv WHERE expiry = '2025-10-31' AND iv_mid IS NOT NULL;
-- a put spread, a covered call (stock plus a call), a calendar
INSERT INTO book VALUES
 (2, '-1 P 5600 2025-10-17 @ 40; 1 P 5550 2025-10-17 @ 30'),
 (3, '100 U @ 5750 x1; -1 C 6000 2025-10-31 @ 38'),
 (4, '-1 C 5900 2025-10-03 @ 30; 1 C 5900 2025-11-21 @ 90');
-- the underlying as a quote row: cp 'U', the index level on both sides
CREATE VIEW quotes AS
SELECT quote_ts, cp, strike, expiry_ts, bid, ask FROM spx_chain
UNION ALL SELECT quote_ts, 'U', NULL, NULL, spx, spx FROM market;

-- 1. the three fills; natural is what closing costs (shorts at the ask, longs at the bid)
SELECT b.id, f.fill, round((m).value::numeric, 2) AS value, round((m).pnl::numeric, 2) AS pnl,
       (m).legs_quoted, (m).legs_missing, (m).status
FROM book b, (VALUES ('mid'), ('natural'), ('mark')) f(fill),
     LATERAL (SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, f.fill) AS m
              FROM quotes q) x
ORDER BY b.id, f.fill;

-- the same by hand: each leg's fill from its quote, summed
SELECT b.id, f.fill,
       round(sum(l.qty * l.multiplier * CASE f.fill WHEN 'mid' THEN (q.bid + q.ask) / 2
                 WHEN 'natural' THEN CASE WHEN l.qty > 0 THEN q.bid ELSE q.ask END END)::numeric, 2) AS value
FROM book b, legs(b.s) l
JOIN quotes q ON q.cp = l.kind AND (l.kind = 'U' OR (q.strike, q.expiry_ts) = (l.strike, l.expiry)),
     (VALUES ('mid'), ('natural')) f(fill)
GROUP BY b.id, f.fill ORDER BY b.id, f.fill;

-- the mark fill: the mid of a two-sided market; a long leg with no bid is worth 0, a short
-- leg with no bid is bought back at the ask
SELECT bid, ask, (strategy_mark('1 P 4700 2025-09-16 @ 0'::strategy, cp, strike, expiry_ts, bid, ask, 'mark')).value AS long_mark,
       (strategy_mark('-1 P 4700 2025-09-16 @ 0'::strategy, cp, strike, expiry_ts, bid, ask, 'mark')).value AS short_mark,
       (strategy_mark('1 P 4700 2025-09-16 @ 0'::strategy, cp, strike, expiry_ts, bid, ask)).value AS long_mid
FROM spx_chain WHERE expiry = '2025-09-16' AND cp = 'P' AND strike = 4700 GROUP BY bid, ask;

-- 2. missing data is data: no quote, one side missing, a crossed quote, no quote rows at
-- all (an outer join), the underlying without its 'U' row
SELECT label, (m).value, (m).pnl, (m).legs_quoted, (m).legs_missing, (m).status
FROM (SELECT 'no 6135 call' AS label, strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask) AS m
      FROM book b, quotes q WHERE b.id = 1 AND q.strike IS DISTINCT FROM 6135 GROUP BY b.s
      UNION ALL
      SELECT 'no bids', strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, NULL, q.ask)
      FROM book b, quotes q WHERE b.id = 1 GROUP BY b.s
      UNION ALL
      SELECT 'no bids, natural', strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, NULL, q.ask, 'natural')
      FROM book b, quotes q WHERE b.id = 1 GROUP BY b.s
      UNION ALL
      SELECT 'crossed 5465 put', strategy_mark(b.s, q.cp, q.strike, q.expiry_ts,
                                               CASE WHEN q.strike = 5465 THEN q.ask + 1 ELSE q.bid END, q.ask)
      FROM book b, quotes q WHERE b.id = 1 GROUP BY b.s
      UNION ALL
      SELECT 'no quote rows', strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask)
      FROM book b LEFT JOIN quotes q ON false WHERE b.id = 2 GROUP BY b.s
      UNION ALL
      SELECT 'stock without a U row', strategy_mark(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask)
      FROM book b, spx_chain c WHERE b.id = 3 GROUP BY b.s) x
ORDER BY label;

-- grouping mistakes and bad arguments are errors naming what is wrong
SELECT err($$SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask) FROM book b, quotes q$$) AS two_positions;
SELECT err($$SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask)
             FROM book b, (SELECT * FROM quotes UNION ALL SELECT * FROM quotes WHERE strike = 5465) q
             WHERE b.id = 1$$) AS two_quotes;
SELECT err($$SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, 'last') FROM book b, quotes q WHERE b.id = 1$$) AS bad_fill;
SELECT err($$SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, NULL) FROM book b, quotes q WHERE b.id = 1$$) AS null_fill;
SELECT err($$SELECT strategy_mark(b.s, 'X', q.strike, q.expiry_ts, q.bid, q.ask) FROM book b, quotes q WHERE b.id = 1$$) AS bad_cp;
SELECT err($$SELECT strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, -q.bid - 1, q.ask) FROM book b, quotes q WHERE b.id = 1$$) AS negative_bid;
SELECT err($$SELECT market_greeks(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, NULL, q.quote_ts, 0.045, 0.013) FROM book b, quotes q WHERE b.id = 1$$) AS null_spot;
SELECT err($$SELECT market_greeks(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot + c.strike, c.quote_ts, 0.045, 0.013) FROM book b, spx_chain c WHERE b.id = 1$$) AS two_spots;

-- 3. the order of the rows does not matter: every order gives the same bits
SELECT count(DISTINCT m::text) AS distinct_marks, count(DISTINCT g::text) AS distinct_greeks, count(*) AS orders
FROM (SELECT o, strategy_mark(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask
                              ORDER BY CASE o WHEN 0 THEN q.strike WHEN 1 THEN -q.strike ELSE hashfloat8(q.strike * o) END) AS m,
             market_greeks(b.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, 5800, q.quote_ts, 0.045, 0.013
                           ORDER BY CASE o WHEN 0 THEN q.strike WHEN 1 THEN -q.strike ELSE hashfloat8(q.strike * o) END) AS g
      FROM book b, quotes q, generate_series(0, 4) o WHERE b.id = 1 GROUP BY o, b.s) x;

-- 4. the Greeks at market vols in one call equal the hand-built array of vols in legs() order
SELECT b.id, market_greeks(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013)
       = strategy_greeks(b.s, 5800, '2025-09-15 14:30+00',
                         (SELECT array_agg(coalesce(i.iv_mid, 0) ORDER BY l.leg) FROM legs(b.s) l
                          LEFT JOIN chain_iv i ON (i.cp, i.strike, i.expiry_ts) = (l.kind, l.strike, l.expiry)),
                         0.045, 0.013) AS same_as_by_hand,
       market_vols(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013)
       = (SELECT array_agg(coalesce(i.iv_mid, 0) ORDER BY l.leg) FROM legs(b.s) l
          LEFT JOIN chain_iv i ON (i.cp, i.strike, i.expiry_ts) = (l.kind, l.strike, l.expiry)) AS same_vols,
       market_greeks_status(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS status
FROM book b, spx_chain c GROUP BY b.id, b.s ORDER BY b.id;
SELECT round((g).delta::numeric, 2) AS delta, round((g).vega::numeric, 2) AS vega, round((g).theta::numeric, 2) AS theta
FROM (SELECT market_greeks(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS g
      FROM book b JOIN spx_chain c ON c.expiry = '2025-10-31' WHERE b.id = 1 GROUP BY b.s) x;
-- a leg whose quote has no vol: NULL Greeks, a NULL vol in its place, and why
SELECT market_greeks(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) IS NULL AS greeks_null,
       market_vols(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013)::text AS vols,
       market_greeks_status(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS status
FROM (VALUES ('1 C 5000 2025-10-31 @ 700; -1 C 6000 2025-10-31 @ 30; 1 P 5500 2025-10-31 @ 20'::strategy)) b(s),
     (SELECT quote_ts, cp, strike, expiry_ts, spot,
             CASE WHEN strike = 5000 THEN 1 ELSE bid END AS bid, CASE WHEN strike = 5000 THEN 2 ELSE ask END AS ask
      FROM spx_chain WHERE strike <> 5500) c
GROUP BY b.s;

-- 5. distance to trouble: the nearest break-even in standard deviations, against the
-- break-evens and the expected move computed apart
SELECT spot, round(breakeven_distance(b.s, spot, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 4) AS sd,
       round((sign(payoff(b.s, spot)) * (SELECT min(abs(ln(be / spot))) FROM unnest(breakevens(b.s)) be)
              / (0.14 * sqrt(year_frac('2025-09-15 14:30+00', '2025-10-31 20:00+00'))))::numeric, 4) AS by_hand
FROM book b, unnest(ARRAY[5300, 5440, 5453.9, 5800, 6050, 6200]::float8[]) spot
WHERE b.id = 1 ORDER BY spot;
-- with per-leg vols, the first expiry's leg nearest the forward sets the scale; the
-- calendar's first expiry is the 3 October call's
SELECT b.id, round(breakeven_distance(b.s, 5800, '2025-09-15 14:30+00',
                                      ARRAY[0.20, 0.16, 0.13, 0.12]::float8[], 0.045, 0.013)::numeric, 4) AS with_vols,
       round(breakeven_distance(b.s, 5800, '2025-09-15 14:30+00', 0.12, 0.045, 0.013)::numeric, 4) AS at_short_call_vol
FROM book b WHERE b.id = 1;
SELECT round(breakeven_distance(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 4) AS calendar,
       breakeven_distance('1 C 5800 2025-09-12 @ 1'::strategy, 5800, '2025-09-15 14:30+00', 0.14) AS expired,
       breakeven_distance('1 C 5000 2025-10-31 @ 0'::strategy, 5800, '2025-09-15 14:30+00', 0.14) AS free_call,
       breakeven_distance('-1 C 6000 2025-10-31 @ 0'::strategy, 6100, '2025-09-15 14:30+00', 0) AS no_vol_losing
FROM book WHERE id = 4;

-- 6. time value: the model value less each leg's intrinsic value at spot; per leg it adds up
SELECT b.id, round(extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 6) AS extrinsic,
       round((strategy_value(b.s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)
              - (SELECT sum(l.qty * l.multiplier * CASE l.kind WHEN 'C' THEN greatest(5800 - l.strike, 0)
                                                             WHEN 'P' THEN greatest(l.strike - 5800, 0) ELSE 5800 END)
                 FROM legs(b.s) l))::numeric, 6) AS value_less_intrinsic,
       round((SELECT sum(position_extrinsic) FROM leg_extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013))::numeric, 6) AS sum_of_legs
FROM book b ORDER BY b.id;
SELECT leg, kind, strike, qty, round(price::numeric, 2) AS price, intrinsic, round(extrinsic::numeric, 2) AS extrinsic,
       round(position_extrinsic::numeric, 2) AS position_extrinsic
FROM book b, leg_extrinsic(b.s, 5800, '2025-09-15 14:30+00',
                           (SELECT market_vols(b2.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, 5800, q.quote_ts, 0.045, 0.013)
                            FROM book b2, quotes q WHERE b2.id = 3 GROUP BY b2.s), 0.045, 0.013)
WHERE b.id = 3;
-- at market vols the model price of each leg is its quote's mid
SELECT l.leg, round((l.price - (c.bid + c.ask) / 2)::numeric, 10) AS price_less_mid
FROM book b, leg_extrinsic(b.s, 5800, '2025-09-15 14:30+00',
                           (SELECT market_vols(b2.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, 5800, q.quote_ts, 0.045, 0.013)
                            FROM book b2, quotes q WHERE b2.id = 1 GROUP BY b2.s), 0.045, 0.013) l
JOIN spx_chain c ON (c.cp, c.strike, c.expiry_ts) = (l.kind, l.strike, l.expiry)
WHERE b.id = 1 ORDER BY l.leg;

-- 7. a parallel plan: partial states from the workers, combined; the same answer
CREATE TABLE big_quotes AS SELECT q.* FROM quotes q, generate_series(1, 3) k
WHERE k = 1 OR q.cp <> 'U' AND q.strike NOT IN (6085, 6135, 5415, 5465);
ANALYZE big_quotes;
SELECT s AS condor FROM book WHERE id = 1 \gset
SELECT strategy_mark(:'condor', cp, strike, expiry_ts, bid, ask)::text AS serial,
       market_greeks(:'condor', cp, strike, expiry_ts, bid, ask, 5800, quote_ts, 0.045, 0.013)::text AS serial_greeks
FROM big_quotes \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT strategy_mark(:'condor', cp, strike, expiry_ts, bid, ask) FROM big_quotes;
SELECT strategy_mark(:'condor', cp, strike, expiry_ts, bid, ask)::text = :'serial' AS parallel_equals_serial,
       market_greeks(:'condor', cp, strike, expiry_ts, bid, ask, 5800, quote_ts, 0.045, 0.013)::text
         = :'serial_greeks' AS greeks_parallel_equals_serial
FROM big_quotes;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;


-- 8. the state: a float8[] whose text form round-trips; crafted states are refused
CREATE AGGREGATE mark_state(strategy, text, float8, timestamptz, float8, float8) (
	SFUNC = strategy_mark_sfunc, STYPE = float8[], COMBINEFUNC = strategy_mark_combine);
SELECT mark_state(s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask) AS st
FROM book b, quotes q WHERE b.id = 2 \gset
SELECT :'st' AS state, strategy_mark_final(:'st'::float8[]) AS from_text;
SELECT label, err(format('SELECT strategy_mark_final(%L::float8[])', st)) AS refused
FROM (VALUES
  ('a header only', '{0,2}'),
  ('fill 3', '{3,0}'),
  ('67 legs', '{0,67}'),
  ('one leg of two', '{0,2,0,-1,5550,814651200000000,1,30,100}'),
  ('a quote with a negative bid', '{0,0,1,-1,5550,814651200000000,-1,2,0}'),
  ('a put without a strike', '{0,1,0,-1,NaN,814651200000000,1,30,100}'),
  ('two positions', '{0,1,0,-1,5550,814651200000000,1,30,100,0,-1,5600,814651200000000,-1,40,100}'),
  ('kind 2', '{0,1,0,2,5550,814651200000000,1,30,100}'),
  ('a row of 6', '{0,1,0,-1,5550,814651200000000,1,30}')) v(label, st);
SELECT err($$SELECT strategy_mark_sfunc(NULL, '1 U @ 1'::strategy, 'U', NULL, NULL, 1, 1)$$) AS outside_an_aggregate,
       err($$SELECT market_greeks_combine('{1,1,0,0,0}', '{1,1,0,0,0}')$$) AS combine_outside;
CREATE AGGREGATE crafted_mark(strategy, text, float8, timestamptz, float8, float8) (
	SFUNC = strategy_mark_sfunc, STYPE = float8[], FINALFUNC = strategy_mark_final,
	INITCOND = '{0,2,0,-1,5600,814651200000000,-1,40,100,0,-1,5550,814651200000000,1,30,100}');
SELECT err($$SELECT crafted_mark(s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask) FROM book b, quotes q WHERE b.id = 2$$) AS legs_out_of_order;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA marking CASCADE;
RESET client_min_messages;
RESET extra_float_digits;
RESET jit;
RESET TIME ZONE;
