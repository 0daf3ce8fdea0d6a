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
