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
-- Several rates can zero the NPV of flows that change sign more than once: the one
-- returned is where the NPV falls as the rate rises (an investment's rate) nearest the
-- guess (default 0.1, as spreadsheets), else the nearest other one.
CREATE FUNCTION xirr_sfunc(float8[], amount float8, at date) RETURNS float8[]
AS 'MODULE_PATHNAME', 'xirr_date_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
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

-- The same with an explicit guess (the same for every row of a group).
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
