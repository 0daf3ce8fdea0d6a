#!/usr/bin/env bash
# test/fuzz/run.sh OUTDIR -- condor's seeded SQL fuzzer (test/fuzz/fuzz.sql) against the
# server that the libpq environment names (PGHOST, PGPORT, PGUSER; a superuser: the
# binary-input target writes COPY files), in a fresh database condor_fuzz.
#
#   FUZZ_SEED=1          the seed: the same seed and count give the same cases anywhere
#   FUZZ_CASES=10000     how many cases
#   FUZZ_BATCH=100       cases per CALL (each case commits its result)
#   FUZZ_TIMEOUT=20      seconds a batch may take; past it the running case is a "timeout"
#   FUZZ_BUDGET=150      seconds of running after which no new batch starts (a slow or busy
#                        machine then runs a prefix of the same cases; the count says so)
#   FUZZ_LABEL=fuzz      the name on the count line
#   FUZZ_COVERAGE=1      a condor function no case exercised, or an argument type with
#                        no generator, is a failed check (0 for a short run)
#
# Cases are generated first (no condor code runs then), then run in batches; when a
# batch dies (the backend crashed, or the timeout hit) the first case without a result
# is the culprit: it is recorded and the run goes on after it.  Writes to OUTDIR:
# findings.txt (each kind of finding once, with its count and the shortest reproducer),
# summary (the line "LABEL: N passed, M failed ..."), cases.tsv (every case and outcome).
# Exit status 0 when nothing was found.
#
# Reproduce one case:  psql -d condor_fuzz -c "SELECT fz.reproducer(c) FROM fz.cases c WHERE id = N"
# or rerun it:         psql -d condor_fuzz -c "DELETE FROM fz.results WHERE id = N" -c "CALL fz.run(N, N)"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh OUTDIR}
mkdir -p "$out"
seed=${FUZZ_SEED:-1}
n=${FUZZ_CASES:-10000}
batch=${FUZZ_BATCH:-100}
timeout=${FUZZ_TIMEOUT:-20}
budget=${FUZZ_BUDGET:-150}
label=${FUZZ_LABEL:-fuzz}
coverage_counts=${FUZZ_COVERAGE:-1}
db=condor_fuzz
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

ready() {
	local i
	for ((i = 0; i < 600; i++)); do
		"${PSQL[@]}" -d postgres -c 'SELECT 1' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "$label: the server did not come back" >&2
	return 1
}

t0=$(date +%s.%N)
ready
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
"${PSQL[@]}" -d "$db" -c "CREATE EXTENSION condor" -f "$here/fuzz.sql" >/dev/null
"${PSQL[@]}" -d "$db" -At -c "SELECT fz.generate(($seed % 1000003) / 1000003.0, $n)" >/dev/null
t1=$(date +%s.%N)

lo=1
start=$SECONDS
while [ "$lo" -le "$n" ]; do
	if [ $((SECONDS - start)) -ge "$budget" ]; then
		echo "$label: time budget of $budget s reached: cases $lo to $n not run" >&2
		break
	fi
	hi=$((lo + batch - 1))
	[ "$hi" -le "$n" ] || hi=$n
	if msg=$(PGOPTIONS="-c statement_timeout=${timeout}s" "${PSQL[@]}" -d "$db" \
		-c "CALL fz.run($lo, $hi)" 2>&1); then
		lo=$((hi + 1))
		continue
	fi
	ready
	next=$("${PSQL[@]}" -d "$db" -At -c "SELECT min(id) FROM fz.cases WHERE id BETWEEN $lo AND $hi
		AND id NOT IN (SELECT id FROM fz.results)")
	if [ -z "$next" ]; then
		lo=$((hi + 1))
		continue
	fi
	if grep -q 'statement timeout' <<<"$msg"; then
		outcome=timeout
	elif grep -qE 'server closed the connection|connection to server was lost|terminating connection|no connection to the server' <<<"$msg"; then
		outcome=crash
	else
		outcome=driver
	fi
	"${PSQL[@]}" -d "$db" -c "INSERT INTO fz.results VALUES ($next, '$outcome', NULL, \$fzmsg\$${msg//\$fzmsg\$/}\$fzmsg\$, NULL)" >/dev/null
	log_line="$label: case $next: $outcome"
	echo "$log_line" >&2
done
t2=$(date +%s.%N)

"${PSQL[@]}" -d "$db" -At -F $'\t' -c "SELECT c.id, c.target, c.func, r.outcome, r.sqlstate, round(r.ms::numeric, 1),
	replace(replace(fz.reproducer(c), E'\n', ' '), E'\t', ' ')
	FROM fz.cases c JOIN fz.results r USING (id) ORDER BY id" >"$out/cases.tsv"

report=$("${PSQL[@]}" -d "$db" -At <<'SQL'
WITH f AS (
	SELECT r.outcome, c.func, coalesce(r.sqlstate, '') AS sqlstate, c.id, c, r.message,
		row_number() OVER (PARTITION BY r.outcome, c.func, coalesce(r.sqlstate, '')
						   ORDER BY length(fz.reproducer(c)), c.id) AS rk,
		count(*) OVER (PARTITION BY r.outcome, c.func, coalesce(r.sqlstate, '')) AS n,
		min(c.id) OVER (PARTITION BY r.outcome, c.func, coalesce(r.sqlstate, '')) AS first
	FROM fz.cases c JOIN fz.results r USING (id)
	WHERE r.outcome NOT IN ('ok', 'error'))
SELECT format(E'FINDING %s %s%s: %s case(s), first #%s, shortest #%s\n  %s\n%s\n',
	outcome, func, CASE WHEN sqlstate <> '' THEN ' ' || sqlstate END, n, first, id,
	replace(left(message, 400), E'\n', ' '),
	regexp_replace(fz.reproducer(c), '^', '    ', 'gn'))
FROM f WHERE rk = 1 ORDER BY outcome, func, sqlstate;
SQL
)
stats=$("${PSQL[@]}" -d "$db" -At -F ' ' <<'SQL'
SELECT count(*) FILTER (WHERE outcome IN ('ok', 'error')),
	count(*) FILTER (WHERE outcome NOT IN ('ok', 'error')),
	count(*) FILTER (WHERE outcome = 'ok'), count(*) FILTER (WHERE outcome = 'error')
FROM fz.results;
SQL
)
read -r passed failed okc errc <<<"$stats"
ran=$((passed + failed))
# Coverage: every condor function and aggregate exercised; every argument type generated.
coverage=$("${PSQL[@]}" -d "$db" -At <<'SQL'
SELECT 'not exercised: ' || f.signature FROM fz.functions f
WHERE f.name NOT IN (SELECT func FROM fz.cases) AND f.prokind = 'f'
	AND f.oid NOT IN (SELECT aggtransfn FROM pg_aggregate UNION SELECT aggcombinefn FROM pg_aggregate
		UNION SELECT aggfinalfn FROM pg_aggregate)
UNION ALL
SELECT DISTINCT 'no generator for type ' || t || ' (it is passed as NULL)'
FROM fz.functions, unnest(argtypes) t
WHERE t NOT IN ('double precision', 'integer', 'text', 'boolean', 'timestamp with time zone', 'date',
	'double precision[]', 'strategy', 'greeks', 'svi', 'ssvi')
ORDER BY 1;
SQL
)
slow=$("${PSQL[@]}" -d "$db" -At -c "SELECT string_agg('#' || id || ' ' || round(ms) || ' ms', ', ' ORDER BY ms DESC)
	FROM (SELECT id, ms FROM fz.results WHERE ms > 1000 ORDER BY ms DESC LIMIT 5) s")
t3=$(date +%s.%N)

{
	[ -n "$report" ] && printf '%s\n' "$report"
	if [ -n "$coverage" ]; then
		printf '%s\n' "$coverage" | sed "s/^/$label coverage: /"
	fi
	[ -n "$slow" ] && echo "$label: slowest cases over 1 s: $slow"
	[ "$ran" -eq "$n" ] || echo "$label: the time budget ($budget s) stopped the run after $ran of $n cases"
	awk -v l="$label" -v n="$ran" -v s="$seed" -v p="$passed" -v o="$okc" -v e="$errc" -v f="$failed" \
		-v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
		printf "%s: %d cases (seed %s): %d ran clean (%d without error, %d with an allowed error), %d findings; generation %.1f s, run %.1f s (%.0f cases/s), report %.1f s\n",
			l, n, s, p, o, e, f, t1 - t0, t2 - t1, n / (t2 - t1 + 1e-9), t3 - t2 }'
} | tee "$out/findings.txt"
# The coverage gaps count as failed checks of the fuzzer itself.
cov=0
[ -z "$coverage" ] || [ "$coverage_counts" = 0 ] || cov=$(wc -l <<<"$coverage")
echo "$label: $passed passed, $((failed + cov)) failed" | tee "$out/summary"
[ $((failed + cov)) -eq 0 ]
