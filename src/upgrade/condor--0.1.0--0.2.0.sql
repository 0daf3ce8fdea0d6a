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
