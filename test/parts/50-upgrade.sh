#!/usr/bin/env bash
# Upgrade from 0.1.0: values stored by the 0.1.0 binary survive the new binary and ALTER EXTENSION UPDATE; the result equals a fresh install.
source "$(dirname "$0")/lib.sh"

# The commit released as condor 0.1.0 (its install script is kept as
# src/upgrade/condor--0.1.0.sql).  This part builds that release from the repository's
# history, installs it into a private server tree, stores values with it, then starts
# the same cluster with the new build -- what a user does when the package is upgraded.
V010=9449c2c93c70f18e966621d494012d26615f4045
new_pgbin=$PGBIN
dir=$CONDOR_TMP/upgrade
here=test/upgrade

if ! git -C "$CONDOR_ROOT" cat-file -e "$V010^{commit}" 2>/dev/null; then
	echo "FAIL the 0.1.0 sources (commit $V010) are not in this checkout's history:" \
		"this part builds condor 0.1.0 from them and needs a full git clone"
	count 0 1
	part_end
	exit 0
fi
for f in wrappers.sql store.sql check.sql catalog.sql; do
	need_path "$here/$f" || { part_end; exit 0; }
done

mkdir -p "$dir/src"
git -C "$CONDOR_ROOT" archive "$V010" | tar -x -C "$dir/src"
make -C "$dir/src" -s PG_CONFIG="$SYS_PGBIN/pg_config" condor--0.1.0.sql >/dev/null
expect "commit $V010 installs src/upgrade/condor--0.1.0.sql" \
	cmp -s <(tail -n +2 "$dir/src/condor--0.1.0.sql") <(tail -n +2 src/upgrade/condor--0.1.0.sql)
log "building condor 0.1.0 ($V010)"
make -C "$dir/src" -s -j2 PG_CONFIG="$SYS_PGBIN/pg_config" >"$dir/build.log" 2>&1 ||
	{ cat "$dir/build.log"; echo "FAIL condor 0.1.0 does not build"; count 0 1; part_end; exit 0; }
must "install condor 0.1.0 into a private server tree" condor_install_private "$dir/pg" "$dir/src"
old_pgbin=$PGBIN
must "a cluster under condor 0.1.0" condor_cluster_init "$dir/db"
export PGHOST=$dir/db PGDATABASE=up

differ() { ! cmp -s "$1" "$2"; }
# The stored values as text and in binary (type output and send functions).
digest() {
	{
		sql -c "SELECT v::text FROM kept.vals v ORDER BY i" -c "SELECT f::text FROM kept.fits f" \
			-c "SELECT a::text FROM kept.agg_input a ORDER BY agg"
		sql -c "COPY kept.vals TO STDOUT (FORMAT binary)" -c "COPY kept.fits TO STDOUT (FORMAT binary)"
	} | md5sum
}
# Lines "ok ..." and "FAIL ..." from a script's output, counted.
verdicts() {
	local out=$1
	printf '%s\n' "$out" | grep -E '^(FAIL|#)' | head -40 || true
	count "$(grep -c '^ok ' <<<"$out" || true)" "$(grep -c '^FAIL' <<<"$out" || true)"
}

must "CREATE DATABASE up" sql -d postgres -c "CREATE DATABASE up"
must "CREATE EXTENSION condor VERSION '0.1.0'" sql -c "CREATE EXTENSION condor VERSION '0.1.0'"
must "test/upgrade/wrappers.sql under 0.1.0" sql -f "$here/wrappers.sql"
out=$(sql -f "$here/store.sql" 2>&1) && rc=0 || rc=$?
verdicts "$out"
check "test/upgrade/store.sql ran under condor 0.1.0" $rc
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -5
stored=$(digest)
must "drop the wrappers" sql -c "DROP SCHEMA keepfn CASCADE"

log "the same cluster under the new build"
condor_runner
must "stop the cluster" "${CONDOR_RUN[@]}" "$old_pgbin/pg_ctl" -D "$dir/db/data" -w stop >/dev/null
PGBIN=$new_pgbin
must "start the cluster under the new build" condor_cluster_up "$dir/db"
version() { sql -c "SELECT extversion FROM pg_extension WHERE extname = 'condor'"; }
expect "before the update the database still has condor 0.1.0" [ "$(version)" = 0.1.0 ]
# Until ALTER EXTENSION UPDATE runs, the 0.1.0 SQL definitions call the new binary:
# every C function they name must be in it.
out=$(sql -c "SELECT fmgr_c_validator(p.oid) FROM pg_proc p
              JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
              WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')" 2>&1 >/dev/null) && rc=0 || rc=$?
check "the new binary has every C function of the 0.1.0 SQL${out:+: $out}" $rc
expect "stored values read back unchanged under the new binary, before the update" \
	[ "$(digest)" = "$stored" ]

out=$(sql -c "ALTER EXTENSION condor UPDATE" 2>&1) && rc=0 || rc=$?
check "ALTER EXTENSION condor UPDATE${out:+: $out}" $rc
expect "the database has condor $CONDOR_VERSION after the update" [ "$(version)" = "$CONDOR_VERSION" ]
expect "stored values read back unchanged after the update" [ "$(digest)" = "$stored" ]
must "test/upgrade/wrappers.sql after the update" sql -f "$here/wrappers.sql"
out=$(sql -f "$here/check.sql" 2>&1) && rc=0 || rc=$?
verdicts "$out"
check "test/upgrade/check.sql ran" $rc

# The upgraded catalog against a fresh install of the same version.
must "drop the wrappers" sql -c "DROP SCHEMA keepfn CASCADE"
must "CREATE DATABASE fresh" sql -d postgres -c "CREATE DATABASE fresh"
must "CREATE EXTENSION condor in fresh" sql -d fresh -c "CREATE EXTENSION condor"
must "test/upgrade/catalog.sql in up" sql -f "$here/catalog.sql" -o "$dir/upgraded.txt"
must "test/upgrade/catalog.sql in fresh" sql -d fresh -f "$here/catalog.sql" -o "$dir/fresh.txt"
n=$(wc -l <"$dir/fresh.txt")
expect "the catalog describes condor ($n lines)" [ "$n" -gt 100 ]
expect "the upgraded catalog equals a fresh $CONDOR_VERSION install (functions, aggregates, types, operators, comments)" \
	cmp -s "$dir/fresh.txt" "$dir/upgraded.txt"
diff -u "$dir/fresh.txt" "$dir/upgraded.txt" | head -60 || true

# The comparison does see a difference: each change below, made to the fresh database
# inside a transaction that is rolled back, must change its catalog lines.
bs="bs_price(text, float8, float8, float8, float8, float8, float8)"
while IFS= read -r change; do
	sql -d fresh -c "BEGIN" -c "$change" -f "$here/catalog.sql" -c "ROLLBACK" >"$dir/changed.txt" 2>&1 || true
	expect "the catalog comparison sees: $change" differ "$dir/fresh.txt" "$dir/changed.txt"
done <<EOF_CHANGES
CREATE FUNCTION public.upgrade_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'; ALTER EXTENSION condor ADD FUNCTION public.upgrade_probe()
ALTER FUNCTION $bs STABLE
ALTER FUNCTION $bs PARALLEL RESTRICTED
ALTER FUNCTION $bs CALLED ON NULL INPUT
ALTER FUNCTION $bs COST 7
COMMENT ON FUNCTION $bs IS 'changed'
ALTER TYPE greeks ADD ATTRIBUTE extra float8
UPDATE pg_aggregate SET agginitval = '{0}' WHERE aggfnoid = 'ema(float8, int)'::regprocedure
UPDATE pg_aggregate SET aggcombinefn = 0 WHERE aggfnoid = 'irr(float8, int)'::regprocedure
UPDATE pg_proc SET proargdefaults = NULL, pronargdefaults = 0 WHERE oid = '$bs'::regprocedure
EOF_CHANGES
part_end
