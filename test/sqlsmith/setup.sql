-- test/sqlsmith/setup.sql -- the database sqlsmith explores (test/parts/90-sqlsmith.sh):
-- small tables of condor's types and of the columns its functions take, with a few
-- extreme rows, and a catalog view in which condor's functions are most of what there is.
CREATE EXTENSION condor;

-- sqlsmith reads the functions it may call from an unqualified "pg_proc".  The role it
-- runs as searches schema smith before pg_catalog, where a materialized view (so that it
-- is not offered as a table: information_schema lists no materialized views) keeps
-- condor's functions and aggregates and a handful of plain numeric, text and time
-- functions of pg_catalog to build arguments with; polymorphic ones only make sqlsmith
-- write queries PostgreSQL rejects.
CREATE SCHEMA smith;
CREATE MATERIALIZED VIEW smith.pg_proc AS
SELECT * FROM pg_catalog.pg_proc p
WHERE (p.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
				 WHERE e.extname = 'condor' AND d.classid = 'pg_proc'::regclass)
		AND NOT p.proargtypes::oid[] && ARRAY['cstring'::regtype, 'internal'::regtype]::oid[])
   OR (p.pronamespace = 'pg_catalog'::regnamespace
	   AND p.proname IN ('abs', 'sqrt', 'exp', 'ln', 'float8', 'int4', 'count', 'sum', 'avg',
						 'min', 'max', 'date_trunc', 'upper', 'lower', 'length', 'make_date',
						 'to_timestamp', 'power', 'round', 'width_bucket')
	   AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes) t
					   WHERE format_type(t, NULL) ~ '^any|record|internal|cstring')
	   AND format_type(p.prorettype, NULL) !~ '^any|record|internal');

CREATE ROLE smith LOGIN;
ALTER ROLE smith SET search_path = smith, public, pg_catalog;
ALTER ROLE smith SET statement_timeout = '1s';
GRANT USAGE ON SCHEMA smith TO smith;
GRANT SELECT ON smith.pg_proc TO smith;

CREATE TABLE chain AS
SELECT '2025-09-15 14:30+00'::timestamptz AS quote_ts, e.expiry, cp, k::float8 AS strike,
	greatest(p - 0.5, 0) AS bid, p + 0.5 AS ask, 0.15 + abs(k - 5800) / 20000.0 AS iv,
	5800::float8 AS spot, 0.045::float8 AS rate
FROM (VALUES ('2025-10-16 13:30+00'::timestamptz), ('2025-10-31 20:00+00'), ('2025-11-21 21:00+00')) e(expiry),
	 (VALUES ('C'), ('P')) c(cp), generate_series(5500, 6100, 50) k,
	 LATERAL (SELECT bs_price(cp, 5800, k, year_frac('2025-09-15 14:30+00', e.expiry),
							  0.15 + abs(k - 5800) / 20000.0, 0.045, 0.013) AS p) x;
INSERT INTO chain VALUES
	('2025-09-15 14:30+00', '2025-10-31 20:00+00', 'C', 1e-300, 0, 1e308, 1e-12, 5800, 0.045),
	('2025-09-15 14:30+00', '2025-10-31 20:00+00', 'P', 4.9e-324, 0, 0, 0, 1e308, -0.0),
	('2025-09-15 14:30+00', '294276-12-31 23:59:59+00', 'call', 1e308, 1e-320, 1e300, 800, 1e-300, 800),
	('-infinity', 'infinity', 'x', -0.0, -1, -1, -1, 0, 'NaN');

CREATE TABLE positions (id int, s strategy);
INSERT INTO positions VALUES
	(1, '1 P 5415 2025-10-31T20:00:00Z @ 29.05; -1 P 5465 2025-10-31T20:00:00Z @ 33.55; -1 C 6085 2025-10-31T20:00:00Z @ 20.15; 1 C 6135 2025-10-31T20:00:00Z @ 13.55'),
	(2, '100 U @ 5800 x1; -1 C 5900 2025-12-19T21:00:00Z @ 45.5'),
	(3, ''),
	(4, '1 call 100 "2025-12-19 16:00:00.123456 America/New_York" @ 3 x50'),
	(5, '1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300'),
	(6, '1 P 1e-300 2025-12-19T21:00:00Z @ 1e-300 x1e-300'),
	(7, (SELECT string_agg(format('1 C %s 2025-12-19T21:00:00Z @ 1', 5000 + 10 * i), '; ')
		 FROM generate_series(1, 64) i)::strategy),
	(8, '-2 put 90 2026-01-16T21:00:00.5Z @ 1.25; 2 C 110 2026-01-16T21:00:00Z @ 0.75 X10');

CREATE TABLE book AS
SELECT id, g FROM (VALUES
	(1, bs_greeks('C', 5800, 5900, 0.125, 0.16, 0.045, 0.013)),
	(2, black76_greeks('C', 18.5, 22, 0.1, 0.95, 0.045)),
	(3, '(1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308)'::greeks),
	(4, '(1,,3,4,5,6,7,8,9,10)'::greeks),
	(5, '(-0,4.9e-324,0,0,0,0,0,0,0,0)'::greeks)) v(id, g);

CREATE TABLE smiles (expiry timestamptz, p svi);
INSERT INTO smiles VALUES
	('2025-10-31 20:00+00', '(0.02,0.1,-0.4,0.05,0.2,0,t)'),
	('2025-11-21 21:00+00', '(-0.0410,0.1331,0.3060,0.3586,0.4153,,)'),
	('2025-12-19 21:00+00', '(1e308,1e308,0.5,1e308,1e-320,,)');

CREATE TABLE surfaces (as_of timestamptz, s ssvi);
INSERT INTO surfaces VALUES
	('2025-09-15 14:30+00', '(-0.7,1.2,0.4,"{0.1,0.5,1}","{0.004,0.02,0.04}",)'),
	('2025-09-16 14:30+00', '(-0.999999,1e300,-1e308,"{1e-300,1e300}","{4.9e-324,1e-300}",0)'),
	('2025-09-17 14:30+00', '(0.3,3,1.2,{1},{0.04},)');

CREATE TABLE states (name text, st float8[]);
INSERT INTO states VALUES
	('vols', '{0.2,0.16,0.3,0.25}'), ('empty', '{}'), ('moves', '{-0.05,0,0.05}'),
	('two_d', '{{1,2},{3,4}}'), ('nulls', '{1,NULL,3}'), ('bounds', '[0:2]={1,2,3}'),
	('huge', '{1e308,-1e308,4.9e-324,-0,2147483648,9.3e18}');

CREATE TABLE closes AS
SELECT '2025-01-01 21:00+00'::timestamptz + i * interval '1 day' AS ts, 'SPX' AS symbol,
	5800 + 50 * sin(i / 7.0) + i AS close, 15 + 3 * cos(i / 5.0) AS vix
FROM generate_series(1, 120) i;

CREATE TABLE flows (at date, amount float8, period int);
INSERT INTO flows VALUES ('2025-09-15', -3890, 0), ('2025-09-15', 1110, 0), ('2025-10-02', 16, 1),
	('2025-10-31', 3596.7, 2), ('infinity', 1e308, 2147483647);

GRANT SELECT ON ALL TABLES IN SCHEMA public TO smith;
ANALYZE;
