-- test/cluster/checks_end.sql -- prints the checks: "ok <name>" or "FAIL <name>: <why>", then "<n> checks".
SELECT CASE WHEN ok THEN 'ok ' || name ELSE 'FAIL ' || name || ': ' || detail END FROM result ORDER BY n;
SELECT count(*) || ' checks' FROM result;
