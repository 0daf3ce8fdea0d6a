-- test/bench/setup.sql -- the benchmark table: :rows synthetic SPX-like quotes with
-- seven columns (cp and six float8), deterministic, plus a straightforward PL/pgSQL
-- Black-Scholes for comparison.
CREATE EXTENSION condor;
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
