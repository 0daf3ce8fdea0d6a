#!/usr/bin/env bash
# postgres_fdw shards: each condor aggregate and the main functions on foreign partitions equal a local copy; EXPLAIN shows what ships.
# Two more clusters (shards) in $CONDOR_TMP/fdw, each on its own socket; the shared
# cluster is the coordinator.  The checks are test/cluster/fdw_checks.sql.
source "$(dirname "$0")/lib.sh"

dir=$CONDOR_TMP/fdw
shards=(shard1 shard2)
for s in "${shards[@]}"; do
	must "start the cluster of $s" condor_cluster_init "$dir/$s"
done

# The coordinator: the local copy (schema local), then the partitioned foreign tables.
sql -c "DROP DATABASE IF EXISTS condor_fdw" -c "CREATE DATABASE condor_fdw"
must "the local copy on the coordinator" sql -d condor_fdw >/dev/null <<'SQL'
CREATE EXTENSION condor;
CREATE SCHEMA local;
SET search_path = local, public;
\i data/sample_chain.sql
\i data/market_history.sql
\i test/cluster/schema.sql
\i test/cluster/data.sql
\set chain chain
\set greeks chain_greeks
\set history history
\set signals history_signals
\i test/cluster/views.sql
SQL
must "the foreign tables on the coordinator" sql -d condor_fdw -v shard1="$dir/shard1" -v shard2="$dir/shard2" -v port="$PGPORT" \
	-f test/cluster/fdw_coordinator.sql >/dev/null

# The shards: a table for each foreign partition the coordinator placed there.
for s in "${shards[@]}"; do
	parts=$(psql -X -At -d condor_fdw -c "
		SELECT string_agg(c.relname || ':' || pg_partition_root(c.oid)::text, ',' ORDER BY c.relname)
		FROM pg_foreign_table f JOIN pg_class c ON c.oid = f.ftrelid
		JOIN pg_foreign_server v ON v.oid = f.ftserver
		WHERE v.srvname = '$s'
		  AND pg_partition_root(c.oid)::text IN ('chain', 'pairs', 'book', 'positions', 'marks', 'flows', 'history')")
	must "the database of $s" sql -h "$dir/$s" -c "CREATE DATABASE condor_shard"
	must "the tables and views of $s" sql -h "$dir/$s" -d condor_shard -v parts="$parts" -f test/cluster/fdw_shard.sql >/dev/null
done

# Load through the coordinator (each row goes to its partition's shard), then analyze.
must "the load through the coordinator" sql -d condor_fdw >/dev/null <<'SQL'
INSERT INTO chain SELECT * FROM local.chain;
INSERT INTO pairs SELECT * FROM local.pairs;
INSERT INTO book SELECT * FROM local.book;
INSERT INTO positions SELECT * FROM local.positions;
INSERT INTO marks SELECT * FROM local.marks;
INSERT INTO flows SELECT * FROM local.flows;
INSERT INTO history SELECT * FROM local.history;
SQL
for s in "${shards[@]}"; do
	must "ANALYZE on $s" sql -h "$dir/$s" -d condor_shard -c "ANALYZE"
done
must "ANALYZE on the coordinator" sql -d condor_fdw -c "ANALYZE chain, pairs, book, positions, marks, flows, history"

out=$(psql -X -At -v ON_ERROR_STOP=1 -d condor_fdw -f test/cluster/fdw_checks.sql 2>&1) && rc=0 || rc=$?
ok=$(grep -c '^ok ' <<<"$out" || true)
bad=$(grep -c '^FAIL ' <<<"$out" || true)
total=$(sed -n 's/^\([0-9]*\) checks$/\1/p' <<<"$out")
grep "^FAIL " <<<"$out" | cut -c1-2000 || true
[ -z "${FDW_VERBOSE:-}" ] || printf "%s\n" "$out"
echo "fdw: $ok checks passed, $bad failed"
if [ "$rc" -ne 0 ] || [ -z "$total" ] || [ "$total" -ne $((ok + bad)) ]; then
	printf '%s\n' "$out" | tail -15
	echo "FAIL fdw checks did not run to the end (psql exit $rc)"
	bad=$((bad + 1))
fi
count "$ok" "$bad"
part_end
