#!/usr/bin/env bash
# pg_regress: sql/*.sql against expected/*.out, one check per file (Makefile REGRESS).
source "$(dirname "$0")/lib.sh"
need_reference cboe_vix/near_term.tsv cboe_vix/next_term.tsv || true

run_regress .
part_end
