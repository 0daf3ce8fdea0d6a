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
