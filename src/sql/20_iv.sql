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
