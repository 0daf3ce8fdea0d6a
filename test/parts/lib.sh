# test/parts/lib.sh -- sourced by each part: the shared library, and the count.
source "$CONDOR_ROOT/scripts/lib.sh"
cd "$CONDOR_ROOT"
part_passed=0
part_failed=0
count() { part_passed=$((part_passed + $1)); part_failed=$((part_failed + $2)); }
# check NAME CONDITION-EXIT-STATUS: one check, with a line saying what failed.
check() {
	if [ "$2" -eq 0 ]; then count 1 0; else count 0 1; echo "FAIL $1"; fi
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
