# test/parts/lib.sh -- sourced by each part: the shared library, and the count.
source "$CONDOR_ROOT/scripts/lib.sh"
cd "$CONDOR_ROOT"
# The reference vectors the tests read: test/reference in the repository (made by
# test/reference/generate.py), unless CONDOR_REFDIR names another set.
export CONDOR_REFDIR=${CONDOR_REFDIR:-$CONDOR_ROOT/test/reference}
# The version this tree builds: condor.control's default_version, written nowhere else.
CONDOR_VERSION=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CONDOR_ROOT/condor.control")
part_passed=0
part_failed=0
count() { part_passed=$((part_passed + $1)); part_failed=$((part_failed + $2)); }
# check NAME CONDITION-EXIT-STATUS: one check, with a line saying what failed.
check() {
	if [ "$2" -eq 0 ]; then count 1 0; else count 0 1; echo "FAIL $1"; fi
}
# expect NAME COMMAND...: one check that passes when COMMAND succeeds (a failing
# COMMAND is a counted failure, not the end of the part under set -e).
expect() {
	local name=$1
	shift
	if "$@"; then count 1 0; else count 0 1; echo "FAIL $name"; fi
}
# sql ARGS...: psql for scripts: no psqlrc, tuples only, stop at the first error,
# notices off.
sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# must NAME COMMAND...: a step the rest of the part depends on; if it fails, that is a
# failed check and the part ends there with its count.
must() {
	local name=$1
	shift
	if ! "$@"; then
		echo "FAIL $name"
		count 0 1
		part_end
		exit 0
	fi
}
part_end() {
	echo "$part_passed passed, $part_failed failed"
}
# count_line LINE: add the counts of a line "... N passed, M failed ..." (0 passed and 1
# failed, said so, when there is no such line).
count_line() {
	if [[ "$1" =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		count "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
	else
		echo "FAIL no count line${2:+ from $2}"
		count 0 1
	fi
}

# A file or folder the part needs: its absence is a failed check, never a silent exit.
need_path() {
	if [ ! -e "$1" ]; then
		echo "FAIL missing $1${2:+ ($2)}"
		count 0 1
		return 1
	fi
}
# need_reference FILE...: reference files (relative to $CONDOR_REFDIR) the part reads;
# each missing one is a failed check.  Returns non-zero if any is missing.
need_reference() {
	local f rc=0
	for f in "$@"; do
		need_path "$CONDOR_REFDIR/$f" "reference data; CONDOR_REFDIR=$CONDOR_REFDIR" || rc=1
	done
	return $rc
}
# unit_run [PREFIX [PROGRAM...]]: C unit test programs (default every build/test_*,
# built by "make unit") against $CONDOR_REFDIR; each program's "unit NAME: N passed,
# M failed" line, printed after PREFIX, adds to the count, and a program that ends
# without that line, or prints a sanitizer report, is one failed check.
# The programs run side by side, as many at a time as there are cores (the slowest
# alone takes most of the part's time); their reports are read in order afterwards.
unit_run() {
	local prefix=${1:-} t out line dir i=0 jobs
	shift || true
	[ $# -gt 0 ] || set -- build/test_*
	dir=$(mktemp -d "${CONDOR_TMP:-/tmp}/unit.XXXXXX")
	jobs=$(nproc 2>/dev/null || echo 2)
	for t in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
		("$t" >"$dir/$i.out" 2>&1) &
		i=$((i + 1))
	done
	wait || true
	i=0
	for t in "$@"; do
		out=$(cat "$dir/$i.out")
		i=$((i + 1))
		line=$(printf '%s\n' "$out" | grep -E '^unit [a-z_]+: [0-9]+ passed, [0-9]+ failed' | tail -1) || true
		if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' <<<"$out"; then
			printf '%s\n' "$out" | grep -E -A30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' | head -40
			echo "FAIL $t: a sanitizer report"
			count 0 1
		elif [ -z "$line" ]; then
			printf '%s\n' "$out" | tail -20
			echo "FAIL $t: crashed or printed no result line"
			count 0 1
		else
			printf '%s\n' "$out" | grep -E '^(FAIL|#)' | head -40 || true
			echo "$prefix$line"
			count_line "$line"
		fi
	done
}

# run_regress [OUTDIR [TEST...]]: the pg_regress suite (Makefile REGRESS, or the tests
# named) against the server at $PGHOST/$PGPORT with $PGBIN's tools, one check per file;
# results and regression.diffs in OUTDIR (default the checkout).  Used by the regress
# part and, pointed at another server, by the sanitizer part.  Tests that could not
# connect (the server was restarting after another test crashed it) are listed in
# REGRESS_LOST and, when REGRESS_KEEP_LOST is set, not counted, so the caller can run
# them again.
run_regress() {
	local outdir=${1:-.} log rp rf nl t f schedule
	shift || true
	mkdir -p "$outdir"
	rm -rf "$outdir/results" "$outdir/regression.diffs" "$outdir/regression.out"
	log=$(mktemp "$CONDOR_TMP/regress.XXXXXX")
	make -s installcheck PG_CONFIG="$PGBIN/pg_config" ${1:+REGRESS="$*"} \
		EXTRA_REGRESS_OPTS="--host=$PGHOST --port=$PGPORT --user=$PGUSER --outputdir=$outdir" \
		>"$log" 2>&1 || true
	grep -E '^(test| ) ' "$log" || cat "$log"
	rp=$(grep -cE '^(test| ) .* \.\.\. ok' "$log" || true)
	rf=$(grep -cE '^(test| ) .* \.\.\. FAILED' "$log" || true)
	# lost: psql could not connect at all (a test that crashed the server lost it midway)
	REGRESS_LOST=
	for t in $(sed -n -E 's/^(test| ) +([a-z_0-9]+) +\.\.\. FAILED \(test process exited with exit code 2\).*/\2/p' "$log"); do
		if grep -q '^psql: error: connection to server' "$outdir/results/$t.out" 2>/dev/null &&
			! grep -q 'server closed the connection unexpectedly' "$outdir/results/$t.out"; then
			REGRESS_LOST+="$t "
		fi
	done
	if [ -n "${REGRESS_KEEP_LOST:-}" ]; then
		nl=$(wc -w <<<"$REGRESS_LOST")
		rf=$((rf - nl))
	fi
	if [ "$rp" -eq 0 ] && [ "$rf" -eq 0 ] && [ -z "$REGRESS_LOST" ]; then
		rf=1
		cat "$log"
	fi
	[ -f "$outdir/regression.diffs" ] && head -150 "$outdir/regression.diffs"
	# pg_regress compares against nothing when expected/NAME.out is missing; a test
	# without its expected output, or a sql/ file the schedule forgets, is a failure
	schedule=" $(make -s print-regress PG_CONFIG="$PGBIN/pg_config") "
	for t in ${*:-$schedule}; do
		if [ ! -f "expected/$t.out" ]; then
			echo "FAIL regress $t: no expected/$t.out"
			rf=$((rf + 1))
		fi
	done
	for f in sql/*.sql; do
		t=$(basename "$f" .sql)
		if [ $# -eq 0 ] && [[ "$schedule" != *" $t "* ]]; then
			echo "FAIL regress $t: sql/$t.sql is not in the Makefile's REGRESS"
			rf=$((rf + 1))
		fi
	done
	count "$rp" "$rf"
}

# wait_ready [SECONDS]: wait until the server at $PGHOST/$PGPORT accepts connections
# again (after a crash the postmaster restarts every backend and replays WAL).
wait_ready() {
	local i
	for ((i = 0; i < ${1:-60} * 10; i++)); do
		"$PGBIN/pg_isready" -q -h "$PGHOST" -p "$PGPORT" && psql -X -q -c 'SELECT 1' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "FAIL the server at $PGHOST did not come back"
	return 1
}

# run_pgtap: the pgTAP suites (test/pgtap/*.sql) in a fresh database condor_tap on the
# server at $PGHOST/$PGPORT; each assertion counts, a suite that dies or misses its plan
# fails.
run_pgtap() {
	local f out rc ok nok plan
	if ! { psql -X -q -c "DROP DATABASE IF EXISTS condor_tap" -c "CREATE DATABASE condor_tap" &&
		psql -X -q -d condor_tap -c "CREATE EXTENSION condor; CREATE EXTENSION pgtap;"; } >/dev/null 2>&1; then
		echo "FAIL pgtap: cannot create the database condor_tap"
		count 0 1
		return
	fi
	for f in test/pgtap/*.sql; do
		need_path "$f" || continue
		out=$(psql -X -q -d condor_tap -v ON_ERROR_STOP=1 -At -v refdir="$CONDOR_REFDIR" -f "$f" 2>&1) && rc=0 || rc=$?
		ok=$(grep -cE '^ok [0-9]+' <<<"$out" || true)
		nok=$(grep -cE '^not ok [0-9]+' <<<"$out" || true)
		plan=$(grep -oE '^1\.\.[0-9]+' <<<"$out" | head -1 | cut -c4- || true)
		grep -E '^not ok|^#' <<<"$out" | head -40 || true
		if [ "$rc" -ne 0 ] || [ -z "$plan" ] || [ "$plan" -ne $((ok + nok)) ]; then
			printf '%s\n' "$out" | tail -15
			echo "FAIL pgtap $(basename "$f" .sql): ran $((ok + nok)) of ${plan:-?} planned (psql exit $rc)"
			nok=$((nok + 1))
			# a suite that crashed the server must not take the next ones with it
			[ "$rc" -eq 0 ] || wait_ready || true
		fi
		echo "pgtap $(basename "$f" .sql): $ok passed, $nok failed"
		count "$ok" "$nok"
	done
}
