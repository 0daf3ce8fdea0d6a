-- The volatility dashboard: constant-maturity implied vol, skew, realized vol, IV rank
-- and percentile, and the probabilities of finishing in the money and of touching a
-- level.  The aggregates collect their rows in a float8[] state (rows.c): not internal,
-- combined by concatenation, sorted before computing, so the result depends neither on
-- row order nor on how a parallel plan split the rows, and the same aggregates serve
-- as window functions (OVER (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)).
-- Rows with a NULL are skipped; invalid values are 22023 naming the argument.

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
