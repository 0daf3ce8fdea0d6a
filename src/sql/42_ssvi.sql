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
