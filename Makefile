# condor -- PGXS build.  The version lives only in condor.control.

EXTENSION = condor
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" condor.control)

MODULE_big = condor
NUM_SRCS = $(sort $(wildcard src/num/*.c))
PG_SRCS = $(sort $(wildcard src/pg/*.c))
OBJS = $(NUM_SRCS:.c=.o) $(PG_SRCS:.c=.o)

DATA_built = condor--$(EXTVERSION).sql
# Earlier versions' install scripts and the upgrade scripts between versions.
DATA = $(sort $(wildcard src/upgrade/condor--*.sql))
SQL_PIECES = $(sort $(wildcard src/sql/*.sql))

# pg_regress suite, in order (sql/NAME.sql against expected/NAME.out)
REGRESS = pricing greeks_ops time calendar occ errors parallel iv american surface states strategy marking hedge signals dashboard playbook backtest readme
REGRESS_OPTS = --load-extension=condor
# The reference vectors sql/surface.sql reads: the repository's own unless CONDOR_REFDIR
# names another set (so "make installcheck" works from any checkout or source package).
CONDOR_REFDIR ?= $(CURDIR)/test/reference
export CONDOR_REFDIR

# Identical numbers on every platform: no contraction into FMA, no fast-math.
PG_CPPFLAGS = -Isrc/num -Isrc/pg
PG_CFLAGS = -ffp-contract=off -fno-fast-math

EXTRA_CLEAN = build

# No LLVM bitcode: the JIT gains nothing on these calls, and clang is then not needed.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_PIECES) condor.control
	cat $(SQL_PIECES) > $@

# C unit tests of the pure numerics: plain cc, no server needed.
UNIT_CFLAGS = -std=gnu99 -O2 -g -Wall -Wextra -ffp-contract=off -fno-fast-math -Isrc/num
UNIT_TESTS = $(patsubst test/unit/%.c,build/%,$(wildcard test/unit/test_*.c))

build/%: test/unit/%.c $(NUM_SRCS) $(wildcard src/num/*.h) test/unit/unit.h
	@mkdir -p build
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(NUM_SRCS) -lm

unit: $(UNIT_TESTS)

BENCHES = $(patsubst test/bench/%.c,build/%,$(wildcard test/bench/bench_*.c))
build/bench_%: test/bench/bench_%.c $(NUM_SRCS) $(wildcard src/num/*.h)
	@mkdir -p build
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(NUM_SRCS) -lm

benches: $(BENCHES)

.PHONY: unit benches
