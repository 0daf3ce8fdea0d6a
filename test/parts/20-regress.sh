#!/usr/bin/env bash
# pg_regress: sql/*.sql against expected/*.out, one check per file (Makefile REGRESS).
source "$(dirname "$0")/lib.sh"
need_reference cboe_vix/near_term.tsv cboe_vix/next_term.tsv || true

rm -rf results regression.diffs regression.out
log=$CONDOR_TMP/regress.log
make -s installcheck PG_CONFIG="$PGBIN/pg_config" \
	EXTRA_REGRESS_OPTS="--host=$PGHOST --port=$PGPORT --user=$PGUSER" >"$log" 2>&1 || true
grep -E '^(test| ) ' "$log" || cat "$log"
rp=$(grep -cE '^(test| ) .* \.\.\. ok' "$log" || true)
rf=$(grep -cE '^(test| ) .* \.\.\. FAILED' "$log" || true)
if [ "$rp" -eq 0 ] && [ "$rf" -eq 0 ]; then
	rf=1
	cat "$log"
fi
[ -f regression.diffs ] && head -150 regression.diffs
count "$rp" "$rf"
part_end
