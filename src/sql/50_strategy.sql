-- Positions as values: the strategy type.  Text form (see README "Positions"):
--   qty kind [strike expiry] @ premium [x multiplier]; ...
-- e.g. '-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 2025-10-31T20:00:00Z @ 8.1'
-- Money is in currency (qty x multiplier).  max_profit is the greatest P&L and max_loss
-- the greatest loss as a positive amount, never clamped at 0 (Infinity when unbounded);
-- net_premium is positive for a credit.

CREATE TYPE strategy;
CREATE FUNCTION strategy_in(cstring) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- stable, not immutable: expiries are parsed in the session's time zone, and a bare date
-- is its PM close on the exchange calendar (condor_closures)
ALTER FUNCTION strategy_in(cstring) STABLE;
CREATE FUNCTION strategy_out(strategy) RETURNS cstring
AS 'MODULE_PATHNAME', 'strategy_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_recv(internal) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_send(strategy) RETURNS bytea
AS 'MODULE_PATHNAME', 'strategy_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE strategy (
	INPUT = strategy_in,
	OUTPUT = strategy_out,
	RECEIVE = strategy_recv,
	SEND = strategy_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE strategy IS 'a position: legs of (qty, kind C/P/U, strike, expiry, premium, multiplier)';

-- comparison (equal positions compare equal: legs are kept in normal form)
CREATE FUNCTION strategy_cmp(strategy, strategy) RETURNS int
AS 'MODULE_PATHNAME', 'strategy_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_eq(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_ne(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_lt(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_le(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_gt(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_ge(strategy, strategy) RETURNS boolean
AS 'MODULE_PATHNAME', 'strategy_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_eq,
				   COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR <> (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_ne,
					COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_lt,
				   COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_le,
					COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_gt,
				   COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_ge,
					COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS strategy_ops DEFAULT FOR TYPE strategy USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 strategy_cmp(strategy, strategy);

-- arithmetic: a roll is new + (-old); * scales every quantity (a size factor)
CREATE FUNCTION strategy_plus(strategy, strategy) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_plus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_minus(strategy, strategy) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_minus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_neg(strategy) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_neg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_scale(strategy, float8) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_scale' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_plus, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = strategy, RIGHTARG = strategy, FUNCTION = strategy_minus);
CREATE OPERATOR - (RIGHTARG = strategy, FUNCTION = strategy_neg);
CREATE OPERATOR * (LEFTARG = strategy, RIGHTARG = float8, FUNCTION = strategy_scale);

-- strategy_agg: a position from leg rows; the state is a strategy (not internal).  A NULL
-- qty, cp, premium or multiplier, or a NULL strike or expiry of an option, is an error
-- (non-strict transition functions: a missing value is never skipped).  A date expiry
-- means its PM close, expiry_ts(date): STABLE, it reads the exchange calendar.
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry timestamptz, premium float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry timestamptz, premium float8, multiplier float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry date, premium float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc_date' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry date, premium float8, multiplier float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc_date' LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry timestamptz, premium float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry timestamptz,
							  premium float8, multiplier float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
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

CREATE FUNCTION legs(s strategy, OUT leg int, OUT qty float8, OUT kind text,
					 OUT strike float8, OUT expiry timestamptz, OUT premium float8,
					 OUT multiplier float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_legs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION legs(strategy) IS 'one row per leg, in normal order';

-- at expiry: exact piecewise-linear algebra (one expiry; several expiries are refused)
CREATE FUNCTION payoff(s strategy, spot float8) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_payoff' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION payoff(strategy, float8) IS 'P&L at expiry in currency, premiums included';
CREATE FUNCTION breakevens(s strategy) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION breakevens(strategy) IS 'every spot where the P&L at expiry crosses or touches zero, ascending';
CREATE FUNCTION max_profit(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_profit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_profit(strategy) IS 'greatest P&L at expiry (negative when every outcome loses; Infinity when unbounded)';
CREATE FUNCTION max_loss(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_loss' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_loss(strategy) IS 'greatest loss at expiry as a positive amount (negative when every outcome wins; Infinity when unbounded)';

-- the expiration line of several expiries: at the first expiry after as_of, later legs
-- by BSM at their vol (equal to the forms above for one expiry)
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
CREATE FUNCTION net_premium(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_net_premium' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION net_premium(strategy) IS 'option premium received (positive) or paid (negative), in currency';
CREATE FUNCTION wing_test(s strategy, spot float8) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_wing_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wing_test(strategy, float8) IS
'how far spot has travelled from the pressed short strike toward its long wing: 0 inside, 1 at the wing, Infinity beyond a naked short';

-- under BSM at a date (vol for every leg, or vols[] in legs() order; each form its own
-- C function, so that none depends on the call's expression tree)
CREATE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vol float8,
							   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vols float8[],
							   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vol float8,
							 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vols float8[],
							 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vol float8,
								r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vols float8[],
								r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION strategy_greeks(strategy, float8, timestamptz, float8, float8, float8) IS
'Greeks of the position in currency (qty x multiplier), units of type greeks';
CREATE FUNCTION pop(s strategy, spot float8, as_of timestamptz, vol float8,
					r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pop' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pop(s strategy, spot float8, as_of timestamptz, vols float8[],
					r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pop_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pop(strategy, float8, timestamptz, float8, float8, float8) IS
'probability that the P&L at the first expiry is positive, risk-neutral lognormal with drift r - q';
COMMENT ON FUNCTION pop(strategy, float8, timestamptz, float8[], float8, float8) IS
'probability that the P&L at the first expiry is positive; the spot''s lognormal at the vol of the first expiry''s leg nearest the forward';
CREATE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vol float8,
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vols float8[],
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION breakevens(strategy, float8, timestamptz, float8, float8, float8) IS
'break-evens of the P&L valued at as_of (the T+n curve), to a few ulp';
CREATE FUNCTION expected_move(spot float8, vol float8, t float8) RETURNS float8
AS 'MODULE_PATHNAME', 'expected_move' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_move(float8, float8, float8) IS 'one-standard-deviation move spot vol sqrt(t)';

CREATE FUNCTION risk_graph(s strategy, spot float8, as_of timestamptz, vol float8,
						   r float8, q float8, lo float8, hi float8, steps int,
						   OUT spot float8, OUT pnl_expiry float8, OUT pnl_now float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_risk_graph' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION risk_graph(s strategy, spot float8, as_of timestamptz, vols float8[],
						   r float8, q float8, lo float8, hi float8, steps int,
						   OUT spot float8, OUT pnl_expiry float8, OUT pnl_now float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_risk_graph_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION risk_graph(strategy, float8, timestamptz, float8, float8, float8, float8, float8, integer) IS
'rows (spot, pnl_expiry, pnl_now) from lo to hi: P&L at the first expiry after as_of (later legs by the model) and at as_of';
CREATE FUNCTION scenario_grid(s strategy, spot float8, as_of timestamptz, vol float8,
							  r float8, q float8, spot_moves float8[], vol_moves float8[],
							  days_forward float8[],
							  OUT spot_move float8, OUT vol_move float8, OUT days float8,
							  OUT spot float8, OUT vol float8, OUT pnl float8,
							  OUT delta float8, OUT gamma float8, OUT vega float8,
							  OUT theta float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_scenario_grid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION scenario_grid(s strategy, spot float8, as_of timestamptz, vols float8[],
							  r float8, q float8, spot_moves float8[], vol_moves float8[],
							  days_forward float8[],
							  OUT spot_move float8, OUT vol_move float8, OUT days float8,
							  OUT spot float8, OUT vol float8, OUT pnl float8,
							  OUT delta float8, OUT gamma float8, OUT vega float8,
							  OUT theta float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_scenario_grid_vols' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION scenario_grid(strategy, float8, timestamptz, float8, float8, float8, float8[], float8[], float8[]) IS
'P&L and Greeks per scenario: spot_moves relative (-0.05 = -5%), vol_moves absolute (0.05 = +5 points), days_forward calendar days';

-- iron_condor: the position from one expiry's quotes
CREATE FUNCTION iron_condor_sfunc(float8[], expiry timestamptz, cp text, strike float8,
								  bid float8, ask float8, delta float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'iron_condor_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iron_condor_sfunc(float8[], expiry timestamptz, cp text, strike float8,
								  bid float8, ask float8, delta float8, target_delta float8,
								  width float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'iron_condor_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iron_condor_sfunc(float8[], expiry timestamptz, cp text, strike float8,
								  bid float8, ask float8, delta float8, target_delta float8,
								  width float8, natural boolean)
RETURNS float8[] AS 'MODULE_PATHNAME', 'iron_condor_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iron_condor_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'iron_condor_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION iron_condor_final(float8[]) RETURNS strategy
AS 'MODULE_PATHNAME', 'iron_condor_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE iron_condor(expiry timestamptz, cp text, strike float8, bid float8,
							 ask float8, delta float8) (
	SFUNC = iron_condor_sfunc, STYPE = float8[], FINALFUNC = iron_condor_final,
	COMBINEFUNC = iron_condor_combine, PARALLEL = SAFE
);
CREATE AGGREGATE iron_condor(expiry timestamptz, cp text, strike float8, bid float8,
							 ask float8, delta float8, target_delta float8, width float8) (
	SFUNC = iron_condor_sfunc, STYPE = float8[], FINALFUNC = iron_condor_final,
	COMBINEFUNC = iron_condor_combine, PARALLEL = SAFE
);
CREATE AGGREGATE iron_condor(expiry timestamptz, cp text, strike float8, bid float8,
							 ask float8, delta float8, target_delta float8, width float8,
							 natural boolean) (
	SFUNC = iron_condor_sfunc, STYPE = float8[], FINALFUNC = iron_condor_final,
	COMBINEFUNC = iron_condor_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE iron_condor(timestamptz, text, float8, float8, float8, float8) IS
'short put and call nearest 16 delta, long wings 50 points out, filled at mid; NULL when the chain cannot form one';
