#!/usr/bin/env bash
# pg_dump round trip: stored Greeks, strategies and aggregate states restored in another time zone; the user's condor_closures rows.
source "$(dirname "$0")/lib.sh"

psql -X -q -c "DROP DATABASE IF EXISTS condor_kept" -c "CREATE DATABASE condor_kept" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d condor_kept >/dev/null <<'SQL'
CREATE EXTENSION condor;
SET TIME ZONE 'America/New_York';
CREATE TABLE kept AS
SELECT i, bs_greeks('C', 5800, 5600 + i, i / 365.0, 0.1 + i / 1000.0, 0.045, 0.013) AS g,
       format('%s P %s "2025-10-31 16:00" @ %s x100; 1 C %s "2025-12-19 16:00:00.123456" @ 0.1', -i, 5000 + i, i / 7.0, 6000 + i)::strategy AS s,
       vix_sfunc_state AS st
FROM generate_series(1, 200) i,
     LATERAL (SELECT ARRAY[i / 3.0, 1e-300, -0.0, 123456789.123456789]::float8[] AS vix_sfunc_state) x;
SQL
psql -X -q -c "DROP DATABASE IF EXISTS condor_restore" -c "CREATE DATABASE condor_restore" >/dev/null
psql -X -q -d condor_restore -c "CREATE EXTENSION condor" >/dev/null
"$PGBIN/pg_dump" -d condor_kept -t kept | PGOPTIONS='-c timezone=Asia/Tokyo' psql -X -q -v ON_ERROR_STOP=1 -d condor_restore >/dev/null
digest="SELECT md5(string_agg(i || g::text || s::text || st::text, '|' ORDER BY i)) FROM kept"
same=$(psql -X -At -d condor_kept -c "$digest")
back=$(psql -X -At -d condor_restore -c "$digest")
expect "values changed through pg_dump and restore" [ -n "$same" -a "$same" = "$back" ]

# condor_closures is extension configuration: a whole-database dump keeps the user's
# rows (an added closure, an edited shipped row) and restores them over the rows that
# CREATE EXTENSION puts in, without a key conflict.
psql -X -q -v ON_ERROR_STOP=1 -d condor_kept >/dev/null <<'SQL'
INSERT INTO condor_closures VALUES ('2026-03-11', NULL, 'user: closed'), ('2026-03-12', '14:00', 'user: early close');
UPDATE condor_closures SET note = 'user: edited' WHERE day = '2025-01-09';
SQL
psql -X -q -c "DROP DATABASE IF EXISTS condor_whole" -c "CREATE DATABASE condor_whole" >/dev/null
"$PGBIN/pg_dump" -d condor_kept | psql -X -q -v ON_ERROR_STOP=1 -d condor_whole >/dev/null
rows="SELECT string_agg(day || '|' || coalesce(close::text, '-') || '|' || coalesce(note, ''), ';' ORDER BY day) || ' ' || trading_days('2026-03-01', '2026-04-01') FROM condor_closures"
same=$(psql -X -At -d condor_kept -c "$rows")
back=$(psql -X -At -d condor_whole -c "$rows")
closures_kept() { [ -n "$same" ] && [ "$same" = "$back" ] && [[ "$back" == *"user: edited"* ]] && [[ "$back" == *" 21" ]]; }
expect "condor_closures rows through pg_dump and restore" closures_kept
part_end
