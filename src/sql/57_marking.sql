-- Marking from the market: a position valued at the quotes of its legs, its Greeks at
-- the vols its quotes imply, the distance from spot to its nearest break-even, and its
-- time value.  The aggregates run over (position, quote) rows, e.g.
--   SELECT b.id, c.quote_ts, strategy_mark(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask)
--   FROM book b JOIN chain c ON ... GROUP BY b.id, c.quote_ts;
-- each leg finds its quote among the rows (kind, strike, expiry equal; cp 'U' quotes the
-- underlying).  A leg without a usable quote is data: NULL value, and which leg and why.
-- Their state is a float8[] (the legs, then the quotes that match them), combined by
-- concatenation; the result does not depend on row order or the plan's partitioning.

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
