#!/usr/bin/env bash
# sqlsmith: random queries (seeded, bounded) over a database where condor is most of the catalog; no crash allowed.
# needs: sqlsmith
#
# test/sqlsmith/setup.sql builds the database: small tables of condor's types and of the
# columns its functions take (extreme rows included), and a pg_proc that sqlsmith's
# role sees in place of the catalog's, holding condor's functions and aggregates and a
# few plain pg_catalog ones.  sqlsmith (Debian's package) then runs SQLSMITH_QUERIES
# queries (default 15000, seed SQLSMITH_SEED, default 1; at most SQLSMITH_SECONDS, default
# 90, of wall time) with statement_timeout 1 s in its own cluster.  Every backend the
# server log shows killed by a signal is one failure, printed with its query.  Errors
# are expected (sqlsmith writes many queries PostgreSQL rejects) and only summarised.
# Run alone:  bash scripts/test sqlsmith
source "$(dirname "$0")/lib.sh"

dir=$CONDOR_TMP/sqlsmith
rm -rf "$dir"
condor_cluster_init "$dir/cluster" -c log_min_error_statement=panic
export PGHOST=$dir/cluster PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
psql -X -q -c "CREATE DATABASE condor_smith" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d condor_smith -f test/sqlsmith/setup.sql >/dev/null
queries=${SQLSMITH_QUERIES:-15000}
seed=${SQLSMITH_SEED:-1}
start=$SECONDS
(cd "$dir" && timeout "${SQLSMITH_SECONDS:-90}" sqlsmith \
	--target="host=$PGHOST port=$PGPORT dbname=condor_smith user=smith" \
	--seed="$seed" --max-queries="$queries" --exclude-catalog --verbose) >"$dir/sqlsmith.log" 2>&1 && rc=0 || rc=$?
secs=$((SECONDS - start))
ran=$(grep -oE '^queries: [0-9]+' "$dir/sqlsmith.log" | tail -1 | cut -d' ' -f2 || true)
[ -n "$ran" ] || ran=$(tr -cd '.eCSt' <"$dir/sqlsmith.log" | wc -c)
echo "sqlsmith: seed $seed, $ran queries in $secs s (exit $rc$([ "$rc" -eq 124 ] && echo ': stopped by the time limit'))"
# sqlsmith reports every so often; the last report covers the whole run
awk '/^queries:/ { last = "" } { last = last $0 "\n" } END { printf "%s", last }' "$dir/sqlsmith.log" >"$dir/last-report"
echo "  most frequent errors that are not sqlsmith's own (polymorphic types, missing operators, DML):"
grep -E '^[0-9]+	ERROR' "$dir/last-report" |
	grep -vE 'any(multi)?range|anyenum|anyarray|operator does not exist|permission denied' |
	head -15 | sed 's/^/    /' || true
grep -E '^error rate' "$dir/last-report" | sed 's/^/  /' || true

crashes=0
while read -r pid how; do
	crashes=$((crashes + 1))
	echo "FAIL backend $pid $how running:"
	awk -v pid="$pid" 'index($0, "(PID " pid ")") { hit = 1; next }
		hit && /DETAIL:  Failed process was running:/ { sub(/.*Failed process was running: /, ""); print "    " $0; more = 1; next }
		more && /^\t/ { print "    " $0; next } { if (hit) exit }' "$dir/cluster/server.log" | head -60
done < <(sed -n -E 's/.*server process \(PID ([0-9]+)\) (was terminated by signal [0-9]+[^;]*).*/\1 \2/p' "$dir/cluster/server.log")
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ -z "${ran// /}" ]; then
	tail -20 "$dir/sqlsmith.log"
	echo "FAIL sqlsmith did not run"
	count 0 1
fi
echo "sqlsmith: $crashes backend crash(es)"
if [ "$crashes" -eq 0 ]; then count 1 0; else count 0 "$crashes"; fi
part_end
