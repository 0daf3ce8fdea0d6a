#!/usr/bin/env bash
# pgTAP suites (test/pgtap/*.sql): each assertion counts; a suite that dies or misses its plan fails.
source "$(dirname "$0")/lib.sh"
need_reference bsm_european.csv black76.csv bachelier.csv implied_vol.csv || true

psql -X -q -c "DROP DATABASE IF EXISTS condor_tap" -c "CREATE DATABASE condor_tap" >/dev/null
psql -X -q -d condor_tap -c "CREATE EXTENSION condor; CREATE EXTENSION pgtap;" >/dev/null
for f in test/pgtap/*.sql; do
	need_path "$f" || continue
	out=$(psql -X -q -d condor_tap -v ON_ERROR_STOP=1 -At -v refdir="$CONDOR_REFDIR" -f "$f" 2>&1) && rc=0 || rc=$?
	ok=$(grep -cE '^ok [0-9]+' <<<"$out" || true)
	nok=$(grep -cE '^not ok [0-9]+' <<<"$out" || true)
	plan=$(grep -oE '^1\.\.[0-9]+' <<<"$out" | head -1 | cut -c4-)
	grep -E '^not ok|^#' <<<"$out" | head -40 || true
	if [ "$rc" -ne 0 ] || [ -z "$plan" ] || [ "$plan" -ne $((ok + nok)) ]; then
		printf '%s\n' "$out" | tail -15
		echo "FAIL pgtap $(basename "$f" .sql): ran $((ok + nok)) of ${plan:-?} planned (psql exit $rc)"
		nok=$((nok + 1))
	fi
	echo "pgtap $(basename "$f" .sql): $ok passed, $nok failed"
	count "$ok" "$nok"
done
part_end
