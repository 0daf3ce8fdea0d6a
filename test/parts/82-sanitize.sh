#!/usr/bin/env bash
# Sanitizers: unit tests, regress, pgTAP and a short fuzz run under ASan+UBSan builds; any report fails.
# needs: libasan8 libubsan1
#
# (a) the C unit tests built with gcc -fsanitize=address,undefined (make unit-sanitize);
# (b) condor itself built the same way in a copy of the tree, installed into its own
#     private server tree, and a cluster of that server started with libasan preloaded
#     (the postgres binary is not instrumented: only condor.so is checked, and libasan
#     must come first in the process); the pg_regress and pgTAP suites and a short seeded
#     fuzz run (test/fuzz) go against it.
#
# ASan rather than valgrind: the regress suite runs about 3x slower under ASan and about
# 50x slower under valgrind (minutes instead of seconds on 2 cores), ASan also sees
# stack-buffer overflows (svi.c) that memcheck cannot, and UBSan adds the float-to-int
# and bounds checks.  What valgrind adds -- reads of uninitialised memory -- is covered
# for stack variables by -ftrivial-auto-var-init=pattern: an uninitialised double then
# reads as the fixed pattern 0xFEFE...FE (-5.3140103725178076e+303), so the pinned
# regress outputs change and the fuzz driver's pattern oracle reports it.
#
# Settings: detect_leaks=0 (postgres frees by exiting), detect_odr_violation=0 (condor.so
# and postgres share no globals, but ASan's check trips on the uninstrumented binary),
# abort_on_error=1 and halt_on_error=1 (a report kills the backend, the postmaster logs
# "terminated by signal 6" with the query), log_path per process.  Every report file
# and every backend killed by a signal is one failure (UBSan's reports, stack included,
# land in the server log).  Run alone:
#   bash scripts/test sanitize          (FUZZ_SAN_CASES=N to change the fuzz share)
source "$(dirname "$0")/lib.sh"

SAN_FLAGS=$(make -s san-flags PG_CONFIG="$SYS_PGBIN/pg_config")
san_dir=$CONDOR_TMP/sanitize
rm -rf "$san_dir"
mkdir -p "$san_dir/logs"
chmod 777 "$san_dir/logs"
chmod 755 "$san_dir"

# ---- (a) unit tests
log "sanitize: unit tests under ASan+UBSan"
make -s -j2 unit-sanitize PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
# CONDOR_UNIT_QUICK thins the largest sweeps (test_extremes), which run several times
# slower under the sanitizers.
CONDOR_UNIT_QUICK=1 ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 unit_run "sanitized " build/san/test_*

# ---- (b) condor under ASan+UBSan in a server
log "sanitize: building condor with $SAN_FLAGS"
mkdir -p "$san_dir/src"
tar -C "$CONDOR_ROOT" --exclude=./build --exclude=./results --exclude=./.git \
	--exclude='*.o' --exclude='*.so' --exclude='*.bc' -cf - . | tar -C "$san_dir/src" -xf -
make -C "$san_dir/src" -s -j2 PG_CONFIG="$SYS_PGBIN/pg_config" COPT="$SAN_FLAGS" clean >/dev/null
make -C "$san_dir/src" -s -j2 PG_CONFIG="$SYS_PGBIN/pg_config" COPT="$SAN_FLAGS" >/dev/null
condor_install_private "$san_dir/pg" "$san_dir/src"
gcc -shared -fPIC -O2 -o "$san_dir/nonls.so" test/sanitize/nonls.c
chmod 755 "$san_dir/nonls.so"

CONDOR_SERVER_ENV=(
	"LD_PRELOAD=$(gcc -print-file-name=libasan.so) $san_dir/nonls.so"
	LANG=C LC_ALL=C
	"ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0:abort_on_error=1:halt_on_error=1:log_path=$san_dir/logs/asan"
	"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$san_dir/logs/ubsan"
)
condor_cluster_init "$san_dir/cluster" -c lc_messages=C -c max_connections=20
export PGHOST=$san_dir/cluster PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
serverlog=$san_dir/cluster/server.log

log "sanitize: pg_regress against the sanitizer build"
# A crash restarts the server and the tests after it cannot connect: they run again
# (twice at most), so one crash does not hide what the others would find.
REGRESS_KEEP_LOST=1 run_regress "$san_dir/regress"
for round in 1 2; do
	[ -n "$REGRESS_LOST" ] || break
	wait_ready || break
	log "sanitize: running again the tests that lost their server: $REGRESS_LOST"
	# shellcheck disable=SC2086
	if [ "$round" -eq 2 ]; then
		run_regress "$san_dir/regress-again$round" $REGRESS_LOST
	else
		REGRESS_KEEP_LOST=1 run_regress "$san_dir/regress-again$round" $REGRESS_LOST
	fi
done
wait_ready || count 0 1
log "sanitize: pgTAP against the sanitizer build"
run_pgtap
wait_ready || count 0 1
log "sanitize: fuzz against the sanitizer build"
FUZZ_CASES=${FUZZ_SAN_CASES:-1500} FUZZ_LABEL=fuzz-san FUZZ_COVERAGE=0 bash test/fuzz/run.sh "$san_dir/fuzz" >"$san_dir/fuzz.log" 2>&1 || true
grep -E '^(FINDING|fuzz-san)' "$san_dir/fuzz.log" || tail -20 "$san_dir/fuzz.log"
count_line "$(cat "$san_dir/fuzz/summary" 2>/dev/null)" "the fuzz driver (see $san_dir/fuzz.log)"
wait_ready || count 0 1

# ---- the reports: every backend that died (by a signal, or by UBSan's exit) and every
# sanitizer report file; UBSan writes its one-line reports to the server log.
reports=0
seen=" "
while read -r pid how; do
	reports=$((reports + 1))
	seen+="$pid "
	echo "FAIL backend $pid $how"
	for f in "$san_dir/logs/asan.$pid" "$san_dir/logs/ubsan.$pid"; do
		[ -e "$f" ] && { grep -E 'ERROR: AddressSanitizer|runtime error:|^ *#[0-9]+ |SUMMARY' "$f" | head -25 || true; }
	done
	awk -v pid="$pid" '/ LOG: | ERROR: | FATAL: | STATEMENT: | DETAIL: /{ if (index($0, "(PID " pid ")")) { printf "%s", buf; exit } buf=""; n=0; next }
		/runtime error:|AddressSanitizer|^ *#[0-9]+ .* in / { if (n++ < 25) buf = buf "  " $0 "\n" }' "$serverlog"
	grep -A1 -E "\(PID $pid\) (was terminated|exited)" "$serverlog" |
		sed -n 's/.*Failed process was running: //p' | head -1 | cut -c1-600 | sed 's/^/  query: /' || true
done < <(sed -n -E 's/.*server process \(PID ([0-9]+)\) (was terminated by signal [0-9]+|exited with exit code [0-9]+).*/\1 \2/p' "$serverlog")
for f in "$san_dir"/logs/asan.* "$san_dir"/logs/ubsan.*; do
	[ -e "$f" ] || continue
	[[ "$seen" == *" ${f##*.} "* ]] && continue
	reports=$((reports + 1))
	echo "FAIL sanitizer report $(basename "$f") from a process that did not die:"
	grep -E 'ERROR: AddressSanitizer|runtime error:|^ *#[0-9]+ |SUMMARY' "$f" | head -25 || true
done
grep -E 'runtime error:|ERROR: AddressSanitizer' "$serverlog" | sed 's/^/  server log: /' | head -20 || true
echo "sanitizer reports and crashes: $reports (logs in $san_dir/logs and $serverlog)"
if [ "$reports" -eq 0 ]; then count 1 0; else count 0 "$reports"; fi
part_end
