#!/usr/bin/env bash
# C unit tests of the pure numerics (test/unit), plain cc, no server.
source "$(dirname "$0")/lib.sh"
export CONDOR_REFDIR=${CONDOR_REFDIR:-$(cd "$CONDOR_ROOT/.." && pwd)/shared/reference}

make -s unit PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
for t in build/test_*; do
	out=$("$t" 2>&1) || true
	line=$(printf '%s\n' "$out" | grep -E '^unit [a-z_]+: [0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then
		printf '%s\n' "$out" | tail -20
		echo "FAIL $t: crashed or printed no result line"
		count 0 1
		continue
	fi
	printf '%s\n' "$out" | grep -E '^(FAIL|#)' | head -40 || true
	echo "$line"
	p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	count "$p" "$f"
done
part_end
