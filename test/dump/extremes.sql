-- test/dump/extremes.sql -- adversarial stored values for test/parts/45-extremes.sh:
-- one table per kind of value (s_* strategies, g_* greeks, a_* float8[] states), each
-- (id int, v type), so that a value that cannot be restored names its kind.  Entered in
-- New York time, as a desk would.
--
-- pg_temp.mk(table, refusal, query) creates one table from a query.  When the query
-- fails, the table is missing and the part reports it: a failure, unless refusal names
-- the SQLSTATE under which the README allows condor to refuse such values where they
-- are made (a quantity that overflows: 22003; an expiry outside the years the type
-- holds: 22P02 in a literal).  Values that are accepted must come back identical.
SET TimeZone = 'America/New_York';
CREATE TEMP TABLE refused (tbl text, refusal text, sqlstate text, message text);
CREATE PROCEDURE pg_temp.mk(tbl text, refusal text, query text) LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('CREATE TABLE %I AS %s', tbl, query);
EXCEPTION WHEN OTHERS THEN
	INSERT INTO pg_temp.refused VALUES (tbl, refusal, SQLSTATE, SQLERRM);
END $$;

-- ---- strategies entered as text
CALL pg_temp.mk('s_huge', NULL, $q$ SELECT * FROM (VALUES
	(1, '1e308 C 1e308 2025-12-19T21:00:00Z @ 1e308 x1e308'::strategy),
	(2, '-1.7976931348623157e308 U @ -1.7976931348623157e308 x1.7976931348623157e308'),
	(3, '1 P 1.7976931348623157e308 2025-12-19T21:00:00Z @ -1e308 x1')) v(id, v) $q$);
CALL pg_temp.mk('s_tiny', NULL, $q$ SELECT * FROM (VALUES
	(1, '1e-300 C 1e-300 2025-12-19T21:00:00Z @ 1e-300 x1e-300'::strategy),
	(2, '2.2250738585072014e-308 P 2.2250738585072014e-308 2025-12-19T21:00:00Z @ -2.2250738585072014e-308 x2.2250738585072014e-308')) v(id, v) $q$);
CALL pg_temp.mk('s_subnormal_text', NULL, $q$ SELECT * FROM (VALUES
	(1, '4.9e-324 C 100 2025-12-19T21:00:00Z @ 3'::strategy),
	(2, '1 C 1e-320 2025-12-19T21:00:00Z @ -4.9e-324 x1e-310')) v(id, v) $q$);
CALL pg_temp.mk('s_zero', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ -0 x100'::strategy),
	(2, '-1 P 100 2025-12-19T21:00:00Z @ 0; 100 U @ -0 x1'),
	(3, ''::strategy)) v(id, v) $q$);
CALL pg_temp.mk('s_legs64', NULL, $q$
SELECT 1 AS id, string_agg(format('%s %s %s %s @ %s x%s', CASE WHEN i % 2 = 0 THEN -i ELSE i END,
	CASE WHEN i % 3 = 0 THEN 'P' ELSE 'C' END, 5000 + 7.25 * i,
	to_char(timestamptz '2025-10-31 20:00+00' + i * interval '7 days 1 hour 1.000001 second', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	1.0 / i, 100), '; ')::strategy AS v
FROM generate_series(1, 64) i $q$);
CALL pg_temp.mk('s_fractional', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "2025-12-19 21:00:00.000001+00" @ 3'::strategy),
	(2, '1 C 100 "2025-12-19 21:00:00.999999+00" @ 3; -1 C 100 "2025-12-19 21:00:00.5+00" @ 3.5'),
	(3, '1 P 100 "1999-12-31 23:59:59.999999+00" @ 3')) v(id, v) $q$);
CALL pg_temp.mk('s_dst', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "2025-03-09 02:30" @ 3'::strategy),			-- in the spring-forward gap
	(2, '1 C 100 "2025-11-02 01:30" @ 3'),						-- the fall-back hour, twice
	(3, '1 P 100 "2025-03-09 02:00:00.000001" @ 3; 1 P 100 "2025-11-02 01:59:59.999999" @ 3')) v(id, v) $q$);
CALL pg_temp.mk('s_far_past', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "0001-01-01 00:00:00+00" @ 3'::strategy),
	(2, '1 C 100 "0001-01-01 00:00:00.000001+00" @ 3'),
	(3, '1 C 100 "1000-06-15 12:34:56.789+00" @ 3'),
	(4, '1 C 100 "1582-10-15 00:00:00+00" @ 3')) v(id, v) $q$);
CALL pg_temp.mk('s_far_future', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "9999-12-31 23:59:59.999999+00" @ 3'::strategy),
	(2, '1 C 100 "9999-12-31 00:00:00+00" @ 3'),
	(3, '1 C 100 "2999-12-31 23:59:59.999999+00" @ 3')) v(id, v) $q$);
-- years PostgreSQL holds but the type may refuse (then 22P02, as for any bad expiry)
CALL pg_temp.mk('s_bc', '22P02', $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "4713-01-01 00:00:00+00 BC" @ 3'::strategy),
	(2, '1 C 100 "0044-03-15 12:00:00+00 BC" @ 3'),
	(3, '1 C 100 "0001-12-31 23:59:59+00 BC" @ 3')) v(id, v) $q$);
CALL pg_temp.mk('s_beyond_9999', '22P02', $q$ SELECT * FROM (VALUES
	(1, '1 C 100 "294276-12-31 23:59:59.999999+00" @ 3'::strategy),
	(2, '1 C 100 "10000-01-01 00:00:00+00" @ 3')) v(id, v) $q$);

-- ---- strategies produced by functions
-- two legs of 1e308 merge into one beyond float8: refused (22003) or kept exactly
CALL pg_temp.mk('s_sum_huge', '22003', $q$
SELECT 1 AS id, '1e308 C 100 2025-01-01T21:00:00Z @ 1' :: strategy + '1e308 C 100 2025-01-01T21:00:00Z @ 1' AS v $q$);
CALL pg_temp.mk('s_agg_huge', '22003', $q$
SELECT 1 AS id, strategy_agg(q, 'C', 100, '2025-12-19 21:00+00', 3) AS v FROM (VALUES (1e308), (1e308)) v(q) $q$);
CALL pg_temp.mk('s_scaled', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * 4.9e-324),
	(2, '1 C 100 2025-12-19T21:00:00Z @ 3; -1 P 90 2025-12-19T21:00:00Z @ 2'::strategy * 1e-310),
	(3, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * -0.1),
	(4, '3 C 100 2025-12-19T21:00:00Z @ 3'::strategy * (1 / 3.0)),
	(5, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * 1e300)) v(id, v) $q$);
CALL pg_temp.mk('s_arithmetic', NULL, $q$ SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy + '0.1 C 100 2025-12-19T21:00:00Z @ 3' + '0.2 C 100 2025-12-19T21:00:00Z @ 3'),
	(2, -'1 C 100 "2025-12-19 21:00:00.000001+00" @ 3; 100 U @ 5800 x1'::strategy),
	(3, '-1 P 95 2026-01-16T21:00:00Z @ 2.1'::strategy - '-1 P 90 2025-12-19T21:00:00Z @ 1.5')) v(id, v) $q$);
CALL pg_temp.mk('s_agg', NULL, $q$
SELECT 1 AS id, strategy_agg(q, cp, k, e, p) AS v
FROM (VALUES (1e-300, 'C', 1e300, '2025-12-19 21:00:00.000001+00'::timestamptz, -0.0),
			 (-1e300, 'P', 1e-300, '9999-12-31 23:59:59+00', 1e308),
			 (4.9e-324, 'U', NULL, NULL, 5800)) v(q, cp, k, e, p) $q$);

-- ---- greeks
CALL pg_temp.mk('g_literal', NULL, $q$ SELECT * FROM (VALUES
	(1, '(1e308,-1e308,1.7976931348623157e308,-1.7976931348623157e308,1e308,1e308,1e308,1e308,1e308,1e308)'::greeks),
	(2, '(4.9e-324,-4.9e-324,1e-320,2.2250738585072014e-308,1e-300,0,0,0,0,0)'),
	(3, '(-0,-0,-0,-0,-0,-0,-0,-0,-0,-0)'),
	(4, '(1,,3,4,5,6,7,8,9,)'),
	(5, '(0.1,0.2,0.30000000000000004,1.0000000000000002,0.9999999999999999,1,1,1,1,1)')) v(id, v) $q$);
CALL pg_temp.mk('g_functions', NULL, $q$ SELECT * FROM (VALUES
	(1, bs_greeks('C', 5800, 4640, 1/365.0, 0.11, 0.045, 0.013)),
	(2, bs_greeks('P', 1e-300, 1e300, 1e-300, 1e-300, 0, 0)),
	(3, bs_greeks('C', 100, 100, 0, 0.2)),
	(4, bs_greeks('C', 100, 100, 1, 0)),
	(5, black76_greeks('C', 18.5, 22, 1e-12, 5, 0.045)),
	-- (t = 1e300 here gave NaN fields before; its rho, -t V/100 = -2e598, is now 22003)
	(6, bachelier_greeks('P', -1e300, 1e300, 1, 1e-300, 0)),
	(7, american_greeks('P', 600, 650, 30/365.0, 0.18, 0.045, 0.012)),
	(8, bs_greeks('C', 5800, 5900, 0.125, 0.16, 0.045, 0.013) * 1e300),
	(9, bs_greeks('C', 5800, 5900, 0.125, 0.16, 0.045, 0.013) * -0.0)) v(id, v) $q$);
CALL pg_temp.mk('g_total', NULL, $q$
SELECT 1 AS id, greeks_total(bs_greeks('C', 5800, k, 1e-6, 0.5, 0.045, 0.013) * 1e-300) AS v
FROM generate_series(5000, 6500, 10) k $q$);

-- ---- float8[] states
CALL pg_temp.mk('a_literal', NULL, $q$ SELECT * FROM (VALUES
	(1, '{1e308,-1e308,4.9e-324,-4.9e-324,-0,0,2.2250738585072014e-308,1.7976931348623157e308}'::float8[]),
	(2, '{}'),
	(3, '[0:2]={1,2,3}'),
	(4, '{{1,-0},{4.9e-324,1e308}}')) v(id, v) $q$);
-- states as condor's transition functions build them (the aggregates without their
-- final functions)
CREATE AGGREGATE pg_temp.svi_state(float8, float8, float8) (SFUNC = svi_sfunc, STYPE = float8[]);
CREATE AGGREGATE pg_temp.vix_state(timestamptz, timestamptz, text, float8, float8, float8, float8) (
	SFUNC = vix_sfunc, STYPE = float8[]);
CREATE AGGREGATE pg_temp.xirr_state(float8, timestamptz) (SFUNC = xirr_sfunc, STYPE = float8[]);
CALL pg_temp.mk('a_states', NULL, $q$
SELECT 1 AS id, pg_temp.svi_state(k, w, wt) AS v
FROM (VALUES (4.9e-324, 1e308, -0.0), (-1e-300, 0, 1e-320), (0.1, 0.04, 1)) v(k, w, wt)
UNION ALL
SELECT 2, pg_temp.vix_state('2025-09-15 14:30:00.000001+00', e, cp, k, 1e-300, 1e308, -0.0)
FROM (VALUES ('2025-10-16 13:30:00.999999+00'::timestamptz, 'C', 4.9e-324), ('2099-12-18 21:00:00+00', 'P', 1e308)) v(e, cp, k)
UNION ALL
SELECT 3, pg_temp.xirr_state(a, t)
FROM (VALUES (-1e308, '2025-09-15 14:30:00.000001+00'::timestamptz), (4.9e-324, '0001-01-01 00:00:00+00')) v(a, t) $q$);

-- what could not be created, for the part
SELECT format('refused|%s|%s|%s|%s', tbl, coalesce(refusal, ''), sqlstate, message) FROM pg_temp.refused;
