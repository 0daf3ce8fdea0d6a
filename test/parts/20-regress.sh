#!/usr/bin/env bash
# pg_regress: sql/*.sql against expected/*.out, one check per file (Makefile REGRESS); and the main job's SQL (scripts/demo) runs clean.
source "$(dirname "$0")/lib.sh"
need_reference cboe_vix/near_term.tsv cboe_vix/next_term.tsv || true

run_regress .

# scripts/demo runs this SQL on a cluster of its own after a system install; here the
# same files, in a database of their own, must run without an error (one check)
sql -c "CREATE DATABASE condor_demo_check" >/dev/null
out=$(PGDATABASE=condor_demo_check sql -c "CREATE EXTENSION condor" -f data/sample_chain.sql \
	-f data/market_history.sql -f scripts/demo.sql 2>&1) || true
err=$(grep -m1 -E 'ERROR|FATAL' <<<"$out") || true
check "scripts/demo's SQL (data/sample_chain.sql, data/market_history.sql, scripts/demo.sql) ${err:-printed nothing}" \
	$([ -n "$out" ] && [ -z "$err" ]; echo $?)
sql -c "DROP DATABASE condor_demo_check" >/dev/null
part_end
