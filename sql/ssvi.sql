-- The SSVI surface (Gatheral-Jacquier) over all expiries of one quote time.

-- 1. Noiseless points of a known arbitrage-free surface come back: rho -0.7, eta 1.2,
--    gamma 0.4, theta 0.0012 .. 0.04 at 7 days .. 1 year; 5 expiries, 33 strikes each.
CREATE TEMP TABLE truth AS
SELECT ROW(-0.7, 1.2, 0.4, ARRAY[7 / 365.0, 30 / 365.0, 0.25, 0.5, 1.0],
           ARRAY[0.0012, 0.0035, 0.0105, 0.02, 0.04], NULL)::ssvi AS s;
CREATE TEMP TABLE pts AS
SELECT t, k, ssvi_w(s, k, t) AS w, 1 + 0.5 * cos(7 * k) AS weight
FROM truth, unnest((s).t) t, generate_series(-0.6, 0.2, 0.025) k;
SELECT round((f).rho::numeric, 9) AS rho, round((f).eta::numeric, 9) AS eta,
       round((f).gamma::numeric, 9) AS gamma, array_length((f).t, 1) AS expiries,
       (f).rmse < 1e-12 AS exact
FROM (SELECT ssvi_fit(t, k, w) AS f FROM pts) x;
-- every parameter and node within 1e-9 (absolute; theta relative), weighted or not
SELECT greatest(abs((f).rho - (s).rho), abs((f).eta - (s).eta), abs((f).gamma - (s).gamma),
                (SELECT max(abs(a.x / b.x - 1)) FROM unnest((f).theta) WITH ORDINALITY a(x, i)
                 JOIN unnest((s).theta) WITH ORDINALITY b(x, i) USING (i))) < 1e-9 AS within_1e9,
       (f).t = (s).t AS same_nodes
FROM truth, (SELECT ssvi_fit(t, k, w) AS f FROM pts UNION ALL
             SELECT ssvi_fit(t, k, w, weight) FROM pts) x;
-- the timestamp form: t = year_frac(as_of, expiry), expiries at or before as_of left out
SELECT round((f).rho::numeric, 9) AS rho, round((f).eta::numeric, 9) AS eta,
       round((f).gamma::numeric, 9) AS gamma, array_length((f).t, 1) AS expiries
FROM (SELECT ssvi_fit(as_of, as_of + make_interval(secs => t * 365 * 86400), k, w) AS f
      FROM (SELECT timestamptz '2025-09-15 14:30+00' AS as_of, * FROM pts
            UNION ALL SELECT '2025-09-15 14:30+00', -0.01, 0.1, 0.02, 1) p) x;

-- 2. Evaluation against the formula written out in SQL: theta_t linear in t between the
--    nodes, theta_1 t / t_1 before the first and theta_n t / t_n after the last (in the
--    C code's order of operations, so theta comes out with the same bits).
CREATE TEMP TABLE grid AS
SELECT s, k, t,
       CASE WHEN t <= (s).t[1] THEN (s).theta[1] * (t / (s).t[1])
            WHEN t >= (s).t[5] THEN (s).theta[5] * (t / (s).t[5])
            ELSE (SELECT CASE WHEN t = (s).t[i + 1] THEN (s).theta[i + 1]
                              ELSE (s).theta[i] + ((s).theta[i + 1] - (s).theta[i]) * ((t - (s).t[i]) / ((s).t[i + 1] - (s).t[i])) END
                  FROM generate_series(1, 4) i WHERE t > (s).t[i] AND t <= (s).t[i + 1]) END AS th
FROM truth, generate_series(-1.0, 0.5, 0.1) k,
     unnest(ARRAY[1 / 365.0, 7 / 365.0, 0.1, 0.25, 0.3, 0.9, 1.0, 2.5]) t;
SELECT count(*) AS points,
       max(abs(ssvi_w(s, k, t) / w - 1)) < 1e-14 AS w_matches,
       max(abs(ssvi_vol(s, k, t) / sqrt(w / t) - 1)) < 1e-14 AS vol_matches,
       bool_and(ssvi_w(s, 0, t) = th) AS atm_is_theta
FROM (SELECT s, k, t, th,
             th / 2 * (1 + (s).rho * phi * k + sqrt((phi * k + (s).rho) ^ 2 + 1 - (s).rho ^ 2)) AS w
      FROM (SELECT *, (s).eta / (th ^ (s).gamma * (1 + th) ^ (1 - (s).gamma)) AS phi FROM grid) g) x;
SELECT round(ssvi_vol(s, 0, 0.25)::numeric, 10) AS atm_3m, round(ssvi_vol(s, -0.2, 0.25)::numeric, 10) AS put_3m,
       round(ssvi_vol(s, 0, 3)::numeric, 10) AS atm_3y_flat
FROM truth;

-- a plain value: through text and back, the same surface
SELECT f::text::ssvi = f AS text_roundtrip, ssvi_w(f::text::ssvi, -0.3, 0.4) = ssvi_w(f, -0.3, 0.4) AS same_w
FROM (SELECT ssvi_fit(t, k, w, weight) AS f FROM pts) x;

-- 3. The arbitrage checks on known cases (Gatheral-Jacquier Theorems 4.1 and 4.2; the
--    unit tests scan each surface to confirm).
SELECT name, ssvi_calendar_free(s) AS calendar_free, ssvi_butterfly_free(s) AS butterfly_free
FROM (VALUES
	('typical', ROW(-0.7, 1.2, 0.4, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('gamma 1/2, eta at 2/sqrt(1+|rho|)', ROW(-0.6, 2 / sqrt(1.6), 0.5, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('gamma 0, eta at 4/(1+|rho|)', ROW(0.3, 4 / 1.3, 0, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('theta falls', ROW(-0.7, 1.2, 0.4, '{0.1,0.5,1}', '{0.004,0.003,0.04}', NULL)::ssvi),
	('gamma > 1', ROW(-0.3, 0.5, 1.2, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('gamma < 0 with |rho| near 1', ROW(-0.99, 0.3, -0.5, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('gamma 0.8: the short end', ROW(-0.7, 1.0, 0.8, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('eta (1+|rho|) > 4: the wings', ROW(-0.5, 3.0, 0, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi),
	('theta phi^2 (1+|rho|) > 4', ROW(-0.2, 1.9, 0.5, '{0.1,0.5,1}', '{0.004,0.02,0.04}', NULL)::ssvi)
) c(name, s);
-- a calendar spread where the flag says there is one: total variance falls from t = 0.1
-- to t = 0.5 at every strike
SELECT k, round(ssvi_w(s, k, 0.1)::numeric, 6) AS w_01, round(ssvi_w(s, k, 0.5)::numeric, 6) AS w_05
FROM (SELECT ROW(-0.7, 1.2, 0.4, '{0.1,0.5,1}', '{0.004,0.003,0.04}', NULL)::ssvi AS s) x,
     unnest(ARRAY[-0.2, 0, 0.2]) k;

-- 4. Data with arbitrage (gamma 0.8, theta falling) still give an arbitrage-free fit
SELECT ssvi_calendar_free(f) AS calendar_free, ssvi_butterfly_free(f) AS butterfly_free,
       (f).gamma <= 0.5 AS gamma_in_region, (f).rmse > 1e-4 AS not_exact
FROM (SELECT ssvi_fit(t, k, ssvi_w(ROW(-0.7, 1.0, 0.8, '{0.1,0.5,1}', '{0.004,0.003,0.04}', NULL)::ssvi, k, t)) AS f
      FROM unnest(ARRAY[0.1, 0.5, 1]) t, generate_series(-0.5, 0.3, 0.05) k) x;

-- 5. The order of the rows does not matter: 10 random orders, the same bits
SELECT setseed(0.15);
SELECT count(DISTINCT r.f::text) AS distinct_fits, bool_and(r.f::text = s.f::text) AS all_equal_sorted
FROM generate_series(1, 10) g,
     LATERAL (SELECT ssvi_fit(t, k, w * (1 + 0.01 * sin(40 * k + t)), weight ORDER BY random()) AS f
              FROM pts WHERE g > 0) r,
     (SELECT ssvi_fit(t, k, w * (1 + 0.01 * sin(40 * k + t)), weight ORDER BY t, k) AS f FROM pts) s;

-- under a parallel plan (partial states combined), the same bits
CREATE TABLE ssvi_par AS SELECT * FROM pts;
ANALYZE ssvi_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT ssvi_fit(t, k, w, weight) FROM ssvi_par;
SELECT ssvi_fit(t, k, w, weight) AS par FROM ssvi_par \gset
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT :'par' = ssvi_fit(t, k, w, weight)::text AS parallel_equals_serial FROM ssvi_par;
DROP TABLE ssvi_par;

-- 6. Data that cannot give a surface: NULL, and ssvi_fit_status says why
SELECT ssvi_fit(t, k, w) IS NULL AS one_expiry_null, ssvi_fit_status(t, k, w) AS why
FROM pts WHERE t = 0.25;
SELECT ssvi_fit_status(t, k, w) AS why FROM pts WHERE t = 0.25 OR (t = 0.5 AND k IN (0, 0.1));
SELECT ssvi_fit_status(t, k, w) AS ok FROM pts;
SELECT ssvi_fit_status(timestamptz '2025-09-15', timestamptz '2025-09-01', k, w) AS why FROM pts;
SELECT ssvi_fit_status(t, k, w) AS why FROM pts WHERE false;

-- 7. Errors name the argument or the field
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.err(q) FROM unnest(ARRAY[
	$$SELECT ssvi_fit(t, k, -w) FROM pts$$,
	$$SELECT ssvi_fit(0, 0.1, 0.04)$$,
	$$SELECT ssvi_fit(t, k, w, -1) FROM pts$$,
	$$SELECT ssvi_fit(timestamptz '2025-09-15' + (t > 0.3)::int * interval '1 hour', timestamptz '2026-01-01', k, w) FROM pts$$,
	$$SELECT ssvi_w(ROW(1, 1, 0.5, '{1}', '{0.04}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_vol(ROW(0.1, -1, 0.5, '{1}', '{0.04}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 'NaN', '{1}', '{0.04}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{0.5,0.25}', '{0.02,0.04}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{0.5,1}', '{0.02,0}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{0.5,1}', '{0.02}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{}', '{}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{{1}}', '{{0.04}}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_w(ROW(0.1, 1, 0.5, '{1,NULL}', '{0.04,0.05}', NULL)::ssvi, 0, 1)$$,
	$$SELECT ssvi_calendar_free(ROW(0.1, NULL, 0.5, '{1}', '{0.04}', NULL)::ssvi)$$,
	$$SELECT ssvi_butterfly_free(ROW(0.1, 1, 0.5, NULL, '{0.04}', NULL)::ssvi)$$,
	$$SELECT ssvi_w(s, 0, 0) FROM truth$$,
	$$SELECT ssvi_vol(s, 'Infinity', 1) FROM truth$$]) q;
