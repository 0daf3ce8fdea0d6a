#!/usr/bin/env bash
# pgTAP suites (test/pgtap/*.sql): each assertion counts; a suite that dies or misses its plan fails.
source "$(dirname "$0")/lib.sh"
need_reference bsm_european.csv black76.csv bachelier.csv implied_vol.csv || true

run_pgtap
part_end
