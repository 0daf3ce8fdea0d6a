#!/usr/bin/env bash
# C unit tests again, against ../shared/reference beside the checkout when it is there (never required).
source "$(dirname "$0")/lib.sh"

# A second, independently generated set of vectors: the same tolerances must hold on
# it.  Where it is absent (a plain clone) this part says so and counts nothing.
shared=$(cd "$CONDOR_ROOT/.." && pwd)/shared/reference
if [ ! -d "$shared" ]; then
	echo "no $shared beside the checkout: cross-check skipped (it is never required)"
	part_end
	exit 0
fi
echo "unit tests against $shared"
export CONDOR_REFDIR=$shared
make -s unit PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
# the programs that read reference vectors ($CONDOR_REFDIR); the others would only
# repeat the unit part
unit_run "" $(grep -l 'unit_ref\|unit_csv\|REFDIR' test/unit/test_*.c | sed 's|test/unit/|build/|; s|\.c$||')
part_end
