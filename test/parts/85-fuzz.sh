#!/usr/bin/env bash
# Fuzzing: seeded cases (test/fuzz) on condor's whole SQL surface in their own cluster; any finding fails.
#
# test/fuzz/run.sh generates FUZZ_CASES cases (default 10000, seed FUZZ_SEED, default 1)
# from the catalog -- every condor function, aggregate and aggregate support function,
# strategy text and binary input -- and runs them with the oracles described in
# test/fuzz/fuzz.sql: no crash, no hang, only documented SQLSTATEs, no NaN from finite
# input, every produced strategy, greeks and state identical through text and binary.
# Each kind of finding is printed once with its count and shortest reproducer; each
# failing case is one failed check.  Its own cluster, so the crashes it provokes do not
# restart the server the other parts use.  Run alone:
#   bash scripts/test fuzz                     (FUZZ_CASES=2000 for a quick look)
#   CONDOR_KEEP=1 bash scripts/test fuzz       keeps $CONDOR_TMP/fuzz/out/cases.tsv
source "$(dirname "$0")/lib.sh"

dir=$CONDOR_TMP/fuzz
rm -rf "$dir"
condor_cluster_init "$dir/cluster" -c log_min_error_statement=panic
export PGHOST=$dir/cluster PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
FUZZ_LABEL=fuzz bash test/fuzz/run.sh "$dir/out" || true
count_line "$(cat "$dir/out/summary" 2>/dev/null)" "the fuzz driver"
# Every crash the server saw must be one the driver attributed to a case.
seen=$(grep -cE 'server process \(PID [0-9]+\) was terminated by signal' "$dir/cluster/server.log" || true)
found=$(awk -F'\t' '$4 == "crash"' "$dir/out/cases.tsv" 2>/dev/null | wc -l)
echo "fuzz: $seen backend crash(es) in the server log, $found attributed to cases"
if [ "$seen" -gt "$found" ]; then
	echo "FAIL $((seen - found)) crash(es) the driver did not attribute"
	count 0 $((seen - found))
fi
part_end
