-- A full-size chain of one quote time (2 expiries x 2000 strikes, calls and puts) and a
-- year of one-minute quote times (390 x 252) with :strikes strikes per expiry, for
-- vix_index; and 200-point smile slices for svi_fit.
CREATE TABLE vix_full AS
SELECT timestamptz '2025-09-15 14:30+00' AS as_of, e AS expiry, cp, k AS strike,
       greatest(p - 0.05, 0) AS bid, p + 0.05 AS ask, 0.045::float8 AS rate
FROM (VALUES (timestamptz '2025-10-10 20:00+00'), (timestamptz '2025-10-17 20:00+00')) x(e),
     LATERAL (SELECT 3000 + 1.5 * g AS k FROM generate_series(0, 1999) g) ks,
     (VALUES ('C'), ('P')) c(cp),
     LATERAL bs_price(cp, 5800, k, year_frac('2025-09-15 14:30+00', e), 0.15 + 0.5 * ln(5800 / k)^2, 0.045, 0.013) p;

CREATE TABLE vix_year AS
SELECT m AS as_of, m + d * interval '1 day' AS expiry, cp, k::float8 AS strike,
       greatest(p - 0.05, 0) AS bid, p + 0.05 AS ask, 0.045::float8 AS rate
FROM (SELECT timestamptz '2025-01-02 14:30+00' + (g / 390) * interval '1 day' + (g % 390) * interval '1 minute' AS m
      FROM generate_series(0, 390 * 252 - 1) g) mm,
     (VALUES (25), (35)) dd(d),
     LATERAL (SELECT 5800 + 25 * (g - :strikes / 2) AS k FROM generate_series(0, :strikes - 1) g) ks,
     (VALUES ('C'), ('P')) c(cp),
     LATERAL bs_price(cp, 5800, k, d / 365.0, 0.15, 0.045, 0.013) p;
VACUUM ANALYZE vix_year;

CREATE TABLE svi_slices AS
SELECT e AS expiry, k, (0.02 + 0.1 * (-0.4 * (k - 0.05) + sqrt((k - 0.05)^2 + 0.04))) * (1 + 0.001 * sin(e * 7 + k * 50)) AS w
FROM generate_series(1, 50) e, LATERAL (SELECT -0.6 + 1.2 * g / 199.0 AS k FROM generate_series(0, 199) g) ks;

-- an SSVI surface of 20 expiries (1 week to 1 year) x 200 strikes, with a 0.1% ripple
CREATE TABLE ssvi_chain AS
SELECT t, k, ssvi_w(ROW(-0.7, 1.2, 0.4, ARRAY[7 / 365.0, 1.0], ARRAY[0.0004, 0.03], NULL)::ssvi, k, t)
             * (1 + 0.001 * sin(t * 70 + k * 50)) AS w
FROM (SELECT 7 / 365.0 * (365 / 7.0) ^ (e / 19.0) AS t FROM generate_series(0, 19) e) x,
     LATERAL (SELECT -0.6 + 0.9 * g / 199.0 AS k FROM generate_series(0, 199) g) ks;
