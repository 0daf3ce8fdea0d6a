-- condor 0.1.0 -> 0.2.0.  ALTER EXTENSION condor UPDATE runs this; every change to the
-- SQL surface since 0.1.0 is here too, so an upgraded database equals a fresh 0.2.0 one
-- (test/parts: upgrade).
\echo Use "ALTER EXTENSION condor UPDATE TO '0.2.0'" to load this file. \quit

-- Aggregate states: NULL plus a *_status twin when the data cannot give a result;
-- vix_index_strict; xirr over dates gets its own C entry point (no function reads the
-- expression tree); xirr/irr with a guess.
CREATE OR REPLACE FUNCTION xirr_sfunc(float8[], amount float8, at date) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_date_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION vix_index_strict_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'vix_index_strict_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE vix_index_strict(as_of timestamptz, expiry timestamptz, cp text, strike float8,
								  bid float8, ask float8, rate float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_index_strict_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);

CREATE AGGREGATE vix_index_strict(as_of timestamptz, expiry timestamptz, cp text, strike float8,
								  bid float8, ask float8, rate float8, target_days float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_index_strict_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE vix_index_strict(timestamptz, timestamptz, text, float8, float8, float8, float8) IS
'vix_index, NULL unless the near and next terms are more than 23 and less than 37 days away (Cboe''s rule)';

CREATE FUNCTION vix_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'vix_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE vix_status(as_of timestamptz, expiry timestamptz, cp text, strike float8,
							bid float8, ask float8, rate float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_status_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);

CREATE AGGREGATE vix_status(as_of timestamptz, expiry timestamptz, cp text, strike float8,
							bid float8, ask float8, rate float8, target_days float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_status_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE vix_status(timestamptz, timestamptz, text, float8, float8, float8, float8) IS
'''ok'' or why vix_index is NULL for these rows';

CREATE FUNCTION forward_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'forward_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE implied_forward_status(strike float8, call_price float8, put_price float8, t float8) (
	SFUNC = forward_sfunc, STYPE = float8[], FINALFUNC = forward_status_final,
	COMBINEFUNC = forward_combine, PARALLEL = SAFE
);

CREATE AGGREGATE implied_forward_status(strike float8, call_price float8, put_price float8,
										t float8, spot float8) (
	SFUNC = forward_sfunc, STYPE = float8[], FINALFUNC = forward_status_final,
	COMBINEFUNC = forward_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE implied_forward_status(float8, float8, float8, float8) IS
'''ok'' or why implied_forward is NULL for these rows';

CREATE FUNCTION svi_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'svi_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE svi_fit_status(k float8, w float8) (
	SFUNC = svi_sfunc, STYPE = float8[], FINALFUNC = svi_status_final,
	COMBINEFUNC = svi_combine, PARALLEL = SAFE
);

CREATE AGGREGATE svi_fit_status(k float8, w float8, weight float8) (
	SFUNC = svi_sfunc, STYPE = float8[], FINALFUNC = svi_status_final,
	COMBINEFUNC = svi_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE svi_fit_status(float8, float8) IS '''ok'' or why svi_fit is NULL for these points';

CREATE FUNCTION term_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'term_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE term_vol_status(t float8, vol float8, target_t float8) (
	SFUNC = term_sfunc, STYPE = float8[], FINALFUNC = term_status_final,
	COMBINEFUNC = term_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE term_vol_status(float8, float8, float8) IS '''ok'' or why term_vol is NULL for these points';

CREATE FUNCTION xirr_sfunc(float8[], amount float8, at date, guess float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_guess_date_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION xirr_sfunc(float8[], amount float8, at timestamptz, guess float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_guess_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION irr_sfunc(float8[], amount float8, period int, guess float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'irr_guess_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION irr_guess_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'irr_guess_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION xirr_guess_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'xirr_guess_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION irr_guess_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'irr_guess_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE xirr(amount float8, at date, guess float8) (
	SFUNC = xirr_sfunc, STYPE = float8[], FINALFUNC = xirr_guess_final,
	COMBINEFUNC = irr_guess_combine, PARALLEL = SAFE
);

CREATE AGGREGATE xirr(amount float8, at timestamptz, guess float8) (
	SFUNC = xirr_sfunc, STYPE = float8[], FINALFUNC = xirr_guess_final,
	COMBINEFUNC = irr_guess_combine, PARALLEL = SAFE
);

CREATE AGGREGATE irr(amount float8, period int, guess float8) (
	SFUNC = irr_sfunc, STYPE = float8[], FINALFUNC = irr_guess_final,
	COMBINEFUNC = irr_guess_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE xirr(float8, date, float8) IS
'xirr choosing, among several rates, the investment rate nearest the guess';

-- The array types of condor's types belong to the extension too.  PostgreSQL makes them
-- with their element type but does not record them as members, and postgres_fdw ships
-- an expression only when every type in it is built in or belongs to an extension it
-- is told about (server option "extensions 'condor'"): vix_terms returns vix_term[],
-- and array_agg over greeks or strategies returns arrays of them.
ALTER EXTENSION condor ADD TYPE greeks[];
ALTER EXTENSION condor ADD TYPE strategy[];
ALTER EXTENSION condor ADD TYPE vix_term[];
ALTER EXTENSION condor ADD TYPE forward_fit[];
ALTER EXTENSION condor ADD TYPE parity[];
ALTER EXTENSION condor ADD TYPE svi[];
ALTER EXTENSION condor ADD TYPE macd[];
ALTER EXTENSION condor ADD TYPE hedge[];

-- greeks_total: exact per-field sums rounded once (the same bits on any plan or cluster).
CREATE FUNCTION greeks_total_sfunc(float8[], greeks) RETURNS float8[]
AS 'MODULE_PATHNAME', 'greeks_total_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION greeks_total_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'greeks_total_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION greeks_total_final(float8[]) RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_total_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE AGGREGATE greeks_total(greeks) (
	SFUNC = greeks_total_sfunc,
	STYPE = float8[],
	FINALFUNC = greeks_total_final,
	COMBINEFUNC = greeks_total_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE greeks_total(greeks) IS 'field-by-field sum of a column of greeks, exact and rounded once (independent of row order and parallel split)';

-- The exchange calendar, trading time and OCC symbols (issue 14).  expiry_ts now reads
-- the calendar: early closes, the session before a holiday; STABLE, since the calendar
-- includes the user-editable condor_closures table.
ALTER FUNCTION expiry_ts(date, text) STABLE;
COMMENT ON FUNCTION expiry_ts(date, text) IS
'expiry instant: the session close (16:00 or 13:00 New York) for PM settlement, 09:30 for AM; a day without a session means the session before';

CREATE TABLE condor_closures (
	day		date PRIMARY KEY CHECK (day BETWEEN '2000-01-01' AND '2100-12-31'),
	close	time CHECK (close > '09:30'),
	note	text
);
COMMENT ON TABLE condor_closures IS
'days whose session differs from the NYSE rules: close NULL = closed all day, else the session ends at close (New York time); a row overrides the rules for its day';

-- The one-offs since 2000 (NYSE's record of closings).
INSERT INTO condor_closures (day, close, note) VALUES
	('2001-09-11', NULL, 'September 11 attacks'),
	('2001-09-12', NULL, 'September 11 attacks'),
	('2001-09-13', NULL, 'September 11 attacks'),
	('2001-09-14', NULL, 'September 11 attacks'),
	('2003-12-26', '13:00', 'early close: the day after Christmas'),
	('2004-06-11', NULL, 'National Day of Mourning: President Reagan'),
	('2007-01-02', NULL, 'National Day of Mourning: President Ford'),
	('2012-10-29', NULL, 'Hurricane Sandy'),
	('2012-10-30', NULL, 'Hurricane Sandy'),
	('2018-12-05', NULL, 'National Day of Mourning: President George H. W. Bush'),
	('2025-01-09', NULL, 'National Day of Mourning: President Carter');
GRANT SELECT ON condor_closures TO PUBLIC;

-- pg_dump keeps every row; on restore the trigger below lets a dumped row replace the
-- shipped row of the same day that CREATE EXTENSION has just inserted.
SELECT pg_catalog.pg_extension_config_dump('condor_closures', '');

-- VOLATILE (it deletes a row) and PARALLEL UNSAFE, as a trigger that writes must be.
CREATE FUNCTION condor_closures_replace() RETURNS trigger
AS 'MODULE_PATHNAME', 'condor_closures_replace' LANGUAGE C;
CREATE TRIGGER condor_closures_replace BEFORE INSERT ON condor_closures
	FOR EACH ROW EXECUTE FUNCTION condor_closures_replace();

CREATE FUNCTION is_trading_day(day date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_trading_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_trading_day(date) IS
'whether NYSE holds a session on day (rules and condor_closures; 2000-2100)';

CREATE FUNCTION trading_days(start date, stop date)
RETURNS int
AS 'MODULE_PATHNAME', 'trading_days'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trading_days(date, date) IS
'number of sessions on the days in [start, stop); negative when stop < start';

CREATE FUNCTION next_trading_day(day date, n int DEFAULT 1)
RETURNS date
AS 'MODULE_PATHNAME', 'next_trading_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION next_trading_day(date, int) IS
'the n-th session after day (n < 0: before it; n = 0: day if a session, else the next)';

CREATE FUNCTION session_close(day date)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'session_close'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION session_close(date) IS
'close of the session on day: 16:00 or 13:00 New York (or the condor_closures time); NULL when closed';

CREATE FUNCTION year_frac_trading(start timestamptz, stop timestamptz,
								  overnight_weight float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'year_frac_trading'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_frac_trading(timestamptz, timestamptz, float8) IS
'trading-time year fraction: session time + overnight_weight x other time, over a year of 252 sessions of 6.5 h (weight 0) ... 365 days (weight 1)';

-- OCC option symbols (OSI): 'SPXW  251031C05800000'.

CREATE TYPE occ_option AS (
	root	text,
	expiry	date,
	cp		text,
	strike	float8
);
COMMENT ON TYPE occ_option IS 'an OCC option symbol read: root, expiry date, C or P, strike';

CREATE FUNCTION occ_parse(symbol text)
RETURNS occ_option
AS 'MODULE_PATHNAME', 'occ_parse'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION occ_parse(text) IS
'root, expiry, cp and strike of an OCC symbol, padded (21 characters) or compact';

CREATE FUNCTION occ_symbol(root text, expiry date, cp text, strike float8)
RETURNS text
AS 'MODULE_PATHNAME', 'occ_symbol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION occ_symbol(text, date, text, float8) IS
'the 21-character OCC symbol: root padded to 6, yymmdd, C or P, strike x 1000 in 8 digits';
ALTER EXTENSION condor ADD TYPE occ_option[];

-- greeks: -g and a - b
CREATE FUNCTION greeks_neg(g greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_neg'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION greeks_sub(a greeks, b greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_sub'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR - (RIGHTARG = greeks, FUNCTION = greeks_neg);
CREATE OPERATOR - (LEFTARG = greeks, RIGHTARG = greeks, FUNCTION = greeks_sub);

-- strategy_agg: NULLs are errors (same functions); a date expiry means its PM close,
-- expiry_ts(date) (STABLE: the exchange calendar)
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry date, premium float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc_date' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry date, premium float8, multiplier float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc_date' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry date, premium float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry date,
							  premium float8, multiplier float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
COMMENT ON AGGREGATE strategy_agg(float8, text, float8, timestamptz, float8) IS
'a strategy from leg rows (cp C/P/U; strike and expiry NULL for U; multiplier 100 for options, 1 for U); any other NULL is an error';
COMMENT ON AGGREGATE strategy_agg(float8, text, float8, date, float8) IS
'a strategy from leg rows, each date expiry meaning its PM close, expiry_ts(date); any NULL but a U leg''s strike and expiry is an error';

-- max_profit / max_loss: true extremes, never clamped at 0
COMMENT ON FUNCTION max_profit(strategy) IS 'greatest P&L at expiry (negative when every outcome loses; Infinity when unbounded)';
COMMENT ON FUNCTION max_loss(strategy) IS 'greatest loss at expiry as a positive amount (negative when every outcome wins; Infinity when unbounded)';
COMMENT ON FUNCTION wing_test(strategy, float8) IS
'how far spot has travelled from the pressed short strike toward its long wing: 0 inside, 1 at the wing, Infinity beyond a naked short';

-- the expiration line of several expiries
CREATE FUNCTION payoff(s strategy, spot float8, as_of timestamptz, vol float8,
					   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_payoff_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION payoff(s strategy, spot float8, as_of timestamptz, vols float8[],
					   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_payoff_first_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION payoff(strategy, float8, timestamptz, float8, float8, float8) IS
'P&L at the first expiry after as_of with the underlying at spot, later legs by the model';
CREATE FUNCTION breakevens(s strategy, as_of timestamptz, vol float8,
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION breakevens(s strategy, as_of timestamptz, vols float8[],
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_first_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION breakevens(strategy, timestamptz, float8, float8, float8) IS
'every spot where the P&L at the first expiry after as_of crosses or touches zero, later legs by the model';
CREATE FUNCTION max_profit(s strategy, as_of timestamptz, vol float8,
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_profit_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION max_profit(s strategy, as_of timestamptz, vols float8[],
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_profit_first_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_profit(strategy, timestamptz, float8, float8, float8) IS
'greatest P&L at the first expiry after as_of, later legs by the model (Infinity when unbounded)';
CREATE FUNCTION max_loss(s strategy, as_of timestamptz, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_loss_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION max_loss(s strategy, as_of timestamptz, vols float8[],
						 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_loss_first_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_loss(strategy, timestamptz, float8, float8, float8) IS
'greatest loss at the first expiry after as_of as a positive amount, later legs by the model (Infinity when unbounded)';

-- one C function per form: 0.1.0 pointed the vol and vols[] forms at one symbol and told
-- them apart by the call's expression tree, which callers such as Citus do not provide
CREATE OR REPLACE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vol float8,
										  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vols float8[],
										  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vol float8,
										r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vols float8[],
										r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vol float8,
										   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vols float8[],
										   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vol float8,
									  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vols float8[],
									  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pop, risk_graph and scenario_grid with one vol per leg
CREATE FUNCTION pop(s strategy, spot float8, as_of timestamptz, vols float8[],
					r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pop_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pop(strategy, float8, timestamptz, float8[], float8, float8) IS
'probability that the P&L at the first expiry is positive; the spot''s lognormal at the vol of the first expiry''s leg nearest the forward';
CREATE FUNCTION risk_graph(s strategy, spot float8, as_of timestamptz, vols float8[],
						   r float8, q float8, lo float8, hi float8, steps int,
						   OUT spot float8, OUT pnl_expiry float8, OUT pnl_now float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_risk_graph_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION risk_graph(strategy, float8, timestamptz, float8, float8, float8, float8, float8, integer) IS
'rows (spot, pnl_expiry, pnl_now) from lo to hi: P&L at the first expiry after as_of (later legs by the model) and at as_of';
CREATE FUNCTION scenario_grid(s strategy, spot float8, as_of timestamptz, vols float8[],
							  r float8, q float8, spot_moves float8[], vol_moves float8[],
							  days_forward float8[],
							  OUT spot_move float8, OUT vol_move float8, OUT days float8,
							  OUT spot float8, OUT vol float8, OUT pnl float8,
							  OUT delta float8, OUT gamma float8, OUT vega float8,
							  OUT theta float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_scenario_grid_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The volatility dashboard (src/sql/45_dashboard.sql and 55_short_strikes.sql): cm_vol,
-- skew, delta_vol, the realized vol estimators, iv_rank, iv_percentile, prob_itm,
-- prob_touch and short_strikes.  Aggregates over float8[] states (rows.c) with combine
-- functions; rows with a NULL are skipped.

-- cm_vol: the ATM-forward vol of each expiry (variance linear in k = ln(K/F) between the
-- strikes around the forward), interpolated to target_days in total variance, flat vol
-- outside the listed expiries.  NULL when no expiry's strikes bracket its forward
-- (cm_vol_status says why).
CREATE FUNCTION cm_vol_ts_sfunc(state float8[], as_of timestamptz, expiry timestamptz,
								strike float8, forward float8, iv float8, target_days float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'cm_vol_ts_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_ts_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'cm_vol_ts_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_ts_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'cm_vol_ts_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_ts_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'cm_vol_ts_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cm_vol(as_of timestamptz, expiry timestamptz, strike float8, forward float8,
						iv float8, target_days float8) (
	SFUNC = cm_vol_ts_sfunc, STYPE = float8[], FINALFUNC = cm_vol_ts_final,
	COMBINEFUNC = cm_vol_ts_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cm_vol(timestamptz, timestamptz, float8, float8, float8, float8) IS
'constant-maturity ATM-forward implied vol (IV30 = target_days 30) over one quote time''s chain rows';
CREATE AGGREGATE cm_vol_status(as_of timestamptz, expiry timestamptz, strike float8,
							   forward float8, iv float8, target_days float8) (
	SFUNC = cm_vol_ts_sfunc, STYPE = float8[], FINALFUNC = cm_vol_ts_status_final,
	COMBINEFUNC = cm_vol_ts_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cm_vol_status(timestamptz, timestamptz, float8, float8, float8, float8) IS
'''ok'' or why cm_vol is NULL for these rows';

CREATE FUNCTION cm_vol_sfunc(state float8[], t float8, strike float8, forward float8,
							 iv float8, target_days float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'cm_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'cm_vol_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'cm_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cm_vol_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'cm_vol_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE cm_vol(t float8, strike float8, forward float8, iv float8, target_days float8) (
	SFUNC = cm_vol_sfunc, STYPE = float8[], FINALFUNC = cm_vol_final,
	COMBINEFUNC = cm_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cm_vol(float8, float8, float8, float8, float8) IS
'constant-maturity ATM-forward implied vol from rows with t in years (ACT/365); target in days';
CREATE AGGREGATE cm_vol_status(t float8, strike float8, forward float8, iv float8,
							   target_days float8) (
	SFUNC = cm_vol_sfunc, STYPE = float8[], FINALFUNC = cm_vol_status_final,
	COMBINEFUNC = cm_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cm_vol_status(float8, float8, float8, float8, float8) IS
'''ok'' or why cm_vol is NULL for these rows';

-- skew: one expiry's smile read at the forward, at the 25-delta put and call (forward
-- delta N(d1), undiscounted) and at 90% and 110% of the forward.
CREATE TYPE skew AS (
	atm				float8,
	put25			float8,
	call25			float8,
	rr25			float8,
	bf25			float8,
	m90				float8,
	m110			float8,
	put25_strike	float8,
	call25_strike	float8
);
CREATE FUNCTION skew_sfunc(state float8[], strike float8, iv float8, forward float8, t float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'skew_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION skew_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'skew_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION skew_final(state float8[])
RETURNS skew AS 'MODULE_PATHNAME', 'skew_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE skew(strike float8, iv float8, forward float8, t float8) (
	SFUNC = skew_sfunc, STYPE = float8[], FINALFUNC = skew_final,
	COMBINEFUNC = skew_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE skew(float8, float8, float8, float8) IS
'one expiry''s smile: (atm, put25, call25, rr25, bf25, m90, m110, put25_strike, call25_strike)';

-- delta_vol: the vol at any forward delta (0.25 = 25-delta call, -0.25 = 25-delta put).
CREATE FUNCTION delta_vol_sfunc(state float8[], strike float8, iv float8, forward float8,
								t float8, delta float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'delta_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION delta_vol_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'delta_vol_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION delta_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'delta_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE delta_vol(strike float8, iv float8, forward float8, t float8, delta float8) (
	SFUNC = delta_vol_sfunc, STYPE = float8[], FINALFUNC = delta_vol_final,
	COMBINEFUNC = delta_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE delta_vol(float8, float8, float8, float8, float8) IS
'one expiry''s implied vol at a forward delta (call > 0, put < 0)';

-- Realized vol, annualised with periods_per_year (252 by default): close-to-close
-- (sample stdev of log returns, or zero_mean), and from OHLC bars Parkinson,
-- Garman-Klass, Rogers-Satchell and Yang-Zhang.  NULL with too few rows.
CREATE FUNCTION realized_vol_sfunc(state float8[], ts timestamptz, close float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'realized_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION realized_vol_sfunc(state float8[], ts timestamptz, close float8,
								   periods_per_year float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'realized_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION realized_vol_sfunc(state float8[], ts timestamptz, close float8,
								   periods_per_year float8, zero_mean boolean)
RETURNS float8[] AS 'MODULE_PATHNAME', 'realized_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION realized_vol_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'realized_vol_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION realized_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'realized_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE realized_vol(ts timestamptz, close float8) (
	SFUNC = realized_vol_sfunc, STYPE = float8[], FINALFUNC = realized_vol_final,
	COMBINEFUNC = realized_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE realized_vol(ts timestamptz, close float8, periods_per_year float8) (
	SFUNC = realized_vol_sfunc, STYPE = float8[], FINALFUNC = realized_vol_final,
	COMBINEFUNC = realized_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE realized_vol(ts timestamptz, close float8, periods_per_year float8,
							  zero_mean boolean) (
	SFUNC = realized_vol_sfunc, STYPE = float8[], FINALFUNC = realized_vol_final,
	COMBINEFUNC = realized_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE realized_vol(timestamptz, float8) IS
'close-to-close realized vol: sample stdev of log returns x sqrt(252); NULL below three closes';

CREATE FUNCTION ohlc_vol_sfunc(state float8[], ts timestamptz, open float8, high float8,
							   low float8, close float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ohlc_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ohlc_vol_sfunc(state float8[], ts timestamptz, open float8, high float8,
							   low float8, close float8, periods_per_year float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ohlc_vol_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ohlc_vol_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'ohlc_vol_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION parkinson_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'parkinson_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION garman_klass_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'garman_klass_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rogers_satchell_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'rogers_satchell_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION yang_zhang_vol_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'yang_zhang_vol_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE parkinson_vol(ts timestamptz, open float8, high float8, low float8, close float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = parkinson_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE parkinson_vol(ts timestamptz, open float8, high float8, low float8, close float8,
							   periods_per_year float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = parkinson_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE parkinson_vol(timestamptz, float8, float8, float8, float8) IS
'Parkinson (high-low range) realized vol, annualised x sqrt(252)';
CREATE AGGREGATE garman_klass_vol(ts timestamptz, open float8, high float8, low float8, close float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = garman_klass_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE garman_klass_vol(ts timestamptz, open float8, high float8, low float8, close float8,
								  periods_per_year float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = garman_klass_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE garman_klass_vol(timestamptz, float8, float8, float8, float8) IS
'Garman-Klass (OHLC, open-to-close) realized vol, annualised x sqrt(252)';
CREATE AGGREGATE rogers_satchell_vol(ts timestamptz, open float8, high float8, low float8, close float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = rogers_satchell_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE rogers_satchell_vol(ts timestamptz, open float8, high float8, low float8, close float8,
									 periods_per_year float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = rogers_satchell_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rogers_satchell_vol(timestamptz, float8, float8, float8, float8) IS
'Rogers-Satchell (OHLC, drift-independent) realized vol, annualised x sqrt(252)';
CREATE AGGREGATE yang_zhang_vol(ts timestamptz, open float8, high float8, low float8, close float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = yang_zhang_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
CREATE AGGREGATE yang_zhang_vol(ts timestamptz, open float8, high float8, low float8, close float8,
								periods_per_year float8) (
	SFUNC = ohlc_vol_sfunc, STYPE = float8[], FINALFUNC = yang_zhang_vol_final,
	COMBINEFUNC = ohlc_vol_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE yang_zhang_vol(timestamptz, float8, float8, float8, float8) IS
'Yang-Zhang (overnight + open-to-close + Rogers-Satchell) realized vol, annualised x sqrt(252)';

-- IV rank and percentile of the latest row (greatest ts) within the rows given.
CREATE FUNCTION iv_rank_sfunc(state float8[], ts timestamptz, iv float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'iv_rank_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iv_rank_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'iv_rank_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iv_rank_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'iv_rank_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iv_percentile_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'iv_percentile_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE iv_rank(ts timestamptz, iv float8) (
	SFUNC = iv_rank_sfunc, STYPE = float8[], FINALFUNC = iv_rank_final,
	COMBINEFUNC = iv_rank_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE iv_rank(timestamptz, float8) IS
'(latest - min) / (max - min) over the rows: 0 at a low, 1 at a high; NULL when flat';
CREATE AGGREGATE iv_percentile(ts timestamptz, iv float8) (
	SFUNC = iv_rank_sfunc, STYPE = float8[], FINALFUNC = iv_percentile_final,
	COMBINEFUNC = iv_rank_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE iv_percentile(timestamptz, float8) IS
'share of the other rows whose iv is below the latest row''s, in [0, 1]';

-- Probabilities under the risk-neutral lognormal model (drift r - q).
CREATE FUNCTION prob_itm(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8 AS 'MODULE_PATHNAME', 'prob_itm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prob_itm(text, float8, float8, float8, float8, float8, float8) IS
'risk-neutral probability of finishing in the money: N(d2) for a call, N(-d2) for a put';
CREATE FUNCTION prob_touch(spot float8, level float8, t float8, vol float8,
						   r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8 AS 'MODULE_PATHNAME', 'prob_touch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prob_touch(float8, float8, float8, float8, float8, float8) IS
'risk-neutral probability that the price reaches level (above or below spot) before t';

-- short_strikes: a position's short option legs with the probability that each finishes
-- in the money and that the underlying touches its strike before its expiry (prob_itm,
-- prob_touch of 45_dashboard.sql), at one vol or at each leg's own vol.
CREATE FUNCTION short_strikes(s strategy, spot float8, as_of timestamptz, vol float8,
							  r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS TABLE (leg int, kind text, strike float8, expiry timestamptz, qty float8, t float8,
			   prob_itm float8, prob_touch float8)
AS 'MODULE_PATHNAME', 'short_strikes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION short_strikes(strategy, float8, timestamptz, float8, float8, float8) IS
'per short option leg: its probability of finishing in the money and of its strike being touched';
CREATE FUNCTION short_strikes(s strategy, spot float8, as_of timestamptz, vols float8[],
							  r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS TABLE (leg int, kind text, strike float8, expiry timestamptz, qty float8, t float8,
			   prob_itm float8, prob_touch float8)
AS 'MODULE_PATHNAME', 'short_strikes_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION short_strikes(strategy, float8, timestamptz, float8[], float8, float8) IS
'short_strikes with one vol per leg, in legs() order';

ALTER EXTENSION condor ADD TYPE skew[];

-- Marking from the market (57_marking.sql).

CREATE TYPE mark AS (value float8, pnl float8, legs_quoted int, legs_missing int[], status text);
COMMENT ON TYPE mark IS
'a position marked from quotes: value and pnl in currency (NULL when a leg has no usable quote), the legs() numbers of the legs without one, and why';

CREATE FUNCTION strategy_mark_sfunc(float8[], s strategy, cp text, strike float8,
									expiry timestamptz, bid float8, ask float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'strategy_mark_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_mark_sfunc(float8[], s strategy, cp text, strike float8,
									expiry timestamptz, bid float8, ask float8, fill text)
RETURNS float8[] AS 'MODULE_PATHNAME', 'strategy_mark_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_mark_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_mark_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_mark_final(float8[]) RETURNS mark
AS 'MODULE_PATHNAME', 'strategy_mark_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE strategy_mark(s strategy, cp text, strike float8, expiry timestamptz,
							   bid float8, ask float8) (
	SFUNC = strategy_mark_sfunc, STYPE = float8[], FINALFUNC = strategy_mark_final,
	COMBINEFUNC = strategy_mark_combine, PARALLEL = SAFE
);
CREATE AGGREGATE strategy_mark(s strategy, cp text, strike float8, expiry timestamptz,
							   bid float8, ask float8, fill text) (
	SFUNC = strategy_mark_sfunc, STYPE = float8[], FINALFUNC = strategy_mark_final,
	COMBINEFUNC = strategy_mark_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE strategy_mark(strategy, text, float8, timestamptz, float8, float8) IS
'the position valued at the mids of its legs'' quotes: (value, pnl, legs_quoted, legs_missing, status)';
COMMENT ON AGGREGATE strategy_mark(strategy, text, float8, timestamptz, float8, float8, text) IS
'the position valued at its legs'' quotes, fill ''mid'', ''natural'' (closing: longs at the bid, shorts at the ask) or ''mark'' (mid, one-sided markets conservatively)';

CREATE FUNCTION market_greeks_sfunc(float8[], s strategy, cp text, strike float8,
									expiry timestamptz, bid float8, ask float8, spot float8,
									as_of timestamptz, r float8, q float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'market_greeks_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION market_greeks_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'market_greeks_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION market_greeks_final(float8[]) RETURNS greeks
AS 'MODULE_PATHNAME', 'market_greeks_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION market_vols_final(float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'market_vols_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION market_greeks_status_final(float8[]) RETURNS text
AS 'MODULE_PATHNAME', 'market_greeks_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE market_greeks(s strategy, cp text, strike float8, expiry timestamptz,
							   bid float8, ask float8, spot float8, as_of timestamptz,
							   r float8, q float8) (
	SFUNC = market_greeks_sfunc, STYPE = float8[], FINALFUNC = market_greeks_final,
	COMBINEFUNC = market_greeks_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE market_greeks(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8) IS
'the position''s Greeks in currency, each leg at the BSM vol implied by its quote''s mid; NULL when a leg has none (market_greeks_status says why)';
CREATE AGGREGATE market_vols(s strategy, cp text, strike float8, expiry timestamptz,
							 bid float8, ask float8, spot float8, as_of timestamptz,
							 r float8, q float8) (
	SFUNC = market_greeks_sfunc, STYPE = float8[], FINALFUNC = market_vols_final,
	COMBINEFUNC = market_greeks_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE market_vols(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8) IS
'each leg''s BSM vol implied by its quote''s mid, in legs() order: NULL where none, 0 for U and expired legs';
CREATE AGGREGATE market_greeks_status(s strategy, cp text, strike float8, expiry timestamptz,
									  bid float8, ask float8, spot float8, as_of timestamptz,
									  r float8, q float8) (
	SFUNC = market_greeks_sfunc, STYPE = float8[], FINALFUNC = market_greeks_status_final,
	COMBINEFUNC = market_greeks_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE market_greeks_status(strategy, text, float8, timestamptz, float8, float8, float8, timestamptz, float8, float8) IS
'''ok'', or which legs have no market vol and why';

-- Distance to trouble and time value, at one vol or one vol per leg (legs() order).
CREATE FUNCTION breakeven_distance(s strategy, spot float8, as_of timestamptz, vol float8,
								   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_breakeven_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION breakeven_distance(s strategy, spot float8, as_of timestamptz, vols float8[],
								   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_breakeven_distance_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION breakeven_distance(strategy, float8, timestamptz, float8, float8, float8) IS
'standard deviations (vol sqrt t to the first expiry) from spot to the nearest break-even of the first-expiry line; negative when spot is where the position loses';
CREATE FUNCTION extrinsic(s strategy, spot float8, as_of timestamptz, vol float8,
						  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_extrinsic' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION extrinsic(s strategy, spot float8, as_of timestamptz, vols float8[],
						  r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_extrinsic_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION extrinsic(strategy, float8, timestamptz, float8, float8, float8) IS
'time value of the position in currency: model value minus intrinsic value at spot, qty x multiplier';
CREATE FUNCTION leg_extrinsic(s strategy, spot float8, as_of timestamptz, vol float8,
							  r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS TABLE (leg int, kind text, strike float8, expiry timestamptz, qty float8,
			   price float8, intrinsic float8, extrinsic float8, position_extrinsic float8)
AS 'MODULE_PATHNAME', 'strategy_leg_extrinsic' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
CREATE FUNCTION leg_extrinsic(s strategy, spot float8, as_of timestamptz, vols float8[],
							  r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS TABLE (leg int, kind text, strike float8, expiry timestamptz, qty float8,
			   price float8, intrinsic float8, extrinsic float8, position_extrinsic float8)
AS 'MODULE_PATHNAME', 'strategy_leg_extrinsic_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION leg_extrinsic(strategy, float8, timestamptz, float8, float8, float8) IS
'per leg: model price, intrinsic value and time value per unit, and the time value in currency';

ALTER EXTENSION condor ADD TYPE mark[];

-- The SSVI surface (42_ssvi.sql, issue 15).

-- ssvi: the SSVI surface of Gatheral and Jacquier (2014) over all expiries of one
-- quote time, w(k, t) = theta_t/2 (1 + rho phi k + sqrt((phi k + rho)^2 + 1 - rho^2)),
-- phi = eta / (theta_t^gamma (1 + theta_t)^(1 - gamma)); theta_t through the nodes
-- (t, theta): linear in t between them, flat ATM vol outside.  A plain value: its text
-- form round-trips exactly.
CREATE TYPE ssvi AS (
	rho		float8,
	eta		float8,
	gamma	float8,
	t		float8[],
	theta	float8[],
	rmse	float8
);
COMMENT ON TYPE ssvi IS
'SSVI surface: rho, eta, gamma of the power-law phi, the ATM total variance theta at the nodes t (years), and the fit''s rmse in total variance';

CREATE FUNCTION ssvi_sfunc(state float8[], t float8, k float8, w float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_sfunc(state float8[], t float8, k float8, w float8, weight float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_ts_sfunc(state float8[], as_of timestamptz, expiry timestamptz, k float8,
							  w float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_ts_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_ts_sfunc(state float8[], as_of timestamptz, expiry timestamptz, k float8,
							  w float8, weight float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_ts_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_ts_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'ssvi_ts_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_final(state float8[])
RETURNS ssvi AS 'MODULE_PATHNAME', 'ssvi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_ts_final(state float8[])
RETURNS ssvi AS 'MODULE_PATHNAME', 'ssvi_ts_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'ssvi_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ssvi_ts_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'ssvi_ts_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE ssvi_fit(t float8, k float8, w float8) (
	SFUNC = ssvi_sfunc, STYPE = float8[], FINALFUNC = ssvi_final,
	COMBINEFUNC = ssvi_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit(t float8, k float8, w float8, weight float8) (
	SFUNC = ssvi_sfunc, STYPE = float8[], FINALFUNC = ssvi_final,
	COMBINEFUNC = ssvi_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit(as_of timestamptz, expiry timestamptz, k float8, w float8) (
	SFUNC = ssvi_ts_sfunc, STYPE = float8[], FINALFUNC = ssvi_ts_final,
	COMBINEFUNC = ssvi_ts_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit(as_of timestamptz, expiry timestamptz, k float8, w float8,
						  weight float8) (
	SFUNC = ssvi_ts_sfunc, STYPE = float8[], FINALFUNC = ssvi_ts_final,
	COMBINEFUNC = ssvi_ts_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ssvi_fit(float8, float8, float8) IS
'arbitrage-free SSVI surface fitted to one quote time''s (t years, k = ln(K/F), w = vol^2 t) points; NULL with fewer than two expiries of three strikes';
COMMENT ON AGGREGATE ssvi_fit(timestamptz, timestamptz, float8, float8) IS
'ssvi_fit with t = year_frac(as_of, expiry); expiries at or before as_of are left out';

CREATE AGGREGATE ssvi_fit_status(t float8, k float8, w float8) (
	SFUNC = ssvi_sfunc, STYPE = float8[], FINALFUNC = ssvi_status_final,
	COMBINEFUNC = ssvi_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit_status(t float8, k float8, w float8, weight float8) (
	SFUNC = ssvi_sfunc, STYPE = float8[], FINALFUNC = ssvi_status_final,
	COMBINEFUNC = ssvi_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit_status(as_of timestamptz, expiry timestamptz, k float8, w float8) (
	SFUNC = ssvi_ts_sfunc, STYPE = float8[], FINALFUNC = ssvi_ts_status_final,
	COMBINEFUNC = ssvi_ts_combine, PARALLEL = SAFE
);
CREATE AGGREGATE ssvi_fit_status(as_of timestamptz, expiry timestamptz, k float8, w float8,
								 weight float8) (
	SFUNC = ssvi_ts_sfunc, STYPE = float8[], FINALFUNC = ssvi_ts_status_final,
	COMBINEFUNC = ssvi_ts_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ssvi_fit_status(float8, float8, float8) IS '''ok'' or why ssvi_fit is NULL for these points';
COMMENT ON AGGREGATE ssvi_fit_status(timestamptz, timestamptz, float8, float8) IS '''ok'' or why ssvi_fit is NULL for these points';

CREATE FUNCTION ssvi_w(s ssvi, k float8, t float8)
RETURNS float8 AS 'MODULE_PATHNAME', 'ssvi_w' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ssvi_w(ssvi, float8, float8) IS
'total implied variance of the surface at k = ln(K/F) and t years';
CREATE FUNCTION ssvi_vol(s ssvi, k float8, t float8)
RETURNS float8 AS 'MODULE_PATHNAME', 'ssvi_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ssvi_vol(ssvi, float8, float8) IS
'implied vol sqrt(w/t) of the surface at k = ln(K/F) and t years';
CREATE FUNCTION ssvi_calendar_free(s ssvi)
RETURNS boolean AS 'MODULE_PATHNAME', 'ssvi_calendar_free' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ssvi_calendar_free(ssvi) IS
'no calendar-spread arbitrage (Gatheral-Jacquier Theorem 4.1): theta non-decreasing and the phi condition';
CREATE FUNCTION ssvi_butterfly_free(s ssvi)
RETURNS boolean AS 'MODULE_PATHNAME', 'ssvi_butterfly_free' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ssvi_butterfly_free(ssvi) IS
'Gatheral-Jacquier Theorem 4.2 for every theta > 0: theta phi (1 + |rho|) < 4 and theta phi^2 (1 + |rho|) <= 4';

ALTER EXTENSION condor ADD TYPE ssvi[];

-- bs_delta ... bs_charm: one field of bs_greeks as a plain float8, bit for bit, for
-- tools that read one column and no composite type, and for sums at the level of the
-- call (which a parallel plan runs in its workers).  Units as in type greeks.
CREATE FUNCTION bs_delta(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_delta'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_delta(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton delta: dV/dS, per 1 of underlying (the delta field of bs_greeks)';
CREATE FUNCTION bs_gamma(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_gamma'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_gamma(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton gamma: d2V/dS2, per 1 of underlying squared (the gamma field of bs_greeks)';
CREATE FUNCTION bs_vega(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_vega'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_vega(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton vega: dV/dvol x 0.01, per vol point (the vega field of bs_greeks)';
CREATE FUNCTION bs_theta(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_theta'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_theta(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton theta: -dV/dT / 365, per calendar day (the theta field of bs_greeks)';
CREATE FUNCTION bs_rho(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_rho'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_rho(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton rho: dV/dr x 0.01, per 1% of rate (the rho field of bs_greeks)';
CREATE FUNCTION bs_phi(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_phi'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_phi(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton phi: dV/dq x 0.01, per 1% of yield (the phi field of bs_greeks)';
CREATE FUNCTION bs_vanna(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_vanna'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_vanna(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton vanna: d2V/dS dvol x 0.01, change of delta per vol point (the vanna field of bs_greeks)';
CREATE FUNCTION bs_volga(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_volga'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_volga(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton volga: d2V/dvol2 x 0.0001, change of vega per vol point (the volga field of bs_greeks)';
CREATE FUNCTION bs_charm(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_charm'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_charm(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton charm: -d delta/dT / 365, change of delta per calendar day (the charm field of bs_greeks)';
