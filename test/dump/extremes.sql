-- test/dump/extremes.sql -- adversarial stored values for test/parts/45-extremes.sh:
-- one table per kind of value (s_* strategies, g_* greeks, a_* float8[] states), each
-- (id int, v type), so that a value that cannot be restored names its kind.  Entered in
-- New York time, as a desk would; each statement stands alone, and a table that cannot
-- even be created is reported by the part.
SET TimeZone = 'America/New_York';

-- ---- strategies entered as text
CREATE TABLE s_huge AS SELECT * FROM (VALUES
	(1, '1e308 C 1e308 2025-12-19T21:00:00Z @ 1e308 x1e308'::strategy),
	(2, '-1.7976931348623157e308 U @ -1.7976931348623157e308 x1.7976931348623157e308'),
	(3, '1 P 1.7976931348623157e308 2025-12-19T21:00:00Z @ -1e308 x1')) v(id, v);
CREATE TABLE s_tiny AS SELECT * FROM (VALUES
	(1, '1e-300 C 1e-300 2025-12-19T21:00:00Z @ 1e-300 x1e-300'::strategy),
	(2, '2.2250738585072014e-308 P 2.2250738585072014e-308 2025-12-19T21:00:00Z @ -2.2250738585072014e-308 x2.2250738585072014e-308')) v(id, v);
CREATE TABLE s_subnormal_text AS SELECT * FROM (VALUES
	(1, '4.9e-324 C 100 2025-12-19T21:00:00Z @ 3'::strategy),
	(2, '1 C 1e-320 2025-12-19T21:00:00Z @ -4.9e-324 x1e-310')) v(id, v);
CREATE TABLE s_zero AS SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ -0 x100'::strategy),
	(2, '-1 P 100 2025-12-19T21:00:00Z @ 0; 100 U @ -0 x1'),
	(3, ''::strategy)) v(id, v);
CREATE TABLE s_legs64 AS
SELECT 1 AS id, string_agg(format('%s %s %s %s @ %s x%s', CASE WHEN i % 2 = 0 THEN -i ELSE i END,
	CASE WHEN i % 3 = 0 THEN 'P' ELSE 'C' END, 5000 + 7.25 * i,
	to_char(timestamptz '2025-10-31 20:00+00' + i * interval '7 days 1 hour 1.000001 second', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	1.0 / i, 100), '; ')::strategy AS v
FROM generate_series(1, 64) i;
CREATE TABLE s_fractional AS SELECT * FROM (VALUES
	(1, '1 C 100 "2025-12-19 21:00:00.000001+00" @ 3'::strategy),
	(2, '1 C 100 "2025-12-19 21:00:00.999999+00" @ 3; -1 C 100 "2025-12-19 21:00:00.5+00" @ 3.5'),
	(3, '1 P 100 "1999-12-31 23:59:59.999999+00" @ 3')) v(id, v);
CREATE TABLE s_dst AS SELECT * FROM (VALUES
	(1, '1 C 100 "2025-03-09 02:30" @ 3'::strategy),			-- in the spring-forward gap
	(2, '1 C 100 "2025-11-02 01:30" @ 3'),						-- the fall-back hour, twice
	(3, '1 P 100 "2025-03-09 02:00:00.000001" @ 3; 1 P 100 "2025-11-02 01:59:59.999999" @ 3')) v(id, v);
CREATE TABLE s_far_past AS SELECT * FROM (VALUES
	(1, '1 C 100 "4713-01-01 00:00:00+00 BC" @ 3'::strategy),
	(2, '1 C 100 "0001-01-01 00:00:00+00 BC" @ 3'),
	(3, '1 C 100 "0001-01-01 00:00:00+00" @ 3'),
	(4, '1 C 100 "1000-06-15 12:34:56.789+00" @ 3')) v(id, v);
CREATE TABLE s_far_future AS SELECT * FROM (VALUES
	(1, '1 C 100 "294276-12-31 23:59:59.999999+00" @ 3'::strategy),
	(2, '1 C 100 "10000-01-01 00:00:00+00" @ 3'),
	(3, '1 C 100 "9999-12-31 23:59:59.999999+00" @ 3')) v(id, v);

-- ---- strategies produced by functions
CREATE TABLE s_sum_huge AS
SELECT 1 AS id, '1e308 C 100 2025-01-01T21:00:00Z @ 1' :: strategy + '1e308 C 100 2025-01-01T21:00:00Z @ 1' AS v;
CREATE TABLE s_scaled AS SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * 4.9e-324),
	(2, '1 C 100 2025-12-19T21:00:00Z @ 3; -1 P 90 2025-12-19T21:00:00Z @ 2'::strategy * 1e-310),
	(3, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * -0.1),
	(4, '3 C 100 2025-12-19T21:00:00Z @ 3'::strategy * (1 / 3.0)),
	(5, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy * 1e300)) v(id, v);
CREATE TABLE s_arithmetic AS SELECT * FROM (VALUES
	(1, '1 C 100 2025-12-19T21:00:00Z @ 3'::strategy + '0.1 C 100 2025-12-19T21:00:00Z @ 3' + '0.2 C 100 2025-12-19T21:00:00Z @ 3'),
	(2, -'1 C 100 "2025-12-19 21:00:00.000001+00" @ 3; 100 U @ 5800 x1'::strategy),
	(3, '-1 P 95 2026-01-16T21:00:00Z @ 2.1'::strategy - '-1 P 90 2025-12-19T21:00:00Z @ 1.5')) v(id, v);
CREATE TABLE s_agg AS
SELECT 1 AS id, strategy_agg(q, cp, k, e, p) AS v
FROM (VALUES (1e-300, 'C', 1e300, '2025-12-19 21:00:00.000001+00'::timestamptz, -0.0),
			 (-1e300, 'P', 1e-300, '294276-12-31 23:59:59+00', 1e308),
			 (4.9e-324, 'U', NULL, NULL, 5800)) v(q, cp, k, e, p)
UNION ALL
SELECT 2, strategy_agg(q, 'C', 100, '2025-12-19 21:00+00', 3) FROM (VALUES (1e308), (1e308)) v(q);

-- ---- greeks
CREATE TABLE g_literal AS SELECT * FROM (VALUES
	(1, '(1e308,-1e308,1.7976931348623157e308,-1.7976931348623157e308,1e308,1e308,1e308,1e308,1e308,1e308)'::greeks),
	(2, '(4.9e-324,-4.9e-324,1e-320,2.2250738585072014e-308,1e-300,0,0,0,0,0)'),
	(3, '(-0,-0,-0,-0,-0,-0,-0,-0,-0,-0)'),
	(4, '(1,,3,4,5,6,7,8,9,)'),
	(5, '(0.1,0.2,0.30000000000000004,1.0000000000000002,0.9999999999999999,1,1,1,1,1)')) v(id, v);
CREATE TABLE g_functions AS SELECT * FROM (VALUES
	(1, bs_greeks('C', 5800, 4640, 1/365.0, 0.11, 0.045, 0.013)),
	(2, bs_greeks('P', 1e-300, 1e300, 1e-300, 1e-300, 0, 0)),
	(3, bs_greeks('C', 100, 100, 0, 0.2)),
	(4, bs_greeks('C', 100, 100, 1, 0)),
	(5, black76_greeks('C', 18.5, 22, 1e-12, 5, 0.045)),
	(6, bachelier_greeks('P', -1e300, 1e300, 1e300, 1e-300, 0)),
	(7, american_greeks('P', 600, 650, 30/365.0, 0.18, 0.045, 0.012)),
	(8, bs_greeks('C', 5800, 5900, 0.125, 0.16, 0.045, 0.013) * 1e300),
	(9, bs_greeks('C', 5800, 5900, 0.125, 0.16, 0.045, 0.013) * -0.0)) v(id, v);
CREATE TABLE g_total AS
SELECT 1 AS id, greeks_total(bs_greeks('C', 5800, k, 1e-6, 0.5, 0.045, 0.013) * 1e-300) AS v
FROM generate_series(5000, 6500, 10) k;

-- ---- float8[] states
CREATE TABLE a_literal AS SELECT * FROM (VALUES
	(1, '{1e308,-1e308,4.9e-324,-4.9e-324,-0,0,2.2250738585072014e-308,1.7976931348623157e308}'::float8[]),
	(2, '{}'),
	(3, '[0:2]={1,2,3}'),
	(4, '{{1,-0},{4.9e-324,1e308}}')) v(id, v);
-- states as condor's transition functions build them (the aggregates without their
-- final functions)
CREATE AGGREGATE pg_temp.svi_state(float8, float8, float8) (SFUNC = svi_sfunc, STYPE = float8[]);
CREATE AGGREGATE pg_temp.vix_state(timestamptz, timestamptz, text, float8, float8, float8, float8) (
	SFUNC = vix_sfunc, STYPE = float8[]);
CREATE AGGREGATE pg_temp.xirr_state(float8, timestamptz) (SFUNC = xirr_sfunc, STYPE = float8[]);
CREATE TABLE a_states AS
SELECT 1 AS id, pg_temp.svi_state(k, w, wt) AS v
FROM (VALUES (4.9e-324, 1e308, -0.0), (-1e-300, 0, 1e-320), (0.1, 0.04, 1)) v(k, w, wt)
UNION ALL
SELECT 2, pg_temp.vix_state('2025-09-15 14:30:00.000001+00', e, cp, k, 1e-300, 1e308, -0.0)
FROM (VALUES ('2025-10-16 13:30:00.999999+00'::timestamptz, 'C', 4.9e-324), ('294276-12-31 23:59:59+00', 'P', 1e308)) v(e, cp, k)
UNION ALL
SELECT 3, pg_temp.xirr_state(a, t)
FROM (VALUES (-1e308, '2025-09-15 14:30:00.000001+00'::timestamptz), (4.9e-324, '4713-01-01 00:00:00+00 BC')) v(a, t);
