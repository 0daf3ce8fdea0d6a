-- The playbook: the users' method end to end, on the sample data.  An SPX iron condor
-- hedged with a layer of VIX calls sized from its vega, watched with market signals,
-- defended by the wing test, the hedge rolled out in time, parity checked, and the
-- whole judged by its IRR.  Every number comes from condor; the output is pinned.
SET TIME ZONE 'UTC';
CREATE SCHEMA playbook;
SET search_path = playbook, public;
\set QUIET on
\i data/sample_chain.sql
\i data/market_history.sql
\set QUIET off

-- 1. The 16-delta, 50-point iron condor of the ~45-day expiry and its dollar vega.
CREATE VIEW chain_iv AS
SELECT c.*, year_frac(c.quote_ts, c.expiry_ts) AS t,
       implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), 0.045, 0.013) AS iv_mid
FROM spx_chain c;
CREATE TABLE book (name text PRIMARY KEY, opened date, s strategy);
INSERT INTO book
SELECT 'condor', date '2025-09-15',
       iron_condor(expiry_ts, cp, strike, bid, ask, (bs_greeks(cp, spot, strike, t, iv_mid, 0.045, 0.013)).delta)
FROM chain_iv
WHERE expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)
  AND iv_mid IS NOT NULL;
SELECT s AS condor, round(net_premium(s)::numeric, 2) AS credit, breakevens(s),
       round(max_loss(s)::numeric, 2) AS max_loss
FROM book;

CREATE TABLE condor_greeks AS
SELECT strategy_greeks(s, 5800, '2025-09-15 14:30+00',
                       (SELECT array_agg(c.iv_mid ORDER BY l.leg) FROM legs(s) l JOIN chain_iv c
                          ON (c.cp, c.strike, c.expiry_ts) = (l.kind, l.strike, l.expiry)), 0.045, 0.013) AS g
FROM book WHERE name = 'condor';
SELECT round((g).vega::numeric, 2) AS dollar_vega, round((g).delta::numeric, 2) AS dollar_delta,
       round((g).theta::numeric, 2) AS theta_per_day
FROM condor_greeks;

-- 2. The first hedge layer: October VIX calls sized at 35% of the condor's vega.
CREATE TABLE hedge_choice AS
SELECT v.expiry, v.expiry_ts, v.strike, v.ask, v.future, v.iv,
       black76_greeks('C', v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, 0.045) AS g,
       vix_hedge((cg.g).vega,
                 (black76_greeks('C', v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, 0.045)).delta,
                 0.35) AS contracts
FROM vix_chain v, condor_greeks cg
WHERE v.expiry = '2025-10-22' AND v.cp = 'C' AND v.strike = 20;
SELECT strike, ask, round((g).delta::numeric, 4) AS delta, round(contracts::numeric, 3) AS contracts,
       ceil(contracts) AS bought
FROM hedge_choice;
INSERT INTO book
SELECT 'vix calls', date '2025-09-15',
       format('%s C %s %s @ %s x100', ceil(contracts), strike, to_char(expiry_ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ask)::strategy
FROM hedge_choice;
-- the combined book: SPX Greeks plus the VIX calls' exposure per VIX point
SELECT round((cg.g).vega::numeric, 2) AS condor_vega_per_point,
       round((ceil(h.contracts) * (h.g).delta * 100)::numeric, 2) AS vix_calls_per_vix_point,
       round(((cg.g).vega + ceil(h.contracts) * (h.g).delta * 100)::numeric, 2) AS net_per_point_beta_1
FROM condor_greeks cg, hedge_choice h;

-- 3. Signals on the VIX: RSI(14) and MACD(12, 26, 9), as running window aggregates.
CREATE TABLE signals AS
SELECT day, spx, vix,
       rsi(vix) OVER w AS rsi14,
       (macd(vix) OVER w).macd AS macd, (macd(vix) OVER w).signal AS macd_signal,
       (macd(vix) OVER w).histogram AS macd_hist,
       vix / lag(vix, 2) OVER w - 1 AS vix_2d_change,
       spx / 5800 - 1 AS spx_move
FROM daily WINDOW w AS (ORDER BY day);
SELECT day, spx, vix, round(rsi14::numeric, 2) AS rsi14, round(macd::numeric, 4) AS macd,
       round(macd_signal::numeric, 4) AS signal, round(macd_hist::numeric, 4) AS hist
FROM signals WHERE day BETWEEN '2025-09-26' AND '2025-10-08' ORDER BY day;
-- the day the VIX jumps (40% or more over two sessions), and the day SPX has moved 1.5%
-- against the condor (toward a short strike) since it was opened
SELECT (SELECT min(day) FROM signals WHERE day > '2025-09-15' AND vix_2d_change >= 0.40) AS vix_jump_day,
       (SELECT min(day) FROM signals WHERE day > '2025-09-15' AND abs(spx_move) >= 0.015) AS spx_1_5pct_day;

-- 4. The wing test, and the decision rule: close the pressed spread if RSI(VIX) > 75,
--    otherwise roll the condor out 7-14 days.
SELECT day, spx, round(wing_test(b.s, spx)::numeric, 3) AS wing_test, round(rsi14::numeric, 2) AS rsi14,
       CASE WHEN rsi14 > 75 THEN 'close the pressed spread' ELSE 'roll the condor out 7-14 days' END AS decision
FROM signals, book b
WHERE b.name = 'condor' AND day > '2025-09-15' AND wing_test(b.s, spx) >= 0.8
ORDER BY day LIMIT 1;

-- 5. Roll half of the short-dated VIX calls into 2-3x the remaining tenor with a 1.5x
--    size factor, on the VIX jump day, as strategy arithmetic.  VIX futures on a later
--    day are marked at the VIX plus the sample curve's term premium (October +1.0,
--    November +1.8), the calls at Black-76 with 80% vol.
CREATE TABLE roll AS
WITH d AS (SELECT min(day) AS day FROM signals WHERE day > '2025-09-15' AND vix_2d_change >= 0.40),
	 m AS (SELECT d.day, s.vix, expiry_ts(d.day, 'PM') AS at FROM d JOIN signals s USING (day)),
	 old AS (SELECT l.* FROM book b, legs(b.s) l WHERE b.name = 'vix calls')
SELECT m.day,
	   -- close half (rounded up) at today's model price, open 1.5x that many in November
	   format('%s C %s %s @ %s x100', -ceil(old.qty / 2), old.strike,
			  to_char(old.expiry, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			  round(black76_price('C', m.vix + 1.0, old.strike, year_frac(m.at, old.expiry), 0.8, 0.045)::numeric, 2))::strategy
	   + format('%s C %s 2025-11-19T14:30:00Z @ %s x100', 1.5 * ceil(old.qty / 2), old.strike + 5,
				round(black76_price('C', m.vix + 1.8, old.strike + 5, year_frac(m.at, expiry_ts('2025-11-19', 'AM')), 0.8, 0.045)::numeric, 2))::strategy
	   AS trade
FROM m, old;
SELECT day, trade, round(net_premium(trade)::numeric, 2) AS net_credit FROM roll;
UPDATE book SET s = s + (SELECT trade FROM roll) WHERE name = 'vix calls';
-- The book now holds October and November calls: at the October expiry the November
-- calls still have time value, so its expiration line is the model's (Black-76 off the
-- VIX future: BSM with q = r, 80% vol), not every leg at intrinsic, and so are its
-- break-evens and extremes.  (One underlying: the November future is taken at the level
-- the October one settles at, the sample's 0.8 term premium left out.)
SELECT s AS hedge_after_roll,
       (SELECT array_agg(round(b::numeric, 2)) FROM unnest(breakevens(s, r.at, 0.8, 0.045, 0.045)) b)
           AS breakevens_at_october_expiry,
       round(max_profit(s, r.at, 0.8, 0.045, 0.045)::numeric, 2) AS max_profit,
       round(max_loss(s, r.at, 0.8, 0.045, 0.045)::numeric, 2) AS max_loss
FROM book, (SELECT expiry_ts(day, 'PM') AS at FROM roll) r WHERE name = 'vix calls';

-- 6. Put-call parity on the chain: the forward and discount of each expiry, then the
--    conversions and reversals whose edge exceeds the bid/ask costs (none on a clean chain;
--    the closest three shown).
CREATE TABLE fwd AS
SELECT c.expiry, (implied_forward(c.strike, (c.bid + c.ask) / 2, (p.bid + p.ask) / 2,
                                  year_frac(c.quote_ts, c.expiry_ts))).*
FROM spx_chain c JOIN spx_chain p USING (quote_ts, expiry, strike)
WHERE c.cp = 'C' AND p.cp = 'P' AND c.bid > 0 AND p.bid > 0
GROUP BY c.expiry;
CREATE TABLE parity_edges AS
SELECT c.expiry, c.strike, (parity_gap(c.bid, c.ask, p.bid, p.ask, c.strike, f.forward, f.discount)).*
FROM spx_chain c JOIN spx_chain p USING (quote_ts, expiry, strike) JOIN fwd f USING (expiry)
WHERE c.cp = 'C' AND p.cp = 'P';
SELECT count(*) FILTER (WHERE conversion > 0) AS conversions, count(*) FILTER (WHERE reversal > 0) AS reversals,
       count(*) AS pairs_checked
FROM parity_edges;
SELECT expiry, strike, round(conversion::numeric, 3) AS conversion, round(reversal::numeric, 3) AS reversal
FROM parity_edges ORDER BY greatest(conversion, reversal) DESC, expiry, strike LIMIT 3;

-- 7. The ledger and the IRR of the whole trade.  The capital is the margin the condor
--    ties up (its max loss), posted at the open and released at the end.
INSERT INTO ledger (day, what, amount)
SELECT '2025-09-15', 'post the condor''s margin (its max loss)', -max_loss(s) FROM book WHERE name = 'condor';
INSERT INTO ledger (day, what, amount)
SELECT '2025-09-15', 'open the iron condor', net_premium(s) FROM book WHERE name = 'condor';
INSERT INTO ledger (day, what, amount)
SELECT '2025-09-15', 'buy the VIX calls', -ceil(contracts) * ask * 100 FROM hedge_choice;
INSERT INTO ledger (day, what, amount)
SELECT day, 'roll half the VIX calls to November, 1.5x', net_premium(trade) FROM roll;
-- on the wing-test day the decision rule says close: the pressed put spread is bought
-- back at the model value (vol = VIX / 100) and the VIX calls are sold at their marks
CREATE TABLE wing_day AS
SELECT day, spx, vix FROM signals, book b
WHERE b.name = 'condor' AND day > '2025-09-15' AND wing_test(b.s, spx) >= 0.8
ORDER BY day LIMIT 1;
INSERT INTO ledger (day, what, amount)
SELECT w.day, 'close the pressed put spread', strategy_value(p.s, w.spx, expiry_ts(w.day, 'PM'), w.vix / 100, 0.045, 0.013)
FROM wing_day w,
     LATERAL (SELECT strategy_agg(l.qty, l.kind, l.strike, l.expiry, l.premium) AS s
              FROM book b, legs(b.s) l WHERE b.name = 'condor' AND l.kind = 'P') p;
INSERT INTO ledger (day, what, amount)
SELECT w.day, 'sell the VIX calls',
       sum(l.qty * l.multiplier *
           black76_price('C', w.vix + CASE WHEN l.expiry < '2025-11-01' THEN 1.0 ELSE 1.8 END, l.strike,
                         year_frac(expiry_ts(w.day, 'PM'), l.expiry), 0.8, 0.045))
FROM wing_day w, book b, legs(b.s) l WHERE b.name = 'vix calls'
GROUP BY w.day;
-- the call spread expires (worth its intrinsic value at the close of its expiry day) and
-- the margin comes back
INSERT INTO ledger (day, what, amount)
SELECT '2025-10-31', 'call spread expires', payoff(strategy_agg(l.qty, l.kind, l.strike, l.expiry, 0), s.spx)
FROM book b, legs(b.s) l, signals s WHERE b.name = 'condor' AND l.kind = 'C' AND s.day = '2025-10-31'
GROUP BY s.spx;
INSERT INTO ledger (day, what, amount)
SELECT '2025-10-31', 'margin released', max_loss(s) FROM book WHERE name = 'condor';
SELECT day, what, round(amount::numeric, 2) AS amount FROM ledger ORDER BY id;
SELECT round(sum(amount)::numeric, 2) AS net, round(xirr(amount, day)::numeric, 6) AS irr_annualised,
       round((xirr(amount, day) FILTER (WHERE what NOT LIKE '%margin%'))::numeric, 6) AS irr_without_margin_is_meaningless
FROM ledger;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA playbook CASCADE;
RESET client_min_messages;
RESET TIME ZONE;
