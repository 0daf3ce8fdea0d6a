-- test/upgrade/check.sql: run by test/parts/50-upgrade.sh after ALTER EXTENSION condor
-- UPDATE (and test/upgrade/wrappers.sql again).  One line per check, "ok ..." or
-- "FAIL ...", and "# ..." lines that only inform.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TEMP TABLE verdict (n serial, line text);

-- Every stored value reads back and re-enters as itself: its text form parses to a
-- value with the same text and the same binary form.
DO $$
DECLARE
	c record;
	bad bigint;
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS tab, a.attname, a.atttypid::regtype AS typ
			 FROM pg_attribute a
			 WHERE a.attrelid IN ('kept.vals'::regclass, 'kept.fits'::regclass)
			   AND a.attnum > 0 AND a.attname <> 'i'
			 ORDER BY 1, a.attnum
	LOOP
		BEGIN
			EXECUTE format('SELECT count(*) FROM %s WHERE %I::text::%s::text IS DISTINCT FROM %I::text
								OR textsend(%I::text::%s::text) IS DISTINCT FROM textsend(%I::text)',
						   c.tab, c.attname, c.typ, c.attname, c.attname, c.typ, c.attname)
				INTO bad;
			INSERT INTO verdict(line)
			VALUES (CASE WHEN bad = 0 THEN 'ok' ELSE 'FAIL' END
					|| format(' %s.%s (%s): stored values re-enter as themselves%s', c.tab, c.attname, c.typ,
							  CASE WHEN bad = 0 THEN '' ELSE format(' -- %s do not', bad) END));
		EXCEPTION WHEN others THEN
			INSERT INTO verdict(line) VALUES (format('FAIL %s.%s (%s): %s', c.tab, c.attname, c.typ, SQLERRM));
		END;
	END LOOP;
END
$$;

-- Every stored aggregate state, finished by the new version's final function, gives
-- what the new version's aggregate gives over the same rows; a state that no longer
-- means the same thing would be lost data.  Where the state or the result differs from
-- what 0.1.0 stored, a "#" line says so (a result that differs is a behaviour change:
-- CHANGELOG.md).  If the state type itself changed, a 0.1.0 state cannot be finished:
-- that is lost data, unless 0.1.0's aggregate had no final function -- then its state
-- was its result, a value of its type, which must still read back as itself.
DO $$
DECLARE
	r record;
	now_state text;
	now_result text;
	finished text;
BEGIN
	FOR r IN SELECT i.*, p.proname, g.aggfinalfn, g.aggtranstype::regtype::text AS new_stype
			 FROM kept.agg_input i
			 LEFT JOIN pg_proc p ON p.oid = to_regprocedure(i.agg)
			 LEFT JOIN pg_aggregate g ON g.aggfnoid = p.oid
			 ORDER BY i.agg
	LOOP
		IF r.proname IS NULL THEN
			INSERT INTO verdict(line) VALUES (format('FAIL aggregate %s is gone', r.agg));
			CONTINUE;
		END IF;
		IF r.new_stype IS DISTINCT FROM r.stype THEN
			IF r.has_final THEN
				INSERT INTO verdict(line)
				VALUES (format('FAIL %s: its state type changed from %s to %s, so states stored by 0.1.0 cannot be finished',
							   r.agg, r.stype, r.new_stype));
			ELSE
				BEGIN
					EXECUTE format('SELECT %L::%s::text', r.state, r.stype) INTO finished;
					INSERT INTO verdict(line)
					VALUES (CASE WHEN finished = r.state AND r.state = r.result THEN 'ok' ELSE 'FAIL' END
							|| format(' %s: its 0.1.0 state, its result, reads back as a %s', r.agg, r.stype));
					INSERT INTO verdict(line)
					VALUES (format('# %s: the state type changed from %s to %s; 0.1.0 had no final function',
								   r.agg, r.stype, r.new_stype));
				EXCEPTION WHEN others THEN
					INSERT INTO verdict(line) VALUES (format('FAIL %s: %s', r.agg, SQLERRM));
				END;
			END IF;
			CONTINUE;
		END IF;
		BEGIN
			EXECUTE format('SELECT keepfn.%I(%s)::text, %I(%s)::text FROM %s',
						   r.proname || '_state', r.args, r.proname, r.args, r.source)
				INTO now_state, now_result;
			IF r.aggfinalfn = 0 THEN
				EXECUTE format('SELECT %L::%s::text', r.state, r.stype) INTO finished;
			ELSE
				EXECUTE format('SELECT keepfn.%I(%L::%s)::text', r.aggfinalfn::regproc::text || '_of',
							   r.state, r.stype)
					INTO finished;
			END IF;
			INSERT INTO verdict(line)
			VALUES (CASE WHEN finished IS NOT DISTINCT FROM now_result THEN 'ok' ELSE 'FAIL' END
					|| format(' %s: the state stored by 0.1.0 finishes as the new aggregate does', r.agg)
					|| CASE WHEN finished IS NOT DISTINCT FROM now_result THEN ''
							ELSE format(' -- finished %s, aggregate %s', finished, now_result) END);
			IF now_state IS DISTINCT FROM r.state THEN
				INSERT INTO verdict(line) VALUES (format('# %s: state %s, 0.1.0 stored %s', r.agg, now_state, r.state));
			END IF;
			IF now_result IS DISTINCT FROM r.result THEN
				INSERT INTO verdict(line) VALUES (format('# %s: result %s, 0.1.0 gave %s (a behaviour change)', r.agg, now_result, r.result));
			END IF;
		EXCEPTION WHEN others THEN
			INSERT INTO verdict(line) VALUES (format('FAIL %s: %s', r.agg, SQLERRM));
		END;
	END LOOP;
END
$$;

SELECT line FROM verdict ORDER BY n;
