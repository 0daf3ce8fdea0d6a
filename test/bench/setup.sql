-- test/bench/setup.sql -- the benchmark table: :rows synthetic SPX-like quotes with
-- seven columns (cp and six float8), deterministic, plus a straightforward PL/pgSQL
-- Black-Scholes for comparison.
SELECT setseed(0.42);
CREATE TABLE chain AS
SELECT CASE WHEN random() < 0.5 THEN 'C' ELSE 'P' END AS cp,
       5800.0::float8 AS spot,
       (4640 + 5 * floor(random() * 465))::float8 AS strike,
       ((1 + floor(random() * 90)) / 365.0)::float8 AS t,
       (0.10 + 0.25 * random())::float8 AS vol,
       0.045::float8 AS r,
       0.013::float8 AS q
FROM generate_series(1, :rows);
VACUUM ANALYZE chain;

-- What a user would write without condor: textbook formulas, Abramowitz-Stegun 26.2.17
-- for N(x).
CREATE FUNCTION norm_cdf_plpgsql(x float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	k float8 := 1 / (1 + 0.2316419 * abs(x));
	p float8;
BEGIN
	IF abs(x) > 37 THEN
		RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END;
	END IF;
	p := 1 - exp(-x * x / 2) / sqrt(2 * pi()) *
		k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
	IF x < 0 THEN
		RETURN 1 - p;
	END IF;
	RETURN p;
END $$;

CREATE FUNCTION bs_price_plpgsql(cp text, s float8, k float8, t float8, v float8,
								 r float8, q float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	d1 float8 := (ln(s / k) + (r - q + v * v / 2) * t) / (v * sqrt(t));
	d2 float8 := d1 - v * sqrt(t);
BEGIN
	IF upper(cp) IN ('C', 'CALL') THEN
		RETURN s * exp(-q * t) * norm_cdf_plpgsql(d1) - k * exp(-r * t) * norm_cdf_plpgsql(d2);
	END IF;
	RETURN k * exp(-r * t) * norm_cdf_plpgsql(-d2) - s * exp(-q * t) * norm_cdf_plpgsql(-d1);
END $$;

-- The implied-vol chain: prices from known vols over mixed quotes (0-90 days and 0DTE
-- minutes, strikes across +-20% and deep wings), 7 columns.
CREATE TABLE ivchain AS
SELECT cp, spot, strike, t, r, q, bs_price(cp, spot, strike, t, vol, r, q) AS price
FROM (SELECT CASE WHEN random() < 0.5 THEN 'C' ELSE 'P' END AS cp,
             5800.0::float8 AS spot,
             (4640 + 5 * floor(random() * 465))::float8 AS strike,
             CASE WHEN random() < 0.2 THEN (5 + floor(random() * 385)) / 525600.0
                  ELSE (1 + floor(random() * 90)) / 365.0 END::float8 AS t,
             (0.08 + 0.4 * random())::float8 AS vol,
             0.045::float8 AS r, 0.013::float8 AS q
      FROM generate_series(1, :rows)) x;
DELETE FROM ivchain WHERE price < 1e-6;	-- a screen would not carry them
VACUUM ANALYZE ivchain;

-- What a user would write without condor: Newton on the PL/pgSQL price, safeguarded
-- by bisection, to 1e-10 in vol.
CREATE FUNCTION implied_vol_plpgsql(price float8, cp text, s float8, k float8, t float8,
									r float8, q float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	lo float8 := 1e-6;
	hi float8 := 5;
	v float8 := 0.2;
	f float8;
	vega float8;
	d1 float8;
BEGIN
	FOR i IN 1..100 LOOP
		f := bs_price_plpgsql(cp, s, k, t, v, r, q) - price;
		IF abs(f) < 1e-10 * price THEN
			RETURN v;
		END IF;
		IF f > 0 THEN hi := v; ELSE lo := v; END IF;
		d1 := (ln(s / k) + (r - q + v * v / 2) * t) / (v * sqrt(t));
		vega := s * exp(-q * t) * exp(-d1 * d1 / 2) / sqrt(2 * pi()) * sqrt(t);
		IF vega > 1e-12 THEN
			v := v - f / vega;
		END IF;
		IF vega <= 1e-12 OR v <= lo OR v >= hi THEN
			v := (lo + hi) / 2;
		END IF;
		IF hi - lo < 1e-10 THEN
			RETURN v;
		END IF;
	END LOOP;
	RETURN v;
END $$;
