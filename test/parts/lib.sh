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
# unit_run: every C unit test program (build/test_*, built by "make unit") against
# $CONDOR_REFDIR; each program's "unit NAME: N passed, M failed" line adds to the count,
# and a program that ends without that line is one failed check.
unit_run() {
	local t out line p f
	for t in build/test_*; do
		out=$("$t" 2>&1) || true
		line=$(printf '%s\n' "$out" | grep -E '^unit [a-z_]+: [0-9]+ passed, [0-9]+ failed' | tail -1) || true
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
}
