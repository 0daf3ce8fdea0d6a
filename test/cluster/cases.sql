-- test/cluster/cases.sql -- one input per condor aggregate, for the cluster tests
-- (test/parts/50-fdw.sh, scripts/test-citus).  The tests list condor's aggregates from
-- the catalog, so an aggregate added later without a line here is a failure that names
-- it.  A case is the query
--     SELECT grp, agg(args) FROM rel [WHERE filter] GROUP BY grp
-- run on the distributed tables and on the local copy (schema "local").
--   grp      includes the postgres_fdw partition keys of rel (root, book's underlying and
--            book_expiry, pairs' expiry, flows' account, history's symbol), so the whole
--            aggregate can be shipped to the shards; none of it is Citus's distribution
--            column except history's symbol
--   ships    postgres_fdw ships the whole aggregate; when not, why (the rows are fetched
--            and aggregated on the coordinator)
CREATE TEMP TABLE agg_case (
	agg		regprocedure PRIMARY KEY,
	rel		text NOT NULL,
	args	text NOT NULL,
	grp		text NOT NULL,
	filter	text,
	ships	boolean NOT NULL DEFAULT true,
	why		text
);

INSERT INTO agg_case (agg, rel, args, grp, filter) VALUES
 ('greeks_total(greeks)', 'book',
  'bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier)',
  'underlying, book_expiry', $$cp <> 'U'$$),
 ('strategy_agg(float8, text, float8, timestamptz, float8)', 'book',
  'qty, cp, strike, expiry, premium', 'underlying, book_expiry, position_id', NULL),
 ('strategy_agg(float8, text, float8, timestamptz, float8, float8)', 'book',
  'qty, cp, strike, expiry, premium, multiplier', 'underlying, book_expiry, position_id', NULL),
 ('iron_condor(timestamptz, text, float8, float8, float8, float8)', 'chain_greeks',
  'expiry_ts, cp, strike, bid, ask, delta', 'root, quote_ts, expiry', 'iv_mid IS NOT NULL'),
 ('iron_condor(timestamptz, text, float8, float8, float8, float8, float8, float8)', 'chain_greeks',
  'expiry_ts, cp, strike, bid, ask, delta, 0.25, 25', 'root, quote_ts, expiry', 'iv_mid IS NOT NULL'),
 ('iron_condor(timestamptz, text, float8, float8, float8, float8, float8, float8, boolean)', 'chain_greeks',
  'expiry_ts, cp, strike, bid, ask, delta, 0.10, 50, true', 'root, quote_ts, expiry', 'iv_mid IS NOT NULL'),
 ('vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045', 'root, quote_ts', NULL),
 ('vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045, 9', 'root, quote_ts', NULL),
 ('vix_index_strict(timestamptz, timestamptz, text, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045', 'root, quote_ts', NULL),
 ('vix_index_strict(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045, 9', 'root, quote_ts', NULL),
 ('vix_status(timestamptz, timestamptz, text, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045', 'root, quote_ts', NULL),
 ('vix_status(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045, 9', 'root, quote_ts', NULL),
 ('vix_terms(timestamptz, timestamptz, text, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045', 'root, quote_ts', NULL),
 ('vix_terms(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, cp, strike, bid, ask, 0.045, 9', 'root, quote_ts', NULL),
 ('implied_forward(float8, float8, float8, float8)', 'pairs',
  'strike, (call_bid + call_ask) / 2, (put_bid + put_ask) / 2, year_frac(quote_ts, expiry_ts)', 'expiry', NULL),
 ('implied_forward(float8, float8, float8, float8, float8)', 'pairs',
  'strike, (call_bid + call_ask) / 2, (put_bid + put_ask) / 2, year_frac(quote_ts, expiry_ts), spot', 'expiry', NULL),
 ('implied_forward_status(float8, float8, float8, float8)', 'pairs',
  'strike, (call_bid + call_ask) / 2, (put_bid + put_ask) / 2, year_frac(quote_ts, expiry_ts)', 'expiry', NULL),
 ('implied_forward_status(float8, float8, float8, float8, float8)', 'pairs',
  'strike, (call_bid + call_ask) / 2, (put_bid + put_ask) / 2, year_frac(quote_ts, expiry_ts), spot', 'expiry', NULL),
 ('svi_fit(float8, float8)', 'pairs',
  'ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts)',
  'expiry', NULL),
 ('svi_fit(float8, float8, float8)', 'pairs',
  'ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts), 1 / (call_ask - call_bid + put_ask - put_bid)',
  'expiry', NULL),
 ('svi_fit_status(float8, float8)', 'pairs',
  'ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts)',
  'expiry', NULL),
 ('svi_fit_status(float8, float8, float8)', 'pairs',
  'ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts), 1 / (call_ask - call_bid + put_ask - put_bid)',
  'expiry', NULL),
 ('ema(float8, int)', 'history', 'close, 10 ORDER BY day', 'symbol', NULL),
 ('rsi(float8)', 'history', 'close ORDER BY day', 'symbol', NULL),
 ('rsi(float8, int)', 'history', 'close, 5 ORDER BY day', 'symbol', NULL),
 ('macd(float8)', 'history', 'close ORDER BY day', 'symbol', NULL),
 ('macd(float8, int, int, int)', 'history', 'close, 5, 10, 4 ORDER BY day', 'symbol', NULL),
 ('xirr(float8, date)', 'flows', 'amount, day', 'account', NULL),
 ('xirr(float8, timestamptz)', 'flows', 'amount, ts', 'account', NULL),
 ('xirr(float8, date, float8)', 'flows', 'amount, day, -0.5', 'account', NULL),
 ('xirr(float8, timestamptz, float8)', 'flows', 'amount, ts, -0.5', 'account', NULL),
 ('irr(float8, int)', 'flows', 'amount, period', 'account', NULL),
 ('irr(float8, int, float8)', 'flows', 'amount, period, -0.5', 'account', NULL);

-- The smile figures of the dashboard: per expiry (pairs), per quote time across
-- expiries (the calls of the chain); realized vol, IV rank and percentile per symbol.
INSERT INTO agg_case (agg, rel, args, grp, filter) VALUES
 ('cm_vol(timestamptz, timestamptz, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, strike, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), iv, 30',
  'root, quote_ts', $$cp = 'C'$$),
 ('cm_vol_status(timestamptz, timestamptz, float8, float8, float8, float8)', 'chain',
  'quote_ts, expiry_ts, strike, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), iv, 30',
  'root, quote_ts', $$cp = 'C'$$),
 ('cm_vol(float8, float8, float8, float8, float8)', 'chain',
  'year_frac(quote_ts, expiry_ts), strike, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), iv, 60',
  'root, quote_ts', $$cp = 'C'$$),
 ('cm_vol_status(float8, float8, float8, float8, float8)', 'chain',
  'year_frac(quote_ts, expiry_ts), strike, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), iv, 60',
  'root, quote_ts', $$cp = 'C'$$),
 ('skew(float8, float8, float8, float8)', 'pairs',
  'strike, iv, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), year_frac(quote_ts, expiry_ts)', 'expiry', NULL),
 ('delta_vol(float8, float8, float8, float8, float8)', 'pairs',
  'strike, iv, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), year_frac(quote_ts, expiry_ts), -0.25', 'expiry', NULL),
 ('realized_vol(timestamptz, float8)', 'history', 'ts, close', 'symbol', NULL),
 ('realized_vol(timestamptz, float8, float8)', 'history', 'ts, close, 365', 'symbol', NULL),
 ('realized_vol(timestamptz, float8, float8, boolean)', 'history', 'ts, close, 252, true', 'symbol', NULL),
 ('parkinson_vol(timestamptz, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close', 'symbol', NULL),
 ('parkinson_vol(timestamptz, float8, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close, 365', 'symbol', NULL),
 ('garman_klass_vol(timestamptz, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close', 'symbol', NULL),
 ('garman_klass_vol(timestamptz, float8, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close, 365', 'symbol', NULL),
 ('rogers_satchell_vol(timestamptz, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close', 'symbol', NULL),
 ('rogers_satchell_vol(timestamptz, float8, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close, 365', 'symbol', NULL),
 ('yang_zhang_vol(timestamptz, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close', 'symbol', NULL),
 ('yang_zhang_vol(timestamptz, float8, float8, float8, float8, float8)', 'history', 'ts, open, high, low, close, 365', 'symbol', NULL),
 ('iv_rank(timestamptz, float8)', 'history', 'ts, close', 'symbol', $$symbol = 'VIX'$$),
 ('iv_percentile(timestamptz, float8)', 'history', 'ts, close', 'symbol', $$symbol = 'VIX'$$);

-- The SSVI surface per quote time across expiries: the calls of the chain (every 25
-- points on SPXW, to keep it quick).
INSERT INTO agg_case (agg, rel, args, grp, filter)
SELECT agg::regprocedure, 'chain', args, 'root, quote_ts', $$cp = 'C' AND (root = 'VIX' OR strike::int % 25 = 0)$$
FROM (VALUES ('ssvi_fit'), ('ssvi_fit_status')) a(name),
     LATERAL (VALUES
	(name || '(float8, float8, float8)',
	 'year_frac(quote_ts, expiry_ts), ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts)'),
	(name || '(float8, float8, float8, float8)',
	 'year_frac(quote_ts, expiry_ts), ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts), 1 / (ask - bid + 0.05)'),
	(name || '(timestamptz, timestamptz, float8, float8)',
	 'quote_ts, expiry_ts, ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts)'),
	(name || '(timestamptz, timestamptz, float8, float8, float8)',
	 'quote_ts, expiry_ts, ln(strike / (spot * exp(0.032 * year_frac(quote_ts, expiry_ts)))), iv * iv * year_frac(quote_ts, expiry_ts), 1 / (ask - bid + 0.05)')
     ) c(agg, args);

-- Marking from the quotes: each position with its legs' quote rows, per quote time.
INSERT INTO agg_case (agg, rel, args, grp, filter) VALUES
 ('strategy_mark(strategy, text, float8, timestamptz, float8, float8)', 'marks',
  's, cp, strike, expiry_ts, bid, ask', 'underlying, position_id, quote_ts', NULL),
 ('strategy_mark(strategy, text, float8, timestamptz, float8, float8, text)', 'marks',
  $$s, cp, strike, expiry_ts, bid, ask, 'natural'$$, 'underlying, position_id, quote_ts', NULL),
 ('market_greeks(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8)', 'marks',
  's, cp, strike, expiry_ts, bid, ask, spot, quote_ts, 0.045, 0.013', 'underlying, position_id, quote_ts', NULL),
 ('market_vols(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8)', 'marks',
  's, cp, strike, expiry_ts, bid, ask, spot, quote_ts, 0.045, 0.013', 'underlying, position_id, quote_ts', NULL),
 ('market_greeks_status(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8)', 'marks',
  's, cp, strike, expiry_ts, bid, ask, spot, quote_ts, 0.045, 0.013', 'underlying, position_id, quote_ts', NULL);

-- strategy_agg over date expiries: a date means its PM close on the exchange calendar
-- (condor_closures, a table of each database), so its transition function is STABLE.
-- The aggregate itself is not (PostgreSQL marks every aggregate immutable), so
-- postgres_fdw sends it, and the shard's calendar decides (fdw_checks.sql shows it).
INSERT INTO agg_case (agg, rel, args, grp, filter) VALUES
 ('strategy_agg(float8, text, float8, date, float8)', 'book',
  'qty, cp, strike, expiry_day, premium', 'underlying, book_expiry, position_id', NULL),
 ('strategy_agg(float8, text, float8, date, float8, float8)', 'book',
  'qty, cp, strike, expiry_day, premium, multiplier', 'underlying, book_expiry, position_id', NULL);

-- What postgres_fdw does not send: the term structure at the money across every
-- expiry, as pairs are split by expiry and the grouping crosses shards.
INSERT INTO agg_case (agg, rel, args, grp, filter, ships, why) VALUES
 ('term_vol(float8, float8, float8)', 'pairs', 'year_frac(quote_ts, expiry_ts), iv, 30 / 365.0',
  'quote_ts', 'strike = 5800', false, 'the grouping crosses shards'),
 ('term_vol_status(float8, float8, float8)', 'pairs', 'year_frac(quote_ts, expiry_ts), iv, 30 / 365.0',
  'quote_ts', 'strike = 5800', false, 'the grouping crosses shards');

-- Scalar functions in WHERE clauses: SELECT id FROM rel WHERE cond, on the distributed
-- tables and on the local copy.  ships: postgres_fdw sends the condition (naming each of
-- fns as public.<fn> in the Remote SQL) rather than filtering fetched rows.
CREATE TEMP TABLE where_case (
	name	text PRIMARY KEY,
	rel		text NOT NULL,
	cond	text NOT NULL,
	fns		text[] NOT NULL,
	ships	boolean NOT NULL DEFAULT true
);
INSERT INTO where_case VALUES
 ('year_frac', 'chain', 'year_frac(quote_ts, expiry_ts) < 0.02', '{year_frac}', true),
 ('bs_price', 'chain', 'bs_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) BETWEEN 1 AND 1.5',
  '{bs_price,year_frac}', true),
 ('implied_vol', 'chain', 'implied_vol((bid + ask) / 2, cp, spot, strike, year_frac(quote_ts, expiry_ts), 0.045, 0.013) > 0.3',
  '{implied_vol}', true),
 ('implied_vol_status', 'chain', $$implied_vol_status(bid, cp, spot, strike, year_frac(quote_ts, expiry_ts), 0.045, 0.013) <> 'ok'$$,
  '{implied_vol_status}', true),
 ('black76_price', 'chain', $$root = 'VIX' AND black76_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045) BETWEEN bid AND ask$$,
  '{black76_price}', true),
 ('black76_implied_vol', 'chain', $$root = 'VIX' AND black76_implied_vol((bid + ask) / 2, cp, spot, strike, year_frac(quote_ts, expiry_ts), 0.045) > iv$$,
  '{black76_implied_vol}', true),
 ('bachelier_price', 'chain', 'bachelier_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv * spot, 0.045) > ask',
  '{bachelier_price}', true),
 ('american_price', 'chain', $$expiry = '2025-10-17' AND quote_ts = '2025-09-15 14:30+00' AND american_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013, fast => true) > bs_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) + 0.5$$,
  '{american_price}', true),
 ('parity_gap', 'pairs', '(parity_gap(call_bid, call_ask, put_bid, put_ask, strike, spot * exp(0.032 * year_frac(quote_ts, expiry_ts)), exp(-0.045 * year_frac(quote_ts, expiry_ts)))).conversion > -0.5',
  '{}', false),
 ('max_loss', 'positions', 'max_loss(s) < 1500', '{max_loss}', true),
 ('breakevens', 'positions', 'cardinality(breakevens(s)) = 1', '{breakevens}', true),
 ('net_premium', 'positions', 'net_premium(s) > 1000', '{net_premium}', true),
 ('payoff', 'positions', 'payoff(s, 5650) > 0', '{payoff}', true),
 ('pop', 'positions', 'pop(s, spot, quote_ts, 0.15, 0.045, 0.013) > 0.8', '{pop}', true),
 ('strategy_pnl', 'positions', 'strategy_pnl(s, spot * 1.01, ''2025-09-22 14:30+00'', 0.15, 0.045, 0.013) > 100',
  '{strategy_pnl}', true),
 ('wing_test', 'positions', 'wing_test(s, 5950) >= 0.5', '{wing_test}', true),
 ('strategy operators', 'positions', 's * 2 = s + s AND s - s = s * 0 AND s < s * 2', '{}', true),
 -- a text constant is the only collatable input: PostgreSQL 15 will not send the call
 -- (its collation is not derived from a column of the foreign table)
 ('bs_price (text constant)', 'chain', $$bs_price('C', spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) BETWEEN 1 AND 1.5$$,
  '{}', false),
 -- the workaround: pass the column, fixed by an equality (cp = 'C' is shipped too)
 ('bs_price (column fixed by cp = ''C'')', 'chain', $$cp = 'C' AND bs_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) BETWEEN 1 AND 1.5$$,
  '{bs_price}', true),
 -- a field of a composite (FieldSelect) is never sent: filter on a view's column instead
 ('bs_greeks delta (field of a composite)', 'chain', '(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013)).delta BETWEEN 0.45 AND 0.46',
  '{}', false),
 ('delta of a view on the shard', 'chain_greeks', 'delta BETWEEN 0.45 AND 0.46', '{}', true),
 -- STABLE functions are never sent: expiry_ts reads the exchange calendar
 ('expiry_ts (STABLE)', 'chain', 'expiry_ts = expiry_ts(expiry)', '{}', false);
