-- test/cluster/checks_lib.sql -- helpers of the cluster checks (fdw_checks.sql,
-- citus_checks.sql): a result table, a query's rows as text on the distributed tables
-- (schema public) and on the local copy (schema local), plans; and the first check:
-- every condor aggregate, listed from the catalog, has a case in cases.sql.
CREATE TEMP TABLE result (n serial, name text, ok boolean, detail text);

-- the plan of a query, as text
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	l text;
	r text := '';
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
		r := r || l || E'\n';
	END LOOP;
	RETURN r;
END $$;

-- the Remote SQL lines of a plan
CREATE FUNCTION pg_temp.remote(plan text) RETURNS text[] LANGUAGE sql AS $$
	SELECT coalesce(array_agg(m[1]), '{}') FROM regexp_matches(plan, 'Remote SQL: ([^\n]*)', 'g') m
$$;

-- a query's rows as sorted text, how many there are and how many have a non-NULL r,
-- with the tables of a schema ("public": the distributed ones, "local": the copy).  The
-- rows are collected here, so that only the query itself is distributed.
CREATE FUNCTION pg_temp.rows(q text, schema text, OUT n bigint, OUT nonnull bigint, OUT txt text)
LANGUAGE plpgsql AS $$
DECLARE
	t text;
	has_r boolean;
	all_rows text[] := '{}';
BEGIN
	n := 0;
	nonnull := 0;
	PERFORM set_config('search_path', schema || ', public', false);
	FOR t, has_r IN EXECUTE format('SELECT x::text, x.r IS DISTINCT FROM NULL FROM (%s) x', q) LOOP
		n := n + 1;
		IF has_r THEN
			nonnull := nonnull + 1;
		END IF;
		all_rows := all_rows || t;
	END LOOP;
	PERFORM set_config('search_path', 'public', false);
	SELECT coalesce(string_agg(u, E'\n' ORDER BY u), '') INTO txt FROM unnest(all_rows) u;
END $$;

-- the first line where two texts differ
CREATE FUNCTION pg_temp.diff(a text, b text) RETURNS text LANGUAGE sql AS $$
	SELECT format('line %s: %s | local: %s', i, left(x, 300), left(y, 300))
	FROM unnest(string_to_array(a, E'\n'), string_to_array(b, E'\n')) WITH ORDINALITY u(x, y, i)
	WHERE x IS DISTINCT FROM y ORDER BY i LIMIT 1
$$;

CREATE FUNCTION pg_temp.check(name text, ok boolean, detail text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO result (name, ok, detail) VALUES (name, coalesce(ok, false), CASE WHEN ok THEN NULL ELSE coalesce(detail, 'NULL') END)
$$;

-- Same rows on the distributed tables and on the local copy (and at least one row with a
-- non-NULL r: a case that gives only NULLs tests nothing).
CREATE FUNCTION pg_temp.same(name text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	d record;
	l record;
BEGIN
	d := pg_temp.rows(q, 'public');
	l := pg_temp.rows(q, 'local');
	PERFORM pg_temp.check(name || ': equals the local copy',
		d.txt = l.txt AND l.nonnull > 0,
		CASE WHEN l.nonnull = 0 THEN 'the case gives no non-NULL result: it tests nothing'
			 ELSE format('%s rows vs %s local; %s', d.n, l.n, pg_temp.diff(d.txt, l.txt)) END);
EXCEPTION WHEN OTHERS THEN
	PERFORM set_config('search_path', 'public', false);
	PERFORM pg_temp.check(name || ': equals the local copy', false, SQLSTATE || ' ' || SQLERRM);
END $$;

-- Every aggregate of condor has a case.
SELECT pg_temp.check(format('aggregate %s has a case in test/cluster/cases.sql', p.oid::regprocedure),
					 c.agg IS NOT NULL, 'no input defined for it')
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
LEFT JOIN agg_case c ON c.agg = p.oid
WHERE c.agg IS NULL;
SELECT pg_temp.check(format('all %s condor aggregates have a case', count(*)), count(*) > 30,
					 'fewer than 30 found: the catalog query is wrong')
FROM pg_aggregate a
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor';

