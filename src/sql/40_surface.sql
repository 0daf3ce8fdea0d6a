-- The volatility index, the implied forward and the smile.  The aggregates collect
-- their rows in a float8[] state (header values, then fixed-width rows): not internal,
-- so partial states cross parallel workers and Citus nodes as text that round-trips
-- exactly; the combine functions concatenate.

-- When the data cannot give a result (vix_index: no term on one side of the target, a
-- term without quotes on both sides; implied_forward: fewer than two strikes; svi_fit:
-- fewer than five points; term_vol: total variance falling) the aggregate is NULL, and
-- its *_status twin over the same rows says why ('ok' when there is a result).
-- Invalid arguments and inconsistent groups (two quotes for one contract) are errors.

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

-- vix_index_strict: NULL unless both terms lie within Cboe's window (more than 23 and
-- less than 37 days for the 30-day index; target -7 to target +7 days in general).
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

-- vix_status: 'ok', or why vix_index is NULL for the same rows.
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
CREATE FUNCTION term_status_final(state float8[])
RETURNS text AS 'MODULE_PATHNAME', 'term_status_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE term_vol_status(t float8, vol float8, target_t float8) (
	SFUNC = term_sfunc, STYPE = float8[], FINALFUNC = term_status_final,
	COMBINEFUNC = term_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE term_vol_status(float8, float8, float8) IS '''ok'' or why term_vol is NULL for these points';
