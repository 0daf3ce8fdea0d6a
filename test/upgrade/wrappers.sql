-- test/upgrade/wrappers.sql: for every aggregate of the installed condor,
--   keepfn.<name>_state(its arguments)  the same transition function, state type and
--                                       initial state without the final function: it
--                                       returns the state itself;
--   keepfn.<final function>_of(state)   the final function applied to a given state.
-- test/parts/50-upgrade.sh creates them before and after ALTER EXTENSION condor UPDATE
-- (they are dropped in between, so that they cannot stand in the upgrade's way).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS keepfn CASCADE;
CREATE SCHEMA keepfn;
CREATE FUNCTION keepfn.take(anyelement, anyelement) RETURNS anyelement
LANGUAGE sql IMMUTABLE AS 'SELECT $2';

DO $$
DECLARE
	a record;
BEGIN
	FOR a IN
		SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
			   g.aggtransfn::regproc AS sfunc, g.aggtranstype::regtype AS stype,
			   g.agginitval, g.aggfinalfn, g.aggfinalextra
		FROM pg_aggregate g
		JOIN pg_proc p ON p.oid = g.aggfnoid
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
			AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
	LOOP
		EXECUTE format('CREATE AGGREGATE keepfn.%I(%s) (SFUNC = %s, STYPE = %s%s)',
					   a.proname || '_state', a.args, a.sfunc, a.stype,
					   CASE WHEN a.agginitval IS NOT NULL
							THEN format(', INITCOND = %L', a.agginitval) ELSE '' END);
		IF a.aggfinalextra THEN
			RAISE EXCEPTION 'aggregate % has FINALFUNC_EXTRA: teach test/upgrade/wrappers.sql', a.proname;
		END IF;
		IF a.aggfinalfn <> 0 THEN
			EXECUTE format('CREATE OR REPLACE AGGREGATE keepfn.%I(%s) (SFUNC = keepfn.take, STYPE = %s, FINALFUNC = %s)',
						   a.aggfinalfn::regproc::text || '_of', a.stype, a.stype, a.aggfinalfn::regproc);
		END IF;
	END LOOP;
END
$$;
