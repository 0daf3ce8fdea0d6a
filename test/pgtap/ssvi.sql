-- pgTAP: the SSVI surface through SQL, table-driven.
--
--   ssvi_fit            recovers 40 random arbitrage-free surfaces from noiseless points
--                       (3 to 8 expiries, 9 to 25 strikes each, weighted or not)
--   ssvi_w, ssvi_vol    the formula written out in SQL on random surfaces and points
--   the flags           the conditions recomputed in SQL: the calendar one exactly
--                       (Gatheral-Jacquier Theorem 4.1), the butterfly one by scanning
--                       theta phi (1 + |rho|) and theta phi^2 (1 + |rho|) over theta
--                       (Theorem 4.2); cases within 1% of a bound are left out
--   invalid values      the SQLSTATE and the message naming the field
-- Each bar is written beside its check with the disagreement measured when it was set.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(8);
SELECT setseed(0.2026);

-- ---- random surfaces in the fit's region ----
CREATE TEMP TABLE surf AS
SELECT id, rho, gamma, eta, nexp, per, weighted, t, theta
FROM (SELECT id, -0.9 + 1.7 * random() AS rho, 0.5 * random() AS gamma, random() AS u,
             3 + (id % 6) AS nexp, 9 + (id * 7 % 17) AS per, id % 2 = 0 AS weighted,
             0.12 + 0.2 * random() AS v0
      FROM generate_series(1, 40) id) r,
     LATERAL (SELECT least(4 / (1 + abs(rho)),
                           2 / sqrt(CASE WHEN gamma < 0.5 THEN exp((1 - 2 * gamma) * ln(1 - 2 * gamma)
                                                                  - (2 - 2 * gamma) * ln(2 - 2 * gamma))
                                         ELSE 1 END * (1 + abs(rho)))) * (0.1 + 0.85 * u) AS eta) e,
     LATERAL (SELECT array_agg(tt ORDER BY i) AS t, array_agg(v0 * v0 * tt * (1 + 0.05 * i) ORDER BY i) AS theta
              FROM (SELECT i, (5 / 365.0 * (365 / 5.0) ^ (i / (nexp - 1.0)))::float8 AS tt
                    FROM generate_series(0, nexp - 1) i) x) c;
CREATE TEMP TABLE surf_pts AS
SELECT s.id, n.tn AS t, k, ssvi_w(ROW(rho, eta, gamma, s.t, s.theta, NULL)::ssvi, k, n.tn) AS w,
       CASE WHEN weighted THEN 0.3 + random() ELSE 1 END AS weight
FROM surf s, unnest(s.t, s.theta) n(tn, th),
     LATERAL (SELECT -1.2 * (0.15 + 4 * sqrt(th)) + 2 * (0.15 + 4 * sqrt(th)) * j / (per - 1.0) AS k
              FROM generate_series(0, per - 1) j) g;
CREATE TEMP TABLE surf_fit AS
SELECT id, ssvi_fit(t, k, w, weight) AS f FROM surf_pts GROUP BY id;

-- measured: worst 3.6e-15
SELECT is((SELECT count(*) FROM surf s JOIN surf_fit USING (id)
           WHERE greatest(abs((f).rho - s.rho), abs((f).eta - s.eta), abs((f).gamma - s.gamma),
                          (SELECT max(abs(a / b - 1)) FROM unnest((f).theta, s.theta) x(a, b))) < 1e-9
             AND (f).t = s.t AND (f).rmse < 1e-12), 40::bigint,
          'ssvi_fit recovers 40 random noiseless surfaces to 1e-9 (rho, eta, gamma; theta relative)');
SELECT ok((SELECT bool_and(ssvi_calendar_free(f) AND ssvi_butterfly_free(f)) FROM surf_fit),
          'every fitted surface passes both checks');

-- ---- evaluation: the formula in SQL ----
-- theta_t: linear in t between nodes, theta_1 t/t_1 before, theta_n t/t_n after
CREATE FUNCTION pg_temp.theta_at(s ssvi, t float8) RETURNS float8 LANGUAGE sql AS $$
SELECT CASE WHEN t <= (s).t[1] THEN (s).theta[1] * t / (s).t[1]
            WHEN t >= (s).t[n] THEN (s).theta[n] * t / (s).t[n]
            ELSE (SELECT (s).theta[i] + ((s).theta[i + 1] - (s).theta[i]) * (t - (s).t[i]) / ((s).t[i + 1] - (s).t[i])
                  FROM generate_series(1, n - 1) i WHERE t > (s).t[i] AND t <= (s).t[i + 1]) END
FROM (SELECT cardinality((s).t) AS n) c $$;
CREATE TEMP TABLE eval AS
SELECT s, k, t, th / 2 * (1 + (s).rho * phi * k + sqrt((phi * k + (s).rho) ^ 2 + 1 - (s).rho ^ 2)) AS w
FROM (SELECT s, k, t, th, (s).eta / (th ^ (s).gamma * (1 + th) ^ (1 - (s).gamma)) AS phi
      FROM (SELECT ROW(rho, eta, gamma, t, theta, NULL)::ssvi AS s FROM surf) a,
           LATERAL (SELECT -1.5 + 2 * random() AS k, exp(ln(1 / 365.0) + ln(1500.0) * random()) AS t
                    FROM generate_series(1, 25)) p,
           LATERAL (SELECT pg_temp.theta_at(s, t) AS th) h) b;
-- measured: 1.8e-15 (w), 1.3e-15 (vol)
SELECT cmp_ok((SELECT max(abs(ssvi_w(s, k, t) / w - 1)) FROM eval), '<', 1e-13::float8,
              'ssvi_w against the formula in SQL, 1000 random points on 40 surfaces');
SELECT cmp_ok((SELECT max(abs(ssvi_vol(s, k, t) / sqrt(w / t) - 1)) FROM eval), '<', 1e-13::float8,
              'ssvi_vol against sqrt(w/t)');

-- ---- the flags against the conditions recomputed in SQL ----
CREATE TEMP TABLE flag_cases AS
SELECT id, rho, eta, gamma, ROW(rho, eta, gamma, '{0.1,0.5,1}'::float8[],
               CASE WHEN id % 5 = 0 THEN '{0.004,0.003,0.04}' ELSE '{0.004,0.02,0.04}' END::float8[], NULL)::ssvi AS s
FROM (SELECT id, -0.99 + 1.98 * random() AS rho, 4 * random() AS eta, -1 + 2.5 * random() AS gamma
      FROM generate_series(1, 300) id) r;
-- butterfly: the suprema by a scan of theta from 1e-10 to 1e8 (step 1% in theta).  A
-- supremum that is not attained (as theta -> 0 or infinity) is approached from below:
-- cases within 1% of the bound 4 are left out, and those with gamma just above 1/2 or
-- 1, where theta phi^2 or theta phi grows too slowly as theta -> 0 for the scan to
-- reach 4 (theta^(1 - 2 gamma), theta^(1 - gamma)).
CREATE TEMP TABLE thetas AS SELECT 1e-10::float8 * 1.01::float8 ^ i AS th FROM generate_series(0, 4166) i;
CREATE TEMP TABLE flag_sql AS
SELECT id, gamma, s, ssvi_calendar_free(s) AS cal, ssvi_butterfly_free(s) AS bf,
       (SELECT bool_and(a <= b) FROM unnest((s).theta[1:2], (s).theta[2:3]) x(a, b))
         AND (eta = 0 OR (gamma <= 1 AND rho ^ 2 * (1 - gamma) <= 1 + sqrt(1 - rho ^ 2))) AS cal_sql,
       sup1, sup2
FROM flag_cases,
     LATERAL (SELECT max(th * phi * (1 + abs(rho))) AS sup1, max(th * phi * phi * (1 + abs(rho))) AS sup2
              FROM (SELECT th, eta / (th ^ gamma * (1 + th) ^ (1 - gamma)) AS phi FROM thetas) p) m;
SELECT is((SELECT count(*) FROM flag_sql WHERE cal <> cal_sql), 0::bigint,
          'ssvi_calendar_free is Theorem 4.1 written in SQL, 300 random surfaces');
SELECT is((SELECT count(*) FROM flag_sql
           WHERE bf <> (sup1 < 4 AND sup2 <= 4)
             AND abs(sup1 - 4) > 0.04 AND abs(sup2 - 4) > 0.04
             AND NOT (gamma > 0.5 AND gamma < 0.7) AND NOT (gamma > 1 AND gamma < 1.2)), 0::bigint,
          'ssvi_butterfly_free agrees with the scanned suprema away from the bound');
SELECT cmp_ok((SELECT count(*) FROM flag_sql WHERE bf) * (SELECT count(*) FROM flag_sql WHERE NOT bf)
              * (SELECT count(*) FROM flag_sql WHERE cal) * (SELECT count(*) FROM flag_sql WHERE NOT cal),
              '>', 0::bigint, 'the random cases hold both answers of both flags');

-- ---- invalid values ----
CREATE TEMP TABLE bad (lit text, state text, msg text);
INSERT INTO bad VALUES
	('(1,1,0.5,{1},{0.04},)', '22023', 'invalid ssvi value: rho 1 is not in (-1, 1)'),
	('(-1.5,1,0.5,{1},{0.04},)', '22023', 'invalid ssvi value: rho -1.5 is not in (-1, 1)'),
	('(0.1,-1,0.5,{1},{0.04},)', '22023', 'invalid ssvi value: eta -1 is not finite and non-negative'),
	('(0.1,Infinity,0.5,{1},{0.04},)', '22023', 'invalid ssvi value: eta inf is not finite and non-negative'),
	('(0.1,1,-Infinity,{1},{0.04},)', '22023', 'invalid ssvi value: gamma -inf is not finite'),
	('(0.1,1,0.5,"{1,1}","{0.04,0.05}",)', '22023', 'invalid ssvi value: t 1 (node 2) is not finite, positive and greater than the node before'),
	('(0.1,1,0.5,{-1},{0.04},)', '22023', 'invalid ssvi value: t -1 (node 1) is not finite, positive and greater than the node before'),
	('(0.1,1,0.5,{1},{NaN},)', '22023', 'invalid ssvi value: theta nan (node 1) is not finite and positive'),
	('(0.1,1,0.5,"{1,2}",{0.04},)', '22023', 'invalid ssvi value: 2 t and 1 theta'),
	('(0.1,1,0.5,{},{0.04},)', '22023', 'invalid ssvi field "t"'),
	('(0.1,1,0.5,{1},"{NULL}",)', '22023', 'invalid ssvi field "theta"'),
	('(,1,0.5,{1},{0.04},)', '22004', 'ssvi field "rho" is NULL'),
	('(0.1,1,,{1},{0.04},)', '22004', 'ssvi field "gamma" is NULL'),
	('(0.1,1,0.5,{1},,)', '22004', 'ssvi field "theta" is NULL');
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT is((SELECT count(*) FROM bad b, unnest(ARRAY['w', 'vol', 'calendar_free', 'butterfly_free']) f
           WHERE pg_temp.err(format('SELECT ssvi_%s(%L::ssvi%s)', f, b.lit,
                                    CASE WHEN f IN ('w', 'vol') THEN ', 0.1, 0.5' ELSE '' END))
                 <> b.state || ': ' || b.msg), 0::bigint,
          'invalid ssvi values: 14 cases x 4 functions give the SQLSTATE and the message naming the field');

SELECT * FROM finish();
ROLLBACK;
