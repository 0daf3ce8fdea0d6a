-- condor 0.1.0 install script, kept as released so that upgrades from 0.1.0 can be tested.
\echo Use "CREATE EXTENSION condor" to load this file. \quit
-- European pricing and Greeks.  Units (per one unit of underlying):
--   delta dV/dS, gamma d2V/dS2, vega per vol point (dV/dvol x 0.01), theta per
--   calendar day (-dV/dT / 365), rho and phi per 1% (x 0.01), vanna per vol point,
--   volga per vol point squared (x 1e-4), charm change of delta per calendar day.
-- Black-76 and Bachelier: delta and gamma are with respect to the forward, rho holds
-- the forward fixed (-t V / 100), phi is 0 (no yield in those models).

CREATE TYPE greeks AS (
	price	float8,
	delta	float8,
	gamma	float8,
	vega	float8,
	theta	float8,
	rho		float8,
	phi		float8,
	vanna	float8,
	volga	float8,
	charm	float8
);
COMMENT ON TYPE greeks IS 'price and Greeks: delta, gamma per unit; vega, vanna per vol point; theta, charm per calendar day; rho, phi per 1%; volga per vol point squared';

CREATE FUNCTION bs_price(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_price'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_price(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton price; t in years (ACT/365), vol, r, q continuously compounded decimals';

CREATE FUNCTION bs_greeks(cp text, spot float8, strike float8, t float8, vol float8,
						  r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS greeks
AS 'MODULE_PATHNAME', 'bs_greeks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_greeks(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton price and Greeks (units: see type greeks)';

CREATE FUNCTION black76_price(cp text, forward float8, strike float8, t float8,
							  vol float8, r float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'black76_price'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION black76_price(text, float8, float8, float8, float8, float8) IS
'Black-76 price of an option on a future (VIX options off the VIX future)';

CREATE FUNCTION black76_greeks(cp text, forward float8, strike float8, t float8,
							   vol float8, r float8 DEFAULT 0)
RETURNS greeks
AS 'MODULE_PATHNAME', 'black76_greeks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION black76_greeks(text, float8, float8, float8, float8, float8) IS
'Black-76 price and Greeks; delta and gamma with respect to the forward';

CREATE FUNCTION bachelier_price(cp text, forward float8, strike float8, t float8,
								vol float8, r float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bachelier_price'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bachelier_price(text, float8, float8, float8, float8, float8) IS
'Bachelier (normal) price; vol in price units per sqrt(year); any sign of forward and strike';

CREATE FUNCTION bachelier_greeks(cp text, forward float8, strike float8, t float8,
								 vol float8, r float8 DEFAULT 0)
RETURNS greeks
AS 'MODULE_PATHNAME', 'bachelier_greeks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bachelier_greeks(text, float8, float8, float8, float8, float8) IS
'Bachelier price and Greeks; vega per 0.01 of normal vol';

-- Position arithmetic on Greeks.

CREATE FUNCTION greeks_scale(g greeks, factor float8)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_scale'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION greeks_scale(factor float8, g greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_scale_left'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION greeks_add(a greeks, b greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR * (LEFTARG = greeks, RIGHTARG = float8, FUNCTION = greeks_scale,
				   COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = float8, RIGHTARG = greeks, FUNCTION = greeks_scale,
				   COMMUTATOR = *);
CREATE OPERATOR + (LEFTARG = greeks, RIGHTARG = greeks, FUNCTION = greeks_add,
				   COMMUTATOR = +);

-- The state is a greeks value itself (not internal): parallel plans combine partial
-- sums with the same function, and a state's text form round-trips exactly.
CREATE AGGREGATE greeks_total(greeks) (
	SFUNC = greeks_add,
	STYPE = greeks,
	COMBINEFUNC = greeks_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE greeks_total(greeks) IS 'field-by-field sum of a column of greeks';

-- Time.

CREATE FUNCTION year_frac(start timestamptz, stop timestamptz)
RETURNS float8
AS 'MODULE_PATHNAME', 'year_frac'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_frac(timestamptz, timestamptz) IS
'ACT/365 year fraction from start to stop, to the microsecond (one minute = 1/525600)';

CREATE FUNCTION expiry_ts(expiry date, settlement text DEFAULT 'PM')
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'expiry_ts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expiry_ts(date, text) IS
'expiry instant: 16:00 America/New_York for PM settlement, 09:30 for AM settlement';
-- Implied volatility.  A price for which no volatility exists gives NULL (a bad quote in
-- a chain must not abort the query); the *_status companion, with the same arguments,
-- says why:
--   ok               a volatility was found (a price at the intrinsic value gives 0)
--   below_intrinsic  price below the discounted intrinsic value of the forward
--   above_max        price at or above the upper bound (S e^{-qT} for a call,
--                    K e^{-rT} for a put; Black-76: F e^{-rT}, K e^{-rT})
--   no_time_value    t = 0: every volatility gives the same price
--   failed           numerical breakdown (never observed; reported, never hidden)

CREATE FUNCTION implied_vol(price float8, cp text, spot float8, strike float8, t float8,
							r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'implied_vol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION implied_vol(float8, text, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton implied volatility of a price (Jaeckel, Let''s Be Rational); NULL when none exists';

CREATE FUNCTION implied_vol_status(price float8, cp text, spot float8, strike float8,
								   t float8, r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'implied_vol_status'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION implied_vol_status(float8, text, float8, float8, float8, float8, float8) IS
'why implied_vol is or is not NULL: ok, below_intrinsic, above_max, no_time_value, failed';

CREATE FUNCTION black76_implied_vol(price float8, cp text, forward float8, strike float8,
									t float8, r float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'black76_implied_vol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION black76_implied_vol(float8, text, float8, float8, float8, float8) IS
'Black-76 implied volatility of an option on a future; NULL when none exists';

CREATE FUNCTION black76_implied_vol_status(price float8, cp text, forward float8,
										   strike float8, t float8, r float8 DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'black76_implied_vol_status'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bachelier_implied_vol(price float8, cp text, forward float8, strike float8,
									  t float8, r float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bachelier_implied_vol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bachelier_implied_vol(float8, text, float8, float8, float8, float8) IS
'Bachelier (normal) implied volatility in price units per sqrt(year) (Jaeckel 2017); NULL when none exists';

CREATE FUNCTION bachelier_implied_vol_status(price float8, cp text, forward float8,
											 strike float8, t float8, r float8 DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'bachelier_implied_vol_status'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- American options (Andersen-Lake-Offengenden fixed-point method; calls by put-call
-- symmetry).  Same arguments and units as the European functions; "fast" selects the
-- bulk-screening scheme (relative RMSE about 1.2e-6 instead of 6e-9, about four times cheaper).
-- Continuous dividend yield only: discrete dividends are not modelled.

CREATE FUNCTION american_price(cp text, spot float8, strike float8, t float8, vol float8,
							   r float8 DEFAULT 0, q float8 DEFAULT 0, fast boolean DEFAULT false)
RETURNS float8
AS 'MODULE_PATHNAME', 'american_price'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION american_price(text, float8, float8, float8, float8, float8, float8, boolean) IS
'American option price under BSM with continuous yield (Andersen-Lake-Offengenden)';

CREATE FUNCTION american_greeks(cp text, spot float8, strike float8, t float8, vol float8,
								r float8 DEFAULT 0, q float8 DEFAULT 0, fast boolean DEFAULT false)
RETURNS greeks
AS 'MODULE_PATHNAME', 'american_greeks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION american_greeks(text, float8, float8, float8, float8, float8, float8, boolean) IS
'American price and Greeks (units: see type greeks)';

CREATE FUNCTION early_exercise_premium(cp text, spot float8, strike float8, t float8,
									   vol float8, r float8 DEFAULT 0, q float8 DEFAULT 0,
									   fast boolean DEFAULT false)
RETURNS float8
AS 'MODULE_PATHNAME', 'early_exercise_premium'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION early_exercise_premium(text, float8, float8, float8, float8, float8, float8, boolean) IS
'American minus European price: the value of the right to exercise early (never negative)';

CREATE FUNCTION american_implied_vol(price float8, cp text, spot float8, strike float8,
									 t float8, r float8 DEFAULT 0, q float8 DEFAULT 0,
									 fast boolean DEFAULT false)
RETURNS float8
AS 'MODULE_PATHNAME', 'american_implied_vol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION american_implied_vol(float8, text, float8, float8, float8, float8, float8, boolean) IS
'implied volatility of an American price; NULL when none exists (see american_implied_vol_status)';

CREATE FUNCTION american_implied_vol_status(price float8, cp text, spot float8, strike float8,
											t float8, r float8 DEFAULT 0, q float8 DEFAULT 0,
											fast boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'american_implied_vol_status'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- The volatility index, the implied forward and the smile.  The aggregates collect
-- their rows in a float8[] state (header values, then fixed-width rows): not internal,
-- so partial states cross parallel workers and Citus nodes as text that round-trips
-- exactly; the combine functions concatenate.

-- vix_index: the Cboe VIX methodology over the chain rows of one quote time.
CREATE FUNCTION vix_sfunc(state float8[], as_of timestamptz, expiry timestamptz, cp text,
						  strike float8, bid float8, ask float8, rate float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'vix_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION vix_sfunc(state float8[], as_of timestamptz, expiry timestamptz, cp text,
						  strike float8, bid float8, ask float8, rate float8, target_days float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'vix_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION vix_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'vix_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION vix_index_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'vix_index_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE vix_index(as_of timestamptz, expiry timestamptz, cp text, strike float8,
						   bid float8, ask float8, rate float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_index_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);
CREATE AGGREGATE vix_index(as_of timestamptz, expiry timestamptz, cp text, strike float8,
						   bid float8, ask float8, rate float8, target_days float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_index_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8) IS
'VIX-style index (Cboe methodology, 30-day target) over one quote time''s chain rows';
COMMENT ON AGGREGATE vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8, float8) IS
'VIX-style index for any target in days (near term at or before it, next term after it)';

-- vix_terms: the audit lines of the same computation.
CREATE TYPE vix_term AS (
	expiry		timestamptz,
	minutes		float8,
	t			float8,
	rate		float8,
	forward		float8,
	k0			float8,
	strikes		int,
	variance	float8,
	weight		float8,
	k_low		float8,
	k_high		float8
);
CREATE FUNCTION vix_terms_final(state float8[])
RETURNS vix_term[] AS 'MODULE_PATHNAME', 'vix_terms_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE vix_terms(as_of timestamptz, expiry timestamptz, cp text, strike float8,
						   bid float8, ask float8, rate float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_terms_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);
CREATE AGGREGATE vix_terms(as_of timestamptz, expiry timestamptz, cp text, strike float8,
						   bid float8, ask float8, rate float8, target_days float8) (
	SFUNC = vix_sfunc, STYPE = float8[], FINALFUNC = vix_terms_final,
	COMBINEFUNC = vix_combine, PARALLEL = SAFE
);

-- implied_forward: C - P = D (F - K) across the strikes of one expiry.
CREATE TYPE forward_fit AS (
	forward			float8,
	discount		float8,
	rate			float8,
	strikes_used	int,
	residual		float8,
	dividend_yield	float8
);
CREATE FUNCTION forward_sfunc(state float8[], strike float8, call_price float8,
							  put_price float8, t float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'forward_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forward_sfunc(state float8[], strike float8, call_price float8,
							  put_price float8, t float8, spot float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'forward_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forward_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'forward_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forward_final(state float8[])
RETURNS forward_fit AS 'MODULE_PATHNAME', 'forward_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE implied_forward(strike float8, call_price float8, put_price float8, t float8) (
	SFUNC = forward_sfunc, STYPE = float8[], FINALFUNC = forward_final,
	COMBINEFUNC = forward_combine, PARALLEL = SAFE
);
CREATE AGGREGATE implied_forward(strike float8, call_price float8, put_price float8, t float8,
								 spot float8) (
	SFUNC = forward_sfunc, STYPE = float8[], FINALFUNC = forward_final,
	COMBINEFUNC = forward_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE implied_forward(float8, float8, float8, float8) IS
'forward, discount factor and rate implied by put-call parity over one expiry (robust to bad quotes)';

CREATE TYPE parity AS (conversion float8, reversal float8);
CREATE FUNCTION parity_gap(call_bid float8, call_ask float8, put_bid float8, put_ask float8,
						   strike float8, forward float8, discount float8)
RETURNS parity AS 'MODULE_PATHNAME', 'parity_gap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parity_gap(float8, float8, float8, float8, float8, float8, float8) IS
'edge of a conversion ((call_bid - put_ask) - D(F - K)) and a reversal (D(F - K) - (call_ask - put_bid)); positive = arbitrage';

-- svi_fit: raw SVI total variance w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)).
CREATE TYPE svi AS (
	a				float8,
	b				float8,
	rho				float8,
	m				float8,
	sigma			float8,
	rmse			float8,
	butterfly_free	boolean
);
CREATE FUNCTION svi_sfunc(state float8[], k float8, w float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'svi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION svi_sfunc(state float8[], k float8, w float8, weight float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'svi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION svi_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'svi_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION svi_final(state float8[])
RETURNS svi AS 'MODULE_PATHNAME', 'svi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE svi_fit(k float8, w float8) (
	SFUNC = svi_sfunc, STYPE = float8[], FINALFUNC = svi_final,
	COMBINEFUNC = svi_combine, PARALLEL = SAFE
);
CREATE AGGREGATE svi_fit(k float8, w float8, weight float8) (
	SFUNC = svi_sfunc, STYPE = float8[], FINALFUNC = svi_final,
	COMBINEFUNC = svi_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE svi_fit(float8, float8) IS
'raw SVI fit of one expiry''s (k = ln(K/F), w = vol^2 t) points (quasi-explicit method)';

CREATE FUNCTION svi_vol(s svi, k float8, t float8)
RETURNS float8 AS 'MODULE_PATHNAME', 'svi_vol' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION svi_vol(svi, float8, float8) IS 'implied vol sqrt(w(k)/t) of a fitted smile';
CREATE FUNCTION svi_density(s svi, k float8, t float8)
RETURNS float8 AS 'MODULE_PATHNAME', 'svi_density' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION svi_density(svi, float8, float8) IS
'risk-neutral density of k = ln(S_T/F) per unit of k (negative where the smile has butterfly arbitrage)';
CREATE FUNCTION svi_butterfly_free(s svi)
RETURNS boolean AS 'MODULE_PATHNAME', 'svi_butterfly_free' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION svi_butterfly_free(svi) IS 'Gatheral-Jacquier g(k) >= 0 and the wing conditions';

-- term_vol: vol at target_t, linear in total variance between listed tenors.
CREATE FUNCTION term_sfunc(state float8[], t float8, vol float8, target_t float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'term_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION term_combine(a float8[], b float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'term_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION term_final(state float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'term_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE term_vol(t float8, vol float8, target_t float8) (
	SFUNC = term_sfunc, STYPE = float8[], FINALFUNC = term_final,
	COMBINEFUNC = term_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE term_vol(float8, float8, float8) IS
'vol at target_t from one quote time''s (t, vol) points: linear in total variance, flat vol outside';
-- Positions as values: the strategy type.  Text form (see README "Positions"):
--   qty kind [strike expiry] @ premium [x multiplier]; ...
-- e.g. '-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 2025-10-31T20:00:00Z @ 8.1'
-- Money is in currency (qty x multiplier).  max_profit and max_loss are non-negative
-- magnitudes (Infinity when unbounded); net_premium is positive for a credit.

CREATE TYPE strategy;
CREATE FUNCTION strategy_in(cstring) RETURNS strategy
AS 'MODULE_PATHNAME', 'strategy_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- stable, not immutable: expiries are parsed in the session's time zone
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

-- strategy_agg: a position from leg rows; the state is a strategy (not internal)
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry timestamptz, premium float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION strategy_agg_sfunc(strategy, qty float8, cp text, strike float8,
								   expiry timestamptz, premium float8, multiplier float8)
RETURNS strategy AS 'MODULE_PATHNAME', 'strategy_agg_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry timestamptz, premium float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
CREATE AGGREGATE strategy_agg(qty float8, cp text, strike float8, expiry timestamptz,
							  premium float8, multiplier float8) (
	SFUNC = strategy_agg_sfunc, STYPE = strategy, COMBINEFUNC = strategy_plus, PARALLEL = SAFE
);
COMMENT ON AGGREGATE strategy_agg(float8, text, float8, timestamptz, float8) IS
'a strategy from leg rows (cp C/P/U; strike and expiry NULL for U; multiplier 100 for options, 1 for U)';

CREATE FUNCTION legs(s strategy, OUT leg int, OUT qty float8, OUT kind text,
					 OUT strike float8, OUT expiry timestamptz, OUT premium float8,
					 OUT multiplier float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_legs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION legs(strategy) IS 'one row per leg, in normal order';

-- at expiry: exact piecewise-linear algebra
CREATE FUNCTION payoff(s strategy, spot float8) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_payoff' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION payoff(strategy, float8) IS 'P&L at expiry in currency, premiums included';
CREATE FUNCTION breakevens(s strategy) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION breakevens(strategy) IS 'every spot where the P&L at expiry crosses or touches zero, ascending';
CREATE FUNCTION max_profit(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_profit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION max_loss(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_max_loss' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION max_loss(strategy) IS 'largest loss at expiry as a positive amount (Infinity when unbounded)';
CREATE FUNCTION net_premium(s strategy) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_net_premium' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION net_premium(strategy) IS 'option premium received (positive) or paid (negative), in currency';
CREATE FUNCTION wing_test(s strategy, spot float8) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_wing_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wing_test(strategy, float8) IS
'how far spot has travelled from the pressed short strike toward its long wing: 0 inside, 1 at the wing';

-- under BSM at a date (vol for every leg, or vols[] in legs() order)
CREATE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vol float8,
							   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_value(s strategy, spot float8, as_of timestamptz, vols float8[],
							   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vol float8,
							 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_pnl(s strategy, spot float8, as_of timestamptz, vols float8[],
							 r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pnl' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vol float8,
								r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION strategy_greeks(s strategy, spot float8, as_of timestamptz, vols float8[],
								r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS greeks
AS 'MODULE_PATHNAME', 'strategy_greeks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION strategy_greeks(strategy, float8, timestamptz, float8, float8, float8) IS
'Greeks of the position in currency (qty x multiplier), units of type greeks';
CREATE FUNCTION pop(s strategy, spot float8, as_of timestamptz, vol float8,
					r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8
AS 'MODULE_PATHNAME', 'strategy_pop' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pop(strategy, float8, timestamptz, float8, float8, float8) IS
'probability that the P&L at the first expiry is positive, risk-neutral lognormal with drift r - q';
CREATE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vol float8,
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION breakevens(s strategy, spot float8, as_of timestamptz, vols float8[],
						   r float8 DEFAULT 0, q float8 DEFAULT 0) RETURNS float8[]
AS 'MODULE_PATHNAME', 'strategy_breakevens_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
CREATE FUNCTION scenario_grid(s strategy, spot float8, as_of timestamptz, vol float8,
							  r float8, q float8, spot_moves float8[], vol_moves float8[],
							  days_forward float8[],
							  OUT spot_move float8, OUT vol_move float8, OUT days float8,
							  OUT spot float8, OUT vol float8, OUT pnl float8,
							  OUT delta float8, OUT gamma float8, OUT vega float8,
							  OUT theta float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'strategy_scenario_grid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
-- Hedge ratios.  Exposures are a position's Greeks in currency.

CREATE FUNCTION hedge_qty(exposure float8, per_contract float8, fraction float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'hedge_qty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hedge_qty(float8, float8, float8) IS
'contracts that offset fraction of an exposure: -fraction exposure / per_contract (sign included)';

CREATE TYPE hedge AS (qty_a float8, qty_b float8);
CREATE FUNCTION hedge_solve("position" greeks, a greeks, b greeks, first text DEFAULT 'delta',
							second text DEFAULT 'vega')
RETURNS hedge AS 'MODULE_PATHNAME', 'hedge_solve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hedge_solve(greeks, greeks, greeks, text, text) IS
'quantities of instruments a and b (Greeks per contract) that zero two Greeks of the position';

CREATE FUNCTION vix_hedge(position_vega float8, vix_option_delta float8,
						  fraction float8 DEFAULT 0.35, beta float8 DEFAULT 1,
						  multiplier float8 DEFAULT 100)
RETURNS float8 AS 'MODULE_PATHNAME', 'vix_hedge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vix_hedge(float8, float8, float8, float8, float8) IS
'VIX options covering fraction of a position''s dollar vega: -fraction vega beta / (delta multiplier)';

CREATE FUNCTION beta_weighted_delta(delta float8, price float8, beta float8, index_price float8)
RETURNS float8 AS 'MODULE_PATHNAME', 'beta_weighted_delta' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION beta_weighted_delta(float8, float8, float8, float8) IS
'delta in index-equivalent units: delta beta price / index_price';
-- Market signals, as aggregates that run as window functions:
--   rsi(close) OVER (PARTITION BY symbol ORDER BY ts)
-- Their states depend on row order, so they have no combine function (no partial
-- aggregation; they still run inside parallel workers).  NULL until warmed up.
--   ema(x, span): alpha = 2/(span+1), seeded with the mean of the first span values
--   rsi(x, period), rsi(x) = rsi(x, 14): Wilder's smoothing, seeded with the mean of the
--     first period gains and losses; 100 G/(G+L); a series that never moves gives 50
--   macd(x, fast, slow, signal), macd(x) = macd(x, 12, 26, 9): EMA(fast) - EMA(slow),
--     each seeded with its own mean; signal = EMA(signal) of macd; histogram = the gap

CREATE FUNCTION ema_sfunc(float8[], x float8, span int) RETURNS float8[]
AS 'MODULE_PATHNAME', 'ema_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ema_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'ema_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ema(x float8, span int) (
	SFUNC = ema_sfunc, STYPE = float8[], FINALFUNC = ema_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ema(float8, int) IS 'exponential moving average (TA-Lib seeding); use as a window function';

CREATE FUNCTION rsi_sfunc(float8[], x float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'rsi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rsi_sfunc(float8[], x float8, period int) RETURNS float8[]
AS 'MODULE_PATHNAME', 'rsi_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rsi_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'rsi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE rsi(x float8) (
	SFUNC = rsi_sfunc, STYPE = float8[], FINALFUNC = rsi_final, PARALLEL = SAFE
);
CREATE AGGREGATE rsi(x float8, period int) (
	SFUNC = rsi_sfunc, STYPE = float8[], FINALFUNC = rsi_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rsi(float8) IS 'relative strength index, 14 periods, Wilder''s smoothing; use as a window function';

CREATE TYPE macd AS (macd float8, signal float8, histogram float8);
CREATE FUNCTION macd_sfunc(float8[], x float8) RETURNS float8[]
AS 'MODULE_PATHNAME', 'macd_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION macd_sfunc(float8[], x float8, fast int, slow int, signal int) RETURNS float8[]
AS 'MODULE_PATHNAME', 'macd_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION macd_final(float8[]) RETURNS macd
AS 'MODULE_PATHNAME', 'macd_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE macd(x float8) (
	SFUNC = macd_sfunc, STYPE = float8[], FINALFUNC = macd_final, PARALLEL = SAFE
);
CREATE AGGREGATE macd(x float8, fast int, slow int, signal int) (
	SFUNC = macd_sfunc, STYPE = float8[], FINALFUNC = macd_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE macd(float8) IS 'MACD(12, 26, 9): (macd, signal, histogram); use as a window function';

-- Returns.  Order-independent: combine is a concatenation; NULL when no rate exists.
CREATE FUNCTION xirr_sfunc(float8[], amount float8, at date) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION xirr_sfunc(float8[], amount float8, at timestamptz) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION irr_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'irr_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION xirr_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'xirr_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE xirr(amount float8, at date) (
	SFUNC = xirr_sfunc, STYPE = float8[], FINALFUNC = xirr_final,
	COMBINEFUNC = irr_combine, PARALLEL = SAFE
);
CREATE AGGREGATE xirr(amount float8, at timestamptz) (
	SFUNC = xirr_sfunc, STYPE = float8[], FINALFUNC = xirr_final,
	COMBINEFUNC = irr_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE xirr(float8, date) IS
'annualised internal rate of return of dated cash flows (ACT/365); NULL when no rate exists';

CREATE FUNCTION irr_sfunc(float8[], amount float8, period int) RETURNS float8[]
AS 'MODULE_PATHNAME', 'irr_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION irr_final(float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'irr_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE irr(amount float8, period int) (
	SFUNC = irr_sfunc, STYPE = float8[], FINALFUNC = irr_final,
	COMBINEFUNC = irr_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE irr(float8, int) IS 'per-period internal rate of return of evenly spaced flows; NULL when none';
