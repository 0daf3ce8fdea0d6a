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

-- bs_delta ... bs_charm: one field of bs_greeks as a plain float8, bit for bit, for
-- tools that read one column and no composite type, and for sums at the level of the
-- call (which a parallel plan runs in its workers).  Units as in type greeks.
CREATE FUNCTION bs_delta(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_delta'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_delta(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton delta: dV/dS, per 1 of underlying (the delta field of bs_greeks)';
CREATE FUNCTION bs_gamma(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_gamma'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_gamma(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton gamma: d2V/dS2, per 1 of underlying squared (the gamma field of bs_greeks)';
CREATE FUNCTION bs_vega(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_vega'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_vega(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton vega: dV/dvol x 0.01, per vol point (the vega field of bs_greeks)';
CREATE FUNCTION bs_theta(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_theta'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_theta(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton theta: -dV/dT / 365, per calendar day (the theta field of bs_greeks)';
CREATE FUNCTION bs_rho(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_rho'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_rho(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton rho: dV/dr x 0.01, per 1% of rate (the rho field of bs_greeks)';
CREATE FUNCTION bs_phi(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_phi'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_phi(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton phi: dV/dq x 0.01, per 1% of yield (the phi field of bs_greeks)';
CREATE FUNCTION bs_vanna(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_vanna'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_vanna(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton vanna: d2V/dS dvol x 0.01, change of delta per vol point (the vanna field of bs_greeks)';
CREATE FUNCTION bs_volga(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_volga'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_volga(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton volga: d2V/dvol2 x 0.0001, change of vega per vol point (the volga field of bs_greeks)';
CREATE FUNCTION bs_charm(cp text, spot float8, strike float8, t float8, vol float8,
						 r float8 DEFAULT 0, q float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'bs_charm'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bs_charm(text, float8, float8, float8, float8, float8, float8) IS
'Black-Scholes-Merton charm: -d delta/dT / 365, change of delta per calendar day (the charm field of bs_greeks)';

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

-- -g: the opposite position; a - b: what one position adds over another (a roll)
CREATE FUNCTION greeks_neg(g greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_neg'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION greeks_sub(a greeks, b greeks)
RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_sub'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR - (RIGHTARG = greeks, FUNCTION = greeks_neg);
CREATE OPERATOR - (LEFTARG = greeks, RIGHTARG = greeks, FUNCTION = greeks_sub);

-- greeks_total: each field summed exactly and rounded once, so the total does not
-- depend on the order of the rows or on how a parallel plan or a cluster split them.
-- The state is a float8[] (not internal): its text form round-trips exactly.
CREATE FUNCTION greeks_total_sfunc(float8[], greeks) RETURNS float8[]
AS 'MODULE_PATHNAME', 'greeks_total_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION greeks_total_combine(float8[], float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'greeks_total_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION greeks_total_final(float8[]) RETURNS greeks
AS 'MODULE_PATHNAME', 'greeks_total_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE greeks_total(greeks) (
	SFUNC = greeks_total_sfunc,
	STYPE = float8[],
	FINALFUNC = greeks_total_final,
	COMBINEFUNC = greeks_total_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE greeks_total(greeks) IS 'field-by-field sum of a column of greeks, exact and rounded once (independent of row order and parallel split)';

-- Time.

CREATE FUNCTION year_frac(start timestamptz, stop timestamptz)
RETURNS float8
AS 'MODULE_PATHNAME', 'year_frac'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_frac(timestamptz, timestamptz) IS
'ACT/365 year fraction from start to stop, to the microsecond (one minute = 1/525600)';

-- STABLE: the close of a session, and whether there is one, can come from the
-- user-editable condor_closures table (80_calendar.sql).
CREATE FUNCTION expiry_ts(expiry date, settlement text DEFAULT 'PM')
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'expiry_ts'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expiry_ts(date, text) IS
'expiry instant: the session close (16:00 or 13:00 New York) for PM settlement, 09:30 for AM; a day without a session means the session before';
