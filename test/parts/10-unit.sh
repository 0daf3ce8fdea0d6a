#!/usr/bin/env bash
# C unit tests of the pure numerics (test/unit), plain cc, no server.
source "$(dirname "$0")/lib.sh"

need_reference bsm_european.csv black76.csv bachelier.csv implied_vol.csv american.csv \
	american_convergence.csv cboe_vix/near_term.tsv cboe_vix/next_term.tsv || true
make -s unit PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
unit_run
part_end
